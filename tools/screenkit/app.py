"""What an app module provides; everything not listed here is shared (see screenkit/__init__.py).

An app module in ``screenkit/apps/`` (or any ``.py`` file passed as ``--app path/to/app.py``)
defines ``APP``, an instance of a subclass of :class:`App`. The runner calls, in order:

1. ``add_arguments(parser)``: the app's own inputs (e.g. where its ConfigMap comes from);
2. ``prepare(args, source, work)``: read what the app needs besides the tree, return record entries;
3. ``build_steps(tree, source)``: the commands that build the front end in the throw-away copy;
4. ``output_dir(tree)``: the built files the stub serves;
5. ``mounts(build_dir)``: the stub's mounts (static files, JSON routes from the sample data,
   what unknown paths get);
6. ``record()`` of anything learnt on the way (e.g. which ConfigMap file was read).

Shots are the entries of data/screens.yml whose ``app`` is the app's ``name``. An app with a
``host`` (the dashboard) is shown in that app's frame: the runner builds the host as well and
gives the stub both apps' mounts.
"""

from __future__ import annotations

import argparse
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from screenkit.source import Source
from screenkit.stub import Mount


@dataclass
class BuildStep:
    name: str  # shown as "build: NAME"
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 1800
    cwd: str = ""  # relative to the component folder


class App:
    name = ""  # the `app:` value in data/screens.yml and the CLI argument
    title = ""  # e.g. "Kubeflow Dashboard": used in the record and the output
    repository = ""  # owner/name of the upstream repository, for the record
    component = ""  # folder of the front end inside the upstream repository
    default_source = ""  # git URL used when the author passes no source
    default_ref = ""
    # The app whose page shows this one in an iframe (e.g. "dashboard": Notebooks, Pipelines and
    # Katib open inside the Kubeflow Dashboard, which also tells them the namespace). The runner
    # then builds that app too, from --host-src at --host-tag, and serves both from one stub.
    host = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the app's own command-line options (optional)."""

    def prepare(self, args: argparse.Namespace, source: Source, work: Path) -> dict:
        """Read inputs other than the tree; return entries for the record (optional)."""
        return {}

    def build_steps(self, tree: Path, source: Source) -> list[BuildStep]:
        raise NotImplementedError

    def output_dir(self, tree: Path) -> Path:
        raise NotImplementedError

    def mounts(self, build_dir: Path) -> list[Mount]:
        raise NotImplementedError

    def tool_versions(self) -> dict:
        """Versions of the build tools that shape the output (e.g. Node); optional."""
        return {}


def node_version() -> str:
    """``node --version`` (the Node.js that ran the build), or ``missing``."""
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:
        return "missing"
