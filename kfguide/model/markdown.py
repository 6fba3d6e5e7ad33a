"""A small, line-aware Markdown scanner for the checks (no MkDocs, no rendering).

``scan(text)`` reads one page source once and returns a :class:`Document`:

* ``links``: every link or image an author wrote, in source order, as :class:`Link`
  ``(target, line, kind, title, text, ...)``. ``kind`` is one of

  - ``link``        ``[text](target "title")`` (also ``<target>`` in angle brackets)
  - ``image``       ``![alt](src){ loading=lazy }`` (also ``![alt][ref]``)
  - ``ref``         ``[text][label]``, ``[label][]`` and ``[label]`` whose label is defined
  - ``autolink``    ``<https://...>``
  - ``html-a``      raw HTML ``<a href="...">``
  - ``html-img``    raw HTML ``<img src="...">`` (``text`` is the ``alt`` attribute, ``None``
    when the attribute is absent)
  - ``html-srcset`` one entry of ``<source srcset>`` / ``<img srcset>``

  Links inside inline code, fenced code, indented code and HTML comments are not links.
  Reference links carry the definition's target; an undefined ``[text][label]`` is listed in
  ``undefined_refs`` instead.
* ``headings``: :class:`Heading` ``(level, text, id, line, explicit)``. ``id`` is the explicit
  attr_list id (``## 제목 {#my-id}``) or the id the real build computes: toc with
  ``pymdownx.slugs.slugify(case="lower")``, duplicates suffixed ``_1``, ``_2``.
* ``ids``: every fragment a reader can link to on the page: heading ids, attr_list ids
  (``{#id}``, ``{: #id }``), raw HTML ``id=`` / ``<a name=>``, tab ids (pymdownx.tabbed with
  slugify), footnote ids.
* ``code_blocks``: :class:`CodeBlock` ``(lang, info, start_line, body, closed, indent)``; ``body``
  is ``[(line, text), ...]`` with the fence's own indentation removed. Fences indented inside
  admonitions, tabs (``=== "bash"``) and lists are fenced code too. Indented code blocks are
  listed with ``lang == ""`` and ``fenced == False``.
* ``front_matter`` (dict) and ``front_matter_error`` (message or ``None``,
  ``front_matter_error_line``).
* ``problems``: structural problems found while scanning, as ``(line, check, message)``
  (``markdown-unclosed-fence``). Checks turn these into findings.

Line numbers are 1-based in the original source, front matter included.

``expand_snippets(body, resolver)`` expands pymdownx.snippets include lines
(``--8<-- "kfui-alias.sh"``) inside a code block body; every inserted line carries the line
number of the include line, so a finding about included text points at the include.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable

import yaml

from kfguide.model import memo, yamltext

__all__ = [
    "Link",
    "Heading",
    "CodeBlock",
    "Document",
    "scan",
    "slugify",
    "heading_plain_text",
    "expand_snippets",
    "SNIPPET_RE",
]


# --------------------------------------------------------------------------------------------
# Data model


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    kind: str
    title: str | None = None
    text: str | None = None  # link text, or alt text for images (None: html-img without alt)
    column: int = 0  # 0-based column of the link's first character on ``line``
    ref: str | None = None  # reference label for reference-style links and images
    ref_line: int = 0  # line of the reference definition

    @property
    def is_image(self) -> bool:
        return self.kind in ("image", "html-img", "html-srcset")

    @property
    def is_raw_html(self) -> bool:
        return self.kind.startswith("html-")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str
    line: int
    explicit: bool = False


@dataclass
class CodeBlock:
    lang: str
    info: str
    start_line: int
    body: list[tuple[int, str]] = field(default_factory=list)
    closed: bool = True
    indent: str = ""
    fenced: bool = True

    @property
    def end_line(self) -> int:
        if self.body:
            return self.body[-1][0] + (1 if self.closed and self.fenced else 0)
        return self.start_line + (1 if self.closed and self.fenced else 0)

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.body)


@dataclass
class Document:
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    front_matter: dict = field(default_factory=dict)
    front_matter_error: str | None = None
    front_matter_error_line: int = 0
    definitions: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)
    undefined_refs: list[Link] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    line_count: int = 0

    @property
    def title(self) -> str | None:
        """The page title as Material shows it: front matter ``title`` or the first h1."""
        if isinstance(self.front_matter.get("title"), str):
            return self.front_matter["title"]
        for heading in self.headings:
            if heading.level == 1:
                return heading.text
        return None

    @property
    def images(self) -> list[Link]:
        return [link for link in self.links if link.is_image]


# --------------------------------------------------------------------------------------------
# Slugs (as the build computes heading ids)

_RE_TAGS = re.compile(r"</?[^>]*>")
_RE_INVALID_SLUG_CHAR = re.compile(r"[^\w\- ]")


def slugify(text: str, sep: str = "-") -> str:
    """pymdownx.slugs.slugify(case="lower") as configured in mkdocs.yml."""
    slug = _RE_TAGS.sub("", unicodedata.normalize("NFC", text)).strip().lower()
    return _RE_INVALID_SLUG_CHAR.sub("", slug).replace(" ", sep)


def _unique(id_: str, used: set[str]) -> str:
    """markdown.extensions.toc.unique: append ``_1``, ``_2``... until the id is free."""
    if id_ in used or not id_:
        m = re.match(r"^(.*)_([0-9]+)$", id_)
        base, count = (m.group(1), int(m.group(2))) if m else (id_, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        id_ = f"{base}_{count}"
    used.add(id_)
    return id_


_SMART_SYMBOLS = [
    ("<-->", "\u2194"),
    ("-->", "\u2192"),
    ("<--", "\u2190"),
    ("=/=", "\u2260"),
    ("+/-", "\u00b1"),
    ("(tm)", "\u2122"),
    ("(c)", "\u00a9"),
    ("(r)", "\u00ae"),
    ("c/o", "\u2105"),
]
_RE_INLINE_CODE_H = re.compile(r"(`+)(.+?)\1")
_RE_IMAGE_H = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_RE_LINK_H = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_RE_FNREF_H = re.compile(r"\[\^[^\]]+\]")
_RE_EMPH_H = re.compile(r"(\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)|==|\^\^|\+\+)")
_RE_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>:|\"'~=^])")


def heading_plain_text(text: str) -> str:
    """The text toc slugifies: inline Markdown rendered, tags stripped, entities decoded."""
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(html.escape(m.group(2).strip(), quote=False))
        return f"\x00{len(codes) - 1}\x00"

    text = _RE_INLINE_CODE_H.sub(keep_code, text)
    text = _RE_FNREF_H.sub("", text)
    text = _RE_IMAGE_H.sub("", text)
    text = _RE_LINK_H.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    escapes: list[str] = []

    def keep_escape(m: re.Match) -> str:
        escapes.append(m.group(1))
        return f"\x01{len(escapes) - 1}\x01"

    text = _RE_ESCAPE.sub(keep_escape, text)
    text = _RE_EMPH_H.sub("", text)
    for plain, symbol in _SMART_SYMBOLS:
        text = text.replace(plain, symbol)
    text = re.sub(r"\x01(\d+)\x01", lambda m: escapes[int(m.group(1))], text)
    text = _RE_TAGS.sub("", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return html.unescape(text).strip()


# --------------------------------------------------------------------------------------------
# Scanner

_FENCE_OPEN = re.compile(r"^(?P<ws>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])[ \t]+")
_CONTAINER = re.compile(r"^(?:!!!|\?\?\?\+?|===\+?|:)[ \t]|^\[\^[^\]\n]+\]:")
_ATX = re.compile(r"^(#{1,6})(.*?)$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_HEADER_ATTR = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}[ ]*$")
_ATTR_BRACES = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_ATTR_TOKENS = re.compile(r"^(?:\s*(?:#[^\s}]+|\.[^\s}]+|[\w:-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+)|[\w-]+))*\s*$")
_DEFINITION = re.compile(
    r"^[ \t]*\[(?!\^)([^\[\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)"
    r"(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$"
)
_FOOTNOTE_DEF = re.compile(r"^[ \t]*\[\^([^\]\n]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\n]+)\](?!:)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>", re.S)
_HTML_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?", re.S)
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)|(?:mailto:[^\s<>]+))>")
_TAB_TITLE = re.compile(r"^===\+?[ \t]+\"(.*)\"")
_BACKTICKS = re.compile(r"`+")
_NON_NEWLINE = re.compile(r"[^\n]")
_BRACKET_TOKENS = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.S)
# "(destination title)" with one level of nested parentheses; linear (no backtracking)
_DEST_PARENS = re.compile(r"\((?:[^()\\]|\\.)*(?:\((?:[^()\\]|\\.)*\)(?:[^()\\]|\\.)*)*\)", re.S)
_CANDIDATE = re.compile(r"[\[\\!]")
_LAZY_SPACE = re.compile(r"\n[ \t]*\n")
_FM_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _lang_of(info: str) -> str:
    info = info.strip()
    if info.startswith("{"):
        m = re.search(r"\.([\w+#-]+)", info)
        return m.group(1).lower() if m else ""
    m = re.match(r"[\w+#.-]+", info)
    return m.group(0).lower() if m else ""


class _Scanner:
    def __init__(self, text: str):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = self.text.split("\n")
        self.doc = Document(line_count=len(self.lines))
        # masked[i] is the line as inline scanning sees it ("" for code and front matter)
        self.masked = list(self.lines)
        self.code_line = [False] * len(self.lines)

    # -- front matter ------------------------------------------------------------------------
    def front_matter(self) -> int:
        """Parse YAML front matter as MkDocs does; return the number of lines it spans."""
        m = _FM_RE.match(self.text)
        if not m:
            return 0
        span = m.group(0).count("\n")
        try:
            data = yamltext.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = (mark.line + 2) if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.doc.front_matter_error = f"front matter is not valid YAML: {problem}"
            self.doc.front_matter_error_line = line
            return 0  # MkDocs renders broken front matter as page text
        if not isinstance(data, dict):
            if data is not None:
                self.doc.front_matter_error = "front matter is not a mapping of keys to values"
                self.doc.front_matter_error_line = 2
            return 0 if data is not None else span
        self.doc.front_matter = data
        return span

    # -- blocks ------------------------------------------------------------------------------
    def blocks(self, start: int) -> None:
        lines = self.lines
        stack = [0]  # content indents of open containers (lists, admonitions, tabs)
        prev_blank = True
        in_indented: CodeBlock | None = None
        prev_text_line: int | None = None  # index of previous paragraph line (setext)
        i = start
        n = len(lines)
        while i < n:
            line = lines[i]
            if not line.strip():
                prev_blank = True
                if in_indented is not None:
                    in_indented.body.append((i + 1, ""))
                prev_text_line = None
                i += 1
                continue
            ind = _indent_width(line)
            stripped = line.strip()
            # leaving containers
            if ind < stack[-1] and (prev_blank or _LIST_ITEM.match(stripped) or _CONTAINER.match(stripped)
                                    or stripped.startswith(("#", "```", "~~~"))):
                while len(stack) > 1 and ind < stack[-1]:
                    stack.pop()
            # indented code block
            if ind >= stack[-1] + 4 and (prev_blank or in_indented is not None) and prev_text_line is None:
                if in_indented is None:
                    in_indented = CodeBlock("", "", i + 1, [], True, " " * (stack[-1] + 4), fenced=False)
                    self.doc.code_blocks.append(in_indented)
                in_indented.body.append((i + 1, _dedent(line, stack[-1] + 4)))
                self._mask(i)
                prev_blank = False
                i += 1
                continue
            if in_indented is not None:
                while in_indented.body and not in_indented.body[-1][1].strip():
                    in_indented.body.pop()
                in_indented = None
            # fenced code
            m = _FENCE_OPEN.match(line)
            if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
                i = self.fence(i, m)
                prev_blank = False
                prev_text_line = None
                continue
            body = stripped
            if _CONTAINER.match(body):
                stack.append(ind + 4)
                tab = _TAB_TITLE.match(body)
                if tab:
                    self.tabs.append((i + 1, tab.group(1)))
            else:
                lm = _LIST_ITEM.match(body)
                if lm:
                    stack.append(ind + 4)
            # headings
            if ind < stack[-1] + 4:
                hm = _ATX.match(body)
                if hm:
                    self.heading(i, len(hm.group(1)), hm.group(2))
                    prev_text_line = None
                    prev_blank = False
                    i += 1
                    continue
                sm = _SETEXT.match(body)
                if sm and prev_text_line is not None and not prev_blank:
                    level = 1 if sm.group(1)[0] == "=" else 2
                    self.heading(prev_text_line, level, lines[prev_text_line].strip(), setext=True)
                    self.masked[i] = ""
                    prev_text_line = None
                    prev_blank = False
                    i += 1
                    continue
            if _DEFINITION.match(line) or _FOOTNOTE_DEF.match(line):
                prev_text_line = None
            else:
                prev_text_line = i
            prev_blank = False
            i += 1
        if in_indented is not None:
            while in_indented.body and not in_indented.body[-1][1].strip():
                in_indented.body.pop()

    def fence(self, i: int, m: re.Match) -> int:
        lines = self.lines
        ws = m.group("ws")
        fence = m.group("fence")
        info = m.group("info")
        block = CodeBlock(_lang_of(info), info, i + 1, [], False, ws)
        self.doc.code_blocks.append(block)
        self._mask(i)
        close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        width = _indent_width(ws)
        j = i + 1
        while j < len(lines):
            self._mask(j)
            if close.match(lines[j]):
                block.closed = True
                return j + 1
            block.body.append((j + 1, _dedent(lines[j], width)))
            j += 1
        self.doc.problems.append(
            (i + 1, "markdown-unclosed-fence",
             f"code fence {fence!r} opened here is never closed; the rest of the page renders as code")
        )
        return j

    def _mask(self, i: int) -> None:
        self.masked[i] = ""
        self.code_line[i] = True

    def heading(self, i: int, level: int, raw: str, setext: bool = False) -> None:
        raw = raw.rstrip()
        if not setext:
            raw = re.sub(r"[ \t]*#+[ \t]*$", "", raw) if not re.fullmatch(r"#+", raw.strip()) else ""
        explicit = None
        am = _HEADER_ATTR.search(raw)
        if am and _ATTR_TOKENS.match(am.group(1)):
            idm = _ATTR_ID.search(" " + am.group(1))
            if idm:
                explicit = idm.group(1)
            raw = raw[: am.start()]
        self.pending_headings.append((i + 1, level, raw.strip(), explicit))

    # -- inline ------------------------------------------------------------------------------
    def inline(self) -> None:
        text = "\n".join(self.masked)
        text = _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        text = self.mask_code_spans(text)
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.flat = text
        # definitions first (reference links need them)
        masked_lines = text.split("\n")
        for idx, line in enumerate(masked_lines):
            dm = _DEFINITION.match(line)
            if dm:
                target = dm.group(2)
                if target.startswith("<") and target.endswith(">"):
                    target = target[1:-1]
                title = dm.group(3)[1:-1] if dm.group(3) else None
                label = _norm_label(dm.group(1))
                self.doc.definitions.setdefault(label, (target, title, idx + 1))
                masked_lines[idx] = ""
                continue
            fm = _FOOTNOTE_DEF.match(line)
            if fm:
                self.doc.ids.add(f"fn:{fm.group(1)}")
        text = "\n".join(masked_lines)
        self.flat = text
        for fm in _FOOTNOTE_REF.finditer(text):
            self.doc.ids.add(f"fnref:{fm.group(1)}")
        self.found: list[tuple[int, Link]] = []
        self.pairs = self.bracket_pairs(text)
        self.parse_links(text, 0, len(text))
        self.html(text)
        for am in _AUTOLINK.finditer(text):
            line, col = self.pos(am.start())
            self.found.append((am.start(), Link(am.group(1), line, "autolink", None, am.group(1), col)))
        for bm in _ATTR_BRACES.finditer(text):
            if _ATTR_TOKENS.match(bm.group(1)):
                for idm in _ATTR_ID.finditer(" " + bm.group(1)):
                    self.doc.ids.add(idm.group(1))
        self.found.sort(key=lambda item: item[0])
        self.doc.links = [link for _, link in self.found]

    def mask_code_spans(self, text: str) -> str:
        """Blank out inline code spans (linear: runs are paired by length with bisect)."""
        runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
        if not runs:
            return text
        breaks = [m.start() for m in _LAZY_SPACE.finditer(text)]
        by_len: dict[int, list[int]] = {}
        for a, b in runs:
            by_len.setdefault(b - a, []).append(a)
        out: list[str] = []
        done = 0  # text[:done] is already in out
        for a, b in runs:
            if a < done:
                continue
            if a > 0 and text[a - 1] == "\\" and (a < 2 or text[a - 2] != "\\"):
                continue
            same = by_len[b - a]
            k = bisect.bisect_left(same, b)
            if k >= len(same):
                continue
            close = same[k]
            brk = bisect.bisect_left(breaks, b)
            if brk < len(breaks) and breaks[brk] < close:
                continue  # code spans never cross a blank line
            end = close + (b - a)
            out.append(text[done:a])
            out.append(_NON_NEWLINE.sub(" ", text[a:end]))
            done = end
        out.append(text[done:])
        return "".join(out)

    def bracket_pairs(self, s: str) -> dict[int, int]:
        """``[`` offset -> matching ``]`` offset, never across a blank line (one pass)."""
        pairs: dict[int, int] = {}
        stack: list[int] = []
        for m in _BRACKET_TOKENS.finditer(s):
            tok = m.group(0)
            if tok == "[":
                stack.append(m.start())
            elif tok == "]":
                if stack:
                    pairs[stack.pop()] = m.start()
            elif tok[0] == "\n":
                stack.clear()
        return pairs

    def pos(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self.starts, offset) - 1
        return self.start_line_no + idx, offset - self.starts[idx]

    def match_bracket(self, s: str, i: int, end: int) -> int:
        close = self.pairs.get(i, -1)
        return close if close < end else -1

    def parse_dest(self, s: str, i: int, end: int):
        """``(target, title, end)`` for ``(target "title")`` starting at ``s[i] == "("``."""
        j = i + 1
        while j < end and s[j] in " \t\n":
            j += 1
        if j < end and s[j] == "<":
            limit = min(end, j + 4096)
            k = s.find(">", j, limit)
            if k < 0 or "\n" in s[j:k]:
                return None
            target = s[j + 1:k]
            rest_start = k + 1
            close = s.find(")", rest_start, limit)
            if close < 0:
                return None
            rest = s[rest_start:close].strip()
            title = rest[1:-1] if len(rest) >= 2 and rest[0] in "\"'(" else None
            return target, title, close + 1
        m = _DEST_PARENS.match(s, i, end)
        if m is None or _LAZY_SPACE.search(s, i, m.end()):
            return None
        k = m.end() - 1
        inner = s[i + 1:k].strip()
        title = None
        tm = re.match(r"^(\S+)\s+(\"(.*)\"|'(.*)'|\((.*)\))\s*$", inner, re.S)
        if tm:
            inner = tm.group(1)
            title = next(g for g in tm.groups()[2:] if g is not None)
        return inner, title, k + 1

    def parse_links(self, s: str, start: int, end: int) -> None:
        i = start
        while i < end:
            c = s[i]
            if c == "\\":
                i += 2
                continue
            image = c == "!" and i + 1 < end and s[i + 1] == "["
            if not (c == "[" or image):
                m = _CANDIDATE.search(s, i + 1, end)
                if m is None:
                    return
                i = m.start()
                continue
            open_ = i + 1 if image else i
            if s.startswith("[^", open_):  # footnote reference
                i = open_ + 2
                continue
            close = self.match_bracket(s, open_, end)
            if close < 0:
                i = open_ + 1
                continue
            text = s[open_ + 1:close]
            after = close + 1
            kind = "image" if image else "link"
            if after < end and s[after] == "(":
                dest = self.parse_dest(s, after, end)
                if dest is not None:
                    target, title, stop = dest
                    stop = self.attr_after(s, stop, end)
                    line, col = self.pos(i)
                    self.add(i, Link(target, line, kind, title, _clean_text(text), col))
                    if not image:
                        self.parse_links(s, open_ + 1, close)
                    i = stop
                    continue
            if after < end and s[after] == "[":
                close2 = s.find("]", after + 1, end)
                if close2 >= 0 and "\n\n" not in s[after:close2]:
                    label = s[after + 1:close2] or text
                    self.reference(i, image, text, label, explicit=True)
                    if not image:
                        self.parse_links(s, open_ + 1, close)
                    i = self.attr_after(s, close2 + 1, end)
                    continue
            # shortcut reference: only when defined
            label = _norm_label(text)
            if label in self.doc.definitions and not re.fullmatch(r"[ xX]", text):
                self.reference(i, image, text, text, explicit=False)
                i = self.attr_after(s, after, end)
                continue
            i = open_ + 1

    def attr_after(self, s: str, i: int, end: int) -> int:
        if i < end and s[i] == "{":
            close = s.find("}", i, end)
            if close >= 0 and "\n" not in s[i:close] and _ATTR_TOKENS.match(s[i + 1:close].lstrip(":")):
                return close + 1
        return i

    def reference(self, offset: int, image: bool, text: str, label: str, explicit: bool) -> None:
        line, col = self.pos(offset)
        norm = _norm_label(label)
        definition = self.doc.definitions.get(norm)
        kind = "image" if image else "ref"
        if definition is None:
            if explicit:
                self.doc.undefined_refs.append(Link("", line, kind, None, _clean_text(text), col, label))
            return
        target, title, def_line = definition
        self.add(offset, Link(target, line, kind, title, _clean_text(text), col, label, def_line))

    def add(self, offset: int, link: Link) -> None:
        self.found.append((offset, link))

    def html(self, s: str) -> None:
        for tm in _HTML_TAG.finditer(s):
            tag = tm.group(1).lower()
            attrs_text = tm.group(2) or ""
            if not attrs_text.strip():
                continue
            attrs: dict[str, str | None] = {}
            for am in _HTML_ATTR.finditer(attrs_text):
                value = am.group(2)
                if value is not None and value[:1] in "\"'":
                    value = value[1:-1]
                attrs.setdefault(am.group(1).lower(), None if value is None else html.unescape(value))
            if attrs.get("id"):
                self.doc.ids.add(attrs["id"])
            if tag == "a" and attrs.get("name"):
                self.doc.ids.add(attrs["name"])
            line, col = self.pos(tm.start())
            # attributes may sit on later lines of a multi-line tag
            def attr_line(name: str) -> int:
                am = re.search(r"(?<![\w-])" + re.escape(name) + r"\s*=", attrs_text, re.I)
                if not am:
                    return line
                return self.pos(tm.start(2) + am.start())[0]

            if tag == "a" and attrs.get("href") is not None:
                self.add(tm.start(), Link(attrs["href"] or "", attr_line("href"), "html-a", attrs.get("title"), None, col))
            if tag == "img" and "src" in attrs:
                self.add(tm.start(), Link(attrs["src"] or "", attr_line("src"), "html-img", attrs.get("title"), attrs.get("alt"), col))
            if tag in ("img", "source") and attrs.get("srcset"):
                for entry in attrs["srcset"].split(","):
                    url = entry.strip().split()[0] if entry.strip() else ""
                    if url:
                        self.add(tm.start() + 1, Link(url, attr_line("srcset"), "html-srcset", None, attrs.get("alt"), col))

    # -- ids ---------------------------------------------------------------------------------
    def finish_ids(self) -> None:
        used = set(self.doc.ids)
        for _, _, _, explicit in self.pending_headings:
            if explicit:
                used.add(explicit)
        for line, level, raw, explicit in self.pending_headings:
            plain = heading_plain_text(raw)
            hid = explicit if explicit else _unique(slugify(plain), used)
            self.doc.headings.append(Heading(level, plain, hid, line, bool(explicit)))
            self.doc.ids.add(hid)
        for _, title in self.tabs:
            self.doc.ids.add(_unique(slugify(heading_plain_text(title)), used))

    def run(self) -> Document:
        self.pending_headings: list[tuple[int, int, str, str | None]] = []
        self.tabs: list[tuple[int, str]] = []
        fm_lines = self.front_matter()
        for idx in range(fm_lines):
            self.masked[idx] = ""
        self.start_line_no = 1
        self.blocks(fm_lines)
        self.inline()
        self.finish_ids()
        return self.doc


def _dedent(line: str, width: int) -> str:
    """Remove up to ``width`` columns of leading whitespace."""
    col = 0
    idx = 0
    while idx < len(line) and col < width and line[idx] in " \t":
        col += 4 - col % 4 if line[idx] == "\t" else 1
        idx += 1
    return line[idx:]


def _norm_label(label: str) -> str:
    return " ".join(label.split()).lower()


def _clean_text(text: str) -> str:
    return " ".join(text.split())


#: Documents by the exact source text they were scanned from: several checks and builders scan
#: the same page in one build, and `mkdocs serve` rescans only the pages that changed. A
#: Document is never modified after the scan (kfguide.model.site.add_ids replaces it).
_SCANNED = memo.store("markdown-scan", maxsize=4096)


def scan(text: str) -> Document:
    """Scan one Markdown page source (str). Never raises on odd Markdown."""
    doc = _SCANNED.get(text)
    if doc is None:
        doc = _Scanner(text).run()
        _SCANNED.put(text, doc)
    return doc


# --------------------------------------------------------------------------------------------
# pymdownx.snippets

#: A single-line include, as pymdownx.snippets accepts it: ``--8<-- "name"`` (quotes optional
#: style ``'name'``). A leading ``;`` escapes the include (the line is shown without one ``;``).
SNIPPET_RE = re.compile(
    r"^(?P<space>[ \t]*)(?P<escape>;*)(?P<marker>-{1,}8<-{1,}[ \t]+)"
    r"(?P<snippet>\"(?:\\\"|[^\"\n])+?\"|'(?:\\'|[^'\n])+?')(?![ \t])[ \t]*$"
)
_SNIPPET_BLOCK = re.compile(r"^(?P<space>[ \t]*)(?P<escape>;*)-{1,}8<-{1,}[ \t]*$")
_SNIPPET_LINES = re.compile(r"^(?P<name>.*?)(?::(?P<start>-?\d*))?(?::(?P<end>-?\d*))?$")


def expand_snippets(
    body: Iterable[tuple[int, str]],
    resolver: Callable[[str], str | None],
    *,
    on_missing: Callable[[int, str], None] | None = None,
    depth: int = 0,
) -> list[tuple[int, str]]:
    """Expand snippet includes in ``body`` (``[(line, text), ...]``).

    ``resolver(name)`` returns the included file's text or ``None`` when it does not exist
    (``on_missing(line, name)`` is then called and the include line is kept). Every inserted
    line carries the line number of its include line. Nested includes are expanded up to a
    depth of 4. Line selections (``"file.sh:2:3"``) are honoured.
    """
    out: list[tuple[int, str]] = []
    items = list(body)
    idx = 0
    while idx < len(items):
        lineno, text = items[idx]
        m = SNIPPET_RE.match(text)
        names: list[tuple[str, str]] = []
        if m:
            if m.group("escape"):
                out.append((lineno, text.replace(";", "", 1)))
                idx += 1
                continue
            names = [(m.group("space"), m.group("snippet")[1:-1])]
            idx += 1
        else:
            bm = _SNIPPET_BLOCK.match(text)
            if bm and not bm.group("escape"):
                # block form: names on the following lines up to the closing marker
                j = idx + 1
                block: list[tuple[str, str]] = []
                while j < len(items) and not _SNIPPET_BLOCK.match(items[j][1]):
                    name = items[j][1].strip()
                    if name and not name.startswith(";"):
                        block.append((bm.group("space"), name))
                    j += 1
                if j < len(items):
                    names = block
                    idx = j + 1
                else:
                    out.append((lineno, text))
                    idx += 1
                    continue
            else:
                out.append((lineno, text))
                idx += 1
                continue
        for space, spec in names:
            sm = _SNIPPET_LINES.match(spec)
            name = spec
            start = end = None
            if sm and (sm.group("start") is not None) and re.fullmatch(r"-?\d*", sm.group("start") or ""):
                name = sm.group("name")
                start = int(sm.group("start")) if sm.group("start") else None
                end = int(sm.group("end")) if sm.group("end") else None
            content = resolver(name)
            if content is None and name != spec:
                content, name, start, end = resolver(spec), spec, None, None
            if content is None:
                if on_missing is not None:
                    on_missing(lineno, spec)
                out.append((lineno, f"{space}--8<-- \"{spec}\""))
                continue
            sub = content.replace("\r\n", "\n").split("\n")
            if sub and sub[-1] == "":
                sub.pop()
            if start is not None or end is not None:
                lo = (start - 1) if start and start > 0 else 0
                hi = end if end and end > 0 else len(sub)
                sub = sub[lo:hi]
            inserted = [(lineno, space + s if s else s) for s in sub]
            if depth < 4:
                inserted = expand_snippets(inserted, resolver, on_missing=on_missing, depth=depth + 1)
            out.extend(inserted)
    return out
