"""The ``kfui`` alias: one canonical definition, and every fact derived from it.

``snippets/kfui-alias.sh`` holds the only definition. Pages include that file with
pymdownx.snippets; this module parses it, so the ports, the expected ``kubectl port-forward``
output, the ``alias | grep kfui`` output and the rendered terminal figure all follow from it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from kfguide import ROOT

#: Where the canonical definition lives, relative to the repository root.
ALIAS_FILE = "snippets/kfui-alias.sh"
ALIAS_NAME = "kfui"


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
    remote_port: int  # 80

    @property
    def local_url(self) -> str:
        return f"http://localhost:{self.local_port}"

    def forward_output(self) -> list[str]:
        """What ``kubectl port-forward`` prints when it starts listening."""
        return [
            f"Forwarding from 127.0.0.1:{self.local_port} -> {self.remote_port}",
            f"Forwarding from [::1]:{self.local_port} -> {self.remote_port}",
        ]

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


def load(root: Path = ROOT) -> KfuiAlias:
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
    return parse_definition(line, where=f"{ALIAS_FILE}:{number}")
