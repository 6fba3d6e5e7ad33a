"""What Python-Markdown really renders: the link and image targets of a page, as MkDocs' own
Markdown conversion produces them (the extensions and settings of mkdocs.yml, snippets
expanded), for the differential test (tests/test_differential.py) and bench/parser_compare.py.

Only what an author wrote counts: the permalink anchors toc adds to headings, footnote
reference and back-reference links, and emoji images are the extensions' own output and are
left out. Raw HTML ``<a href>``, ``<img src>`` and every ``srcset`` entry count, as the
scanner reports them.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
_GENERATED_CLASSES = {"headerlink", "footnote-ref", "footnote-backref", "twemoji", "emojione", "gemoji"}


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._skip_depth = 0  # inside <sup class="footnote-ref"> and similar wrappers

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        if classes & _GENERATED_CLASSES:
            return
        if tag == "a" and "href" in values:
            self.found.append(("link", values["href"] or ""))
        if tag == "img" and "src" in values:
            self.found.append(("image", values["src"] or ""))
        if tag in ("img", "source") and values.get("srcset"):
            for entry in values["srcset"].split(","):
                url = entry.strip().split()[0] if entry.strip() else ""
                if url:
                    self.found.append(("image", url))

    handle_startendtag = handle_starttag


def targets_in_html(html: str) -> Counter:
    parser = _Targets()
    parser.feed(html)
    parser.close()
    return Counter(parser.found)


@contextmanager
def _cwd(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


class Renderer:
    """Python-Markdown configured exactly as mkdocs.yml configures it."""

    def __init__(self, config_file: Path = ROOT / "mkdocs.yml"):
        from mkdocs.config import load_config

        self.root = Path(config_file).resolve().parent
        with _cwd(self.root):
            config = load_config(str(config_file))
        self.extensions = config["markdown_extensions"]
        self.configs = config["mdx_configs"]
        snippets = self.configs.get("pymdownx.snippets", {})
        if snippets:
            bases = snippets.get("base_path") or ["."]
            bases = [bases] if isinstance(bases, str) else bases
            snippets["base_path"] = [str(self.root / b) for b in bases]
            snippets["check_paths"] = False  # a missing snippet is the checks' finding, not a crash here

    def html(self, source: str) -> str:
        md = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
        with _cwd(self.root):
            return md.convert(source)

    def targets(self, source: str) -> Counter:
        return targets_in_html(self.html(_strip_front_matter(source)))


def _strip_front_matter(source: str) -> str:
    """MkDocs removes YAML front matter before converting (mkdocs.utils.meta.get_data)."""
    from mkdocs.utils import meta

    return meta.get_data(source)[0]
