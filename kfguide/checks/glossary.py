"""The glossary check: data/glossary.yml read and validated, every problem a finding.

``load`` / ``parse`` return the good terms (:class:`kfguide.model.glossary.Term`) and a
Finding ``data/glossary.yml:LINE: [glossary] message`` for every bad entry (schema, duplicate
terms and anchors, variants that collide, chapters that do not exist); a disallowed variant in
a definition is a ``[term]`` finding. They never raise on bad data. No MkDocs import:
hooks/glossary.py is the adapter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import yaml

from kfguide.checks.spelling import check_text, variants_from_terms
from kfguide.model.findings import Finding
from kfguide.model.glossary import DATA_PATH, GLOSSARY_PAGES, Term  # noqa: F401 - DATA_PATH, GLOSSARY_PAGES: for the hook
from kfguide.model import memo, yamlsafe
from kfguide.model.markdown import scan
from kfguide.model.site import decode_page

CHECK = "glossary"

REQUIRED = ("ko", "en", "def_ko", "def_en", "chapter")
OPTIONAL = ("abbr", "sense", "variants", "match", "match_en", "tooltip", "first_en")


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
        raw = data_file.read_bytes()
    except FileNotFoundError:
        return [], [_f(rel, 0, "the glossary file is missing; the 용어집 page, the tooltips and the spelling "
                              "check need it", f"restore {DATA_PATH}")]
    except OSError as exc:
        return [], [_f(rel, 0, f"cannot read the glossary: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [_f(rel, line, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} on this line", "save the file as UTF-8")]
    return parse(text, rel, docs_dir)


#: (all entries, findings without the chapter checks) per (glossary text, path): the hooks and
#: the checks read the same file up to three times a build, and `mkdocs serve` rebuilds on
#: every save. The key is the file's content, so an edited glossary is parsed again.
_PARSED = memo.store("glossary-parse", maxsize=8)


def parse(text: str, rel: str = DATA_PATH, docs_dir: Path | str | None = None) -> tuple[list[Term], list[Finding]]:
    key = (text, rel)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse(text, rel)
        _PARSED.put(key, parsed)
    terms, found = parsed
    findings = list(found)
    if docs_dir is not None and terms:
        findings.extend(_check_chapters(terms, rel, Path(docs_dir)))
    good = [t for t in terms if not getattr(t, "_bad", False)]
    return good, sorted(findings)


def _parse(text: str, rel: str) -> tuple[tuple[Term, ...], tuple[Finding, ...]]:
    findings: list[Finding] = []
    # bounded first: no nesting deeper than the schema needs, no anchors/aliases (a 9-line
    # alias bomb took minutes), syntax errors at the line of what was left open
    root, problem = yamlsafe.compose(text.lstrip("\ufeff"), max_depth=8, max_aliases=0)
    if problem is not None:
        message = f"not valid YAML: {problem.message}" if problem.kind == "syntax" else problem.message
        return [], [_f(rel, problem.line, message)]
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
    findings.extend(_cross_checks(terms, rel))
    return tuple(terms), tuple(findings)


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
        elif key in ("tooltip", "first_en"):
            if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:bool":
                values[key] = v.value.lower() in ("true", "yes", "on")
            elif isinstance(v, yaml.ScalarNode) and v.value.lower() in ("true", "false"):
                values[key] = v.value.lower() == "true"
            else:
                findings.append(_f(rel, kline, f"'{key}' must be true or false"))
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
        first_en=bool(values.get("first_en", True)),
        line=line,
    )
    term._lines = lines  # type: ignore[attr-defined]
    if not ok:
        term._bad = True  # type: ignore[attr-defined]
    return term


def _kline(term: Term, key: str) -> int:
    return getattr(term, "_lines", {}).get(key, term.line)


def _cross_checks(terms: Sequence[Term], rel: str) -> list[Finding]:
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
    return findings


def _check_definitions(terms: Sequence[Term], rel: str) -> list[Finding]:
    """Definitions are shown as tooltips and on the glossary page: no disallowed variants."""
    variants, conts = variants_from_terms(terms)
    findings: list[Finding] = []
    for t in terms:
        for key in ("def_ko", "def_en"):
            for f in check_text(getattr(t, key), rel, variants, conts):
                findings.append(Finding(rel, _kline(t, key), "term", f"{key} of '{t.ko}': {f.message}", f.hint))
    return findings


UNKNOWN: set[str] = set()  # the ids of a chapter page that is not UTF-8 text


def _check_chapters(terms: Sequence[Term], rel: str, docs: Path) -> list[Finding]:
    findings: list[Finding] = []
    ids_cache: dict[str, set[str] | None] = {}
    for t in terms:
        if not t.chapter:
            continue
        page, anchor = t.chapter_page(), t.chapter_anchor()
        line = _kline(t, "chapter")
        if page not in ids_cache:
            p = docs / page
            try:
                text, problem = decode_page(p.read_bytes()) if p.is_file() else (None, None)
                # a page that is not UTF-8 text has its own page-encoding finding and unknown
                # ids (as for links to it): its anchors are not judged
                ids_cache[page] = UNKNOWN if problem else scan(text).ids if text is not None else None
            except OSError:
                ids_cache[page] = None
        ids = ids_cache[page]
        if ids is None:
            findings.append(_f(rel, line, f"'{t.ko}': chapter page '{page}' does not exist in docs/"))
        elif anchor and ids is not UNKNOWN and anchor not in ids:
            findings.append(_f(rel, line, f"'{t.ko}': chapter '{page}' has no heading id '#{anchor}'"))
    return findings


# --------------------------------------------------------------------------------------------
# The registered check


def terms_of(site) -> tuple[list[Term], list[Finding]]:
    """The site's glossary, read and validated once per site (the spelling check needs the
    terms too)."""
    cache = site.__dict__.setdefault("_glossary", {})
    if "loaded" not in cache:
        root = site.root
        if root is None:
            cache["loaded"] = ([], [])
        else:
            # chapters are links on the 용어집 page: checked where the site has that page; a site
            # without the page and without the file has no glossary (fixtures, benchmarks)
            has_page = any(page in site.files for page in GLOSSARY_PAGES.values())
            docs = site.docs_dir if has_page else None
            if not has_page and not (Path(root) / DATA_PATH).exists():
                cache["loaded"] = ([], [])
            else:
                cache["loaded"] = load(Path(root) / DATA_PATH, docs_dir=docs, root=root)
    return cache["loaded"]


def check_glossary(site) -> list[Finding]:
    """data/glossary.yml: schema, duplicates, variants, chapters, spelling of definitions."""
    if site.root is None:
        return []
    return list(terms_of(site)[1])
