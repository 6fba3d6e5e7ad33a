"""kfguide.report.pr_comment: the PR comment and job summary rendered from the checks' JSON report.

The main report is real: ``python -m kfguide check`` over tests/fixtures/pr_comment (two pages
with two missing pages, two missing anchors and a missing image). The hostile cases edit that
report's findings the way a pull request could, since the report comes out of PR code.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from kfguide.report import pr_comment
from kfguide.report.pr_comment import MARKER, load_report, md_text, render_comment, render_summary

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pr_comment"
PREVIEW = "https://kubeflow-ko.github.io/pr-preview/pr-7/"
EXPECTED = {  # (file, line, check) of every broken thing in the fixture
    ("tests/fixtures/pr_comment/docs/guide.md", 7, "link-missing-page"),
    ("tests/fixtures/pr_comment/docs/guide.md", 9, "link-missing-anchor"),
    ("tests/fixtures/pr_comment/docs/index.md", 3, "link-missing-page"),
    ("tests/fixtures/pr_comment/docs/index.md", 5, "link-missing-anchor"),
    ("tests/fixtures/pr_comment/docs/index.md", 7, "image-missing"),
}


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("report") / "checks.json"
    proc = subprocess.run(
        [sys.executable, "-m", "kfguide", "check", "--config", str(FIXTURE / "mkdocs.yml"),
         "--report", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr  # errors found: exit 1
    report = json.loads(out.read_text("utf-8"))
    got = {(f["file"], f["line"], f["check"]) for f in report["findings"]}
    assert got == EXPECTED, "the fixture's findings changed; update EXPECTED"
    return report


def table_rows(text: str) -> list[str]:
    """Data rows of the findings table (rows starting with a severity icon)."""
    return [line for line in text.splitlines() if line.startswith(("| ❌", "| ⚠️"))]


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


# --- the real report -----------------------------------------------------------------------------

def test_comment_from_a_real_report_lists_every_broken_link(fixture_report):
    text = render_comment(fixture_report, preview_url=PREVIEW)
    assert text.splitlines()[0] == MARKER
    assert f"<{PREVIEW}>" in text
    assert "오류 5건, 경고 0건" in text and "5 errors, 0 warnings" in text
    assert "- **페이지:** 2쪽" in text and "Pages: 2." in text
    for check, n in {"link-missing-page": 2, "link-missing-anchor": 2, "image-missing": 1}.items():
        assert f"| {md_text(check)} | {n} |" in text
    rows = table_rows(text)
    assert len(rows) == 5
    for file, line, check in EXPECTED:
        assert any(md_text(f"{file}:{line}") in row and md_text(check) in row for row in rows), (file, line)
    # Korean first, English below the rule.
    korean, english = text.split("\n---\n", 1)
    assert "미리보기" in korean and "Preview:" not in korean
    assert "Preview:" in english
    # The rendered HTML has the two tables and the preview link, nothing else clickable.
    page = html(text)
    assert page.count("<table>") == 2
    assert re.findall(r'href="([^"]+)"', page) == [PREVIEW, PREVIEW]


def test_at_most_n_findings_with_a_count_of_the_rest(fixture_report):
    text = render_comment(fixture_report, preview_url=None, max_findings=2)
    assert len(table_rows(text)) == 2
    assert "외 3건 더 있습니다" in text
    assert "the table lists 2, 3 more" in text
    none = render_comment(fixture_report, preview_url=None, max_findings=0)
    assert table_rows(none) == [] and "외 5건 더 있습니다" in none
    every = render_comment(fixture_report, preview_url=None, max_findings=20)
    assert len(table_rows(every)) == 5 and "더 있습니다" not in every and "more" not in every


def test_errors_are_listed_before_warnings(fixture_report):
    report = copy.deepcopy(fixture_report)
    report["findings"][0]["severity"] = "warning"
    rows = table_rows(render_comment(report, preview_url=None))
    assert [r.split()[1] for r in rows] == ["❌"] * 4 + ["⚠️"]
    assert "오류 4건, 경고 1건" in render_comment(report, preview_url=None)


def test_summary_has_a_longer_table_and_no_marker(fixture_report):
    report = copy.deepcopy(fixture_report)
    report["findings"] = report["findings"] * 30  # 150 findings
    summary = render_summary(report)
    assert MARKER not in summary
    assert len(table_rows(summary)) == 100 and "외 50건 더" in summary
    assert len(table_rows(render_comment(report, preview_url=None))) == 20


# --- hostile report text -------------------------------------------------------------------------

EVIL = "| ![x](http://evil.example/p.png) <script>alert(1)</script> @mention `code` [a](javascript:x)"


def test_malicious_text_is_escaped(fixture_report):
    report = copy.deepcopy(fixture_report)
    report["findings"] = [{
        "path": "a|b.md", "file": "docs/a|b.md", "line": 1, "check": "x|y <b>",
        "message": EVIL, "hint": "line one\nline two\r\n## heading @org/team www.evil.example",
        "severity": "error",
    }]
    text = render_comment(report, preview_url=None)
    for raw in ("![x](", "<script", "@mention", "@org", "<b>", "](javascript", "`code`", "http://evil"):
        assert raw not in text, raw
    rows = table_rows(text)
    assert len(rows) == 1
    assert "\n## heading" not in text  # the newline became a space: no injected heading
    page = html(text)
    for bad in ("<img", "<script", "<a ", "<h2", "<code", "<b>"):
        assert bad not in page, bad
    # Still one row of exactly four cells, and the text is all there for a human to read.
    data_row = re.findall(r"<tr>\s*(<td>.*?</td>)\s*</tr>", page, re.S)[-1]
    assert data_row.count("<td>") == 4
    assert "alert(1)" in page and "mention" in page and "evil.example" in page


def test_mentions_keep_their_text_but_cannot_ping():
    out = md_text("ask @kubeflow/maintainers or @someone")
    assert "@\u2060kubeflow" in out and "@\u2060someone" in out
    assert not re.search(r"@[A-Za-z0-9]", out)


def test_a_hostile_report_cannot_exceed_the_comment_limit(fixture_report):
    report = copy.deepcopy(fixture_report)
    report["findings"] = [
        {"path": "<" * 500, "line": i, "check": f"c{i}" + "<" * 100, "message": "<" * 5000,
         "hint": "&" * 5000, "severity": "error"} for i in range(2000)
    ]
    text = render_comment(report, preview_url=None, max_findings=2000)
    assert len(text) < 65_536
    shown = len(table_rows(text))
    assert 0 < shown < 2000 and f"외 {2000 - shown}건 더" in text
    assert "외 1970종" in text  # 2000 check ids: 30 rows, the rest counted
    assert len(render_summary(report, max_findings=2000)) < 1_048_576


def test_bad_preview_url_is_refused(fixture_report):
    for url in ("javascript:alert(1)", "https://x.example/a b", "https://x.example/)![i](http://e)",
                "http://plain.example/"):
        with pytest.raises(ValueError):
            render_comment(fixture_report, preview_url=url)


# --- empty report, translations ------------------------------------------------------------------

def test_empty_report_says_no_problems():
    text = render_comment({"version": 1, "findings": [], "summaries": {}}, preview_url=PREVIEW)
    assert "문제 없음" in text and "No problems" in text
    assert table_rows(text) == [] and "| 검사 (Check) |" not in text


def test_translation_status_when_present_and_left_out_when_absent(fixture_report):
    assert "번역" not in render_comment(fixture_report, preview_url=None)
    report = copy.deepcopy(fixture_report)
    report["summaries"]["translations"] = {
        "pages": 9, "translated": 8, "stale": 1, "missing": 1,
        "details": [{"page": "katib.md", "state": "stale"}, {"page": "about.md", "state": "missing"},
                    {"page": "index.md", "state": "fresh"}],
    }
    comment = render_comment(report, preview_url=None)
    assert "9쪽 중 8쪽 번역됨 (오래된 번역 1쪽, 번역 없음 1쪽)" in comment
    assert "8 of 9 pages translated (1 stale, 1 missing)" in comment
    summary = render_summary(report)
    [todo] = [line for line in summary.splitlines() if "translations to update" in line]
    assert todo.endswith("katib\\.md (stale), about\\.md (missing)")  # fresh pages left out


# --- validation and the command line ------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kfguide.report.pr_comment", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_writes_comment_and_summary(fixture_report, tmp_path):
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(fixture_report), "utf-8")
    translations = tmp_path / "translations.json"
    translations.write_text(json.dumps({"version": 1, "summaries": {"translations": {
        "pages": 2, "translated": 1, "stale": 0, "missing": 1}}}), "utf-8")
    proc = run_cli(str(path), str(translations), "--preview-url", PREVIEW, "--max", "1",
                   "--conclusion", "failure", "--run-url", "https://github.com/o/r/actions/runs/9")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(MARKER) and len(table_rows(proc.stdout)) == 1
    assert "❌ 실패 ([실행 기록](https://github.com/o/r/actions/runs/9))" in proc.stdout
    assert "2쪽 중 1쪽 번역됨" in proc.stdout
    summary = run_cli(str(path), str(tmp_path / "absent.json"), "--summary")
    assert summary.returncode == 0 and MARKER not in summary.stdout
    assert "absent.json: no such report" in summary.stderr


@pytest.mark.parametrize("content, expected", [
    ("{not json", ["checks.json:1: not valid JSON"]),
    ("[]", ["checks.json: expected a JSON object at the top, found list"]),
    (json.dumps({"version": 2, "findings": {}}),
     ["checks.json: version: expected 1, found 2", "checks.json: findings: expected a list"]),
    (json.dumps({"version": 1, "findings": [
        {"path": "a.md", "line": "3", "check": "c", "message": "m"},
        {"path": 1, "line": -1, "check": "c", "message": None, "severity": "fatal"},
        "oops"],
        "summaries": {"translations": {"pages": "nine"}}}),
     ["checks.json: findings[0].line: expected a whole number >= 0",
      "checks.json: findings[1].path: expected a string",
      "checks.json: findings[1].message: expected a string",
      "checks.json: findings[1].line: expected a whole number >= 0",
      "checks.json: findings[1].severity: expected 'error' or 'warning'",
      "checks.json: findings[2]: expected an object",
      "checks.json: summaries.translations.pages: expected a whole number >= 0"]),
])
def test_malformed_report_gives_every_problem_without_a_traceback(tmp_path, content, expected):
    path = tmp_path / "checks.json"
    path.write_text(content, "utf-8")
    proc = run_cli(str(path))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    for message in expected:
        assert any(message in line and line.startswith(str(tmp_path)) for line in lines), message
    with pytest.raises(pr_comment.ReportError):
        load_report(path)


def test_missing_report_fails_or_falls_back(tmp_path):
    proc = run_cli(str(tmp_path / "none.json"))
    assert proc.returncode == 2 and "none.json: cannot read the report" in proc.stderr
    assert "Traceback" not in proc.stderr
    fallback = run_cli(str(tmp_path / "none.json"), "--missing-ok", "--preview-url", PREVIEW,
                       "--conclusion", "failure")
    assert fallback.returncode == 0
    assert fallback.stdout.startswith(MARKER)
    assert "검사 보고서가 없거나 읽을 수 없습니다" in fallback.stdout and "No usable check report" in fallback.stdout
    assert "문제 없음" not in fallback.stdout  # a missing report is not a clean one


def test_cli_refuses_a_bad_url_without_a_traceback(fixture_report, tmp_path):
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(fixture_report), "utf-8")
    proc = run_cli(str(path), "--preview-url", "https://e.example/x)")
    assert proc.returncode == 2 and "preview URL: not a plain https URL" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- reports a pull request can craft to break the renderer (issue 16) -----------------------------

BIDI = "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200e\u200f\u061c"


def assert_short_safe_comment(proc: subprocess.CompletedProcess) -> None:
    """--missing-ok on a bad report: exit 0 and a short comment that says it could not be read."""
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith(MARKER + "\n")
    assert "검사 보고서가 없거나 읽을 수 없습니다" in proc.stdout and "could not be read" in proc.stdout
    assert "문제 없음" not in proc.stdout
    assert len(proc.stdout) < 2000


@pytest.mark.parametrize("name, content", [
    ("200,000 levels of arrays", "[" * 200_000 + "]" * 200_000),
    ("200,000 levels inside a finding",
     '{"version": 1, "findings": [{"path": "a.md", "line": 1, "check": "c", "message": "m", "hint": '
     + "[" * 200_000 + "]" * 200_000 + "}]}"),
    ("40 levels, under the decoder's limit", json.dumps({"version": 1, "findings": [], "summaries": {
        "translations": {"pages": 1, "details": json.loads("[" * 40 + "]" * 40)}}})),
    ("an integer of 5,000 digits", '{"version": 1, "findings": [{"path": "a.md", "line": '
     + "9" * 5000 + ', "check": "c", "message": "m"}]}'),
    ("a version of 4,301 digits", '{"version": ' + "1" * 4301 + ', "findings": []}'),
])
def test_a_hostile_report_yields_a_short_safe_comment(tmp_path, name, content):
    path = tmp_path / "checks.json"
    path.write_text(content, "utf-8")
    proc = run_cli(str(path), "--missing-ok", "--conclusion", "failure",
                   "--run-url", "https://github.com/o/r/actions/runs/9")
    assert_short_safe_comment(proc)
    assert "❌ 실패" in proc.stdout  # the run's state is still there
    strict = run_cli(str(path))  # without --missing-ok: a clear error, still no traceback
    assert strict.returncode == 2 and "Traceback" not in strict.stderr and strict.stdout == ""
    assert str(path) in strict.stderr and len(strict.stderr) < 2000


def test_a_hostile_extra_report_also_yields_the_short_comment(tmp_path, fixture_report):
    good = tmp_path / "checks.json"
    good.write_text(json.dumps(fixture_report), "utf-8")
    bad = tmp_path / "translations.json"
    bad.write_text("{" + '"a":' * 100_000 + "1" + "}" * 100_001, "utf-8")
    assert_short_safe_comment(run_cli(str(good), str(bad), "--missing-ok"))


def test_bidi_controls_never_reach_the_comment(fixture_report, tmp_path):
    report = copy.deepcopy(fixture_report)
    report["findings"] = [{"path": f"a{BIDI}.md", "line": 1, "check": f"c{BIDI}",
                           "message": f"rm -rf /{BIDI}# safe", "hint": BIDI, "severity": "error"}]
    report["summaries"]["translations"] = {"pages": 1, "details": [{"page": f"x{BIDI}.md", "state": "stale"}]}
    for text in (render_comment(report, preview_url=None), render_summary(report)):
        assert not any(ch in text for ch in BIDI)
        assert "\ufffd" in text  # replaced visibly, not silently dropped
    assert not any(ch in md_text(BIDI * 3) for ch in BIDI)


def test_an_unforeseen_error_still_gives_one_comment(monkeypatch, fixture_report, tmp_path):
    import io
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(fixture_report), "utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("a bug we did not foresee")

    monkeypatch.setattr(pr_comment, "render_comment", boom)
    out, err = io.StringIO(), io.StringIO()
    assert pr_comment.main([str(path), "--missing-ok"], out=out, err=err) == 0
    assert out.getvalue().startswith(MARKER) and "could not be read" in out.getvalue()
    assert "RuntimeError" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert pr_comment.main([str(path)], out=out, err=err) == 2 and out.getvalue() == ""


def test_held_and_refused_previews_say_why(fixture_report, tmp_path):
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(fixture_report), "utf-8")
    held = run_cli(str(path), "--held", "--missing-ok")
    assert held.returncode == 0 and "`preview` 라벨" in held.stdout and "`preview` label" in held.stdout
    assert "미리보기:** <" not in held.stdout  # no preview link
    detail = tmp_path / "refused.txt"
    detail.write_text(f"pages.sh: site/<script>@x`y`{BIDI}: 9 bytes in 3 files\nsecond line\n", "utf-8")
    refused = run_cli(str(path), "--refused", "too-big", "--refused-detail", str(detail))
    assert refused.returncode == 0, refused.stderr
    assert "크기 제한을 넘어" in refused.stdout and "over the size cap" in refused.stdout
    assert "9 bytes in 3 files" in refused.stdout and "second line" not in refused.stdout
    for raw in ("<script", "@x", "`y`", *BIDI):
        assert raw not in refused.stdout, raw
    content = run_cli(str(tmp_path / "none.json"), "--missing-ok", "--refused", "content")
    assert content.returncode == 0 and "`.git`으로 시작하는 이름" in content.stdout
    assert run_cli(str(path), "--refused", "other").returncode == 2  # only our two reasons
