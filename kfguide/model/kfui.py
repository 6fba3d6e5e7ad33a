"""The ``kfui`` alias: one canonical definition, and every fact derived from it.

``snippets/kfui-alias.sh`` holds the only definition (command, namespace, LOCAL:SERVICE ports).
``data/kfui.yml`` holds what differs per Kubeflow release: the gateway Service's target port,
which ``kubectl port-forward`` prints. This module parses both files, so the ports, the expected
output per release, the ``alias | grep kfui`` output and the rendered terminal figure all follow
from them. Pages include the alias and the session (``$ kfui`` and its output) with
pymdownx.snippets: ``snippets/kfui-session-RELEASE.txt`` are written from these two files by
``python -m kfguide.model.kfui`` and checked on every build (``kfui-canonical`` when one is stale).
"""

from __future__ import annotations

import shlex
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from kfguide import ROOT
from kfguide.model import memo

#: Where the canonical definition lives, relative to the repository root.
ALIAS_FILE = "snippets/kfui-alias.sh"
ALIAS_NAME = "kfui"
#: Per-release facts (target port) and the release the guide states.
FACTS_FILE = "data/kfui.yml"
#: Name pages include to show ``$ kfui`` and its output for one release.
SESSION_SNIPPET = "kfui-session-{release}.txt"
_SESSION_RE = re.compile(r"^kfui-session-(?P<release>[\w.]+)\.txt$")


class AliasError(ValueError):
    """The canonical alias file cannot be understood; the message names file and line."""


@dataclass(frozen=True)
class KfuiAlias:
    """The parsed canonical alias."""

    definition: str  # the line exactly as written: alias kfui="kubectl port-forward ..."
    command: str  # the command the alias runs
    argv: tuple[str, ...]  # the command split as a shell would
    service: str  # svc/istio-ingressgateway
    namespace: str  # istio-system
    local_port: int  # 8080
    remote_port: int  # 80 (the Service port named in the command)
    target_port: int | None = None  # the pod's container port for ``release`` (data/kfui.yml)
    release: str = ""  # the Kubeflow release target_port belongs to
    line: int = field(default=0, compare=False)  # line of the definition in its file (0: unknown)

    @property
    def local_url(self) -> str:
        return f"http://localhost:{self.local_port}"

    @property
    def printed_port(self) -> int:
        """The port after ``->``: the Service's target port (the command's port if unknown)."""
        return self.target_port if self.target_port is not None else self.remote_port

    def forward_output(self) -> list[str]:
        """What ``kubectl port-forward`` prints when it starts listening (for ``release``)."""
        return [
            f"Forwarding from 127.0.0.1:{self.local_port} -> {self.printed_port}",
            f"Forwarding from [::1]:{self.local_port} -> {self.printed_port}",
        ]

    def session(self) -> list[tuple[str, str]]:
        """``[("command", "kfui"), ("output", line), ...]``: what a terminal shows."""
        return [("command", ALIAS_NAME)] + [("output", line) for line in self.forward_output()]

    def session_text(self) -> str:
        """The session as a console block shows it (``$ kfui`` and the output lines)."""
        return "\n".join([f"$ {ALIAS_NAME}", *self.forward_output()]) + "\n"

    def bash_alias_listing(self) -> str:
        """What bash prints for ``alias | grep kfui`` (bash re-quotes with single quotes)."""
        return f"alias {ALIAS_NAME}={shlex.quote(self.command)}"

    def zsh_alias_listing(self) -> str:
        """What zsh prints for ``alias | grep kfui`` (no ``alias`` keyword)."""
        return f"{ALIAS_NAME}={shlex.quote(self.command)}"


def parse_definition(line: str, where: str = ALIAS_FILE) -> KfuiAlias:
    """Parse ``alias kfui="..."`` into a :class:`KfuiAlias`; raise :class:`AliasError` if malformed."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError as exc:  # unbalanced quotes
        raise AliasError(f"{where}: cannot parse the alias: {exc}") from None
    if len(words) != 2 or words[0] != "alias" or not words[1].startswith(f"{ALIAS_NAME}="):
        raise AliasError(f'{where}: expected one line `alias {ALIAS_NAME}="..."`, found {line!r}')
    command = words[1][len(ALIAS_NAME) + 1 :]
    try:
        argv = tuple(shlex.split(command))
    except ValueError as exc:
        raise AliasError(f"{where}: cannot parse the aliased command: {exc}") from None
    return _from_argv(line.strip(), command, argv, where)


def _from_argv(definition: str, command: str, argv: tuple[str, ...], where: str) -> KfuiAlias:
    if argv[:2] != ("kubectl", "port-forward"):
        raise AliasError(f"{where}: the alias must run `kubectl port-forward`, not {command!r}")
    rest = list(argv[2:])
    namespace = None
    positional = []
    while rest:
        word = rest.pop(0)
        if word in ("-n", "--namespace"):
            if not rest:
                raise AliasError(f"{where}: `{word}` needs a namespace")
            namespace = rest.pop(0)
        elif word.startswith("--namespace="):
            namespace = word.split("=", 1)[1]
        elif word.startswith("-"):
            raise AliasError(f"{where}: unexpected option {word!r} in the alias")
        else:
            positional.append(word)
    if namespace is None:
        raise AliasError(f"{where}: the alias must name the namespace with -n")
    if len(positional) != 2:
        raise AliasError(f"{where}: expected a service and one LOCAL:REMOTE port pair, got {positional}")
    service, ports = positional
    if not service.startswith(("svc/", "service/")):
        raise AliasError(f"{where}: expected a service (svc/NAME), got {service!r}")
    local, sep, remote = ports.partition(":")
    if not sep or not local.isdigit() or not remote.isdigit():
        raise AliasError(f"{where}: expected ports as LOCAL:REMOTE, got {ports!r}")
    local_port, remote_port = int(local), int(remote)
    for port in (local_port, remote_port):
        if not 1 <= port <= 65535:
            raise AliasError(f"{where}: port {port} is outside 1-65535")
    return KfuiAlias(definition, command, argv, service, namespace, local_port, remote_port)


@dataclass(frozen=True)
class Release:
    """One Kubeflow release's gateway facts from data/kfui.yml."""

    name: str
    service_port: int
    target_port: int
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class KfuiFacts:
    guide_release: str
    releases: dict[str, Release]


def load_facts(root: Path = ROOT) -> KfuiFacts:
    """Read data/kfui.yml; raise :class:`AliasError` (``file:line: message``) when malformed."""
    path = Path(root) / FACTS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasError(f"{FACTS_FILE}:0: cannot read the kfui facts: {exc}") from None
    facts = _FACTS.get(text)
    if facts is None:
        facts = _facts_from_text(text)
        _FACTS.put(text, facts)
    return facts


#: Parsed facts per file text: a build reads data/kfui.yml about ten times (hooks, checks,
#: snippets), and `mkdocs serve` rebuilds on every save. Only good files are kept.
_FACTS = memo.store("kfui-facts", maxsize=4)


def _facts_from_text(text: str) -> KfuiFacts:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise AliasError(f"{FACTS_FILE}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("releases"), dict) or not data["releases"]:
        raise AliasError(f"{FACTS_FILE}:0: expected a mapping with `guide_release` and `releases`")
    releases: dict[str, Release] = {}
    for name, entry in data["releases"].items():
        name = str(name)
        if not _RELEASE_NAME.match(name):
            raise AliasError(f"{FACTS_FILE}:0: release name {name!r} must be like 26.03.x or 1.0")
        if not isinstance(entry, dict):
            raise AliasError(f"{FACTS_FILE}:0: release {name}: expected a mapping")
        ports = {}
        for key in ("service_port", "target_port"):
            value = entry.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
                raise AliasError(f"{FACTS_FILE}:0: release {name}: `{key}` must be a port number, got {value!r}")
            ports[key] = value
        sources = entry.get("sources") or []
        if not isinstance(sources, list) or not sources or not all(isinstance(x, str) for x in sources):
            raise AliasError(f"{FACTS_FILE}:0: release {name}: `sources` must list where the ports come from")
        releases[name] = Release(name, ports["service_port"], ports["target_port"], tuple(sources))
    guide = str(data.get("guide_release", ""))
    if guide not in releases:
        raise AliasError(f"{FACTS_FILE}:0: guide_release {guide!r} is not one of the releases {sorted(releases)}")
    return KfuiFacts(guide, releases)


_RELEASE_NAME = re.compile(r"^\d+\.\d+(?:\.(?:\d+|x))?$")


def load(root: Path = ROOT, release: str | None = None) -> KfuiAlias:
    """The canonical alias with the target port of ``release`` (default: the guide's release).

    Raises :class:`AliasError` when either file is broken, the release is unknown, or the
    alias names another Service port than the release's gateway Service.
    """
    alias = load_alias(root)
    facts = load_facts(root)
    name = facts.guide_release if release is None else release
    rel = facts.releases.get(name)
    if rel is None:
        raise AliasError(f"{FACTS_FILE}:0: unknown Kubeflow release {name!r} (known: {', '.join(sorted(facts.releases))})")
    if rel.service_port != alias.remote_port:
        raise AliasError(f"{FACTS_FILE}:0: release {name} has service_port {rel.service_port}, "
                         f"but the alias in {ALIAS_FILE} forwards to port {alias.remote_port}")
    return replace(alias, target_port=rel.target_port, release=name)


def session_snippets(root: Path = ROOT) -> dict[str, str]:
    """``{"kfui-session-26.03.x.txt": "$ kfui\n...", ...}`` for every release (raises AliasError)."""
    facts = load_facts(root)
    return {SESSION_SNIPPET.format(release=name): load(root, name).session_text() for name in facts.releases}


def session_snippet(name: str, root: Path = ROOT) -> str | None:
    """What the session snippet ``name`` must hold, or None when it is not one of them."""
    m = _SESSION_RE.match(name)
    if not m:
        return None
    try:
        return load(root, m.group("release")).session_text()
    except AliasError:
        return None


def load_alias(root: Path = ROOT) -> KfuiAlias:
    """Read and parse the canonical alias file (the single non-comment, non-blank line)."""
    path = root / ALIAS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasError(f"{ALIAS_FILE}:0: cannot read the canonical alias: {exc}") from None
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if len(lines) != 1:
        raise AliasError(f"{ALIAS_FILE}:0: expected exactly one alias line, found {len(lines)}")
    number, line = lines[0]
    return replace(parse_definition(line, where=f"{ALIAS_FILE}:{number}"), line=number)



def stale_sessions(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(snippets/NAME, problem)`` for every session file that is missing, stale or extra."""
    expected = session_snippets(root)
    out = []
    folder = Path(root) / "snippets"
    for name, text in sorted(expected.items()):
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            out.append((f"snippets/{name}", "is missing"))
            continue
        if current != text:
            out.append((f"snippets/{name}", f"does not match {ALIAS_FILE} and {FACTS_FILE}"))
    for path in sorted(folder.glob("kfui-session-*.txt")):
        if path.name not in expected:
            out.append((f"snippets/{path.name}", f"names a release that is not in {FACTS_FILE}"))
    return out


def write_sessions(root: Path = ROOT) -> list[str]:
    """Write snippets/kfui-session-RELEASE.txt for every release; return the paths written."""
    written = []
    for name, text in sorted(session_snippets(root).items()):
        path = Path(root) / "snippets" / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(f"snippets/{name}")
    return written


def main(argv: list[str] | None = None) -> int:
    import sys

    try:
        written = write_sessions(ROOT)
    except AliasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(written) if written else "snippets/kfui-session-*.txt are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
