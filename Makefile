# Homeward — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
UV := python3 -m uv
PY := $(UV) run --frozen
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test install uv system migrate demo lint format messages golden sample demo-snapshot bench-sitegen bench-faces bench-posters bench-tips bench-alerts
# Debian packages for the posters: Noto fonts (Arabic, CJK), Pango, HarfBuzz's font subsetter.
SYSTEM_PACKAGES := fontconfig fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

uv:  ## bootstrap uv when it is missing
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

system:  ## the Debian packages posters need, installed when missing (as root or with sudo)
	@command -v dpkg >/dev/null || { echo "Not Debian: install $(SYSTEM_PACKAGES) yourself."; exit 0; }; \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo=sudo; \
	else echo "Posters need: sudo apt-get install" $$missing; exit 0; fi; \
	echo "installing" $$missing; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	  --no-install-recommends $$missing >/dev/null

install: uv system  ## Python and Debian packages, and the CMS's compiled translations
	@$(UV) sync --frozen --quiet --compile-bytecode  # every process imports Django and Wagtail: compiled once here, not at each start
	@$(PY) python -m sitegen messages --compile

migrate: install
	@$(PY) python manage.py migrate --verbosity 0

demo: migrate
	@$(PY) python manage.py load_demo

run: demo  ## install, migrate, load the demo once, and start the CMS and its workers
	@$(PY) python manage.py serve $(ADDR)

test: install  ## the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
	@$(PY) pytest -n 2 $(PYTEST_ARGS)

lint: install  ## the checks of .pre-commit-config.yaml (ruff, formatting, catalogs), as CI runs them
	@$(PY) pre-commit run --all-files --show-diff-on-failure

format: install
	@$(PY) ruff check --fix .
	@$(PY) ruff format .

messages: install  ## extract every UI string with Babel and update translations/
	@$(PY) python -m sitegen messages

sample: install  ## regenerate content/sample: the generator's own hand-made fixture
	@$(PY) python -m sitegen.tools.sample

golden: install  ## regenerate the generator's expected output (tests/sitegen/expected)
	@$(PY) python -m sitegen.tools.golden

demo-snapshot: install  ## regenerate content/demo: the demo network exported by export_content
	@tmp=$$(mktemp -d) && export HOMEWARD_VAR_DIR=$$tmp && \
	$(PY) python manage.py migrate --verbosity 0 && \
	$(PY) python manage.py load_demo > /dev/null && \
	rm -rf content/demo && $(PY) python manage.py export_content content/demo && \
	rm -f content/demo/.media-index.json && rm -rf $$tmp

bench-sitegen: install  ## 5,000 cases x 3 locales: full, no-change and one-case builds, their deploys to a local S3, Pelican beside them
	@$(PY) python -m sitegen.tools.bench $(BENCH_ARGS)

bench-posters: install  ## ms and KB per PDF poster and share image (last line JSON)
	@$(PY) python -m sitegen.posters.bench

bench-faces: install  ## detection/encoding speed and gallery search latency (last line JSON)
	@$(PY) python -m match_worker.bench

bench-tips: install  ## peak memory of a tip's five photos, per kind of upload (last line JSON)
	@$(PY) python -m cms.tips.bench

bench-alerts: install  ## 1,000,000 subscribers on PostgreSQL: selection, 100,000 emails, webhooks, retraction (last line JSON)
	@$(PY) python -m cms.distribution.bench $(BENCH_ARGS)
