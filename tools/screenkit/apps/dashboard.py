"""Kubeflow Dashboard (kubeflow/dashboard ``components/centraldashboard``): build, stub routes, ConfigMap.

Build: ``npm ci --ignore-scripts`` (puppeteer's install script would download a browser; no
other skipped script is needed), then webpack with the legacy OpenSSL provider (webpack 4 on
Node >= 17) and the release's BUILD_VERSION/BUILD_COMMIT. Output: ``dist/public``.

The stub answers what the dashboard's Express server (``app/``) and the apps it links to answer,
with the shapes of ``app/api.ts`` and ``app/api_workgroup.ts``, from data/sample-data.yml. The
menu, quick links and documentation cards are the ``links`` of the dashboard ConfigMap that
the release installs: by default kubeflow/community-distribution ``release-26.03.1``
``applications/dashboard/overlays/istio/patches/configmap.yaml`` (the last patch applied to
``dashboard-config``); ``--config-src none`` reads the dashboard repository's own overlay.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from screenkit import distribution
from screenkit.app import App, BuildStep, node_version
from screenkit.source import Source
from screenkit.steps import Problem
from screenkit.stub import Mount, Response, Route, file_response

DISTRIBUTION_CONFIGMAP = "applications/dashboard/overlays/istio/patches/configmap.yaml"
OWN_CONFIGMAP = "manifests/kustomize/overlays/kserve/patches/configmap.yaml"  # inside the component
CONFIGMAP_NAME = "dashboard-config"
NOT_FOUND = "Could not find the route you're looking for"  # app/server.ts, any unknown /api path
METRICS_OFF = "Operation not supported"  # app/api.ts without a metrics service (off GKE)
NO_UPSTREAM = Response(503, b"no healthy upstream", "text/plain")  # Istio's answer for a notebook with no pod


def read_configmap(text: bytes, where: str) -> dict:
    """``{"links": {...}, "settings": {...}}`` from a manifest holding the dashboard ConfigMap."""
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]
    except yaml.YAMLError as exc:
        raise Problem(f"{where}: not YAML: {exc}") from None
    for doc in documents:
        if doc.get("kind") == "ConfigMap" and (doc.get("metadata") or {}).get("name") == CONFIGMAP_NAME:
            data = doc.get("data") or {}
            result = {}
            for key in ("links", "settings"):
                try:
                    result[key] = json.loads(data[key])
                except KeyError:
                    raise Problem(f"{where}: ConfigMap {CONFIGMAP_NAME} has no data.{key}") from None
                except json.JSONDecodeError as exc:
                    raise Problem(f"{where}: data.{key} is not JSON: {exc}") from None
            return result
    raise Problem(f"{where}: no ConfigMap named {CONFIGMAP_NAME}")


def _namespaces(data: dict) -> list[dict]:
    return data.get("namespaces") or []


def _user_bindings(data: dict) -> list[dict]:
    """env-info `namespaces`: the user's bindings as {user, namespace, role}."""
    return [{"user": data["user"], "namespace": ns["name"], "role": ns["role"]} for ns in _namespaces(data)]


def _can_see(data: dict, namespace: str) -> bool:
    return bool(data.get("cluster_admin")) or any(ns["name"] == namespace for ns in _namespaces(data))


def _newest_first(items: list[dict], size: int) -> list[dict]:
    return sorted(items, key=lambda item: item.get("created_at", ""), reverse=True)[:size]


def _page_size(query: dict) -> int:
    try:
        return max(1, int(query.get("page_size", ["10"])[0]))
    except ValueError:
        return 10


def dashboard_routes(links: dict, settings: dict) -> list[Route]:
    """JSON routes of the dashboard server and of the apps its Home cards call."""

    def exists(match, query, data):
        owner = any(ns["role"] == "owner" for ns in _namespaces(data))
        return 200, {
            "hasAuth": True, "user": data["user"], "hasWorkgroup": owner,
            "registrationFlowAllowed": bool(data.get("registration_flow")),
        }

    def env_info(match, query, data):
        return 200, {
            "user": data["user"], "platform": data["platform"], "namespaces": _user_bindings(data),
            "isClusterAdmin": bool(data.get("cluster_admin")),
        }

    def activities(match, query, data):
        namespace = match["ns"]
        if not _can_see(data, namespace):
            return 403, {"error": f"Access denied. You do not have permission to view activities for namespace '{namespace}'."}
        events = (data.get("events") or {}).get(namespace, [])
        return 200, [
            {
                "lastTimestamp": event["lastTimestamp"], "type": event["type"], "message": event["message"],
                "involvedObject": {"kind": event["kind"], "name": event["name"], "namespace": namespace},
                "metadata": {"name": f"{event['name']}.{index:016x}", "namespace": namespace},
            }
            for index, event in enumerate(events)
        ]

    def namespaces(match, query, data):
        return 200, [{"metadata": {"name": ns["name"]}} for ns in _namespaces(data)]

    def contributors(match, query, data):
        for ns in _namespaces(data):
            if ns["name"] == match["ns"]:
                return 200, [user for user in ns.get("contributors", []) if user != ns.get("owner")]
        return 200, []

    def all_namespaces(match, query, data):
        return 200, [[ns["name"], ns.get("owner", ""), ", ".join(ns.get("contributors", []))] for ns in _namespaces(data)]

    def notebooks(match, query, data):
        servers = (data.get("notebooks") or {}).get(match["ns"], [])
        return 200, {"notebooks": [{"name": server["name"], "namespace": match["ns"]} for server in servers]}

    def contents(match, query, data):
        for server in (data.get("notebooks") or {}).get(match["ns"], []):
            if server["name"] == match["server"]:
                if server.get("stopped") or (server.get("status") or {}).get("readyReplicas") != 1:
                    return NO_UPSTREAM  # no pod behind the notebook's route: the gateway answers 503
                return 200, {"content": [{"name": f["name"], "last_modified": f["last_modified"], "type": "notebook"}
                                         for f in server.get("files", [])]}
        return 404, {"message": "No such file or directory"}

    def pipelines(match, query, data):
        return 200, {"pipelines": _newest_first(data.get("pipelines") or [], _page_size(query))}

    def runs(match, query, data):
        namespace = query.get("resource_reference_key.id", [""])[0]
        return 200, {"runs": _newest_first((data.get("runs") or {}).get(namespace, []), _page_size(query))}

    def metrics(match, query, data):
        return 405, {"error": METRICS_OFF}

    ns = r"(?P<ns>[a-z0-9]([-a-z0-9]*[a-z0-9])?)"
    return [
        Route.get(r"/api/workgroup/exists", exists),
        Route.get(r"/api/workgroup/env-info", env_info),
        Route.get(r"/api/workgroup/get-all-namespaces", all_namespaces),
        Route.get(rf"/api/workgroup/get-contributors/{ns}", contributors),
        Route.get(r"/api/dashboard-links", lambda m, q, d: (200, links)),
        Route.get(r"/api/dashboard-settings", lambda m, q, d: (200, settings)),
        Route.get(r"/api/metrics(/(node|podcpu|podmem))?", metrics),
        Route.get(rf"/api/activities/{ns}", activities),
        Route.get(r"/api/namespaces", namespaces),
        Route.get(rf"/jupyter/api/namespaces/{ns}/notebooks", notebooks),
        Route.get(rf"/notebook/{ns}/(?P<server>[^/]+)/api/contents", contents),
        Route.get(r"/pipeline/apis/v1beta1/pipelines", pipelines),
        Route.get(r"/pipeline/apis/v1beta1/runs", runs),
    ]


class DashboardApp(App):
    name = "dashboard"
    title = "Kubeflow Dashboard"
    repository = "kubeflow/dashboard"
    component = "components/centraldashboard"
    default_source = "https://github.com/kubeflow/dashboard.git"
    default_ref = "v2.0.0"

    def __init__(self) -> None:
        self.links: dict = {}
        self.settings: dict = {}
        self.configmap_record: dict = {}

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        distribution.add_arguments(parser)
        parser.add_argument("--config-path", default=DISTRIBUTION_CONFIGMAP,
                            help="the distribution's file holding dashboard-config (default: %(default)s)")

    def prepare(self, args: argparse.Namespace, source: Source, work: Path) -> dict:
        text, record = distribution.read(args, work, args.config_path, app_source=source,
                                         app_repository=self.repository,
                                         own_path=f"{self.component}/{OWN_CONFIGMAP}")
        parsed = read_configmap(text, f"{record['repository']}@{record['ref']}:{record['path']}")
        self.links, self.settings = parsed["links"], parsed["settings"]
        menu = [item.get("text", "?") for item in self.links.get("menuLinks", [])]
        self.configmap_record = {**record, "menu": menu}
        return {"configmap": self.configmap_record}

    def build_steps(self, tree: Path, source: Source) -> list[BuildStep]:
        return [
            BuildStep("npm ci", ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                      timeout=1200),
            BuildStep("webpack", ["npx", "--no-install", "webpack"], env={
                "NODE_ENV": "production", "NODE_OPTIONS": "--openssl-legacy-provider",
                "BUILD_VERSION": source.ref, "BUILD_COMMIT": source.commit,
            }, timeout=1200),
        ]

    def output_dir(self, tree: Path) -> Path:
        return tree / "dist" / "public"

    def mounts(self, build_dir: Path) -> list[Mount]:
        index = build_dir / "index.html"

        def fallback(method: str, path: str):
            if path == "/api" or path.startswith("/api/"):
                return 404, {"error": NOT_FOUND}
            return file_response(index)  # app/server.ts: every other path gets index.html

        return [Mount("/", build_dir, dashboard_routes(self.links, self.settings), fallback)]

    def tool_versions(self) -> dict:
        return {"node": node_version()}


APP = DashboardApp()
