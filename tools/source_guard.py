"""Refuse a build whose sources reach outside the repository through a symlink.

    python3 tools/source_guard.py [DIR...]      (default: docs snippets overrides)

`make build` and the PR workflow run this before anything reads the sources, so a pull request
that only adds ``docs/x.md -> /proc/self/environ`` never gets a build (README "보안 설계").
Every entry :func:`kfguide.model.sources.outside` names is printed as ``path: reason`` (and as
a GitHub annotation in Actions), all of them, and the exit status is 1. Standard library only:
it runs before the venv exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kfguide.model.sources import FOLDERS, outside  # noqa: E402  (stdlib-only module)

def main(argv: list[str] | None = None) -> int:
    folders = (argv if argv is not None else sys.argv[1:]) or list(FOLDERS)
    problems = outside(Path.cwd(), folders)
    for problem in problems:
        print(problem, file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            path, _, message = problem.partition(": ")
            esc = {"%": "%25", ",": "%2C", ":": "%3A"}
            name = "".join(esc.get(ch, ch) for ch in path)
            print(f"::error file={name}::{message.replace('%', '%25')}")
    if problems:
        print(f"source_guard: {len(problems)} source(s) refused; nothing was built", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
