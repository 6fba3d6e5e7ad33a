"""The spelling check: disallowed variants of glossary terms in prose (``[term]`` findings).

``check_text(text, path, variants)`` flags every variant at a word start (not preceded by a
Hangul syllable or a Latin letter/digit) and followed by a boundary, Korean particles or
endings (대쉬보드를, 대쉬보드에서는, 대쉬보드입니다), or the start of another glossary term
(쥬피터노트북), in the prose of a page (kfguide.model.prose). A Latin variant (MLFlow) must
end at a non-Latin character. Matching is case-sensitive: ``MLFlow`` is a variant, ``MLflow``
the preferred spelling.

Run it over files: ``python -m kfguide.report.spelling [FILE_OR_DIR ...]`` (default docs/)
prints ``path:line: [term] '대쉬보드' → '대시보드' (use 대시보드)`` and exits 1 when it found any.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from kfguide.model import memo
from kfguide.model.findings import Finding
from kfguide.model.prose import MASK, matcher, prose_lines


@dataclass(frozen=True)
class Variant:
    text: str
    preferred: str  # the preferred spelling (term's ko)
    term: str  # display name of the term, e.g. "대시보드 (Central Dashboard)"


def check_text(text: str, path: str, variants: Sequence[Variant], continuations: Iterable[str] = ()) -> list[Finding]:
    """Findings for every disallowed variant in the prose of ``text`` (a Markdown source)."""
    if not variants:
        return []
    return _check_text(text, path, variants, continuations)


def _check_text(text: str, path: str, variants: Sequence[Variant], continuations: Iterable[str]) -> list[Finding]:
    by_text = {v.text: v for v in variants}
    found_by = matcher(by_text, continuations)
    findings: list[Finding] = []
    for pl in prose_lines(text):
        if pl.kind == "skip" or not pl.prose.strip(MASK + " \t"):
            continue
        for start, _end, found in found_by.finditer(pl.prose):
            v = by_text[found]
            findings.append(
                Finding(
                    path,
                    pl.number,
                    "term",
                    f"'{found}' → '{v.preferred}' ({v.term}, column {start + 1})",
                    f"use {v.preferred}",
                )
            )
    return findings


def variants_from_terms(terms) -> tuple[list[Variant], list[str]]:
    """(variants, continuations) from kfguide.checks.glossary terms."""
    variants: list[Variant] = []
    conts: set[str] = set()
    for t in terms:
        conts.add(t.ko)
        conts.update(t.match)
        for v in t.variants:
            variants.append(Variant(v, t.ko, t.display_en))
            conts.add(v)
    return variants, sorted(conts)


#: Findings per (file text, path, variants): `mkdocs serve` rechecks only the files (or terms)
#: that changed. The variants enter the key as one digest, computed once per call.
_CHECKED = memo.store("spelling", maxsize=8192)


def check_files(paths: Iterable[Path], terms, root: Path | None = None) -> list[Finding]:
    """Check Markdown/text files. Finding paths are relative to ``root`` when given."""
    variants, conts = variants_from_terms(terms)
    findings: list[Finding] = []
    texts: list[tuple[str, str]] = []
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding(str(p), 0, "term", f"cannot read: {exc}"))
            continue
        texts.append((p.relative_to(root).as_posix() if root and p.is_relative_to(root) else str(p), text))
    return findings + check_texts(texts, variants, conts)


def load_rows(rows: object) -> tuple[Finding, ...]:
    """Findings stored as :meth:`Finding.as_row` lists; ValueError for anything else."""
    if not isinstance(rows, list):
        raise ValueError("not a list of finding rows")
    return tuple(Finding.from_row(row) for row in rows)


def dump_rows(found: Iterable[Finding]) -> list[list]:
    return [f.as_row() for f in found]


def check_texts(texts: Iterable[tuple[str, str]], variants: Sequence[Variant],
                continuations: Iterable[str] = (), stored: memo.DiskStore | None = None) -> list[Finding]:
    """Findings of :func:`check_text` for each (path, text), kept per file text, path and
    variants (so a rebuild under `mkdocs serve` redoes only the files or terms that changed);
    ``stored`` keeps them between processes too (``.cache/kfguide/spelling.json``)."""
    if not variants:
        return []
    conts = sorted(continuations)
    vkey = memo.digest([f"{v.text}\x1e{v.preferred}\x1e{v.term}" for v in variants], conts)
    findings: list[Finding] = []
    for rel, text in texts:
        findings.extend(memo.recall(_CHECKED, (text, rel, vkey), stored,
                                    lambda: tuple(_check_text(text, rel, variants, conts))))
    return findings


def check_docs(docs_dir: Path | str, terms) -> list[Finding]:
    """Check every Markdown page under ``docs_dir``; paths relative to it (``dashboard.md``)."""
    docs = Path(docs_dir)
    pages = sorted(p for p in docs.rglob("*.md") if not any(part.startswith(".") for part in p.parts))
    return check_files(pages, terms, docs)
