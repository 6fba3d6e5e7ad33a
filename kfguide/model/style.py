"""The style sheet as data: data/style.yml (rules, thresholds, fixed spellings) and
data/readings.yml (how Latin words are read, for the particle rule).

``load(root)`` returns a :class:`StyleSheet` and the problems found in the files as
``(path, line, message)``; it never raises on bad data. The rules themselves are
:mod:`kfguide.checks.style`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kfguide.model.korean import final

STYLE_PATH = "data/style.yml"
READINGS_PATH = "data/readings.yml"

_KEYS = {"register", "long_sentence", "genitive_chain", "spellings", "first_use", "markup", "cache"}


@dataclass
class Spelling:
    wrong: str
    right: str
    why: str
    line: int


@dataclass
class StyleSheet:
    #: endings (Kiwi EF forms) that are 합니다체; everything else in a prose sentence is flagged
    allowed_endings: set[str] = field(default_factory=set)
    #: endings allowed only after the honorific 시 (-십시오)
    honorific_endings: set[str] = field(default_factory=set)
    #: admonition types whose body may use those endings (-십시오 only in warnings); None: anywhere
    imperative_in: set[str] | None = None
    #: endings allowed in table cells and list items only (개조식 noun endings: 없음, 켜짐)
    fragment_endings: set[str] = field(default_factory=set)
    long_sentence: int = 0  # Hangul syllables; 0 turns the rule off
    genitive_chain: int = 0  # 의 in one noun chain; 0 turns the rule off
    spellings: list[Spelling] = field(default_factory=list)
    readings: dict[str, str] = field(default_factory=dict)  # Latin word -> Hangul reading
    reading_lines: dict[str, int] = field(default_factory=dict)
    first_use: bool = True
    markup: bool = True
    cache: str = ".cache/kfguide/style-morphemes.json"

    def reading(self, word: str) -> str | None:
        if word in self.readings:
            return self.readings[word]
        return self._folded().get(word.casefold())

    def _folded(self) -> dict[str, str]:
        if not hasattr(self, "_fold"):
            self._fold = {k.casefold(): v for k, v in self.readings.items()}
        return self._fold


def _mapping(text: str, rel: str, problems: list) -> yaml.MappingNode | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append((rel, mark.line + 1 if mark else 0, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append((rel, 1, "expected a mapping"))
        return None
    return node


def _int(node, rel, problems, key) -> int:
    if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"\d+", node.value):
        return int(node.value)
    problems.append((rel, node.start_mark.line + 1, f"'{key}' must be a whole number (0 turns the rule off)"))
    return 0


def _strings(node, rel, problems, key) -> list[str]:
    if isinstance(node, yaml.SequenceNode) and all(isinstance(x, yaml.ScalarNode) and x.value for x in node.value):
        return [x.value for x in node.value]
    problems.append((rel, node.start_mark.line + 1, f"'{key}' must be a list of strings"))
    return []


def parse_style(text: str, sheet: StyleSheet, rel: str = STYLE_PATH) -> list[tuple[str, int, str]]:
    problems: list[tuple[str, int, str]] = []
    root = _mapping(text, rel, problems)
    if root is None:
        return problems
    for k, v in root.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else None
        line = k.start_mark.line + 1
        if key not in _KEYS:
            problems.append((rel, line, f"unknown key '{key}'", ))
            continue
        if key == "register":
            if not isinstance(v, yaml.MappingNode):
                problems.append((rel, line, "'register' must map 'allowed' and 'after_honorific' to lists"))
                continue
            for kk, vv in v.value:
                if kk.value == "allowed":
                    sheet.allowed_endings = set(_strings(vv, rel, problems, "register.allowed"))
                elif kk.value == "in_fragments":
                    sheet.fragment_endings = set(_strings(vv, rel, problems, "register.in_fragments"))
                elif kk.value == "after_honorific":
                    sheet.honorific_endings = set(_strings(vv, rel, problems, "register.after_honorific"))
                elif kk.value == "imperative_in":
                    sheet.imperative_in = set(_strings(vv, rel, problems, "register.imperative_in"))
                else:
                    problems.append((rel, kk.start_mark.line + 1, f"unknown key 'register.{kk.value}'"))
        elif key == "long_sentence":
            sheet.long_sentence = _int(v, rel, problems, key)
        elif key == "genitive_chain":
            sheet.genitive_chain = _int(v, rel, problems, key)
        elif key in ("first_use", "markup"):
            if isinstance(v, yaml.ScalarNode) and v.value in ("true", "false"):
                setattr(sheet, key, v.value == "true")
            else:
                problems.append((rel, line, f"'{key}' must be true or false"))
        elif key == "cache":
            if isinstance(v, yaml.ScalarNode) and v.value:
                sheet.cache = v.value
            else:
                problems.append((rel, line, "'cache' must be a path"))
        elif key == "spellings":
            if not isinstance(v, yaml.SequenceNode):
                problems.append((rel, line, "'spellings' must be a list of {wrong, right, why}"))
                continue
            for item in v.value:
                iline = item.start_mark.line + 1
                if not isinstance(item, yaml.MappingNode):
                    problems.append((rel, iline, "a spelling must be a mapping {wrong, right, why}"))
                    continue
                values = {kk.value: vv.value for kk, vv in item.value
                          if isinstance(kk, yaml.ScalarNode) and isinstance(vv, yaml.ScalarNode)}
                missing = [x for x in ("wrong", "right", "why") if not values.get(x)]
                if missing:
                    problems.append((rel, iline, f"spelling is missing {', '.join(missing)}"))
                    continue
                sheet.spellings.append(Spelling(values["wrong"], values["right"], values["why"], iline))
    return problems


def parse_readings(text: str, sheet: StyleSheet, rel: str = READINGS_PATH) -> list[tuple[str, int, str]]:
    problems: list[tuple[str, int, str]] = []
    root = _mapping(text, rel, problems)
    if root is None:
        return problems
    for k, v in root.value:
        line = k.start_mark.line + 1
        word = k.value if isinstance(k, yaml.ScalarNode) else ""
        value = v.value if isinstance(v, yaml.ScalarNode) else ""
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]*", word or ""):
            problems.append((rel, line, f"'{word}': a reading is given for one Latin word"))
            continue
        if final(value or "") is None:
            problems.append((rel, line, f"'{word}': the reading '{value}' must end in a Hangul syllable"))
            continue
        if word in sheet.readings:
            problems.append((rel, line, f"'{word}' is listed twice (first at line {sheet.reading_lines[word]})"))
            continue
        sheet.readings[word] = value
        sheet.reading_lines[word] = line
    return problems


def load(root: Path | str) -> tuple[StyleSheet | None, list[tuple[str, int, str]]]:
    """The project's style sheet, or None when it has none (then no style rule runs)."""
    root = Path(root)
    style_file = root / STYLE_PATH
    if not style_file.is_file():
        return None, []
    sheet = StyleSheet()
    problems: list[tuple[str, int, str]] = []
    for path, rel, parse in ((style_file, STYLE_PATH, parse_style),
                             (root / READINGS_PATH, READINGS_PATH, parse_readings)):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if rel == READINGS_PATH:
                continue
            problems.append((rel, 0, "missing"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append((rel, 0, f"cannot read: {exc}"))
            continue
        problems.extend(parse(text, sheet, rel))
    return sheet, problems
