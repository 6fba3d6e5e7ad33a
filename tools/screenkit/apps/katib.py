"""Katib UI (kubeflow/katib ``pkg/ui/v1beta1/frontend``, Angular), in the dashboard's frame.

Build, as ``cmd/ui/v1beta1/Dockerfile`` does it: the Kubeflow common Angular library at the
commit the front end names in its ``COMMIT`` file, taken from kubeflow/kubeflow
(``components/crud-web-apps/common/frontend/kubeflow-common-lib``; ``--lib-src``, a clone, mirror
or URL), is installed and built (``npm ci --force``, its ``ngcc`` postinstall, ``npm run
build``); then the front end (``npm ci --force``, the library copied into
``node_modules/kubeflow``, ``npm run build:prod``: base href ``/katib/``, files under
``/katib/static/``). Install scripts stay off (Cypress would download a binary). One input is
changed: the production build's font inlining is turned off (``NO_FONT_INLINING``: it fetches
fonts.googleapis.com at build time, which fails here); index.html then keeps its Google Fonts
link, which the render answers from the pinned @fontsource Roboto. Output: ``dist/static``.

The stub answers what the Go back end (``pkg/ui/v1beta1``) answers under ``/katib/``:
``fetch_experiments`` (an ``ExperimentView`` per experiment: name, namespace, type, the last
condition and the Experiment's status), ``fetch_experiment`` (the Experiment resource),
``fetch_hp_job_info`` (the trials as CSV text in a JSON string: condition, name, metrics,
parameters), ``fetch_hp_job_trial_info``, ``fetch_trial``, ``fetch_trial_templates`` (the
``trial-templates`` ConfigMap the release installs in ``kubeflow``), ``fetch_namespaces``; files
under ``/katib/static/``; ``index.html`` for every other path. Experiments and trials come from
``data/sample-data.yml`` (``katib_experiments``); the resources are built here with the defaults
Katib's webhook and controller fill in.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from screenkit import distribution
from screenkit.app import App, BuildStep, node_version
from screenkit.source import Source
from screenkit.steps import Problem
from screenkit.stub import Mount, Response, Route, file_response

PREFIX = "/katib/"
LIB_PATH = "components/crud-web-apps/common/frontend/kubeflow-common-lib"
LIB_SOURCE = "https://github.com/kubeflow/kubeflow.git"
TEMPLATES = "applications/katib/upstream/components/controller/trial-templates.yaml"
OWN_TEMPLATES = "manifests/v1beta1/components/controller/trial-templates.yaml"  # repository root
KATIB_NAMESPACE = "kubeflow"

# The one input change: the production build inlines the Google Fonts stylesheet that index.html
# links (Roboto 300/400/500), which needs fonts.googleapis.com at build time, and fails here
# ("Inlining of fonts failed ... getaddrinfo ENOTFOUND fonts.googleapis.com"). Font inlining alone
# is turned off (every other optimization stays as the release sets it): index.html keeps its
# <link>, and the render answers it from the pinned @fontsource Roboto, as for the dashboard.
NO_FONT_INLINING = """
import json
config = json.load(open("angular.json", encoding="utf-8"))
for name, project in config["projects"].items():
    production = project["architect"]["build"]["configurations"]["production"]
    before = production.get("optimization", False)
    if before is True:
        production["optimization"] = {"scripts": True, "styles": {"minify": True, "inlineCritical": True},
                                      "fonts": False}
    elif isinstance(before, dict):
        production["optimization"] = {**before, "fonts": False}
    print(name, "optimization", before, "->", production.get("optimization"))
json.dump(config, open("angular.json", "w", encoding="utf-8"), indent=2)
"""
CONDITION_MESSAGES = {
    "Created": ("ExperimentCreated", "Experiment is created"),
    "Running": ("ExperimentRunning", "Experiment is running"),
    "Succeeded": ("ExperimentMaxTrialsReached", "Experiment has succeeded because max trial count has reached"),
    "GoalReached": ("ExperimentGoalReached", "Experiment has succeeded because Objective goal has reached"),
    "Failed": ("ExperimentMaxFailedTrialsReached", "Experiment has failed because max failed count has reached"),
}
TRIAL_REASONS = {
    "Succeeded": ("TrialSucceeded", "Trial has succeeded"),
    "Running": ("TrialRunning", "Trial is running"),
    "Failed": ("TrialFailed", "Trial has failed"),
    "EarlyStopped": ("TrialEarlyStopped", "Trial is early stopped"),
}


def read_templates(text: bytes, where: str) -> list[dict]:
    """The trial-templates ConfigMaps of a manifest: [{name, namespace, data}]."""
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]
    except yaml.YAMLError as exc:
        raise Problem(f"{where}: not YAML: {exc}") from None
    maps = [
        {"name": doc["metadata"]["name"], "namespace": doc["metadata"].get("namespace", KATIB_NAMESPACE),
         "data": dict(doc.get("data") or {})}
        for doc in documents
        if doc.get("kind") == "ConfigMap"
        and ((doc.get("metadata") or {}).get("labels") or {}).get("katib.kubeflow.org/component") == "trial-templates"
    ]
    if not maps:
        raise Problem(f"{where}: no ConfigMap labelled katib.kubeflow.org/component: trial-templates")
    return maps


# --- the Katib resources, from the sample data ------------------------------------------------


def _experiments(data: dict, namespace: str) -> list[dict]:
    return (data.get("katib_experiments") or {}).get(namespace, [])


def _find(data: dict, namespace: str, name: str) -> dict | None:
    return next((e for e in _experiments(data, namespace) if e["name"] == name), None)


def _metric_names(experiment: dict) -> list[str]:
    objective = experiment["objective"]
    return [objective["metric"], *objective.get("additional_metrics", [])]


def _best(experiment: dict) -> dict | None:
    objective = experiment["objective"]
    done = [t for t in experiment.get("trials", []) if t.get("state") == "Succeeded" and objective["metric"] in t]
    if not done:
        return None
    pick = max if objective["type"] == "maximize" else min
    return pick(done, key=lambda t: float(t[objective["metric"]]))


def _condition(kind: str, at: str, reasons: dict) -> dict:
    reason, message = reasons[kind]
    condition_type = "Succeeded" if kind == "GoalReached" else kind
    return {"type": condition_type, "status": "True", "reason": reason, "message": message,
            "lastUpdateTime": at, "lastTransitionTime": at}


def experiment_status(experiment: dict) -> dict:
    """ExperimentStatus as the Katib controller keeps it."""
    trials = experiment.get("trials", [])
    by_state = {state: [t["name"] for t in trials if t.get("state") == state]
                for state in ("Succeeded", "Running", "Failed", "EarlyStopped", "Pending")}
    conditions = [_condition("Created", experiment["created_at"], CONDITION_MESSAGES)]
    running = dict(_condition("Running", experiment["created_at"], CONDITION_MESSAGES))
    final = experiment.get("condition", "Running")
    if final != "Running":
        running["status"] = "False"
        conditions.append(running)
        conditions.append(_condition(final, experiment["completed_at"], CONDITION_MESSAGES))
    else:
        conditions.append(running)
    status: dict = {"startTime": experiment["created_at"], "conditions": conditions,
                    "trials": len(trials)}
    if final != "Running":
        status["completionTime"] = experiment["completed_at"]
    for state, key in (("Succeeded", "trialsSucceeded"), ("Running", "trialsRunning"), ("Failed", "trialsFailed"),
                       ("EarlyStopped", "trialsEarlyStopped"), ("Pending", "trialsPending")):
        if by_state[state]:
            status[key] = len(by_state[state])
    for state, key in (("Succeeded", "succeededTrialList"), ("Running", "runningTrialList"),
                       ("Failed", "failedTrialList"), ("EarlyStopped", "earlyStoppedTrialList"),
                       ("Pending", "pendingTrialList")):
        if by_state[state]:
            status[key] = by_state[state]
    best = _best(experiment)
    optimal: dict = {"bestTrialName": "", "observation": {}}
    if best is not None:
        optimal = {
            "bestTrialName": best["name"],
            "parameterAssignments": [{"name": p["name"], "value": str(best[p["name"]])} for p in experiment["parameters"]],
            "observation": {"metrics": [{"name": m, "min": str(best[m]), "max": str(best[m]), "latest": str(best[m])}
                                        for m in _metric_names(experiment) if m in best]},
        }
    status["currentOptimalTrial"] = optimal
    return status


def _feasible(parameter: dict) -> dict:
    if parameter["type"] == "categorical":
        return {"list": [str(v) for v in parameter["list"]]}
    space = {"min": str(parameter["min"]), "max": str(parameter["max"])}
    if "step" in parameter:
        space["step"] = str(parameter["step"])
    return space


def experiment_resource(experiment: dict, namespace: str) -> dict:
    """The Experiment as the API server returns it, with the defaults Katib's webhook sets."""
    objective = experiment["objective"]
    strategy = "max" if objective["type"] == "maximize" else "min"
    trial_parameters = [{"name": p["trial_name"], "description": p.get("description", ""), "reference": p["name"]}
                        for p in experiment["parameters"]]
    command = [*experiment["command"], *[f"--{p['flag']}=${{trialParameters.{p['trial_name']}}}" for p in experiment["parameters"]]]
    spec = {
        "objective": {"type": objective["type"], "goal": objective["goal"],
                      "objectiveMetricName": objective["metric"],
                      "metricStrategies": [{"name": m, "value": strategy} for m in _metric_names(experiment)]},
        "algorithm": {"algorithmName": experiment["algorithm"]},
        "parallelTrialCount": experiment["parallel"],
        "maxTrialCount": experiment["max_trials"],
        "maxFailedTrialCount": experiment["max_failed"],
        "parameters": [{"name": p["name"], "parameterType": p["type"], "feasibleSpace": _feasible(p)}
                       for p in experiment["parameters"]],
        "trialTemplate": {
            "primaryContainerName": "training", "successCondition": 'status.conditions.#(type=="Complete")#|#(status=="True")#',
            "failureCondition": 'status.conditions.#(type=="Failed")#|#(status=="True")#',
            "retain": False, "trialParameters": trial_parameters,
            "trialSpec": {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {
                "metadata": {"annotations": {"sidecar.istio.io/inject": "false"}},
                "spec": {"containers": [{"name": "training", "image": experiment["image"], "command": command}],
                         "restartPolicy": "Never"}}}},
        },
        "metricsCollectorSpec": {"collector": {"kind": "StdOut"}},
        "resumePolicy": "Never",
    }
    return {"apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment",
            "metadata": {"name": experiment["name"], "namespace": namespace,
                         "creationTimestamp": experiment["created_at"], "generation": 1,
                         "finalizers": ["update-prometheus-metrics"]},
            "spec": spec, "status": experiment_status(experiment)}


def experiment_view(experiment: dict, namespace: str) -> dict:
    """An ExperimentView of fetch_experiments: name, namespace, type, last condition, and the status inlined."""
    status = experiment_status(experiment)
    return {"name": experiment["name"], "namespace": namespace, "type": "hp",
            "status": status["conditions"][-1]["type"], **status}


def hp_job_info(experiment: dict) -> str:
    """fetch_hp_job_info's CSV: Status,trialName,<metrics>,<parameters>, one line per trial."""
    metrics, params = _metric_names(experiment), [p["name"] for p in experiment["parameters"]]
    lines = [",".join(["Status", "trialName", *metrics, *params])]
    for trial in experiment.get("trials", []):
        observed = trial.get("state") in ("Succeeded", "EarlyStopped")
        values = [str(trial[m]) if observed and m in trial else "" for m in metrics]
        values += [str(trial.get(p, "")) for p in params]
        lines.append(",".join([trial.get("state", ""), trial["name"], *values]))
    return "\n".join(lines)


def trial_resource(experiment: dict, trial: dict, namespace: str) -> dict:
    state = trial.get("state", "Running")
    conditions = [{"type": "Created", "status": "True", "reason": "TrialCreated", "message": "Trial is created",
                   "lastUpdateTime": trial["started_at"], "lastTransitionTime": trial["started_at"]}]
    if state in TRIAL_REASONS:
        at = trial.get("finished_at", trial["started_at"])
        conditions.append(_condition(state, at, TRIAL_REASONS))
    status: dict = {"startTime": trial["started_at"], "conditions": conditions}
    if trial.get("finished_at"):
        status["completionTime"] = trial["finished_at"]
    if state in ("Succeeded", "EarlyStopped"):
        status["observation"] = {"metrics": [{"name": m, "min": str(trial[m]), "max": str(trial[m]), "latest": str(trial[m])}
                                             for m in _metric_names(experiment) if m in trial]}
    return {"apiVersion": "kubeflow.org/v1beta1", "kind": "Trial",
            "metadata": {"name": trial["name"], "namespace": namespace, "creationTimestamp": trial["started_at"],
                         "labels": {"katib.kubeflow.org/experiment": experiment["name"]}},
            "spec": {"objective": experiment_resource(experiment, namespace)["spec"]["objective"],
                     "parameterAssignments": [{"name": p["name"], "value": str(trial[p["name"]])} for p in experiment["parameters"]],
                     "primaryContainerName": "training"},
            "status": status}


def katib_routes(templates: list[dict]) -> list[Route]:
    base = PREFIX.rstrip("/")

    def arg(query: dict, key: str) -> str:
        return query.get(key, [""])[0]

    def bad(message: str):
        return Response(400, (message + "\n").encode(), "text/plain; charset=utf-8")  # Go http.Error

    def experiments(match, query, data):
        if "namespace" not in query:
            return bad("no 'namespace' query parameter was provided")
        namespace = arg(query, "namespace")
        return 200, [experiment_view(e, namespace) for e in _experiments(data, namespace)]

    def experiment(match, query, data):
        namespace, name = arg(query, "namespace"), arg(query, "experimentName")
        found = _find(data, namespace, name)
        if found is None:
            return Response(500, f'experiments.kubeflow.org "{name}" not found\n'.encode(), "text/plain; charset=utf-8")
        return 200, experiment_resource(found, namespace)

    def hp_info(match, query, data):
        namespace, name = arg(query, "namespace"), arg(query, "experimentName")
        found = _find(data, namespace, name)
        if found is None:
            return Response(500, f'experiments.kubeflow.org "{name}" not found\n'.encode(), "text/plain; charset=utf-8")
        return 200, hp_job_info(found)

    def trial(match, query, data):
        namespace, name = arg(query, "namespace"), arg(query, "trialName")
        for found in _experiments(data, namespace):
            for item in found.get("trials", []):
                if item["name"] == name:
                    return 200, trial_resource(found, item, namespace)
        return Response(500, f'trials.kubeflow.org "{name}" not found\n'.encode(), "text/plain; charset=utf-8")

    def trial_info(match, query, data):  # metric logs of a trial: one final value each, as train.py prints once
        namespace, name = arg(query, "namespace"), arg(query, "trialName")
        for found in _experiments(data, namespace):
            for item in found.get("trials", []):
                if item["name"] == name:
                    rows = ["metricName,time,value"]
                    rows += [f"{m},{item.get('finished_at', '')},{item[m]}" for m in _metric_names(found) if m in item]
                    return 200, "\n".join(rows)
        return 200, "metricName,time,value"

    def trial_templates(match, query, data):
        views = []
        for namespace in sorted({t["namespace"] for t in templates}):
            maps = [{"ConfigMapName": t["name"],
                     "Templates": [{"Path": key, "Yaml": t["data"][key]} for key in sorted(t["data"])]}
                    for t in templates if t["namespace"] == namespace]
            views.append({"ConfigMapNamespace": namespace, "ConfigMaps": maps})
        return 200, {"Data": views}

    def namespaces(match, query, data):
        return 200, [ns["name"] for ns in data.get("namespaces") or []]

    return [
        Route.get(rf"{base}/fetch_experiments/", experiments),
        Route.get(rf"{base}/fetch_experiment/", experiment),
        Route.get(rf"{base}/fetch_hp_job_info/", hp_info),
        Route.get(rf"{base}/fetch_hp_job_trial_info/", trial_info),
        Route.get(rf"{base}/fetch_trial/", trial),
        Route.get(rf"{base}/fetch_trial_templates/", trial_templates),
        Route.get(rf"{base}/fetch_namespaces", namespaces),
    ]


class KatibApp(App):
    name = "katib"
    title = "Katib"
    repository = "kubeflow/katib"
    component = "pkg/ui/v1beta1/frontend"
    default_source = "https://github.com/kubeflow/katib.git"
    default_ref = "v0.19.0"
    host = "dashboard"

    def __init__(self) -> None:
        self.templates: list[dict] = []
        self.lib_dir: Path | None = None

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        distribution.add_arguments(parser)
        parser.add_argument("--lib-src", default=LIB_SOURCE,
                            help="kubeflow/kubeflow (clone, mirror or URL): the common library at the commit "
                                 "the front end's COMMIT file names (default: %(default)s)")

    def prepare(self, args: argparse.Namespace, source: Source, work: Path) -> dict:
        named = source.read(f"{self.component}/COMMIT")
        if named is None or not named.strip():
            raise Problem(f"{source.location} at {source.ref} has no {self.component}/COMMIT")
        lib = Source.open(args.lib_src, named.decode().strip(), work)
        self.lib_dir = lib.export(LIB_PATH, work / "lib-tree")
        text, where = distribution.read(args, work, TEMPLATES, app_source=source, app_repository=self.repository,
                                        own_path=OWN_TEMPLATES)
        self.templates = read_templates(text, f"{where['repository']}@{where['ref']}:{where['path']}")
        return {"common_lib": {"repository": distribution.repo_name(args.lib_src, "kubeflow/kubeflow"),
                               "ref": named.decode().strip(), "commit": lib.commit, "path": LIB_PATH},
                "trial_templates": where}

    def build_steps(self, tree: Path, source: Source) -> list[BuildStep]:
        if self.lib_dir is None:
            raise Problem("the common library was not taken out (prepare did not run)")
        lib = str(self.lib_dir)
        quiet = ["--force", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
        env = {"NG_CLI_ANALYTICS": "ci"}
        return [
            BuildStep("common-lib npm ci", ["npm", "ci", *quiet], env=env, cwd=lib, timeout=1800),
            BuildStep("common-lib ngcc", ["npx", "--no-install", "ngcc"], env=env, cwd=lib, timeout=1200),
            BuildStep("common-lib ng build", ["npm", "run", "build"], env=env, cwd=lib, timeout=1800),
            BuildStep("npm ci", ["npm", "ci", *quiet], env=env, timeout=1800),
            BuildStep("copy common-lib", ["cp", "-R", f"{lib}/dist/kubeflow", "node_modules/kubeflow"], timeout=60),
            BuildStep("font inlining off", [sys.executable, "-c", NO_FONT_INLINING], timeout=60),
            BuildStep("ng build", ["npm", "run", "build:prod"], env=env, timeout=2400),
        ]

    def output_dir(self, tree: Path) -> Path:
        return tree / "dist" / "static"

    def mounts(self, build_dir: Path) -> list[Mount]:
        index = build_dir / "index.html"

        def index_html(method: str, path: str) -> Response:
            return file_response(index)  # ServeIndex: index.html for every other /katib/ path

        return [Mount(f"{PREFIX}static/", build_dir), Mount(PREFIX, None, katib_routes(self.templates), index_html)]

    def tool_versions(self) -> dict:
        return {"node": node_version()}


APP = KatibApp()
