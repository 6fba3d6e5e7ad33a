"""Take upstream files out of a git repository at a tag: a local clone, a bare mirror or a URL.

Nothing is copied into this repository. ``Source.open`` checks the location (a missing path is
a clear error), clones a URL once into the throw-away work directory (``--depth 1`` at the
ref), and resolves the ref to a commit. ``export`` writes one folder of the tree into a
directory with ``git archive`` (no ``.git``, no untracked files), ``read`` returns one file.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from screenkit.steps import Problem

URL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:)")
COMMIT_RE = re.compile(r"^[0-9a-f]{7,40}$")


def _git(args: list[str], *, binary: bool = False, timeout: float = 600) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=not binary, timeout=timeout, check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise Problem("`git` is not installed") from None
    except subprocess.TimeoutExpired:
        raise Problem(f"`git {' '.join(args[:3])}` ran longer than {timeout:.0f} s") from None


def _stderr(result: subprocess.CompletedProcess) -> str:
    text = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {result.returncode}"


@dataclass
class Source:
    """One upstream repository at one ref."""

    location: str  # what the author passed: a path or a URL
    ref: str
    git_dir: str
    commit: str

    @classmethod
    def open(cls, location: str, ref: str, work: Path) -> "Source":
        if not location:
            raise Problem("no source given (a path to a git clone or mirror, or a git URL)")
        if URL_RE.match(location):
            target = work / "clone" / re.sub(r"[^A-Za-z0-9._-]+", "_", location)[-80:]
            if not (target / "HEAD").exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                if COMMIT_RE.match(ref):  # a commit cannot be cloned by name: take the history, not the files
                    shallow = ["--filter=blob:none"]
                else:
                    shallow = ["--depth", "1", "--branch", ref]
                result = _git(["clone", "--quiet", "--bare", *shallow, location, str(target)])
                if result.returncode != 0:
                    raise Problem(f"cannot clone {location} at {ref}: {_stderr(result)}")
            git_dir = str(target)
        else:
            path = Path(location).expanduser()
            if not path.exists():
                raise Problem(f"{location}: no such directory (pass a git clone, a bare mirror or a git URL)")
            result = _git(["-C", str(path), "rev-parse", "--git-dir"])
            if result.returncode != 0:
                raise Problem(f"{location} is not a git repository: {_stderr(result)}")
            git_dir = str((path / result.stdout.strip()).resolve())
        result = _git(["--git-dir", git_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
        if result.returncode != 0:
            tags = _git(["--git-dir", git_dir, "tag", "--sort=-creatordate"]).stdout.split()[:8]
            known = f" (tags: {', '.join(tags)})" if tags else ""
            raise Problem(f"{location} has no tag, branch or commit {ref!r}{known}")
        return cls(location=location, ref=ref, git_dir=git_dir, commit=result.stdout.strip())

    def export(self, subpath: str, dest: Path) -> Path:
        """Write ``subpath`` of the tree at the commit under ``dest``; return ``dest/subpath``."""
        result = _git(["--git-dir", self.git_dir, "archive", "--format=tar", self.commit, subpath], binary=True)
        if result.returncode != 0:
            raise Problem(f"{self.location} at {self.ref} has no {subpath!r}: {_stderr(result)}")
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(dest, filter="data")
        return dest / subpath

    def read(self, path: str) -> bytes | None:
        """One file of the tree at the commit, or None when the tree has no such file."""
        result = _git(["--git-dir", self.git_dir, "show", f"{self.commit}:{path}"], binary=True)
        return result.stdout if result.returncode == 0 else None
