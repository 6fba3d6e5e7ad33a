"""MkDocs adapter for kfguide.builders.figures: add the build-generated figures to the site's files.

The figures (today the ``kfui`` terminal SVG) are rendered from ``snippets/kfui-alias.sh`` and
``data/kfui.yml`` on every build and added as in-memory files (``File.generated``), so nothing is written into docs/.

Why priority -200 (after static-i18n's ``on_files`` at -100): static-i18n rebuilds the file list
and, for each file, calls ``PurePath(file.abs_src_path)``; an in-memory file has no
``abs_src_path`` (None), which raises TypeError. So this hook runs after it and does for the
generated files what static-i18n does for assets in docs/: in each language build it picks the
``.lang`` variant if there is one (else the default-language file) and places it under that
language's folder, so ``/images/kfui-terminal.svg`` holds the Korean labels and
``/en/images/kfui-terminal.svg`` the English ones. Pages of every language link
``images/kfui-terminal.svg``; static-i18n's ``get_file_from_path`` resolves the English page's
link to ``images/kfui-terminal.en.svg``, the file added here for the English build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path only while importing the hook: import the package now.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kfguide.builders import figures  # noqa: E402
from kfguide.model.kfui import AliasError  # noqa: E402

log = get_plugin_logger(__name__)


def _languages(config) -> tuple[str, str, frozenset[str]]:
    """(current, default, all locales) of this build; ("", "", {}) without static-i18n."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "", "", frozenset()
    locales = frozenset(lang.locale for lang in i18n.config.languages)
    return i18n.current_language, i18n.default_language, locales


@event_priority(-200)
def on_files(files, config):
    root = Path(config.config_file_path).resolve().parent
    try:
        rendered = figures.generated_files(root)
    except AliasError as exc:
        raise PluginError(f"{exc} (needed to draw the generated kfui terminal figure)") from None
    current, default, locales = _languages(config)
    if not locales:
        chosen = {uri: (uri, data) for uri, data in rendered.items()}
    else:
        chosen = figures.for_language(rendered, current, default, locales)
    for neutral, (src_uri, data) in chosen.items():
        dest = figures.dest_uri(neutral, current, default) if locales else neutral
        for existing in [f for f in files if f.src_uri == src_uri or f.dest_uri == dest]:
            # A real docs/ file with the same name would silently lose to (or beat) the figure.
            if existing.generated_by is None:
                log.warning(
                    f"docs/{existing.src_uri}:0: this file is generated at build time from "
                    "snippets/kfui-alias.sh and data/kfui.yml; delete it from docs/ "
                    "(to look at it: python -m kfguide.builders.figures --out DIR)"
                )
            files.remove(existing)
        file = File.generated(config, src_uri, content=data)
        file.dest_uri = dest  # url and abs_dest_path follow (computed on first use)
        files.append(file)
    return files

