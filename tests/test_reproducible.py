"""Reproducible builds: one commit, built on two different days, gives the same bytes.

Two copies of the repository (different folders, file times a year apart) are built with
``mkdocs build --strict`` on two simulated dates (tests/fixtures/fakeclock moves every clock
Python reads), in two time zones, with two hash seeds (set and dict ordering), both with the
same SOURCE_DATE_EPOCH, as the Makefile and the workflows set it from the commit. Every file
of the two sites must be byte-identical: sitemap.xml and sitemap.xml.gz (date and gzip header),
the search indexes, the generated figures, every page.

A third build without SOURCE_DATE_EPOCH proves the simulation reaches MkDocs: its sitemaps
carry the simulated date and differ, so this test fails on the old, clock-dated build.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAKECLOCK = ROOT / "tests" / "fixtures" / "fakeclock"
EPOCH = 1_700_000_000            # 2023-11-14 UTC, as a commit time
YEAR = 366 * 24 * 3600


def copy_repository(dest: Path, mtime: float) -> Path:
    """The files git knows (committed or new, not ignored), with every file time set to mtime."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if not src.is_file() and not src.is_symlink():
            continue  # deleted in the work tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
        os.utime(target, (mtime, mtime), follow_symlinks=False)
    return dest


def build(project: Path, *, shift: float, tz: str, seed: str, epoch: int | None) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONPATH")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(FAKECLOCK), FAKE_CLOCK_SHIFT=str(shift),
               TZ=tz, PYTHONHASHSEED=seed)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    proc = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return project / "site"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def three_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    now = float(EPOCH + 2 * YEAR)
    a = copy_repository(base / "a", now)
    b = copy_repository(base / "elsewhere" / "b", now + YEAR)
    c = copy_repository(base / "c", now + YEAR)
    jobs = [(a, dict(shift=0, tz="UTC", seed="1", epoch=EPOCH)),
            (b, dict(shift=YEAR, tz="Asia/Seoul", seed="2", epoch=EPOCH)),
            (c, dict(shift=YEAR, tz="Asia/Seoul", seed="3", epoch=None))]
    with ThreadPoolExecutor(2) as pool:  # two cores on the machine
        sites = list(pool.map(lambda job: build(job[0], **job[1]), jobs))
    return [files(site) for site in sites]


def test_two_days_two_folders_same_bytes(three_builds):
    first, second, _ = three_builds
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"these files depend on the day, folder, time zone or hash seed: {differ}"
    assert "sitemap.xml" in first and "sitemap.xml.gz" in first and "en/sitemap.xml" in first
    assert b"<lastmod>2023-11-14</lastmod>" in first["sitemap.xml"]
    mtime = int.from_bytes(first["sitemap.xml.gz"][4:8], "little")  # gzip header time
    assert abs(mtime - EPOCH) < 24 * 3600
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]


def test_without_source_date_epoch_the_simulated_day_shows(three_builds):
    """The control: the clock the fake moved is the one MkDocs dates the sitemap with."""
    first, _, clock = three_builds
    changed = sorted(name for name in first if first[name] != clock.get(name))
    assert {"sitemap.xml", "sitemap.xml.gz", "en/sitemap.xml", "en/sitemap.xml.gz"} <= set(changed)
    assert b"<lastmod>2023-11-14</lastmod>" not in clock["sitemap.xml"]
