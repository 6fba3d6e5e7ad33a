"""Clean origin (issue 15): a built site makes no request to any host but the one serving it,
whatever site_url says, and logs no console error, on every page of both languages, also
after the reader switches language.

The guide is built with a site_url on another host and path (as a mirror, a local
`python -m http.server` or a preview built without its address would be) and served from
127.0.0.1. Chromium records every request it makes, whether or not it reaches a server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import ROOT, free_port, run_mkdocs_build, serve_directory
from test_browser_pages import all_pages

ELSEWHERE = "https://docs.example.org/kubeflow-ko/"


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """The guide built for ELSEWHERE, served from 127.0.0.1 (another host, another path)."""
    site = tmp_path_factory.mktemp("elsewhere")
    result = run_mkdocs_build(ROOT / "mkdocs.yml", site, KFGUIDE_SITE_URL=ELSEWHERE, KFGUIDE_REPORT="")
    assert result.returncode == 0, result.stdout + result.stderr
    server, served = serve_directory(site, free_port())
    yield served
    server.shutdown()


def _record(page):
    log = {"requests": [], "errors": [], "failed": []}
    page.on("request", lambda req: log["requests"].append(req.url))
    page.on("console", lambda msg: msg.type == "error" and log["errors"].append(msg.text))
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    page.on("requestfailed", lambda req: log["failed"].append(f"{req.url} ({req.failure})"))
    page.on("response", lambda res: res.status >= 400 and log["failed"].append(f"{res.url} ({res.status})"))
    return log


@pytest.mark.parametrize("url", all_pages())
def test_no_foreign_request_or_console_error_on_any_page_or_after_switching_language(elsewhere, browser, url):
    context = browser.new_context()
    page = context.new_page()
    log = _record(page)
    try:
        page.goto(elsewhere.url + url, wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images too
        page.wait_for_load_state("networkidle")
        # The language switcher: the same page in the other language.
        target = "ko" if url.startswith("en/") else "en"
        page.locator(".md-header .md-select").first.hover()
        page.locator(f'.md-select__link[hreflang="{target}"]').first.click()
        page.wait_for_load_state("networkidle")
        expected = url.removeprefix("en/") if target == "ko" else "en/" + url
        assert page.url == elsewhere.url + expected
        page.wait_for_timeout(300)  # anything the new page starts after load
    finally:
        context.close()
    foreign = [u for u in log["requests"] if urlsplit(u).hostname != "127.0.0.1"]
    assert (foreign, log["errors"], log["failed"]) == ([], [], [])
    assert len(log["requests"]) >= 6  # both pages and their assets were recorded
    assert not any(u.endswith("sitemap.xml") for u in log["requests"])
