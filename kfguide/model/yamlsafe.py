"""YAML that cannot hang or crash the checks: front matter and data/glossary.yml.

PyYAML composes nested collections recursively (a thousand levels of ``[[[...]]]`` raise
RecursionError) and expands nothing itself, but a walk over a document that reuses anchors
(``&a`` / ``*a``, the "billion laughs" shape) visits each alias again, so nine lines can cost
minutes. :func:`load` first reads the event stream, which PyYAML produces without recursion,
and refuses a document that nests deeper than :data:`MAX_DEPTH` or uses more than
``max_aliases`` aliases (none by default: neither front matter nor the glossary needs them).
Only then does it build the data, so the cost stays linear in the size of the text.

Problems come back as :class:`YamlProblem` ``(line, message)`` with the 1-based line in the
text given, never as exceptions. Parsing uses libyaml when PyYAML has it; on an error the text
is parsed again with the pure Python parser, whose messages and marks are reported (as
:mod:`kfguide.model.yamltext` does).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

MAX_DEPTH = 50
_FAST = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


@dataclass(frozen=True)
class YamlProblem:
    line: int  # 1-based, in the text given
    message: str
    kind: str = "syntax"  # "syntax", "depth" or "alias"


def _line(mark) -> int:
    return mark.line + 1 if mark is not None else 1


def syntax_problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    """Where a YAML syntax error really is: the construct that was left open (``context``)
    when the parser only noticed at the end of the text, else the problem's own mark."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None)
    at_end = mark is not None and mark.index >= len(text.rstrip())
    # an unterminated [ ], { } or quote: the author's mistake is where it was opened
    opened = bool(context) and context.startswith(("while parsing a flow", "while scanning a quoted",
                                                    "while scanning a double-quoted", "while scanning a single-quoted"))
    if context_mark is not None and (at_end or mark is None or opened):
        where = f"{context} (line {_line(context_mark)}) is never closed: {problem}" if context else problem
        return YamlProblem(_line(context_mark), where)
    message = f"{context}: {problem}" if context else problem
    return YamlProblem(_line(mark), message)


def check_events(text: str, max_depth: int = MAX_DEPTH, max_aliases: int = 0) -> YamlProblem | None:
    """The first structural problem of ``text``: too deep, aliases, or a syntax error."""
    try:
        return _check_events(text, max_depth, max_aliases, _FAST)
    except yaml.YAMLError:
        try:
            return _check_events(text, max_depth, max_aliases, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            return syntax_problem(exc, text)


def _check_events(text: str, max_depth: int, max_aliases: int, loader) -> YamlProblem | None:
    depth = 0
    aliases = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > max_depth:
                return YamlProblem(_line(event.start_mark),
                                   f"nested more than {max_depth} levels deep; nothing here needs that", "depth")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                return YamlProblem(_line(event.start_mark),
                                   "uses YAML aliases (*name); write the values out instead"
                                   if max_aliases == 0 else f"uses more than {max_aliases} YAML aliases", "alias")
    return None


def compose(text: str, max_depth: int = MAX_DEPTH, max_aliases: int = 0):
    """``(node, problem)``: the composed node tree (keeps line marks), or the first problem."""
    problem = check_events(text, max_depth, max_aliases)
    if problem is not None:
        return None, problem
    try:
        return yaml.compose(text, Loader=_FAST), None
    except yaml.YAMLError:  # pragma: no cover - the event pass saw the same text
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader), None
        except yaml.YAMLError as exc:
            return None, syntax_problem(exc, text)


def load(text: str, max_depth: int = MAX_DEPTH, max_aliases: int = 0):
    """``(data, problem)``: the loaded data, or the first problem (data is then None)."""
    problem = check_events(text, max_depth, max_aliases)
    if problem is not None:
        return None, problem
    try:
        return yaml.load(text, Loader=_FAST), None
    except yaml.YAMLError:  # constructor errors (bad timestamps, unhashable keys...)
        try:
            return yaml.load(text, Loader=yaml.SafeLoader), None
        except yaml.YAMLError as exc:
            return None, syntax_problem(exc, text)
    except (ValueError, TypeError, OverflowError) as exc:
        return None, YamlProblem(1, f"cannot read this YAML: {exc}")
