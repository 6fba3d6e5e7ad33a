"""Symlinks that must not reach the site: the build follows a symlink and publishes whatever
it points at, so a pull request could publish a file of the machine that builds it.

Check ids (line 0, on the link itself):

``symlink-outside``   a symlink in docs/ that leads out of docs/, or one in snippets/ or
                      overrides/ that leads out of the repository (the build leaves it out)
``symlink-dangling``  a symlink that points at nothing
``symlink-loop``      a symlink that points at itself, directly or through others, or a folder
                      symlink that points at a folder it sits in

Symlinks inside docs/ to files or folders inside docs/ are fine: MkDocs follows them and the
other checks read the pages under the link's path too.
"""

from __future__ import annotations

import os
from pathlib import Path

from kfguide.model.findings import Finding
from kfguide.model.site import Site

#: Repository folders besides docs/ whose files reach the build (snippets, theme overrides).
REPO_FOLDERS = ("snippets", "overrides")

_MESSAGES = {
    "dangling": ("symlink-dangling", "this symlink points at nothing ({target}); the build cannot copy it",
                 "remove the symlink or point it at a file in the repository"),
    "loop": ("symlink-loop", "this symlink leads back to itself or to a folder it sits in ({target})",
             "remove the symlink"),
}


def check_symlinks(site: Site) -> list[Finding]:
    out: list[Finding] = []
    for bad in site.bad_links:
        if bad.kind == "outside":
            out.append(Finding(bad.path, 0, "symlink-outside",
                               f"this symlink leads out of the docs folder ({bad.target}); the build leaves it "
                               "out, so nothing outside docs/ is published",
                               "copy the file into docs/ or link to it"))
        else:
            check, message, hint = _MESSAGES[bad.kind]
            out.append(Finding(bad.path, 0, check, message.format(target=bad.target), hint))
    if site.root is not None:
        out.extend(repo_symlinks(Path(site.root)))
    return out


def repo_symlinks(root: Path, folders: tuple[str, ...] = REPO_FOLDERS) -> list[Finding]:
    """Symlinks under ``root/<folder>`` that lead out of the repository, point at nothing or
    loop (paths in findings are repository-relative, e.g. ``snippets/x.sh``)."""
    out: list[Finding] = []
    try:
        top = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return out
    for folder in folders:
        base = root / folder
        candidates = [base] if base.is_symlink() else []
        if base.is_dir() and not base.is_symlink():
            for current, dirs, names in os.walk(base):
                candidates.extend(Path(current) / name for name in sorted(dirs + names))
        for path in candidates:
            if not path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            target = os.readlink(path)
            try:
                real = path.resolve(strict=True)
            except FileNotFoundError:
                check, message, hint = _MESSAGES["dangling"]
                out.append(Finding(rel, 0, check, message.format(target=target), hint))
                continue
            except (OSError, RuntimeError):
                check, message, hint = _MESSAGES["loop"]
                out.append(Finding(rel, 0, check, message.format(target=target), hint))
                continue
            if real != top and top not in real.parents:
                out.append(Finding(rel, 0, "symlink-outside",
                                   f"this symlink leads out of the repository ({target}); the build would "
                                   "read that file", "copy the file into the repository"))
    return out
