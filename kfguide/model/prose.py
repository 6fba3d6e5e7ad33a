"""Prose: which parts of a Markdown line a reader sees, and where terms occur in them.

``prose_lines(text)`` reads a Markdown source once and returns, for each line, a copy in which
everything that is not prose is blanked out with ``MASK`` (same length, so columns still
match the source): front matter (except the ``description`` and ``title`` values, which
readers see in search results and the page title; kind ``meta``), fenced code (also indented inside admonitions, tabs and
lists), inline code, HTML comments and tags (with their attributes), link targets and titles,
reference definitions, bare URLs and autolinks, attribute lists ``{#id}``, keyboard keys
``++ctrl+c++``, abbreviation definitions and snippet include lines. Link texts, image alt
texts, headings, admonition titles and table cells stay: they are prose a reader sees. Each
:class:`ProseLine` also says what kind of line it is, so the tooltip transform
(kfguide.builders.glossary_page) can skip headings, titles and link texts with the same scanner.

:class:`TermMatcher` finds spellings at a word start, followed by a boundary, Korean
particles or endings (대쉬보드를, 대쉬보드에서는, 대쉬보드입니다), or the start of another
glossary term (쥬피터노트북). The spelling check (kfguide.checks.spelling) and the tooltips
use it.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterable

from kfguide.model import memo

MASK = "\x00"

# Korean particles (조사) and copula endings that may follow a noun. Longer forms first.
PARTICLES = sorted(
    {
        "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "께", "한테", "로", "으로",
        "와", "과", "도", "만", "까지", "부터", "보다", "처럼", "같이", "마다", "조차", "뿐",
        "이나", "나", "이나마", "든지", "이든지", "라도", "이라도", "랑", "이랑", "요",
        "라고", "이라고", "라는", "이라는", "란", "이란", "라면", "이라면", "로서", "으로서",
        "로써", "으로써", "에는", "에서는", "에도", "에서도", "으로는", "로는", "와의", "과의",
        "에서의", "으로의", "로의", "에게서", "밖에", "들", "용", "상", "쪽", "별", "끼리",
        "입니다", "이다", "이며", "이고", "인", "일", "이었", "였", "이에요", "예요", "이지만",
        "지만", "이면", "면", "이므로", "므로", "이니", "니", "이어서", "여서", "이라", "라",
        "이죠", "죠", "다", "야", "이야", "니다", "습니다", "에요",
    },
    key=len,
    reverse=True,
)

_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_LATIN = "A-Za-z0-9"


@dataclass(frozen=True)
class ProseLine:
    number: int  # 1-based line number in the source
    text: str  # the original line
    prose: str  # the line with non-prose blanked out (same length)
    kind: str  # "text", "heading", "title" (admonition/tab title), "term" (def-list term), "skip"
    no_link: list[tuple[int, int]]  # spans of link texts and image alts (no tooltip inside)


# --------------------------------------------------------------------------------------------
# Masking

_FENCE_RE = re.compile(r"^(\s*(?:>\s*)?)(`{3,}|~{3,})(.*)$")
_COMMENT_OPEN = re.compile(r"<!--")
# <del>...</del> marks text as removed or wrong (the glossary's disallowed spellings): not prose.
_DEL_OPEN = re.compile(r"<del(?:\s[^<>]*)?>", re.I)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>")
_AUTOLINK_RE = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>")
_URL_RE = re.compile(r"\b(?:https?|ftp|minio|s3|gs)://[^\s<>()\[\]`\"']*[^\s<>()\[\]`\"'.,;:!?]")
_WWW_RE = re.compile(r"\bwww\.[A-Za-z0-9.-]+[^\s<>()\[\]`\"'.,;:!?]*")
_ATTR_LIST_RE = re.compile(r"\{:?\s*[#.][^{}]*\}|\{:?\s*[A-Za-z_-]+=[^{}]*\}")
_KEYS_RE = re.compile(r"\+\+[A-Za-z0-9+_-]+\+\+")
_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S.*$")
_ABBR_RE = re.compile(r"^\s*\*\[[^\]]+\]:.*$")
_SNIPPET_RE = re.compile(r"^\s*-{1,}8<-{1,}\s")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ADMONITION_RE = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?|===!?)\s*(\S*)\s*")
_DEF_BODY_RE = re.compile(r"^\s{0,3}:\s{1,4}\S")
_META_TEXT_RE = re.compile(r"^(description|title|site_description)\s*:\s*([>|][-+]?\s*$|.*)$")


def _mask_between(text: str, opener: re.Pattern, closer: str) -> str:
    """Blank every ``opener ... closer`` span (newlines kept). Linear: once an opener has no
    closer after it, no later opener can have one either."""
    out: list[str] = []
    done = 0
    m = opener.search(text)
    while m is not None:
        close = text.find(closer, m.end())
        if close < 0:
            break
        end = close + len(closer)
        out.append(text[done:m.start()])
        out.append(_NOT_NEWLINE.sub(MASK, text[m.start():end]))
        done = end
        m = opener.search(text, end)
    out.append(text[done:])
    return "".join(out)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _mask_code_spans(s: str) -> str:
    """Blank inline code spans of one line: a run of N backticks closes at the next run of
    exactly N (runs paired in one pass, so a line of unmatched runs stays linear)."""
    if "`" not in s:
        return s
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN.finditer(s)]
    by_len: dict[int, list[int]] = {}
    for a, b in runs:
        by_len.setdefault(b - a, []).append(a)
    out: list[str] = []
    done = 0
    for a, b in runs:
        if a < done:
            continue
        same = by_len[b - a]
        k = bisect.bisect_left(same, b)
        if k >= len(same) or same[k] == b:  # nothing after, or an empty span (`` ` `` `` ` ``)
            continue
        end = same[k] + (b - a)
        out.append(s[done:a])
        out.append(MASK * (end - a))
        done = end
    out.append(s[done:])
    return "".join(out)


_BACKTICK_RUN = re.compile(r"`+")


def _blank(s: str, start: int, end: int) -> str:
    return s[:start] + MASK * (end - start) + s[end:]


def _mask_re(s: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: MASK * len(m.group(0)), s)


def _pairs(s: str) -> dict[int, int]:
    """Offset of each ``[`` / ``(`` -> offset of its closing bracket, in one pass (escaped
    brackets do not count)."""
    pairs: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    closers = {"]": "[", ")": "("}
    for m in _BRACKET.finditer(s):
        c = m.group()
        j = m.start()
        if c in stacks:
            stacks[c].append(j)
        elif c in closers and stacks[closers[c]]:
            pairs[stacks[closers[c]].pop()] = j
    return pairs


_BRACKET = re.compile(r"\\.|[][()]", re.S)  # an escape (skipped whole) or a bracket


def _mask_links(s: str, no_link: list[tuple[int, int]]) -> str:
    """Blank link destinations ``(target "title")`` and reference labels ``[label]``; record
    the spans of link texts (and image alts) in ``no_link``. Nested links and images inside a
    link text are handled the same way (an image inside a link)."""
    if "[" not in s:
        return s
    pairs = _pairs(s)
    chars = list(s)
    _mask_links_in(s, chars, pairs, 0, len(s), no_link, top=True)
    return "".join(chars)


def _mask_links_in(s: str, chars: list[str], pairs: dict[int, int], start: int, stop: int,
                   no_link: list[tuple[int, int]], top: bool) -> None:
    i = start
    while i < stop:
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == "[":
            end = pairs.get(i, -1)
            if end == -1 or end >= stop:
                i += 1
                continue
            first = i - 1 if i > 0 and s[i - 1] == "!" else i
            after = end + 1
            if after < stop and s[after] in "([":
                close = pairs.get(after, -1)
                if close != -1 and close < stop:
                    for k in range(after, close + 1):
                        chars[k] = MASK
                    if top:
                        no_link.append((first, end + 1))
                    if s[after] == "(":
                        _mask_links_in(s, chars, pairs, i + 1, end, no_link, top=False)
                    i = close + 1
                    continue
            i = end + 1
            continue
        i += 1


#: Lines per source text: the spelling check, the style check and the glossary tooltips each
#: read every page, and `mkdocs serve` rebuilds on every save. Keyed by the text itself.
_LINES = memo.store("prose-lines", maxsize=1024)


def prose_lines(text: str) -> list[ProseLine]:
    """Every line of ``text`` with its non-prose parts blanked (see the module docstring)."""
    found = _LINES.get(text)
    if found is None:
        found = tuple(_prose_lines(text))
        _LINES.put(text, found)
    return list(found)


def _prose_lines(text: str) -> list[ProseLine]:
    raw = text.split("\n")
    out: list[ProseLine] = []
    n = len(raw)
    # Multi-line HTML comments and <del> elements: blank them first over the joined text, keep
    # line lengths.
    joined = _mask_between(text, _COMMENT_OPEN, "-->")
    joined = _mask_between(joined, _DEL_OPEN, "</del>")
    lines = joined.split("\n")

    i = 0
    # front matter: only the values of the keys readers see (description, title) are prose
    if n and raw[0].strip() == "---":
        for j in range(1, n):
            if raw[j].strip() in ("---", "..."):
                in_text = False
                for k in range(0, j + 1):
                    line = raw[k]
                    m = _META_TEXT_RE.match(line) if 0 < k < j else None
                    if m:
                        in_text = True
                        prose = MASK * m.start(2) + line[m.start(2):]
                        out.append(ProseLine(k + 1, line, prose, "meta", []))
                    elif in_text and 0 < k < j and line[:1] in (" ", "\t"):
                        out.append(ProseLine(k + 1, line, line, "meta", []))
                    else:
                        in_text = False
                        out.append(ProseLine(k + 1, line, MASK * len(line), "skip", []))
                i = j + 1
                break
    fence: tuple[str, int] | None = None  # (fence char, length)
    in_html = False  # inside a raw HTML block (until the next blank line)
    while i < n:
        line = lines[i]
        original = raw[i]
        number = i + 1
        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fence = None
            out.append(ProseLine(number, original, MASK * len(original), "skip", []))
            i += 1
            continue
        m = _FENCE_RE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = (m.group(2)[0], len(m.group(2)))
            out.append(ProseLine(number, original, MASK * len(original), "skip", []))
            i += 1
            continue
        if _SNIPPET_RE.match(line) or _REFDEF_RE.match(line) or _ABBR_RE.match(line):
            out.append(ProseLine(number, original, MASK * len(original), "skip", []))
            i += 1
            continue
        kind = "text"
        s = line
        if _HEADING_RE.match(s):
            kind = "heading"
        elif i + 1 < n and _SETEXT_RE.match(lines[i + 1]) and s.strip() and not s.lstrip().startswith(("|", "-", "*", "<")):
            # a setext heading: text underlined with === or --- (not a table or list)
            if lines[i + 1].strip().startswith("="):
                kind = "heading"
        elif i + 1 < n and _DEF_BODY_RE.match(lines[i + 1]) and s.strip():
            kind = "term"
        am = _ADMONITION_RE.match(s)
        if am and s.lstrip()[:3] in ("!!!", "???", "==="):
            s = _blank(s, 0, am.end())
            kind = "title"
        s = _mask_code_spans(s)
        # each pattern runs only when the text it must contain is there (most lines have none)
        if "<" in s:
            s = _mask_re(s, _AUTOLINK_RE)
            s = _mask_re(s, _TAG_RE)
        if "++" in s:
            s = _mask_re(s, _KEYS_RE)
        no_link: list[tuple[int, int]] = []
        s = _mask_links(s, no_link)
        if "://" in s:
            s = _mask_re(s, _URL_RE)
        if "www." in s:
            s = _mask_re(s, _WWW_RE)
        if "{" in s:
            s = _mask_re(s, _ATTR_LIST_RE)
        if not original.strip():
            in_html = False
        elif kind == "text" and (in_html or re.match(r"\s{0,3}<[A-Za-z/!]", original)):
            kind = "html"
            in_html = True
        out.append(ProseLine(number, original, s, kind, no_link))
        i += 1
    return out


# --------------------------------------------------------------------------------------------
# Matching


_LATIN_START = re.compile(f"[{_LATIN}]")


def _is_latin(s: str) -> bool:
    return _LATIN_START.match(s) is not None


class TermMatcher:
    """Finds spellings at a word start, followed by a boundary, Korean particles or endings,
    or the start of one of ``continuations`` (other terms: 쥬피터노트북). At each position the
    longest spelling that fits wins. Scans with a first-character index, so the cost does not
    grow with the number of spellings; the particles after a spelling are read once per
    position (no backtracking over ways to split them)."""

    def __init__(self, spellings: Iterable[str], continuations: Iterable[str] = ()):
        self.index: dict[str, list[str]] = {}
        for sp in sorted(set(x for x in spellings if x), key=lambda x: (-len(x), x)):
            self.index.setdefault(sp[0], []).append(sp)
        self.particles: dict[str, list[str]] = {}
        for particle in PARTICLES:
            self.particles.setdefault(particle[0], []).append(particle)
        self.continuations: dict[str, list[str]] = {}
        for c in sorted(set(c for c in continuations if c), key=lambda c: (-len(c), c)):
            self.continuations.setdefault(c[0], []).append(c)
        # jumps to the next position where a spelling starts: one alternation of every spelling,
        # so the regex engine (in C) skips the positions where none is a prefix; the loop in
        # finditer then applies the word-boundary rules there, longest spelling first
        # (grouped by first character, each group longest first: the engine tests one character
        # per group, then only that group's rests)
        groups = []
        for first in sorted(self.index):
            rests = "|".join(re.escape(sp[1:]) for sp in self.index[first])
            groups.append(f"{re.escape(first)}(?:{rests})")
        self._next = re.compile("|".join(groups)) if groups else None

    def _start_ok(self, s: str, i: int, sp: str) -> bool:
        if i == 0:
            return True
        prev = s[i - 1]
        if _is_latin(sp):
            return not (prev.isascii() and (prev.isalnum() or prev == "_"))
        return not (_HANGUL_CHAR.match(prev) or (prev.isascii() and prev.isalnum()))

    def _end_ok(self, s: str, j: int, sp: str) -> bool:
        if j >= len(s):
            return True
        if _is_latin(sp[-1]):
            return not (s[j].isascii() and (s[j].isalnum() or s[j] == "_"))
        # particles (any number, any split) then a boundary or another term
        todo = [j]
        seen = {j}
        while todo:
            p = todo.pop()
            if p >= len(s) or not _HANGUL_CHAR.match(s[p]):
                return True
            if any(s.startswith(c, p) for c in self.continuations.get(s[p], ())):
                return True
            for particle in self.particles.get(s[p], ()):
                q = p + len(particle)
                if q not in seen and s.startswith(particle, p):
                    seen.add(q)
                    todo.append(q)
        return False

    def finditer(self, s: str):
        """Yield (start, end, spelling) left to right, without overlaps."""
        if self._next is None:
            return
        search = self._next.search
        i = 0
        while (m := search(s, i)) is not None:
            i = m.start()
            for sp in self.index[s[i]]:
                if s.startswith(sp, i) and self._start_ok(s, i, sp) and self._end_ok(s, i + len(sp), sp):
                    yield i, i + len(sp), sp
                    i += len(sp)
                    break
            else:
                i += 1


@functools.lru_cache(maxsize=64)
def _matcher(spellings: frozenset, continuations: frozenset) -> TermMatcher:
    return TermMatcher(spellings, continuations)


def matcher(spellings: Iterable[str], continuations: Iterable[str] = ()) -> TermMatcher:
    """A cached :class:`TermMatcher` for this set of spellings."""
    return _matcher(frozenset(spellings), frozenset(continuations))
