"""Link and anchor checks over a :class:`kfguide.model.site.Site` (pure functions, no MkDocs).

Every link a page source holds (Markdown inline and reference links, raw HTML ``<a href>``)
is checked in each language build that renders that source: a Korean page without an English
translation is also rendered in the ``en`` build (static-i18n fallback), where ``x.md`` means
``x.en.md`` when it exists. A problem is reported once, under the source file, at the line of
the link.

Check ids:

``link-missing-page``      the target file does not exist (or static-i18n drops it)
``link-missing-anchor``    the target page has no such id
``link-bad-fragment``      the fragment can never be an id (spaces, a file name, heading text)
``link-case-mismatch``     a file exists whose name differs only by letter case
``link-normalization``     a file exists whose name differs only by Unicode normalization
``link-search-redirect``   a search-engine results link instead of the real page
``link-outside-docs``      a relative path that leaves the docs folder
``link-absolute``          ``/path`` links (break under a sub-path site_url, e.g. PR previews)
``link-directory``         a folder or URL instead of the ``.md`` file (MkDocs cannot check it)
``link-raw-html-md``       raw HTML ``<a href="x.md">`` (MkDocs does not rewrite raw HTML)
``link-dirurl-raw-html``   raw HTML path that only works next to the Markdown file
``link-empty``             ``[text]()``
``link-undefined-ref``     ``[text][label]`` whose label has no definition
"""

from __future__ import annotations

import difflib
import posixpath
import re
import unicodedata
from typing import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from kfguide.model.findings import Finding
from kfguide.model.markdown import Document, Link, slugify
from kfguide.model.site import Site

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_external(target: str) -> bool:
    return bool(_SCHEME.match(target)) or target.startswith("//")


def split_target(target: str) -> tuple[str, str, bool]:
    """``(path, fragment, has_fragment)``, both percent-decoded; the query is dropped."""
    path, hash_, frag = target.partition("#")
    path = path.split("?", 1)[0]
    return unquote(path), unquote(frag), bool(hash_)


def rel_link(src: str, target: str) -> str:
    """How a page at ``src`` links to docs path ``target``."""
    folder = posixpath.dirname(src) or "."
    return posixpath.relpath(target, folder)


def normalize(path: str) -> str:
    return posixpath.normpath(path) if path else path


# ---------------------------------------------------------------------------------------------
# Search-engine redirects

_SEARCH_HOSTS = (
    (re.compile(r"(^|\.)google\.[a-z.]+$"), ("/search", "/url"), ("q", "query")),
    (re.compile(r"(^|\.)bing\.com$"), ("/search",), ("q",)),
    (re.compile(r"^search\.naver\.com$"), ("/search.naver",), ("query",)),
    (re.compile(r"^search\.daum\.net$"), ("/search",), ("q",)),
    (re.compile(r"(^|\.)duckduckgo\.com$"), ("/", ""), ("q",)),
    (re.compile(r"^search\.yahoo\.com$"), ("/search",), ("p",)),
)


def search_redirect(url: str) -> str | None:
    """The search terms when ``url`` is a search-engine results page, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for host_re, paths, params in _SEARCH_HOSTS:
        if host_re.search(host) and parts.path in paths:
            query = parse_qs(parts.query)
            for name in params:
                if query.get(name):
                    return query[name][0]
            if parts.path not in ("/", ""):
                return ""
    return None


# ---------------------------------------------------------------------------------------------
# Hints

_WORD = re.compile(r"[a-z0-9]+|[\uac00-\ud7a3]+")


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(unicodedata.normalize("NFC", text).lower()))


def _score(a: str, b: str) -> float:
    a_l, b_l = a.lower(), b.lower()
    ratio = difflib.SequenceMatcher(None, a_l, b_l).ratio()
    ta, tb = _tokens(a), _tokens(b)
    overlap = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
    return max(ratio, overlap * 1.1)


class _HintIndex:
    """Per-language lookup tables for hints, built once per site (hints must stay cheap when
    a 1,000-page site has hundreds of broken links)."""

    MAX_CANDIDATES = 40

    def __init__(self, site: Site, lang: str):
        self.pages: list[tuple[str, str, str, str]] = []  # (base, source, title, name)
        self.page_tokens: dict[str, set[int]] = {}
        self.headings: list[tuple[str, str, str, str]] = []  # (base, source, id, text)
        self.heading_tokens: dict[str, set[int]] = {}
        self.by_slug: dict[str, int] = {}
        self.names: NameIndex | None = None
        self.name_pages: dict[str, tuple[str, str, str]] = {}
        for base, source in sorted(site.page_sources.get(lang, {}).items()):
            doc = site.pages.get(source)
            title = (doc.title if doc else None) or base
            name = posixpath.splitext(posixpath.basename(base))[0].replace("-", " ")
            index = len(self.pages)
            self.pages.append((base, source, title, name))
            for token in _tokens(title) | _tokens(name):
                self.page_tokens.setdefault(token, set()).add(index)
            for heading in doc.headings if doc else ():
                h_index = len(self.headings)
                self.headings.append((base, source, heading.id, heading.text))
                for key in (heading.id, slugify(heading.text)):
                    self.by_slug.setdefault(key, h_index)
                for token in _tokens(heading.text) | _tokens(heading.id):
                    self.heading_tokens.setdefault(token, set()).add(h_index)

    @staticmethod
    def _candidates(tokens: set[str], postings: dict[str, set[int]], limit: int) -> list[int]:
        counts: dict[int, int] = {}
        for token in tokens:
            for item in postings.get(token, ()):
                counts[item] = counts.get(item, 0) + 1
        return sorted(counts, key=lambda item: (-counts[item], item))[:limit]

    def closest_page(self, words: str, exclude: str) -> tuple[str, str] | None:
        best: tuple[float, str, str] | None = None
        for index in self._candidates(_tokens(words), self.page_tokens, self.MAX_CANDIDATES):
            base, source, title, name = self.pages[index]
            if source == exclude:
                continue
            score = max(_score(words, title), _score(words, name))
            if best is None or score > best[0]:
                best = (score, base, title)
        if best is None:  # no shared word: compare file names
            if self.names is None:
                self.names = NameIndex(name for _, _, _, name in self.pages)
                self.name_pages = {name: (base, title, source) for base, source, title, name in self.pages}
            close = self.names.closest(words.lower(), cutoff=0.6)
            if close and self.name_pages[close[0]][2] != exclude:
                return self.name_pages[close[0]][:2]
            return None
        return (best[1], best[2]) if best[0] >= 0.45 else None

    def heading_elsewhere(self, words: str, slug: str, exclude: str) -> tuple[str, str, str] | None:
        """``(base, id, text)`` of a heading on another page that ``words`` names."""
        index = self.by_slug.get(slug)
        if index is not None and self.headings[index][1] != exclude:
            base, _, hid, text = self.headings[index]
            return base, hid, text
        best = None
        for index in self._candidates(_tokens(words), self.heading_tokens, self.MAX_CANDIDATES):
            base, source, hid, text = self.headings[index]
            if source == exclude:
                continue
            score = max(_score(words, text), _score(words, hid))
            if score >= 0.75 and (best is None or score > best[0]):
                best = (score, base, hid, text)
        return best[1:] if best else None


class NameIndex:
    """Closest-name lookups over many names via a trigram index (difflib on a few candidates)."""

    def __init__(self, names):
        self.names = sorted(set(names))
        self.grams: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            for gram in self._grams(name):
                self.grams.setdefault(gram, []).append(index)

    @staticmethod
    def _grams(name: str) -> set[str]:
        text = f"  {name.lower()} "
        return {text[i:i + 3] for i in range(len(text) - 2)}

    def closest(self, name: str, cutoff: float = 0.6, candidates: int = 20) -> list[str]:
        counts: dict[int, int] = {}
        for gram in self._grams(name):
            for index in self.grams.get(gram, ()):
                counts[index] = counts.get(index, 0) + 1
        best = sorted(counts, key=lambda index: (-counts[index], index))[:candidates]
        return difflib.get_close_matches(name, [self.names[i] for i in best], n=1, cutoff=cutoff)


def _hints(site: Site, lang: str) -> _HintIndex:
    cache = site.__dict__.setdefault("_hint_index", {})
    if lang not in cache:
        cache[lang] = _HintIndex(site, lang)
    return cache[lang]


def closest_page(site: Site, lang: str, words: str, src: str) -> tuple[str, str] | None:
    """``(base path, title)`` of the page whose title or file name best matches ``words``."""
    words = re.sub(r"\.md$", "", words.strip(), flags=re.I)
    return _hints(site, lang).closest_page(words, src)


def anchor_hint(site: Site, lang: str, src: str, fragment: str, target: str, doc: Document | None) -> str:
    """What the author probably meant by ``#fragment`` on page ``target``."""
    words = re.sub(r"\.md$", "", fragment.strip(), flags=re.I)
    looks_like_file = fragment.strip().lower().endswith(".md")
    target_base = site.files[target].base if target in site.files else target
    if looks_like_file:
        page = closest_page(site, lang, words, src)
        if page:
            return f"link the page itself: [{page[1]}]({rel_link(src, page[0])})"
    slug = slugify(words)
    same_page = target == src
    where = "" if same_page else rel_link(src, target_base)
    if doc is not None:
        if slug in doc.ids and slug != fragment:
            return f"the id is #{slug}: ({where}#{slug})"
        best = _best_heading(doc, words)
        if best is not None:
            heading, score = best
            if score >= 0.6:
                return f"closest heading here is '{heading.text}': use ({where}#{heading.id})"
    # the heading may be on another page
    elsewhere = _hints(site, lang).heading_elsewhere(words, slug, target)
    if elsewhere:
        base, hid, text = elsewhere
        return f"'{text}' is a heading on {base}: use ({rel_link(src, base)}#{hid})"
    if doc is not None:
        close = difflib.get_close_matches(fragment, sorted(doc.ids), n=1, cutoff=0.6)
        if close:
            return f"closest id here is #{close[0]}"
    if not looks_like_file:
        page = closest_page(site, lang, words, src)
        if page and _score(words, page[1]) >= 0.6:
            return f"did you mean the page [{page[1]}]({rel_link(src, page[0])})"
    if doc is not None and doc.headings:
        return "ids on that page: " + ", ".join("#" + h.id for h in doc.headings[:6])
    return "add an explicit id to the heading: ## 제목 {#my-id}"


def _best_heading(doc: Document, words: str):
    best = None
    for heading in doc.headings:
        score = max(_score(words, heading.text), _score(words, heading.id))
        if best is None or score > best[1]:
            best = (heading, score)
    return best


def fragment_problem(fragment: str) -> str | None:
    """Why ``fragment`` can never be an element id (None when it could be one)."""
    if fragment.strip().lower().endswith(".md") or ".md#" in fragment.lower():
        return "it is a file name, not an id"
    if any(ch.isspace() for ch in fragment):
        return "ids never contain spaces (it looks like heading text)"
    return None


# ---------------------------------------------------------------------------------------------
# The check


def check_links(site: Site) -> list[Finding]:
    """Link and anchor findings for every page source of ``site``."""
    out: list[Finding] = []
    for src in sorted(site.pages):
        doc = site.pages[src]
        contexts = site.contexts(src)
        if not contexts:
            continue
        for ref in doc.undefined_refs:
            out.append(Finding(src, ref.line, "link-undefined-ref",
                               f"[{ref.text}][{ref.ref}] uses the reference '{ref.ref}', which is not defined; "
                               "the brackets render as plain text",
                               f"add a line '[{ref.ref}]: target.md' or write [{ref.text}](target.md)"))
        for link in doc.links:
            if link.is_image:
                continue
            out.extend(merge_contexts(check_link(site, src, lang, doc, link) for lang in contexts))
    return out


def merge_contexts(results) -> list[Finding]:
    """One finding per check for a link evaluated in several language builds (first wins)."""
    seen: dict[str, Finding] = {}
    for findings in results:
        for finding in findings:
            seen.setdefault(finding.check, finding)
    return list(seen.values())


def check_link(site: Site, src: str, lang: str, doc: Document, link: Link) -> list[Finding]:
    return list(_check_link(site, src, lang, doc, link))


def _f(src: str, link: Link, check: str, message: str, hint: str = "") -> Finding:
    return Finding(src, link.line, check, message, hint)


def _check_link(site: Site, src: str, lang: str, doc: Document, link: Link) -> Iterator[Finding]:
    target = link.target.strip()
    if link.kind == "autolink" or is_external(target):
        terms = search_redirect(target)
        if terms is not None:
            what = f" for '{terms}'" if terms else ""
            yield _f(src, link, "link-search-redirect",
                     f"link to a search-engine results page{what} instead of the page itself",
                     f"link the official page the search leads to{(' (search: ' + terms + ')') if terms else ''}")
        return
    if not target:
        yield _f(src, link, "link-empty", "link has no target", "write [text](page.md) or remove the brackets")
        return
    path, fragment, has_fragment = split_target(target)
    if link.is_raw_html:
        yield from _check_raw_link(site, src, lang, doc, link, path, fragment, has_fragment)
        return
    if path.startswith("/"):
        yield _f(src, link, "link-absolute",
                 f"absolute link '{target}' breaks when the site is served under a sub-path (PR previews)",
                 "link the Markdown file with a relative path, e.g. [text](page.md)")
        return
    if not path:
        yield from _check_anchor(site, src, lang, link, fragment, src, doc, has_fragment)
        return
    resolved = normalize(posixpath.join(posixpath.dirname(src), path))
    if resolved == ".." or resolved.startswith("../"):
        yield _f(src, link, "link-outside-docs",
                 f"'{path}' leaves the docs folder (from {src} it points at {resolved})",
                 "link a file inside docs/ with a path relative to this page")
        return
    stem_ext = posixpath.splitext(resolved)[1]
    if path.endswith("/") or resolved == "." or not stem_ext:
        candidates = [c for c in (f"{resolved}.md", f"{resolved}/index.md", "index.md" if resolved == "." else "")
                      if c and site.resolve(c, lang)]
        hint = f"link the file: ({rel_link(src, candidates[0])}{'#' + fragment if has_fragment else ''})" if candidates else \
            "link the .md file of the page"
        yield _f(src, link, "link-directory",
                 f"'{target}' is a folder or URL, not a file; MkDocs cannot check or rewrite it", hint)
        return
    found = site.resolve(resolved, lang)
    if found is None:
        info = site.files.get(resolved)
        if info is not None and info.generated:
            return
        yield from _missing(site, src, lang, link, resolved, path, "link")
        return
    if found.endswith(".md") and has_fragment:
        yield from _check_anchor(site, src, lang, link, fragment, found, site.pages.get(found), has_fragment)


def _missing(site: Site, src: str, lang: str, link: Link, resolved: str, written: str, kind: str) -> Iterator[Finding]:
    """Findings for a target that does not exist: case/normalization near misses first."""
    stem, ext = posixpath.splitext(resolved)
    for cand in (resolved, f"{stem}.{lang}{ext}"):
        for near in site.near_misses(cand):
            if site.files[near].dropped_locale:
                continue
            if unicodedata.normalize("NFC", near) == unicodedata.normalize("NFC", cand):
                yield _f(src, link, f"{kind}-normalization",
                         f"'{written}' differs from the existing file '{near}' only in Unicode normalization "
                         "(NFD vs NFC Hangul, as macOS writes names); the web server treats them as different",
                         f"rename the file to NFC or write the link with the exact name '{rel_link(src, near)}'")
            else:
                yield _f(src, link, f"{kind}-case-mismatch",
                         f"'{written}' differs from the existing file '{near}' only in letter case; "
                         "it works on macOS but not on the Linux web server",
                         f"use '{rel_link(src, near)}'")
            return
    info = site.files.get(resolved)
    if info is not None and info.dropped_locale:
        yield _f(src, link, f"{kind}-missing" if kind == "image" else "link-missing-page",
                 f"'{written}' exists but static-i18n drops it from the site (see file-dropped)",
                 "rename the file so its second suffix is not a two-letter language code")
        return
    if kind == "image":
        return  # images.py words its own message
    hint = ""
    # only pages that exist in this language's build: a page whose default-language file was
    # deleted but whose translation is left is not a page here (it used to be suggested)
    by_lang = site.__dict__.setdefault("_page_bases", {})
    names = by_lang.get(lang)
    if names is None:
        names = by_lang[lang] = NameIndex(site.page_sources.get(lang, {}))
    close = [name for name in names.closest(resolved, cutoff=0.8) if name != resolved]
    if close:
        hint = f"did you mean ({rel_link(src, close[0])})"
    else:
        page = closest_page(site, lang, posixpath.basename(stem), src)
        hint = f"did you mean ({rel_link(src, page[0])})" if page else "check the file name"
    yield _f(src, link, "link-missing-page", f"'{written}' does not exist (no docs/{resolved})", hint)


def _check_anchor(site: Site, src: str, lang: str, link: Link, fragment: str, target: str,
                  doc: Document | None, has_fragment: bool) -> Iterator[Finding]:
    if not has_fragment or not fragment or doc is None:
        return  # '#' alone is the top of the page; generated pages have unknown ids
    if fragment in doc.ids:
        return
    nfc = unicodedata.normalize("NFC", fragment)
    if nfc != fragment and nfc in doc.ids:
        yield _f(src, link, "link-normalization",
                 f"'#{fragment}' is NFD-decomposed Hangul; the id is NFC", f"retype it as #{nfc}")
        return
    hint = anchor_hint(site, lang, src, fragment, target, doc)
    problem = fragment_problem(fragment)
    where = "this page" if target == src else target
    context = ""
    if lang != site.config.default_language and target != src:
        default_target = site.resolve(target_base(site, target), site.config.default_language)
        if default_target != target:
            context = f"in the {lang} build, "
        elif site.files.get(src) and site.files[src].localization is None and site.config.i18n:
            context = ""
    if problem:
        yield _f(src, link, "link-bad-fragment", f"'#{fragment}' can never be an id: {problem}", hint)
        return
    extra = ""
    if context:
        extra = f"; {target_base(site, target)} is {target} there, and ids are not translated"
        hint = f"give the heading the same explicit id in both languages: ## ... {{#{fragment}}}"
    yield _f(src, link, "link-missing-anchor", f"{context}{where} has no anchor '#{fragment}'{extra}", hint)


def target_base(site: Site, target: str) -> str:
    info = site.files.get(target)
    return info.base if info else target


def _check_raw_link(site: Site, src: str, lang: str, doc: Document, link: Link, path: str,
                    fragment: str, has_fragment: bool) -> Iterator[Finding]:
    if not path:
        yield from _check_anchor(site, src, lang, link, fragment, src, doc, has_fragment)
        return
    if path.lower().endswith(".md") or ".md/" in path.lower():
        yield _f(src, link, "link-raw-html-md",
                 f"raw HTML <a href=\"{link.target}\"> is not rewritten by MkDocs; the built page links to a .md file that the site does not have",
                 f"write it as Markdown: [text]({link.target})")
        return
    if path.startswith("/"):
        yield _f(src, link, "link-absolute",
                 f"absolute link '{link.target}' breaks when the site is served under a sub-path (PR previews)",
                 "use a Markdown link to the .md file")
        return
    base = site.files[src].base
    url_dir = site.page_dir_url(base, lang)
    resolved = normalize(posixpath.join(url_dir, path))
    if resolved == ".." or resolved.startswith("../"):
        yield _f(src, link, "link-outside-docs", f"'{path}' leaves the site (from /{url_dir})",
                 "use a Markdown link to the .md file")
        return
    target_page = site_page(site, resolved)
    if target_page is None and resolved not in site.site_paths:
        docs_rel = normalize(posixpath.join(posixpath.dirname(src), path))
        if not docs_rel.startswith("..") and site.resolve(docs_rel, lang):
            yield _f(src, link, "link-dirurl-raw-html",
                     f"'{path}' exists next to {src}, but the page is served from /{url_dir} (directory URLs), "
                     f"so the browser requests /{resolved}, which does not exist",
                     f"write it as Markdown: [text]({path})")
            return
        yield _f(src, link, "link-missing-page",
                 f"raw HTML link '{path}' points at nothing in the built site", "use a Markdown link to the .md file")
        return
    if target_page is not None and has_fragment:
        yield from _check_anchor(site, src, lang, link, fragment, target_page, site.pages.get(target_page), True)


def site_page(site: Site, url_path: str) -> str | None:
    """The source page rendered at site path ``url_path`` (``en/dashboard/`` or ``dashboard``)."""
    table = getattr(site, "_url_table", None)
    if table is None:
        table = {}
        for lang in site.config.languages:
            for base, source in site.page_sources[lang].items():
                url = site.prefix(lang) + site.page_url(base)
                table[url.rstrip("/")] = source
                table[(url + "index.html").lstrip("/")] = source
        site._url_table = table  # type: ignore[attr-defined]
    key = url_path.rstrip("/")
    if key == ".":
        key = ""
    return table.get(key)
