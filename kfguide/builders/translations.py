"""Translation status: for every Korean page, is there an English page, and is it stale?

Korean is the source language (``docs/page.md``); English pages are translations
(``docs/page.en.md``). Each English page records in its front matter what it was translated
from::

    ---
    description: ...
    translated_from:
      sha256: 3f2a...   # hash of the Korean source when the translation was last updated
    ---

The hash is ``source_hash(ko_text)``: SHA-256 of the Korean page's **body**, i.e. the text
after its front matter, with line endings normalised to ``\\n``, trailing spaces removed from
each line and trailing blank lines dropped. The front matter is left out on purpose: it holds
build settings and the meta description, and changing those does not make the English prose
wrong. Whitespace-only edits do not make a translation stale either.

States of a Korean page:

* ``fresh``      the English page records the current hash
* ``stale``      the English page records another hash (the Korean page changed since)
* ``unrecorded`` the English page exists but records no hash (counted as stale)
* ``missing``    there is no English page (the build shows the Korean page with a banner)

``status(docs_dir)`` returns the summary and per-page details; the MkDocs hook prints
``translations: 9 pages, 8 translated, 1 stale, 1 missing`` (INFO: stale is not an error),
writes ``reports/translations.json`` and sets ``page.meta["kfguide_translation_notice"]`` on
stale English pages, which overrides/partials/stale-translation.html renders.

After updating a translation, record the new source hash (only the ``translated_from`` key of
the English front matter changes; everything else is kept byte for byte)::

    make translations                      # every English page
    make translations PAGE=katib.md        # one page (ko or en name)
    python -m kfguide.builders.translations refresh [PAGE ...]
    python -m kfguide.builders.translations status  # print the summary and the stale/missing pages
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from kfguide.model import yamlsafe
from kfguide.model.site import walk_docs


SOURCE_LANG = "ko"
TARGET_LANG = "en"
KEY = "translated_from"

_FRONT_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:^|\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_LANG_SUFFIX_RE = re.compile(r"\.[a-z]{2}(?:_[A-Z]{2})?\.md$")


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter block including its --- lines, body)."""
    text = text.lstrip("\ufeff")
    m = _FRONT_RE.match(text)
    if not m:
        return "", text
    return text[: m.end()], text[m.end():]


def source_hash(ko_text: str) -> str:
    """SHA-256 of the normalised body of a Korean page (see the module docstring)."""
    _, body = split_front_matter(ko_text)
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def recorded_hash(en_text: str) -> str | None:
    """The hash an English page records in ``translated_from.sha256``, or None."""
    m = _FRONT_RE.match(en_text.lstrip("\ufeff"))
    if not m:
        return None
    data, problem = yamlsafe.load(m.group(1))
    if problem is not None:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get(KEY)
    if isinstance(value, dict) and isinstance(value.get("sha256"), str):
        return value["sha256"].strip().lower()
    return None


@dataclass
class PageStatus:
    page: str  # the Korean source, relative to docs (katib.md)
    translation: str  # the English page (katib.en.md)
    state: str  # fresh | stale | unrecorded | missing
    current: str  # hash of the Korean source now
    recorded: str | None  # hash the English page records


def source_pages(docs_dir: Path | str) -> list[str]:
    docs = Path(docs_dir)
    out = []
    for _, rel in walk_docs(docs):  # hidden names skipped, bad symlinks left out (a finding)
        if not rel.endswith(".md") or _LANG_SUFFIX_RE.search(rel.rsplit("/", 1)[-1]):
            continue
        out.append(rel)
    return sorted(out)


def translation_of(page: str, lang: str = TARGET_LANG) -> str:
    return page[:-3] + f".{lang}.md"


def page_status(docs_dir: Path | str, page: str) -> PageStatus:
    docs = Path(docs_dir)
    try:
        ko_text = (docs / page).read_bytes().decode("utf-8", errors="replace")  # bad bytes: a page finding
    except OSError:
        ko_text = ""
    current = source_hash(ko_text)
    en = translation_of(page)
    en_path = docs / en
    if not en_path.is_file():
        return PageStatus(page, en, "missing", current, None)
    try:
        recorded = recorded_hash(en_path.read_bytes().decode("utf-8", errors="replace"))
    except OSError:
        recorded = None
    if recorded is None:
        state = "unrecorded"
    elif recorded == current:
        state = "fresh"
    else:
        state = "stale"
    return PageStatus(page, en, state, current, recorded)


def status(docs_dir: Path | str) -> dict:
    """Summary and details for every Korean page under ``docs_dir`` (JSON-ready)."""
    pages = [page_status(docs_dir, p) for p in source_pages(docs_dir)]
    count = {s: sum(1 for p in pages if p.state == s) for s in ("fresh", "stale", "unrecorded", "missing")}
    return {
        "pages": len(pages),
        "translated": len(pages) - count["missing"],
        "fresh": count["fresh"],
        "stale": count["stale"] + count["unrecorded"],
        "unrecorded": count["unrecorded"],
        "missing": count["missing"],
        "details": [asdict(p) for p in pages],
    }


def summary_line(st: dict) -> str:
    text = (f"translations: {st['pages']} pages, {st['translated']} translated, "
            f"{st['stale']} stale, {st['missing']} missing")
    if st.get("unrecorded"):
        text += f" ({st['unrecorded']} without a translated_from record)"
    return text


def by_translation(st: dict) -> dict[str, dict]:
    """{page.en.md: details} for the hook."""
    return {d["translation"]: d for d in st["details"]}


NOTICE = {
    "stale": {
        "title": "This translation may be out of date",
        "text": "The Korean original of this page has changed since this English translation was "
                "last updated. Where the two differ, the Korean page is the reference.",
    },
    "unrecorded": {
        "title": "Translation status unknown",
        "text": "This English page does not record which version of the Korean original it was "
                "translated from, so it may be out of date. The Korean page is the reference.",
    },
}


def notice_for(state: str) -> dict | None:
    return dict(NOTICE[state]) if state in NOTICE else None


# --------------------------------------------------------------------------------------------
# Refresh: record the current source hash in the English front matter


def set_recorded_hash(en_text: str, digest: str) -> str:
    """``en_text`` with ``translated_from: {sha256: digest}`` in its front matter; every other
    line is kept as it is. A page without front matter gets one."""
    block = f"{KEY}:\n  sha256: {digest}\n"
    front, body = split_front_matter(en_text)
    if not front:
        return f"---\n{block}---\n\n{en_text}"
    newline = "\r\n" if "\r\n" in front else "\n"
    lines = front.splitlines(keepends=True)
    # lines[0] is the opening ---, lines[-1] the closing one
    inner = lines[1:-1]
    out: list[str] = []
    i = 0
    replaced = False
    while i < len(inner):
        line = inner[i]
        if re.match(rf"^{KEY}\s*:", line):
            i += 1
            while i < len(inner) and (inner[i].startswith((" ", "\t")) or not inner[i].strip()):
                i += 1
            out.append(block.replace("\n", newline))
            replaced = True
            continue
        out.append(line)
        i += 1
    if not replaced:
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += newline
        out.append(block.replace("\n", newline))
    closing = lines[-1]
    return lines[0] + "".join(out) + closing + body


def refresh(docs_dir: Path | str, pages: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Record the current Korean hash in English pages (all, or the ones named, ko or en
    names). Returns [(en page, what happened)]; pages already fresh are not rewritten."""
    docs = Path(docs_dir)
    wanted = {p[:-6] + ".md" if p.endswith(".en.md") else p for p in (Path(x).as_posix() for x in pages)}
    wanted = {w[len("docs/"):] if w.startswith("docs/") and not (docs / w).exists() else w for w in wanted}
    done: list[tuple[str, str]] = []
    sources = source_pages(docs)
    for name in sorted(wanted - set(sources)):
        done.append((name, "no such Korean page"))
    for page in sources:
        if wanted and page not in wanted:
            continue
        st = page_status(docs, page)
        if st.state == "missing":
            if wanted:
                done.append((st.translation, "no English page"))
            continue
        if st.state == "fresh":
            done.append((st.translation, "already fresh"))
            continue
        path = docs / st.translation
        text = path.read_text(encoding="utf-8")
        path.write_text(set_recorded_hash(text, st.current), encoding="utf-8")
        done.append((st.translation, f"recorded {st.current[:12]} (was {st.state})"))
    return done


def main(argv: list[str] | None = None) -> int:
    import argparse

    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="python -m kfguide.builders.translations", description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default=str(root / "docs"), help="docs folder (default: docs/)")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("refresh", help="record the current Korean hash in English pages")
    r.add_argument("pages", nargs="*", help="pages to refresh (default: every English page)")
    s = sub.add_parser("status", help="print the translation summary")
    s.add_argument("--json", action="store_true", help="print the whole status as JSON")
    args = parser.parse_args(argv)
    if args.command == "refresh":
        results = refresh(args.docs, args.pages)
        bad = False
        for page, what in results:
            print(f"{page}: {what}")
            bad = bad or what.startswith("no ")
        print(summary_line(status(args.docs)))
        return 1 if bad else 0
    st = status(args.docs)
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    for d in st["details"]:
        if d["state"] != "fresh":
            print(f"{d['translation']}: {d['state']}")
    print(summary_line(st))
    return 0


if __name__ == "__main__":
    sys.exit(main())
