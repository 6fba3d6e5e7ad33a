"""The 용어집 page and the first-use tooltips, generated from the glossary's terms.

* the 용어집 page in Korean and English (``render_page``): entries grouped by Korean initial
  consonant (ㄱ, ㄴ, ... ㅎ, double consonants folded: ㄲ → ㄱ), then A–Z for terms kept in
  Latin script; in English grouped A–Z by the English term. Every entry has an anchor
  ``term-<slug of the English term>`` shared by both languages;
* tooltips (``link_first_uses``): the first use of each term on a page becomes a link to its
  entry whose title is the definition (Material's ``content.tooltips`` shows it on hover and
  focus).

The terms come from :func:`kfguide.checks.glossary.load` (hooks/glossary.py passes them in).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Iterable, Sequence

from kfguide.model.glossary import Term, spellings
from kfguide.model.prose import MASK, matcher, prose_lines

MARKER = "<!-- glossary: generated from data/glossary.yml -->"

# Hangul initial consonants (choseong) in syllable order, and the folding of doubles.
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
KO_GROUPS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"


# --------------------------------------------------------------------------------------------
# Grouping and the generated page


def initial(text: str) -> str:
    """The group a term is listed under: a folded Hangul initial (ㄱ...ㅎ), or A-Z, or '#'."""
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            c = _CHOSEONG[(code - 0xAC00) // 588]
            return _FOLD.get(c, c)
        if ch in _CHOSEONG:
            return _FOLD.get(ch, ch)
        if ch.isascii() and ch.isalpha():
            return ch.upper()
        if ch.isdigit():
            return "#"
    return "#"


def _group_order(g: str) -> tuple[int, str]:
    if g in KO_GROUPS:
        return (0, str(KO_GROUPS.index(g)).zfill(2))
    if len(g) == 1 and g.isascii() and g.isalpha():
        return (1, g)
    return (2, g)


def groups(terms: Iterable[Term], lang: str) -> list[tuple[str, list[Term]]]:
    """Terms grouped for the page of ``lang``: ko by Korean initial then A-Z, en by A-Z."""
    out: dict[str, list[Term]] = {}
    for t in terms:
        key = initial(t.en if lang == "en" else t.ko)
        out.setdefault(key, []).append(t)
    result = []
    for g in sorted(out, key=_group_order):
        if lang == "en":
            items = sorted(out[g], key=lambda t: (t.en.casefold(), t.sense.casefold()))
        else:
            items = sorted(out[g], key=lambda t: (t.ko.casefold(), t.sense.casefold()))
        result.append((g, items))
    return result


_LABELS = {
    "ko": {"en": "영어", "ko": "한국어", "abbr": "약어", "chapter": "설명", "variants": "쓰지 않는 표기",
           "groups": "찾아보기"},
    "en": {"en": "English", "ko": "Korean", "abbr": "Abbreviation", "chapter": "Explained in",
           "variants": "Disallowed Korean spellings", "groups": "Index"},
}


def _group_id(g: str) -> str:
    if g in KO_GROUPS:
        return f"group-{KO_GROUPS.index(g) + 1:02d}"
    return "group-" + (g.lower() if g.isascii() and g.isalpha() else "other")


def render_page(terms: Sequence[Term], lang: str, titles: dict[str, tuple[str, dict[str, str]]] | None = None) -> str:
    """Markdown for the generated part of the glossary page in ``lang`` ("ko" or "en").

    ``titles`` maps a chapter page (``katib.md``) to (page title, {heading id: heading text})
    in this language, for link texts; without it the page name is used.
    """
    labels = _LABELS["en" if lang == "en" else "ko"]
    grouped = groups(terms, lang)
    lines: list[str] = []
    index = " · ".join(f"[{g}](#{_group_id(g)})" for g, _ in grouped)
    lines += [f'<p class="kfguide-glossary-index" markdown="span">{labels["groups"]}: {index}</p>', ""]
    for g, items in grouped:
        lines += [f"## {g} {{#{_group_id(g)}}}", ""]
        for t in items:
            head = t.display_en if lang == "en" else t.display_ko
            lines.append(f"**{_escape_md(head)}** {{#{t.slug} .kfguide-term}}")
            lines.append(f":   {_escape_md(t.definition(lang))}")
            lines.append("")
            other = f'{labels["ko"]}: <strong lang="ko">{_html(t.display_ko)}</strong>' if lang == "en" else \
                f'{labels["en"]}: <em lang="en">{_html(t.display_en)}</em>'
            facts = [other]
            if t.abbr:
                facts.append(f"{labels['abbr']}: **{_escape_md(t.abbr)}**")
            facts.append(f"{labels['chapter']}: {_chapter_link(t, titles)}")
            lines.append("    " + " · ".join(facts))
            if t.variants:
                lines.append("")
                dels = ", ".join(f'<del class="kfguide-variant" lang="ko">{_html(v)}</del>' for v in t.variants)
                lines.append(f"    {labels['variants']}: {dels}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _chapter_link(t: Term, titles) -> str:
    page, anchor = t.chapter_page(), t.chapter_anchor()
    text = page
    if titles and page in titles:
        title, headings = titles[page]
        text = title or page
        if anchor and anchor in headings:
            text = f"{text} › {headings[anchor]}"
    href = page + (f"#{anchor}" if anchor else "")
    return f"[{_escape_md(text)}]({href})"


def _escape_md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fill_page(markdown: str, generated: str) -> str:
    """Put ``generated`` where the marker line is (or at the end when it is missing)."""
    if MARKER in markdown:
        return markdown.replace(MARKER, generated.rstrip("\n"), 1)
    return markdown.rstrip("\n") + "\n\n" + generated


def page_titles(docs_dir: Path | str, lang: str) -> dict[str, tuple[str, dict[str, str]]]:
    """{page.md: (title, {heading id: heading text})} for the chapter links, in ``lang``."""
    from kfguide.model.markdown import heading_plain_text, scan

    docs = Path(docs_dir)
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for p in sorted(docs.glob("*.md")):
        name = p.name
        if re.search(r"\.[a-z]{2}\.md$", name):
            continue
        src = p
        if lang == "en" and (docs / name.replace(".md", ".en.md")).is_file():
            src = docs / name.replace(".md", ".en.md")
        try:
            doc = scan(src.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        heads = {h.id: heading_plain_text(h.text) for h in doc.headings if h.id}
        out[name] = (heading_plain_text(doc.title) if doc.title else name, heads)
    return out


# --------------------------------------------------------------------------------------------
# Tooltips: the first use of each term on a page links to its entry


LINK_CLASS = "kfguide-term-link"
_BOLD_RE = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")


def link_first_uses(markdown: str, terms: Sequence[Term], lang: str, href: str = "glossary.md") -> str:
    """Wrap the first prose use of each term as ``[term](href#term-x "definition")``.

    Skips code, headings, admonition and tab titles, definition-list terms, raw HTML lines,
    link texts, image alts and bold English UI labels (**Pipelines**). Korean particles stay outside the link (대시보드를 →
    ``[대시보드](...)를``). Terms with ``tooltip: false`` are never linked.
    """
    owner: dict[str, Term] = {}
    for t in terms:
        if not t.tooltip:
            continue
        for s in spellings(t, lang):
            owner.setdefault(s, t)
    if not owner:
        return markdown
    found_by = matcher(owner)
    used: set[str] = set()
    lines = markdown.split("\n")
    for pl in prose_lines(markdown):
        if pl.kind != "text" or not pl.prose.strip(MASK + " \t"):
            continue
        edits: list[tuple[int, int, Term]] = []
        # UI labels are bold English (**Pipelines**, **Artifacts**): not uses of a term
        skip = list(pl.no_link) + [b.span() for b in _BOLD_RE.finditer(pl.prose) if (b.group(1) or b.group(2) or "").isascii()]
        for start, end, found in found_by.finditer(pl.prose):
            if any(a < end and start < b for a, b in skip):
                continue
            t = owner[found]
            if t.slug in used:
                continue
            used.add(t.slug)
            edits.append((start, end, t))
        if not edits:
            continue
        line = lines[pl.number - 1]
        for start, end, t in reversed(edits):
            title = t.definition(lang).replace('"', "'")
            line = f'{line[:start]}[{line[start:end]}]({href}#{t.slug} "{title}"){{ .{LINK_CLASS} }}{line[end:]}'
        lines[pl.number - 1] = line
    return "\n".join(lines)


def glossary_href(src_uri: str) -> str:
    """The relative link from the page ``src_uri`` to the glossary page."""
    folder = posixpath.dirname(src_uri)
    return posixpath.relpath("glossary.md", folder or ".")
