"""tools/render_screens.py and tools/screenkit: the rendered-screenshot tool, without the dashboard source.

* the stub answers every dashboard route with the shapes of the real server, from
  data/sample-data.yml, and unknown routes as the real server does;
* the whole tool runs against tests/fixtures/render (a small front end calling the same routes,
  tagged in a temporary git repository): images, record, report, byte-identical reruns;
* a missing source, a failing build step and a shot whose selector never appears each end in one
  line naming the step or shot, with no traceback;
* the version-bump report flags a single changed pixel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from conftest import CHROMIUM, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from screenkit import fonts as fontkit  # noqa: E402
from screenkit import report  # noqa: E402
from screenkit.apps import dashboard  # noqa: E402
from screenkit.sample import SampleData  # noqa: E402
from screenkit.steps import Problem  # noqa: E402
from screenkit.stub import StubServer  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "render"
TOOL = ROOT / "tools" / "render_screens.py"
SAMPLE = ROOT / "data" / "sample-data.yml"
CONFIGMAP = FIXTURE / "upstream" / "frontend" / "manifests" / "kustomize" / "overlays" / "kserve" / "patches" / "configmap.yaml"
OWNED, JOINED = "kubeflow-user-example-com", "team-vision"


# --- the stub: contract against the sample data -------------------------------------------


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    (build / "index.html").write_text("<!doctype html><title>index</title>", "utf-8")
    (build / "app.js").write_text("console.log(1)", "utf-8")
    parsed = dashboard.read_configmap(CONFIGMAP.read_bytes(), "fixture")
    app = dashboard.DashboardApp()
    app.links, app.settings = parsed["links"], parsed["settings"]
    sample = SampleData.load(SAMPLE)
    server = StubServer(app.mounts(build), sample.view()).start()
    server.sample = sample
    yield server
    server.stop()


def call(stub, path: str, method: str = "GET"):
    request = urllib.request.Request(stub.url + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def get_json(stub, path: str, status: int = 200):
    code, kind, body = call(stub, path)
    assert code == status, (path, code, body[:200])
    assert kind.split(";")[0] == "application/json", (path, kind)
    return json.loads(body)


def test_workgroup_exists_and_env_info_follow_the_sample_data(stub):
    data = stub.sample.view()
    exists = get_json(stub, "/api/workgroup/exists")
    assert exists == {"hasAuth": True, "user": data["user"], "hasWorkgroup": True, "registrationFlowAllowed": False}
    env = get_json(stub, "/api/workgroup/env-info")
    assert set(env) == {"user", "platform", "namespaces", "isClusterAdmin"}
    assert set(env["platform"]) == {"provider", "providerName", "kubeflowVersion", "logoutUrl"}
    assert env["namespaces"] == [
        {"user": data["user"], "namespace": OWNED, "role": "owner"},
        {"user": data["user"], "namespace": JOINED, "role": "contributor"},
    ]
    assert env["isClusterAdmin"] is False


def test_the_new_user_scenario_turns_on_registration(stub):
    stub.data = stub.sample.view("new-user")
    try:
        exists = get_json(stub, "/api/workgroup/exists")
        assert exists["hasWorkgroup"] is False and exists["registrationFlowAllowed"] is True
        assert exists["user"] == "new-user@example.com"
        assert get_json(stub, "/api/workgroup/env-info")["namespaces"] == []
    finally:
        stub.data = stub.sample.view()


def test_links_and_settings_are_the_configmap(stub):
    parsed = dashboard.read_configmap(CONFIGMAP.read_bytes(), "fixture")
    links = get_json(stub, "/api/dashboard-links")
    assert set(links) == {"menuLinks", "externalLinks", "quickLinks", "documentationItems"}
    assert links == parsed["links"]
    assert get_json(stub, "/api/dashboard-settings") == {"DASHBOARD_FORCE_IFRAME": True}


def test_metrics_answer_405_as_without_a_metrics_service(stub):
    assert get_json(stub, "/api/metrics", 405) == {"error": "Operation not supported"}
    assert get_json(stub, "/api/metrics/podcpu", 405) == {"error": "Operation not supported"}


def test_activities_are_kubernetes_events_and_other_namespaces_are_forbidden(stub):
    events = get_json(stub, f"/api/activities/{OWNED}")
    assert len(events) == len(stub.sample.view()["events"][OWNED])
    for event in events:
        assert {"lastTimestamp", "type", "message", "involvedObject"} <= set(event)
        assert {"kind", "name"} <= set(event["involvedObject"])
        assert event["type"] in ("Normal", "Warning")
    forbidden = get_json(stub, "/api/activities/someone-else", 403)
    assert "someone-else" in forbidden["error"]


def test_namespaces_contributors_and_all_namespaces(stub):
    assert get_json(stub, "/api/namespaces") == [{"metadata": {"name": OWNED}}, {"metadata": {"name": JOINED}}]
    assert get_json(stub, f"/api/workgroup/get-contributors/{OWNED}") == ["alice@example.com", "bob@example.com"]
    assert get_json(stub, "/api/workgroup/get-contributors/unknown-ns") == []
    rows = get_json(stub, "/api/workgroup/get-all-namespaces")
    assert rows[0] == [OWNED, "user@example.com", "alice@example.com, bob@example.com"]


def test_notebook_and_pipeline_routes_of_the_home_cards(stub):
    servers = get_json(stub, f"/jupyter/api/namespaces/{OWNED}/notebooks")
    assert servers == {"notebooks": [{"name": name, "namespace": OWNED}
                                     for name in ("fraud-detection", "vscode-dev", "rstudio-reports", "llm-finetune")]}
    contents = get_json(stub, f"/notebook/{OWNED}/fraud-detection/api/contents")
    assert [item["name"] for item in contents["content"]] == ["train-model.ipynb", "explore-transactions.ipynb"]
    assert all({"name", "last_modified"} <= set(item) for item in contents["content"])
    pipelines = get_json(stub, "/pipeline/apis/v1beta1/pipelines?page_size=2&sort_by=created_at%20desc")["pipelines"]
    assert [p["name"] for p in pipelines] == ["fraud-detection-training", "iris-tree"]
    assert all({"id", "name", "created_at"} <= set(p) for p in pipelines)
    runs = get_json(stub, f"/pipeline/apis/v1beta1/runs?page_size=5&resource_reference_key.type=NAMESPACE"
                          f"&resource_reference_key.id={OWNED}")["runs"]
    assert [r["status"] for r in runs] == ["Running", "Succeeded", "Failed", "Succeeded", "Failed"]
    assert runs == sorted(runs, key=lambda r: r["created_at"], reverse=True)
    assert all({"id", "name", "created_at", "status"} <= set(r) for r in runs)


@pytest.mark.parametrize("path", ["/api/nothing", "/api/workgroup/nothing", "/api"])
def test_unknown_api_routes_get_the_real_servers_404(stub, path):
    assert get_json(stub, path, 404) == {"error": "Could not find the route you're looking for"}


@pytest.mark.parametrize("path", ["/", "/activity", "/manage-users", "/_/jupyter/"])
def test_other_paths_get_index_html_and_files_are_served(stub, path):
    code, kind, body = call(stub, path)
    assert (code, kind.split(";")[0]) == (200, "text/html") and b"<title>index</title>" in body
    code, kind, body = call(stub, "/app.js")
    assert code == 200 and kind.startswith("application/javascript") and body == b"console.log(1)"


def test_files_outside_the_build_are_not_served(stub):
    code, _kind, body = call(stub, "/../../etc/passwd")
    assert b"root:" not in body


# --- sample data and ConfigMap errors ---------------------------------------------------------


def test_bad_sample_data_names_file_and_line(tmp_path):
    bad = tmp_path / "sample.yml"
    bad.write_text("now: yesterday\nuser: u@example.com\nplatform: {}\nnamespaces:\n  - name: a\n    role: boss\n", "utf-8")
    with pytest.raises(Problem) as info:
        SampleData.load(bad)
    text = str(info.value)
    assert f"{bad}:1: now:" in text and f"{bad}:5: role must be owner, contributor or viewer" in text
    with pytest.raises(Problem, match="no scenario 'nope'"):
        SampleData.load(SAMPLE).view("nope")


def test_configmap_problems_are_clear():
    with pytest.raises(Problem, match="no ConfigMap named dashboard-config"):
        dashboard.read_configmap(b"kind: ConfigMap\nmetadata: {name: other}\n", "x.yaml")
    with pytest.raises(Problem, match="data.links is not JSON"):
        dashboard.read_configmap(
            b"kind: ConfigMap\nmetadata: {name: dashboard-config}\ndata: {links: '{', settings: '{}'}\n", "x.yaml")


# --- fonts ------------------------------------------------------------------------------------


def test_google_fonts_are_answered_from_fontsource():
    book = fontkit.FontBook(ROOT / "node_modules")
    assert book.missing_packages() == []
    url = "https://fonts.gstatic.com/s/roboto/v18/KFOmCnqEu92Fr1Mu4mxK.woff2"
    assert book.learn((FIXTURE / "upstream" / "frontend" / "src" / "app.css").read_text("utf-8")) == 1
    body, kind = book.answer(url)
    assert kind == "font/woff2" and body[:4] == b"wOF2"
    assert book.used[url] == "roboto/files/roboto-latin-400-normal.woff2"
    css, kind = book.answer("https://fonts.googleapis.com/css?family=Roboto+Mono:400,700|Roboto:300italic")
    css = css.decode()
    assert "font-family: 'Roboto Mono'" in css and "font-weight: 700" in css and "font-style: italic" in css
    assert fontkit.LOCAL_PREFIX + "roboto-mono/files/" in css
    assert book.answer("https://fonts.gstatic.com/s/unknown.woff2") is None


# --- the whole tool over the fixture ----------------------------------------------------------


@pytest.fixture(scope="module")
def upstream(tmp_path_factory) -> Path:
    """The fixture front end as a git repository with the tag v1.0.0."""
    repo = tmp_path_factory.mktemp("upstream")
    shutil.copytree(FIXTURE / "upstream", repo, dirs_exist_ok=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"], ["tag", "v1.0.0"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return repo


def run_tool(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "KFGUIDE_CHROMIUM": CHROMIUM},
    )


def render(upstream: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_tool(
        str(FIXTURE / "fixture_app.py"), "--src", str(upstream), "--tag", "v1.0.0", "--config-src", "none",
        "--screens", str(FIXTURE / "screens.yml"), "--out-dir", str(out), "--report-dir", str(out / "report"),
        *extra,
    )


SHOTS = ("--only", "home", "--only", "selector", "--only", "activity", "--only", "registration")


@pytest.fixture(scope="module")
def rendered(upstream, tmp_path_factory):
    """Two runs into the same folder: the first writes, the second rewrites and compares."""
    out = tmp_path_factory.mktemp("rendered")
    first = render(upstream, out, *SHOTS)
    assert first.returncode == 0, first.stdout + first.stderr
    files = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    second = render(upstream, out, *SHOTS)
    assert second.returncode == 0, second.stdout + second.stderr
    return out, first, second, files


def test_renders_every_shot_with_progress_and_times(rendered):
    out, first, _second, _files = rendered
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "fixture-activity.png", "fixture-home.webp", "fixture-record.json", "fixture-registration.webp",
        "fixture-selector.webp",
    ]
    for step in ("check inputs", "source: frontend", "build: copy", "start the stub back end", "start Chromium",
                 "shot home", "shot selector", "write the record", "compare with the previous images"):
        assert f"] {step}" in first.stdout, step
    assert first.stdout.count("      ok ") >= 9 and "time per step:" in first.stdout
    assert Image.open(out / "fixture-home.webp").size == (800, 500)
    assert Image.open(out / "fixture-selector.webp").size == (400, 160)  # the clip
    assert Image.open(out / "fixture-home.webp").format == "WEBP"
    assert Image.open(out / "fixture-activity.png").format == "PNG"


def test_the_render_shows_the_stubs_data_with_frozen_clock_and_local_fonts(rendered):
    out, *_ = rendered
    record = json.loads((out / "fixture-record.json").read_text("utf-8"))
    assert record["source"]["ref"] == "v1.0.0" and len(record["source"]["commit"]) == 40
    assert record["configmap"]["path"] == "frontend/manifests/kustomize/overlays/kserve/patches/configmap.yaml"
    assert record["configmap"]["menu"] == ["Notebooks", "Pipelines"]
    assert record["render"] == {
        "viewport": {"width": 800, "height": 500}, "device_scale_factor": 1.0, "clock": "2026-03-20T09:30:00Z",
        "locale": "en-US", "timezone": "UTC", "color_scheme": "light",
    }
    assert record["blocked_requests"] == ["https://example.com/tracker.png"]
    assert "@fontsource/roboto" in record["fonts"]
    assert [shot["name"] for shot in record["shots"]] == ["home", "selector", "activity", "registration"]
    assert record["shots"][3]["scenario"] == "new-user"
    # the home render is not blank: dark menu, white cards and text
    colors = Image.open(out / "fixture-home.webp").convert("RGB").getcolors(100_000)
    assert colors is not None and len(colors) > 20


def test_frozen_clock_utc_and_locale_reach_the_page(upstream, tmp_path, browser):
    """The fixture prints Date.now(), the time zone and the language in its footer."""
    from screenkit.browser import Offline, Setup, new_context

    build = tmp_path / "build"
    shutil.copytree(upstream / "frontend" / "src", build)
    app = dashboard.DashboardApp()
    parsed = dashboard.read_configmap(CONFIGMAP.read_bytes(), "fixture")
    app.links, app.settings = parsed["links"], parsed["settings"]
    sample = SampleData.load(SAMPLE)
    with StubServer(app.mounts(build), sample.view()) as server:
        book = fontkit.FontBook(ROOT / "node_modules")
        book.learn((build / "app.css").read_text("utf-8"))
        offline = Offline(server.url, book)
        context = new_context(browser, Setup((800, 500), 1.0, sample.now()), offline)
        try:
            page = context.new_page()
            page.goto(server.url + "/?ns=" + OWNED)
            page.locator("text=train-model.ipynb").wait_for()
            page.wait_for_timeout(300)
            assert page.locator("#clock").text_content() == "2026-03-20T09:30:00.000Z"
            assert page.locator("#zone").text_content() == "UTC en-US"
            assert "train-model.ipynb 3/20/2026, 8:12:40 AM" in page.locator("main").text_content()
        finally:
            context.close()
    assert offline.blocked == ["https://example.com/tracker.png"]
    assert all(not url.startswith("http") or "127.0.0.1" in url for _m, url, _s in server.requests)


def test_two_runs_give_identical_bytes_and_the_report_says_unchanged(rendered):
    out, _first, second, files = rendered
    for name, data in files.items():
        assert (out / name).read_bytes() == data, f"{name} changed between two runs"
    assert "0 of 4 shots changed" in second.stdout
    rows = json.loads((out / "report" / "report.json").read_text("utf-8"))
    assert {row["status"] for row in rows} == {"unchanged"}


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_a_missing_source_path_names_the_step(tmp_path):
    result = render(tmp_path / "nowhere", tmp_path / "out", "--only", "home")
    assert result.returncode == 1
    no_traceback(result)
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert failed == [f"FAILED at step 'source: frontend of {tmp_path / 'nowhere'} at v1.0.0': "
                      f"{tmp_path / 'nowhere'}: no such directory (pass a git clone, a bare mirror or a git URL)"]
    assert not (tmp_path / "out").exists()


def test_an_unknown_tag_lists_the_known_ones(upstream, tmp_path):
    result = run_tool(str(FIXTURE / "fixture_app.py"), "--src", str(upstream), "--tag", "v9.9.9",
                      "--config-src", "none", "--screens", str(FIXTURE / "screens.yml"), "--out-dir", str(tmp_path))
    assert result.returncode == 1
    no_traceback(result)
    assert "has no tag, branch or commit 'v9.9.9' (tags: v1.0.0)" in result.stderr


def test_a_failing_build_step_names_the_step_and_quotes_its_log(upstream, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(upstream, broken)
    (broken / "frontend" / "build.sh").write_text("echo 'fixture build: syntax error in app.js line 3' >&2\nexit 3\n")
    git = ["git", "-C", str(broken), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["commit", "-qam", "break"], check=True, capture_output=True)
    subprocess.run(git + ["tag", "-f", "v1.0.0"], check=True, capture_output=True)
    result = render(broken, tmp_path / "out", "--only", "home")
    assert result.returncode == 1
    no_traceback(result)
    assert "FAILED at step 'build: copy': `sh build.sh` exited with status 3" in result.stderr
    assert "| fixture build: syntax error in app.js line 3" in result.stderr
    assert "[4] build: copy ..." in result.stdout and "shot home" not in result.stdout


def test_a_shot_whose_selector_never_appears_names_the_shot(upstream, tmp_path):
    result = render(upstream, tmp_path / "out", "--only", "never")
    assert result.returncode == 1
    no_traceback(result)
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1
    assert failed[0].startswith("FAILED at step 'shot never': shot 'never' (")
    assert "wait_for '#never-there' did not appear within 1500 ms" in failed[0]


def test_bad_options_exit_2(tmp_path):
    result = run_tool("no-such-app")
    assert result.returncode == 2 and "no app 'no-such-app' (known: dashboard" in result.stderr
    result = run_tool(str(FIXTURE / "fixture_app.py"), "--only", "nope", "--src", str(tmp_path),
                      "--screens", str(FIXTURE / "screens.yml"))
    assert result.returncode == 1 and "--only nope: no such fixture screen" in result.stderr
    no_traceback(result)


# --- the version-bump report ----------------------------------------------------------------


def test_the_report_flags_a_single_changed_pixel(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    base = Image.new("RGB", (40, 30), "white")
    base.save(old / "same.png")
    base.save(new / "same.png")
    base.save(old / "shot.webp", lossless=True)
    changed = base.copy()
    changed.putpixel((7, 5), (250, 255, 255))
    changed.save(new / "shot.webp", lossless=True)
    rows = report.compare_sets(report.folder_pairs(old, new), tmp_path / "diff")
    by_name = {row.name: row for row in rows}
    assert by_name["same"].status == "unchanged" and by_name["same"].pixels == 0
    assert by_name["shot"].status == "changed" and by_name["shot"].pixels == 1
    diff = Image.open(tmp_path / "diff" / "shot-diff.png").convert("RGB")
    assert diff.size == (40 * 3 + 32, 30 + 28)
    assert diff.getpixel((2 * (40 + 16) + 7, 28 + 5)) == (255, 0, 255)  # the changed pixel, highlighted
    assert not (tmp_path / "diff" / "same-diff.png").exists()
    result = run_tool("compare", str(old), str(new), "--diff-dir", str(tmp_path / "cli"), "--labels", "v1", "v2")
    assert result.returncode == 0, result.stderr
    assert "shot  changed            1 px (  0.08 %)  40x30" in result.stdout
    assert "1 of 2 shots changed" in result.stdout


def test_the_report_counts_a_size_change_and_new_or_removed_shots(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    Image.new("RGB", (10, 10), "white").save(old / "a.png")
    Image.new("RGB", (10, 12), "white").save(new / "a.png")
    Image.new("RGB", (4, 4)).save(old / "gone.png")
    Image.new("RGB", (4, 4)).save(new / "added.png")
    rows = {row.name: row for row in report.compare_sets(report.folder_pairs(old, new), None)}
    assert rows["a"].status == "changed" and rows["a"].size == "10x10 -> 10x12"
    assert rows["gone"].status == "removed" and rows["added"].status == "new"
