"""Findings: what every check returns.

A finding is data: ``(path, line, check, message, hint, severity)``. ``path`` is relative to the
docs folder (``kubeflow-ui.md``), or to the repository root for files outside it
(``snippets/kfui-alias.sh``, ``data/glossary.yml``); ``line`` is 1-based (0 when a finding is
about a whole file). Checks never print; they return findings, and the one printer
(:mod:`kfguide.report.printer`) writes them out as ``path:line: [check-id] message (hint)``.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    check: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def format(self) -> str:
        text = f"{self.path}:{self.line}: [{self.check}] {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
