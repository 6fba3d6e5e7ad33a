"""The hash-checked lock files: what `make serve`, `make test`, CI and the workflows install.

    python3 tools/lock.py            regenerate requirements.lock and requirements-test.lock
                                     (`make lock`; needs PyPI, nothing else)
    python3 tools/lock.py --check    exit 1 when a requirements file changed since its lock

The requirements files stay what people edit (exact pins, with comments). Each lock pins every
package the resolver needs, the transitive ones too, with the sha256 of every file PyPI has for
that version (wheels for Linux, macOS and Windows and the sdist), so `pip install
--require-hashes -r requirements.lock` installs the same bytes on any machine and refuses a
package it does not know. The first lines of each lock record a digest of its inputs (the
requirement lines, comments and blank lines left out): `--check` and tests/test_lock.py compare
it, so an edit to requirements*.txt without `make lock` fails the tests with this command's name.

pip-compile (pip-tools) comes from tools/lock-tools.lock, hash-checked as well, in its own venv
under .cache/ so it never mixes with the site's packages. The test lock is resolved with the
site lock's versions as constraints, so the two never disagree on a package they share.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL_LOCK = ROOT / "tools" / "lock-tools.lock"
TOOL_VENV = ROOT / ".cache" / "lock-tools"
# lock file -> the requirements file it is compiled from (in this order: the site lock first).
LOCKS = {"requirements.lock": "requirements.txt", "requirements-test.lock": "requirements-test.txt"}
DIGEST_PREFIX = "# inputs-sha256: "


def requirement_lines(path: Path, seen: tuple[Path, ...] = ()) -> list[str]:
    """The requirement lines of ``path`` with ``-r`` files expanded, comments and blanks dropped."""
    path = path.resolve()
    if path in seen:
        raise SystemExit(f"{path}: -r loop")
    out: list[str] = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            out += requirement_lines(path.parent / line.split(None, 1)[1], (*seen, path))
        else:
            out.append(" ".join(line.split()))
    return out


def inputs_digest(requirements: Path) -> str:
    text = "\n".join(sorted(requirement_lines(requirements))) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recorded_digest(lock: Path) -> str | None:
    if not lock.exists():
        return None
    for line in lock.read_text("utf-8").splitlines()[:10]:
        if line.startswith(DIGEST_PREFIX):
            return line[len(DIGEST_PREFIX):].strip()
    return None


def stale_locks(root: Path = ROOT) -> list[str]:
    """``LOCK: reason`` for every lock that does not match its requirements file."""
    out = []
    for lock, source in LOCKS.items():
        got = recorded_digest(root / lock)
        if got is None:
            out.append(f"{lock}: missing or without its '{DIGEST_PREFIX.strip()}' line")
        elif got != inputs_digest(root / source):
            out.append(f"{lock}: {source} changed since the lock was made")
    return out


def _tool_python() -> Path:
    """pip-compile's own venv, installed from the hash-checked tools/lock-tools.lock."""
    python = TOOL_VENV / "bin" / "python"
    stamp = TOOL_VENV / ".installed"
    if not (stamp.exists() and stamp.read_text() == TOOL_LOCK.read_text("utf-8")):
        venv.create(TOOL_VENV, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--require-hashes",
                        "-r", str(TOOL_LOCK)], check=True)
        stamp.write_text(TOOL_LOCK.read_text("utf-8"))
    return python


def _compile(python: Path, source: str, output: Path, constraints: Path | None) -> None:
    cmd = [str(python), "-m", "piptools", "compile", "--quiet", "--generate-hashes",
           "--allow-unsafe", "--strip-extras", "--no-header", "--no-emit-index-url",
           "--no-emit-find-links", "--no-emit-trusted-host", "--annotation-style", "line",
           "--rebuild", "--output-file", str(output), source]
    if constraints is not None:
        cmd[-1:-1] = ["--constraint", str(constraints.relative_to(ROOT))]
    # Python 3.11 on Linux x86_64 is what CI, the runner and the README's machine use; the
    # hashes cover every platform's files, so macOS authors install the same versions.
    subprocess.run(cmd, cwd=ROOT, check=True, env={**os.environ, "CUSTOM_COMPILE_COMMAND": "make lock"})


def regenerate() -> None:
    python = _tool_python()
    work = ROOT / ".cache" / "lock"
    work.mkdir(parents=True, exist_ok=True)
    pins: Path | None = None
    for lock, source in LOCKS.items():
        with tempfile.NamedTemporaryFile("r", dir=work, suffix=".txt", delete=False) as tmp:
            out = Path(tmp.name)
        try:
            _compile(python, source, out, pins)
            body = out.read_text("utf-8")
        finally:
            out.unlink(missing_ok=True)
        if pins is not None:  # `# via -c .cache/lock/site-pins.txt` says nothing to a reader
            body = body.replace(f"-c {pins.relative_to(ROOT).as_posix()}", "site lock")
        header = (f"# Generated by `make lock` (tools/lock.py) from {source}: do not edit by hand.\n"
                  f"# pip installs it with --require-hashes; see README \"의존성 (Dependencies)\".\n"
                  f"{DIGEST_PREFIX}{inputs_digest(ROOT / source)}\n")
        (ROOT / lock).write_text(header + body, "utf-8")
        print(f"wrote {lock}")
        if pins is None:  # the test lock takes the site lock's versions as constraints
            pins = work / "site-pins.txt"
            lines = [l.split(" ", 1)[0] for l in body.splitlines() if "==" in l and not l.startswith(" ")]
            pins.write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the locks are current")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_locks()
        for line in stale:
            print(f"{line}: run `make lock` (python3 tools/lock.py)", file=sys.stderr)
        return 1 if stale else 0
    regenerate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
