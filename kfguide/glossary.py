"""The glossary: one data file (data/glossary.yml), read and checked here, turned into

* the 용어집 page in Korean and English (``render_page``): entries grouped by Korean initial
  consonant (ㄱ, ㄴ, ... ㅎ, double consonants folded: ㄲ → ㄱ), then A–Z for terms kept in
  Latin script; in English grouped A–Z by the English term. Every entry has an anchor
  ``term-<slug of the English term>`` shared by both languages;
* tooltips (``link_first_uses``): the first use of each term on a page becomes a link to its
  entry whose title is the definition (Material's ``content.tooltips`` shows it on hover and
  focus);
* the variants the spelling check (kfguide.spelling) flags.

No MkDocs import: hooks/glossary.py is the adapter. ``load`` reports every bad entry as a
Finding ``data/glossary.yml:LINE: [glossary] message``; it never raises on bad data.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from kfguide.findings import Finding
from kfguide.spelling import MASK, matcher, prose_lines

DATA_PATH = "data/glossary.yml"
MARKER = "<!-- glossary: generated from data/glossary.yml -->"
GLOSSARY_PAGES = {"ko": "glossary.md", "en": "glossary.en.md"}
CHECK = "glossary"

REQUIRED = ("ko", "en", "def_ko", "def_en", "chapter")
OPTIONAL = ("abbr", "sense", "variants", "match", "match_en", "tooltip")

# Hangul initial consonants (choseong) in syllable order, and the folding of doubles.
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
KO_GROUPS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"


@dataclass
class Term:
    ko: str
    en: str
    def_ko: str
    def_en: str
    chapter: str
    abbr: str = ""
    sense: str = ""
    variants: list[str] = field(default_factory=list)
    match: list[str] = field(default_factory=list)
    match_en: list[str] | None = None
    tooltip: bool = True
    line: int = 0

    @property
    def slug(self) -> str:
        return "term-" + slug(self.en + (" " + self.sense if self.sense else ""))

    @property
    def display_ko(self) -> str:
        return self.ko + (f" ({self.sense})" if self.sense else "")

    @property
    def display_en(self) -> str:
        return self.en + (f" ({self.sense})" if self.sense else "")

    def definition(self, lang: str) -> str:
        return self.def_en if lang == "en" else self.def_ko

    def chapter_page(self) -> str:
        return self.chapter.split("#", 1)[0]

    def chapter_anchor(self) -> str:
        return self.chapter.split("#", 1)[1] if "#" in self.chapter else ""


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


# --------------------------------------------------------------------------------------------
# Loading and validation


def _f(path: str, line: int, message: str, hint: str = "") -> Finding:
    return Finding(path, line, CHECK, message, hint)


def load(data_file: Path | str, docs_dir: Path | str | None = None, root: Path | str | None = None,
         rel: str | None = None) -> tuple[list[Term], list[Finding]]:
    """Read and validate the glossary. Returns (good terms, findings).

    ``docs_dir``: when given, each ``chapter`` must name an existing page (and anchor).
    ``rel``: the path used in findings (default: ``data_file`` relative to ``root``).
    """
    data_file = Path(data_file)
    if rel is None:
        try:
            rel = data_file.resolve().relative_to(Path(root).resolve()).as_posix() if root else DATA_PATH
        except ValueError:
            rel = str(data_file)
    try:
        text = data_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [_f(rel, 0, f"cannot read the glossary: {exc}")]
    return parse(text, rel, docs_dir)


def parse(text: str, rel: str = DATA_PATH, docs_dir: Path | str | None = None) -> tuple[list[Term], list[Finding]]:
    findings: list[Finding] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        return [], [_f(rel, line, f"not valid YAML: {problem}")]
    if root is None:
        return [], [_f(rel, 1, "empty glossary: expected a mapping with a 'terms' list")]
    if not isinstance(root, yaml.MappingNode):
        return [], [_f(rel, root.start_mark.line + 1, "expected a mapping with a 'terms' list")]
    terms_node = None
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "terms":
            terms_node = v
        else:
            findings.append(_f(rel, k.start_mark.line + 1, f"unknown top-level key '{getattr(k, 'value', k)}'"))
    if terms_node is None or not isinstance(terms_node, yaml.SequenceNode):
        line = terms_node.start_mark.line + 1 if terms_node is not None else 1
        return [], findings + [_f(rel, line, "'terms' must be a list of entries")]

    terms: list[Term] = []
    for node in terms_node.value:
        term = _parse_entry(node, rel, findings)
        if term is not None:
            terms.append(term)
    findings.extend(_cross_checks(terms, rel, docs_dir))
    good = [t for t in terms if not getattr(t, "_bad", False)]
    return good, sorted(findings)


def _scalar(node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def _parse_entry(node, rel: str, findings: list[Finding]) -> Term | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        findings.append(_f(rel, line, "entry must be a mapping with ko, en, def_ko, def_en, chapter"))
        return None
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    ok = True
    for k, v in node.value:
        key = _scalar(k)
        kline = k.start_mark.line + 1
        if key in values:
            findings.append(_f(rel, kline, f"duplicate key '{key}' in this entry"))
            ok = False
            continue
        if key not in REQUIRED and key not in OPTIONAL:
            findings.append(_f(rel, kline, f"unknown key '{key}'", "keys: " + ", ".join(REQUIRED + OPTIONAL)))
            ok = False
            continue
        lines[key] = kline
        if key in ("variants", "match", "match_en"):
            if isinstance(v, yaml.SequenceNode) and all(isinstance(x, yaml.ScalarNode) for x in v.value):
                items = [x.value.strip() for x in v.value]
                if any(not x for x in items):
                    findings.append(_f(rel, kline, f"'{key}' has an empty item"))
                    ok = False
                values[key] = [x for x in items if x]
            else:
                findings.append(_f(rel, kline, f"'{key}' must be a list of strings"))
                ok = False
        elif key == "tooltip":
            if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:bool":
                values[key] = v.value.lower() in ("true", "yes", "on")
            elif isinstance(v, yaml.ScalarNode) and v.value.lower() in ("true", "false"):
                values[key] = v.value.lower() == "true"
            else:
                findings.append(_f(rel, kline, "'tooltip' must be true or false"))
                ok = False
        else:
            s = _scalar(v)
            if s is None:
                findings.append(_f(rel, kline, f"'{key}' must be a single line of text"))
                ok = False
                continue
            s = s.strip()
            if "\n" in s:
                findings.append(_f(rel, kline, f"'{key}' must be one line"))
                ok = False
            if not s:
                what = "definition" if key.startswith("def_") else "value"
                findings.append(_f(rel, kline, f"empty {what} for '{key}'"))
                ok = False
            values[key] = s
    for key in REQUIRED:
        if key not in values:
            label = values.get("ko") or values.get("en") or "entry"
            findings.append(_f(rel, line, f"'{label}': missing key '{key}'"))
            ok = False
    if not ok:
        # keep the entry for cross checks only if it has the keys they need
        if "ko" not in values or "en" not in values:
            return None
    term = Term(
        ko=str(values.get("ko", "")),
        en=str(values.get("en", "")),
        def_ko=str(values.get("def_ko", "")),
        def_en=str(values.get("def_en", "")),
        chapter=str(values.get("chapter", "")),
        abbr=str(values.get("abbr", "")),
        sense=str(values.get("sense", "")),
        variants=list(values.get("variants", [])),  # type: ignore[arg-type]
        match=list(values.get("match", [])),  # type: ignore[arg-type]
        match_en=list(values["match_en"]) if "match_en" in values else None,  # type: ignore[arg-type]
        tooltip=bool(values.get("tooltip", True)),
        line=line,
    )
    term._lines = lines  # type: ignore[attr-defined]
    if not ok:
        term._bad = True  # type: ignore[attr-defined]
    return term


def _kline(term: Term, key: str) -> int:
    return getattr(term, "_lines", {}).get(key, term.line)


def _cross_checks(terms: Sequence[Term], rel: str, docs_dir) -> list[Finding]:
    findings: list[Finding] = []
    seen_ko: dict[tuple[str, str], Term] = {}
    seen_slug: dict[str, Term] = {}
    by_ko: dict[str, list[Term]] = {}
    preferred: dict[str, Term] = {}
    for t in terms:
        by_ko.setdefault(t.ko, []).append(t)
        for s in [t.ko, *t.match]:
            preferred.setdefault(s, t)
    for t in terms:
        key = (t.ko, t.sense)
        duplicate = key in seen_ko
        if duplicate:
            findings.append(_f(rel, t.line, f"duplicate term '{t.display_ko}' (first at line {seen_ko[key].line})",
                               "merge the entries or tell them apart with 'sense'"))
        else:
            seen_ko[key] = t
        if len(by_ko[t.ko]) > 1 and not t.sense and not duplicate:
            findings.append(_f(rel, t.line, f"'{t.ko}' has several entries: give each a 'sense'"))
        if t.slug in seen_slug:
            if not duplicate:
                first = seen_slug[t.slug]
                findings.append(_f(rel, t.line, f"anchor '{t.slug}' is already used by '{first.display_ko}' "
                                                f"(line {first.line})", "change 'en' or add 'sense'"))
        else:
            seen_slug[t.slug] = t
    seen_variant: dict[str, Term] = {}
    for t in terms:
        vline = _kline(t, "variants")
        for v in t.variants:
            if v in preferred:
                other = preferred[v]
                if other is t:
                    findings.append(_f(rel, vline, f"'{t.ko}': variant '{v}' is its own preferred spelling"))
                else:
                    findings.append(_f(rel, vline, f"'{t.ko}': variant '{v}' is the preferred spelling of "
                                                   f"'{other.display_ko}' (line {other.line})"))
            if v in seen_variant and seen_variant[v] is not t:
                findings.append(_f(rel, vline, f"'{t.ko}': variant '{v}' is also listed for "
                                               f"'{seen_variant[v].display_ko}' (line {seen_variant[v].line})"))
            seen_variant.setdefault(v, t)
    findings.extend(_check_definitions(terms, rel))
    if docs_dir is not None:
        findings.extend(_check_chapters(terms, rel, Path(docs_dir)))
    return findings


def _check_definitions(terms: Sequence[Term], rel: str) -> list[Finding]:
    """Definitions are shown as tooltips and on the glossary page: no disallowed variants."""
    from kfguide.spelling import check_text, variants_from_terms

    variants, conts = variants_from_terms(terms)
    findings: list[Finding] = []
    for t in terms:
        for key in ("def_ko", "def_en"):
            for f in check_text(getattr(t, key), rel, variants, conts):
                findings.append(Finding(rel, _kline(t, key), "term", f"{key} of '{t.ko}': {f.message}", f.hint))
    return findings


def _check_chapters(terms: Sequence[Term], rel: str, docs: Path) -> list[Finding]:
    from kfguide.markdown import scan

    findings: list[Finding] = []
    ids_cache: dict[str, set[str] | None] = {}
    for t in terms:
        if not t.chapter:
            continue
        page, anchor = t.chapter_page(), t.chapter_anchor()
        line = _kline(t, "chapter")
        if page not in ids_cache:
            p = docs / page
            ids_cache[page] = scan(p.read_text(encoding="utf-8")).ids if p.is_file() else None
        ids = ids_cache[page]
        if ids is None:
            findings.append(_f(rel, line, f"'{t.ko}': chapter page '{page}' does not exist in docs/"))
        elif anchor and anchor not in ids:
            findings.append(_f(rel, line, f"'{t.ko}': chapter '{page}' has no heading id '#{anchor}'"))
    return findings


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
    from kfguide.markdown import heading_plain_text, scan

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


def spellings(t: Term, lang: str) -> list[str]:
    """The spellings that get the tooltip on a page in ``lang``."""
    if lang == "en" and t.match_en is not None:
        return list(t.match_en) + ([t.abbr] if t.abbr else [])
    if lang == "en":
        base = [t.en]
        if t.en[:1].islower():
            base.append(t.en[:1].upper() + t.en[1:])
        elif t.en[:1].isupper() and not t.en.isupper() and not re.search(r"[A-Z]", t.en[1:]):
            base.append(t.en[:1].lower() + t.en[1:])
        out = []
        for b in base:
            out.append(b)
            if b[-1:].isalpha() and not b.isupper():
                out.append(b + ("es" if b.endswith(("s", "x", "sh", "ch")) else "s"))
        if t.abbr:
            out.append(t.abbr)
        return out
    out = [t.ko, *t.match]
    if t.abbr:
        out.append(t.abbr)
    return out


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


# --------------------------------------------------------------------------------------------
# One call for other runners (python -m kfguide check, CI scripts)


def check_all(root: Path | str, docs_dir: Path | str | None = None) -> tuple[list[Finding], dict]:
    """Glossary schema findings, the [term] spelling findings over ``docs_dir`` and the
    summaries (``glossary`` and ``translations``), as the MkDocs hooks produce them::

        findings, summaries = glossary.check_all(ROOT, docs)
        report.extend(findings); report.summaries.update(summaries)
    """
    from kfguide import spelling, translations

    root = Path(root)
    docs = Path(docs_dir) if docs_dir is not None else root / "docs"
    terms, findings = load(root / DATA_PATH, docs_dir=docs, root=root)
    findings = list(findings) + spelling.check_docs(docs, terms)
    summaries = {
        "glossary": {"terms": len(terms), "variants": sum(len(t.variants) for t in terms)},
        "translations": translations.status(docs),
    }
    return findings, summaries
