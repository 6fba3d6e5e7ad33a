"""Korean search (issue 6): the particle-aware tokenizer, the index the hook writes, and the real
search box in Chromium. Recall figures come from bench/search_recall.py, not from here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest
import yaml

from conftest import ROOT
from kfguide.builders import search_ko

QUERIES_FILE = ROOT / "data" / "search-queries.yml"


def page_names() -> list[str]:
    return [p.name[:-3] for p in (ROOT / "docs").glob("*.md") if not p.name.endswith(".en.md")]


def page_url(name: str, lang: str = "ko") -> str:
    url = "" if name == "index" else f"{name}/"
    return f"en/{url}" if lang == "en" else url


# --- the tokenizer (pure functions) -----------------------------------------------------------


@pytest.mark.parametrize(
    "word, expected",
    [
        ("서버를", "서버"),
        ("서버에서", "서버"),
        ("메뉴는", "메뉴"),
        ("노트북으로", "노트북"),  # 으로 before 로: longest particle first
        ("대시보드에서는", "대시보드"),
        ("설치합니다", "설치"),
        ("Katib은", "Katib"),
        ("국가", "국가"),  # only one syllable would stay: not a particle
        ("추가", "추가"),
        ("워크플로", "워크플로"),  # KEEP: 로 is part of the noun
        ("워크플로를", "워크플로"),
        ("정확도", "정확도"),
        ("서버", "서버"),
        ("실패해요", "실패"),  # 해요체 endings readers type in a symptom
        ("실패했어요", "실패"),
        ("중지돼요", "중지"),
        ("안돼요", "안돼요"),  # one syllable would stay: kept
    ],
)
def test_stem_removes_one_particle_and_keeps_nouns(word, expected):
    assert search_ko.stem(word) == expected


def test_separator_tokens_agree_with_stem():
    words = ["서버를", "메뉴는", "국가", "노트북으로", "워크플로를", "정확도를", "대시보드에서는", "kfui를"]
    for word in words:
        assert search_ko.tokens(word) == [search_ko.stem(word).lower()], word


def test_separator_splits_punctuation_and_keeps_versions():
    text = "포트 포워딩(port forwarding)으로 접속합니다. v1.6 CentralDashboard, 네임스페이스(Namespace)와"
    assert search_ko.tokens(text) == [
        "포트", "포워딩", "port", "forwarding", "접속", "v1.6", "central", "dashboard",
        "네임스페이스", "namespace",
    ]


def test_separator_splits_underscores():
    # An error code on a page (ERR_CONNECTION_REFUSED) is found by the words a reader types.
    assert search_ko.tokens("ERR_CONNECTION_REFUSED를 보여 줍니다") == [
        "err", "connection", "refused", "보여", "줍니다"]
    assert search_ko.tokens("connection refused") == ["connection", "refused"]


def test_separator_means_the_same_in_javascript():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: `make test` needs Node.js for the search tests")
    text = "서버를 메뉴는 국가 노트북으로 워크플로를 (Namespace)와 v1.6 설치합니다."
    script = (
        "const [sep, text] = JSON.parse(process.argv[1]);"
        "const re = new RegExp(sep, 'g'); const out = []; let pos = 0, m;"
        "while ((m = re.exec(text))) { if (m.index > pos) out.push(text.slice(pos, m.index).toLowerCase());"
        " pos = m.index + m[0].length; if (!m[0].length) re.lastIndex++; }"
        "if (pos < text.length) out.push(text.slice(pos).toLowerCase());"
        "console.log(JSON.stringify(out));"
    )
    arg = json.dumps([search_ko.separator(), text], ensure_ascii=False)
    result = subprocess.run([node, "-e", script, arg], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == search_ko.tokens(text)


def test_tokens_fast_pattern_splits_exactly_like_the_separator():
    # tokens() uses a guarded copy of the separator (faster in Python's re); both must split
    # every text the same way: the guide's own pages, and the edge cases of each alternative.
    plain = re.compile(search_ko.separator())
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    texts += ["서버를 VS Code로 열고 JupyterLab에서 &lt;b&gt; v1.6.0. 노트북으로, 대시보드는?",
              "ERR_CONNECTION_REFUSED를 보여 줍니다", "이다", "를", "A.B", "aB", "(서버)를"]
    for text in texts:
        expected, pos = [], 0
        for m in plain.finditer(text):
            if m.start() > pos:
                expected.append(text[pos:m.start()].lower())
            pos = m.end()
        if pos < len(text):
            expected.append(text[pos:].lower())
        assert search_ko.tokens(text) == expected


def test_compound_parts_are_added_only_when_prefix_search_misses_them():
    # 대시 is a prefix of 대시보드 (found already); 보드 is not.
    assert search_ko.extra_forms("대시보드를 엽니다", search_ko.Lexicon()) == ["보드"]
    assert search_ko.extra_forms("서버를 엽니다", search_ko.Lexicon()) == []


def test_forms_repeat_with_the_term_up_to_a_limit():
    text = " ".join(["대시보드"] * 5)
    assert search_ko.extra_forms(text, search_ko.Lexicon()) == ["보드"] * search_ko.MAX_REPEAT


def test_glossary_terms_give_joined_forms_and_variants():
    glossary = {
        "terms": [
            {"ko": "포트 포워딩", "en": "port forwarding", "variants": ["포트포워드"]},
            {"ko": "대시보드", "variants": ["대쉬보드", "대쉬 보드", "Dashbord"]},
            {"ko": "Katib", "variants": ["카티브"]},
        ]
    }
    lexicon = search_ko.glossary_lexicon(glossary)
    forms = search_ko.extra_forms("kfui로 포트 포워딩을 열고 대시보드와 Katib을 봅니다", lexicon)
    assert "포트포워딩" in forms and "포트포워드" in forms
    assert "대쉬보드" in forms and "카티브" in forms
    assert "Dashbord" not in forms  # only Korean spellings are added
    # English text gets no Korean variants.
    assert search_ko.extra_forms("Open the dashboard with Katib", lexicon) == []


def test_english_chapter_titles_get_their_korean_names():
    glossary = {"terms": [
        {"ko": "파이프라인", "en": "pipeline"},
        {"ko": "노트북 서버", "en": "Notebook Server"},
        {"ko": "Katib", "en": "Katib"},
    ]}
    lexicon = search_ko.glossary_lexicon(glossary)
    assert search_ko.title_forms("개요: Pipelines", lexicon) == ["파이프라인"]
    assert search_ko.title_forms("개요: Notebook Servers", lexicon) == ["노트북", "서버"]
    assert search_ko.title_forms("개요: Katib", lexicon) == []
    assert search_ko.title_forms("파이프라인 루트", lexicon) == []  # already Korean
    index = {"config": {}, "docs": [
        {"location": "pipelines/", "title": "개요: Pipelines", "text": ""},
        {"location": "pipelines/#a", "title": "핵심 개념", "text": "<p>파이프라인은 단계를 잇습니다.</p>"},
        {"location": "en/pipelines/", "title": "Overview: Pipelines", "text": "<p>A pipeline.</p>"},
    ]}
    out, _ = search_ko.augment_index(index, lexicon)
    assert out["docs"][0]["title"] == f"개요: Pipelines {search_ko.HIDDEN_TITLE_OPEN}파이프라인</span>"
    assert out["docs"][2]["title"] == "Overview: Pipelines"  # English page: unchanged


def test_hidden_forms_do_not_change_the_visible_text_and_are_idempotent():
    text = "<p>대시보드를 엽니다.</p>"
    once = search_ko.augment_text(text, ["보드"])
    assert once == f'{text} {search_ko.HIDDEN_OPEN}보드</p>'
    assert search_ko.augment_text(once, ["보드"]) == once
    assert search_ko.augment_text(once, []) == text


def test_augment_index_sets_the_separator_and_keeps_entries_without_forms():
    index = {
        "config": {"lang": ["ko"], "separator": "[\\s\\-]+"},
        "docs": [
            {"location": "a/", "title": "대시보드", "text": "<p>메뉴</p>"},
            {"location": "b/", "title": "B", "text": "<p>서버</p>"},
        ],
    }
    out, stats = search_ko.augment_index(index)
    assert out["config"]["separator"] == search_ko.separator()
    assert out["config"]["lang"] == ["ko"]
    assert out["docs"][0]["text"].endswith(f"{search_ko.HIDDEN_OPEN}보드</p>")
    assert out["docs"][1] == index["docs"][1]
    assert (stats.entries, stats.augmented, stats.forms) == (2, 1, 1)
    assert index["config"]["separator"] == "[\\s\\-]+"  # input untouched


# --- the query set ----------------------------------------------------------------------------


def test_query_set_is_valid():
    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    assert search_ko.check_queries(data, page_names()) == []


def test_query_set_check_reports_every_problem_with_its_line():
    data = {
        "queries": [
            {"q": "서버", "expect": ["notebooks"], "browser": True},
            {"q": "서버", "expect": ["notebooks"]},
            {"q": "", "expect": ["notebooks"]},
            {"q": "메뉴", "expect": ["no-such-page"]},
            {"q": "보드", "lang": "jp", "expect": []},
            {"q": "vscode", "category": "Spacing!", "expect": ["notebooks"]},
            {"q": "minio", "category": "lowercase", "expect": ["notebooks"]},
        ]
    }
    problems = search_ko.check_queries(data, ["notebooks"], path="q.yml")
    assert problems == [
        "q.yml:2: '서버' is listed twice",
        "q.yml:3: query 3 needs a non-empty 'q'",
        "q.yml:4: '메뉴' expects 'no-such-page', which is not a page",
        "q.yml:5: '보드': lang must be ko or en, not 'jp'",
        "q.yml:5: '보드' needs 'expect', a list of page names",
        "q.yml:6: 'vscode': category must be a lower-case word, not 'Spacing!'",
        "q.yml:0: 7 queries; the benchmark needs at least 30",
        "q.yml:0: category 'Spacing!' has no 'browser: true' query; the browser test types one of each",
        "q.yml:0: category 'lowercase' has no 'browser: true' query; the browser test types one of each",
    ]
    assert search_ko.check_queries({"nothing": 1}, [], path="q.yml") == [
        "q.yml:0: needs a top-level 'queries:' list"
    ]


# --- the built guide ----------------------------------------------------------------------------


def test_built_index_uses_the_korean_separator_and_hidden_forms(built_site, build_log):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["separator"] == search_ko.separator()
    hidden = [d for d in index["docs"] if search_ko.HIDDEN_OPEN in d["text"]]
    assert hidden, "no entry got compound forms"
    assert re.search(r"Korean search: \d+ extra forms in \d+ of \d+ entries", build_log)
    assert re.search(
        r"search index [\d.]+ KiB \(merged\) -> search/search_index.json [\d.]+ KiB \(\d+ entries\), "
        r"en/search/search_index.json [\d.]+ KiB \(\d+ entries\)", build_log)


def test_each_language_has_its_own_index(built_site):
    ko = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    ko_pages = {d["location"].split("#")[0] for d in ko["docs"]}
    en_pages = {d["location"].split("#")[0] for d in en["docs"]}
    # Every page of each language is in its own index, and only there.
    assert ko_pages == {page_url(n) for n in page_names()}
    assert en_pages == {page_url(n) for n in page_names()}  # locations relative to /en/
    assert not any(d["location"].startswith("en/") for d in ko["docs"])
    assert en["config"]["lang"] == ["en"]
    assert "ko" in ko["config"]["lang"]
    assert en["config"]["separator"] == ko["config"]["separator"]


def test_split_by_language_moves_prefixed_entries_and_drops_nothing():
    index = {
        "config": {"lang": ["en", "ko"], "separator": "x"},
        "docs": [
            {"location": "", "title": "홈", "text": ""},
            {"location": "katib/#concepts", "title": "개념", "text": ""},
            {"location": "en/", "title": "Home", "text": ""},
            {"location": "en/katib/#concepts", "title": "Concepts", "text": ""},
            {"location": "english-notes/", "title": "folder that only starts with en", "text": ""},
        ],
    }
    parts = search_ko.split_by_language(index, {"en": "en", "/fr/": "fr"})
    assert [d["location"] for d in parts[""]["docs"]] == ["", "katib/#concepts", "english-notes/"]
    assert [d["location"] for d in parts["en"]["docs"]] == ["", "katib/#concepts"]
    assert parts["fr"]["docs"] == []
    assert parts["en"]["config"] == {"lang": ["en"], "separator": "x"}
    assert parts[""]["config"] == index["config"]
    assert sum(len(p["docs"]) for p in parts.values()) == len(index["docs"])
    assert index["docs"][2]["location"] == "en/"  # the input is not modified


def browser_queries() -> list[dict]:
    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    return [q for q in data["queries"] if q.get("browser")]


def rank_in_worker(built_site, tmp_path, queries) -> dict[tuple[str, str], list[str]]:
    """(query, lang) -> result pages, from Material's own worker in Node on each language's index."""
    found = {}
    for lang, folder, prefix in (("ko", built_site, ""), ("en", built_site / "en", "en/")):
        texts = [q["q"] for q in queries if q.get("lang", "ko") == lang]
        if not texts:
            continue
        qfile = tmp_path / f"q-{lang}.json"
        qfile.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        result = subprocess.run(
            ["node", str(ROOT / "tools" / "search_eval.mjs"), str(built_site),
             str(folder / "search" / "search_index.json"), str(qfile)],
            capture_output=True, text=True, check=True,
        )
        for q, pages in json.loads(result.stdout).items():
            found[q, lang] = [prefix + p for p in pages]
    return found


def test_real_search_worker_ranks_the_browser_queries_first(built_site, tmp_path):
    """Material's own worker in Node (tools/search_eval.mjs) on the built index."""
    queries = browser_queries()
    found = rank_in_worker(built_site, tmp_path, queries)
    wrong = [
        f"{q['q']}: first {found[q['q'], q.get('lang', 'ko')][:1]}, "
        f"expected {page_url(q['expect'][0], q.get('lang', 'ko'))!r}"
        for q in queries
        if found[q["q"], q.get("lang", "ko")][:1] != [page_url(q["expect"][0], q.get("lang", "ko"))]
    ]
    assert wrong == []


def search_results(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return result page paths once they settle."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    previous: list[str] | None = None
    for _ in range(40):
        time.sleep(0.15)
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item > a:first-child", "els => els.map(e => e.href)"
        )
        if hrefs and hrefs == previous:
            break
        previous = hrefs
    return [re.sub(r"^https?://[^/]+/", "", h.split("?")[0].split("#")[0]) for h in hrefs or []]


def test_korean_queries_in_the_search_box_put_the_expected_page_first(site_server, page):
    page.goto(site_server.url + "notebooks/")
    page.keyboard.press("/")
    page.wait_for_selector("input.md-search__input:focus")
    wrong = []
    for query in browser_queries():
        expected = page_url(query["expect"][0], query.get("lang", "ko"))
        results = search_results(page, query["q"])
        if results[:1] != [expected]:
            wrong.append(f"{query['q']}: first results {results[:3]}, expected {expected!r}")
        # The added forms are indexed but never shown in a result preview.
        forms = page.locator(".md-search-result .kfguide-search-forms")
        visible = [i for i in range(forms.count()) if forms.nth(i).is_visible()]
        if visible:
            wrong.append(f"{query['q']}: {len(visible)} hidden form blocks are visible")
    assert wrong == []
    assert page.kfguide_log.console_errors == []


def test_search_stays_in_the_readers_language(site_server, page):
    """Each language searches its own index: no English copies in Korean results, and back."""
    page.goto(site_server.url + "en/notebooks/")
    page.keyboard.press("/")
    page.wait_for_selector("input.md-search__input:focus")
    english = search_results(page, "notebook")
    assert english and english[0] == "en/notebooks/", english
    assert all(url.startswith("en/") for url in english), english
    page.goto(site_server.url + "notebooks/")
    page.keyboard.press("/")
    page.wait_for_selector("input.md-search__input:focus")
    korean = search_results(page, "Notebooks")
    assert "notebooks/" in korean[:3], korean  # an English word on a Korean page
    assert not any(url.startswith("en/") for url in korean), korean
    assert page.kfguide_log.console_errors == []
    assert page.kfguide_log.failed == []


# --- issue 18: names typed joined, spaced, hyphenated or in lower case ----------------------------


def test_shape_forms_join_names_written_in_several_tokens():
    text = "JupyterLab, VS Code 또는 RStudio를 고릅니다. kubectl port-forward로 MLflow와 비교합니다. The Kubeflow UI"
    assert search_ko.shape_forms(text) == ["jupyterlab", "vscode", "rstudio", "portforward", "mlflow", "kubeflowui"]
    # Without the joined form lunr holds only the parts: a joined query finds nothing.
    assert "jupyterlab" not in search_ko.tokens(text) and "vscode" not in search_ko.tokens(text)
    assert search_ko.shape_forms("서버를 엽니다. The Notebooks page") == []  # sentence start is no name


def test_glossary_names_give_joined_spellings_and_homes():
    glossary = {"terms": [
        {"ko": "Kubeflow Pipelines", "en": "Kubeflow Pipelines", "abbr": "KFP", "chapter": "pipelines.md"},
        {"ko": "JupyterLab", "en": "JupyterLab", "variants": ["Jupyter Lab"], "chapter": "notebooks.md#create"},
        {"ko": "요청", "en": "request", "chapter": "notebooks.md#resources"},
    ]}
    lexicon = search_ko.glossary_lexicon(glossary)
    assert lexicon.latin_names[("kubeflow", "pipelines")] == {"kubeflowpipelines"}
    assert lexicon.homes["pipelines/"] == ["kubeflow", "pipelines", "kubeflowpipelines", "kfp"]
    assert lexicon.homes["notebooks/#create"] == ["jupyter", "lab", "jupyterlab"]
    assert "notebooks/#resources" not in lexicon.homes  # an everyday word ranks nothing
    forms = search_ko.extra_forms("Kubeflow Pipelines와 Jupyter Lab", lexicon)
    assert "kubeflowpipelines" in forms and "jupyterlab" in forms
    assert search_ko.extra_forms("Kubeflow Pipelines", lexicon, features=("forms",)) == []


def test_homes_carry_joined_korean_names_and_korean_variants():
    # A 1.0 name's home may not use the name (the section writes the English UI label): the
    # joined spelling a reader types finds it only through the home's names field.
    glossary = {"terms": [
        {"ko": "노트북 서버", "en": "Notebook Server", "variants": ["노트북서버"],
         "chapter": "notebooks.md#since-1-0"},
        {"ko": "TensorBoard", "en": "TensorBoard", "variants": ["텐서보드", "텐서 보드", "Tensorboard"],
         "chapter": "dashboard.md#dashboard-menu"},
    ]}
    lexicon = search_ko.glossary_lexicon(glossary)
    assert lexicon.homes["notebooks/#since-1-0"] == [
        "노트북", "서버", "노트북서버", "notebook", "server", "notebookserver"]
    # Korean variants joined, once; the Latin one needs nothing (lower case meets tensorboard).
    assert lexicon.homes["dashboard/#dashboard-menu"] == ["tensor", "board", "tensorboard", "텐서보드"]
    # Each rule on its own: the two-word term gives the joined form, and so does the variant.
    joined = search_ko.glossary_lexicon({"terms": [dict(glossary["terms"][0], variants=[])]})
    assert "노트북서버" in joined.homes["notebooks/#since-1-0"]
    variant = search_ko.glossary_lexicon({"terms": [dict(glossary["terms"][0], ko="노트북")]})
    assert variant.homes["notebooks/#since-1-0"] == ["노트북", "notebook", "server", "notebookserver", "노트북서버"]
    plain = search_ko.glossary_lexicon({"terms": [dict(glossary["terms"][0], ko="노트북", variants=[])]})
    assert "노트북서버" not in plain.homes["notebooks/#since-1-0"]


def test_homes_field_is_boosted_and_carries_the_english_title():
    glossary = {"terms": [{"ko": "MinIO", "en": "MinIO", "chapter": "artifact-store.md#minio"}]}
    index = {"config": {"lang": ["ko"]}, "docs": [
        {"location": "artifact-store/#minio", "title": "기본 객체 저장소", "text": "<p>MinIO를 씁니다.</p>"},
        {"location": "glossary/", "title": "용어집", "text": "<p>용어를 모았습니다.</p>"},
        {"location": "en/glossary/", "title": "Glossary", "text": "<p>Terms.</p>"},
    ]}
    out, _ = search_ko.augment_index(index, search_ko.glossary_lexicon(glossary))
    assert out["config"]["fields"] == {search_ko.HOME_FIELD: {"boost": search_ko.HOME_BOOST}}
    assert out["docs"][0][search_ko.HOME_FIELD] == "minio"
    assert out["docs"][1][search_ko.HOME_FIELD] == "glossary"
    assert search_ko.HOME_FIELD not in out["docs"][2]  # English pages keep their own words
    off, _ = search_ko.augment_index(index, search_ko.glossary_lexicon(glossary), features=("separator",))
    assert "fields" not in off["config"] and search_ko.HOME_FIELD not in off["docs"][0]


def test_recall_of_the_whole_query_set(built_site, tmp_path):
    """recall@3 per category over data/search-queries.yml on the built indexes (Material's worker)."""
    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    found = rank_in_worker(built_site, tmp_path, data["queries"])
    hits: dict[str, list[int]] = {}
    misses = []
    for q in data["queries"]:
        lang = q.get("lang", "ko")
        wanted = {page_url(p, lang) for p in q["expect"]}
        hit = bool(wanted & set(found[(q["q"], lang)][:3]))
        cell = hits.setdefault(q.get("category", "existing"), [0, 0])
        cell[0] += 1
        cell[1] += hit
        if not hit:
            misses.append(f"{q.get('category', 'existing')}: {q['q']} -> {found[(q['q'], lang)][:3]}")
    assert hits["existing"][1] == hits["existing"][0], misses
    low = {cat: f"{h}/{n}" for cat, (n, h) in hits.items() if h < 0.95 * n}
    assert low == {}, misses
