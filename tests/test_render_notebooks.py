"""The Notebooks app of tools/render_screens.py, and apps shown in the dashboard's frame.

* the stub answers the Jupyter web app's routes with the shapes of its Flask back end, from
  data/sample-data.yml: the envelope, the list with its status rules, the form's data;
* the spawner config and logos are read from the distribution (or the app's own repository),
  with clear errors;
* the runner builds a framed app together with its host and serves both (the fixture's framed
  app inside the fixture dashboard), records both sources, and names a failing host build step.
No Kubeflow source is needed: the fixture stands in for it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from screenkit import distribution  # noqa: E402
from screenkit.apps import notebooks  # noqa: E402
from screenkit.sample import SampleData  # noqa: E402
from screenkit.source import Source  # noqa: E402
from screenkit.steps import Problem  # noqa: E402
from screenkit.stub import StubServer  # noqa: E402
from test_render_screens import FIXTURE, call, get_json, no_traceback, run_tool  # noqa: E402

SAMPLE = ROOT / "data" / "sample-data.yml"
CONFIGS = FIXTURE / "upstream" / "framed" / "jupyter" / "manifests" / "base" / "configs"
OWNED, JOINED = "kubeflow-user-example-com", "team-vision"


# --- the stub: contract against the sample data -------------------------------------------


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    build = tmp_path_factory.mktemp("jupyter-build")
    (build / "index.html").write_text('<!doctype html><base href="/jupyter/"><title>jupyter</title>', "utf-8")
    (build / "main.js").write_text("console.log('jupyter')", "utf-8")
    (build / "assets" / "logos").mkdir(parents=True)
    (build / "assets" / "logos" / "built-only.svg").write_text("<svg/>", "utf-8")
    app = notebooks.NotebooksApp()
    app.config = notebooks.read_spawner_config((CONFIGS / "spawner_ui_config.yaml").read_bytes(), "fixture")
    app.logos = notebooks.read_logos((CONFIGS / "logos-configmap.yaml").read_bytes(), "fixture")
    sample = SampleData.load(SAMPLE)
    server = StubServer(app.mounts(build), sample.view()).start()
    server.sample, server.app = sample, app
    yield server
    server.stop()


def answer(stub, path: str, field: str):
    """The crud_backend envelope: status 200, success, the user, and one data field."""
    body = get_json(stub, path)
    assert set(body) == {"status", "success", "user", field}, body.keys()
    assert body["status"] == 200 and body["success"] is True and body["user"] == stub.sample.view()["user"]
    return body[field]


def test_the_list_has_every_notebook_of_the_namespace_with_the_back_ends_fields(stub):
    items = answer(stub, f"/jupyter/api/namespaces/{OWNED}/notebooks", "notebooks")
    servers = stub.sample.view()["notebooks"][OWNED]
    assert [item["name"] for item in items] == [server["name"] for server in servers]
    for item, server in zip(items, servers):
        assert set(item) == {"name", "namespace", "serverType", "age", "last_activity", "image", "shortImage", "cpu",
                             "gpus", "memory", "volumes", "status", "metadata"}
        assert item["namespace"] == OWNED and item["serverType"] in notebooks.SERVER_TYPES
        assert item["age"] == server["created_at"] == item["metadata"]["creationTimestamp"]
        assert item["shortImage"] == server["image"].rsplit("/", 1)[1]
        assert isinstance(item["cpu"], str) and isinstance(item["memory"], str)
        assert set(item["status"]) == {"phase", "message", "state"} and item["status"]["phase"] in notebooks.PHASES
        assert item["metadata"]["annotations"][notebooks.SERVER_TYPE_ANNOTATION] == server["server_type"]
    assert [nb["name"] for nb in answer(stub, f"/jupyter/api/namespaces/{JOINED}/notebooks", "notebooks")] == ["image-labeling"]
    assert answer(stub, "/jupyter/api/namespaces/nobody/notebooks", "notebooks") == []


def test_the_sample_has_a_running_a_stopped_and_a_starting_notebook(stub):
    items = {item["name"]: item for item in answer(stub, f"/jupyter/api/namespaces/{OWNED}/notebooks", "notebooks")}
    assert items["fraud-detection"]["status"]["phase"] == "ready"
    assert items["rstudio-reports"]["status"] == {
        "phase": "stopped", "message": "No Pods are currently running for this Notebook Server.", "state": ""}
    assert notebooks.STOP_ANNOTATION in items["rstudio-reports"]["metadata"]["annotations"]
    assert items["llm-finetune"]["status"] == {
        "phase": "waiting", "message": "Waiting for StatefulSet to create the underlying Pod.", "state": ""}
    assert items["llm-finetune"]["gpus"] == {"count": 1, "message": "1 NVIDIA"}
    assert items["llm-finetune"]["last_activity"] == ""
    assert items["fraud-detection"]["gpus"] == {"count": 0, "message": ""}


def _status(server: dict, now: str = "2026-03-20T09:30:00Z", events=None) -> dict:
    base = {"name": "nb", "created_at": "2026-03-20T09:00:00Z"}
    data = {"now": now, "events": {"ns": events or []}}
    return notebooks.notebook_status({**base, **server}, "ns", data)


@pytest.mark.parametrize("server, phase, message", [
    ({"created_at": "2026-03-20T09:29:50Z"}, "waiting", "Waiting for StatefulSet to create the underlying Pod."),
    ({"created_at": "2026-03-20T09:29:49Z"}, "warning", "Couldn't find any information for the status of this notebook."),
    ({"stopped": "t", "status": {"readyReplicas": 0}}, "stopped", "No Pods are currently running for this Notebook Server."),
    ({"stopped": "t", "status": {"readyReplicas": 1}}, "waiting", "Notebook Server is stopping."),
    ({"deleting": True, "status": {"readyReplicas": 1}}, "terminating", "Deleting this Notebook Server."),
    ({"status": {"readyReplicas": 1}}, "ready", "Running"),
    ({"status": {"containerState": {"waiting": {"reason": "PodInitializing"}}}}, "warning",
     "PodInitializing: No available message for container state."),
    ({"status": {"containerState": {"waiting": {"reason": "ErrImagePull", "message": "not found"}}}}, "warning",
     "ErrImagePull: not found"),
    ({"status": {"conditions": [{"type": "Ready"}, {"reason": "Unschedulable", "message": "no node"}]}}, "warning",
     "Unschedulable: no node"),
])
def test_status_rules_of_the_back_end(server, phase, message):
    assert _status(server) == {"phase": phase, "message": message, "state": ""}


def test_a_warning_event_since_creation_explains_a_notebook_without_status():
    events = [
        {"kind": "Notebook", "name": "nb", "type": "Warning", "message": "old", "lastTimestamp": "2026-03-20T08:00:00Z"},
        {"kind": "Notebook", "name": "nb", "type": "Warning", "message": "quota", "lastTimestamp": "2026-03-20T09:10:00Z"},
        {"kind": "Notebook", "name": "nb", "type": "Warning", "message": "older", "lastTimestamp": "2026-03-20T09:05:00Z"},
        {"kind": "Pod", "name": "nb", "type": "Warning", "message": "a pod", "lastTimestamp": "2026-03-20T09:20:00Z"},
        {"kind": "Notebook", "name": "nb", "type": "Normal", "message": "fine", "lastTimestamp": "2026-03-20T09:25:00Z"},
    ]
    assert _status({}, events=events) == {"phase": "warning", "message": "quota", "state": ""}


def test_the_form_gets_the_spawner_config_volumes_poddefaults_gpus_and_storage_classes(stub):
    assert answer(stub, "/jupyter/api/config", "config") == stub.app.config
    data = stub.sample.view()
    pvcs = answer(stub, f"/jupyter/api/namespaces/{OWNED}/pvcs", "pvcs")
    assert pvcs == [{"name": v["name"], "size": v["size"], "mode": v["mode"]} for v in data["volumes"][OWNED]]
    defaults = answer(stub, f"/jupyter/api/namespaces/{OWNED}/poddefaults", "poddefaults")
    assert [(d["label"], d["desc"]) for d in defaults] == [
        ("kfp-api-token", "Mount the KFP API token"),
        ("add-s3-credentials", "Put the S3 access keys into environment variables")]
    for item in defaults:
        assert item["kind"] == "PodDefault" and item["metadata"]["namespace"] == OWNED
        assert item["spec"]["selector"]["matchLabels"] == {item["label"]: "true"} and item["spec"]["desc"] == item["desc"]
    assert answer(stub, f"/jupyter/api/namespaces/{JOINED}/poddefaults", "poddefaults") == []
    # the config knows NVIDIA and an Example TPU; only NVIDIA is on a node
    assert answer(stub, "/jupyter/api/gpus", "vendors") == ["nvidia.com/gpu"]
    assert answer(stub, "/jupyter/api/storageclasses", "storageClasses") == ["standard", "nfs-client"]
    assert answer(stub, "/jupyter/api/storageclasses/default", "defaultStorageClass") == "standard"
    assert answer(stub, "/jupyter/api/namespaces", "namespaces") == [OWNED, JOINED]


def test_files_logos_and_every_other_path(stub):
    code, kind, body = call(stub, "/jupyter/static/main.js")
    assert code == 200 and kind.startswith("application/javascript") and body == b"console.log('jupyter')"
    code, kind, body = call(stub, "/jupyter/static/assets/logos/jupyter-icon.svg")
    assert code == 200 and kind == "image/svg+xml" and b"<circle" in body
    # the ConfigMap volume hides the built logos: a file only the build has is not served
    code, kind, body = call(stub, "/jupyter/static/assets/logos/built-only.svg")
    assert code == 404 and json.loads(body)["success"] is False
    for path in ("/jupyter/", "/jupyter/new", "/jupyter/notebook/details/a/b", "/jupyter/favicon.ico",
                 "/jupyter/roboto.woff2"):
        code, kind, body = call(stub, path)
        assert (code, kind.split(";")[0]) == (200, "text/html") and b"<title>jupyter</title>" in body, path
    code, _kind, body = call(stub, "/jupyter/static/../../../etc/passwd")
    assert b"root:" not in body


def test_dashboard_home_reads_files_only_from_running_servers():
    from screenkit.apps import dashboard

    sample = SampleData.load(SAMPLE)
    routes = dashboard.dashboard_routes({}, {})
    with StubServer([dashboard.Mount("/", None, routes)], sample.view()) as server:
        assert call(server, f"/notebook/{OWNED}/fraud-detection/api/contents")[0] == 200
        for name in ("rstudio-reports", "llm-finetune"):  # stopped, starting: no pod behind the route
            assert call(server, f"/notebook/{OWNED}/{name}/api/contents")[:2] == (503, "text/plain")


# --- spawner config, logos and the distribution -----------------------------------------------


def test_spawner_config_and_logos_problems_are_clear():
    with pytest.raises(Problem, match="x.yaml: no spawnerFormDefaults mapping"):
        notebooks.read_spawner_config(b"other: 1\n", "x.yaml")
    with pytest.raises(Problem, match="x.yaml: spawnerFormDefaults has no image"):
        notebooks.read_spawner_config(b"spawnerFormDefaults: {cpu: {}, memory: {}, workspaceVolume: {}}\n", "x.yaml")
    with pytest.raises(Problem, match="x.yaml: not YAML"):
        notebooks.read_spawner_config(b"a: [\n", "x.yaml")
    with pytest.raises(Problem, match="x.yaml: no ConfigMap with data"):
        notebooks.read_logos(b"kind: Secret\n", "x.yaml")


def _git_repo(root: Path, files: dict[str, str], tag: str) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"], ["tag", tag]):
        subprocess.run(git + args, check=True, capture_output=True)
    return root


def test_the_spawner_config_comes_from_the_distribution_or_with_none_from_the_app(tmp_path):
    config_dir = notebooks.CONFIG_DIR
    own_text = (CONFIGS / "spawner_ui_config.yaml").read_text("utf-8")
    dist_text = own_text.replace("fixture-lab:v1", "distribution-lab:v2")
    dist = _git_repo(tmp_path / "dist", {f"{config_dir}/spawner_ui_config.yaml": dist_text,
                                         f"{config_dir}/logos-configmap.yaml": (CONFIGS / "logos-configmap.yaml").read_text()},
                     "release-9")
    app_repo = _git_repo(tmp_path / "app", {
        f"components/crud-web-apps/{notebooks.OWN_CONFIG_DIR}/spawner_ui_config.yaml": own_text,
        f"components/crud-web-apps/{notebooks.OWN_CONFIG_DIR}/logos-configmap.yaml": (CONFIGS / "logos-configmap.yaml").read_text(),
    }, "v1")
    source = Source.open(str(app_repo), "v1", tmp_path / "work")
    app = notebooks.NotebooksApp()
    record = app.prepare(argparse.Namespace(config_src=str(dist), config_ref="release-9"), source, tmp_path / "work")
    assert app.config["image"]["value"] == "example.org/notebooks/distribution-lab:v2"
    assert record["spawner_config"]["path"] == f"{config_dir}/spawner_ui_config.yaml"
    assert record["spawner_config"]["ref"] == "release-9" and len(record["spawner_config"]["commit"]) == 40
    assert app.logos["jupyter-icon.svg"].startswith(b"<svg")
    record = app.prepare(argparse.Namespace(config_src="none", config_ref="x"), source, tmp_path / "work")
    assert app.config["image"]["value"] == "example.org/notebooks/fixture-lab:v1"
    assert record["spawner_config"]["repository"] == "kubeflow/notebooks"
    with pytest.raises(Problem, match=r"at release-9 has no applications/.*/logos-configmap.yaml"):
        empty = _git_repo(tmp_path / "empty", {f"{config_dir}/spawner_ui_config.yaml": dist_text}, "release-9")
        app.prepare(argparse.Namespace(config_src=str(empty), config_ref="release-9"), source, tmp_path / "work")


def test_distribution_options_are_added_once():
    parser = argparse.ArgumentParser()
    distribution.add_arguments(parser)
    distribution.add_arguments(parser)  # the host and the app both ask
    args = parser.parse_args(["--config-ref", "release-x"])
    assert args.config_src == distribution.DISTRIBUTION and args.config_ref == "release-x"
    assert distribution.repo_name("https://github.com/kubeflow/community-distribution.git", "d") == \
        "kubeflow/community-distribution"
    assert distribution.repo_name("/work/mirror/repo", "d") == "d"


# --- an app in the dashboard's frame, end to end over the fixture -----------------------------


@pytest.fixture(scope="module")
def upstream(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("upstream-framed")
    shutil.copytree(FIXTURE / "upstream", repo, dirs_exist_ok=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"], ["tag", "v1.0.0"]):
        subprocess.run(git + args, check=True, capture_output=True)
    return repo


def render_framed(upstream: Path, out: Path, host: Path | None = None) -> subprocess.CompletedProcess:
    return run_tool(
        str(FIXTURE / "framed_app.py"), "--src", str(upstream), "--tag", "v1.0.0",
        "--host-src", str(host or upstream), "--host-tag", "v1.0.0", "--config-src", "none",
        "--screens", str(FIXTURE / "screens.yml"), "--out-dir", str(out), "--report-dir", str(out / "report"),
    )


@pytest.fixture(scope="module")
def framed(upstream, tmp_path_factory):
    out = tmp_path_factory.mktemp("framed")
    first = render_framed(upstream, out)
    assert first.returncode == 0, first.stdout + first.stderr
    image = (out / "framed-list.webp").read_bytes()
    second = render_framed(upstream, out)
    assert second.returncode == 0, second.stdout + second.stderr
    return out, first, second, image


def test_a_framed_app_is_built_with_its_host_and_shown_in_its_frame(framed):
    out, first, _second, _image = framed
    steps = [line.split("] ", 1)[1] for line in first.stdout.splitlines() if line.startswith("[")]
    assert steps[:6] == [
        "check inputs (shot list, sample data, fonts, browser) ...",
        "source: framed of {} at v1.0.0 ...".format(first.args[4]),
        "source: frontend of {} at v1.0.0 (the frame: Render fixture) ...".format(first.args[4]),
        "read the app's other inputs ...",
        "build: fixture copy ...",  # the host first, named by its app
        "build: copy ...",
    ]
    # the wait_for inside the iframe found the notebooks the stub listed for the namespace the
    # host passed, with their status phases: the whole chain ran
    record = json.loads((out / "framed-record.json").read_text("utf-8"))
    assert record["app"] == "framed" and record["source"]["component"] == "framed"
    assert record["frame"]["app"] == "fixture" and record["frame"]["component"] == "frontend"
    assert len(record["frame"]["commit"]) == 40 and record["frame"]["ref"] == "v1.0.0"
    assert record["configmap"]["path"].startswith("frontend/") and record["spawner_config"]["path"].startswith("framed/")
    assert record["spawner_config"]["images"] == ["example.org/notebooks/fixture-lab:v1"]
    assert [shot["name"] for shot in record["shots"]] == ["framed-list"]
    assert Image.open(out / "framed-list.webp").size == (800, 500)


def test_a_framed_render_is_byte_identical_on_a_rerun(framed):
    out, _first, second, image = framed
    assert (out / "framed-list.webp").read_bytes() == image
    assert "0 of 1 shots changed" in second.stdout


def test_a_failing_host_build_names_the_hosts_step(upstream, tmp_path):
    broken = tmp_path / "broken-host"
    shutil.copytree(upstream, broken)
    (broken / "frontend" / "build.sh").write_text("echo 'host build broke' >&2\nexit 4\n")
    git = ["git", "-C", str(broken), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["commit", "-qam", "break"], check=True, capture_output=True)
    subprocess.run(git + ["tag", "-f", "v1.0.0"], check=True, capture_output=True)
    result = render_framed(upstream, tmp_path / "out", host=broken)
    assert result.returncode == 1
    no_traceback(result)
    assert "FAILED at step 'build: fixture copy': `sh build.sh` exited with status 4" in result.stderr
    assert "| host build broke" in result.stderr
    assert "build: copy ..." not in result.stdout  # the app's own build never started


def test_a_missing_host_source_is_named(upstream, tmp_path):
    result = render_framed(upstream, tmp_path / "out", host=tmp_path / "no-dashboard")
    assert result.returncode == 1
    no_traceback(result)
    assert f"{tmp_path / 'no-dashboard'}: no such directory" in result.stderr
    assert "(the frame: Render fixture)" in result.stderr
