"""Files a Kubeflow release installs (its manifests), read from kubeflow/community-distribution.

An app's screens depend on configuration that the release's manifests set, not the app's own
repository: the dashboard's menu ConfigMap, the Notebooks web app's spawner form defaults and
logos. ``add_arguments`` adds one pair of options that every app of a run shares (the host
dashboard and the app it frames read the same distribution): ``--config-src`` (a clone, mirror
or URL; ``none`` reads the app's own repository instead) and ``--config-ref``. ``read`` returns
one file's bytes and the record entry saying where they came from.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from screenkit.source import Source
from screenkit.steps import Problem

DISTRIBUTION = "https://github.com/kubeflow/community-distribution.git"
DISTRIBUTION_REF = "release-26.03.1"
DISTRIBUTION_NAME = "kubeflow/community-distribution"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--config-src`` and ``--config-ref``, once per parser (several apps may ask)."""
    if "--config-src" in parser._option_string_actions:  # noqa: SLF001 - argparse has no public lookup
        return
    group = parser.add_argument_group("Kubeflow distribution (the manifests the release installs)")
    group.add_argument("--config-src", default=DISTRIBUTION,
                       help="git clone, mirror or URL of kubeflow/community-distribution; `none` reads each "
                            "app's own repository instead (default: %(default)s)")
    group.add_argument("--config-ref", default=DISTRIBUTION_REF, help="its branch or tag (default: %(default)s)")


def own(args: argparse.Namespace) -> bool:
    """True when the author asked for the apps' own manifests (``--config-src none``)."""
    return str(args.config_src).lower() == "none"


def read(args: argparse.Namespace, work: Path, path: str, *, app_source: Source, app_repository: str,
         own_path: str) -> tuple[bytes, dict]:
    """The file ``path`` of the distribution (or ``own_path`` of the app's tree with ``none``)."""
    if own(args):
        text = app_source.read(own_path)
        if text is None:
            raise Problem(f"{app_source.location} at {app_source.ref} has no {own_path}")
        return text, {"repository": app_repository, "ref": app_source.ref, "commit": app_source.commit,
                      "path": own_path}
    config = Source.open(args.config_src, args.config_ref, work)
    text = config.read(path)
    if text is None:
        raise Problem(f"{args.config_src} at {args.config_ref} has no {path}")
    return text, {"repository": repo_name(args.config_src, DISTRIBUTION_NAME), "ref": args.config_ref,
                  "commit": config.commit, "path": path}


def repo_name(location: str, default: str) -> str:
    """owner/name for a GitHub URL; the default name for a local path (paths differ per author)."""
    text = location.rstrip("/").removesuffix(".git")
    if "github.com" in text:
        return "/".join(text.replace(":", "/").split("/")[-2:])
    return default
