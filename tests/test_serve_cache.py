"""The author's loop under `mkdocs serve` (issue 15): what hooks/serve.py keeps between rebuilds
never goes stale.

One `mkdocs serve` session on a copy of the guide: a page, a glossary term (data/glossary.yml)
and a snippet (snippets/) are edited in turn, each change must show up in the served site, and
at the end every served page and both search indexes must equal a fresh `mkdocs build` of the
edited sources. The smaller tests pin down what the caches rely on in MkDocs and Material.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from conftest import ROOT, free_port, mkdocs_env
from test_serve import _copy_project, _stop, _wait_for_http

LIVERELOAD = re.compile(rb"<script>\s*var livereload = function.*?</script>(?=</body>)", re.DOTALL)


class _Lines:
    """The server's output lines, read by a thread (so the test can look while it runs)."""

    def __init__(self, proc) -> None:
        import threading

        self.lines: list[str] = []
        self.thread = threading.Thread(target=lambda: self.lines.extend(proc.stdout), daemon=True)
        self.thread.start()

    def since(self, mark: int) -> str:
        return "".join(self.lines[mark:])

    def wait_for(self, text: str, mark: int, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.since(mark):
                return self.since(mark)
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} in the server output:\n{self.since(mark)}")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _wait_until(url: str, predicate, proc, seconds: float = 120) -> bytes:
    deadline = time.monotonic() + seconds
    body = b""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("mkdocs serve exited")
        try:
            body = _get(url)
        except OSError:
            body = b""
        if predicate(body.decode("utf-8", "replace")):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show the change within {seconds} s")


def _replace_once(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _after_heading(path, line: str) -> None:
    """Add a paragraph under the page's first `# ` heading (after any front matter)."""
    text = path.read_text(encoding="utf-8")
    heading = re.search(r"(?m)^# .*\n", text)
    assert heading, path
    path.write_text(text[: heading.end()] + f"\n{line}\n" + text[heading.end():], encoding="utf-8")


def test_edits_to_a_page_a_term_and_a_snippet_show_up_and_match_a_fresh_build(tmp_path):
    project = _copy_project(tmp_path / "project")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=mkdocs_env(KFGUIDE_REPORT=""), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    log = _Lines(proc)
    try:
        _wait_for_http(base, proc)

        # 1. A page: the new sentence appears, in the Korean page only, and it is the only page
        #    converted again (in either language).
        page = project / "docs" / "katib.md"
        mark = len(log.lines)
        _after_heading(page, "캐시 확인용 새 문장입니다.")
        _wait_until(base + "katib/", lambda html: "캐시 확인용 새 문장입니다." in html, proc)
        assert "캐시 확인용 새 문장입니다." not in _get(base + "en/katib/").decode("utf-8")
        assert "converted 1 of 18 pages" in log.wait_for("hooks/serve: converted", mark)

        # 2. A glossary term: pages whose Markdown did not change get the new tooltip text,
        #    and so does the 용어집 page, in the language that was edited.
        glossary = project / "data" / "glossary.yml"
        old = "def_ko: 컨테이너로 만든 애플리케이션을 여러 서버에 배포하고 관리하는 오픈소스 플랫폼입니다."
        new = "def_ko: 컨테이너 애플리케이션을 여러 서버에서 배포하고 운영하는 오픈소스 플랫폼입니다(캐시 확인)."
        _replace_once(glossary, old, new)
        _wait_until(base, lambda html: "운영하는 오픈소스 플랫폼입니다(캐시 확인)" in html, proc)
        assert "운영하는 오픈소스 플랫폼입니다(캐시 확인)" in _get(base + "glossary/").decode("utf-8")

        # 3. A snippet: every page that includes it shows the new line.
        snippet = project / "snippets" / "kfui-session-26.03.x.txt"
        snippet.write_text(snippet.read_text(encoding="utf-8") + "Handling connection for 8080 (cache check)\n",
                           encoding="utf-8")
        _wait_until(base + "dashboard/", lambda html: "Handling connection for 8080 (cache check)" in html, proc)
        _wait_until(base + "en/dashboard/", lambda html: "Handling connection for 8080 (cache check)" in html, proc)

        # 4. A title: the other pages' navigation follows (their own content did not change).
        _replace_once(project / "docs" / "notebooks.md", "\n# Notebooks: 노트북 만들고 연결하기", "\n# (새 제목) Notebooks: 노트북 만들고 연결하기")
        _wait_until(base + "katib/", lambda html: "(새 제목)" in html, proc)

        # Everything served equals a fresh build of the edited sources.
        served = {}
        fresh = tmp_path / "fresh"
        # Not --strict: the snippet edit makes the kfui checks warn, as they do under serve.
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-d", str(fresh)], cwd=project,
            env=mkdocs_env(KFGUIDE_SITE_URL=base, KFGUIDE_REPORT=""), capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert "[kfui-output] unexpected output line `Handling connection" in result.stderr
        files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*")
                       if p.suffix == ".html" and p.name != "404.html")
        files += ["search/search_index.json", "en/search/search_index.json"]
        assert len(files) == 20  # 9 pages + home in each language, two indexes
        for rel in files:
            body = _get(base + rel)
            served[rel] = LIVERELOAD.sub(b"", body) if rel.endswith(".html") else body
        different = [rel for rel in files if served[rel] != (fresh / rel).read_bytes()]
        assert different == []
    finally:
        _stop(proc)


def test_a_broken_link_on_an_unchanged_page_warns_on_every_rebuild(tmp_path):
    project = _copy_project(tmp_path / "project")
    (project / "docs" / "about.md").write_text(
        (project / "docs" / "about.md").read_text(encoding="utf-8") + "\n[없는 쪽](no-such-page.md)\n",
        encoding="utf-8",
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=mkdocs_env(KFGUIDE_REPORT=""), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines: list[str] = []
    try:
        _wait_for_http(f"http://127.0.0.1:{port}/", proc)
        for n in range(2):  # two rebuilds caused by another page
            _after_heading(project / "docs" / "katib.md", f"재빌드 {n}")
            _wait_until(f"http://127.0.0.1:{port}/katib/", lambda html, n=n: f"재빌드 {n}" in html, proc)
    finally:
        _stop(proc)
        lines = proc.stdout.read().splitlines()
    builds = [i for i, line in enumerate(lines) if "Documentation built in" in line]
    assert len(builds) >= 3
    for start, end in zip([0] + builds[:-1], builds):
        chunk = "\n".join(lines[start:end + 1])
        assert "no-such-page.md" in chunk, f"a build without the warning:\n{chunk}"


def test_the_render_cache_restores_everything_page_render_sets():
    """hooks/serve.py answers Page.render from its store and must restore what it sets."""
    from mkdocs.structure.pages import Page

    sys.path.insert(0, str(ROOT))
    import importlib.util

    spec = importlib.util.spec_from_file_location("kfguide_serve_hook", ROOT / "hooks" / "serve.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    tree = ast.parse(textwrap.dedent(inspect.getsource(Page.render)))
    assigned = {
        target.attr
        for node in ast.walk(tree) if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
    }
    assert assigned == set(hook.RENDER_SETS)


def test_theme_listing_without_dot_folders_adds_the_same_files(tmp_path):
    """The pruned theme listing (hooks/serve.py) gives MkDocs the same theme files."""
    import importlib.util

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    spec = importlib.util.spec_from_file_location("kfguide_serve_hook2", ROOT / "hooks" / "serve.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    plain_env = config.theme.get_env()
    pruned_env = config.theme.get_env()
    pruned_env.loader = hook._ThemeLoader(plain_env.loader.searchpath)
    plain, pruned = Files([]), Files([])
    plain.add_files_from_theme(plain_env, config)
    pruned.add_files_from_theme(pruned_env, config)
    assert [f.src_uri for f in pruned] == [f.src_uri for f in plain]
    assert len(plain) > 30
    assert len(pruned_env.loader.list_templates()) < len(plain_env.loader.list_templates()) / 5


@pytest.mark.parametrize("command, expected", [("serve", True), ("build", False)])
def test_content_stores_are_used_only_under_serve(command, expected):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"kfguide_serve_hook_{command}", ROOT / "hooks" / "serve.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.on_startup(command=command, dirty=False)
    try:
        assert hook._serving() is expected
    finally:
        hook.on_startup(command="build", dirty=False)


def test_on_serve_moves_the_watches_to_a_native_observer_that_ignores_reads(tmp_path):
    """A save is noticed within a fraction of a second (MkDocs polls every 0.5 s); reading a
    watched file (the build does) starts no rebuild."""
    import importlib.util

    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    spec = importlib.util.spec_from_file_location("kfguide_serve_hook_watch", ROOT / "hooks" / "serve.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    watched = tmp_path / "docs"
    watched.mkdir()
    page = watched / "page.md"
    page.write_text("# 제목\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    server.watch(str(watched))
    assert isinstance(server.observer, PollingObserver)
    assert hook.on_serve(server, config=None, builder=None) is server
    assert not isinstance(server.observer, PollingObserver)
    assert server.build_delay == 0.05
    server.observer.start()
    try:
        time.sleep(0.2)
        page.read_text(encoding="utf-8")  # a read, as the build does
        time.sleep(0.5)
        assert server._want_rebuild is False
        started = time.monotonic()
        page.write_text("# 제목\n\n새 문장\n", encoding="utf-8")
        while not server._want_rebuild and time.monotonic() - started < 5:
            time.sleep(0.01)
        assert server._want_rebuild is True
        assert time.monotonic() - started < 0.4
    finally:
        server.observer.stop()
        server.observer.join()
