"""Refresh data/kubeflow-objects.json: the names of the Kubernetes objects each Kubeflow release
installs, read from kubeflow/community-distribution at the release's ref.

    python tools/update_names.py --mirrors /work/.mirror

Reads every YAML file under ``applications/`` and ``common/`` of the bare git mirror (outside the
repository) at each ref that data/kubeflow-names.yml names, and records each object of the kinds
below: kind -> name -> [namespace or null, path]. The namespace is the object's own, else the
``namespace:`` of the nearest kustomization.yaml above it, else null (unknown). Names a
kustomization makes (``configMapGenerator``/``secretGenerator``) and names it prefixes
(``namePrefix``) are recorded too. This reads the sources, it does not render them (the full
render needs remote bases), so the lists are a superset of what one install creates: good for
telling a removed or renamed object (``centraldashboard`` in 26.03.1) from a real one. Files the
mirror lacks (large blobs) are listed under ``missing`` in the output.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "data" / "kubeflow-names.yml"
OUT = ROOT / "data" / "kubeflow-objects.json"
KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Service", "ConfigMap", "Secret",
         "ServiceAccount", "Job", "CronJob", "Namespace")


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(mirror), *args], check=True, capture_output=True,
                          text=True).stdout


def read_blobs(mirror: Path, ref: str, paths: list[str]) -> tuple[dict[str, str], list[str]]:
    """``{path: text}`` of the paths at ``ref`` (one ``git cat-file --batch``), and the paths whose
    blob the mirror does not hold."""
    specs = "".join(f"{ref}:{p}\n" for p in paths)
    proc = subprocess.run(["git", "-C", str(mirror), "cat-file", "--batch"], input=specs.encode(),
                          capture_output=True, check=True)
    data, out, missing = proc.stdout, {}, []
    pos = 0
    for path in paths:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode()
        pos = end + 1
        if header.endswith("missing") or len(header.split()) < 3:
            missing.append(path)
            continue
        size = int(header.split()[2])
        out[path] = data[pos:pos + size].decode("utf-8", "replace")
        pos += size + 1
    return out, missing


def scan_release(mirror: Path, ref: str) -> dict:
    listing = git(mirror, "ls-tree", "-r", "--name-only", ref, "--", "applications", "common").split("\n")
    paths = [p for p in listing if p.endswith((".yaml", ".yml"))
             and "/test" not in p and "/docs/" not in p and "/.github/" not in p]
    texts, missing = read_blobs(mirror, ref, paths)
    kustomizations = {}
    for path, text in texts.items():
        if posixpath.basename(path) in ("kustomization.yaml", "kustomization.yml"):
            try:
                kustomizations[posixpath.dirname(path)] = yaml.safe_load(text) or {}
            except yaml.YAMLError:
                continue

    def settings(folder: str) -> tuple[str | None, str]:
        """(namespace, namePrefix) of the nearest kustomization.yaml at or above ``folder``."""
        namespace, prefix = None, ""
        while True:
            k = kustomizations.get(folder)
            if isinstance(k, dict):
                namespace = namespace or k.get("namespace")
                prefix = prefix or k.get("namePrefix") or ""
            if not folder or (namespace and prefix):
                return namespace, prefix
            folder = posixpath.dirname(folder)

    objects: dict[str, dict[str, dict[str, str]]] = {kind: {} for kind in KINDS}

    def add(kind: str, name: str, namespace: str | None, path: str) -> None:
        objects[kind].setdefault(name, {}).setdefault(namespace or "?", path)

    for path, text in sorted(texts.items()):
        folder = posixpath.dirname(path)
        namespace, prefix = settings(folder)
        try:
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError:
            continue
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "Kustomization" or posixpath.basename(path).startswith("kustomization"):
                for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
                    for gen in doc.get(key) or []:
                        if isinstance(gen, dict) and gen.get("name"):
                            add(kind, str(gen["name"]), gen.get("namespace") or namespace, path)
                            if prefix:
                                add(kind, prefix + str(gen["name"]), gen.get("namespace") or namespace, path)
                continue
            kind, meta = doc.get("kind"), doc.get("metadata")
            if kind not in objects or not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
                continue
            ns = meta.get("namespace") or namespace
            add(kind, meta["name"], ns, path)
            if prefix:
                add(kind, prefix + meta["name"], ns, path)
    return {"objects": {k: {n: dict(sorted(v[n].items())) for n in sorted(v)} for k, v in objects.items() if v},
            "missing": missing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", default="/work/.mirror", help="folder of the bare git mirrors")
    args = parser.parse_args(argv)
    facts = yaml.safe_load(NAMES.read_text("utf-8"))
    out = {"note": "Written by tools/update_names.py from the sources named per release; names only.",
           "license": "Apache-2.0 (the sources)", "releases": {}}
    for release, rel in facts["releases"].items():
        mirror = Path(args.mirrors) / (rel["repository"].replace("/", "+")) / "repo"
        commit = git(mirror, "rev-parse", rel["ref"]).strip()
        scanned = scan_release(mirror, rel["ref"])
        out["releases"][release] = {"repository": rel["repository"], "ref": rel["ref"], "commit": commit,
                                    **scanned}
        print(f"{release}: {sum(len(v) for v in scanned['objects'].values())} objects, "
              f"{len(scanned['missing'])} files missing in the mirror", file=sys.stderr)
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
