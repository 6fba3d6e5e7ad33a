"""Image checks over a :class:`kfguide.model.site.Site` (pure functions, no MkDocs).

Markdown images (``![alt](src)``, reference images) resolve like MkDocs does: relative to the
Markdown file, per language (``images/x.png`` in an ``en`` page is ``images/x.en.png`` when that
file exists). Raw HTML (``<img src>``, ``<source srcset>``) is not rewritten by MkDocs, so it
resolves against the page's URL in the built site: with ``use_directory_urls`` the page
``dashboard.md`` is served from ``/dashboard/`` and its English fallback from ``/en/dashboard/``.

Check ids:

``image-missing``          the file does not exist
``image-case-mismatch``    a file exists whose name differs only by letter case
``image-normalization``    a file exists whose name differs only by NFC/NFD normalization
``image-outside-docs``     the path leaves the docs folder (or the site, for raw HTML)
``image-absolute``         ``/images/x.png``: breaks under a sub-path site_url (PR previews)
``image-dirurl-raw-html``  raw HTML path that exists next to the Markdown file but not at the URL
``image-alt-missing``      no or empty alt text
``image-unused``           image in docs/ that no page uses (warning)
``image-not-image``        the bytes are not what the extension says (warning)
``image-too-large``        larger than the budget, 300 KB by default (warning)
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from kfguide.checks.links import NameIndex, _missing, is_external, merge_contexts, normalize, rel_link, split_target
from kfguide.model.findings import WARNING, Finding
from kfguide.model.markdown import Document, Link
from kfguide.model.site import Site, sniff_image

#: Folders whose images belong to the theme or CSS, not to pages (never "unused").
ASSET_FOLDERS = ("assets/", "stylesheets/", "javascripts/", "overrides/")

_EXPECTED = {
    ".png": {"png"},
    ".jpg": {"jpeg"},
    ".jpeg": {"jpeg"},
    ".gif": {"gif"},
    ".svg": {"svg"},
    ".webp": {"webp"},
    ".avif": {"avif"},
    ".ico": {"ico", "png"},
    ".bmp": {"bmp"},
}


def check_images(site: Site) -> list[Finding]:
    out: list[Finding] = []
    used: set[str] = set()
    for src in sorted(site.pages):
        doc = site.pages[src]
        contexts = site.contexts(src)
        if not contexts:
            continue
        for link in doc.links:
            if link.is_image:
                out.extend(_alt(src, link))
                out.extend(merge_contexts(list(_check_image(site, src, lang, doc, link, used)) for lang in contexts))
            elif not is_external(link.target):
                _mark_linked(site, src, contexts, link, used)
    used.update(_referenced_outside_pages(site))
    out.extend(check_image_files(site, used))
    return out


_TEXT_ASSETS = (".css", ".html", ".js", ".svg")


def _referenced_outside_pages(site: Site) -> set[str]:
    """Images named in CSS, HTML or JS files of docs/, in overrides/ templates or in
    mkdocs.yml (logo, favicon): those are used even though no page links them."""
    texts: list[str] = []
    if site.docs_dir is not None:
        for path in site.files:
            if path.endswith(_TEXT_ASSETS) and not site.files[path].is_image:
                try:
                    texts.append((site.docs_dir / path).read_text("utf-8", errors="replace"))
                except OSError:
                    pass
    if site.root is not None:
        for extra in [site.root / "mkdocs.yml", *sorted((site.root / "overrides").rglob("*.html"))]:
            try:
                texts.append(extra.read_text("utf-8", errors="replace"))
            except OSError:
                pass
    if not texts:
        return set()
    blob = "\n".join(texts)
    return {path for path, info in site.files.items()
            if info.is_image and posixpath.basename(path) in blob}


def _alt(src: str, link: Link) -> list[Finding]:
    if link.kind == "html-srcset":
        return []
    if link.text is None or not link.text.strip():
        name = posixpath.basename(split_target(link.target)[0]) or link.target
        how = "<img ... alt=\"...\">" if link.kind == "html-img" else "![설명](...)"
        what = "has no alt attribute" if link.text is None else "has empty alt text"
        return [Finding(src, link.line, "image-alt-missing", f"image '{name}' {what}",
                        f"describe what the image shows for screen readers: {how}")]
    return []


def _mark_linked(site: Site, src: str, contexts: list[str], link: Link, used: set[str]) -> None:
    """A Markdown link to an image file (e.g. a full-size version) also uses it."""
    path, _, _ = split_target(link.target.strip())
    if not path or path.startswith("/"):
        return
    if link.is_raw_html:
        base = site.files[src].base
        for lang in contexts:
            resolved = normalize(posixpath.join(site.page_dir_url(base, lang), path))
            used.update(_site_path_files(site, resolved, lang))
        return
    resolved = normalize(posixpath.join(posixpath.dirname(src), path))
    for lang in contexts:
        found = site.resolve(resolved, lang)
        if found:
            used.add(found)


def _site_path_files(site: Site, site_path: str, lang: str) -> set[str]:
    prefix = site.prefix(lang)
    out = set()
    if site_path in site.files:
        out.add(site_path)
    if prefix and site_path.startswith(prefix):
        stem, ext = posixpath.splitext(site_path[len(prefix):])
        out.add(f"{stem}.{lang}{ext}")
    return out


def _f(src: str, link: Link, check: str, message: str, hint: str = "", severity: str = "error") -> Finding:
    return Finding(src, link.line, check, message, hint, severity)


def _closest_image(site: Site, resolved: str, src: str) -> str:
    cached = site.__dict__.get("_image_stems")
    if cached is None:
        by_name: dict[str, str] = {}
        for p in sorted(p for p, info in site.files.items() if info.is_image and not info.dropped_locale):
            by_name.setdefault(posixpath.splitext(posixpath.basename(p))[0], p)
        cached = site.__dict__["_image_stems"] = (by_name, NameIndex(by_name))
    by_name, index = cached
    stem = posixpath.splitext(posixpath.basename(resolved))[0]
    close = index.closest(stem, cutoff=0.75)
    if close:
        return f"did you mean '{rel_link(src, by_name[close[0]])}'"
    return f"add the file as docs/{resolved if not resolved.startswith('..') else 'images/' + posixpath.basename(resolved)}"


def _check_image(site: Site, src: str, lang: str, doc: Document, link: Link, used: set[str]) -> Iterator[Finding]:
    target = link.target.strip()
    if is_external(target):
        return
    if not target:
        yield _f(src, link, "image-missing", "image has no source path", "write ![설명](images/file.png)")
        return
    path, _, _ = split_target(target)
    if path.startswith("/"):
        yield _f(src, link, "image-absolute",
                 f"absolute image path '{path}' breaks when the site is served under a sub-path (PR previews)",
                 f"use a path relative to the page, e.g. ![설명]({rel_link(src, path.lstrip('/'))})")
        return
    if link.is_raw_html:
        yield from _check_raw_image(site, src, lang, link, path, used)
        return
    resolved = normalize(posixpath.join(posixpath.dirname(src), path))
    if resolved == ".." or resolved.startswith("../"):
        inside = _same_name_inside(site, resolved)
        yield _f(src, link, "image-outside-docs",
                 f"'{path}' leaves the docs folder (from {src} it points at {resolved}); MkDocs does not copy it",
                 f"use '{rel_link(src, inside)}'" if inside else "put the image under docs/images/ and link it relative to the page")
        return
    found = site.resolve(resolved, lang)
    if found is not None:
        used.add(found)
        return
    info = site.files.get(resolved)
    if info is not None and info.generated:
        return
    near = list(_missing(site, src, lang, link, resolved, path, "image"))
    if near:
        yield from near
        return
    yield _f(src, link, "image-missing", f"image '{path}' does not exist (no docs/{resolved})",
             _closest_image(site, resolved, src))


def _same_name_inside(site: Site, resolved: str) -> str | None:
    by_name = site.__dict__.get("_image_names")
    if by_name is None:
        by_name = {}
        for path, info in sorted(site.files.items()):
            if info.is_image and not info.dropped_locale:
                by_name.setdefault(posixpath.basename(path), path)
        site.__dict__["_image_names"] = by_name
    return by_name.get(posixpath.basename(resolved))


def _check_raw_image(site: Site, src: str, lang: str, link: Link, path: str, used: set[str]) -> Iterator[Finding]:
    base = site.files[src].base
    url_dir = site.page_dir_url(base, lang)
    resolved = normalize(posixpath.join(url_dir, path))
    docs_rel = normalize(posixpath.join(posixpath.dirname(src), path))
    tag = "<source srcset>" if link.kind == "html-srcset" else "<img src>"
    if resolved in site.site_paths:
        used.update(_site_path_files(site, resolved, lang))
        return
    if any(site.files[p].generated for p in (resolved, docs_rel) if p in site.files):
        return
    if resolved == ".." or resolved.startswith("../"):
        yield _f(src, link, "image-outside-docs",
                 f"raw HTML {tag} '{path}' leaves the site (the page is served from /{url_dir})",
                 f"use Markdown: ![설명]({path.lstrip('./')})")
        return
    if not docs_rel.startswith("..") and site.resolve(docs_rel, lang):
        used.add(site.resolve(docs_rel, lang))  # type: ignore[arg-type]
        yield _f(src, link, "image-dirurl-raw-html",
                 f"raw HTML {tag} '{path}' exists next to {src}, but MkDocs does not rewrite raw HTML and the page "
                 f"is served from /{url_dir} (directory URLs), so the browser requests /{resolved}, which does not exist",
                 f"use Markdown, which MkDocs rewrites for every language: ![설명]({path})")
        return
    # where the author probably meant the file to be: the site path in the default build
    default_dir = site.page_dir_url(base, site.config.default_language)
    meant = normalize(posixpath.join(default_dir, path))
    if not meant.startswith("..") and site.resolve(meant, lang):
        site_file = site.resolve(meant, lang)
        used.add(site_file)  # type: ignore[arg-type]
        yield _f(src, link, "image-dirurl-raw-html",
                 f"raw HTML {tag} '{path}' works at /{default_dir} but in the {lang} build the page is served from "
                 f"/{url_dir}, so the browser requests /{resolved}, which does not exist",
                 f"use Markdown, which MkDocs rewrites for every language: ![설명]({rel_link(src, site_file)})")
        return
    for cand in (docs_rel, meant):
        if cand.startswith(".."):
            continue
        near = list(_missing(site, src, lang, link, cand, path, "image"))
        if near:
            yield from near
            return
    shown = docs_rel if not docs_rel.startswith("..") else meant
    yield _f(src, link, "image-missing", f"image '{path}' does not exist (no docs/{shown})",
             _closest_image(site, shown, src))


def check_image_files(site: Site, used: set[str] | None = None) -> list[Finding]:
    """Per-file checks: real type, size budget, and (when ``used`` is given) unused images."""
    out: list[Finding] = []
    budget = site.config.image_budget
    for path, info in sorted(site.files.items()):
        if not info.is_image or info.generated:
            continue
        ext = posixpath.splitext(path)[1].lower()
        if info.head or info.size:
            kind = sniff_image(info.head)
            expected = _EXPECTED.get(ext, set())
            if kind is None or (kind not in expected and not (kind == "svg?" and "svg" in expected)):
                what = f"a {kind.rstrip('?')} file" if kind else "not an image format browsers show"
                out.append(Finding(path, 0, "image-not-image", f"the file is {what}, not {ext[1:].upper()}",
                                   f"convert it or rename it to its real extension", WARNING))
        if info.size > budget:
            out.append(Finding(path, 0, "image-too-large",
                               f"image is {info.size / 1024:.0f} KB (budget {budget // 1024} KB)",
                               "crop or compress it (pngquant, or SVG for diagrams)", WARNING))
        if used is not None and path not in used and not info.dropped_locale \
                and not path.startswith(ASSET_FOLDERS) and "/assets/" not in path:
            out.append(Finding(path, 0, "image-unused", "no page uses this image",
                               "link it from a page or delete it", WARNING))
    return out
