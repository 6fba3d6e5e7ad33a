"""Kubernetes object names per Kubeflow release and the objects a ``kubectl`` command names.

``data/kubeflow-names.yml`` holds the releases, the profile namespace objects and the custom
resource types; ``data/kubeflow-objects.json`` (written by tools/update_names.py) the objects each
release installs. :func:`load` reads both; :func:`kubectl_refs` reads one ``kubectl`` argv and returns
the objects it names (``kubectl get deployment dashboard -n kubeflow`` -> Deployment
``dashboard`` in ``kubeflow``). The examples check compares the two. Pure functions.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kfguide import ROOT

NAMES_FILE = "data/kubeflow-names.yml"
OBJECTS_FILE = "data/kubeflow-objects.json"

#: Built-in Kubernetes resource words kubectl accepts -> kind (the ones guide readers meet).
CORE_RESOURCES: dict[str, str] = {}
for _kind, _words in {
    "Pod": ("pod", "pods", "po"),
    "Service": ("service", "services", "svc"),
    "Deployment": ("deployment", "deployments", "deploy"),
    "StatefulSet": ("statefulset", "statefulsets", "sts"),
    "ReplicaSet": ("replicaset", "replicasets", "rs"),
    "ConfigMap": ("configmap", "configmaps", "cm"),
    "Secret": ("secret", "secrets"),
    "PersistentVolumeClaim": ("persistentvolumeclaim", "persistentvolumeclaims", "pvc"),
    "PersistentVolume": ("persistentvolume", "persistentvolumes", "pv"),
    "Namespace": ("namespace", "namespaces", "ns"),
    "ServiceAccount": ("serviceaccount", "serviceaccounts", "sa"),
    "Job": ("job", "jobs"),
    "Node": ("node", "nodes", "no"),
    "Event": ("event", "events", "ev"),
    "Role": ("role", "roles"),
    "RoleBinding": ("rolebinding", "rolebindings"),
    "StorageClass": ("storageclass", "storageclasses", "sc"),
    "ResourceQuota": ("resourcequota", "resourcequotas", "quota"),
}.items():
    for _word in _words:
        CORE_RESOURCES[_word] = _kind

#: kubectl verbs whose positional arguments are ``TYPE NAME...`` or ``TYPE/NAME...``.
_TYPE_NAME_VERBS = frozenset({"get", "describe", "edit", "delete", "label", "annotate", "patch", "scale"})
#: Verbs whose first positional argument is one object (``TYPE/NAME`` or a pod name).
_ONE_OBJECT_VERBS = frozenset({"logs", "port-forward", "exec", "attach"})
#: Flags that take a value in the next word (anything else starting with ``-`` is boolean or
#: written ``--flag=value``).
_VALUE_FLAGS = frozenset({
    "-n", "--namespace", "-o", "--output", "-l", "--selector", "-c", "--container", "-f",
    "--filename", "--field-selector", "--context", "--kubeconfig", "-p", "--type", "--since",
    "--tail", "--address", "--template", "--sort-by", "--timeout", "--replicas", "-L",
    "--label-columns", "--cluster", "--user", "-s", "--server", "--pod-running-timeout",
})


class NamesError(ValueError):
    """The facts file cannot be read; the message names the file."""


@dataclass(frozen=True)
class Release:
    name: str
    source: str  # repository@ref
    #: kind -> name -> {namespace or "?": source path} of what the release installs
    objects: dict[str, dict[str, dict[str, str]]]
    #: kind -> {name: source path} of what every profile namespace gets
    profile: dict[str, dict[str, str]]
    profile_namespaces: dict[str, str]
    #: resource word -> kind for the release's custom resources
    resources: dict[str, str]


@dataclass(frozen=True)
class Names:
    guide_release: str
    groups: dict[str, tuple[str, ...]]
    releases: dict[str, Release] = field(default_factory=dict)

    def members(self, release: str) -> tuple[str, ...] | None:
        """The concrete releases a release name stands for (None when unknown)."""
        if release in self.groups:
            return self.groups[release]
        if release in self.releases:
            return (release,)
        return None

    def installed(self, release: str, kind: str, name: str, namespace: str) -> bool:
        """Whether ``release`` installs a ``kind`` ``name`` in ``namespace`` (or in a namespace
        its sources leave to the installer)."""
        where = self.releases[release].objects.get(kind, {}).get(name, {})
        return namespace in where or "?" in where

    def namespaces(self, release: str) -> set[str]:
        """The namespaces ``release`` installs objects into."""
        return {ns for names in self.releases[release].objects.values() for where in names.values()
                for ns in where if ns != "?"}

    def names_in(self, release: str, kind: str, namespace: str) -> list[str]:
        return sorted(n for n, where in self.releases[release].objects.get(kind, {}).items() if namespace in where)

    def kind_of(self, word: str, release: str) -> str | None:
        word = word.lower().split(".", 1)[0]  # experiments.kubeflow.org -> experiments
        if word in CORE_RESOURCES:
            return CORE_RESOURCES[word]
        rel = self.releases.get(release)
        return rel.resources.get(word) if rel else None


def load(root: Path | str = ROOT) -> Names:
    return _load(str(Path(root).resolve()), _stamp(root))


def _stamp(root) -> tuple:
    out = []
    for name in (NAMES_FILE, OBJECTS_FILE):
        try:
            st = (Path(root) / name).stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _load(root: str, _stamp: tuple) -> Names:
    path = Path(root) / NAMES_FILE
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise NamesError(f"{NAMES_FILE}: cannot read: {exc}") from exc
    try:
        generated = json.loads((Path(root) / OBJECTS_FILE).read_text("utf-8"))["releases"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NamesError(f"{OBJECTS_FILE}: cannot read: {exc} (write it with tools/update_names.py)") from exc
    try:
        releases = {}
        for name, rel in data["releases"].items():
            resources = {}
            for kind, entry in (rel.get("resources") or {}).items():
                for word in entry[1:]:
                    resources[str(word)] = kind
            releases[str(name)] = Release(
                name=str(name),
                source=f"{rel['repository']}@{rel['ref']}",
                objects=generated[str(name)]["objects"],
                profile={kind: dict(names) for kind, names in (rel.get("profile") or {}).items()},
                profile_namespaces=dict(rel.get("profile_namespaces") or {}),
                resources=resources,
            )
        groups = {str(k): tuple(str(x) for x in v) for k, v in (data.get("groups") or {}).items()}
        return Names(str(data["guide_release"]), groups, releases)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise NamesError(f"{NAMES_FILE}: unexpected structure ({type(exc).__name__}: {exc})") from exc


@dataclass(frozen=True)
class ObjectRef:
    verb: str
    resource: str  # the word the command used (deployment, svc, experiments.kubeflow.org)
    name: str | None  # None: the command names a type only (kubectl get pods)
    namespace: str | None  # None: no -n (kubectl's current namespace)


def kubectl_refs(argv: list[str]) -> list[ObjectRef]:
    """The objects one ``kubectl ...`` argv names (empty for other commands and verbs)."""
    if not argv or argv[0] != "kubectl":
        return []
    namespace = None
    positional: list[str] = []
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            break  # what follows is the command run by exec
        if word.startswith("--namespace="):
            namespace = word.split("=", 1)[1]
        elif word.startswith("-n") and len(word) > 2 and not word.startswith("--"):
            namespace = word[2:].lstrip("=")
        elif word in ("-n", "--namespace"):
            namespace = argv[i + 1] if i + 1 < len(argv) else None
            i += 1
        elif word in _VALUE_FLAGS:
            i += 1
        elif not word.startswith("-"):
            positional.append(word)
        i += 1
    if not positional:
        return []
    verb, args = positional[0], positional[1:]
    if verb == "rollout" and args:
        verb, args = f"rollout {args[0]}", args[1:]
    elif verb in _ONE_OBJECT_VERBS:
        args = args[:1]
        if args and "/" not in args[0]:
            return [ObjectRef(verb, "pod", args[0], namespace)]
    elif verb not in _TYPE_NAME_VERBS:
        return []
    refs: list[ObjectRef] = []
    if args and "/" not in args[0]:
        resource, names = args[0], args[1:]
        if "," in resource:  # pods,svc: types only
            return [ObjectRef(verb, r, None, namespace) for r in resource.split(",") if r]
        refs.extend(ObjectRef(verb, resource, n, namespace) for n in names)
        if not names:
            refs.append(ObjectRef(verb, resource, None, namespace))
    else:
        for arg in args:
            resource, _, name = arg.partition("/")
            refs.append(ObjectRef(verb, resource, name or None, namespace))
    return refs
