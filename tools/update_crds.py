"""Refresh data/crds/: the OpenAPI schemas of the Kubeflow kinds the guide's manifests use.

Reads the upstream sources from bare git mirrors (outside the repository) at the tags of the
release the guide states, keeps only the schema (descriptions dropped: upstream prose stays
upstream), and writes one JSON file per kind with its source and licence recorded:

    python tools/update_crds.py --mirrors /work/.mirror

Each file: {"kind", "apiVersions": {apiVersion: schema}, "source": {...}, "license"}. Katib's
Experiment CRD carries no schema (``x-kubernetes-preserve-unknown-fields: true``), so its field
schema comes from Katib's generated OpenAPI document (api/openapi-spec/swagger.json) instead.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "crds"

#: kind -> (mirror folder, tag, path, how to read it)
SOURCES = {
    "Profile": ("kubeflow+dashboard", "kubeflow/dashboard", "v2.0.0",
                "components/profile-controller/manifests/kustomize/base/crd/kubeflow.org_profiles.yaml", "crd"),
    "PodDefault": ("kubeflow+dashboard", "kubeflow/dashboard", "v2.0.0",
                   "components/poddefaults-webhooks/manifests/kustomize/base/crd.yaml", "crd"),
    "Notebook": ("kubeflow+notebooks", "kubeflow/notebooks", "v1.11.0",
                 "components/notebook-controller/config/crd/bases/kubeflow.org_notebooks.yaml", "crd"),
    "Experiment": ("kubeflow+katib", "kubeflow/katib", "v0.19.0", "api/openapi-spec/swagger.json",
                   "openapi:v1beta1.Experiment"),
}


def git_show(mirror: Path, tag: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(mirror), "show", f"{tag}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def strip(node, names: bool = False):
    """Drop descriptions, examples and defaults (annotations), keep everything that constrains a
    value. ``names``: ``node`` maps field names to schemas (``properties``, ``definitions``), so
    a field called ``description`` stays."""
    if isinstance(node, dict):
        if names:
            return {k: strip(v) for k, v in node.items()}
        return {k: strip(v, names=k in ("properties", "definitions", "patternProperties"))
                for k, v in node.items() if k not in ("description", "example", "default")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def from_crd(text: str, kind: str) -> dict[str, dict]:
    for doc in yaml.safe_load_all(text):
        if doc and doc.get("kind") == "CustomResourceDefinition" and doc["spec"]["names"]["kind"] == kind:
            group = doc["spec"]["group"]
            return {f"{group}/{v['name']}": strip(v["schema"]["openAPIV3Schema"])
                    for v in doc["spec"]["versions"] if v.get("served", True)}
    raise SystemExit(f"no CRD for {kind}")


def from_openapi(text: str, root: str, api_version: str) -> dict[str, dict]:
    schemas = json.loads(text)["components"]["schemas"]
    seen: dict[str, dict] = {}

    def visit(name: str) -> None:
        if name in seen:
            return
        seen[name] = {}
        body = json.dumps(schemas[name])
        seen[name] = strip(json.loads(body.replace("#/components/schemas/", "#/definitions/")))
        for ref in re.findall(r"#/components/schemas/([^\"]+)", body):
            visit(ref)

    visit(root)
    return {api_version: {"$ref": f"#/definitions/{root}", "definitions": dict(sorted(seen.items()))}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for kind, (folder, repo, tag, path, how) in SOURCES.items():
        mirror = args.mirrors / folder / "repo"
        text = git_show(mirror, tag, path)
        commit = subprocess.run(["git", "-C", str(mirror), "rev-list", "-n", "1", tag], check=True,
                                capture_output=True, text=True).stdout.strip()
        licence = git_show(mirror, tag, "LICENSE").splitlines()
        licence_name = "Apache-2.0" if any("Apache License" in line for line in licence[:5]) else "see source"
        if how == "crd":
            versions = from_crd(text, kind)
            if kind == "Notebook":  # three copies of a full PodSpec: keep the storage version
                versions = {k: v for k, v in versions.items() if k == "kubeflow.org/v1"}
        else:
            versions = from_openapi(text, how.split(":", 1)[1], "kubeflow.org/v1beta1")
        data = {
            "kind": kind,
            "source": {"repository": repo, "tag": tag, "commit": commit, "path": path},
            "license": licence_name,
            "note": "Derived from the source above by tools/update_crds.py: schema only, descriptions dropped.",
            "apiVersions": versions,
        }
        target = OUT / f"{kind.lower()}.json"
        target.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{target.relative_to(ROOT)}: {', '.join(versions)} from {repo}@{tag}:{path} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
