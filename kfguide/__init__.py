"""Kubeflow 한국어 가이드: checks and build helpers, independent of MkDocs.

Every module here works on plain data (page sources, built HTML, small config dicts) so the
same checks run from MkDocs hooks (``hooks/``) and from ``python -m kfguide`` in any pipeline.
The layers, and the one direction imports may take (tests/test_layers.py):

``model``    the sources as data: site inventory, i18n resolution, Markdown scanner, terms
``checks``   model -> findings (one registry, :data:`kfguide.checks.REGISTRY`)
``builders`` what the hooks add to the site; reads the model only
``report``   the printer, the CLI, the PR comment; may use every other layer

(``builders``, not ``build``: a folder named ``build/`` is what most ignore files and
packaging tools treat as throwaway output.)
"""

from pathlib import Path

#: Repository root (the folder holding mkdocs.yml).
ROOT = Path(__file__).resolve().parent.parent
