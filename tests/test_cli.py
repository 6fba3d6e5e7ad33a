"""``python -m kfguide check``: findings, exit codes, JSON report, annotations, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks_fixtures import expected_findings, fixture_docs
from conftest import ROOT

SEED = fixture_docs("seed")


def run_check(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "KFGUIDE_EXTERNAL", "KFGUIDE_REPORT")}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env)
    return subprocess.run([sys.executable, "-m", "kfguide", "check", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


def lines_of(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


# The seed chapter (tests/fixtures/checks/seed/docs/dashboard.md is the original text): every
# broken reference, at its line. MkDocs' own validation reports 2 of the 7 broken references.
SEED_EXPECTED = {
    ("dashboard.md", 12, "link-bad-fragment"),      # [Kubeflow UI 소개](#Kubeflow UI 소개)
    ("dashboard.md", 20, "image-missing"),          # <img src="images/kubeflow-dashboard-kfui.png">
    ("dashboard.md", 28, "image-missing"),          # ...chrome_localhost_8080.png
    ("dashboard.md", 34, "image-missing"),          # ../images/kubeflow-dashboard-4.png
    ("dashboard.md", 67, "image-missing"),          # ../images/kubeflow-github-main_page.png
    ("dashboard.md", 71, "image-missing"),          # ../images/kubeflow-documentation-main_page.png
    ("dashboard.md", 73, "link-bad-fragment"),      # (#overview of kubeflow's notebook servers.md)
    ("dashboard.md", 49, "link-search-redirect"),   # google.com/search?q=Scikit-Learn
    ("dashboard.md", 20, "image-alt-missing"),
    ("dashboard.md", 28, "image-alt-missing"),
    ("dashboard.md", 34, "image-alt-missing"),
    ("dashboard.md", 67, "image-alt-missing"),
    ("dashboard.md", 71, "image-alt-missing"),
}


def test_seed_chapter_defects_are_all_found_at_their_lines(tmp_path):
    report = tmp_path / "checks.json"
    result = run_check("--docs", str(SEED), "--report", str(report))
    assert result.returncode == 1, result.stderr
    data = json.loads(report.read_text("utf-8"))
    found = {(f["path"], f["line"], f["check"]) for f in data["findings"] if f["check"] != "kfui-port"}
    assert SEED_EXPECTED <= found
    assert {t for t in found if t[2].startswith(("link-", "image-"))} == SEED_EXPECTED
    by_line = {(f["line"], f["check"]): f for f in data["findings"]}
    assert "kubeflow-ui.md#kubeflow-ui-소개" in by_line[(12, "link-bad-fragment")]["hint"]
    assert "notebooks.md" in by_line[(73, "link-bad-fragment")]["hint"]
    assert "Scikit-Learn" in by_line[(49, "link-search-redirect")]["message"]
    assert "dashboard.md:12: [link-bad-fragment] '#Kubeflow UI 소개'" in result.stdout
    assert data["errors"] >= len(SEED_EXPECTED) and data["findings"][0]["file"].startswith("tests/fixtures/checks/seed/docs/")


def test_good_fixture_exits_zero_and_writes_an_empty_report(tmp_path):
    report = tmp_path / "r" / "checks.json"
    result = run_check("--docs", str(fixture_docs("good")), "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines_of(result) == []
    data = json.loads(report.read_text("utf-8"))
    assert (data["total"], data["errors"], data["findings"]) == (0, 0, [])


def test_bad_fixture_prints_every_expected_finding_once():
    docs = fixture_docs("bad")
    result = run_check("--docs", str(docs), "--report", "")
    assert result.returncode == 1
    printed = lines_of(result)
    assert len(printed) == len(set(printed))
    keys = {(line.split(":")[0], int(line.split(":")[1]), line.split("[")[1].split("]")[0]) for line in printed}
    assert keys == expected_findings(docs)


def test_warnings_alone_exit_zero(tmp_path):
    docs = tmp_path / "docs"
    (docs / "images").mkdir(parents=True)
    (docs / "index.md").write_text("# 홈\n", "utf-8")
    (docs / "images" / "orphan.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    result = run_check("--docs", str(docs), "--report", "", "--config", str(tmp_path / "none.yml"))
    assert result.returncode == 2  # a --config that does not exist is a usage error
    result = run_check("--docs", str(docs), "--report", "")
    assert result.returncode == 0
    assert lines_of(result) == ["images/orphan.svg:0: [image-unused] no page uses this image (link it from a page or delete it)"]


def test_github_annotations(tmp_path):
    result = run_check("--docs", str(SEED), "--report", "", GITHUB_ACTIONS="true")
    assert "::error file=tests/fixtures/checks/seed/docs/dashboard.md,line=12,title=link-bad-fragment::" in result.stdout


def _bad_input_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 홈\n\n[깨진 파일들](broken-utf8.md)\n", "utf-8")
    (docs / "broken-utf8.md").write_bytes("# 제목\n\n둘째 줄\n".encode() + b"\xc7\xd1\xb1\xdb cp949 text\n")
    (docs / "front-matter.md").write_text("---\ntitle: 제목\ntags: [a, b\n---\n# 제목\n", "utf-8")
    (docs / "unclosed.md").write_text("# 제목\n\n```bash\n$ kfui\n", "utf-8")
    (docs / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (docs / "huge.md").write_text("# 큰 페이지\n\n" + "긴 문단입니다. " * 400000 + "\n", "utf-8")
    return docs


def test_bad_input_gives_findings_not_tracebacks(tmp_path):
    docs = _bad_input_docs(tmp_path)
    assert (docs / "huge.md").stat().st_size > 5 * 1024 * 1024
    result = run_check("--docs", str(docs), "--report", str(tmp_path / "r.json"))
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.returncode == 1
    found = {(f["path"], f["line"], f["check"])
             for f in json.loads((tmp_path / "r.json").read_text("utf-8"))["findings"]}
    assert ("broken-utf8.md", 4, "page-encoding") in found
    assert ("front-matter.md", 3, "front-matter-invalid") in found or ("front-matter.md", 4, "front-matter-invalid") in found
    assert ("unclosed.md", 3, "markdown-unclosed-fence") in found
    assert ("binary.md", 1, "page-binary") in found
    assert ("huge.md", 1, "page-too-large") in found
    assert "CP949" in result.stdout and "png file" in result.stdout


def test_bad_input_in_a_mkdocs_build_names_the_file(tmp_path):
    """Without the hook MkDocs dies with a traceback on invalid UTF-8 and needs over ten
    minutes for a 6 MB page; with it, such pages are left out and reported by file and line."""
    from conftest import fixture_site, run_mkdocs_build

    big = "# 큰 페이지\n\n" + "긴 문단입니다. [링크](index.md) `코드`\n\n" * 120000
    config = fixture_site(tmp_path, {"index.md": "# 홈\n", "broken.md": b"# x\n\xc7\xd1\n",
                                     "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00", "huge.md": big},
                          hooks=["hooks/checks.py"])
    result = run_mkdocs_build(config, tmp_path / "site", KFGUIDE_REPORT="")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for line in ("broken.md:2: [page-encoding]", "binary.md:1: [page-binary]", "huge.md:1: [page-too-large]"):
        assert line in result.stderr


def test_site_option_counts_ids_that_only_exist_in_the_built_html(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 홈\n\n[스크립트가 만든 앵커](other.md#made-by-js)\n", "utf-8")
    (docs / "other.md").write_text("# 다른 페이지\n", "utf-8")
    site = tmp_path / "site" / "other"
    site.mkdir(parents=True)
    (site / "index.html").write_text('<h1 id="다른-페이지">x</h1><div id="made-by-js"></div>', "utf-8")
    assert run_check("--docs", str(docs), "--report", "").returncode == 1
    result = run_check("--docs", str(docs), "--report", "", "--site", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout
    result = run_check("--docs", str(docs), "--report", "", "--site", str(tmp_path / "nope"))
    assert result.returncode == 1 and "checking the sources only" in result.stderr


def test_real_guide_has_no_findings(tmp_path):
    """The guide itself: zero findings (errors and warnings) from every check."""
    result = run_check("--report", str(tmp_path / "checks.json"))
    assert lines_of(result) == []
    assert result.returncode == 0


def test_optional_checks_get_arguments_by_name(tmp_path):
    from kfguide.checks import call_check
    from kfguide.model import kfui
    from kfguide.model.findings import Finding
    from kfguide.model.site import load_site

    site = load_site(fixture_docs("good"))
    seen = {}

    def by_name(pages, alias, root=None):
        seen.update(pages=pages, alias=alias, root=root)
        return [Finding("a.md", 1, "x", "m")]

    assert call_check(by_name, site, "w") == [Finding("a.md", 1, "x", "m")]
    assert seen["pages"] is site.pages and isinstance(seen["alias"], kfui.KfuiAlias)

    def crashes(site):
        raise RuntimeError("boom")

    (finding,) = call_check(crashes, site, "snippets/kfui-alias.sh")
    assert finding.check == "check-crashed" and "boom" in finding.message
