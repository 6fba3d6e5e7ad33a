"""hooks/checks.py in real ``mkdocs build --strict`` runs of fixture sites (real mkdocs.yml
settings, both languages): findings appear once each as WARNING lines and fail the build."""

from __future__ import annotations

import json
import re

import pytest

from checks_fixtures import expected_findings, fixture_docs, fixture_pages
from conftest import fixture_site, run_mkdocs_build

HOOKS = ["hooks/site_fixes.py", "hooks/figures.py", "hooks/checks.py"]
LINE = re.compile(r"^WARNING -  hooks/checks: (\S+?):(\d+): \[([a-z0-9-]+)\] ")


def hook_findings(stderr: str) -> list[tuple[str, int, str]]:
    out = []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if m:
            out.append((m.group(1), int(m.group(2)), m.group(3)))
    return out


@pytest.fixture(autouse=True)
def _existing_hooks(monkeypatch):
    from conftest import ROOT

    missing = [h for h in HOOKS if not (ROOT / h).exists()]
    for hook in missing:
        HOOKS.remove(hook)
    yield
    HOOKS.extend(missing)


def test_bad_fixture_fails_strict_build_with_every_finding_once(tmp_path):
    docs = fixture_docs("bad")
    config = fixture_site(tmp_path, fixture_pages(docs), hooks=HOOKS)
    report = tmp_path / "report.json"
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT=str(report))
    assert result.returncode == 1
    found = hook_findings(result.stderr)
    assert len(found) == len(set(found)), "each finding is reported once per run"
    assert set(found) == expected_findings(docs)
    data = json.loads(report.read_text("utf-8"))
    assert data["total"] == len(found)
    assert "Traceback" not in result.stderr


def test_good_fixture_builds_strict(tmp_path):
    # encoded.md is left out: MkDocs' own anchor validation compares percent-encoded anchors
    # literally and warns about them (a false positive our checks do not have).
    pages = fixture_pages(fixture_docs("good"), skip=("EXPECTED", "encoded.md"))
    config = fixture_site(tmp_path, pages, hooks=HOOKS)
    report = tmp_path / "report.json"
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT=str(report))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert json.loads(report.read_text("utf-8"))["total"] == 0
    assert (tmp_path / "site" / "en" / "guide" / "index.html").exists()


def test_seed_chapter_build_points_at_every_broken_reference(tmp_path):
    pages = fixture_pages(fixture_docs("seed"))
    config = fixture_site(tmp_path, pages, hooks=HOOKS)
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT="")
    assert result.returncode == 1
    found = set(hook_findings(result.stderr))
    broken = {("dashboard.md", line, check) for line, check in [
        (12, "link-bad-fragment"), (20, "image-missing"), (28, "image-missing"), (34, "image-missing"),
        (67, "image-missing"), (71, "image-missing"), (73, "link-bad-fragment"),
    ]}
    assert broken <= found
    assert ("dashboard.md", 49, "link-search-redirect") in found
    # MkDocs' own validation sees only the two Markdown anchors, without line numbers
    own = [line for line in result.stderr.splitlines()
           if line.startswith("WARNING") and "hooks/" not in line and "dashboard.md" in line]
    assert own and all(":" not in line.split("dashboard.md", 1)[1][:2] for line in own)


def test_github_annotations_in_the_build(tmp_path):
    pages = fixture_pages(fixture_docs("seed"))
    config = fixture_site(tmp_path, pages, hooks=HOOKS)
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT="", GITHUB_ACTIONS="true")
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert "::error file=docs/dashboard.md,line=12,title=link-bad-fragment::" in "\n".join(annotations)
    assert len(annotations) == len(set(annotations))


def test_ids_that_only_exist_after_rendering_count_in_the_build(tmp_path):
    """Code line anchors (pymdownx.highlight anchor_linenums) exist only in the rendered HTML:
    the sources-only CLI reports the link, the hook (which sees every rendered page) does not.
    The guide itself leaves anchor_linenums off (mkdocs.yml says why); this site turns it on."""
    pages = {
        "index.md": "# 홈\n\n[둘째 줄](code.md#__codelineno-0-2)\n",
        "code.md": "# 코드\n\n```bash linenums=\"1\"\necho 하나\necho 둘\n```\n",
    }
    config = fixture_site(tmp_path, pages, hooks=HOOKS)
    text = config.read_text(encoding="utf-8")
    assert "  - pymdownx.highlight:\n" in text
    config.write_text(text.replace("  - pymdownx.highlight:\n",
                                   "  - pymdownx.highlight:\n      anchor_linenums: true\n"), encoding="utf-8")
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT="")
    assert hook_findings(result.stderr) == []
    from test_cli import run_check

    cli = run_check("--docs", str(tmp_path / "docs"), "--report", "")
    assert "index.md:3: [link-missing-anchor]" in cli.stdout
    cli = run_check("--docs", str(tmp_path / "docs"), "--report", "", "--site", str(tmp_path / "site"))
    assert cli.returncode == 0, cli.stdout
