"""The build caches (.cache/kfguide/*.json, kfguide.model.memo.DiskStore) never go stale.

A copy of the repository is built with ``mkdocs build --strict`` as a fresh clone would be (no
caches), then again with the caches that build left, then after edits to a page, a glossary
term and the readings, and each warm build is compared, file by file, with a cold build of the
same tree: every byte must be the same. A page edited to hold a wrong spelling and a 해요체
sentence fails the warm build at the right lines, and the fix passes it again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_reproducible import EPOCH, copy_repository, files

CACHES = ("glossary-links", "search-forms", "spelling", "style-findings")
TEMPLATES = ".cache/kfguide/jinja"  # compiled templates (hooks/serve.py), one folder
FINDING = re.compile(r"^WARNING -  hooks/checks: (\S+?):(\d+): \[([a-z0-9-]+)\] ", re.M)


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFGUIDE_")}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=str(EPOCH), KFGUIDE_REPORT="")
    return subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


def built(project: Path, site: Path) -> dict[str, bytes]:
    proc = build(project, site)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return files(site)


def cold(project: Path, site: Path) -> dict[str, bytes]:
    """A build of ``project`` as a fresh clone makes it, leaving the project's caches alone."""
    kept = project / ".cache"
    aside = project.parent / f"{project.name}-cache-aside"
    kept.rename(aside)
    try:
        return built(project, site)
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        aside.rename(kept)


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("build-cache") / "repo", EPOCH)


def test_a_warm_build_is_byte_identical_to_a_cold_one_before_and_after_edits(project, tmp_path):
    first = built(project, tmp_path / "first")  # no .cache yet: computes and stores everything
    for name in CACHES:
        assert (project / ".cache/kfguide" / f"{name}.json").is_file(), name
    (folder,) = (project / TEMPLATES).iterdir()
    assert len(list(folder.iterdir())) > 10  # main.html, base.html, partials/...
    assert differing(built(project, tmp_path / "warm"), first) == []

    # Edits that reach each cached result: a term's definition (tooltips), a new variant (the
    # search lexicon, the spelling check), a page's text (search forms, links, both checks),
    # a reading (the style check's context), a template (compiled templates).
    glossary = project / "data/glossary.yml"
    text = glossary.read_text("utf-8")
    old_def = "클러스터 안의 리소스를 이름으로 나누는 영역입니다. Kubeflow에서는 사용자나 팀마다 하나씩 씁니다."
    new_def = "클러스터 안의 리소스를 이름으로 나누는 영역입니다. Kubeflow에서는 팀마다 하나씩 받습니다."
    assert old_def in text
    text = text.replace(old_def, new_def).replace("variants: [네임 스페이스, 네임스패이스]",
                                                  "variants: [네임 스페이스, 네임스패이스, 네임스페이쓰]")
    glossary.write_text(text, "utf-8")
    page = project / "docs/katib.md"
    page.write_text(page.read_text("utf-8") + "\n실험 결과는 네임스페이스마다 따로 모입니다.\n", "utf-8")
    readings = project / "data/readings.yml"
    readings.write_text(readings.read_text("utf-8") + "Zorblax: 조르블락스\n", "utf-8")
    template = project / "overrides/main.html"
    marker = "<!-- kfguide build-cache test -->"
    template.write_text(template.read_text("utf-8").replace("{% block extrahead %}\n",
                                                             "{% block extrahead %}\n  " + marker + "\n", 1), "utf-8")

    warm = built(project, tmp_path / "edited-warm")
    assert differing(warm, cold(project, tmp_path / "edited-cold")) == []
    changed = differing(warm, first)
    assert "katib/index.html" in changed and "search/search_index.json" in changed
    dashboard = warm["dashboard/index.html"].decode("utf-8")
    assert new_def in dashboard and old_def not in dashboard  # the tooltip of an unedited page
    assert "네임스페이스마다" in warm["search/search_index.json"].decode("utf-8")
    assert marker in warm["index.html"].decode("utf-8") and marker in warm["en/katib/index.html"].decode("utf-8")


def test_a_cached_page_still_fails_when_it_gains_a_problem_and_passes_when_fixed(project, tmp_path):
    page = project / "docs/index.md"
    original = page.read_text("utf-8")
    assert built(project, tmp_path / "before")  # caches warm for this tree
    lines = original.rstrip("\n").split("\n")
    page.write_text("\n".join([*lines, "", "대쉬보드를 엽니다.", "", "파일을 저장하세요.", ""]), "utf-8")
    try:
        proc = build(project, tmp_path / "broken")
        assert proc.returncode != 0
        found = {(path, int(line), check) for path, line, check in FINDING.findall(proc.stderr)}
        assert ("index.md", len(lines) + 2, "term") in found, proc.stderr[-3000:]
        assert ("index.md", len(lines) + 4, "style-register") in found, proc.stderr[-3000:]
        again = build(project, tmp_path / "broken-again")  # the findings come back from the cache
        assert again.returncode != 0
        assert {(p, int(n), c) for p, n, c in FINDING.findall(again.stderr)} == found
    finally:
        page.write_text(original, "utf-8")
    assert built(project, tmp_path / "fixed")
