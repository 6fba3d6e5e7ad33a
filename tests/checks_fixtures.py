"""Helpers for the check tests: fixture folders under tests/fixtures/checks/ and their
expected findings.

A bad fixture marks every line that must produce a finding with an HTML comment on that line,
``<!-- expect: check-id [check-id ...] -->`` (comments are invisible to the checks), and lists
file-level findings (line 0) in ``EXPECTED`` as ``path check-id``. The tests compare the set of
``(path, line, check)`` the checks return with this set in both directions: every expected
finding is found, and nothing else is.
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
_EXPECT = re.compile(r"<!--\s*expect:\s*([a-z0-9 -]+?)\s*-->")


def fixture_docs(name: str) -> Path:
    return FIXTURES / name / "docs"


def expected_findings(docs: Path) -> set[tuple[str, int, str]]:
    out: set[tuple[str, int, str]] = set()
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).as_posix()
        for number, line in enumerate(md.read_text("utf-8").splitlines(), 1):
            for m in _EXPECT.finditer(line):
                for check in m.group(1).split():
                    out.add((rel, number, check))
    listing = docs / "EXPECTED"
    if listing.exists():
        for line in listing.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                path, check = line.split()
                out.add((path, 0, check))
    return out


def triples(findings, prefix: tuple[str, ...] = ()) -> set[tuple[str, int, str]]:
    return {(f.path, f.line, f.check) for f in findings if not prefix or f.check.startswith(prefix)}


def fixture_pages(docs: Path, skip: tuple[str, ...] = ("EXPECTED",)) -> dict[str, bytes]:
    """Every file of a fixture docs folder, for conftest.fixture_site()."""
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and p.relative_to(docs).as_posix() not in skip
    }
