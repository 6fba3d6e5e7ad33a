"""File checks: what static-i18n does with each file of the docs folder.

Check ids:

``file-dropped``          static-i18n reads a second suffix as a language that is not configured
                          (``install.sh.md``) and leaves the file out without a warning
``file-missing-default``  warning: a translation (``x.en.md``) without its default-language page
"""

from __future__ import annotations

import posixpath

from kfguide.model.findings import WARNING, Finding
from kfguide.model.site import Site


def check_files(site: Site) -> list[Finding]:
    """Files static-i18n drops, and translations without a default-language page."""
    out: list[Finding] = []
    cfg = site.config
    for path, info in site.files.items():
        if info.generated:
            continue  # theme and plugin files: not the authors' to rename
        if info.dropped_locale and cfg.languages_known:
            # (with a language mkdocs.yml names but the model cannot read, every translation
            # would look dropped: the config-invalid finding is the one to fix)
            stem, ext = posixpath.splitext(posixpath.basename(path))
            inner_stem, inner = posixpath.splitext(stem)
            fixed = f"{inner_stem}-{inner[1:]}{ext}"
            out.append(Finding(
                path, 0, "file-dropped",
                f"static-i18n reads '.{info.dropped_locale}' in this name as a language suffix; "
                f"'{info.dropped_locale}' is not a configured language ({', '.join(cfg.languages)}), "
                "so the file is left out of the site without a warning",
                f"rename it, e.g. {posixpath.join(posixpath.dirname(path), fixed)}",
            ))
        elif info.is_page and info.localization and info.localization != cfg.default_language:
            if site.page_sources[cfg.default_language].get(info.base) is None:
                out.append(Finding(
                    path, 0, "file-missing-default",
                    f"there is no {cfg.default_language} page {info.base} for this translation; "
                    f"the {cfg.default_language} site has no such page", f"add {info.base}", WARNING,
                ))
    return out
