"""Recall@3 of the site search: Material's default index vs the Korean-aware one.

    .venv/bin/python bench/search_recall.py [--site DIR] [--queries data/search-queries.yml]

Builds the guide twice (strict): once with the search_ko hook switched off
(``KFGUIDE_SEARCH_KO=off``, i.e. Material's own index) and once as published. Each query of
data/search-queries.yml then runs through Material's real search worker (lunr + Material's query
transform, loaded in Node by tools/search_eval.mjs). It prints per query the first three result
pages of each variant, recall@3 per variant, and the index sizes (raw and gzip).

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
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="kfguide-search-") as tmpname:
        tmp = Path(tmpname)
        print("building the guide with Material's own search index ...")
        build(tmp / "default-site", KFGUIDE_SEARCH_KO="off")
        print("building the guide as published (hooks/search_ko.py) ...")
        build(tmp / "site")
        # The hook splits the index by language even with KFGUIDE_SEARCH_KO=off; put Material's
        # merged index (what static-i18n publishes) back together for the baseline.
        default = merged(*read_split(tmp / "default-site"))
        built = dict(zip(("ko", "en"), read_split(tmp / "site")))
        hook_bytes = {lang: len(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
                      for lang, part in built.items()}
        default_bytes = len(json.dumps(default, ensure_ascii=True, separators=(",", ":")).encode())

        lexicon = search_ko.Lexicon()
        glossary = ROOT / "data" / "glossary.yml"
        if glossary.is_file():
            lexicon = search_ko.glossary_lexicon(yaml.safe_load(glossary.read_text("utf-8")))
        ours, stats = search_ko.augment_index(default, lexicon)
        if by_language(ours) != built:
            print("NOTE: the hook's indexes differ from augment_index(default), split: check the hook")
        forms_only = dict(ours, config=default["config"])
        separator_only = dict(default, config=ours["config"])
        variants = {
            "default": {"ko": default, "en": default},
            "separator": by_language(separator_only),
            "forms": by_language(forms_only),
            "ours": built,
        }
        results: dict[str, dict[str, list[str]]] = {}
        for name, parts in variants.items():
            results[name] = {}
            for lang, index in parts.items():
                texts = [q["q"] for q in queries if q.get("lang", "ko") == lang]
                # A split English index holds locations relative to en/.
                prefix = "en/" if lang == "en" and index is not default else ""
                found = run_worker(tmp / "site", index, texts, tmp) if texts else {}
                results[name].update({(q, lang): [prefix + u for u in urls] for q, urls in found.items()})

    hits = {name: 0 for name in variants}
    firsts = {name: 0 for name in variants}
    rows = []
    for item in queries:
        lang = item.get("lang", "ko")
        wanted = {page_url(p, lang) for p in item["expect"]}
        row = [item["q"], lang, ",".join(item["expect"])]
        for name in variants:
            top = results[name][(item["q"], lang)][:3]
            hit = bool(wanted & set(top))
            hits[name] += hit
            firsts[name] += bool(top) and top[0] in wanted
            row.append(("HIT " if hit else "miss") + " " + " ".join(short(u) for u in top))
        rows.append(row)

    header = ["query", "lang", "expect", *variants]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(header[:3], widths)) + " | " + " | ".join(header[3:]))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row[:3], widths)) + " | " + " | ".join(row[3:]))

    n = len(queries)
    print()
    print(f"recall@3 over {n} queries (hits / queries), and how often an expected page is first:")
    for name in variants:
        print(f"  {name:<10} recall@3 {hits[name]:>3}/{n} = {hits[name] / n:.3f}"
              f"   first {firsts[name]:>3}/{n} = {firsts[name] / n:.3f}")
    raw_default, gz_default = sizes(default, ensure_ascii=True)
    gz_ours = {lang: sizes(part)[1] for lang, part in built.items()}
    print()
    print("search index a page loads (raw / gzip -9):")
    print(f"  default   {default_bytes / 1024:7.1f} KiB / {gz_default / 1024:6.1f} KiB  "
          "(every page, both languages; Material writes \\u escapes)")
    for lang, where in (("ko", "search/"), ("en", "en/search/")):
        print(f"  ours {lang}   {hook_bytes[lang] / 1024:7.1f} KiB / {gz_ours[lang] / 1024:6.1f} KiB  "
              f"({where}search_index.json, UTF-8, {len(built[lang]['docs'])} entries)")
    print(f"  (+{stats.forms} Korean search forms in {stats.augmented}/{stats.entries} entries)")
    if args.json:
        args.json.write_text(json.dumps({
            "queries": n,
            "recall_at_3": {name: hits[name] / n for name in variants},
            "first": {name: firsts[name] / n for name in variants},
            "index_bytes": {"default": default_bytes, "ours": hook_bytes},
            "index_gzip_bytes": {"default": gz_default, "ours": gz_ours},
            "rows": rows,
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
