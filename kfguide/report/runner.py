"""What the runners share.

* :func:`generated_files`: the docs paths the build generates (they count as existing). The
  MkDocs hook (``hooks/checks.py``) and ``python -m kfguide check`` (:mod:`kfguide.report.cli`)
  both load the site with them and run :func:`kfguide.checks.run_checks`.
* :func:`summaries`: what the report carries besides findings.
"""

from __future__ import annotations

import importlib
import os
from typing import Mapping

from kfguide.checks import glossary


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


def summaries(site) -> dict:
    """What the report carries besides findings: the glossary's size."""
    terms, _ = glossary.terms_of(site)
    return {"glossary": {"terms": len(terms), "variants": sum(len(t.variants) for t in terms)}}
