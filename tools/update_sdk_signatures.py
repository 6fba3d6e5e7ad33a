"""Refresh data/sdk/katib.json: the call signatures of the Katib Python SDK the guide names.

    python tools/update_sdk_signatures.py --mirrors /work/.mirror

The Katib SDK (kubeflow-katib 0.19.0) cannot live in the test environment (it needs protobuf < 5,
kfp 2.16 needs >= 6.31), so its signatures are read from its source at the tag, without importing
it: the parameters of ``KatibClient``'s public methods and of the ``search`` functions, by name,
kind and whether they have a default. Names only, no code. tests/test_examples_run.py binds the
pages' Katib calls to them (and compares this file with the mirror when one is present).
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "sdk" / "katib.json"
REPOSITORY, TAG = "kubeflow/katib", "v0.19.0"
BASE = "sdk/python/v1beta1/kubeflow/katib"
#: attribute path on ``kubeflow.katib`` -> (file, class or None)
SOURCES = {"KatibClient": (f"{BASE}/api/katib_client.py", "KatibClient"),
           "search": (f"{BASE}/api/search.py", None)}


def parameters(func: ast.FunctionDef) -> list[dict]:
    a = func.args
    out = []
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    for i, arg in enumerate(positional):
        kind = "POSITIONAL_ONLY" if i < len(a.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        out.append({"name": arg.arg, "kind": kind, "default": i >= first_default})
    if a.vararg:
        out.append({"name": a.vararg.arg, "kind": "VAR_POSITIONAL", "default": False})
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append({"name": arg.arg, "kind": "KEYWORD_ONLY", "default": default is not None})
    if a.kwarg:
        out.append({"name": a.kwarg.arg, "kind": "VAR_KEYWORD", "default": False})
    return out


def signatures(source: str, cls: str | None) -> dict[str, list[dict]]:
    tree = ast.parse(source)
    body = tree.body
    if cls:
        (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
        body = node.body
    return {n.name: parameters(n) for n in body if isinstance(n, ast.FunctionDef)
            and (not n.name.startswith("_") or n.name == "__init__")}


def read(mirrors: Path) -> dict:
    mirror = mirrors / REPOSITORY.replace("/", "+") / "repo"
    commit = subprocess.run(["git", "-C", str(mirror), "rev-parse", f"{TAG}^{{commit}}"], check=True,
                            capture_output=True, text=True).stdout.strip()
    out = {"source": {"repository": REPOSITORY, "tag": TAG, "commit": commit, "paths": []},
           "license": "Apache-2.0", "note": "Parameter names and kinds only, written by tools/update_sdk_signatures.py.",
           "attributes": {}}
    for name, (path, cls) in SOURCES.items():
        text = subprocess.run(["git", "-C", str(mirror), "show", f"{TAG}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        out["source"]["paths"].append(path)
        out["attributes"][name] = {"class": bool(cls), "functions": signatures(text, cls)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", default="/work/.mirror")
    args = parser.parse_args(argv)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(read(Path(args.mirrors)), indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
