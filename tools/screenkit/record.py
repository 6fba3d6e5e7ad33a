"""The record written next to the images: where they came from and how they were made.

Only inputs go in (release, commits, ConfigMap file, sample data hash, browser and library
versions, locale, viewport, fonts) and the outputs' hashes and sizes; never times or local
paths, so a rerun with the same inputs writes the same record byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def font_packages(node_modules: Path) -> dict[str, str]:
    versions = {}
    for package in sorted((node_modules / "@fontsource").glob("*/package.json")):
        meta = json.loads(package.read_text("utf-8"))
        versions[meta["name"]] = f"{meta['version']} ({meta.get('license', '?')})"
    return versions


def write(target: Path, record: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
