"""Link and anchor checks (kfguide.checks.links) over fixture sites and in-memory sites."""

from __future__ import annotations

import unicodedata

import pytest

from checks_fixtures import expected_findings, fixture_docs, triples
from kfguide.checks import run_checks
from kfguide.checks.links import check_links, search_redirect
from kfguide.model.site import SiteConfig, load_site, site_from_sources

LINK_CHECKS = (
    "link-missing-page", "link-missing-anchor", "link-bad-fragment", "link-case-mismatch",
    "link-normalization", "link-search-redirect", "link-outside-docs", "link-absolute",
    "link-directory", "link-raw-html-md", "link-dirurl-raw-html", "link-empty", "link-undefined-ref",
)


def test_bad_fixture_trips_every_link_check_at_its_line():
    docs = fixture_docs("bad")
    found = triples(check_links(load_site(docs)))
    expected = {t for t in expected_findings(docs) if t[2].startswith("link-")}
    assert found == expected


def test_good_fixture_look_alikes_give_no_finding():
    """Percent-encoded Hangul anchors, attr_list ids, titles, code, tabs, fallback pages..."""
    findings = run_checks(load_site(fixture_docs("good")))
    assert [f.format() for f in findings] == []


def _site(pages, other=(), **cfg):
    return site_from_sources(pages, other, SiteConfig(**cfg))


def _one(findings):
    assert len(findings) == 1, [f.format() for f in findings]
    return findings[0]


def test_anchor_written_as_heading_text_names_the_heading_on_another_page():
    site = _site({
        "index.md": "# 홈\n",
        "kubeflow-ui.md": "# Kubeflow UI 소개\n",
        "dashboard.md": "# 대시보드\n\n[Kubeflow UI 소개](#Kubeflow UI 소개)에서 설정한 명령\n",
    })
    finding = _one(check_links(site))
    assert (finding.path, finding.line, finding.check) == ("dashboard.md", 3, "link-bad-fragment")
    assert "kubeflow-ui.md#kubeflow-ui-소개" in finding.hint


def test_file_name_as_fragment_names_the_page():
    site = _site({
        "dashboard.md": "# 대시보드\n\n* 다음: [개요](#overview of kubeflow's notebook servers.md)\n",
        "notebooks.md": "# 개요: Kubeflow의 Notebook Servers\n",
        "pipelines.md": "# 개요: Kubeflow의 Pipelines\n",
    })
    finding = _one(check_links(site))
    assert (finding.line, finding.check) == (3, "link-bad-fragment")
    assert "(notebooks.md)" in finding.hint


def test_missing_anchor_hint_names_the_closest_id():
    site = _site({"a.md": "# A\n\n[x](b.md#dashbord-menu)\n", "b.md": "# B\n\n## 메뉴 {#dashboard-menu}\n"})
    finding = _one(check_links(site))
    assert finding.check == "link-missing-anchor" and "#dashboard-menu" in finding.hint


def test_percent_encoded_and_nfc_anchors():
    encoded = "%EB%8C%80%EC%8B%9C%EB%B3%B4%EB%93%9C-%EB%A9%94%EB%89%B4"
    nfd = unicodedata.normalize("NFD", "대시보드-메뉴")
    site = _site({
        "a.md": f"# A\n\n[인코딩](b.md#{encoded})\n[NFD]({'b.md#' + nfd})\n",
        "b.md": "# B\n\n## 대시보드 메뉴\n",
    })
    finding = _one(check_links(site))
    assert (finding.line, finding.check) == (4, "link-normalization")


def test_nfd_file_name_is_flagged_with_the_exact_name():
    nfc_name = "가이드.md"
    nfd_name = unicodedata.normalize("NFD", nfc_name)
    site = _site({"index.md": f"# 홈\n\n[가이드]({nfc_name})\n", nfd_name: "# 가이드\n"})
    finding = _one(check_links(site))
    assert (finding.line, finding.check) == (3, "link-normalization")
    assert nfd_name in finding.message


def test_case_mismatch_names_the_existing_file():
    site = _site({"index.md": "# 홈\n\n[x](Notebooks.md)\n", "notebooks.md": "# N\n"})
    finding = _one(check_links(site))
    assert finding.check == "link-case-mismatch" and "'notebooks.md'" in finding.hint


def test_en_page_resolves_translation_then_falls_back_to_korean():
    site = _site({
        "index.md": "# 홈\n",
        "index.en.md": "# Home\n\n[t](guide.md#translated-only)\n[k](ko-only.md#한국어-제목)\n[bad](ko-only.md#nope)\n",
        "guide.md": "# 가이드\n",
        "guide.en.md": "# Guide\n\n## Translated only\n",
        "ko-only.md": "# 한국어\n\n## 한국어 제목\n",
    })
    finding = _one(check_links(site))
    assert (finding.path, finding.line, finding.check) == ("index.en.md", 5, "link-missing-anchor")


def test_fallback_page_is_reported_once_under_its_source():
    site = _site({
        "index.md": "# 홈\n",
        "index.en.md": "# Home\n",
        "ko-only.md": "# 한국어\n\n[없음](nope.md)\n[앵커](index.md#없는-앵커)\n",
    })
    findings = check_links(site)
    assert sorted((f.path, f.line, f.check) for f in findings) == [
        ("ko-only.md", 3, "link-missing-page"),
        ("ko-only.md", 4, "link-missing-anchor"),
    ]


def test_untranslated_id_in_fallback_build_is_explained():
    site = _site({
        "guide.md": "# 가이드\n\n## 대시보드 메뉴\n",
        "guide.en.md": "# Guide\n\n## Dashboard menu\n",
        "ko-only.md": "# 한국어\n\n[메뉴](guide.md#대시보드-메뉴)\n",
    })
    finding = _one(check_links(site))
    assert finding.check == "link-missing-anchor" and "en build" in finding.message
    assert "{#대시보드-메뉴}" in finding.hint


def test_single_language_site_has_no_fallback_logic():
    site = _site({"a.md": "# A\n\n[x](b.en.md)\n", "b.en.md": "# B\n"}, i18n=False, languages=("ko",))
    assert check_links(site) == []


@pytest.mark.parametrize("url", [
    "https://www.google.com/search?q=Scikit-Learn&oq=Scikit-Learn&client=ubuntu",
    "https://www.google.co.kr/search?q=kubeflow",
    "https://www.bing.com/search?q=kubeflow",
    "https://search.naver.com/search.naver?query=kubeflow",
    "https://duckduckgo.com/?q=kubeflow",
])
def test_search_redirects_are_flagged(url):
    assert search_redirect(url) is not None
    site = _site({"a.md": f"# A\n\n[검색]({url})\n"})
    assert _one(check_links(site)).check == "link-search-redirect"


@pytest.mark.parametrize("url", [
    "https://scikit-learn.org/stable/",
    "https://developers.google.com/search/docs",
    "https://cloud.google.com/search-docs",
    "https://www.google.com/",
    "mailto:someone@example.com",
])
def test_ordinary_external_links_are_not_flagged(url):
    assert search_redirect(url) is None
    assert check_links(_site({"a.md": f"# A\n\n[링크]({url})\n"})) == []


def test_generated_files_count_as_existing():
    site = site_from_sources({"a.md": "# A\n\n[용어집](glossary.md#kfui)\n![터미널](images/kfui-terminal.svg)\n"},
                             extra_files=["glossary.md", "images/kfui-terminal.svg"])
    assert run_checks(site) == []
    site = site_from_sources({"a.md": "# A\n\n[용어집](glossary.md#kfui)\n"})
    assert _one(run_checks(site)).check == "link-missing-page"


def test_raw_html_link_resolves_against_the_page_url():
    site = _site({
        "index.md": "# 홈\n",
        "guide.md": '# 가이드\n\n<a href="../">홈</a> <a href="index/">틀림</a> <a href="../index.md">md</a>\n',
    })
    checks = sorted((f.line, f.check) for f in check_links(site))
    assert checks == [(3, "link-missing-page"), (3, "link-raw-html-md")]


def test_raw_html_link_that_only_works_next_to_the_markdown_file():
    site = _site({"guide.md": "# 가이드\n\n<a href=\"files/a.pdf\">PDF</a>\n"}, {"files/a.pdf": b"%PDF-1.4"})
    finding = _one(check_links(site))
    assert finding.check == "link-dirurl-raw-html" and "/guide/files/a.pdf" in finding.message
