"""``python -m kfguide.report.spelling [FILE_OR_DIR ...]``: the spelling check over files.

Reads the glossary (data/glossary.yml), checks the given Markdown files or folders (default
docs/), prints ``path:line: [term] '대쉬보드' → '대시보드' (use 대시보드)`` for each
disallowed variant and exits 1 when it found any (or the glossary has problems).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kfguide import ROOT
from kfguide.checks import glossary
from kfguide.checks.spelling import check_files


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = ROOT
    terms, problems = glossary.load(root / glossary.DATA_PATH, root=root)
    for f in problems:
        print(f.format(), file=sys.stderr)
    targets = [Path(a) for a in args] or [root / "docs"]
    files: list[Path] = []
    for t in targets:
        files.extend(sorted(t.rglob("*.md")) if t.is_dir() else [t])
    findings = check_files(files, terms, Path.cwd())
    for f in findings:
        print(f.format())
    print(f"term: {len(findings)} disallowed variant(s) in {len(files)} file(s)", file=sys.stderr)
    return 1 if findings or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
