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

    def as_row(self) -> list:
        """The finding as a JSON list (caches keep findings between processes)."""
        return [self.path, self.line, self.check, self.message, self.hint, self.severity]

    @classmethod
    def from_row(cls, row: object) -> "Finding":
        """The finding :meth:`as_row` wrote; ValueError for anything else."""
        if not (isinstance(row, list) and len(row) == 6 and isinstance(row[1], int)
                and all(isinstance(v, str) for i, v in enumerate(row) if i != 1) and row[5] in (ERROR, WARNING)):
            raise ValueError(f"not a finding row: {row!r:.80}")
        return cls(*row)

    def format(self) -> str:
        text = f"{self.path}:{self.line}: [{self.check}] {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text
