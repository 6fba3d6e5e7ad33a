"""pymdownx.snippets as the checks see it: which lines a page really has once its
``--8<--`` includes are expanded, where each came from, and which includes cannot work.

pymdownx.snippets (13.x) runs before every other part of Markdown, on the raw lines of the
page (front matter already removed):

* ``--8<-- "name"`` (or ``'name'``) alone on a line includes the file; nothing may follow the
  closing quote. ``--8<--`` alone opens and closes a block whose lines are file names (an empty
  line inserts a blank line, a line starting with ``;`` is skipped).
* A leading ``;`` escapes the notation: the line is kept without one ``;``.
* ``name:3:5`` (and ``name:2,7:9``) selects lines, ``name:section`` the lines between
  ``--8<-- [start:section]`` and ``--8<-- [end:section]``; section markers are dropped from
  any text.
* Names are looked up in each base path in turn and must stay inside it
  (``restrict_base_path``); a file already being included is skipped (no endless loop).
* Included lines get the include line's indentation and are expanded again.

:func:`expand` does the same and returns the lines, the source line of each (an included
line carries the line of its include, so a finding about included text points at the
include), the files it read, and a :class:`Problem` for every include that would fail the
build (``check_paths``): a missing file, a name that leaves the base path, a file that is not
UTF-8 text, a block that is never closed. Nothing here raises on bad input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_INCLUDE = re.compile(
    r"^(?P<space>[ \t]*)(?P<escape>;*)(?:(?P<inline>-+8<-+[ \t]+)"
    r"(?P<name>\"(?:\\\"|[^\"\n\r])+?\"|'(?:\\'|[^'\n\r])+?')(?![ \t])|(?P<block>-+8<-+)(?![ \t]))\r?$"
)
_SECTION = re.compile(r"(?<![-;])(?P<escape>;*)-+8<-+[ \t]+\[[ \t]*(?P<type>start|end)[ \t]*:[ \t]*"
                      r"(?P<name>[a-z][-_0-9a-z]*)[ \t]*\]", re.I)
_LINES_TAIL = re.compile(r"^(?::-?\d*){1,2}(?:,-?\d*(?::-?\d*)?)*$")
_SECTION_TAIL = re.compile(r"^:[a-z][-_0-9a-z]*$", re.I)
#: Include names longer than this are not file names (keeps every step linear).
MAX_NAME = 1024
MAX_DEPTH = 16


@dataclass(frozen=True)
class Problem:
    line: int  # source line of the include (in the page)
    check: str  # snippet-missing, snippet-outside, snippet-unreadable, snippet-block-unclosed
    message: str
    hint: str = ""


@dataclass
class Snippets:
    """Where included files are found: pymdownx.snippets' ``base_path`` list (absolute)."""

    bases: list[Path] = field(default_factory=list)
    restrict: bool = True
    tab_length: int = 4

    def __post_init__(self) -> None:
        self.bases = [Path(os.path.abspath(b)) for b in self.bases]

    def find(self, name: str) -> tuple[Path | None, str | None]:
        """``(file, None)``, or ``(None, reason)`` with reason "outside" or "missing"."""
        outside = False
        for base in self.bases:
            if base.is_dir():
                candidate = os.path.abspath(os.path.join(base, name))
                if self.restrict and not candidate.startswith(str(base) + os.sep):
                    outside = True
                    continue
                if os.path.exists(candidate):
                    return Path(candidate), None
            elif base.exists():
                candidate = os.path.join(os.path.dirname(base), name)
                if os.path.exists(candidate) and os.path.samefile(candidate, base):
                    return Path(candidate), None
        return None, "outside" if outside else "missing"


@dataclass
class Expanded:
    lines: list[str]
    origin: list[int]  # 1-based source line of each line
    files: list[Path]  # every file read (for caches)
    problems: list[Problem]


def is_include(line: str) -> bool:
    """True when ``line`` is snippet notation (an include or a block marker), escaped or not."""
    return "8<" in line and _INCLUDE.match(line) is not None


def split_name(spec: str) -> tuple[str, str | None, str | None]:
    """``(name, line selection, section)`` of an include spec (``a.sh:2:3``, ``a.md:part``)."""
    colon = spec.find(":")
    while colon != -1:
        tail = spec[colon:]
        if _LINES_TAIL.match(tail):
            return spec[:colon], tail, None
        if _SECTION_TAIL.match(tail):
            return spec[:colon], None, tail[1:]
        colon = spec.find(":", colon + 1)
    return spec, None, None


def _select(lines: list[str], selection: str | None, section: str | None) -> list[str] | None:
    if selection:
        out: list[str] = []
        total = len(lines)
        for part in selection[1:].split(","):
            bits = part.split(":")
            start = int(bits[0]) if bits[0] not in ("", "-") else None
            end = int(bits[1]) if len(bits) > 1 and bits[1] not in ("", "-") else None
            if start is not None:
                start = max(0, min(total, total + start)) if start < 0 else max(0, start - 1)
            if end is not None and end < 0:
                end = max(0, min(total, total + 1 + end))
            out.extend(lines[slice(start, end)])
        return out
    if section:
        out, inside, found = [], False, False
        for line in lines:
            m = _SECTION.search(line) if "8<" in line else None
            if m and not m.group("escape") and m.group("name").lower() == section.lower():
                if m.group("type").lower() == "start":
                    inside = found = True
                    continue
                if inside:
                    break
            elif m and not m.group("escape"):
                continue
            if inside:
                out.append(line)
        return out if found else None
    return lines


def expand(lines: list[str], snippets: Snippets | None, first_line: int = 1) -> Expanded:
    """Expand the includes in ``lines`` (page lines, the first one being source line
    ``first_line``). Without ``snippets`` the lines stay as they are."""
    result = Expanded([], [], [], [])
    _expand(lines, [first_line + i for i in range(len(lines))], snippets, result, set(), 0)
    return result


def _expand(lines: list[str], origin: list[int], snippets: Snippets | None, out: Expanded,
            seen: set[Path], depth: int, nested_origin: int | None = None) -> None:
    block_open: int | None = None  # source line of an open block marker
    block_names: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        where = nested_origin if nested_origin is not None else origin[index]
        m = _INCLUDE.match(line) if snippets is not None and "8<" in line and len(line) <= MAX_NAME + 32 else None
        if m and m.group("escape"):
            out.lines.append(line.replace(";", "", 1))
            out.origin.append(where)
            continue
        if m and m.group("block") is not None:
            if block_open is None:
                block_open = where
                block_names = []
            else:
                for name_line, space, name in block_names:
                    _include(name, space, name_line, snippets, out, seen, depth, space + name)
                block_open = None
            continue
        if block_open is not None:
            if m and m.group("inline"):
                continue  # inline notation directly in a block is ignored
            name = line.strip()
            if not name:
                block_names.append((where, "", ""))
            elif not name.startswith(";"):
                space = re.match(r"[ \t]*", line).group(0)
                block_names.append((where, space, name))
            continue
        if m and m.group("inline"):
            _include(m.group("name")[1:-1].strip(), m.group("space"), where, snippets, out, seen, depth, line)
            continue
        if snippets is not None and "8<" in line:
            s = _SECTION.search(line)
            if s and not s.group("escape"):
                continue  # section markers never show
        out.lines.append(line)
        out.origin.append(where)
    if block_open is not None:
        out.problems.append(Problem(block_open, "snippet-block-unclosed",
                                    "this --8<-- opens a block of snippet names that is never closed; "
                                    "pymdownx.snippets reads every following line as a file name",
                                    "close the block with another --8<-- line, or escape it as ;--8<--"))
        # keep the lines as they are, so the rest of the page is still checked
        for name_line, space, name in block_names:
            out.lines.append(space + name)
            out.origin.append(name_line)


def _include(spec: str, space: str, where: int, snippets: Snippets | None, out: Expanded,
             seen: set[Path], depth: int, written: str = "") -> None:
    """Insert the lines of the file ``spec`` names. When it cannot be included, the line as
    written stays (the build escapes it, so readers see it) and a problem says why."""
    if not _insert(spec, space, where, snippets, out, seen, depth) and written:
        out.lines.append(written)
        out.origin.append(where)


def _insert(spec: str, space: str, where: int, snippets: Snippets | None, out: Expanded,
            seen: set[Path], depth: int) -> bool:
    """False when the file cannot be included (a problem says why)."""
    if not spec:
        if space == "" and spec == "":
            out.lines.append("")
            out.origin.append(where)
        return True
    if spec.startswith(";"):
        return True
    if snippets is None:
        return True
    name, selection, section = split_name(spec[:MAX_NAME])
    name = name.strip()
    path, reason = snippets.find(name) if name else (None, "missing")
    if path is None:
        if reason == "outside":
            out.problems.append(Problem(where, "snippet-outside",
                                        f"the snippet '{spec}' is outside the snippet folder "
                                        f"({', '.join(_shown(b) for b in snippets.bases)}); pymdownx.snippets refuses it",
                                        "move the file into the snippet folder and include it by its name there"))
        else:
            out.problems.append(Problem(where, "snippet-missing",
                                        f"the snippet '{spec}' does not exist in "
                                        f"{', '.join(_shown(b) for b in snippets.bases) or 'any snippet folder'}",
                                        "check the name, or escape the line as ;--8<-- to show it literally"))
        return False
    if path in seen or depth >= MAX_DEPTH:
        return True  # pymdownx skips a file that is already being included
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except IsADirectoryError:
        out.problems.append(Problem(where, "snippet-unreadable", f"the snippet '{spec}' is a folder, not a file"))
        return False
    except OSError as exc:
        out.problems.append(Problem(where, "snippet-unreadable", f"cannot read the snippet '{spec}': {exc.strerror}"))
        return False
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.problems.append(Problem(where, "snippet-unreadable",
                                    f"the snippet '{spec}' is not UTF-8 text (byte 0x{raw[exc.start]:02x} on its line {line})",
                                    "save the snippet as UTF-8"))
        return False
    out.files.append(path)
    sub = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text else []
    chosen = _select(sub, selection, section)
    if chosen is None:
        out.problems.append(Problem(where, "snippet-missing",
                                    f"the snippet '{name}' has no section '{section}'",
                                    f"mark it with --8<-- [start:{section}] and --8<-- [end:{section}]"))
        return False
    indent = space.expandtabs(snippets.tab_length)
    before = len(out.lines)
    _expand(chosen, [where] * len(chosen), snippets, out, seen | {path}, depth + 1, nested_origin=where)
    for i in range(before, len(out.lines)):
        out.lines[i] = indent + out.lines[i]
    return True


def _shown(base: Path) -> str:
    """A base path as messages show it: its folder name (the same from every working directory)."""
    return base.name + "/"
