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

from kfguide.model import snippets as snippets_mod
from kfguide.model import yamlsafe

from kfguide.model import memo

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
    #: an include in this block failed (snippet-missing...): its text is not what readers see
    broken_include: bool = False

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
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, check, message, hint)
    line_count: int = 0
    included_files: list = field(default_factory=list)  # snippet files read (pathlib.Path)
    #: offsets (in the scanned text) of every "<!--" that Python-Markdown shows as text
    unclosed_comments: list[int] = field(default_factory=list)

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
_RE_EMOJI_H = re.compile(r":([+\-\w]+):")
#: Icon sets Material ships (``:material-check:``, ``:fontawesome-brands-github:``...).
_ICON_PREFIXES = ("material-", "fontawesome-", "octicons-", "simple-")
_EMOJI_NAMES: set[str] | None = None


def _is_emoji(name: str) -> bool:
    """Whether pymdownx.emoji (twemoji index plus Material's icons) turns ``:name:`` into an
    image, which the heading id then leaves out."""
    global _EMOJI_NAMES
    if name.startswith(_ICON_PREFIXES):
        return True
    if _EMOJI_NAMES is None:
        try:
            from pymdownx import twemoji_db

            _EMOJI_NAMES = {k.strip(":") for k in (*twemoji_db.emoji, *twemoji_db.aliases)}
        except ImportError:  # pragma: no cover - pymdownx is pinned in requirements.txt
            _EMOJI_NAMES = set()
    return name in _EMOJI_NAMES


_RE_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>:|\"'~=^])")


def heading_plain_text(text: str) -> str:
    """The text toc slugifies: inline Markdown rendered, tags stripped, entities decoded."""
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(html.escape(m.group(2).strip(), quote=False))
        return f"\x00{len(codes) - 1}\x00"

    text = _RE_INLINE_CODE_H.sub(keep_code, text)
    text = _RE_EMOJI_H.sub(lambda m: "" if _is_emoji(m.group(1)) else m.group(0), text)
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
#
# Every pattern below either matches within one line or is applied from a position the scanner
# chose, and none can backtrack over what it already passed (possessive quantifiers where
# alternatives overlap), so a page is scanned in time linear in its size.

_FENCE_OPEN = re.compile(r"^(?P<ws>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])[ \t]+")
_CONTAINER = re.compile(r"^(?:!!!|\?\?\?\+?|===\+?|:)[ \t]|^\[\^[^\]\n]+\]:")
_ATX = re.compile(r"^(#{1,6})(.*?)$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_ATTR_BRACES = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_ATTR_TOKENS = re.compile(
    r"^(?:\s*+(?:#[^\s}]++|\.[^\s}]++|[\w:-]++=(?:\"[^\"]*+\"|'[^']*+'|[^\s}]++)|[\w-]++)(?=\s|$))*+\s*+$"
)
# Python-Markdown's ReferenceProcessor.RE (markdown/blockprocessors.py), on the page text
_DEFINITION = re.compile(
    r"^[ \t]*\[(?!\^)([^\[\]\n]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
    r"(?:([\"'])([^\n]*)\3[ ]*|\(([^\n]*)\)[ ]*)?$",
    re.M,
)
_FOOTNOTE_DEF = re.compile(r"^[ \t]*\[\^([^\]\n]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\[\n]+)\](?!:)")
_HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>", re.S)
_HTML_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?", re.S)
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)|(?:mailto:[^\s<>]+))>")
_TAB_TITLE = re.compile(r"^===\+?[ \t]+\"(.*)\"")
_BACKTICKS = re.compile(r"`+")
_NON_NEWLINE = re.compile(r"[^\n]")
_BRACKET_TOKENS = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.S)
# "(destination title)" with one level of nested parentheses
_DEST_PARENS = re.compile(
    r"\((?:[^()\\]|\\.)*+(?:\((?:[^()\\]|\\.)*+\)(?:[^()\\]|\\.)*+)*+\)", re.S)
_CANDIDATE = re.compile(r"[\[\\!]")
_LAZY_SPACE = re.compile(r"\n[ \t]*\n")
_FM_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_FM_OPEN = re.compile(r"^-{3}[ \t]*\n")
# a tag at the start of a line (raw HTML blocks), and any tag or comment inside one
_LINE_TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
_ANY_TAG = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)(>?)")
_MARKDOWN_ATTR = re.compile(r"""(?:^|\s)markdown(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.I)
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|=:")
_ESCAPE = re.compile(r"\\(.)")

#: Python-Markdown's block-level elements (Markdown().block_level_elements with mkdocs.yml's
#: extensions): a line starting with one of these opens a raw HTML block.
BLOCK_TAGS = frozenset("""
address article aside blockquote body canvas center colgroup dd details div dl dt fieldset
figcaption figure footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li
main map math menu nav noscript object ol option output p pre progress script section style
summary table tbody td textarea tfoot th thead tr ul video
""".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements whose content the HTML parser (and so the browser) reads as text, not tags.
_CDATA = frozenset({"script", "style"})
#: Raw even with a markdown attribute (md_in_html).
_ALWAYS_RAW = frozenset({"pre", "script", "style", "textarea"})


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


def unescape_target(target: str) -> str:
    """A link destination as Python-Markdown writes it into href: backslash escapes of the
    characters it can escape lose their backslash, HTML entities are what the browser reads."""
    if "\\" in target:
        target = _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in _ESCAPABLE else m.group(0), target)
    if "&" in target:
        target = html.unescape(target)
    return target


def _blank(text: str) -> str:
    """Same length, newlines kept: offsets and columns stay valid."""
    return _NON_NEWLINE.sub(" ", text)


class _Scanner:
    def __init__(self, text: str, snippets=None):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.source_lines = self.text.split("\n")
        self.snippets = snippets
        self.doc = Document(line_count=len(self.source_lines))

    # -- front matter ------------------------------------------------------------------------
    def front_matter(self) -> int:
        """Parse YAML front matter as MkDocs does; return the number of lines it spans."""
        m = _FM_RE.match(self.text)
        if not m:
            if _FM_OPEN.match(self.text) and len(self.source_lines) > 1 and self.source_lines[1].strip() \
                    and re.match(r"^[A-Za-z_][\w-]*\s*:", self.source_lines[1]):
                self.problem(1, "front-matter-unclosed",
                             "front matter opened with --- is never closed; MkDocs shows it as page text",
                             "end the front matter with a --- line")
            return 0
        span = m.group(0).count("\n")
        data, problem = yamlsafe.load(m.group(1))
        if problem is not None:
            self.doc.front_matter_error = (f"front matter is not valid YAML: {problem.message}" if problem.kind == "syntax"
                                           else f"front matter {problem.message}")
            self.doc.front_matter_error_line = problem.line + 1
            return 0  # MkDocs renders broken front matter as page text
        if not isinstance(data, dict):
            if data is not None:
                self.doc.front_matter_error = "front matter is not a mapping of keys to values"
                self.doc.front_matter_error_line = 2
            return 0 if data is not None else span
        self.doc.front_matter = data
        return span

    def problem(self, line: int, check: str, message: str, hint: str = "") -> None:
        self.doc.problems.append((line, check, message, hint))

    # -- lines ---------------------------------------------------------------------------------
    def ln(self, i: int) -> int:
        """The source line (1-based) of expanded line index ``i``."""
        return self.origin[i] if i < len(self.origin) else self.doc.line_count

    def _mask(self, i: int) -> None:
        self.md[i] = ""
        self.htm[i] = ""

    # -- blocks ------------------------------------------------------------------------------
    def blocks(self, start: int) -> None:
        lines = self.lines
        stack = [0]  # content indents of open containers (lists, admonitions, tabs)
        md_elements: list[str] = []  # open md_in_html elements
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
                    in_indented.body.append((self.ln(i), ""))
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
                    in_indented = CodeBlock("", "", self.ln(i), [], True, " " * (stack[-1] + 4), fenced=False)
                    self.doc.code_blocks.append(in_indented)
                in_indented.body.append((self.ln(i), _dedent(line, stack[-1] + 4)))
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
                after = self.fence(i, m)
                if after is not None:
                    i = after
                    prev_blank = False
                    prev_text_line = None
                    continue
                # never closed: the fence line is text and the rest is Markdown
            # raw HTML: a block-level tag or a comment at the start of a line
            if ind <= 3 and stripped.startswith("<"):
                after = self.html_block(i, md_elements)
                if after is not None:
                    i = after
                    prev_blank = False
                    prev_text_line = None
                    continue
            body = stripped
            if _CONTAINER.match(body):
                stack.append(ind + 4)
                tab = _TAB_TITLE.match(body)
                if tab:
                    self.tabs.append((self.ln(i), tab.group(1)))
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
                    self.md[i] = ""
                    prev_text_line = None
                    prev_blank = False
                    i += 1
                    continue
            if re.match(r"^[ \t]*\[(?!\^)[^\[\]\n]*\]:", line) or _FOOTNOTE_DEF.match(line):
                prev_text_line = None
            else:
                prev_text_line = i
            prev_blank = False
            i += 1
        if in_indented is not None:
            while in_indented.body and not in_indented.body[-1][1].strip():
                in_indented.body.pop()

    def fence(self, i: int, m: re.Match) -> int | None:
        """Mask a fenced block; the index after it, or None when it is never closed (then
        superfences shows the fence line as text and the lines after it as Markdown)."""
        lines = self.lines
        ws = m.group("ws")
        fence = m.group("fence")
        info = m.group("info")
        char, size = fence[0], len(fence)
        width = _indent_width(ws)
        j = i + 1
        body: list[tuple[int, str]] = []
        while j < len(lines):
            candidate = lines[j].strip()
            if candidate and candidate[0] == char and len(candidate) >= size and candidate == char * len(candidate):
                block = CodeBlock(_lang_of(info), info, self.ln(i), body, True, ws)
                block.broken_include = any(snippets_mod.is_include(text) and number in self.failed_includes
                                           for number, text in body)
                self.doc.code_blocks.append(block)
                for k in range(i, j + 1):
                    self._mask(k)
                return j + 1
            body.append((self.ln(j), _dedent(lines[j], width)))
            j += 1
        self.doc.code_blocks.append(CodeBlock(_lang_of(info), info, self.ln(i), [], False, ws))
        self.problem(self.ln(i), "markdown-unclosed-fence",
                     f"code fence {fence!r} opened here is never closed; Python-Markdown shows this line "
                     "as text and renders the rest of the page as Markdown",
                     f"close it with {fence} on its own line")
        return None

    def html_block(self, i: int, md_elements: list[str]) -> int | None:
        """Handle a line starting with ``<``: a comment, the start of a raw HTML block, the
        start or end of an md_in_html element. The index after what was consumed, or None when
        the line is an ordinary Markdown line."""
        line = self.lines[i]
        offset = len(line) - len(line.lstrip())
        m = _LINE_TAG.match(line, offset)
        if not m:
            return None
        if m.group(1):  # <!--
            return self.block_comment(i, offset)
        closing, tag = m.group(2), m.group(3).lower()
        if closing:
            if md_elements and md_elements[-1] == tag:
                md_elements.pop()
                end = line.find(">", offset)
                end = len(line) if end < 0 else end + 1
                self.md[i] = " " * end + self.md[i][end:]
                return i + 1
            return None
        if tag not in BLOCK_TAGS:
            return None
        start = self.offset_of(i) + offset
        tag_end = self.tag_end(start)
        if tag_end is None:
            return None  # "<div" with no ">": text
        if tag in _VOID:
            return None  # <hr>: a block of its own, nothing to mask
        attrs = self.flat[start:tag_end]
        mm = _MARKDOWN_ATTR.search(attrs)
        if mm and tag not in _ALWAYS_RAW:
            value = next((g for g in mm.groups() if g is not None), "1")
            if value != "0":
                md_elements.append(tag)
                self.mask_span(start, tag_end, md_only=True)
                return self.line_index(tag_end - 1) + 1
        end = self.raw_end(start, tag)
        if end is None:
            self.problem(self.ln(i), "markdown-unclosed-html",
                         f"raw HTML <{tag}> opened here is never closed; Python-Markdown treats the rest "
                         "of the page as raw HTML (no Markdown, no links checked)",
                         f"close it with </{tag}>")
            end = len(self.flat)
        self.mask_span(start, end, md_only=True)
        last = self.line_index(max(end - 1, start))
        return last + 1 if self.flat[end:end + 1] in ("\n", "") else last + 1

    def block_comment(self, i: int, offset: int) -> int | None:
        start = self.offset_of(i) + offset
        if start >= self.no_comment_close:
            self.unclosed_comment(i, start)
            return None
        close = self.flat.find("-->", start + 4)
        if close < 0:
            self.no_comment_close = start
            self.unclosed_comment(i, start)
            return None
        end = close + 3
        self.mask_span(start, end, md_only=False)
        return self.line_index(end - 1) + 1

    def unclosed_comment(self, i: int, offset: int) -> None:
        self.doc.unclosed_comments.append(offset)
        if not self.reported_comment:
            self.reported_comment = True
            self.problem(self.ln(i), "markdown-unclosed-comment",
                         "HTML comment '<!--' opened here is never closed; the page shows it as text",
                         "close it with -->")

    def tag_end(self, start: int) -> int | None:
        """End offset of the start tag at ``start`` (after its ``>``), quotes respected."""
        m = _ANY_TAG.match(self.flat, start)
        if m is None or not m.group(4):
            return None
        return m.end()

    def raw_end(self, start: int, tag: str) -> int | None:
        """Where the raw HTML block opened at ``start`` ends (Python-Markdown's HTMLExtractor:
        every tag opened inside is tracked until the stack is empty); None when never."""
        text = self.flat
        pos = start
        stack: list[str] = []
        while True:
            m = _ANY_TAG.search(text, pos)
            if m is None:
                return None
            if m.group(0) == "<!--":
                close = text.find("-->", m.end())
                if close < 0:
                    pos = m.end()
                    continue
                self.cdata.append((m.start(), close + 3))  # a comment inside raw HTML shows nothing
                pos = close + 3
                continue
            name = m.group(2).lower()
            pos = m.end()
            if not m.group(4):
                continue
            if m.group(1):  # end tag
                if name in stack:
                    while stack and stack.pop() != name:
                        pass
                if not stack:
                    return m.end()
                continue
            if name in _VOID or m.group(3).rstrip().endswith("/"):
                if not stack:
                    return m.end()
                continue
            stack.append(name)
            if name in _CDATA:
                close = re.compile(rf"</{name}\s*>", re.I).search(text, pos)
                if close is None:
                    return None
                self.cdata.append((pos, close.start()))
                pos = close.start()

    # -- offsets -----------------------------------------------------------------------------
    def offset_of(self, i: int) -> int:
        return self.starts[i]

    def line_index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def mask_span(self, start: int, end: int, md_only: bool) -> None:
        """Blank ``[start, end)`` of the flat text in the Markdown channel (and in the HTML
        channel too, for comments)."""
        first, last = self.line_index(start), self.line_index(max(end - 1, start))
        for k in range(first, last + 1):
            a = max(start, self.starts[k]) - self.starts[k]
            b = min(end, self.starts[k] + len(self.lines[k])) - self.starts[k]
            if b <= a:
                continue
            self.md[k] = self.md[k][:a] + " " * (b - a) + self.md[k][b:]
            if not md_only:
                self.htm[k] = self.htm[k][:a] + " " * (b - a) + self.htm[k][b:]

    def heading(self, i: int, level: int, raw: str, setext: bool = False) -> None:
        raw = raw.rstrip()
        if not setext:
            # closing hashes go (Python-Markdown's HashHeaderProcessor: ``#*`` at the end)
            stripped = raw.rstrip("#")
            if len(stripped) < len(raw) and stripped.endswith("\\"):
                stripped += "#"  # an escaped \# stays
            raw = stripped.rstrip()
        explicit = None
        brace = raw.rfind("{")
        if brace > 0 and raw[brace - 1] == " " and raw.endswith("}"):
            inner = raw[brace + 1:-1].lstrip(":").strip()
            if inner and "}" not in inner and _ATTR_TOKENS.match(inner):
                idm = _ATTR_ID.search(" " + inner)
                if idm:
                    explicit = idm.group(1)
                raw = raw[:brace]
        self.pending_headings.append((self.ln(i), level, raw.strip(), explicit))

    # -- inline ------------------------------------------------------------------------------
    def inline(self) -> None:
        text = "\n".join(self.md)
        text = self.mask_inline_comments(text)
        text = self.mask_code_spans(text)
        # reference definitions first (reference links need them); the last one wins
        spans: list[tuple[int, int]] = []
        for dm in _DEFINITION.finditer(text):
            label = dm.group(1).strip().lower()
            target = dm.group(2).lstrip("<").rstrip(">")
            title = dm.group(4) if dm.group(3) else dm.group(5)
            self.doc.definitions[label] = (target, title, self.pos(dm.start())[0])
            spans.append((dm.start(), dm.end()))
        if spans:
            parts: list[str] = []
            done = 0
            for a, b in spans:
                parts.append(text[done:a])
                parts.append(_blank(text[a:b]))
                done = b
            parts.append(text[done:])
            text = "".join(parts)
        for fm in re.finditer(r"^[ \t]*\[\^([^\]\n]+)\]:", text, re.M):
            self.doc.ids.add(f"fn:{fm.group(1)}")
        for fm in _FOOTNOTE_REF.finditer(text):
            self.doc.ids.add(f"fnref:{fm.group(1)}")
        self.found: list[tuple[int, Link]] = []
        self.pairs = self.bracket_pairs(text)
        self.parse_links(text, 0, len(text))
        for am in _AUTOLINK.finditer(text):
            line, col = self.pos(am.start())
            self.found.append((am.start(), Link(am.group(1), line, "autolink", None, am.group(1), col)))
        for bm in _ATTR_BRACES.finditer(text):
            if _ATTR_TOKENS.match(bm.group(1)):
                for idm in _ATTR_ID.finditer(" " + bm.group(1)):
                    self.doc.ids.add(idm.group(1))
        # raw HTML: the tags of the whole page outside code, comments and code spans
        html_text = self.html_channel(text)
        self.html(html_text)
        self.found.sort(key=lambda item: item[0])
        self.doc.links = [link for _, link in self.found]

    def html_channel(self, md_text: str) -> str:
        """The text the HTML-tag pass reads: the Markdown channel (code spans masked) with the
        raw HTML blocks put back, script/style content blanked."""
        chars = list(md_text)
        for k, raw in enumerate(self.htm):
            if raw == self.md[k]:
                continue
            base = self.starts[k]
            for a, (m_ch, h_ch) in enumerate(zip(self.md[k], raw)):
                if m_ch != h_ch:
                    chars[base + a] = h_ch
        for a, b in self.cdata:
            for k in range(a, b):
                if chars[k] != "\n":
                    chars[k] = " "
        return "".join(chars)

    def mask_inline_comments(self, text: str) -> str:
        """``<!-- ... -->`` inside a paragraph is raw HTML only when it closes before the next
        blank line; otherwise Python-Markdown shows it as text."""
        if "<!--" not in text:
            return text
        breaks = [m.start() for m in _LAZY_SPACE.finditer(text)] + [len(text)]
        out: list[str] = []
        done = 0
        pos = text.find("<!--")
        while pos >= 0:
            limit = breaks[bisect.bisect_right(breaks, pos)]  # the end of this paragraph
            close = text.find("-->", pos + 4, limit)
            if close < 0:
                # no later "<!--" in this paragraph can close either: all of them are text
                while pos >= 0 and pos < limit:
                    self.unclosed_comment(self.line_index(pos), pos)
                    pos = text.find("<!--", pos + 4)
                continue
            out.append(text[done:pos])
            out.append(_blank(text[pos:close + 3]))
            done = close + 3
            pos = text.find("<!--", done)
        out.append(text[done:])
        return "".join(out)

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
        return self.ln(idx), offset - self.starts[idx]

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
            if k < 0 or "\n" in s[j:k] or "<" in s[j + 1:k]:
                k = -1
            if k >= 0:
                target = s[j + 1:k]
                rest_start = k + 1
                close = s.find(")", rest_start, limit)
                if close >= 0:
                    rest = s[rest_start:close].strip()
                    if not rest or (len(rest) >= 2 and rest[0] in "\"'" and rest[-1] == rest[0]):
                        title = rest[1:-1] if rest else None
                        return unescape_target(target.strip()), title, close + 1
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
        return unescape_target(inner), title, k + 1

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
            # [text][label] (Python-Markdown allows one whitespace between the brackets)
            spaced = after < end and s[after] in " \t\n" and after + 1 < end and s[after + 1] == "["
            label_at = after + 1 if spaced else after
            if label_at < end and s[label_at] == "[":
                close2 = s.find("]", label_at + 1, min(end, label_at + 1 + 1000))
                if close2 >= 0 and "[" not in s[label_at + 1:close2] and not _LAZY_SPACE.search(s, label_at, close2):
                    label = s[label_at + 1:close2]
                    key = re.sub(r"\s+", " ", (label or text).lower())
                    if key in self.doc.definitions:
                        self.reference(i, image, text, label or text, key)
                        if not image:
                            self.parse_links(s, open_ + 1, close)
                        i = self.attr_after(s, close2 + 1, end)
                        continue
                    if not spaced:  # "[a] [b]" is also prose; "[a][b]" is a reference
                        self.undefined(i, image, text, label or text)
                        i = close2 + 1
                        continue
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
            # shortcut reference: only when defined
            key = re.sub(r"\s+", " ", text.lower())
            if key in self.doc.definitions and not re.fullmatch(r"[ xX]", text):
                self.reference(i, image, text, text, key)
                i = self.attr_after(s, after, end)
                continue
            i = open_ + 1

    def attr_after(self, s: str, i: int, end: int) -> int:
        if i < end and s[i] == "{":
            close = s.find("}", i, min(end, i + 1000))
            if close >= 0 and "\n" not in s[i:close] and _ATTR_TOKENS.match(s[i + 1:close].lstrip(":")):
                return close + 1
        return i

    def reference(self, offset: int, image: bool, text: str, label: str, key: str) -> None:
        line, col = self.pos(offset)
        target, title, def_line = self.doc.definitions[key]
        target = html.unescape(target) if "&" in target else target
        kind = "image" if image else "ref"
        self.add(offset, Link(target, line, kind, title, _clean_text(text), col, label, def_line))

    def undefined(self, offset: int, image: bool, text: str, label: str) -> None:
        line, col = self.pos(offset)
        self.doc.undefined_refs.append(Link("", line, "image" if image else "ref", None, _clean_text(text), col, label))

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
        self.cdata: list[tuple[int, int]] = []
        self.reported_comment = False
        self.no_comment_close = 1 << 62
        fm_lines = self.front_matter()
        expanded = snippets_mod.expand(self.source_lines[fm_lines:], self.snippets, first_line=fm_lines + 1)
        for p in expanded.problems:
            self.problem(p.line, p.check, p.message, p.hint)
        self.failed_includes = {p.line for p in expanded.problems}
        self.doc.included_files = list(expanded.files)
        self.lines = [""] * fm_lines + expanded.lines
        self.origin = list(range(1, fm_lines + 1)) + expanded.origin
        self.md = list(self.lines)
        self.htm = list(self.lines)
        self.flat = "\n".join(self.lines)
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.blocks(fm_lines)
        # the channels are the same length per line, except lines blanked to ""
        for k in range(len(self.lines)):
            if self.md[k] == "" and self.lines[k]:
                self.md[k] = " " * len(self.lines[k])
            if self.htm[k] == "" and self.lines[k]:
                self.htm[k] = " " * len(self.lines[k])
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


#: Documents by what they were scanned from: the exact source text, the snippet folders and the
#: content of every file the page included (checked again on each hit). Several checks and
#: builders scan the same page in one build, and `mkdocs serve` rescans only the pages that
#: changed. A Document is never modified after the scan (kfguide.model.site.add_ids replaces it).
#: A page with a snippet problem is never kept: the missing file may appear any moment.
_SCANNED = memo.store("markdown-scan", maxsize=4096)


def _digest(path) -> str | None:
    try:
        return memo.digest(path.read_bytes())
    except OSError:
        return None


def scan(text: str, snippets: "snippets_mod.Snippets | None" = None) -> Document:
    """Scan one Markdown page source (str). ``snippets`` says where pymdownx.snippets finds
    included files; with it, included lines are scanned too, at the line of their include.
    Never raises on odd Markdown."""
    if snippets is not None and "8<" not in text:
        # The snippets settings are read only at lines with an include marker: without one the
        # page scans the same either way, so the glossary's page titles (no settings) and the
        # checks (settings) share one scan of each page.
        snippets = None
    key = (text, tuple(str(b) for b in snippets.bases) if snippets is not None else None)
    hit = _SCANNED.get(key)
    if hit is not None:
        doc, included = hit
        if all(_digest(path) == digest for path, digest in included):
            return doc
    doc = _Scanner(text, snippets).run()
    if not any(problem[1].startswith("snippet-") for problem in doc.problems):
        _SCANNED.put(key, (doc, tuple((path, _digest(path)) for path in doc.included_files)))
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
