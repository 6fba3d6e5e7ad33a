"""kfguide.model.sources, tools/source_guard.py and `make build`: sources that reach outside the repository are refused
before MkDocs reads them (issue 16: `docs/x.md -> /proc/self/environ` published the runner's data).

`make build` is exercised with a stand-in venv (a fake ``mkdocs`` that records how it was called),
so these tests prove the Makefile's order and environment without a real build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import source_guard  # noqa: E402


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    for name in ("docs/images", "snippets", "overrides/partials", "data"):
        (root / name).mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 홈\n", "utf-8")
    (root / "snippets" / "a.sh").write_text("echo\n", "utf-8")
    (root / "data" / "shared.md").write_text("shared\n", "utf-8")
    return root


def test_a_clean_tree_and_links_that_stay_inside_pass(repo):
    (repo / "docs" / "same.md").symlink_to("index.md")
    (repo / "docs" / "shared.md").symlink_to("../data/shared.md")
    (repo / "docs" / "data").symlink_to("../data", target_is_directory=True)
    (repo / "docs" / "again").symlink_to(".", target_is_directory=True)  # a loop MkDocs also survives
    assert source_guard.outside(repo) == []


def test_every_way_out_is_refused_at_once(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("token\n", "utf-8")
    (repo / "tools").mkdir()
    (repo / "tools" / "x.md").symlink_to(outside / "secret.md")
    (repo / "docs" / "env.md").symlink_to("/proc/self/environ")
    (repo / "docs" / "etc").symlink_to("/etc", target_is_directory=True)
    (repo / "docs" / "up.md").symlink_to("../../outside/secret.md")
    (repo / "docs" / "tools").symlink_to("../tools", target_is_directory=True)  # inside, but holds a way out
    (repo / "snippets" / "s.sh").symlink_to(outside / "secret.md")
    (repo / "overrides" / "partials" / "p.html").symlink_to(outside)
    (repo / "docs" / "gone.md").symlink_to("nowhere.md")
    (repo / "docs" / "loop1.md").symlink_to("loop2.md")
    (repo / "docs" / "loop2.md").symlink_to("loop1.md")
    os.mkfifo(repo / "docs" / "fifo.md")
    (repo / "data" / "ignored.md").symlink_to("/etc/passwd")  # not a source folder: not scanned
    got = source_guard.outside(repo)
    assert got == sorted([
        "docs/env.md: symlink to /proc/self/environ resolves outside the repository",
        "docs/etc: symlink to /etc resolves outside the repository",
        "docs/up.md: symlink to ../../outside/secret.md resolves outside the repository",
        f"docs/tools/x.md: symlink to {outside / 'secret.md'} resolves outside the repository",
        f"snippets/s.sh: symlink to {outside / 'secret.md'} resolves outside the repository",
        f"overrides/partials/p.html: symlink to {outside} resolves outside the repository",
        "docs/gone.md: symlink to nowhere.md does not resolve (dangling or a loop)",
        "docs/loop1.md: symlink to loop2.md does not resolve (dangling or a loop)",
        "docs/loop2.md: symlink to loop1.md does not resolve (dangling or a loop)",
        "docs/fifo.md: not a regular file or folder",
    ])


def test_a_source_folder_that_is_itself_a_link_out_is_refused(repo, tmp_path):
    shutil.rmtree(repo / "snippets")
    (repo / "snippets").symlink_to(tmp_path, target_is_directory=True)
    assert source_guard.outside(repo) == [f"snippets: symlink to {tmp_path} resolves outside the repository"]


def test_names_with_newlines_cannot_forge_output_lines(repo, capsys, monkeypatch):
    (repo / "docs" / "x\n::warning::forged.md").symlink_to("/etc/passwd\n::error::forged")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert source_guard.main([]) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and out.startswith("::error file=docs/x?%3A%3Awarning%3A%3Aforged.md::")
    assert "\n::" not in err


# --- make build ------------------------------------------------------------------------------------

FAKE_MKDOCS = """#!/bin/sh
printf 'args=%s\\nSOURCE_DATE_EPOCH=%s\\n' "$*" "${SOURCE_DATE_EPOCH-unset}" > "$(dirname "$0")/../mkdocs-ran"
"""


def make_project(tmp_path: Path) -> Path:
    """A copy of what `make build` touches, with a stand-in venv whose packages are 'installed'."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "requirements.txt", "requirements-test.txt", "requirements.lock",
                 "requirements-test.lock", "tools/lock.py", "tools/source_guard.py",
                 "kfguide/__init__.py", "kfguide/model/__init__.py", "kfguide/model/sources.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, project / name)
    for name in ("docs", "snippets", "overrides"):
        (project / name).mkdir()
    (project / "docs" / "index.md").write_text("# x\n", "utf-8")
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").symlink_to(sys.executable)
    (venv / "mkdocs").write_text(FAKE_MKDOCS, "utf-8")
    (venv / "mkdocs").chmod(0o755)
    (project / ".venv" / ".installed-site").touch()
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@e"]
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x", "--date", "@1234567890"]):
        assert subprocess.run([*git, *cmd], capture_output=True,
                              env={**os.environ, "GIT_COMMITTER_DATE": "@1234567890"}).returncode == 0
    return project


def make_build(project: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH" and not k.startswith("MAKE")}
    return subprocess.run(["make", "-s", "build"], cwd=project, capture_output=True, text=True,
                          env={**clean, **env}, timeout=60)


def test_make_build_refuses_before_mkdocs_reads_anything(tmp_path):
    project = make_project(tmp_path)
    (project / "docs" / "env.md").symlink_to("/proc/self/environ")
    proc = make_build(project)
    assert proc.returncode != 0
    assert "docs/env.md: symlink to /proc/self/environ resolves outside the repository" in proc.stderr
    assert not (project / ".venv" / "mkdocs-ran").exists()


def test_make_build_passes_the_commit_time_as_source_date_epoch(tmp_path):
    project = make_project(tmp_path)
    proc = make_build(project)
    assert proc.returncode == 0, proc.stderr
    ran = (project / ".venv" / "mkdocs-ran").read_text()
    assert "args=build --strict\n" in ran and "SOURCE_DATE_EPOCH=1234567890\n" in ran
    proc = make_build(project, SOURCE_DATE_EPOCH="1700000000")  # an explicit value wins
    assert proc.returncode == 0 and "SOURCE_DATE_EPOCH=1700000000\n" in (project / ".venv" / "mkdocs-ran").read_text()
    shutil.rmtree(project / ".git")  # not a checkout: the clock, and never an empty value
    assert make_build(project).returncode == 0
    assert "SOURCE_DATE_EPOCH=unset\n" in (project / ".venv" / "mkdocs-ran").read_text()


def test_the_guard_needs_nothing_but_the_standard_library(tmp_path):
    """It runs before the venv exists (pr.yml, make build): no site-packages at all."""
    proc = subprocess.run([sys.executable, "-S", "-I", str(ROOT / "tools" / "source_guard.py")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
