"""The glossary data, its schema check, the generated 용어집 pages and the first-use tooltips."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, fixture_site, run_mkdocs_build, serve_directory
from kfguide.builders import glossary_page
from kfguide.checks import glossary, spelling
from kfguide.report import runner

FIXTURES = ROOT / "tests" / "fixtures" / "glossary"


def real_terms():
    terms, findings = glossary.load(ROOT / glossary.DATA_PATH, docs_dir=ROOT / "docs", root=ROOT)
    return terms, findings


# --- the data file ------------------------------------------------------------------------------


def test_real_glossary_is_valid_and_big_enough():
    terms, findings = real_terms()
    assert [f.format() for f in findings] == []
    assert len(terms) >= 45
    # every chapter of the guide is explained by at least one term
    chapters = {t.chapter_page() for t in terms}
    for page in ("kubeflow-ui.md", "dashboard.md", "notebooks.md", "pipelines.md", "katib.md", "artifact-store.md"):
        assert page in chapters
    # the spellings the style guide names are enforced
    variants = {v: t.ko for t in terms for v in t.variants}
    for wrong, right in [("대쉬보드", "대시보드"), ("쥬피터", "주피터"), ("워크플로우", "워크플로"),
                         ("워크프로우", "워크플로"), ("하이퍼 파라미터", "하이퍼파라미터"),
                         ("파이프 라인", "파이프라인"), ("네임 스페이스", "네임스페이스"),
                         ("쿠베네티스", "쿠버네티스"), ("메타 데이터", "메타데이터"), ("아티펙트", "아티팩트"),
                         ("콘테이너", "컨테이너"), ("하이퍼파라메터", "하이퍼파라미터"), ("포트포워딩", "포트 포워딩")]:
        assert variants.get(wrong) == right, wrong


def test_schema_errors_are_reported_with_file_and_line(tmp_path):
    shutil.copy(FIXTURES / "page.md", tmp_path / "page.md")
    terms, findings = glossary.load(FIXTURES / "bad.yml", docs_dir=tmp_path, rel="data/glossary.yml")
    got = {(f.line, f.check) for f in findings}
    text = "\n".join(f.format() for f in findings)
    expected = [
        (10, "'노트북': missing key 'def_en'"),
        (15, "duplicate term '대시보드' (first at line 3)"),
        (26, "variant '노트북' is the preferred spelling of '노트북'"),
        (31, "empty definition for 'def_en'"),
        (32, "chapter page 'missing-page.md' does not exist"),
        (38, "has no heading id '#no-such-heading'"),
        (39, "unknown key 'colour'"),
        (46, "variant '대쉬보드' is also listed for '대시보드'"),
        (47, "'tooltip' must be true or false"),
    ]
    for line, message in expected:
        assert f"data/glossary.yml:{line}: [glossary] " in text and message in text, (line, message, text)
        assert (line, "glossary") in got
    # the entry with a missing key is not used; the good ones are
    assert "노트북" not in [t.ko for t in terms]
    assert "파이프라인" in [t.ko for t in terms]


def test_good_fixture_has_no_findings(tmp_path):
    shutil.copy(FIXTURES / "page.md", tmp_path / "page.md")
    terms, findings = glossary.load(FIXTURES / "good.yml", docs_dir=tmp_path, rel="good.yml")
    assert findings == []
    assert [t.ko for t in terms] == ["대시보드", "쿠버네티스", "Katib"]


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-16"), lambda t: b"\x89PNG\r\n\x1a\n\x00" + t.encode()],
                         ids=["utf-16", "binary"])
def test_a_chapter_page_that_is_not_utf8_gives_no_second_finding(tmp_path, encode):
    """A chapter page saved as UTF-16 (or binary) has its own page-encoding finding; its
    anchors were read as garbage and every glossary chapter pointing at it was reported too."""
    (tmp_path / "page.md").write_bytes(encode((FIXTURES / "page.md").read_text(encoding="utf-8")))
    _, findings = glossary.load(FIXTURES / "good.yml", docs_dir=tmp_path, rel="good.yml")
    assert findings == []
    (tmp_path / "page.md").write_text("# 다른 제목\n", encoding="utf-8")  # the check still fails on UTF-8
    _, findings = glossary.load(FIXTURES / "good.yml", docs_dir=tmp_path, rel="good.yml")
    assert [f.line for f in findings] == [7, 22]


def test_a_variant_in_a_definition_is_reported():
    text = (FIXTURES / "good.yml").read_text(encoding="utf-8").replace(
        "픽스처 쿠버네티스의 뜻입니다.", "대쉬보드를 띄우는 플랫폼입니다.")
    _, findings = glossary.parse(text, "data/glossary.yml")
    line = text.split("\n").index("    def_ko: 대쉬보드를 띄우는 플랫폼입니다.") + 1
    assert [f.format() for f in findings] == [
        f"data/glossary.yml:{line}: [term] def_ko of '쿠버네티스': '대쉬보드' → '대시보드' "
        "(Central Dashboard, column 1) (use 대시보드)"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        # the line of the [ left open, not the end of the file (issue 13)
        ("terms:\n  - ko: [unclosed\n", 2, "not valid YAML"),
        ("terms:\n  - ko: 가\n    variants: " + "[" * 1000 + "]" * 1000 + "\n", 3, "levels deep"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nterms: [*b, *b]\n", 2, "aliases"),
        ("", 1, "empty glossary"),
        ("terms: 3\n", 1, "'terms' must be a list"),
        ("terms:\n  - 그냥 글자\n", 2, "entry must be a mapping"),
        ("terms:\n  - ko: 가\n    ko: 나\n    en: a\n", 3, "duplicate key 'ko'"),
        ("terms:\n  - ko: 가\n    en: a\n    def_ko: 줄\n    def_en: line\n    chapter: x.md\n    variants: 나\n",
         7, "'variants' must be a list of strings"),
    ],
)
def test_malformed_files_give_a_line_not_a_traceback(text, line, message):
    _, findings = glossary.parse(text, "data/glossary.yml")
    assert any(f.line == line and message in f.message for f in findings), [f.format() for f in findings]


# --- grouping and the generated page ---------------------------------------------------------


def test_initials_fold_double_consonants_and_latin_comes_last():
    assert glossary_page.initial("까다로운") == "ㄱ"
    assert glossary_page.initial("쌍둥이") == "ㅅ"
    assert glossary_page.initial("따옴표") == "ㄷ"
    assert glossary_page.initial("하이퍼파라미터") == "ㅎ"
    assert glossary_page.initial("Katib") == "K"
    assert glossary_page.initial("kfui") == "K"
    terms = [glossary.Term(ko, en, "뜻", "def", "x.md") for ko, en in
             [("Katib", "Katib"), ("쿠버네티스", "Kubernetes"), ("가", "a"), ("까", "b"), ("MinIO", "MinIO")]]
    order = [g for g, _ in glossary_page.groups(terms, "ko")]
    assert order == ["ㄱ", "ㅋ", "K", "M"]
    assert [t.ko for t in glossary_page.groups(terms, "ko")[0][1]] == ["가", "까"]
    en_order = [g for g, _ in glossary_page.groups(terms, "en")]
    assert en_order == ["A", "B", "K", "M"]


def test_rendered_page_has_an_anchor_per_term_and_its_variants_are_not_flagged():
    terms, _ = real_terms()
    titles = glossary_page.page_titles(ROOT / "docs", "ko")
    page = glossary_page.render_page(terms, "ko", titles)
    for t in terms:
        assert f"** {{#{t.slug} .kfguide-term}}" in page
    assert len({t.slug for t in terms}) == len(terms)
    assert "## ㄱ {#group-01}" in page and "## ㅎ {#group-14}" in page
    assert "[Katib: 하이퍼파라미터 튜닝 실험 › 탐색 알고리즘](katib.md#algorithms)" in page
    assert '<del class="kfguide-variant" lang="ko">대쉬보드</del>' in page
    variants, conts = spelling.variants_from_terms(terms)
    # the disallowed column lists every variant, yet the spelling check finds none of them ...
    assert spelling.check_text(page, "glossary.md", variants, conts) == []
    # ... while the same variant written as prose is flagged (the check can fail)
    flagged = spelling.check_text(page.replace('<del class="kfguide-variant" lang="ko">대쉬보드</del>', "대쉬보드"),
                                  "glossary.md", variants, conts)
    assert [f.message.split("'")[1] for f in flagged] == ["대쉬보드"]
    en_page = glossary_page.render_page(terms, "en", glossary_page.page_titles(ROOT / "docs", "en"))
    assert "## A {#group-a}" in en_page
    assert "[Katib: hyperparameter tuning experiments" in en_page or "katib.md#algorithms" in en_page


def test_fill_page_replaces_the_marker_only():
    md = f"# 용어집\n\n소개.\n\n{glossary_page.MARKER}\n"
    out = glossary_page.fill_page(md, "## ㄱ\n")
    assert glossary_page.MARKER not in out and out.startswith("# 용어집\n\n소개.\n\n## ㄱ")


# --- tooltips ----------------------------------------------------------------------------------


def _terms():
    return [
        glossary.Term("대시보드", "Central Dashboard", "대시보드 뜻", "dashboard def", "dashboard.md",
                      variants=["대쉬보드"]),
        glossary.Term("네임스페이스", "Namespace", "네임스페이스 뜻", "namespace def", "x.md"),
        glossary.Term("네임스페이스 선택기", "namespace selector", "선택기 뜻", "selector def", "x.md"),
        glossary.Term("파이프라인", "pipeline", "파이프라인 뜻 \"따옴표\"", "pipeline def", "x.md"),
        glossary.Term("실행", "Run", "실행 뜻", "run def", "x.md", tooltip=False),
    ]


LINK = '[{0}](glossary.md#{1} "{2}"){{ .kfguide-term-link }}'


def test_first_use_only_with_particles_outside_the_link():
    md = "# 대시보드 안내\n\n대시보드를 엽니다. 대시보드에서 고릅니다.\n\n대시보드는 세 번째입니다.\n"
    out = glossary_page.link_first_uses(md, _terms(), "ko")
    assert out.count("glossary.md#term-central-dashboard") == 1
    assert LINK.format("대시보드", "term-central-dashboard", "대시보드 뜻") + "를 엽니다." in out
    assert out.startswith("# 대시보드 안내\n")  # headings are left alone


@pytest.mark.parametrize(
    "prose",
    [
        "`대시보드`를 씁니다.",
        "```text\n대시보드\n```",
        "    ```bash\n    echo 대시보드\n    ```",
        "[대시보드 장](dashboard.md)을 보세요.",
        "![대시보드 그림](images/x.svg)",
        '!!! note "대시보드"',
        '=== "대시보드"',
        "<figcaption>대시보드 그림</figcaption>",
        "<!-- 대시보드 -->",
        "https://example.com/대시보드",
        "대시보드\n:   정의 목록의 용어는 제목처럼 다룹니다.",
    ],
)
def test_no_tooltip_in_code_links_titles_html(prose):
    out = glossary_page.link_first_uses(prose + "\n", _terms(), "ko")
    assert "term-central-dashboard" not in out


def test_the_first_prose_use_after_skipped_ones_gets_the_link():
    md = "`대시보드` 코드\n\n[대시보드](dashboard.md) 링크\n\n본문의 대시보드입니다.\n"
    out = glossary_page.link_first_uses(md, _terms(), "ko")
    assert out.count("term-central-dashboard") == 1
    assert "본문의 [대시보드](" in out


def test_longest_term_wins_and_tooltip_false_is_never_linked():
    md = "네임스페이스 선택기에서 실행을 고르면 네임스페이스가 바뀝니다.\n"
    out = glossary_page.link_first_uses(md, _terms(), "ko")
    assert "[네임스페이스 선택기](glossary.md#term-namespace-selector" in out
    assert "[네임스페이스](glossary.md#term-namespace" in out  # the shorter term's own first use
    assert "term-run" not in out


def test_quotes_in_definitions_do_not_break_the_title():
    out = glossary_page.link_first_uses("파이프라인을 만듭니다.\n", _terms(), "ko")
    assert "\"파이프라인 뜻 '따옴표'\"" in out


def test_english_pages_use_english_terms_and_plurals_but_not_bold_ui_labels():
    md = "Open **Pipelines** from the menu. Pipelines connect steps. A namespace holds them.\n"
    out = glossary_page.link_first_uses(md, _terms(), "en")
    assert "**Pipelines**" in out
    assert '[Pipelines](glossary.md#term-pipeline "pipeline def")' in out
    assert '[namespace](glossary.md#term-namespace "namespace def")' in out


def test_glossary_href_is_relative_to_the_page():
    assert glossary_page.glossary_href("katib.md") == "glossary.md"
    assert glossary_page.glossary_href("sub/page.md") == "../glossary.md"


# --- builds ------------------------------------------------------------------------------------

PAGES = {
    "index.md": "# 홈\n\n픽스처 홈입니다.\n",
    "page.md": (FIXTURES / "page.md").read_text(encoding="utf-8"),
    "glossary.md": f"# 용어집\n\n픽스처 용어집입니다.\n\n{glossary_page.MARKER}\n",
    "glossary.en.md": f"# Glossary\n\nFixture glossary.\n\n{glossary_page.MARKER}\n",
}
# hooks/checks.py reports the glossary and [term] findings with every other check (one set of
# checks for the build and `python -m kfguide check`); hooks/glossary.py builds the pages.
HOOKS = ["hooks/glossary.py", "hooks/translations.py", "hooks/checks.py"]


def make_site(tmp_path: Path, pages: dict[str, str] | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = fixture_site(tmp_path, pages or PAGES, hooks=HOOKS)
    (tmp_path / "data").unlink()  # a private data folder: the guide's, with the fixture glossary
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(FIXTURES / "good.yml", tmp_path / "data" / "glossary.yml")
    return config


def build(config: Path, site: Path):
    # the style check (its own tests) would judge the fixture page's prose; these builds test
    # the glossary, its tooltips and its findings
    return run_mkdocs_build(config, site, KFGUIDE_REPORT=str(config.parent / "reports" / "checks.json"),
                            KFGUIDE_STYLE="0")


def test_glossary_page_is_regenerated_when_the_data_changes(tmp_path):
    config = make_site(tmp_path / "src")
    site = tmp_path / "site"
    first = build(config, site)
    assert first.returncode == 0, first.stderr
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'id="term-central-dashboard"' in html and "픽스처 대시보드의 뜻입니다." in html
    assert "term-search-space" not in html
    en_html = (site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'id="term-central-dashboard"' in en_html and "The fixture dashboard" in en_html

    data = config.parent / "data" / "glossary.yml"
    data.write_text(data.read_text(encoding="utf-8") + (
        "\n  - ko: 탐색 공간\n    en: search space\n    def_ko: 새로 넣은 용어의 뜻입니다.\n"
        "    def_en: A term added after the first build.\n    chapter: page.md\n"), encoding="utf-8")
    second = build(config, site)
    assert second.returncode == 0, second.stderr
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'id="term-search-space"' in html and "새로 넣은 용어의 뜻입니다." in html
    assert "A term added after the first build." in (site / "en" / "glossary" / "index.html").read_text("utf-8")
    # no copy of the entries is written into docs/: the source still holds only the marker
    source = (config.parent / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert glossary_page.MARKER in source and "탐색 공간" not in source
    # tooltips on the fixture page point at entries that exist
    page_html = (site / "page" / "index.html").read_text(encoding="utf-8")
    assert page_html.count('href="../glossary/#term-central-dashboard"') == 1
    assert 'title="픽스처 대시보드의 뜻입니다."' in page_html


def test_strict_build_fails_on_a_variant_and_on_a_bad_glossary(tmp_path):
    pages = dict(PAGES)
    pages["page.md"] = PAGES["page.md"] + "\n대쉬보드에서 고릅니다.\n\n`대쉬보드`는 코드라서 괜찮습니다.\n"
    config = make_site(tmp_path / "src", pages)
    result = build(config, tmp_path / "site")
    assert result.returncode != 0
    line = pages["page.md"].split("\n").index("대쉬보드에서 고릅니다.") + 1
    assert f"page.md:{line}: [term] '대쉬보드' → '대시보드'" in result.stderr
    assert result.stderr.count("[term]") == 1
    report = (config.parent / "reports" / "checks.json").read_text(encoding="utf-8")
    assert '"check": "term"' in report

    config2 = make_site(tmp_path / "src2")
    data = config2.parent / "data" / "glossary.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("    chapter: page.md\n", "    chapter: gone.md\n", 1),
                    encoding="utf-8")
    result = build(config2, tmp_path / "site2")
    assert result.returncode != 0
    assert re.search(r"data/glossary\.yml:\d+: \[glossary\] '쿠버네티스': chapter page 'gone\.md' does not exist",
                     result.stderr), result.stderr


def test_tooltip_appears_on_hover_and_focus_in_a_browser(tmp_path, page):
    config = make_site(tmp_path / "src")
    site = tmp_path / "site"
    result = build(config, site)
    assert result.returncode == 0, result.stderr
    server, served = serve_directory(site)
    try:
        page.goto(served.url + "page/")
        link = page.locator("a.kfguide-term-link").first
        assert link.inner_text() == "대시보드"
        link.hover()
        tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
        tooltip.wait_for(state="visible", timeout=5000)
        assert tooltip.inner_text().strip() == "픽스처 대시보드의 뜻입니다."
        page.mouse.move(0, 0)
        # Moving away hides it (after Material's debounce; a fixed wait was a race under load).
        page.locator(".md-tooltip2--active", has_text="픽스처 대시보드의 뜻입니다.").wait_for(state="hidden", timeout=5000)
        page.locator("a.kfguide-term-link").nth(1).focus()
        page.locator(".md-tooltip2--active", has_text="픽스처 쿠버네티스의 뜻입니다.").wait_for(state="visible", timeout=5000)
        link.click()
        page.wait_for_url(re.compile(r".*/glossary/#term-central-dashboard$"))
        assert page.locator("#term-central-dashboard").is_visible()
    finally:
        server.shutdown()


def test_match_en_replaces_the_english_spellings_and_verbs_are_not_terms():
    limit = glossary.Term("한도", "limit", "한도 뜻", "limit def", "x.md", match_en=["resource limit"])
    recurring = glossary.Term("반복 실행", "Recurring run", "반복 뜻", "recurring def", "x.md")
    out = glossary_page.link_first_uses("Count limits stop it. The resource limit is 2.\n", [limit], "en")
    assert out.count("term-limit") == 1 and "[resource limit](glossary.md#term-limit" in out
    # 반복 실행하고 is the verb 실행하다, not the Recurring run concept; 반복 실행을 is the noun
    out = glossary_page.link_first_uses("자동으로 반복 실행하고 싶습니다.\n\n반복 실행을 만듭니다.\n", [recurring], "ko")
    assert "반복 실행하고" in out and "[반복 실행](glossary.md#term-recurring-run" in out.split("\n\n")[1]


def test_real_site_glossary_pages_and_tooltip_links(built_site):
    terms, _ = real_terms()
    ids = {}
    for lang, folder in (("ko", built_site / "glossary"), ("en", built_site / "en" / "glossary")):
        html = (folder / "index.html").read_text(encoding="utf-8")
        ids[lang] = set(re.findall(r'id="(term-[^"]+)"', html))
        assert ids[lang] == {t.slug for t in terms}, lang
        assert "kfguide-term-link" not in html  # no tooltips on the glossary itself
    linked = 0
    for page in built_site.rglob("index.html"):
        if "glossary" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        slugs = re.findall(r'class="kfguide-term-link" href="[^"#]*glossary/#(term-[^"]+)" title="[^"]+"', html)
        assert len(slugs) == len(set(slugs)), f"{page}: a term linked twice"
        assert set(slugs) <= ids["ko"], page
        linked += len(slugs)
    assert linked > 100


def test_glossary_and_terms_for_other_runners(tmp_path):
    """The registered glossary and [term] checks, as any runner calls them (run_checks)."""
    from kfguide.checks import run_checks
    from kfguide.model.site import SiteConfig, load_site

    site = load_site(ROOT / "docs", SiteConfig.from_mkdocs_yml(ROOT / "mkdocs.yml")[0], root=ROOT)
    assert [f for f in run_checks(site) if f.check in ("glossary", "term")] == []
    assert runner.summaries(site)["glossary"]["terms"] >= 45
    # a bad page in another docs folder is reported with its path and line
    (tmp_path / "x.md").write_text("# 제목\n\n쥬피터 노트북\n", encoding="utf-8")
    findings = run_checks(load_site(tmp_path, SiteConfig(), root=ROOT))
    assert [f.format() for f in findings if f.check == "term"] == [
        "x.md:3: [term] '쥬피터' → '주피터' (Jupyter, column 1) (use 주피터)"]
