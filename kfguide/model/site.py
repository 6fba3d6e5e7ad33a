"""The docs folder as the checks see it: file inventory, scanned pages, i18n resolution.

Nothing here imports MkDocs. :func:`load_site` walks ``docs/`` once, reads every Markdown file
once (cached by path, mtime and size, so a hook that runs per language or a ``serve`` rebuild
does not parse twice) and sniffs the first bytes of image files. :class:`Site` then answers
the questions the checks ask, all from in-memory dicts (no filesystem access per link):

* which file a link ``x.md`` / image ``images/a.png`` written in a page of locale ``L`` means,
  following mkdocs-static-i18n 1.3.1's suffix structure (``x.en.md`` for ``en`` if it exists,
  else the default-language file when ``fallback_to_default``);
* which files static-i18n drops silently (``install.sh.md``, ``arch.ts.png``: the second suffix
  looks like a locale that is not configured);
* which paths exist in the built site (for raw HTML, which MkDocs does not rewrite).

The checks (:mod:`kfguide.checks`) read a :class:`Site`; they never change it, apart from
:func:`add_ids` (ids found in rendered HTML).
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from kfguide.model.findings import Finding
from kfguide.model import yamlsafe
from kfguide.model.markdown import Document, scan
from kfguide.model.snippets import Snippets

#: static-i18n's locale pattern (mkdocs_static_i18n/config.py RE_LOCALE).
RE_LOCALE = re.compile(r"(^[a-z]{2}(-[A-Za-z]{4})?(-[A-Z]{2})?$)|(^[a-z]{2}_[A-Z]{2}$)")

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp"}
#: Pages larger than this are an error: Python-Markdown needs ~20 s for a 1 MB page (ko + en
#: builds) and over 10 minutes for 6 MB, so the hook leaves them out of the build.
PAGE_BUDGET = 1024 * 1024
#: Images larger than this get a warning.
IMAGE_BUDGET = 300 * 1024


@dataclass(frozen=True)
class SiteConfig:
    languages: tuple[str, ...] = ("ko", "en")
    default_language: str = "ko"
    use_directory_urls: bool = True
    fallback_to_default: bool = True
    i18n: bool = True
    image_budget: int = IMAGE_BUDGET
    page_budget: int = PAGE_BUDGET
    #: which pages the style check reads: "all", "changed" (mkdocs serve) or "off"
    style_scope: str = "all"
    #: pymdownx.snippets' base paths (relative to the project folder); () when it is off
    snippet_bases: tuple[str, ...] = ("snippets",)
    snippet_restrict: bool = True
    #: False when mkdocs.yml names a language this model cannot read (a config-invalid finding):
    #: which suffixes static-i18n drops is then unknown
    languages_known: bool = True

    @property
    def other_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != self.default_language)

    @classmethod
    def from_mkdocs_yml(cls, path: Path | str) -> tuple["SiteConfig", str]:
        """The config and docs_dir from mkdocs.yml (custom YAML tags are ignored). Raises
        :class:`ConfigError` on a file that cannot be used; see :func:`read_mkdocs_yml`."""
        config, docs_dir, problems = read_mkdocs_yml(path)
        if config is None:
            raise ConfigError(problems[0][1] if problems else f"{path}: cannot read")
        return config, docs_dir

    @classmethod
    def from_dict(cls, data: Mapping, problems: list[tuple[str, str]] | None = None) -> "SiteConfig":
        """The config from mkdocs.yml's data. Settings of an unexpected shape are left at their
        defaults and described in ``problems`` as ``(dotted key, message)``; never raises."""
        problems = [] if problems is None else problems
        if not isinstance(data, Mapping):
            problems.append(("", "mkdocs.yml is not a mapping of settings"))
            return cls()
        kwargs: dict = {"use_directory_urls": bool(data.get("use_directory_urls", True))}
        i18n = None
        plugins = data.get("plugins") or []
        if isinstance(plugins, Mapping):  # MkDocs also accepts a mapping of plugin: options
            plugins = [{name: value} for name, value in plugins.items()]
        if not isinstance(plugins, list):
            problems.append(("plugins", "'plugins' must be a list"))
            plugins = []
        for plugin in plugins:
            if isinstance(plugin, Mapping) and "i18n" in plugin:
                i18n = plugin["i18n"] or {}
            elif plugin == "i18n":
                i18n = {}
        if i18n is None:
            kwargs.update(i18n=False, languages=("ko",), default_language="ko")
        elif not isinstance(i18n, Mapping):
            problems.append(("plugins.i18n", "the i18n plugin's options must be a mapping"))
        else:
            langs = i18n.get("languages") or []
            if not isinstance(langs, list):
                problems.append(("plugins.i18n.languages", "'languages' must be a list of {locale: ..., ...} entries"))
                kwargs["languages_known"] = False
                langs = []
            good = []
            for index, lang in enumerate(langs):
                if not isinstance(lang, Mapping) or not isinstance(lang.get("locale"), str) or not lang.get("locale"):
                    problems.append((f"plugins.i18n.languages.{index}", "each language needs a 'locale' (e.g. locale: en)"))
                    kwargs["languages_known"] = False
                    continue
                good.append(lang)
            built = [lang for lang in good if lang.get("build", True)]
            default = next((lang["locale"] for lang in good if lang.get("default")), None)
            if built:
                kwargs["languages"] = tuple(lang["locale"] for lang in built)
            if default:
                kwargs["default_language"] = default
            kwargs["fallback_to_default"] = bool(i18n.get("fallback_to_default", True))
        kwargs.update(_snippet_settings(data.get("markdown_extensions")))
        return cls(**kwargs)


class ConfigError(ValueError):
    """mkdocs.yml cannot be used; the message names the file and line."""


class _LenientLoader(yaml.SafeLoader):
    pass


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _snippet_settings(extensions) -> dict:
    """pymdownx.snippets' base paths from mkdocs.yml's markdown_extensions."""
    items = extensions if isinstance(extensions, list) else []
    for item in items:
        name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()), ("", {})) \
            if isinstance(item, Mapping) else ("", {})
        if name != "pymdownx.snippets":
            continue
        options = options if isinstance(options, Mapping) else {}
        bases = options.get("base_path", ["."])
        bases = [bases] if isinstance(bases, str) else [b for b in bases if isinstance(b, str)] \
            if isinstance(bases, list) else ["."]
        return {"snippet_bases": tuple(bases), "snippet_restrict": bool(options.get("restrict_base_path", True))}
    return {"snippet_bases": ()}


def read_mkdocs_yml(path: Path | str) -> tuple[SiteConfig | None, str, list[tuple[int, str]]]:
    """``(config, docs_dir, problems)`` from mkdocs.yml, where each problem is ``(line,
    message)`` at its line in the file. ``config`` is None when the file cannot be read at all
    (not found, not UTF-8, not YAML); settings of an unexpected shape are problems and keep
    their defaults. Never raises."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return None, "docs", [(0, f"cannot read {path.name}: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        return None, "docs", [(1, f"{path.name} is not UTF-8 text ({exc.reason})")]
    problem = yamlsafe.check_events(text, max_depth=yamlsafe.MAX_DEPTH, max_aliases=1000)
    if problem is not None:
        return None, "docs", [(problem.line, f"{path.name} is not valid YAML: {problem.message}")]
    try:
        node = yaml.compose(text, Loader=_LenientLoader)
        data = yaml.load(text, Loader=_LenientLoader) or {}
    except yaml.YAMLError as exc:
        where = yamlsafe.syntax_problem(exc, text)
        return None, "docs", [(where.line, f"{path.name} is not valid YAML: {where.message}")]
    shape: list[tuple[str, str]] = []
    config = SiteConfig.from_dict(data, shape)
    problems = [(_line_of(node, key), message) for key, message in shape]
    docs_dir = data.get("docs_dir") if isinstance(data, Mapping) else None
    if docs_dir is not None and not isinstance(docs_dir, str):
        problems.append((_line_of(node, "docs_dir"), "'docs_dir' must be a folder name"))
        docs_dir = None
    return config, docs_dir or "docs", problems


def _line_of(node, dotted: str) -> int:
    """The line of the setting ``a.b.0.c`` in a composed YAML document (the deepest found)."""
    line = 1
    for part in dotted.split(".") if dotted else []:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode):
            if part.isdigit() and int(part) < len(node.value):
                node = node.value[int(part)]
                line = node.start_mark.line + 1
            else:
                # a plugin list: find the item that is a mapping with this key
                for item in node.value:
                    if isinstance(item, yaml.MappingNode) and any(
                            isinstance(k, yaml.ScalarNode) and k.value == part for k, _ in item.value):
                        for k, v in item.value:
                            if k.value == part:
                                line, node = k.start_mark.line + 1, v
                        break
                else:
                    return line
        else:
            return line
    return line


@dataclass
class FileInfo:
    path: str  # relative to docs_dir, posix
    size: int
    base: str  # path without the locale suffix
    localization: str | None  # "en" for page.en.md, None for page.md
    dropped_locale: str | None  # "sh" for install.sh.md (static-i18n drops it)
    head: bytes = b""  # first bytes of images (type sniffing)
    generated: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")

    @property
    def is_image(self) -> bool:
        return posixpath.splitext(self.path)[1].lower() in IMAGE_EXTENSIONS


def classify(path: str, config: SiteConfig) -> tuple[str, str | None, str | None]:
    """``(base, localization, dropped_locale)`` of a docs path, as static-i18n sees it."""
    if not config.i18n:
        return path, None, None
    folder, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    inner_stem, inner = posixpath.splitext(stem)
    locale = inner[1:]
    if not inner or not inner_stem or not RE_LOCALE.match(locale):
        return path, None, None
    base = posixpath.join(folder, inner_stem + ext)
    if locale in config.languages:
        return base, locale, None
    return base, None, locale


@dataclass(frozen=True)
class BadLink:
    """A symlink in docs/ that must not be published (MkDocs copies what it points at)."""

    path: str  # docs-relative path of the link
    kind: str  # "dangling", "loop" or "outside"
    target: str  # what it points at, as written in the link


@dataclass
class Site:
    config: SiteConfig
    files: dict[str, FileInfo] = field(default_factory=dict)
    pages: dict[str, Document] = field(default_factory=dict)  # readable pages by path
    load_findings: list[Finding] = field(default_factory=list)
    docs_dir: Path | None = None
    #: the project folder (holding mkdocs.yml and snippets/); None when unknown
    root: Path | None = None
    #: page sources by path (the text the checks of prose read)
    texts: dict[str, str] = field(default_factory=dict)
    #: symlinks of docs_dir that MkDocs would follow to nothing, in a loop or out of docs_dir
    bad_links: list["BadLink"] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index()

    @property
    def cache_root(self) -> Path | None:
        """The project folder whose ``.cache/kfguide/`` may keep results about these pages:
        ``root`` when the docs folder lies inside it, else None (a test's fixture folder checked
        with the project's data must neither read nor replace the project's cached results)."""
        if self.root is None or self.docs_dir is None:
            return None
        try:
            inside = Path(self.docs_dir).resolve().is_relative_to(Path(self.root).resolve())
        except OSError:
            return None
        return self.root if inside else None

    def _index(self) -> None:
        live = {p: f for p, f in self.files.items() if f.dropped_locale is None}
        self.live = live
        # casefolded NFC path -> real paths (for case / normalization hints)
        self.folded: dict[str, list[str]] = {}
        for path in self.files:
            self.folded.setdefault(_fold(path), []).append(path)
        # locale -> base page path -> source file
        self.page_sources: dict[str, dict[str, str]] = {}
        cfg = self.config
        for lang in cfg.languages:
            chosen: dict[str, str] = {}
            for path, info in live.items():
                if not info.is_page:
                    continue
                loc = info.localization or cfg.default_language
                if loc == lang:
                    if info.localization or info.base not in chosen:
                        chosen[info.base] = path
                elif loc == cfg.default_language and cfg.fallback_to_default:
                    chosen.setdefault(info.base, path)
            self.page_sources[lang] = chosen
        # paths that exist in the built site (union of all language builds)
        self.site_paths: set[str] = set()
        for lang in cfg.languages:
            prefix = self.prefix(lang)
            for base in self.page_sources[lang]:
                self.site_paths.add(prefix + self.page_url(base) + ("index.html" if cfg.use_directory_urls or base.endswith("index.md") else ""))
            for path, info in live.items():
                if info.is_page:
                    continue
                loc = info.localization
                if loc is None or loc == cfg.default_language:
                    self.site_paths.add(info.base)
                elif loc == lang:
                    self.site_paths.add(prefix + info.base)

    # -- URLs ---------------------------------------------------------------------------------
    def prefix(self, lang: str) -> str:
        return "" if lang == self.config.default_language else f"{lang}/"

    def page_url(self, base: str) -> str:
        """Site-relative URL of a page (``dashboard/`` or ``dashboard.html``)."""
        stem = base[:-3]
        folder, name = posixpath.split(stem)
        if name in ("index", "README"):
            return folder + "/" if folder else ""
        if self.config.use_directory_urls:
            return stem + "/"
        return stem + ".html"

    def page_dir_url(self, base: str, lang: str) -> str:
        url = self.prefix(lang) + self.page_url(base)
        if not url or url.endswith("/"):
            return url
        folder = posixpath.dirname(url)
        return folder + "/" if folder else ""

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, path: str, lang: str) -> str | None:
        """The docs file a Markdown link ``path`` (docs-relative, normalized) means in ``lang``.

        Mirrors static-i18n's ``I18nFiles.get_file_from_path``: ``x.<lang>.ext``, then
        ``x.<default>.ext``, then ``x.ext``; a default file only when fallback is on.
        """
        stem, ext = posixpath.splitext(path)
        candidates = [f"{stem}.{lang}{ext}", f"{stem}.{self.config.default_language}{ext}", path] if self.config.i18n else [path]
        for cand in candidates:
            info = self.live.get(cand)
            if info is None:
                continue
            loc = info.localization or self.config.default_language
            if loc != lang and not (self.config.fallback_to_default and loc == self.config.default_language):
                continue
            return cand
        return None

    def source_of(self, base: str, lang: str) -> str | None:
        return self.page_sources.get(lang, {}).get(base)

    def near_misses(self, path: str) -> list[str]:
        """Existing files whose name differs from ``path`` only by case or normalization."""
        return [p for p in self.folded.get(_fold(path), []) if p != path]

    def contexts(self, path: str) -> list[str]:
        """The languages whose build renders the page ``path`` (a page can serve several)."""
        info = self.files[path]
        return [lang for lang in self.config.languages if self.page_sources[lang].get(info.base) == path]


def _fold(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


# ---------------------------------------------------------------------------------------------
# Loading

# (abs path, snippet settings) -> (mtime_ns, size, Document | None, findings, text, included stamps)
_PAGE_CACHE: dict[tuple, tuple] = {}


def snippets_for(config: SiteConfig, root: Path | str | None) -> Snippets | None:
    """Where pymdownx.snippets looks for includes, for a project folder (None: no snippets)."""
    if not config.snippet_bases:
        return None
    base = Path(root) if root is not None else Path.cwd()
    return Snippets([base / b for b in config.snippet_bases], restrict=config.snippet_restrict)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def read_page(abs_path: Path, rel: str, config: SiteConfig | None = None,
              snippets: Snippets | None = None) -> tuple[Document | None, list[Finding]]:
    """Read and scan one page; problems come back as findings, never as exceptions."""
    doc, findings, _ = read_page_text(abs_path, rel, config, snippets)
    return doc, findings


def read_page_text(abs_path: Path, rel: str, config: SiteConfig | None = None,
                   snippets: Snippets | None = None) -> tuple[Document | None, list[Finding], str | None]:
    """:func:`read_page` and the decoded text (None when the bytes are not UTF-8 text). Cached
    by path, mtime and size, and by the stamps of the snippet files the page includes."""
    config = config or SiteConfig()
    try:
        st = abs_path.stat()
    except OSError as exc:
        return None, [Finding(rel, 0, "page-unreadable", f"cannot read the file: {exc.strerror}")], None
    key = (str(abs_path), tuple(str(b) for b in snippets.bases) if snippets else ())
    cached = _PAGE_CACHE.get(key)
    if cached and cached[0] == st.st_mtime_ns and cached[1] == st.st_size \
            and all(_stamp(path) == stamp for path, stamp in cached[5]):
        return cached[2], list(cached[3]), cached[4]
    try:
        raw = abs_path.read_bytes()
    except OSError as exc:
        return None, [Finding(rel, 0, "page-unreadable", f"cannot read the file: {exc.strerror}")], None
    doc, findings, text = _scan(raw, rel, config, snippets)
    if doc is not None and any(p[1].startswith("snippet-") for p in doc.problems):
        return doc, findings, text  # a missing snippet may appear any moment: never cached
    included = tuple((path, _stamp(path)) for path in (doc.included_files if doc else ()))
    _PAGE_CACHE[key] = (st.st_mtime_ns, st.st_size, doc, tuple(findings), text, included)
    return doc, findings, text


def decode_page(raw: bytes) -> tuple[str | None, "Finding | None"]:
    """The text of page bytes as MkDocs reads them (UTF-8, a UTF-8 BOM allowed), or a
    ``page-encoding`` / ``page-binary`` finding (path and line filled in by the caller: the
    finding's path is ``""``)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Finding("", 1, "page-encoding",
                             "this page is saved as UTF-16 (it starts with a UTF-16 byte order mark); "
                             "MkDocs reads pages as UTF-8", "save the file as UTF-8")
    if b"\x00" in raw[:8192]:
        kind = _sniff(raw[:64])
        what = f"a {kind} file" if kind else "binary data"
        return None, Finding("", 1, "page-binary", f"this .md file contains {what}, not Markdown text",
                             "rename it to its real extension or replace it with the Markdown page")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save the file as UTF-8"
        start = raw.rfind(b"\n", 0, exc.start) + 1
        end = raw.find(b"\n", exc.start)
        bad_line = raw[start:end if end >= 0 else len(raw)]
        try:
            bad_line.decode("cp949")
            hint = "this line looks like CP949/EUC-KR; save the file as UTF-8"
        except UnicodeDecodeError:
            pass
        return None, Finding("", line, "page-encoding",
                             f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at column {column}; the page is not UTF-8 text",
                             hint)


def readable_text(raw: bytes) -> str:
    """Text for MkDocs to render a page whose bytes are not UTF-8 (the build goes on, the
    page-encoding or page-binary finding fails it): UTF-16 decoded, bad bytes replaced, binary
    data left out."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:8192]:
        return ""
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def scan_bytes(raw: bytes, rel: str, config: SiteConfig | None = None, findings: list[Finding] | None = None,
               snippets: Snippets | None = None) -> tuple[Document | None, list[Finding]]:
    """Decode and scan page bytes: binary, bad UTF-8 and oversize pages become findings."""
    doc, found, _ = _scan(raw, rel, config or SiteConfig(), snippets)
    if findings is not None:
        findings.extend(found)
        return doc, findings
    return doc, found


def _scan(raw: bytes, rel: str, config: SiteConfig, snippets: Snippets | None):
    findings: list[Finding] = []
    text, problem = decode_page(raw)
    if problem is not None:
        findings.append(replace(problem, path=rel))
        return None, findings, None
    if len(raw) > config.page_budget:
        findings.append(Finding(rel, 1, "page-too-large",
                                f"page is {len(raw) / 1024 / 1024:.1f} MB (budget {config.page_budget // 1024} KB); "
                                "MkDocs needs minutes to render a page this size, so the build leaves it out",
                                "split it into several pages"))
    doc = scan(text, snippets)
    if doc.front_matter_error:
        findings.append(Finding(rel, doc.front_matter_error_line, "front-matter-invalid", doc.front_matter_error,
                                "MkDocs shows the broken block as page text; fix the YAML between the --- lines"))
    for line, check, message, hint in doc.problems:
        findings.append(Finding(rel, line, check, message, hint))
    return doc, findings, text


def _sniff(head: bytes) -> str | None:
    """The real type of a file from its first bytes (None when unknown)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "avif"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "ico"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head.lower():
        return "svg"
    if text.startswith(b"<?xml") or text.startswith(b"<!--"):
        return "svg?"
    return None


def sniff_image(head: bytes) -> str | None:
    return _sniff(head)


def load_site(
    docs_dir: Path | str,
    config: SiteConfig | None = None,
    extra_files: Iterable[str] = (),
    sources: Mapping[str, str] | None = None,
    root: Path | str | None = None,
) -> Site:
    """Walk ``docs_dir`` once and scan its pages.

    ``extra_files`` are docs paths generated at build time (they exist for the checks, with
    unknown content). ``sources`` overrides page text by path (a hook passes the Markdown it
    got from MkDocs). ``root`` is the project folder (mkdocs.yml, snippets/); by default the
    docs folder's parent when it holds a mkdocs.yml.

    Symlinks are followed as MkDocs follows them (folders too), except those that point at
    nothing, loop, or lead out of ``docs_dir``: those are listed in ``Site.bad_links`` and
    left out, as the build leaves them out.
    """
    config = config or SiteConfig()
    docs = Path(docs_dir)
    if root is None and (docs.parent / "mkdocs.yml").exists():
        root = docs.parent
    snippets = snippets_for(config, root)
    files: dict[str, FileInfo] = {}
    pages: dict[str, Document] = {}
    texts: dict[str, str] = {}
    findings: list[Finding] = []
    bad_links: list[BadLink] = []
    for abs_path, rel in walk_docs(docs, bad_links):
        try:
            size = abs_path.stat().st_size
        except OSError:
            continue
        base, loc, dropped = classify(rel, config)
        info = FileInfo(rel, size, base, loc, dropped)
        files[rel] = info
        if info.is_image:
            try:
                with open(abs_path, "rb") as fh:
                    info.head = fh.read(512)
            except OSError:
                pass
        if info.is_page:
            if sources is not None and rel in sources:
                raw = sources[rel].encode("utf-8", "surrogatepass")
                doc, found, text = _scan(raw, rel, config, snippets)
            else:
                doc, found, text = read_page_text(abs_path, rel, config, snippets)
            findings.extend(found)
            if doc is not None:
                pages[rel] = doc
                texts[rel] = text or ""
    for rel in extra_files:
        if rel not in files:
            base, loc, dropped = classify(rel, config)
            files[rel] = FileInfo(rel, 0, base, loc, dropped, generated=True)
    return Site(config, files, pages, findings, docs, Path(root) if root is not None else None, texts, bad_links)


def walk_docs(docs: Path, bad_links: list[BadLink] | None = None):
    """``(absolute path, docs-relative path)`` of every file MkDocs would take from ``docs``
    (hidden names skipped, symlinked folders followed), sorted; bad symlinks go to
    ``bad_links`` instead."""
    bad_links = [] if bad_links is None else bad_links
    try:
        top = docs.resolve(strict=True)
    except (OSError, RuntimeError):
        return
    stack: list[tuple[Path, str, tuple[Path, ...]]] = [(docs, "", (top,))]
    while stack:
        folder, prefix, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            path = Path(entry.path)
            if entry.is_symlink():
                problem = _link_problem(path, top, ancestors)
                if problem is not None:
                    bad_links.append(BadLink(rel, problem, os.readlink(path)))
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                subfolders.append((path, rel + "/", ancestors + (path.resolve(),)))
            else:
                yield path, rel
        stack.extend(reversed(subfolders))


def _link_problem(path: Path, top: Path, ancestors: tuple[Path, ...]) -> str | None:
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return "dangling"
    except (OSError, RuntimeError):  # ELOOP (Linux) or RuntimeError (older Pythons)
        return "loop"
    if real != top and top not in real.parents:
        return "outside"
    if real.is_dir() and real in ancestors:
        return "loop"
    return None


def site_from_sources(
    sources: Mapping[str, str | bytes],
    other_files: Mapping[str, bytes | int] | Iterable[str] = (),
    config: SiteConfig | None = None,
    extra_files: Iterable[str] = (),
) -> Site:
    """A site from in-memory data (tests, benchmarks): page texts and other files.

    ``other_files`` maps a path to its bytes (or just its size), or is a list of paths.
    """
    config = config or SiteConfig()
    files: dict[str, FileInfo] = {}
    pages: dict[str, Document] = {}
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    for rel, text in sources.items():
        raw = text if isinstance(text, bytes) else text.encode("utf-8")
        base, loc, dropped = classify(rel, config)
        files[rel] = FileInfo(rel, len(raw), base, loc, dropped)
        doc, found, decoded = _scan(raw, rel, config, None)
        findings.extend(found)
        if doc is not None:
            pages[rel] = doc
            texts[rel] = decoded or ""
    items = other_files.items() if isinstance(other_files, Mapping) else ((p, b"") for p in other_files)
    for rel, data in items:
        base, loc, dropped = classify(rel, config)
        size = data if isinstance(data, int) else len(data)
        head = b"" if isinstance(data, int) else data[:512]
        files[rel] = FileInfo(rel, size, base, loc, dropped, head)
    for rel in extra_files:
        if rel not in files:
            base, loc, dropped = classify(rel, config)
            files[rel] = FileInfo(rel, 0, base, loc, dropped, generated=True)
    return Site(config, files, pages, findings, texts=texts)


def add_ids(site: Site, ids_by_path: Mapping[str, Iterable[str]]) -> None:
    """Count extra ids (e.g. from rendered HTML) as present on the pages they belong to.

    Documents are cached and shared, so a page that gains ids is replaced by a copy.
    """
    for path, ids in ids_by_path.items():
        doc = site.pages.get(path)
        if doc is None:
            continue
        found = set(ids)
        if not found <= doc.ids:
            site.pages[path] = replace(doc, ids=doc.ids | found)


def add_built_ids(site: Site, site_dir: Path | str) -> int:
    """Add the ids found in a built site's HTML (``--site``) to each page; return pages read."""
    id_re = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
    root = Path(site_dir)
    read = 0
    found: dict[str, set[str]] = {}
    for lang in site.config.languages:
        for base, source in site.page_sources[lang].items():
            url = site.prefix(lang) + site.page_url(base)
            html_file = root / (url + "index.html" if url.endswith("/") or not url else url)
            try:
                text = html_file.read_text("utf-8", errors="replace")
            except OSError:
                continue
            read += 1
            found.setdefault(source, set()).update(id_re.findall(text))
    add_ids(site, found)
    return read


def page_source(path: str, value: "Document | str", sources: Mapping[str, str] | None = None,
                docs_dir: Path | str | None = None) -> tuple[str | None, Document]:
    """``(source text or None, scanned document)`` of one page as checks receive it: ``value`` is
    the source itself or its scanned document; the source of a document comes from ``sources``
    or from ``docs_dir``."""
    if isinstance(value, str):
        return value, scan(value)
    source = sources.get(path) if sources is not None else None
    if source is None and docs_dir is not None:
        try:
            source = (Path(docs_dir) / path).read_text("utf-8", errors="replace")
        except OSError:
            source = None
    return source, value
