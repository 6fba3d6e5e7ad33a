"""Which source files a build must not read: links that leave the repository.

MkDocs follows symlinks, so ``docs/x.md -> /proc/self/environ`` would publish the build
machine's environment, and a folder symlink a whole tree. :func:`outside` walks the source
folders the way MkDocs reads them (following links that stay inside the repository) and names
every entry that resolves outside it, does not resolve (dangling, a loop) or is not a regular
file or folder. Standard library only: ``tools/source_guard.py`` runs it before the venv exists
(``make build``, the PR workflow), and a check can turn the same list into findings.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

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
