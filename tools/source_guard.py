"""Refuse a build whose sources reach outside the repository through a symlink.

    python3 tools/source_guard.py [DIR...]      (default: docs snippets overrides)

MkDocs follows symlinks: ``docs/x.md -> /proc/self/environ`` would publish the build machine's
environment, and a folder symlink publishes a whole tree. `make build` and the PR workflow run
this before anything reads the sources, so a pull request that only adds such a link never
gets a build (README "보안 설계"). Every file and folder under DIR... is followed the way MkDocs
follows it; each one that resolves outside the repository, does not resolve (dangling, a loop)
or is not a regular file or folder (a FIFO would hang the build) is printed as
``path: reason``, all of them, and the exit status is 1. Standard library only: it runs before
the venv exists. The checks (``python -m kfguide check``) report the same links as findings.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("docs", "snippets", "overrides")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # names and link targets come from the pull request


def _shown(text: str) -> str:
    return _CONTROL.sub("?", text)


def outside(root: Path, folders: tuple[str, ...] | list[str] = FOLDERS) -> list[str]:
    """``path: reason`` for every entry under ``folders`` that a build must not read."""
    root = root.resolve()
    problems: list[str] = []
    seen: set[Path] = set()
    stack = [root / name for name in folders if os.path.lexists(root / name)]
    while stack:
        path = stack.pop()
        rel = _shown(path.relative_to(root).as_posix())
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(f"{rel}: symlink to {_shown(os.readlink(path))} does not resolve (dangling or a loop)")
                continue
            if not target.is_relative_to(root):
                problems.append(f"{rel}: symlink to {_shown(os.readlink(path))} resolves outside the repository")
                continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            problems.append(f"{rel}: cannot be read ({exc.strerror})")
            continue
        if stat.S_ISDIR(mode):
            real = path.resolve()
            if real in seen:  # a folder reached twice (through an inside link): once is enough
                continue
            seen.add(real)
            try:
                names = sorted(os.listdir(path), reverse=True)
            except OSError as exc:
                problems.append(f"{rel}: cannot be listed ({exc.strerror})")
                continue
            stack.extend(path / name for name in names)
        elif not stat.S_ISREG(mode):
            problems.append(f"{rel}: not a regular file or folder")
    return sorted(problems)


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
