"""Kubeflow 한국어 가이드: checks and build helpers, independent of MkDocs.

Every module here works on plain data (page sources, built HTML, small config dicts) so the
same checks run from MkDocs hooks (``hooks/``) and from ``python -m kfguide`` in any pipeline.
"""

from pathlib import Path

#: Repository root (the folder holding mkdocs.yml).
ROOT = Path(__file__).resolve().parent.parent
