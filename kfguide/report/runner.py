"""What the runners share.

* :func:`generated_files`: the docs paths the build generates (they count as existing). The
  MkDocs hook (``hooks/checks.py``) and ``python -m kfguide check`` (:mod:`kfguide.report.cli`)
  both load the site with them and run :func:`kfguide.checks.run_checks`.
* :func:`check_all`: the glossary and spelling findings with their summaries, as
  hooks/glossary.py reports them.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Mapping

from kfguide.builders import translations
from kfguide.checks import glossary, spelling
from kfguide.model.findings import Finding


def generated_files() -> set[str]:
    """Docs paths that build hooks generate (they count as existing)."""
    try:
        figures = importlib.import_module("kfguide.builders.figures")
    except Exception:  # noqa: BLE001 - the figures module is optional
        return set()
    generated = getattr(figures, "GENERATED", ())
    if isinstance(generated, Mapping):
        generated = generated.keys()
    return {str(p).replace(os.sep, "/") for p in generated}


def check_all(root: Path | str, docs_dir: Path | str | None = None) -> tuple[list[Finding], dict]:
    """Glossary schema findings, the [term] spelling findings over ``docs_dir`` and the
    summaries (``glossary`` and ``translations``), as the MkDocs hooks produce them::

        findings, summaries = runner.check_all(ROOT, docs)
        report.extend(findings); report.summaries.update(summaries)
    """
    root = Path(root)
    docs = Path(docs_dir) if docs_dir is not None else root / "docs"
    terms, findings = glossary.load(root / glossary.DATA_PATH, docs_dir=docs, root=root)
    findings = list(findings) + spelling.check_docs(docs, terms)
    summaries = {
        "glossary": {"terms": len(terms), "variants": sum(len(t.variants) for t in terms)},
        "translations": translations.status(docs),
    }
    return findings, summaries
