"""Figures the build generates: what they are, their bytes, and where each language gets them.

The one generated figure today is the ``kfui`` terminal: ``$ kfui`` followed by the two
``Forwarding from ...`` lines for the guide's Kubeflow release, derived from
``snippets/kfui-alias.sh`` and ``data/kfui.yml`` (see :mod:`kfguide.model.kfui`), so the picture always
matches the console block the pages include (``--8<-- "kfui-session-26.03.x.txt"``).

Stable interface (the runners read it: :func:`kfguide.report.runner.generated_files`):

``GENERATED: dict[str, Callable[[], bytes]]``
    Docs-relative source path (``src_uri``, as if the file were in ``docs/``) -> a function
    returning the file's bytes for the repository at :data:`kfguide.ROOT`. Language variants use
    the static-i18n suffix: ``images/kfui-terminal.en.svg`` is the English variant of
    ``images/kfui-terminal.svg``, and pages of every language link ``images/kfui-terminal.svg``.

``generated_files(root) -> dict[str, bytes]``
    The same files rendered for another checkout (tests point it at a temporary copy).

``hooks/figures.py`` adds these files to MkDocs' file collection, so nothing is written into
``docs/``. Authors who want to look at them outside a build can run::

    python -m kfguide.builders.figures --out /tmp/figures
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath
from typing import Callable

from kfguide import ROOT
from kfguide.model.kfui import AliasError, KfuiAlias, load
from kfguide.builders.terminal import COMMAND, OUTPUT, render_terminal_svg

KFUI_TERMINAL = "images/kfui-terminal.svg"

#: Accessible name and window title of the kfui figure, per language.
KFUI_TITLES = {
    "ko": "터미널에서 kfui를 실행한 결과",
    "en": "Running kfui in a terminal",
}


def kfui_session(alias: KfuiAlias) -> list[tuple[str, str]]:
    """The session the pages show: the command, then what ``kubectl port-forward`` prints."""
    kinds = {"command": COMMAND, "output": OUTPUT}
    return [(kinds[kind], text) for kind, text in alias.session()]


def kfui_terminal_svg(alias: KfuiAlias, lang: str) -> bytes:
    return render_terminal_svg(
        kfui_session(alias), KFUI_TITLES[lang], lang, id_prefix=f"kfui-terminal-{lang}"
    ).encode("utf-8")


def localized_uri(src_uri: str, lang: str, default_lang: str = "ko") -> str:
    """``images/x.svg`` -> ``images/x.en.svg`` for a non-default language (static-i18n suffix)."""
    if lang == default_lang:
        return src_uri
    path = PurePosixPath(src_uri)
    return str(path.with_name(f"{path.stem}.{lang}{path.suffix}"))


def _variants(name: str) -> dict[str, Callable[[Path], bytes]]:
    return {
        localized_uri(name, lang): (lambda root, lang=lang: kfui_terminal_svg(load(root), lang))
        for lang in KFUI_TITLES
    }


_RENDERERS: dict[str, Callable[[Path], bytes]] = _variants(KFUI_TERMINAL)

#: Every build-generated file: docs-relative src_uri -> bytes for the repository at ROOT.
GENERATED: dict[str, Callable[[], bytes]] = {
    uri: (lambda render=render: render(ROOT)) for uri, render in _RENDERERS.items()
}


def generated_files(root: Path = ROOT) -> dict[str, bytes]:
    """Render every generated file for the checkout at ``root``; raise AliasError if the snippet is bad."""
    return {uri: render(Path(root)) for uri, render in sorted(_RENDERERS.items())}


def split_locale(src_uri: str, locales: set[str] | frozenset[str]) -> tuple[str, str | None]:
    """``images/x.en.svg`` -> (``images/x.svg``, ``en``); unsuffixed -> (src_uri, None)."""
    path = PurePosixPath(src_uri)
    stem, dot, locale = path.stem.rpartition(".")
    if dot and locale in locales:
        return str(path.with_name(stem + path.suffix)), locale
    return src_uri, None


def for_language(
    files: dict[str, bytes], lang: str, default_lang: str, locales: set[str] | frozenset[str]
) -> dict[str, tuple[str, bytes]]:
    """Pick each figure's variant for one language build.

    Returns ``{neutral src_uri: (chosen src_uri, bytes)}``: the ``.lang`` variant if there is
    one, else the default-language file. This mirrors what static-i18n does for assets in
    ``docs/`` (``fallback_to_default``).
    """
    chosen: dict[str, tuple[str, bytes, int]] = {}
    for uri, data in files.items():
        neutral, locale = split_locale(uri, locales)
        rank = 2 if locale == lang else 1 if locale in (None, default_lang) else 0
        if rank and rank > chosen.get(neutral, ("", b"", 0))[2]:
            chosen[neutral] = (uri, data, rank)
    return {neutral: (uri, data) for neutral, (uri, data, _rank) in sorted(chosen.items())}


def dest_uri(neutral_uri: str, lang: str, default_lang: str) -> str:
    """Where a figure lands in the site: ``images/x.svg``, or ``en/images/x.svg`` for English."""
    return neutral_uri if lang == default_lang else f"{lang}/{neutral_uri}"


def main(argv: list[str] | None = None) -> int:
    import argparse  # noqa: PLC0415 - only the command line needs it, not every build

    parser = argparse.ArgumentParser(
        prog="python -m kfguide.builders.figures",
        description="Write the build-generated figures to a folder, to look at them.",
    )
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        files = generated_files(args.root)
    except AliasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for uri, data in files.items():
        target = args.out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
