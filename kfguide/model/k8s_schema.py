"""Kubernetes manifests against the OpenAPI schemas of the release the guide states.

``data/crds/<kind>.json`` hold the schemas (written by tools/update_crds.py from the Kubeflow
repositories at the release's tags, source and licence recorded in each file); a few core kinds
the pages use (ConfigMap) have a small schema here. :func:`validate_yaml` walks the YAML node
tree next to the schema, so every problem carries the line of the offending key or value.

Kubernetes applies structural schemas with pruning: a field the schema does not declare is
silently dropped by the API server, which a plain JSON Schema validator would accept too
(``additionalProperties`` is not implied). Here an undeclared field is an ``unknown field``
finding, unless the schema says ``x-kubernetes-preserve-unknown-fields`` or declares no
properties at all (free-form objects such as Katib's ``trialSpec``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from kfguide import ROOT

CRD_DIR = "data/crds"
#: libyaml's loader when PyYAML has it (about ten times faster; the same nodes and marks)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Core kinds the pages use, described just enough to catch a wrong or unknown field.
_META = {"type": "object", "properties": {
    "name": {"type": "string"}, "namespace": {"type": "string"}, "generateName": {"type": "string"},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "annotations": {"type": "object", "additionalProperties": {"type": "string"}}}}
CORE = {
    ("v1", "ConfigMap"): {"type": "object", "required": ["apiVersion", "kind", "metadata"], "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": _META,
        "immutable": {"type": "boolean"},
        "data": {"type": "object", "additionalProperties": {"type": "string"}},
        "binaryData": {"type": "object", "additionalProperties": {"type": "string"}}}},
}


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based line inside the YAML text
    message: str


@functools.lru_cache(maxsize=4)
def load_schemas(root: str = str(ROOT)) -> dict[tuple[str, str], dict]:
    """``{(apiVersion, kind): schema}`` for every file in data/crds plus the core kinds."""
    out: dict[tuple[str, str], dict] = dict(CORE)
    folder = Path(root) / CRD_DIR
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for api_version, schema in data["apiVersions"].items():
            out[(api_version, data["kind"])] = schema
    return out


def schema_source(kind: str, root: str = str(ROOT)) -> str:
    """``kubeflow/katib@v0.19.0:api/openapi-spec/swagger.json`` for a stored kind, else ''."""
    path = Path(root) / CRD_DIR / f"{kind.lower()}.json"
    if not path.is_file():
        return ""
    src = json.loads(path.read_text("utf-8"))["source"]
    return f"{src['repository']}@{src['tag']}:{src['path']}"


class _Walker:
    def __init__(self, root_schema: dict, ignore_required: bool = False):
        self.root = root_schema
        self.defs = root_schema.get("definitions", {})
        self.problems: list[Problem] = []
        self.ignore_required = ignore_required

    def resolve(self, schema: dict) -> dict:
        seen = 0
        while True:
            if "$ref" in schema and seen < 50:
                name = schema["$ref"].rsplit("/", 1)[-1]
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                schema = {**self.defs.get(name, {}), **rest}
                seen += 1
                continue
            if "allOf" in schema and seen < 50:
                merged = {k: v for k, v in schema.items() if k != "allOf"}
                for part in schema["allOf"]:
                    part = self.resolve(part)
                    for key, value in part.items():
                        if key == "properties":
                            merged["properties"] = {**merged.get("properties", {}), **value}
                        else:
                            merged.setdefault(key, value)
                schema = merged
                seen += 1
                continue
            return schema

    def problem(self, node: yaml.Node, path: str, message: str) -> None:
        self.problems.append(Problem(node.start_mark.line, f"{path}: {message}" if path else message))

    def walk(self, node: yaml.Node, schema: dict, path: str, top: bool = False) -> None:
        schema = self.resolve(schema)
        if schema.get("x-kubernetes-int-or-string"):
            if not (isinstance(node, yaml.ScalarNode) and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:str")):
                self.problem(node, path, "expected an integer or a string")
            return
        expected = schema.get("type")
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if expected == "object" or (expected is None and "properties" in schema):
            if not isinstance(node, yaml.MappingNode):
                if not (isinstance(node, yaml.ScalarNode) and value is None):
                    self.problem(node, path, f"expected a mapping, got {_describe(node)}")
                return
            self.mapping(node, schema, path, top)
        elif expected == "array":
            if not isinstance(node, yaml.SequenceNode):
                self.problem(node, path, f"expected a list, got {_describe(node)}")
                return
            items = schema.get("items", {})
            for index, child in enumerate(node.value):
                self.walk(child, items, f"{path}[{index}]")
        elif expected in ("string", "integer", "number", "boolean"):
            if not isinstance(node, yaml.ScalarNode):
                self.problem(node, path, f"expected {_a(expected)}, got {_describe(node)}")
                return
            ok = {
                "string": isinstance(value, str),
                "integer": isinstance(value, int) and not isinstance(value, bool),
                "number": isinstance(value, (int, float)) and not isinstance(value, bool),
                "boolean": isinstance(value, bool),
            }[expected]
            if not ok and value is not None:
                hint = " (quote it)" if expected == "string" else ""
                self.problem(node, path, f"expected {_a(expected)}, got {_describe(node)}{hint}")
            elif "enum" in schema and value not in schema["enum"]:
                self.problem(node, path, f"{value!r} is not one of {schema['enum']}")

    def mapping(self, node: yaml.MappingNode, schema: dict, path: str, top: bool) -> None:
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        free = schema.get("x-kubernetes-preserve-unknown-fields") or (props is None and extra in (None, True))
        keys = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            key = str(key)
            keys[key] = key_node
            child_path = f"{path}.{key}" if path else key
            if props is not None and key in props:
                self.walk(value_node, props[key], child_path)
            elif isinstance(extra, dict):
                self.walk(value_node, extra, child_path)
            elif not free:
                self.problem(key_node, "", f"unknown field `{child_path}`" + _did_you_mean(key, props or {}))
        if not (self.ignore_required and top):
            for name in schema.get("required", []):
                if name not in keys:
                    self.problem(node, path, f"missing required field `{name}`")


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode):
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except Exception:  # noqa: BLE001 - a malformed scalar is reported by its type check
        return node.value
    finally:  # one shared constructor: keep no references to the nodes of past texts
        _CONSTRUCTOR.constructed_objects.clear()
        _CONSTRUCTOR.recursive_objects.clear()


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = _scalar(node)
    return f"{type(value).__name__} {node.value!r}" if value is not None else "null"


def _did_you_mean(key: str, props: dict) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(props), n=1, cutoff=0.75)
    if close:
        return f" (did you mean `{close[0]}`?)"
    return f"; known fields: {', '.join(sorted(props))}" if 0 < len(props) <= 12 else ""


def validate_yaml(text: str, *, fragment_of: str | None = None, root: str = str(ROOT)
                  ) -> tuple[list[Problem], list[tuple[int, str, str]]]:
    """Validate every document of ``text``.

    Returns ``(problems, manifests)``: problems with 0-based lines, and ``(line, apiVersion,
    kind)`` of each manifest validated. A document without ``apiVersion``/``kind`` is not a
    manifest and is only parsed, unless ``fragment_of`` names the kind it belongs to (then it
    is checked against that kind's schema without the top-level required fields).
    """
    schemas = load_schemas(root)
    problems: list[Problem] = []
    manifests: list[tuple[int, str, str]] = []
    try:
        docs = list(yaml.compose_all(text, Loader=LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [Problem(mark.line if mark else 0, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")], []
    for doc in docs:
        if doc is None:
            continue
        fields = {}
        if isinstance(doc, yaml.MappingNode):
            fields = {str(_scalar(k)): v for k, v in doc.value}
        api = _scalar(fields["apiVersion"]) if isinstance(fields.get("apiVersion"), yaml.ScalarNode) else None
        kind = _scalar(fields["kind"]) if isinstance(fields.get("kind"), yaml.ScalarNode) else None
        if api and kind:
            schema = schemas.get((str(api), str(kind)))
            if schema is None:
                known = sorted({v for (v, k) in schemas if k == kind})
                where = f"; this guide's schemas know {kind} as {', '.join(known)}" if known else \
                    f"; no schema for {kind} in {CRD_DIR}/ (add it with tools/update_crds.py)"
                problems.append(Problem(doc.start_mark.line, f"unknown apiVersion/kind {api}/{kind}{where}"))
                continue
            walker = _Walker(schema)
            walker.walk(doc, schema, "", top=True)
            problems.extend(walker.problems)
            manifests.append((doc.start_mark.line, str(api), str(kind)))
        elif fragment_of:
            matches = [(v, s) for (v, k), s in schemas.items() if k == fragment_of]
            if not matches:
                problems.append(Problem(doc.start_mark.line, f"fragment of unknown kind {fragment_of!r}"))
                continue
            api_version, schema = sorted(matches)[-1]
            walker = _Walker(schema, ignore_required=True)
            walker.walk(doc, schema, "", top=True)
            problems.extend(walker.problems)
            manifests.append((doc.start_mark.line, api_version, fragment_of))
    return problems, manifests
