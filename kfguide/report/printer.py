"""The one printer: every finding of a run, written out once.

Checks return :class:`kfguide.model.findings.Finding` values; a runner (the MkDocs hook or
``python -m kfguide check``) collects them in a :class:`Report`, which formats each one as

    path:line: [check-id] message (hint)

and writes it

* as a MkDocs WARNING through a logger under ``mkdocs.`` (so ``mkdocs build --strict`` fails),
  or to stderr when run without MkDocs;
* as a GitHub annotation (``::error file=docs/...,line=N::...``) when ``GITHUB_ACTIONS=true``;
* into a JSON report (``reports/checks.json`` unless configured), read by the PR comment script.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from kfguide.model.findings import ERROR, WARNING, Finding


@dataclass
class Report:
    """All findings of one run, plus summaries other checks attach (e.g. translation status)."""

    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, object] = field(default_factory=dict)
    docs_prefix: str = "docs/"

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def unique(self) -> list[Finding]:
        """Findings sorted by file and line, each reported once (i18n builds pages twice)."""
        return sorted(set(self.findings))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for finding in self.unique():
            out[finding.check] = out.get(finding.check, 0) + 1
        return out

    def repo_path(self, finding: Finding) -> str:
        """The finding's path relative to the repository root (for annotations)."""
        top = finding.path.split("/", 1)[0]
        if top in _REPO_LEVEL_FOLDERS:
            return finding.path
        return self.docs_prefix + finding.path

    def to_json(self) -> dict:
        unique = self.unique()
        return {
            "version": 1,
            "findings": [dict(asdict(f), file=self.repo_path(f)) for f in unique],
            "counts": self.counts(),
            "total": len(unique),
            "errors": sum(1 for f in unique if f.severity == ERROR),
            "warnings": sum(1 for f in unique if f.severity == WARNING),
            "summaries": self.summaries,
        }

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", "utf-8")

    def emit(self, log: logging.Logger | logging.LoggerAdapter, env: dict | None = None) -> None:
        """Log every finding once as a warning; add GitHub annotations under GitHub Actions."""
        env = os.environ if env is None else env
        annotate = env.get("GITHUB_ACTIONS") == "true"
        for finding in self.unique():
            log.warning(finding.format())
            if annotate:
                print(github_annotation(finding, self.repo_path(finding)), flush=True)


# Folders at the repository root whose files can carry findings (everything else is in docs/).
_REPO_LEVEL_FOLDERS = {"snippets", "data", "overrides", "hooks", "mkdocs.yml"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding, repo_path: str) -> str:
    """``::error file=...,line=...,title=...::message`` as GitHub's workflow commands expect."""
    kind = "error" if finding.severity == ERROR else "warning"
    props = f"file={_escape_property(repo_path)}"
    if finding.line:
        props += f",line={finding.line}"
    props += f",title={_escape_property(finding.check)}"
    message = finding.message + (f" ({finding.hint})" if finding.hint else "")
    return f"::{kind} {props}::{_escape_data(message)}"
