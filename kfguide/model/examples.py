"""The examples on a page: every fenced code block with its language, title, markers and file.

A page marks how an example is tested with an HTML comment above its fence, followed by one
blank line (same indentation; inside tabs and admonitions too). HTML comments render nothing in
MkDocs and on GitHub; the blank line keeps Python-Markdown from wrapping the comment and the code
in one paragraph inside tabs and admonitions (``example-marker`` reports a missing one)::

    <!-- example: fragment -->

    ```yaml
    spec:
      earlyStopping: ...
    ```

Markers (several may share one comment, separated by blanks; ``key=value`` or a bare word):

``fragment``        not a complete program or manifest: only this marks a block as skipped
                    (``fragment of=Experiment`` checks a manifest fragment against that kind's
                    schema without its required fields)
``needs-cluster``   a Python program that talks to a cluster: compiled and checked statically
                    (SDK call signatures, ``namespace=``), never run
``run``             a console session the test suite runs in a sandbox holding the page's
                    titled files; its printed output must match (``...`` skips lines)
``release=1.0``     the block shows another Kubeflow release than the guide's (history)

Pure functions over page sources; nothing here runs code.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Iterable

from kfguide.model.markdown import CodeBlock, Document, scan

MARK = re.compile(r"^\s*<!--\s*example:(?P<body>.*?)-->\s*$")
#: Bare words a marker may hold, and keys a ``key=value`` may use.
WORDS = frozenset({"fragment", "needs-cluster", "run"})
KEYS = frozenset({"release", "of"})

PYTHON = frozenset({"python", "py", "python3"})
YAML = frozenset({"yaml", "yml"})
SHELL = frozenset({"bash", "sh", "shell", "zsh", "console", "shell-session", "terminal"})
SESSION = frozenset({"console", "shell-session", "terminal"})
#: Blocks that hold no program: addresses, plain text, diagrams.
NOT_CODE = frozenset({"text", "txt", "", "mermaid", "plain"})

_TITLE = re.compile(r"""\btitle\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')""")


@dataclass
class Example:
    path: str  # docs-relative page path
    block: CodeBlock
    marks: dict[str, str] = field(default_factory=dict)  # {"fragment": "", "release": "1.0"}
    mark_line: int = 0  # line of the marker comment (0: none)
    title: str | None = None  # fence title="..." (the file name the page gives the block)
    tab: str | None = None  # label of the content tab the block sits in (=== "26.03.1")
    problems: list[tuple[int, str]] = field(default_factory=list)  # bad markers

    @property
    def lang(self) -> str:
        return self.block.lang

    @property
    def line(self) -> int:
        return self.block.start_line

    @property
    def is_fragment(self) -> bool:
        return "fragment" in self.marks

    @property
    def kind(self) -> str:
        """python / yaml / shell / dockerfile / other."""
        lang = self.lang.lower()
        if lang in PYTHON:
            return "python"
        if lang in YAML:
            return "yaml"
        if lang in SHELL:
            return "shell"
        if lang == "dockerfile":
            return "dockerfile"
        return "other"


def parse_marks(text: str) -> tuple[dict[str, str], list[str]]:
    """``"fragment of=Experiment"`` -> ({"fragment": "", "of": "Experiment"}, problems)."""
    marks: dict[str, str] = {}
    problems: list[str] = []
    try:
        words = shlex.split(text)
    except ValueError as exc:
        return {}, [f"cannot read the example marker: {exc}"]
    if not words:
        problems.append("empty example marker; write e.g. `<!-- example: fragment -->`")
    for word in words:
        key, eq, value = word.partition("=")
        if eq:
            if key not in KEYS:
                problems.append(f"unknown example marker key {key!r} (known: {', '.join(sorted(KEYS))})")
            elif not value:
                problems.append(f"example marker `{key}=` needs a value")
            else:
                marks[key] = value
        elif word in WORDS:
            marks[word] = ""
        else:
            problems.append(f"unknown example marker {word!r} (known: {', '.join(sorted(WORDS))})")
    if "run" in marks and ("fragment" in marks or "needs-cluster" in marks):
        problems.append("`run` cannot be combined with `fragment` or `needs-cluster`")
    return marks, problems


_TAB = re.compile(r"""^(?P<indent>[ \t]*)===[+!]?\s+(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')""")


def page_examples(path: str, source: str, doc: Document | None = None) -> list[Example]:
    """Every fenced code block of one page as an :class:`Example`, in source order."""
    doc = doc if doc is not None else scan(source)
    lines = source.replace("\r\n", "\n").split("\n")
    out: list[Example] = []
    used_marks: set[int] = set()
    for block in doc.code_blocks:
        if not block.fenced:
            continue
        ex = Example(path, block)
        m = _TITLE.search(block.info or "")
        if m:
            ex.title = m.group("d") if m.group("d") is not None else m.group("s")
        found = marker_above(lines, block.start_line)
        if found is not None:
            above, body = found
            ex.marks, problems = parse_marks(body)
            ex.mark_line = above
            ex.problems.extend((above, p) for p in problems)
            if above == block.start_line - 1:
                ex.problems.append((above, "put one blank line between the example marker and the fence "
                                           "(without it the comment and the code render as one paragraph in tabs)"))
            used_marks.add(above)
        ex.tab = _tab_label(lines, block)
        out.append(ex)
    # A marker that is not right above a fence marks nothing: say so instead of ignoring it.
    for number, text in enumerate(lines, start=1):
        if number not in used_marks and MARK.match(text) and not _in_code(doc, number):
            stray = Example(path, CodeBlock("", "", number))
            stray.problems.append((number, "this example marker is not right above a code fence "
                                           "(the marker, one blank line, then the fence)"))
            out.append(stray)
    return out


def marker_above(lines: list[str], fence_line: int) -> tuple[int, str] | None:
    """``(line, body)`` of the example marker above the fence on ``fence_line`` (1-based): the
    line right above, or the one above a single blank line; None when there is none."""
    for above in (fence_line - 1, fence_line - 2):
        if above < 1 or above > len(lines):
            return None
        text = lines[above - 1]
        m = MARK.match(text)
        if m:
            return above, m.group("body")
        if text.strip():
            return None
    return None


def _in_code(doc: Document, line: int) -> bool:
    return any(b.start_line <= line <= b.end_line for b in doc.code_blocks)


def _tab_label(lines: list[str], block: CodeBlock) -> str | None:
    """The label of the nearest content tab (``=== "label"``) that contains the block."""
    width = len(block.indent.expandtabs(4))
    if width == 0:
        return None
    for number in range(block.start_line - 1, 0, -1):
        text = lines[number - 1]
        m = _TAB.match(text)
        if m and len(m.group("indent").expandtabs(4)) < width:
            return m.group("d") if m.group("d") is not None else m.group("s")
        if text.strip() and len(text) - len(text.lstrip()) == 0 and not m:
            return None  # back at the margin without a tab opener
    return None


def examples_of(pages: dict[str, str]) -> list[Example]:
    """All examples of ``{path: source}`` pages."""
    out: list[Example] = []
    for path in sorted(pages):
        out.extend(page_examples(path, pages[path]))
    return out


def language_of(path: str, languages: Iterable[str] = ("en",)) -> str:
    """``pipelines.en.md`` -> ``en``; ``pipelines.md`` -> ``ko`` (the default language)."""
    stem = path[:-3] if path.endswith(".md") else path
    for lang in languages:
        if stem.endswith("." + lang):
            return lang
    return "ko"


# ---------------------------------------------------------------------------------------------
# Shell blocks: commands and output told apart

#: A prompt: optional ``(venv)``, optional ``user@host:dir``, then ``$`` or ``%`` and a blank.
PROMPT = re.compile(r"^\s*(?:\([^)\s]*\)\s*)?(?:[\w.@:~/-]*)?[$%]\s(?P<cmd>.*)$")
#: A continuation prompt (PS2) some sessions show for the lines of a long command.
_PS2 = re.compile(r"^\s*>\s?(?P<cmd>.*)$")


@dataclass
class Step:
    """One command of a shell block and the output shown after it."""

    line: int  # page line of the command's first line
    lines: list[tuple[int, str]]  # the command's lines (prompts stripped), page line numbers
    output: list[tuple[int, str]] = field(default_factory=list)

    @property
    def command(self) -> str:
        return "\n".join(text for _, text in self.lines)


def is_session(lang: str, body: list[tuple[int, str]]) -> bool:
    """A console block, or a shell block that uses ``$``/``%`` prompts: only prompt lines are
    commands. Otherwise (a script) every line is a command."""
    return lang.lower() in SESSION or any(PROMPT.match(text) for _, text in body)


def steps_of(lang: str, body: list[tuple[int, str]]) -> list[Step]:
    """The commands of a shell block (snippets already expanded) with their output.

    In a session a prompt line starts a command; it continues on the next lines while the
    command ends with ``\\`` (those lines may carry a ``> `` prompt); every other line is output
    of the command before it (output before the first prompt belongs to no step and is
    returned as a step with no command lines). A script is one step holding every line.
    """
    if not is_session(lang, body):
        return [Step(body[0][0] if body else 0, list(body))] if body else []
    steps: list[Step] = []
    continuing = False
    for number, text in body:
        if continuing and steps:
            m = _PS2.match(text)
            part = m.group("cmd") if m else text
            steps[-1].lines.append((number, part))
            continuing = part.rstrip().endswith("\\")
            continue
        m = PROMPT.match(text)
        if m:
            cmd = m.group("cmd")
            steps.append(Step(number, [(number, cmd)]))
            continuing = cmd.rstrip().endswith("\\")
        else:
            if not steps:
                steps.append(Step(number, []))
            steps[-1].output.append((number, text))
    return steps
