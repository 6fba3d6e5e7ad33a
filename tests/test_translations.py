"""Translation status: fresh / stale / unrecorded / missing, the refresh command, the build's
summary line, JSON report and the notice on stale English pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, fixture_site, run_mkdocs_build
from kfguide.builders import translations as tr

KO = "---\ndescription: 한국어 설명\n---\n\n# 제목\n\n본문 첫 줄입니다.\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def docs_fixture(root: Path) -> Path:
    docs = root / "docs"
    write(docs / "a.md", KO)
    write(docs / "a.en.md", "---\ndescription: English\n---\n\n# Title\n\nFirst line.\n")
    write(docs / "b.md", "# 번역 없음\n")
    write(docs / "c.md", "# 기록 없음\n")
    write(docs / "c.en.md", "# No record\n")
    return docs


def states(docs: Path) -> dict[str, str]:
    return {d["page"]: d["state"] for d in tr.status(docs)["details"]}


def test_hash_ignores_front_matter_and_trailing_whitespace_but_not_the_body():
    base = tr.source_hash(KO)
    assert tr.source_hash(KO.replace("한국어 설명", "바뀐 설명")) == base
    assert tr.source_hash(KO.replace("입니다.\n", "입니다.   \r\n\n\n")) == base
    assert tr.source_hash(KO.replace("첫 줄", "둘째 줄")) != base
    assert tr.source_hash("# 제목\n\n본문 첫 줄입니다.\n") == base  # no front matter at all


def test_stale_after_a_korean_change_and_fresh_after_refresh(tmp_path):
    docs = docs_fixture(tmp_path)
    assert states(docs) == {"a.md": "unrecorded", "b.md": "missing", "c.md": "unrecorded"}
    tr.refresh(docs, ["a.md"])
    assert states(docs)["a.md"] == "fresh"
    assert states(docs)["c.md"] == "unrecorded"  # only the named page was refreshed

    write(docs / "a.md", KO + "\n새 문단을 더했습니다.\n")
    st = tr.status(docs)
    assert states(docs)["a.md"] == "stale"
    assert (st["pages"], st["translated"], st["stale"], st["missing"]) == (3, 2, 2, 1)
    assert tr.summary_line(st).startswith("translations: 3 pages, 2 translated, 2 stale, 1 missing")

    tr.refresh(docs)
    assert states(docs) == {"a.md": "fresh", "b.md": "missing", "c.md": "fresh"}
    assert tr.summary_line(tr.status(docs)) == "translations: 3 pages, 2 translated, 0 stale, 1 missing"


def test_refresh_changes_only_the_translated_from_key(tmp_path):
    docs = docs_fixture(tmp_path)
    original = "---\ndescription: English\ntags:\n  - a\n  - b\n---\n\n# Title\n\nBody  \n"
    write(docs / "a.en.md", original)
    tr.refresh(docs, ["a.en.md"])
    first = (docs / "a.en.md").read_text(encoding="utf-8")
    digest = tr.source_hash(KO)
    assert first == original.replace("  - b\n---", f"  - b\ntranslated_from:\n  sha256: {digest}\n---")
    # a second refresh after a change replaces the record instead of adding another one
    write(docs / "a.md", KO + "바뀜\n")
    tr.refresh(docs, ["a.md"])
    second = (docs / "a.en.md").read_text(encoding="utf-8")
    assert second.count("translated_from:") == 1
    assert second == first.replace(digest, tr.source_hash(KO + "바뀜\n"))
    # a page with no front matter gets one; the body is untouched
    tr.refresh(docs, ["c.md"])
    c = (docs / "c.en.md").read_text(encoding="utf-8")
    assert c.startswith("---\ntranslated_from:\n  sha256: ") and c.endswith("---\n\n# No record\n")
    assert tr.recorded_hash(c) == tr.source_hash("# 기록 없음\n")


def test_cli_refresh_and_status(tmp_path):
    docs = docs_fixture(tmp_path)
    cmd = [sys.executable, "-m", "kfguide.builders.translations", "--docs", str(docs)]
    env = {"PYTHONPATH": str(ROOT)}
    out = subprocess.run(cmd + ["status"], capture_output=True, text=True, env=env)
    assert out.returncode == 0
    assert "a.en.md: unrecorded" in out.stdout and "b.en.md: missing" in out.stdout
    out = subprocess.run(cmd + ["refresh", "a.md"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "a.en.md: recorded" in out.stdout
    out = subprocess.run(cmd + ["refresh", "nope.md"], capture_output=True, text=True, env=env)
    assert out.returncode == 1 and "nope.md: no such Korean page" in out.stdout
    out = subprocess.run(cmd + ["status", "--json"], capture_output=True, text=True, env=env)
    assert json.loads(out.stdout)["fresh"] == 1


# --- in a build -------------------------------------------------------------------------------


def test_build_shows_a_notice_on_stale_pages_and_writes_the_summary(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    pages = {
        "index.md": "# 홈\n\n홈 본문입니다.\n",
        "index.en.md": "# Home\n\nHome body.\n",
        "fresh.md": "# 최신\n\n최신 번역이 있는 페이지입니다.\n",
        "fresh.en.md": "# Fresh\n\nA page with an up-to-date translation.\n",
        "old.md": "# 오래됨\n\n번역 뒤에 바뀔 페이지입니다.\n",
        "old.en.md": "# Old\n\nA page that changes after translation.\n",
        "only-ko.md": "# 한국어만\n\n번역이 없는 페이지입니다.\n",
    }
    config = fixture_site(src, pages, hooks=["hooks/translations.py"])
    docs = src / "docs"
    tr.refresh(docs)
    write(docs / "old.md", pages["old.md"] + "\n번역 뒤에 더한 문단입니다.\n")
    site = tmp_path / "site"
    result = run_mkdocs_build(config, site, KFGUIDE_REPORT=str(tmp_path / "reports" / "checks.json"))
    assert result.returncode == 0, result.stderr
    assert re.search(r"INFO\s+-\s+.*translations: 4 pages, 3 translated, 1 stale, 1 missing", result.stderr)
    assert "WARNING" not in result.stderr
    old = (site / "en" / "old" / "index.html").read_text(encoding="utf-8")
    assert "kfguide-stale" in old and "This translation may be out of date" in old
    assert "kfguide-stale" not in (site / "en" / "fresh" / "index.html").read_text(encoding="utf-8")
    assert "kfguide-stale" not in (site / "old" / "index.html").read_text(encoding="utf-8")  # Korean page
    assert "kfguide-untranslated" in (site / "en" / "only-ko" / "index.html").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "reports" / "translations.json").read_text(encoding="utf-8"))
    summary = report["summaries"]["translations"]
    assert (summary["pages"], summary["translated"], summary["stale"], summary["missing"]) == (4, 3, 1, 1)

    # the translator updates old.en.md and records it: the notice is gone
    tr.refresh(docs, ["old.md"])
    result = run_mkdocs_build(config, site, KFGUIDE_REPORT=str(tmp_path / "reports" / "checks.json"))
    assert "translations: 4 pages, 3 translated, 0 stale, 1 missing" in result.stderr
    assert "kfguide-stale" not in (site / "en" / "old" / "index.html").read_text(encoding="utf-8")


def test_real_guide_every_english_page_records_its_source():
    st = tr.status(ROOT / "docs")
    assert st["pages"] >= 9
    unrecorded = [d["translation"] for d in st["details"] if d["state"] == "unrecorded"]
    assert unrecorded == [], f"run `make translations PAGE=...` after translating: {unrecorded}"


def test_real_guide_build_prints_the_summary(build_log):
    assert re.search(r"translations: \d+ pages, \d+ translated, \d+ stale, \d+ missing", build_log)


def test_makefile_has_the_refresh_target():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"(?m)^translations:", text)
    assert "kfguide.builders.translations refresh" in text
    assert shutil.which("make") is None or subprocess.run(
        ["make", "-n", "translations"], cwd=ROOT, capture_output=True, text=True).returncode == 0


def test_heading_links_are_titled_in_the_pages_language(built_site):
    """Each heading's ¶ link has a tooltip; English pages said it in Korean (the toc setting is
    one for every language). extra.permalink_title in mkdocs.yml says it per language."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    for prefix in ("tag:yaml.org,2002:python/", "!"):  # !ENV, !!python/...: not needed here
        _Loader.add_multi_constructor(prefix, lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    english = next(lang for lang in config["plugins"][1]["i18n"]["languages"] if lang["locale"] == "en")
    titles = {"ko": config["extra"]["permalink_title"], "en": english["extra"]["permalink_title"]}
    assert titles["ko"] != titles["en"]
    for lang, page in (("ko", built_site / "pipelines" / "index.html"),
                       ("en", built_site / "en" / "pipelines" / "index.html")):
        found = set(re.findall(r'class="headerlink" href="#[^"]*" title="([^"]*)"', page.read_text(encoding="utf-8")))
        assert found == {titles[lang]}, (lang, found)
