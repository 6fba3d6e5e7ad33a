"""Kubeflow Notebooks web app (kubeflow/notebooks ``components/crud-web-apps/jupyter``), in the dashboard's frame.

Build, as the web app's Dockerfile does it: the shared Angular library
``common/frontend/kubeflow-common-lib`` (``npm ci``, its ``ngcc`` postinstall, ``npm run build``),
then the Jupyter front end (``npm ci``, the library copied into ``node_modules/kubeflow``,
``npm run build -- --output-path=./dist/default --configuration=production``: base href
``/jupyter/``, files under ``static/``). Install scripts stay off; the one the build needs (the
library's ``ngcc``) runs as its own step. Output: ``jupyter/frontend/dist/default``.

The stub answers what the Flask back end (``jupyter/backend/apps/common/routes/get.py`` and the
shared ``common/backend/kubeflow/kubeflow/crud_backend``) answers under ``/jupyter/``: every JSON
body is ``{"status": 200, "success": true, "user": USER, <field>: <data>}``; files under
``/jupyter/static/``; ``index.html`` for every other path. The list's status follows the back
end's rules (``apps/common/status.py``): stopped annotation, deletion, one ready replica, the
container's waiting state, conditions, a Notebook warning event, and the first 10 seconds after
creation with no status at all ("waiting"). The form's defaults are the spawner configuration
the release installs (``--config-src``/``--config-ref``: kubeflow/community-distribution
``release-26.03.1`` ``applications/notebooks-v1/upstream/jupyter-web-app/base/configs/``), and the
server-type logos come from the logos ConfigMap mounted over ``static/assets/logos``.

The app runs inside the Kubeflow Dashboard (``host``): the dashboard is built too and passes the
namespace to the app, as in a cluster. Without it the app would show its own namespace picker,
which a Kubeflow user never sees.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

import yaml

from screenkit import distribution
from screenkit.app import App, BuildStep, node_version
from screenkit.sample import parse_time
from screenkit.source import Source
from screenkit.steps import Problem
from screenkit.stub import Mount, Response, Route, bytes_response, file_response

COMMON = "common/frontend/kubeflow-common-lib"
JUPYTER = "jupyter/frontend"
PREFIX = "/jupyter/"
CONFIG_DIR = "applications/notebooks-v1/upstream/jupyter-web-app/base/configs"
OWN_CONFIG_DIR = "jupyter/manifests/base/configs"  # inside the component
SPAWNER_CONFIG = "spawner_ui_config.yaml"
LOGOS_CONFIGMAP = "logos-configmap.yaml"
STOP_ANNOTATION = "kubeflow-resource-stopped"
SERVER_TYPE_ANNOTATION = "notebooks.kubeflow.org/server-type"
LAST_ACTIVITY_ANNOTATION = "notebooks.kubeflow.org/last-activity"
NEW_NOTEBOOK_GRACE = timedelta(seconds=10)  # status.py: "waiting" with no status for 10 s
SERVER_TYPES = ("jupyter", "group-one", "group-two")
PHASES = ("ready", "waiting", "warning", "error", "uninitialized", "unavailable", "terminating", "stopped")


def read_spawner_config(text: bytes, where: str) -> dict:
    """The ``spawnerFormDefaults`` mapping of a spawner_ui_config.yaml (what /api/config returns)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Problem(f"{where}: not YAML: {exc}") from None
    defaults = data.get("spawnerFormDefaults") if isinstance(data, dict) else None
    if not isinstance(defaults, dict):
        raise Problem(f"{where}: no spawnerFormDefaults mapping")
    for key in ("image", "cpu", "memory", "workspaceVolume"):
        if key not in defaults:
            raise Problem(f"{where}: spawnerFormDefaults has no {key}")
    return defaults


def read_logos(text: bytes, where: str) -> dict[str, bytes]:
    """File name -> SVG bytes from the logos ConfigMap (mounted over static/assets/logos)."""
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]
    except yaml.YAMLError as exc:
        raise Problem(f"{where}: not YAML: {exc}") from None
    for doc in documents:
        if doc.get("kind") == "ConfigMap" and isinstance(doc.get("data"), dict):
            return {name: str(body).encode("utf-8") for name, body in doc["data"].items()}
    raise Problem(f"{where}: no ConfigMap with data")


# --- the back end's answers, from the sample data ---------------------------------------------


def envelope(data: dict, field: str, value) -> dict:
    """crud_backend api.success_response: every answer carries status, success and the user."""
    return {"status": 200, "success": True, "user": data["user"], field: value}


def _servers(data: dict, namespace: str) -> list[dict]:
    return (data.get("notebooks") or {}).get(namespace, [])


def notebook_status(server: dict, namespace: str, data: dict) -> dict:
    """{phase, message, state} by the rules of the v1.11.0 back end (apps/common/status.py)."""
    status = server.get("status") or {}
    created = parse_time(server["created_at"])
    now = parse_time(data["now"])
    ready = status.get("readyReplicas", 0)

    def result(phase: str, message: str) -> dict:
        return {"phase": phase, "message": message, "state": ""}

    if not status.get("containerState") and not status.get("conditions") and now - created <= NEW_NOTEBOOK_GRACE:
        return result("waiting", "Waiting for StatefulSet to create the underlying Pod.")
    if server.get("stopped"):
        if ready == 0:
            return result("stopped", "No Pods are currently running for this Notebook Server.")
        return result("waiting", "Notebook Server is stopping.")
    if server.get("deleting"):
        return result("terminating", "Deleting this Notebook Server.")
    if ready == 1:
        return result("ready", "Running")
    waiting = (status.get("containerState") or {}).get("waiting")
    if waiting is not None:
        # status.py compares the literal list ["reason"] with 'PodInitializing', which is never
        # true: every waiting container is a warning with "reason: message".
        reason = waiting.get("reason", "Undefined")
        message = waiting.get("message", "No available message for container state.")
        return result("warning", f"{reason}: {message}")
    for condition in status.get("conditions") or []:
        if "reason" in condition:
            return result("warning", f"{condition['reason']}: {condition.get('message', '')}")
    warnings = [
        event for event in (data.get("events") or {}).get(namespace, [])
        if event.get("kind") == "Notebook" and event.get("name") == server["name"] and event.get("type") == "Warning"
        and parse_time(event["lastTimestamp"]) >= created
    ]
    if warnings:
        latest = max(warnings, key=lambda event: parse_time(event["lastTimestamp"]))
        return result("warning", latest["message"])
    return result("warning", "Couldn't find any information for the status of this notebook.")


def _gpus(server: dict, vendors: list[dict]) -> dict:
    """utils.process_gpus: the total and "1 NVIDIA, 2 AMD" over the vendors the config knows."""
    limits = server.get("gpus") or {}
    count, parts = 0, []
    for vendor in vendors:
        key = vendor.get("limitsKey")
        if key in limits:
            count += int(limits[key])
            parts.append(f"{limits[key]} {vendor.get('uiName', key)}")
    return {"count": count, "message": ", ".join(parts)}


def notebook_item(server: dict, namespace: str, data: dict, config: dict) -> dict:
    """One entry of GET /api/namespaces/<ns>/notebooks (utils.notebook_dict_from_k8s_obj)."""
    annotations = {SERVER_TYPE_ANNOTATION: server["server_type"]}
    if server.get("last_activity"):
        annotations[LAST_ACTIVITY_ANNOTATION] = server["last_activity"]
    if server.get("stopped"):
        annotations[STOP_ANNOTATION] = str(server["stopped"])  # the controller writes the time it stopped
    metadata = {
        "name": server["name"], "namespace": namespace, "creationTimestamp": server["created_at"],
        "annotations": annotations, "labels": {"app": server["name"]},
    }
    vendors = ((config.get("gpus") or {}).get("value") or {}).get("vendors") or []
    return {
        "name": server["name"],
        "namespace": namespace,
        "serverType": server["server_type"],
        "age": server["created_at"],
        "last_activity": server.get("last_activity", ""),
        "image": server["image"],
        "shortImage": server["image"].split("/")[-1],
        "cpu": str(server["cpu"]),
        "gpus": _gpus(server, vendors),
        "memory": str(server["memory"]),
        "volumes": list(server.get("volumes") or []),
        "status": notebook_status(server, namespace, data),
        "metadata": metadata,
    }


def poddefault_item(item: dict, namespace: str) -> dict:
    """A PodDefault as the list call returns it, plus the form's `label` and `desc` fields."""
    label = item.get("label", item["name"])
    return {
        "apiVersion": "kubeflow.org/v1alpha1", "kind": "PodDefault",
        "metadata": {"name": item["name"], "namespace": namespace},
        "spec": {"desc": item["desc"], "selector": {"matchLabels": {label: "true"}}},
        "label": label, "desc": item["desc"],
    }


def jupyter_routes(config: dict) -> list[Route]:
    """The Jupyter web app's GET routes under /jupyter/, answered from the sample data."""
    ns = r"(?P<ns>[a-z0-9]([-a-z0-9]*[a-z0-9])?)"

    def notebooks(match, query, data):
        return 200, envelope(data, "notebooks", [notebook_item(s, match["ns"], data, config)
                                                 for s in _servers(data, match["ns"])])

    def pvcs(match, query, data):
        claims = (data.get("volumes") or {}).get(match["ns"], [])
        return 200, envelope(data, "pvcs", [{"name": c["name"], "size": c["size"], "mode": c["mode"]} for c in claims])

    def poddefaults(match, query, data):
        items = (data.get("poddefaults") or {}).get(match["ns"], [])
        return 200, envelope(data, "poddefaults", [poddefault_item(item, match["ns"]) for item in items])

    def gpus(match, query, data):
        # vendors of the config that at least one node reports in status.capacity
        keys = [v.get("limitsKey") for v in ((config.get("gpus") or {}).get("value") or {}).get("vendors") or []]
        installed = set((data.get("cluster") or {}).get("node_resources") or [])
        return 200, envelope(data, "vendors", [key for key in keys if key in installed])

    def storage_classes(match, query, data):
        classes = (data.get("cluster") or {}).get("storage_classes") or []
        return 200, envelope(data, "storageClasses", [c["name"] for c in classes])

    def default_storage_class(match, query, data):
        classes = (data.get("cluster") or {}).get("storage_classes") or []
        default = next((c["name"] for c in classes if c.get("default")), "")
        return 200, envelope(data, "defaultStorageClass", default)

    def namespaces(match, query, data):
        return 200, envelope(data, "namespaces", [n["name"] for n in data.get("namespaces") or []])

    base = PREFIX.rstrip("/")
    return [
        Route.get(rf"{base}/api/config", lambda m, q, d: (200, envelope(d, "config", config))),
        Route.get(rf"{base}/api/namespaces/{ns}/notebooks", notebooks),
        Route.get(rf"{base}/api/namespaces/{ns}/pvcs", pvcs),
        Route.get(rf"{base}/api/namespaces/{ns}/poddefaults", poddefaults),
        Route.get(rf"{base}/api/gpus", gpus),
        Route.get(rf"{base}/api/storageclasses", storage_classes),
        Route.get(rf"{base}/api/storageclasses/default", default_storage_class),
        Route.get(rf"{base}/api/namespaces", namespaces),
        Route.get(rf"{base}/info", lambda m, q, d: (200, envelope(d, "info", {}))),
    ]


def logo_routes(logos: dict[str, bytes]) -> list[Route]:
    """static/assets/logos/<file> from the logos ConfigMap the Deployment mounts there."""

    def logo(match, query, data):
        body = logos.get(match["file"])
        if body is None:  # the ConfigMap volume hides the built logos folder: a missing key is a 404
            return 404, {"success": False, "log": "404 Not Found: The requested URL was not found on the server.",
                         "status": 404, "user": data["user"]}
        return bytes_response(match["file"], body)

    return [Route.get(rf"{PREFIX}static/assets/logos/(?P<file>[^/]+)", logo)]


class NotebooksApp(App):
    name = "notebooks"
    title = "Kubeflow Notebooks"
    repository = "kubeflow/notebooks"
    component = "components/crud-web-apps"
    default_source = "https://github.com/kubeflow/notebooks.git"
    default_ref = "v1.11.0"
    host = "dashboard"

    def __init__(self) -> None:
        self.config: dict = {}
        self.logos: dict[str, bytes] = {}

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        distribution.add_arguments(parser)

    def prepare(self, args: argparse.Namespace, source: Source, work: Path) -> dict:
        read = {}
        for name in (SPAWNER_CONFIG, LOGOS_CONFIGMAP):
            text, where = distribution.read(args, work, f"{CONFIG_DIR}/{name}", app_source=source,
                                            app_repository=self.repository,
                                            own_path=f"{self.component}/{OWN_CONFIG_DIR}/{name}")
            read[name] = (text, where)
        text, where = read[SPAWNER_CONFIG]
        self.config = read_spawner_config(text, f"{where['repository']}@{where['ref']}:{where['path']}")
        text, logos_where = read[LOGOS_CONFIGMAP]
        self.logos = read_logos(text, f"{logos_where['repository']}@{logos_where['ref']}:{logos_where['path']}")
        images = [self.config["image"].get("value", "")]
        return {"spawner_config": {**where, "images": images, "logos": logos_where["path"]}}

    def build_steps(self, tree: Path, source: Source) -> list[BuildStep]:
        quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
        env = {"NG_CLI_ANALYTICS": "ci"}
        return [
            BuildStep("common-lib npm ci", ["npm", "ci", "--ignore-scripts", *quiet], env=env, cwd=COMMON, timeout=1200),
            BuildStep("common-lib ngcc", ["npx", "--no-install", "ngcc"], env=env, cwd=COMMON, timeout=1200),
            BuildStep("common-lib ng build", ["npm", "run", "build"], env=env, cwd=COMMON, timeout=1800),
            BuildStep("jupyter npm ci", ["npm", "ci", "--ignore-scripts", *quiet], env=env, cwd=JUPYTER, timeout=1200),
            BuildStep("jupyter copy common-lib", ["cp", "-R", f"../../{COMMON}/dist/kubeflow", "node_modules/kubeflow"],
                      cwd=JUPYTER, timeout=60),
            BuildStep("jupyter ng build", ["npm", "run", "build", "--", "--output-path=./dist/default",
                                           "--configuration=production"], env=env, cwd=JUPYTER, timeout=2400),
        ]

    def output_dir(self, tree: Path) -> Path:
        return tree / JUPYTER / "dist" / "default"

    def mounts(self, build_dir: Path) -> list[Mount]:
        index = build_dir / "index.html"

        def index_html(method: str, path: str) -> Response:
            return file_response(index)  # crud_backend/serving.py: every other path gets index.html

        return [
            Mount(f"{PREFIX}static/", build_dir, logo_routes(self.logos)),
            Mount(PREFIX, None, jupyter_routes(self.config), index_html),
        ]

    def tool_versions(self) -> dict:
        return {"node": node_version()}


APP = NotebooksApp()
