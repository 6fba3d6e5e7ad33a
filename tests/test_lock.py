"""The hash-checked lock files (tools/lock.py, `make lock`) agree with the requirements files.

pip installs only ``requirements*.lock`` with ``--require-hashes`` (Makefile, so CI and the
workflows too). These tests fail when someone edits requirements*.txt without `make lock`, when
a lock entry has no hash, when the two locks disagree, and when an install path skips the lock.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import lock  # noqa: E402

ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, sha256 hashes) of every entry of a lock file."""
    out: dict[str, tuple[str, list[str]]] = {}
    name = None
    for line in path.read_text("utf-8").splitlines():
        m = ENTRY.match(line)
        if m:
            name = m[1].lower().replace("_", "-").replace(".", "-")
            out[name] = (m[2], [])
        elif line.strip().startswith("--hash=sha256:") and name:
            out[name][1].append(line.strip().split(":", 1)[1].rstrip(" \\"))
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{path.name}: unexpected line {line!r} (regenerate with `make lock`)")
    return out


@pytest.mark.parametrize("lock_name, source", list(lock.LOCKS.items()))
def test_each_lock_matches_its_requirements(lock_name, source):
    assert lock.recorded_digest(ROOT / lock_name) == lock.inputs_digest(ROOT / source), \
        f"{source} changed since {lock_name} was made: run `make lock`"
    entries = locked(ROOT / lock_name)
    for line in lock.requirement_lines(ROOT / source):
        req = Requirement(line)
        name = req.name.lower().replace("_", "-").replace(".", "-")
        assert name in entries, f"{source}: {req.name} is not in {lock_name}: run `make lock`"
        assert req.specifier.contains(entries[name][0], prereleases=True), \
            f"{source} wants {line}, {lock_name} has {entries[name][0]}: run `make lock`"
    for name, (version, hashes) in entries.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name


def test_the_locks_agree_and_the_test_lock_holds_the_site_lock():
    site, test = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-test.lock")
    assert {n: v for n, (v, _) in site.items()} == {n: test[n][0] for n in site if n in test}
    assert set(site) <= set(test)


def test_an_edit_without_make_lock_is_caught(tmp_path):
    for name in ("requirements.txt", "requirements-test.txt", *lock.LOCKS):
        shutil.copy(ROOT / name, tmp_path / name)
    assert lock.stale_locks(tmp_path) == []
    # A comment or a blank line changes nothing; a new dependency does.
    text = (tmp_path / "requirements-test.txt").read_text("utf-8")
    (tmp_path / "requirements-test.txt").write_text(text + "\n# a note\n\n", "utf-8")
    assert lock.stale_locks(tmp_path) == []
    (tmp_path / "requirements-test.txt").write_text(text + "jsonschema==4.25.1\n", "utf-8")
    assert lock.stale_locks(tmp_path) == ["requirements-test.lock: requirements-test.txt changed since the lock was made"]
    # An edit to the site requirements makes both locks stale (the test file includes it).
    (tmp_path / "requirements.txt").write_text(
        (ROOT / "requirements.txt").read_text("utf-8").replace("click==8.5.1", "click==8.5.0"), "utf-8")
    assert len(lock.stale_locks(tmp_path)) == 2
    (tmp_path / "requirements.lock").unlink()
    assert "requirements.lock: missing" in lock.stale_locks(tmp_path)[0]


def test_every_pip_install_goes_through_a_hash_checked_lock():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    installs = re.findall(r"^\t.*pip install.*$", makefile, re.M)
    assert installs and all("--require-hashes -r requirements" in l and ".lock" in l for l in installs), installs
    assert "--upgrade pip" not in makefile  # an unpinned, unhashed pip from the index
    tool = (ROOT / "tools" / "lock.py").read_text("utf-8")
    assert '"--require-hashes"' in tool  # pip-compile's own venv too
    assert all("--hash=sha256:" in block for block in
               (ROOT / "tools" / "lock-tools.lock").read_text("utf-8").split("==")[1:])
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = path.read_text("utf-8")
        assert "pip install" not in text, f"{path.name}: install through make (the lock), not pip"
    assert "pip install" not in (ROOT / ".ci" / "run").read_text("utf-8")
