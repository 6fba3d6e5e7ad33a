"""Foundation (issue 2) in a real browser: the home page in both languages, the language
switcher, no request to any host but 127.0.0.1, live reload under `mkdocs serve`, and the
README's `make serve` from a clean clone."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, free_port, mkdocs_env
from bench.serve import copy_project

LOCAL_HOSTS = {"127.0.0.1"}


def _assert_clean(page):
    log = page.kfguide_log
    assert log.console_errors == []
    assert log.failed == []
    assert log.hosts <= LOCAL_HOSTS, f"requests to other hosts: {sorted(log.hosts - LOCAL_HOSTS)}"


@pytest.mark.parametrize(
    "path, lang, heading",
    [("", "ko", "Kubeflow 한국어 가이드"), ("en/", "en", "Kubeflow Guide in Korean")],
)
def test_home_renders_without_errors_or_third_party_requests(site_server, page, path, lang, heading):
    page.goto(site_server.url + path, wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("article h1").first.inner_text().strip().rstrip("¶").strip() == heading
    _assert_clean(page)


@pytest.mark.parametrize(
    "start, target_lang, expected",
    [("about/", "en", "en/about/"), ("en/about/", "ko", "about/"), ("", "en", "en/")],
)
def test_language_switcher_lands_on_the_same_page(site_server, page, start, target_lang, expected):
    page.goto(site_server.url + start, wait_until="networkidle")
    page.locator(".md-header .md-select").first.hover()
    page.locator(f'.md-select__link[hreflang="{target_lang}"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_server.url + expected
    assert page.locator("html").get_attribute("lang") == target_lang
    _assert_clean(page)


def test_untranslated_page_shows_a_notice(tmp_path, browser):
    from conftest import fixture_site, run_mkdocs_build, serve_directory

    pages = {"index.md": "# 홈\n", "index.en.md": "# Home\n", "only-ko.md": "# 한국어만 있는 페이지\n"}
    config = fixture_site(tmp_path, pages, hooks=["hooks/site_fixes.py"])
    result = run_mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    en = (tmp_path / "site" / "en" / "only-ko" / "index.html").read_text(encoding="utf-8")
    ko = (tmp_path / "site" / "only-ko" / "index.html").read_text(encoding="utf-8")
    home_en = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "kfguide-untranslated" in en and "한국어만 있는 페이지" in en
    assert "kfguide-untranslated" not in ko
    assert "kfguide-untranslated" not in home_en


# --- live reload ---------------------------------------------------------------------------


def _wait_for_http(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _copy_project(target: Path) -> Path:
    """The parts of the repository a build reads, copied (bench/serve.py's list, one source)."""
    return copy_project(ROOT, target)


def test_live_reload_shows_an_edit_without_a_manual_refresh(tmp_path, browser):
    project = _copy_project(tmp_path / "project")
    port = free_port()
    # Plain `mkdocs serve` (no --livereload flag): proves the Click pin keeps reloading on.
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=mkdocs_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/about/"
        _wait_for_http(url, proc)
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url, wait_until="load")  # livereload long-polls: never network-idle
        marker = f"실시간 반영 확인 {port}"
        assert marker not in tab.content()
        about = project / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        # No tab.reload(): the livereload script in the page must fetch the new build itself.
        tab.get_by_text(marker).wait_for(timeout=90_000)
        context.close()
    finally:
        _stop(proc)


# --- README: `make serve` from a clean clone -------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make")
def test_make_serve_from_a_clean_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    port = free_port()
    env = mkdocs_env()
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.Popen(
        ["make", "serve", f"PORT={port}", f"PYTHON={sys.base_prefix}/bin/python3"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for_http(f"http://127.0.0.1:{port}/", proc, seconds=480)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            body = response.read().decode("utf-8")
        assert "Kubeflow 한국어 가이드" in body
        assert (clone / ".venv" / "bin" / "mkdocs").exists()
    finally:
        _stop(proc)


def _page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(predicate, seconds: float = 150) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


def test_serve_keeps_serving_a_page_saved_with_invalid_utf8(tmp_path):
    """Saving a page with a byte that is not UTF-8 used to leave `mkdocs serve` stuck on a
    traceback until the file was fixed. Now the rebuild goes on: the page is shown (the bad byte
    replaced), the finding names file and line, and the next save is picked up."""
    project = _copy_project(tmp_path / "project")
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=mkdocs_env(), stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/about/"
        _wait_for_http(url, proc)
        about = project / "docs" / "about.md"
        original = about.read_bytes()
        about.write_bytes(original + "\n잘못된 바이트 뒤 broken-marker \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
        bad_line = original.count(b"\n") + 2
        assert _wait_for(lambda: "broken-marker" in _page_text(url)), log_path.read_text("utf-8")
        log = log_path.read_text("utf-8")
        assert f"about.md:{bad_line}: [page-encoding]" in log
        assert "Traceback" not in log
        about.write_bytes(original + "\n고친 뒤 fixed-marker\n".encode("utf-8"))
        assert _wait_for(lambda: "fixed-marker" in _page_text(url)), log_path.read_text("utf-8")
    finally:
        _stop(proc)
