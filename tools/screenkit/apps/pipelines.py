"""Kubeflow Pipelines UI (kubeflow/pipelines ``frontend``, React), in the dashboard's frame.

Build: ``npm ci --ignore-scripts`` (the package's postinstall installs the Node server and the
mock back end, which the UI build does not use), ``npm run build:tailwind`` and ``vite build``
(what ``npm run build`` runs after its lint and type check). One input is changed first: the
devDependency ``fs`` (``0.0.1-security``, an npm placeholder package with no code, never
imported) is taken out of ``package.json`` and ``package-lock.json``, because the registry here
answers 404 for its tarball and ``npm ci`` stops there. Output: ``build`` (``index.html`` and
``static/``).

The stub answers what a Kubeflow install answers under ``/pipeline/``: ``index.html`` as the KFP
server rewrites it for Kubeflow (``DEPLOYMENT="KUBEFLOW"``, ``HIDE_SIDENAV=true``, the dashboard's
``dashboard_lib.bundle.js``), the API server's v2beta1 JSON (pipelines, versions, runs,
experiments; v1beta1 for the calls the UI still makes) and, under
``/ml_metadata.MetadataStoreService/``, ML Metadata over gRPC-Web (``screenkit.grpcweb``): the
run's context, executions, artifacts and events that the KFP v2 driver and launcher record.
Everything comes from ``data/sample-data.yml``: ``pipelines`` (with ``graph`` and ``versions``),
``pipeline_graphs`` (the tasks of a pipeline, turned into a PipelineSpec here), ``experiments``
and ``runs`` (with ``pipeline``, ``parameters`` and the state of each task).

``frontend/mock-backend`` of the release is not used: it answers only the v1beta1 API, while
the 2.16 UI lists pipelines and runs through v2beta1 and reads run graphs from ML Metadata.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from screenkit import grpcweb
from screenkit.app import App, BuildStep, node_version
from screenkit.grpcweb import Message
from screenkit.sample import parse_time
from screenkit.source import Source
from screenkit.stub import Mount, Response, Route

PREFIX = "/pipeline/"
MLMD = "/ml_metadata.MetadataStoreService/"
SCHEMA_VERSION = "0.0.1"
SDK_VERSION = "kfp-2.16.0"

# The one input change (see the module docstring): our own code, run with this Python.
DROP_FS = """
import json
for name in ("package.json", "package-lock.json"):
    data = json.load(open(name, encoding="utf-8"))
    if name == "package.json":
        dropped = data.get("devDependencies", {}).pop("fs", None)
    else:
        dropped = data["packages"][""].get("devDependencies", {}).pop("fs", None)
        data["packages"].pop("node_modules/fs", None)
    json.dump(data, open(name, "w", encoding="utf-8"), indent=2)
    print(name, "fs", dropped)
"""

# ML Metadata states and event types (ml_metadata/proto/metadata_store.proto)
EXECUTION_STATES = {"UNKNOWN": 0, "NEW": 1, "RUNNING": 2, "COMPLETE": 3, "FAILED": 4, "CACHED": 5, "CANCELED": 6}
ARTIFACT_LIVE, ARTIFACT_PENDING = 2, 1
EVENT_INPUT, EVENT_OUTPUT = 3, 4
RUN_STATES = {"Succeeded": "SUCCEEDED", "Failed": "FAILED", "Running": "RUNNING", "Pending": "PENDING",
              "Skipped": "SKIPPED", "Canceled": "CANCELED"}
PARAMETER_TYPES = ("NUMBER_INTEGER", "NUMBER_DOUBLE", "STRING", "BOOLEAN", "LIST", "STRUCT")


def index_html(build_dir: Path) -> Response:
    """index.html as the KFP server serves it in a Kubeflow deployment (server/handlers/index-html.ts)."""
    text = (build_dir / "index.html").read_text("utf-8")
    text = text.replace("window.KFP_FLAGS.DEPLOYMENT=null", 'window.KFP_FLAGS.DEPLOYMENT="KUBEFLOW"')
    text = text.replace('<script id="kubeflow-client-placeholder"></script>',
                        '<script id="kubeflow-client-placeholder" src="/dashboard_lib.bundle.js"></script>')
    text = text.replace("window.KFP_FLAGS.HIDE_SIDENAV=null", "window.KFP_FLAGS.HIDE_SIDENAV=true")
    return Response(200, text.encode("utf-8"), "text/html; charset=utf-8")


# --- the pipeline spec (IR) from a pipeline graph of the sample data ------------------------


def _artifact_type(schema: str) -> dict:
    return {"schemaTitle": schema, "schemaVersion": SCHEMA_VERSION}


def pipeline_spec(name: str, graph: dict) -> dict:
    """A PipelineSpec (KFP IR) for a graph of the sample data: one container component per task."""
    components, executors, tasks = {}, {}, {}
    for task_name, task in graph["tasks"].items():
        component, executor = f"comp-{task_name}", f"exec-{task_name}"
        inputs: dict = {}
        artifacts_in = {key: {"artifactType": _artifact_type(graph["tasks"][src.split(".")[0]]["outputs"][src.split(".")[1]])}
                        for key, src in (task.get("inputs") or {}).items()}
        params_in = {key: {"parameterType": graph["parameters"][src]["type"]}
                     for key, src in (task.get("parameters") or {}).items()}
        if artifacts_in:
            inputs["artifacts"] = artifacts_in
        if params_in:
            inputs["parameters"] = params_in
        definition = {"executorLabel": executor}
        if inputs:
            definition["inputDefinitions"] = inputs
        if task.get("outputs"):
            definition["outputDefinitions"] = {"artifacts": {key: {"artifactType": _artifact_type(schema)}
                                                             for key, schema in task["outputs"].items()}}
        components[component] = definition
        function = task_name.replace("-", "_")
        executors[executor] = {"container": {
            "image": task.get("image", "python:3.11"),
            "command": ["sh", "-c", "python3 -m kfp.dsl.executor_main", "--"],
            "args": ["--executor_input", "{{$}}", "--function_to_execute", function],
        }}
        entry: dict = {"taskInfo": {"name": task_name}, "componentRef": {"name": component},
                       "cachingOptions": {"enableCache": True}}
        producers = sorted({src.split(".")[0] for src in (task.get("inputs") or {}).values()})
        if producers:
            entry["dependentTasks"] = producers
        task_inputs: dict = {}
        if task.get("inputs"):
            task_inputs["artifacts"] = {key: {"taskOutputArtifact": {"producerTask": src.split(".")[0],
                                                                    "outputArtifactKey": src.split(".")[1]}}
                                        for key, src in task["inputs"].items()}
        if task.get("parameters"):
            task_inputs["parameters"] = {key: {"componentInputParameter": src}
                                         for key, src in task["parameters"].items()}
        if task_inputs:
            entry["inputs"] = task_inputs
        tasks[task_name] = entry
    root: dict = {"dag": {"tasks": tasks}}
    if graph.get("parameters"):
        root["inputDefinitions"] = {"parameters": {
            key: {"parameterType": p["type"], "defaultValue": p["default"], "isOptional": True}
            if "default" in p else {"parameterType": p["type"]}
            for key, p in graph["parameters"].items()}}
    if graph.get("outputs"):
        root["dag"]["outputs"] = {"artifacts": {key: {"artifactSelectors": [
            {"producerSubtask": src.split(".")[0], "outputArtifactKey": src.split(".")[1]}]}
            for key, src in graph["outputs"].items()}}
        root["outputDefinitions"] = {"artifacts": {key: {"artifactType": _artifact_type(
            graph["tasks"][src.split(".")[0]]["outputs"][src.split(".")[1]])} for key, src in graph["outputs"].items()}}
    info = {"name": name}
    if graph.get("description"):
        info["description"] = graph["description"]
    return {"components": components, "deploymentSpec": {"executors": executors}, "pipelineInfo": info,
            "root": root, "schemaVersion": "2.1.0", "sdkVersion": SDK_VERSION}


# --- the API server's JSON ----------------------------------------------------------------------


def _pipelines(data: dict) -> list[dict]:
    return data.get("pipelines") or []


def _find_pipeline(data: dict, pipeline_id: str) -> dict | None:
    return next((p for p in _pipelines(data) if p["id"] == pipeline_id), None)


def _versions(pipeline: dict) -> list[dict]:
    return pipeline.get("versions") or [{"id": pipeline["id"], "name": pipeline["name"], "created_at": pipeline["created_at"]}]


def pipeline_item(pipeline: dict) -> dict:
    """A V2beta1Pipeline."""
    item = {"pipeline_id": pipeline["id"], "display_name": pipeline["name"], "name": pipeline["name"],
            "created_at": pipeline["created_at"]}
    if pipeline.get("description"):
        item["description"] = pipeline["description"]
    return item


def version_item(pipeline: dict, version: dict, data: dict) -> dict:
    """A V2beta1PipelineVersion, with its pipeline_spec when the pipeline has a graph."""
    item = {"pipeline_id": pipeline["id"], "pipeline_version_id": version["id"], "display_name": version["name"],
            "name": version["name"], "created_at": version["created_at"]}
    if pipeline.get("description"):
        item["description"] = pipeline["description"]
    graph = (data.get("pipeline_graphs") or {}).get(pipeline.get("graph", ""))
    if graph is not None:
        item["pipeline_spec"] = pipeline_spec(pipeline["name"], graph)
    return item


def _runs(data: dict):
    for namespace, runs in (data.get("runs") or {}).items():
        for run in runs:
            yield namespace, run


def _experiment_id(data: dict, namespace: str, name: str) -> str:
    for experiment in (data.get("experiments") or {}).get(namespace, []):
        if experiment["name"] == name:
            return experiment["id"]
    return ""


def run_item(namespace: str, run: dict, data: dict) -> dict:
    """A V2beta1Run."""
    item = {"run_id": run["id"], "display_name": run["name"], "storage_state": "AVAILABLE",
            "created_at": run["created_at"], "scheduled_at": run.get("started_at", run["created_at"]),
            "finished_at": run.get("finished_at", "1970-01-01T00:00:00Z"),
            "state": RUN_STATES.get(run.get("status", ""), "RUNTIME_STATE_UNSPECIFIED"),
            "service_account": "default-editor"}
    if run.get("experiment"):
        item["experiment_id"] = _experiment_id(data, namespace, run["experiment"])
    pipeline = next((p for p in _pipelines(data) if p["name"] == run.get("pipeline")), None)
    if pipeline is not None:
        item["pipeline_version_reference"] = {"pipeline_id": pipeline["id"],
                                              "pipeline_version_id": _versions(pipeline)[0]["id"]}
        item["runtime_config"] = {"parameters": dict(run.get("parameters") or {}),
                                  "pipeline_root": f"minio://mlpipeline/private-artifacts/{namespace}/v2/artifacts"}
    return item


def _page(items: list, query: dict, key: str) -> dict:
    try:
        size = max(1, int(query.get("page_size", ["10"])[0]))
    except ValueError:
        size = 10
    return {key: items[:size], "total_size": len(items)} if items else {"total_size": 0}


def _newest_first(items: list[dict], key: str = "created_at") -> list[dict]:
    return sorted(items, key=lambda item: item.get(key, ""), reverse=True)


def api_routes() -> list[Route]:
    base = PREFIX + "apis"
    uuid = r"[0-9a-f-]+"

    def list_pipelines(match, query, data):
        return 200, _page([pipeline_item(p) for p in _newest_first(_pipelines(data))], query, "pipelines")

    def get_pipeline(match, query, data):
        pipeline = _find_pipeline(data, match["pid"])
        if pipeline is None:
            return 404, {"error_message": f"Pipeline {match['pid']} not found", "code": 5}
        return 200, pipeline_item(pipeline)

    def list_versions(match, query, data):
        pipeline = _find_pipeline(data, match["pid"])
        if pipeline is None:
            return 404, {"error_message": f"Pipeline {match['pid']} not found", "code": 5}
        versions = [version_item(pipeline, v, data) for v in _newest_first(_versions(pipeline))]
        return 200, _page(versions, query, "pipeline_versions")

    def get_version(match, query, data):
        pipeline = _find_pipeline(data, match["pid"])
        version = next((v for v in _versions(pipeline) if v["id"] == match["vid"]), None) if pipeline else None
        if version is None:
            return 404, {"error_message": f"Pipeline version {match['vid']} not found", "code": 5}
        return 200, version_item(pipeline, version, data)

    def list_runs(match, query, data):
        namespace = query.get("namespace", [""])[0]
        runs = [run_item(ns, r, data) for ns, r in _runs(data) if ns == namespace or not namespace]
        return 200, _page(_newest_first(runs), query, "runs")

    def get_run(match, query, data):
        for namespace, run in _runs(data):
            if run["id"] == match["rid"]:
                return 200, run_item(namespace, run, data)
        return 404, {"error_message": f"Run {match['rid']} not found", "code": 5}

    def experiment_item(namespace: str, experiment: dict) -> dict:
        return {"experiment_id": experiment["id"], "display_name": experiment["name"], "namespace": namespace,
                "created_at": experiment["created_at"], "storage_state": "AVAILABLE"}

    def list_experiments(match, query, data):
        namespace = query.get("namespace", [""])[0]
        items = [experiment_item(ns, e) for ns, experiments in (data.get("experiments") or {}).items()
                 for e in experiments if ns == namespace or not namespace]
        return 200, _page(_newest_first(items), query, "experiments")

    def get_experiment(match, query, data):
        for namespace, experiments in (data.get("experiments") or {}).items():
            for experiment in experiments:
                if experiment["id"] == match["eid"]:
                    return 200, experiment_item(namespace, experiment)
        return 404, {"error_message": f"Experiment {match['eid']} not found", "code": 5}

    # v1beta1: the pipeline page still asks it for the pipeline and its default version
    def v1_pipeline(match, query, data):
        pipeline = _find_pipeline(data, match["pid"])
        if pipeline is None:
            return 404, {"error": f"Pipeline {match['pid']} not found", "code": 5}
        version = _versions(pipeline)[0]
        v1_version = {"id": version["id"], "name": version["name"], "created_at": version["created_at"],
                      "resource_references": [{"key": {"type": "PIPELINE", "id": pipeline["id"]}, "relationship": "OWNER"}]}
        item = {"id": pipeline["id"], "name": pipeline["name"], "created_at": pipeline["created_at"],
                "default_version": v1_version}
        if pipeline.get("description"):
            item["description"] = pipeline["description"]
        return 200, item

    def v1_versions(match, query, data):
        pipeline = _find_pipeline(data, query.get("resource_key.id", [""])[0])
        if pipeline is None:
            return 200, {}
        return 200, {"versions": [{"id": v["id"], "name": v["name"], "created_at": v["created_at"]}
                                  for v in _newest_first(_versions(pipeline))], "total_size": len(_versions(pipeline))}

    def v1_list_pipelines(match, query, data):  # the dashboard's Recent Pipelines card
        items = [{"id": p["id"], "name": p["name"], "created_at": p["created_at"]} for p in _newest_first(_pipelines(data))]
        return 200, _page(items, query, "pipelines")

    def v1_list_runs(match, query, data):  # the dashboard's Recent Pipeline Runs card
        namespace = query.get("resource_reference_key.id", [""])[0]
        items = [{"id": r["id"], "name": r["name"], "created_at": r["created_at"], "status": r.get("status", "")}
                 for ns, r in _runs(data) if ns == namespace]
        return 200, _page(_newest_first(items), query, "runs")

    def healthz(match, query, data):
        return 200, {"commit_sha": "", "tag_name": "", "multi_user": True, "pipeline_store": "database"}

    return [
        Route.get(rf"{base}/v2beta1/healthz", healthz),
        Route.get(rf"{base}/v2beta1/pipelines", list_pipelines),
        Route.get(rf"{base}/v2beta1/pipelines/(?P<pid>{uuid})", get_pipeline),
        Route.get(rf"{base}/v2beta1/pipelines/(?P<pid>{uuid})/versions", list_versions),
        Route.get(rf"{base}/v2beta1/pipelines/(?P<pid>{uuid})/versions/(?P<vid>{uuid})", get_version),
        Route.get(rf"{base}/v2beta1/runs", list_runs),
        Route.get(rf"{base}/v2beta1/runs/(?P<rid>{uuid})", get_run),
        Route.get(rf"{base}/v2beta1/experiments", list_experiments),
        Route.get(rf"{base}/v2beta1/experiments/(?P<eid>{uuid})", get_experiment),
        Route.get(rf"{base}/v1beta1/pipelines", v1_list_pipelines),
        Route.get(rf"{base}/v1beta1/pipelines/(?P<pid>{uuid})", v1_pipeline),
        Route.get(rf"{base}/v1beta1/pipeline_versions", v1_versions),
        Route.get(rf"{base}/v1beta1/runs", v1_list_runs),
        Route.get(rf"{PREFIX}system/cluster-name", lambda m, q, d: (500, "Failed fetching GKE cluster name")),
        Route.get(rf"{PREFIX}system/project-id", lambda m, q, d: (500, "Failed fetching GKE project id")),
        Route.get(rf"{PREFIX}visualizations/allowed", lambda m, q, d: (200, False)),
    ]


# --- ML Metadata: what the KFP v2 driver and launcher record for each run -----------------------


class Store:
    """The MLMD records of every run with a pipeline graph, with stable ids in sample-data order."""

    CONTEXT_TYPES = ["system.Pipeline", "system.PipelineRun"]
    EXECUTION_TYPES = ["system.ContainerExecution", "system.DAGExecution"]

    def __init__(self, data: dict):
        self.contexts: list[dict] = []
        self.executions: list[dict] = []
        self.artifacts: list[dict] = []
        self.events: list[dict] = []
        self.artifact_types: list[str] = []
        graphs = data.get("pipeline_graphs") or {}
        for name in sorted({schema for graph in graphs.values() for task in graph["tasks"].values()
                            for schema in (task.get("outputs") or {}).values()}):
            self.artifact_types.append(name)
        for namespace, run in _runs(data):
            pipeline = next((p for p in _pipelines(data) if p["name"] == run.get("pipeline")), None)
            graph = graphs.get((pipeline or {}).get("graph", ""))
            if graph is not None:
                self._record(namespace, run, pipeline, graph)

    @staticmethod
    def _ms(value: str) -> int:
        return int(parse_time(value).timestamp() * 1000)

    def _record(self, namespace: str, run: dict, pipeline: dict, graph: dict) -> None:
        created = self._ms(run["created_at"])
        context = {"id": len(self.contexts) + 1, "type": "system.PipelineRun", "name": run["id"],
                   "created": created, "props": {"namespace": namespace,
                                                 "pipeline_root": f"minio://mlpipeline/private-artifacts/{namespace}/v2/artifacts/{pipeline['name']}/{run['id']}"}}
        self.contexts.append(context)
        status = RUN_STATES.get(run.get("status", ""), "RUNNING")
        dag_state = {"SUCCEEDED": "COMPLETE", "FAILED": "FAILED", "RUNNING": "RUNNING"}.get(status, "RUNNING")
        root = {"id": len(self.executions) + 1, "type": "system.DAGExecution", "state": dag_state,
                "created": created, "updated": self._ms(run.get("finished_at", run["created_at"])),
                "context": context["id"], "name": f"run/{run['id']}",  # root_dag.go names it; no display name
                "props": {"display_name": "", "task_name": ""}}
        self.executions.append(root)
        produced: dict[tuple[str, str], int] = {}
        for task_name, task in graph["tasks"].items():
            state = ((run.get("tasks") or {}).get(task_name) or {})
            if not state:
                continue  # not started
            started = self._ms(state.get("started_at", run["created_at"]))
            finished = self._ms(state.get("finished_at", state.get("started_at", run["created_at"])))
            execution = {"id": len(self.executions) + 1, "type": "system.ContainerExecution",
                         "state": state.get("state", "RUNNING"), "created": started, "updated": finished,
                         "context": context["id"], "props": {
                             "display_name": task_name, "task_name": task_name, "parent_dag_id": root["id"],
                             "image": task.get("image", "python:3.11"), "namespace": namespace,
                             "pod_name": f"{run['name']}-{task_name}"[:40].rstrip("-") + "-driver"}}
            self.executions.append(execution)
            for key, src in (task.get("inputs") or {}).items():
                artifact_id = produced.get(tuple(src.split(".")))
                if artifact_id:
                    self.events.append({"artifact": artifact_id, "execution": execution["id"], "type": EVENT_INPUT,
                                        "key": key, "time": started})
            if execution["state"] != "COMPLETE":
                continue  # a failed or running task has written no outputs yet
            salt = uuid.uuid5(uuid.NAMESPACE_URL, f"{run['id']}/{task_name}")  # stable here, random in KFP
            for key, schema in (task.get("outputs") or {}).items():
                artifact = {"id": len(self.artifacts) + 1, "type": schema, "state": ARTIFACT_LIVE,
                            # driver.go provisionOutputs: <run root>/<task>/<a UUID per execution>/<output>
                            "uri": f"{context['props']['pipeline_root']}/{task_name}/{salt}/{key}",
                            "created": finished, "context": context["id"],
                            "props": {"display_name": key, **((state.get("metadata") or {}).get(key) or {})}}
                self.artifacts.append(artifact)
                produced[(task_name, key)] = artifact["id"]
                self.events.append({"artifact": artifact["id"], "execution": execution["id"], "type": EVENT_OUTPUT,
                                    "key": key, "time": finished})

    # ids of types: artifact types first, then execution types, then context types
    def artifact_type_id(self, name: str) -> int:
        return self.artifact_types.index(name) + 1

    def execution_type_id(self, name: str) -> int:
        return len(self.artifact_types) + self.EXECUTION_TYPES.index(name) + 1

    def context_type_id(self, name: str) -> int:
        return len(self.artifact_types) + len(self.EXECUTION_TYPES) + self.CONTEXT_TYPES.index(name) + 1


def _value(value) -> Message:
    """An MLMD Value: int 1, double 2, string 3, bool 6."""
    if isinstance(value, bool):
        return Message().bool(6, value)
    if isinstance(value, int):
        return Message().int(1, value)
    if isinstance(value, float):
        return Message().double(2, value)
    return Message().string(3, str(value))


def _custom(message: Message, number: int, props: dict) -> Message:
    for key in sorted(props):
        message.map_entry(number, key, _value(props[key]))
    return message


def context_message(store: Store, context: dict) -> Message:
    # Context: id 1, type_id 2, name 3, custom_properties 5, type 6, create 7, update 8
    message = Message().int(1, context["id"]).int(2, store.context_type_id(context["type"])).string(3, context["name"])
    _custom(message, 5, context["props"])
    return message.string(6, context["type"]).int(7, context["created"]).int(8, context["created"])


def execution_message(store: Store, execution: dict) -> Message:
    # Execution: id 1, type_id 2, last_known_state 3, custom_properties 5, name 6, type 7, create 8, update 9
    message = Message().int(1, execution["id"]).int(2, store.execution_type_id(execution["type"]))
    message.int(3, EXECUTION_STATES[execution["state"]])
    _custom(message, 5, execution["props"])
    message.string(6, execution.get("name"))
    return message.string(7, execution["type"]).int(8, execution["created"]).int(9, execution["updated"])


def artifact_message(store: Store, artifact: dict) -> Message:
    # Artifact: id 1, type_id 2, uri 3, custom_properties 5, state 6, type 8, create 9, update 10
    message = Message().int(1, artifact["id"]).int(2, store.artifact_type_id(artifact["type"])).string(3, artifact["uri"])
    _custom(message, 5, artifact["props"])
    return message.int(6, artifact["state"]).string(8, artifact["type"]).int(9, artifact["created"]).int(10, artifact["created"])


def event_message(event: dict) -> Message:
    # Event: artifact_id 1, execution_id 2, path 3 (steps 1: key 2), type 4, milliseconds 5
    path = Message().message(1, Message().string(2, event["key"]))
    return (Message().int(1, event["artifact"]).int(2, event["execution"]).message(3, path)
            .int(4, event["type"]).int(5, event["time"]))


def type_message(type_id: int, name: str) -> Message:
    # ArtifactType / ExecutionType / ContextType: id 1, name 2
    return Message().int(1, type_id).string(2, name)


def mlmd_routes() -> list[Route]:
    """``POST /ml_metadata.MetadataStoreService/<Method>``: gRPC-Web in, gRPC-Web out."""
    cache: dict[int, Store] = {}

    def store_for(data: dict) -> Store:
        key = id(data)  # the runner switches data views between shots; one store per view
        if key not in cache:
            cache.clear()
            cache[key] = Store(data)
        return cache[key]

    def reply(request, message: Message) -> Response:
        text = not request.headers.get("content-type", "").startswith(grpcweb.GRPC_WEB_PROTO)
        body, kind = grpcweb.frame_response(message, text=text)
        return Response(200, body, kind)

    def handle(match, query, data, request):
        method = match["method"]
        try:
            fields = grpcweb.decode(grpcweb.read_request(request.body, request.headers.get("content-type", "")))
        except (grpcweb.DecodeError, ValueError) as exc:
            body, kind = grpcweb.error_response(grpcweb.INTERNAL, f"bad request: {exc}")
            return Response(200, body, kind)
        store = store_for(data)
        answer = MLMD_METHODS.get(method)
        if answer is None:
            body, kind = grpcweb.error_response(12, f"{method} is not answered by the stub")  # UNIMPLEMENTED
            return Response(200, body, kind)
        return reply(request, answer(store, fields))

    return [Route.post(rf"{MLMD}(?P<method>\w+)", handle)]


def _by_ids(items: list[dict], ids: list[int]) -> list[dict]:
    wanted = set(ids)
    return [item for item in items if item["id"] in wanted]


def _get_context_by_type_and_name(store, f):
    type_name, name = grpcweb.first_string(f, 1), grpcweb.first_string(f, 2)
    context = next((c for c in store.contexts if c["type"] == type_name and c["name"] == name), None)
    return Message().message(1, context_message(store, context) if context else None)


def _executions_by_context(store, f):
    context_id = grpcweb.first_int(f, 1)
    return Message().messages(1, [execution_message(store, e) for e in store.executions if e["context"] == context_id])


def _artifacts_by_context(store, f):
    context_id = grpcweb.first_int(f, 1)
    return Message().messages(1, [artifact_message(store, a) for a in store.artifacts if a["context"] == context_id])


def _events_by_executions(store, f):
    ids = set(grpcweb.unpacked_ints(f, 1))
    return Message().messages(1, [event_message(e) for e in store.events if e["execution"] in ids])


def _events_by_artifacts(store, f):
    ids = set(grpcweb.unpacked_ints(f, 1))
    return Message().messages(1, [event_message(e) for e in store.events if e["artifact"] in ids])


def _artifact_types(store, f):
    return Message().messages(1, [type_message(store.artifact_type_id(n), n) for n in store.artifact_types])


def _execution_types(store, f):
    return Message().messages(1, [type_message(store.execution_type_id(n), n) for n in store.EXECUTION_TYPES])


def _context_types(store, f):
    return Message().messages(1, [type_message(store.context_type_id(n), n) for n in store.CONTEXT_TYPES])


def _context_type(store, f):
    name = grpcweb.first_string(f, 1)
    found = name in store.CONTEXT_TYPES
    return Message().message(1, type_message(store.context_type_id(name), name) if found else None)


def _artifacts(store, f):
    return Message().messages(1, [artifact_message(store, a) for a in store.artifacts])


def _executions(store, f):
    return Message().messages(1, [execution_message(store, e) for e in store.executions])


def _artifacts_by_id(store, f):
    return Message().messages(1, [artifact_message(store, a) for a in _by_ids(store.artifacts, grpcweb.unpacked_ints(f, 1))])


def _executions_by_id(store, f):
    return Message().messages(1, [execution_message(store, e) for e in _by_ids(store.executions, grpcweb.unpacked_ints(f, 1))])


def _contexts_by_artifact(store, f):
    artifact = next((a for a in store.artifacts if a["id"] == grpcweb.first_int(f, 1)), None)
    return Message().messages(1, [context_message(store, c) for c in store.contexts if artifact and c["id"] == artifact["context"]])


def _contexts_by_execution(store, f):
    execution = next((e for e in store.executions if e["id"] == grpcweb.first_int(f, 1)), None)
    return Message().messages(1, [context_message(store, c) for c in store.contexts if execution and c["id"] == execution["context"]])


MLMD_METHODS = {
    "GetContextByTypeAndName": _get_context_by_type_and_name,
    "GetExecutionsByContext": _executions_by_context,
    "GetArtifactsByContext": _artifacts_by_context,
    "GetEventsByExecutionIDs": _events_by_executions,
    "GetEventsByArtifactIDs": _events_by_artifacts,
    "GetArtifactTypes": _artifact_types,
    "GetExecutionTypes": _execution_types,
    "GetContextTypes": _context_types,
    "GetContextType": _context_type,
    "GetArtifacts": _artifacts,
    "GetExecutions": _executions,
    "GetArtifactsByID": _artifacts_by_id,
    "GetExecutionsByID": _executions_by_id,
    "GetContextsByArtifact": _contexts_by_artifact,
    "GetContextsByExecution": _contexts_by_execution,
}


class PipelinesApp(App):
    name = "pipelines"
    title = "Kubeflow Pipelines"
    repository = "kubeflow/pipelines"
    component = "frontend"
    default_source = "https://github.com/kubeflow/pipelines.git"
    default_ref = "2.16.1"
    host = "dashboard"

    def build_steps(self, tree: Path, source: Source) -> list[BuildStep]:
        return [
            BuildStep("drop the fs placeholder", [sys.executable, "-c", DROP_FS], timeout=60),
            BuildStep("npm ci", ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                      timeout=2400),
            BuildStep("tailwind", ["npm", "run", "build:tailwind"], timeout=600),
            BuildStep("vite build", ["npx", "--no-install", "vite", "build"], env={"NODE_ENV": "production"},
                      timeout=2400),
        ]

    def output_dir(self, tree: Path) -> Path:
        return tree / "build"

    def mounts(self, build_dir: Path) -> list[Mount]:
        page = index_html(build_dir)
        routes = [Route.get(rf"{PREFIX}(index\.html)?", lambda m, q, d: page), *api_routes()]

        def fallback(method: str, path: str):
            if path.startswith(PREFIX + "apis/"):
                return 404, {"error": "Not Found", "code": 5}
            return page  # the KFP server answers index.html for other paths (the UI routes by #hash)

        return [Mount(PREFIX, build_dir, routes, fallback), Mount(MLMD, None, mlmd_routes())]

    def tool_versions(self) -> dict:
        return {"node": node_version()}


APP = PipelinesApp()
