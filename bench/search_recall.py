"""Recall@1 and recall@3 of the site search, per query category,: Material's default index vs the Korean-aware one.

    .venv/bin/python bench/search_recall.py [--site DIR] [--queries data/search-queries.yml]

Builds the guide twice (strict): once with the search_ko hook switched off
(``KFGUIDE_SEARCH_KO=off``, i.e. Material's own index) and once as published. Each query of
data/search-queries.yml then runs through Material's real search worker (lunr + Material's query
transform, loaded in Node by tools/search_eval.mjs). It prints per query the first three result
pages of each variant, recall@1 and recall@3 per category (``category:`` in the query file)
and variant, and each language's index size per variant (raw and gzip), i.e. what each change costs.

Variants: ``default`` (Material as configured: language ko, one index merged over both
languages, as static-i18n writes it), ``separator`` (only the particle-aware separator),
``forms`` (only the hidden compound/variant forms), ``ours`` (both, which is what the hook
publishes; the script checks that the built indexes equal it). The last three are split by
language like the published site: Korean queries search the Korean index, English queries the
English one (``lang: en`` in the query file).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kfguide.builders import search_ko  # noqa: E402


def build(site: Path, **env: str) -> None:
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    full.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT, env=full, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stderr}")
    for line in result.stderr.splitlines():
        if "Korean search:" in line:
            print(line.split("-  ", 1)[-1])


def load_queries(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = data["queries"]
    problems = []
    for n, item in enumerate(queries, 1):
        if not isinstance(item, dict) or not item.get("q") or not item.get("expect"):
            problems.append(f"{path}: query {n}: needs q and expect")
    if problems:
        sys.exit("\n".join(problems))
    return queries


def page_url(name: str, lang: str) -> str:
    url = "" if name == "index" else f"{name}/"
    return f"en/{url}" if lang == "en" else url


def run_worker(site: Path, index: dict, queries: list[str], tmp: Path) -> dict[str, list[str]]:
    index_file = tmp / "index.json"
    index_file.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    query_file = tmp / "queries.json"
    query_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        ["node", str(ROOT / "tools" / "search_eval.mjs"), str(site), str(index_file), str(query_file)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def read_split(site: Path) -> tuple[dict, dict]:
    """The Korean and English search indexes of a built site."""
    return tuple(
        json.loads((site / folder / "search" / "search_index.json").read_text("utf-8"))
        for folder in ("", "en")
    )


def merged(ko: dict, en: dict) -> dict:
    """One index over both languages with site-root locations, as static-i18n writes it."""
    return dict(ko, docs=ko["docs"] + [dict(d, location="en/" + d["location"]) for d in en["docs"]])


def by_language(index: dict) -> dict[str, dict]:
    parts = search_ko.split_by_language(index, {"en": "en"})
    return {"ko": parts[""], "en": parts["en"]}


def sizes(index: dict, ensure_ascii: bool = False) -> tuple[int, int]:
    raw = json.dumps(index, ensure_ascii=ensure_ascii, separators=(",", ":")).encode()
    return len(raw), len(gzip.compress(raw, 9))


def short(url: str) -> str:
    return (url.rstrip("/") or "home")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=ROOT / "data" / "search-queries.yml")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="keep the two builds in DIR and reuse them when present (while tuning)")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="kfguide-search-") as tmpname:
        tmp = Path(tmpname)
        sites = args.reuse or tmp
        for name, env, what in (("default-site", {"KFGUIDE_SEARCH_KO": "off"}, "with Material's own search index"),
                                ("site", {}, "as published (hooks/search_ko.py)")):
            if args.reuse and (sites / name / "search" / "search_index.json").is_file():
                print(f"reusing {sites / name} (built {what})")
                continue
            print(f"building the guide {what} ...")
            build(sites / name, **env)
        # The hook splits the index by language even with KFGUIDE_SEARCH_KO=off; put Material's
        # merged index (what static-i18n publishes) back together for the baseline.
        default = merged(*read_split(sites / "default-site"))
        built = dict(zip(("ko", "en"), read_split(sites / "site")))
        default_bytes = len(json.dumps(default, ensure_ascii=True, separators=(",", ":")).encode())

        lexicon = search_ko.Lexicon()
        glossary = ROOT / "data" / "glossary.yml"
        if glossary.is_file():
            lexicon = search_ko.glossary_lexicon(yaml.safe_load(glossary.read_text("utf-8")))
        # Each change on its own and added one by one: what it buys and what it costs.
        steps = {
            "default": (),
            "separator": ("separator",),
            "forms": ("forms",),
            "issue6": ("separator", "forms"),
            "+names": ("separator", "forms", "names"),
            "ours": search_ko.FEATURES,
        }
        variants = {}
        for name, features in steps.items():
            if not features:
                variants[name] = {"ko": default, "en": default}
                continue
            augmented, stats = search_ko.augment_index(default, lexicon, features)
            variants[name] = by_language(augmented)
        if variants["ours"] != built:
            print("NOTE: the hook's indexes differ from augment_index(default), split: check the hook")
        results: dict[str, dict[str, list[str]]] = {}
        for name, parts in variants.items():
            results[name] = {}
            for lang, index in parts.items():
                texts = [q["q"] for q in queries if q.get("lang", "ko") == lang]
                # A split English index holds locations relative to en/.
                prefix = "en/" if lang == "en" and index is not default else ""
                found = run_worker(sites / "site", index, texts, tmp) if texts else {}
                results[name].update({(q, lang): [prefix + u for u in urls] for q, urls in found.items()})

    categories: list[str] = []
    for item in queries:
        if item.get("category", "existing") not in categories:
            categories.append(item.get("category", "existing"))
    # (variant, category) -> [queries, hits at 1, hits at 3]
    score = {(name, cat): [0, 0, 0] for name in variants for cat in categories}
    rows = []
    for item in queries:
        lang = item.get("lang", "ko")
        cat = item.get("category", "existing")
        wanted = {page_url(p, lang) for p in item["expect"]}
        row = [item["q"], lang, cat, ",".join(item["expect"])]
        for name in variants:
            top = results[name][(item["q"], lang)][:3]
            hit = bool(wanted & set(top))
            cell = score[(name, cat)]
            cell[0] += 1
            cell[1] += bool(top) and top[0] in wanted
            cell[2] += hit
            row.append(("HIT " if hit else "miss") + " " + " ".join(short(u) for u in top))
        rows.append(row)

    header = ["query", "lang", "category", "expect", *variants]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(header[:4], widths)) + " | " + " | ".join(header[4:]))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row[:4], widths)) + " | " + " | ".join(row[4:]))

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}" if b else "    -"

    n = len(queries)
    print()
    print("recall@1 / recall@3 in % per category (an expected page first / among the first three):")
    print(f"  {'category':<10} {'n':>3}  " + "  ".join(f"{name:>15}" for name in variants))
    totals = {name: [0, 0, 0] for name in variants}
    for cat in categories:
        cells = []
        for name in variants:
            q, at1, at3 = score[(name, cat)]
            totals[name] = [t + v for t, v in zip(totals[name], (q, at1, at3))]
            cells.append(f"{pct(at1, q)} / {pct(at3, q)}")
        print(f"  {cat:<10} {score[('default', cat)][0]:>3}  "
              + "  ".join(f"{c:>15}" for c in cells))
    print(f"  {'all':<10} {n:>3}  "
          + "  ".join(f"{pct(t[1], t[0])} / {pct(t[2], t[0])}".rjust(15) for t in totals.values()))

    print()
    print("search index per language, bytes (UTF-8 JSON as published / gzip -9):")
    split_sizes = {}
    for name, parts in variants.items():
        if name == "default":
            parts = by_language(default)
        split_sizes[name] = {lang: sizes(parts[lang]) for lang in ("ko", "en")}
    print(f"  {'variant':<10} " + "  ".join(f"{lang + ' raw':>9} {lang + ' gz':>8}" for lang in ("ko", "en")))
    for name, by_lang in split_sizes.items():
        print(f"  {name:<10} " + "  ".join(f"{by_lang[lang][0]:>9} {by_lang[lang][1]:>8}" for lang in ("ko", "en")))
    print("  cost in bytes of each variant, Korean index (raw / gz), over default and over the row above:")
    base = previous = split_sizes["default"]["ko"]
    for name, by_lang in split_sizes.items():
        ko = by_lang["ko"]
        if name != "default":
            print(f"    {name:<10} {ko[0] - base[0]:+8} / {ko[1] - base[1]:+7}   "
                  f"{ko[0] - previous[0]:+8} / {ko[1] - previous[1]:+7}")
        previous = ko
    print(f"  (Material's merged index, both languages, \\u escapes: {default_bytes} bytes; "
          f"+{stats.forms} Korean search forms in {stats.augmented}/{stats.entries} entries)")
    if args.json:
        args.json.write_text(json.dumps({
            "queries": n,
            "recall": {name: {cat: dict(zip(("queries", "at1", "at3"), score[(name, cat)]))
                              for cat in categories} for name in variants},
            "index_bytes": split_sizes,
            "merged_default_bytes": default_bytes,
            "rows": rows,
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
