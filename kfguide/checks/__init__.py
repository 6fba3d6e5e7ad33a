"""The checks: pure functions from the site model (:mod:`kfguide.model`) to findings.

Every check lives in a module of this package and is listed once in :data:`REGISTRY`. The
runners (``hooks/checks.py`` for ``mkdocs build`` / ``serve``, ``python -m kfguide check``)
call :func:`run_checks`, so the build and the command line always run the same checks and
report the same findings for the same tree (tests/test_cli.py compares them). The problems
found while the site is read (page encoding, front matter, unclosed fences and comments,
snippet includes) come first, from :attr:`kfguide.model.site.Site.load_findings`.

Adding a check
--------------
1. Write ``kfguide/checks/<name>.py`` with a function that returns findings
   (:class:`kfguide.model.findings.Finding`). It may import :mod:`kfguide.model` and other
   modules of this package, never :mod:`kfguide.builders` or :mod:`kfguide.report`
   (tests/test_layers.py enforces the direction).
2. Add one line to :data:`REGISTRY`: ``Check("<name>", "<module>:<function>", "<path>")``.

The function asks for what it needs by parameter name (:func:`call_check` fills them in):

``site``                the :class:`kfguide.model.site.Site` (pages, files, config, root)
``pages``               ``dict[path, Document]`` of the readable pages (also the first
                        positional parameter when its name is none of these)
``alias``               the canonical ``kfui`` alias (:func:`kfguide.model.kfui.load`)
``root``                the repository root (mkdocs.yml, snippets/, data/); left out when unknown
``docs_dir``            the docs folder; left out when unknown

A check that raises does not stop the others: the exception becomes one ``check-crashed``
finding on the registered path.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass

from kfguide.model.findings import ERROR, Finding
from kfguide.model.site import Site


@dataclass(frozen=True)
class Check:
    name: str
    target: str  # "module:function", the module relative to kfguide.checks
    where: str  # the path a crash of this check is reported on
    opt_in: str = ""  # run only when the runner asks for it by this name (e.g. "external")

    def function(self):
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)


#: Every check the runners run, in order. One line per check.
REGISTRY: tuple[Check, ...] = (
    Check("files", "files:check_files", "mkdocs.yml"),
    Check("symlinks", "symlinks:check_symlinks", "mkdocs.yml"),
    Check("links", "links:check_links", "mkdocs.yml"),
    Check("images", "images:check_images", "mkdocs.yml"),
    Check("kfui", "kfui:check_kfui", "snippets/kfui-alias.sh"),
    Check("examples", "examples:check_examples", "data/kubeflow-names.yml"),
    Check("style", "style:check_style", "data/style.yml"),
    Check("glossary", "glossary:check_glossary", "data/glossary.yml"),
    Check("terms", "terms:check_terms", "data/glossary.yml"),
    Check("external", "external:check_external", "mkdocs.yml", opt_in="external"),
)


def run_checks(site: Site, external: bool = False, style: bool = True) -> list[Finding]:
    """Every registered check over ``site`` (``external`` adds the opt-in external link
    check; ``style=False`` leaves out the Korean style check, which ``mkdocs serve`` runs on
    its own, off the rebuild's path), plus the problems found while loading it; sorted, each
    finding once."""
    wanted = {"external"} if external else set()
    findings = list(site.load_findings)
    for check in REGISTRY:
        if check.opt_in and check.opt_in not in wanted:
            continue
        if check.name == "style" and not style:
            continue
        try:
            func = check.function()
        except Exception as exc:  # noqa: BLE001 - a broken check module must not hide the others
            findings.append(_crashed(check.where, check.target, exc))
            continue
        findings.extend(call_check(func, site, check.where))
    return sorted(set(findings))


def call_check(func, site: Site, where: str) -> list[Finding]:
    """Call a check with the arguments its parameters ask for (see the module docstring)."""
    root = site.root.resolve() if site.root is not None else None
    try:
        params = list(inspect.signature(func).parameters.values())
        args: list = []
        kwargs: dict = {}
        for index, param in enumerate(params):
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            name = param.name
            if name == "site":
                value = site
            elif name in ("pages", "documents", "docs"):
                value = site.pages
            elif name == "alias":
                from kfguide.model import kfui

                value = kfui.load(root) if root is not None and (root / kfui.ALIAS_FILE).exists() else kfui.load()
            elif name in ("root", "repo_root"):
                if root is None:
                    continue
                value = root
            elif name == "docs_dir":
                if site.docs_dir is None:
                    continue
                value = site.docs_dir
            elif index == 0:
                value = site.pages
            else:
                continue
            if param.kind == param.POSITIONAL_ONLY:
                args.append(value)
            else:
                kwargs[name] = value
        return list(func(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - a bug in one check must not hide the others
        return [_crashed(where, f"{getattr(func, '__module__', '?')}.{getattr(func, '__name__', '?')}", exc)]


def _crashed(where: str, what: str, exc: BaseException) -> Finding:
    return Finding(where, 0, "check-crashed", f"{what} failed: {type(exc).__name__}: {exc}", severity=ERROR)
