"""The Pipelines app of tools/render_screens.py: its stub against data/sample-data.yml, no KFP source.

* gRPC-Web and the protobuf wire format (screenkit.grpcweb) round-trip and frame as the protocol says;
* the API server's v2beta1 JSON (pipelines, versions with their PipelineSpec, runs, experiments)
  and the v1beta1 calls the UI still makes follow the sample data;
* ML Metadata answers over gRPC-Web hold what the KFP v2 driver and launcher record for a run:
  its context, a root DAG execution, one execution per started task with its state, the
  artifacts a completed task wrote, and the events between them;
* index.html is rewritten as the KFP server does in Kubeflow; the build's one input change (the
  ``fs`` placeholder) removes that package and nothing else.
"""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from screenkit import grpcweb  # noqa: E402
from screenkit.apps import pipelines  # noqa: E402
from screenkit.sample import SampleData  # noqa: E402
from screenkit.stub import StubServer  # noqa: E402

SAMPLE = ROOT / "data" / "sample-data.yml"
OWNED = "kubeflow-user-example-com"
IRIS = "3c5d8e21-7f4a-4b6e-9a1c-2d8f0e4b7a63"
FAILED_RUN, GOOD_RUN = "4d2c9b1a-6e5f-4873-a1b2-c3d4e5f6a7b8", "1b8e7f6a-5c4d-4b3a-9f2e-1d0c9b8a7f6e"


# --- protobuf wire format and gRPC-Web framing -------------------------------------------------


def test_messages_round_trip_through_the_wire_format():
    inner = grpcweb.Message().string(2, "data")
    message = (grpcweb.Message().int(1, 150).int(2, -1).string(3, "").string(4, "붓꽃")
               .message(5, inner).bool(6, True).double(7, 0.5).map_entry(8, "k", grpcweb.Message().int(1, 3)))
    raw = message.encode()
    assert raw[:3] == b"\x08\x96\x01"  # field 1, varint 150: the protobuf documentation's own example
    fields = grpcweb.decode(raw)
    assert fields[1] == [150] and fields[2] == [(1 << 64) - 1]  # int64 -1 is a ten-byte varint
    assert fields[3] == [b""] and fields[4] == ["붓꽃".encode()]
    assert grpcweb.decode(fields[5][0]) == {2: [b"data"]}
    assert fields[6] == [1] and fields[7] == [b"\x00\x00\x00\x00\x00\x00\xe0?"]
    entry = grpcweb.decode(fields[8][0])
    assert entry[1] == [b"k"] and grpcweb.decode(entry[2][0]) == {1: [3]}
    assert grpcweb.Message().int(1, None).string(2, None).message(3, None).encode() == b""


def test_repeated_ints_are_read_packed_or_not():
    packed = grpcweb.Message().bytes(1, bytes([3, 0x96, 0x01, 7])).encode()
    assert grpcweb.unpacked_ints(grpcweb.decode(packed), 1) == [3, 150, 7]
    plain = grpcweb.Message().int(1, 3).int(1, 150).encode()
    assert grpcweb.unpacked_ints(grpcweb.decode(plain), 1) == [3, 150]
    with pytest.raises(grpcweb.DecodeError):
        grpcweb.decode(b"\x0a\x05ab")  # a string field cut short


def test_grpc_web_frames_and_trailers():
    body, kind = grpcweb.frame_response(grpcweb.Message().int(1, 5))
    assert kind == grpcweb.GRPC_WEB_TEXT
    raw = base64.b64decode(body)
    assert raw[:5] == b"\x00\x00\x00\x00\x02" and raw[5:7] == b"\x08\x05"
    assert raw[7] == 0x80 and raw[12:] == b"grpc-status:0\r\n"
    body, kind = grpcweb.error_response(12, "not here", text=False)
    assert kind == grpcweb.GRPC_WEB_PROTO and body.endswith(b"grpc-status:12\r\ngrpc-message:not%20here\r\n")
    request = base64.b64encode(b"\x00\x00\x00\x00\x02\x08\x07")
    assert grpcweb.read_request(request, grpcweb.GRPC_WEB_TEXT) == b"\x08\x07"
    assert grpcweb.read_request(b"", grpcweb.GRPC_WEB_PROTO) == b""
    with pytest.raises(grpcweb.DecodeError):
        grpcweb.read_request(b"\x80\x00\x00\x00\x01x", grpcweb.GRPC_WEB_PROTO)


# --- the PipelineSpec built from a pipeline graph ----------------------------------------------


def test_the_iris_graph_becomes_the_pipeline_spec_kfp_compiles():
    graph = SampleData.load(SAMPLE).view()["pipeline_graphs"]["iris-tree"]
    spec = pipelines.pipeline_spec("iris-tree", graph)
    assert spec["pipelineInfo"] == {"name": "iris-tree", "description": graph["description"]}
    tasks = spec["root"]["dag"]["tasks"]
    assert list(tasks) == ["load-data", "train"]
    assert tasks["train"]["dependentTasks"] == ["load-data"]
    assert tasks["train"]["inputs"]["artifacts"]["data"] == {
        "taskOutputArtifact": {"producerTask": "load-data", "outputArtifactKey": "data"}}
    assert tasks["train"]["inputs"]["parameters"]["max_depth"] == {"componentInputParameter": "max_depth"}
    assert spec["root"]["inputDefinitions"]["parameters"]["max_depth"]["defaultValue"] == 3
    outputs = spec["components"]["comp-train"]["outputDefinitions"]["artifacts"]
    assert {key: value["artifactType"]["schemaTitle"] for key, value in outputs.items()} == {
        "model": "system.Model", "metrics": "system.Metrics"}
    assert set(spec["deploymentSpec"]["executors"]) == {"exec-load-data", "exec-train"}
    assert spec["root"]["dag"]["outputs"]["artifacts"]["Output"]["artifactSelectors"] == [
        {"producerSubtask": "train", "outputArtifactKey": "metrics"}]


# --- the stub ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stub(tmp_path_factory):
    build = tmp_path_factory.mktemp("kfp-build")
    (build / "index.html").write_text(
        "<script>window.KFP_FLAGS={};window.KFP_FLAGS.DEPLOYMENT=null;window.KFP_FLAGS.HIDE_SIDENAV=null;</script>"
        '<script id="kubeflow-client-placeholder"></script><title>kfp</title>', "utf-8")
    (build / "static").mkdir()
    (build / "static" / "index.js").write_text("console.log('kfp')", "utf-8")
    sample = SampleData.load(SAMPLE)
    server = StubServer(pipelines.PipelinesApp().mounts(build), sample.view()).start()
    server.sample = sample
    yield server
    server.stop()


def call(stub, path: str, body: bytes | None = None, kind: str = grpcweb.GRPC_WEB_TEXT):
    request = urllib.request.Request(stub.url + path, data=body, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": kind} if body is not None else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def get_json(stub, path: str, status: int = 200):
    code, kind, body = call(stub, path)
    assert (code, kind.split(";")[0]) == (status, "application/json"), (path, code, body[:200])
    return json.loads(body)


def test_index_html_is_the_kubeflow_deployments(stub):
    for path in ("/pipeline/", "/pipeline/index.html", "/pipeline/anything"):
        code, kind, body = call(stub, path)
        text = body.decode()
        assert code == 200 and kind.startswith("text/html"), path
        assert 'window.KFP_FLAGS.DEPLOYMENT="KUBEFLOW"' in text and "window.KFP_FLAGS.HIDE_SIDENAV=true" in text
        assert '<script id="kubeflow-client-placeholder" src="/dashboard_lib.bundle.js"></script>' in text
    assert call(stub, "/pipeline/static/index.js")[2] == b"console.log('kfp')"
    assert get_json(stub, "/pipeline/apis/v2beta1/nothing", 404)["code"] == 5


def test_pipelines_versions_and_their_spec(stub):
    listed = get_json(stub, "/pipeline/apis/v2beta1/pipelines?page_size=10&sort_by=created_at%20desc")
    names = [p["display_name"] for p in listed["pipelines"]]
    data = stub.sample.view()
    assert listed["total_size"] == len(data["pipelines"]) and names[0] == "fraud-detection-training"
    iris = next(p for p in listed["pipelines"] if p["pipeline_id"] == IRIS)
    assert iris["description"] == data["pipeline_graphs"]["iris-tree"]["description"]
    assert get_json(stub, f"/pipeline/apis/v2beta1/pipelines/{IRIS}") == iris
    versions = get_json(stub, f"/pipeline/apis/v2beta1/pipelines/{IRIS}/versions?page_size=50")["pipeline_versions"]
    assert [v["display_name"] for v in versions] == ["iris-tree"]
    version = get_json(stub, f"/pipeline/apis/v2beta1/pipelines/{IRIS}/versions/{versions[0]['pipeline_version_id']}")
    assert version["pipeline_spec"]["root"]["dag"]["tasks"].keys() == {"load-data", "train"}
    no_graph = data["pipelines"][0]
    only = get_json(stub, f"/pipeline/apis/v2beta1/pipelines/{no_graph['id']}/versions")["pipeline_versions"]
    assert len(only) == 1 and "pipeline_spec" not in only[0]
    v1 = get_json(stub, f"/pipeline/apis/v1beta1/pipelines/{IRIS}")
    assert v1["default_version"]["id"] == versions[0]["pipeline_version_id"]
    get_json(stub, "/pipeline/apis/v2beta1/pipelines/00000000-0000-0000-0000-000000000000", 404)


def test_runs_and_experiments(stub):
    runs = get_json(stub, f"/pipeline/apis/v2beta1/runs?namespace={OWNED}&page_size=10")["runs"]
    expected = stub.sample.view()["runs"][OWNED]
    assert len(runs) == len(expected) and runs == sorted(runs, key=lambda r: r["created_at"], reverse=True)
    states = {r["display_name"]: r["state"] for r in runs}
    assert states["iris-tree-depth-0"] == "FAILED" and states["iris-tree-depth-3"] == "SUCCEEDED"
    assert states["fraud-training-lr-0.01"] == "RUNNING"
    run = get_json(stub, f"/pipeline/apis/v2beta1/runs/{FAILED_RUN}")
    assert run["pipeline_version_reference"]["pipeline_id"] == IRIS
    assert run["runtime_config"]["parameters"] == {"max_depth": 0}
    experiments = get_json(stub, f"/pipeline/apis/v2beta1/experiments?namespace={OWNED}")["experiments"]
    assert [e["experiment_id"] for e in experiments] == [run["experiment_id"]]
    assert get_json(stub, f"/pipeline/apis/v2beta1/experiments/{run['experiment_id']}")["display_name"] == "Default"
    assert get_json(stub, "/pipeline/apis/v2beta1/runs?namespace=team-vision")["runs"][0]["state"] == "SUCCEEDED"
    # the dashboard's Home cards, answered here too because this mount holds /pipeline/
    cards = get_json(stub, f"/pipeline/apis/v1beta1/runs?page_size=5&resource_reference_key.id={OWNED}")["runs"]
    assert [r["status"] for r in cards] == ["Running", "Succeeded", "Failed", "Succeeded", "Failed"]


def mlmd(stub, method: str, request: grpcweb.Message) -> dict:
    body = base64.b64encode(b"\x00" + len(request.encode()).to_bytes(4, "big") + request.encode())
    code, kind, answer = call(stub, pipelines.MLMD + method, body)
    assert code == 200 and kind == grpcweb.GRPC_WEB_TEXT, (method, code, answer)
    raw = base64.b64decode(answer)
    assert raw.endswith(b"grpc-status:0\r\n"), raw[-40:]
    size = int.from_bytes(raw[1:5], "big")
    return grpcweb.decode(raw[5:5 + size])


def props(message: bytes, number: int) -> dict:
    out = {}
    fields = grpcweb.decode(message)
    for entry in fields.get(number, []):
        entry_fields = grpcweb.decode(entry)
        value = grpcweb.decode(entry_fields[2][0])
        if 3 in value:
            out[entry_fields[1][0].decode()] = value[3][0].decode()
        elif 2 in value:
            out[entry_fields[1][0].decode()] = struct.unpack("<d", value[2][0])[0]
        else:
            out[entry_fields[1][0].decode()] = value.get(1, [None])[0]
    return out


def test_ml_metadata_holds_the_failed_runs_context_executions_artifacts_and_events(stub):
    context = grpcweb.decode(mlmd(stub, "GetContextByTypeAndName",
                                  grpcweb.Message().string(1, "system.PipelineRun").string(2, FAILED_RUN))[1][0])
    assert context[3] == [FAILED_RUN.encode()] and context[6] == [b"system.PipelineRun"]
    executions = mlmd(stub, "GetExecutionsByContext", grpcweb.Message().int(1, context[1][0])).get(1, [])
    by_task = {props(e, 5)["task_name"]: grpcweb.decode(e) for e in executions}
    assert set(by_task) == {"", "load-data", "train"}  # the root DAG has an empty task name
    root_id = by_task[""][1][0]
    assert by_task[""][6] == [f"run/{FAILED_RUN}".encode()] and by_task[""][7] == [b"system.DAGExecution"]
    assert by_task["load-data"][3] == [pipelines.EXECUTION_STATES["COMPLETE"]]
    assert by_task["train"][3] == [pipelines.EXECUTION_STATES["FAILED"]]
    assert props(next(e for e in executions if grpcweb.decode(e)[1][0] == by_task["train"][1][0]), 5)["parent_dag_id"] == root_id
    artifacts = mlmd(stub, "GetArtifactsByContext", grpcweb.Message().int(1, context[1][0])).get(1, [])
    assert [props(a, 5)["display_name"] for a in artifacts] == ["data"]  # train failed before writing
    data = grpcweb.decode(artifacts[0])
    assert data[8] == [b"system.Dataset"] and data[3][0].startswith(f"minio://mlpipeline/private-artifacts/{OWNED}/".encode())
    events = mlmd(stub, "GetEventsByExecutionIDs", grpcweb.Message().bytes(
        1, bytes([by_task["load-data"][1][0], by_task["train"][1][0]]))).get(1, [])
    kinds = sorted((grpcweb.decode(e)[2][0], grpcweb.decode(e)[4][0]) for e in events)
    assert kinds == [(by_task["load-data"][1][0], pipelines.EVENT_OUTPUT), (by_task["train"][1][0], pipelines.EVENT_INPUT)]
    missing = mlmd(stub, "GetContextByTypeAndName", grpcweb.Message().string(1, "system.PipelineRun").string(2, "nope"))
    assert missing == {}


def test_ml_metadata_lists_every_artifact_execution_and_type(stub):
    artifacts = mlmd(stub, "GetArtifacts", grpcweb.Message())[1]
    assert sorted(props(a, 5)["display_name"] for a in artifacts) == ["data", "data", "metrics", "model"]
    metrics = next(a for a in artifacts if props(a, 5)["display_name"] == "metrics")
    assert props(metrics, 5)["accuracy"] == stub.sample.view()["runs"][OWNED][3]["tasks"]["train"]["metadata"]["metrics"]["accuracy"]
    types = {grpcweb.decode(t)[2][0].decode(): grpcweb.decode(t)[1][0] for t in mlmd(stub, "GetArtifactTypes", grpcweb.Message())[1]}
    assert types.keys() == {"system.Dataset", "system.Model", "system.Metrics"}
    assert all(grpcweb.decode(a)[2][0] == types[grpcweb.decode(a)[8][0].decode()] for a in artifacts)
    executions = mlmd(stub, "GetExecutions", grpcweb.Message())[1]
    assert len(executions) == 6  # two iris runs: a root DAG, load-data and train each
    execution_types = [grpcweb.decode(t)[2][0] for t in mlmd(stub, "GetExecutionTypes", grpcweb.Message())[1]]
    assert execution_types == [b"system.ContainerExecution", b"system.DAGExecution"]
    created = mlmd(stub, "GetEventsByArtifactIDs", grpcweb.Message().int(1, grpcweb.decode(metrics)[1][0]))[1]
    assert [grpcweb.decode(e)[4][0] for e in created] == [pipelines.EVENT_OUTPUT]


def test_an_unknown_method_or_a_bad_request_is_a_grpc_error(stub):
    code, kind, body = call(stub, pipelines.MLMD + "PutArtifacts", base64.b64encode(b"\x00\x00\x00\x00\x00"))
    assert code == 200 and b"grpc-status:12" in base64.b64decode(body)
    code, kind, body = call(stub, pipelines.MLMD + "GetArtifacts", base64.b64encode(b"\x00\x00\x00\x00\x09\x0a"))
    assert b"grpc-status:13" in base64.b64decode(body)


def test_the_build_drops_only_the_fs_placeholder(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"devDependencies": {"fs": "0.0.1-security", "vite": "^7"}}))
    (tmp_path / "package-lock.json").write_text(json.dumps({"packages": {
        "": {"devDependencies": {"fs": "0.0.1-security", "vite": "^7"}},
        "node_modules/fs": {"version": "0.0.1-security"}, "node_modules/vite": {"version": "7.3.1"}}}))
    subprocess.run([sys.executable, "-c", pipelines.DROP_FS], cwd=tmp_path, check=True, capture_output=True)
    assert json.loads((tmp_path / "package.json").read_text()) == {"devDependencies": {"vite": "^7"}}
    lock = json.loads((tmp_path / "package-lock.json").read_text())
    assert lock == {"packages": {"": {"devDependencies": {"vite": "^7"}}, "node_modules/vite": {"version": "7.3.1"}}}
