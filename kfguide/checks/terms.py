"""The registered spelling check: every page of the site against the site's glossary.

The matching itself is :mod:`kfguide.checks.spelling`; the glossary is read once per site by
:func:`kfguide.checks.glossary.terms_of` (its own problems are the ``glossary`` check's).
"""

from __future__ import annotations

from kfguide.checks.glossary import terms_of
from kfguide.checks.spelling import check_texts, dump_rows, load_rows, variants_from_terms
from kfguide.model import memo
from kfguide.model.findings import Finding
from kfguide.model.site import Site


def check_terms(site: Site) -> list[Finding]:
    terms, _ = terms_of(site)
    if not terms:
        return []
    variants, conts = variants_from_terms(terms)
    # kept between builds in the project's .cache/kfguide/spelling.json (its own pages only)
    stored = memo.disk_store(site.cache_root, "spelling", load=load_rows, dump=dump_rows)
    found = check_texts(((path, site.texts[path]) for path in sorted(site.texts)), variants, conts, stored)
    stored.save()
    return found

