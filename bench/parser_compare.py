"""Our scanner against markdown-it-py, with the renderer as the judge (issue 13: "consider a
real parser").

    .venv/bin/python bench/parser_compare.py            # needs markdown-it-py, mdit-py-plugins
    .venv/bin/pip install markdown-it-py==4.3.0 mdit-py-plugins==0.7.0   # not in requirements

For every page the differential test reads (tests/test_differential.py: the real guide, the
check fixtures, the generated page of every construct), three answers to "which link and
image targets does this page have":

* the judge: what Python-Markdown renders with mkdocs.yml's extensions (tests/rendered_links.py);
* kfguide.model.markdown.scan (our scanner, with pymdownx.snippets' folders);
* markdown-it-py 4.3 (CommonMark) with the mdit-py-plugins that cover mkdocs.yml's syntax:
  front matter, footnotes, definition lists, attributes, admonitions, tasklists, containers,
  tables; raw HTML links read from its html_block/html_inline tokens. Includes expanded the way
  the scanner does (kfguide.model.snippets), since markdown-it-py has no snippets plugin.

It prints, per parser, how many pages agree with the judge exactly (same targets, same number
of times), how many targets it misses and invents in total, how many of its targets sit at the
source line the generated page's markers give, and its scan time over the whole corpus
(best of --repeat).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kfguide.model import markdown as markdown_mod  # noqa: E402
from kfguide.model.markdown import scan  # noqa: E402
from kfguide.model.snippets import Snippets, expand  # noqa: E402


def corpus() -> list[tuple[str, str]]:
    import test_differential as diff

    pages = [(p.relative_to(ROOT).as_posix(), p.read_text("utf-8")) for p in diff.pages()]
    pages.append(("generated page", diff.generated_page()))
    return pages


# --- markdown-it-py ------------------------------------------------------------------------------


def _html_targets(html: str) -> list[tuple[str, str]]:
    from rendered_links import targets_in_html

    return list(targets_in_html(html).elements())


def mdit_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt("commonmark").enable("table")
    for plugin in (front_matter_plugin, footnote_plugin, deflist_plugin, attrs_plugin, admon_plugin,
                   tasklists_plugin):
        md.use(plugin)
    md.use(container_plugin, name="tab")
    # keep targets as written (markdown-it-py percent-encodes them; Python-Markdown does not):
    # a difference of spelling, not of which links exist
    md.normalizeLink = lambda url: url
    md.validateLink = lambda url: True
    return md


def mdit_targets(md, source: str, snippets: Snippets) -> list[tuple[str, str, int]]:
    """``(kind, target, line)`` from markdown-it-py's tokens (line: the block's first line,
    plus the newlines before the inline token inside it)."""
    lines = source.replace("\r\n", "\n").split("\n")
    expanded = expand(lines, snippets)
    text = "\n".join(expanded.lines)
    out: list[tuple[str, str, int]] = []
    for token in md.parse(text):
        block_line = token.map[0] if token.map else 0
        if token.type in ("html_block",):
            where = expanded.origin[min(block_line, len(expanded.origin) - 1)]
            out += [(k, t, where) for k, t in _html_targets(_no_script(token.content))]
        if token.type != "inline" or not token.children:
            continue
        offset = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            where = expanded.origin[min(block_line + offset, len(expanded.origin) - 1)]
            if child.type == "link_open":
                out.append(("link", child.attrGet("href") or "", where))
            elif child.type == "image":
                out.append(("image", child.attrGet("src") or "", where))
            elif child.type == "html_inline":
                out += [(k, t, where) for k, t in _html_targets(child.content)]
    return out


def _no_script(html: str) -> str:
    return re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", html)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list each page's differences")
    args = parser.parse_args(argv)
    import test_differential as diff
    from rendered_links import Renderer

    renderer = Renderer()
    renderer.configs.setdefault("pymdownx.snippets", {})["base_path"] = [str(b) for b in diff.SNIPPET_BASES]
    snippets = Snippets(diff.SNIPPET_BASES)
    pages = corpus()
    judge = {name: renderer.targets(text) for name, text in pages}
    generated = dict(pages)["generated page"]
    markers = diff.marker_lines(generated)

    def ours(text):
        return [("image" if link.is_image else "link", link.target, link.line) for link in scan(text, snippets).links]

    parsers = {"kfguide scanner": ours}
    try:
        md = mdit_parser()
        import markdown_it
        import mdit_py_plugins

        label = f"markdown-it-py {markdown_it.__version__} + mdit-py-plugins {mdit_py_plugins.__version__}"
        parsers[label] = lambda text: mdit_targets(md, text, snippets)
    except ImportError:
        print("markdown-it-py / mdit-py-plugins are not installed: only our scanner is measured")

    total = sum(sum(c.values()) for c in judge.values())
    print(f"corpus: {len(pages)} pages, {total} rendered link/image targets\n")
    print(f"{'parser':58} {'pages agree':>12} {'missed':>7} {'invented':>9} {'lines ok':>9} {'scan (s)':>9}")
    for name, run in parsers.items():
        agree = missed = invented = 0
        for page, text in pages:
            got = Counter((k, t) for k, t, _ in run(text))
            agree += got == judge[page]
            missed += sum((judge[page] - got).values())
            invented += sum((got - judge[page]).values())
            if args.verbose and got != judge[page]:
                print(f"  {name} / {page}: missed {sorted((judge[page] - got).elements())[:6]}, "
                      f"invented {sorted((got - judge[page]).elements())[:6]}")
        lines = {t: line for _, t, line in run(generated)}
        lines_ok = sum(1 for target, line in markers.items() if lines.get(target) == line)
        best = float("inf")
        for _ in range(args.repeat):
            markdown_mod._SCANNED.clear()  # the scanner's cache must not answer
            started = time.perf_counter()
            for _, text in pages:
                run(text)
            best = min(best, time.perf_counter() - started)
        print(f"{name:58} {agree:>5}/{len(pages):<6} {missed:>7} {invented:>9} {lines_ok:>4}/{len(markers):<4} {best:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
