# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 5000
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
RUN := $(UV) run --frozen
FLASK := $(RUN) flask --app app

.PHONY: run test lint unit postgres install runtime-packages system-packages node-packages \
  translations bench

## run: install what is missing, migrate, seed a demo community if empty, serve on $(PORT)
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Spilno on http://127.0.0.1:$(PORT) (mail is written to instance/mail/)"
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --port $(PORT)

## test: lint, then the whole suite on SQLite, then again on PostgreSQL when one answers
test: install system-packages node-packages lint unit postgres

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# Tests run in parallel (pytest-xdist), each worker with its own database: two workers more
# than there are cores, since browser and server tests spend part of their time waiting, and
# an idle worker takes tests from a busy one's queue (worksteal), so no long test is left last.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 2 )))
PYTEST := $(RUN) pytest -n $(TEST_WORKERS) --dist worksteal

unit: install
	$(PYTEST)

# The markup checks (axe-core, the Nu checker) read HTML that is the same on any database:
# they run once, above, and every other test again here.
postgres: install
	@url="$$($(RUN) python scripts/postgres_url.py)"; \
	if [ -n "$$url" ]; then \
	  echo "== the suite again on PostgreSQL"; TEST_DATABASE_URL="$$url" $(PYTEST) -m "not markup"; \
	else echo "== PostgreSQL does not answer on 127.0.0.1:5432 and TEST_DATABASE_URL is unset: skipped"; fi

install:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@# Bytecode compiled once here: where Python may not write it (PYTHONDONTWRITEBYTECODE),
	@# every process the suite starts would otherwise compile its libraries again.
	@$(UV) sync --frozen --quiet --compile-bytecode
	@$(RUN) pybabel --quiet compile -d app/translations
	@mkdir -p instance

# Debian packages, installed when missing and we are root (otherwise explained): Pango and
# HarfBuzz's font subsetter for WeasyPrint's PDFs; for the tests also Chromium, poppler and
# zbar (to read the PDFs back).
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# The HTML checker runs on Java and comes from npm: Debian's, where the machine has neither.
TEST_PACKAGES := $(RUNTIME_PACKAGES) chromium poppler-utils zbar-tools \
  $(if $(shell command -v java),,default-jre-headless) $(if $(shell command -v npm),,npm)
define install_debian
	@missing="$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "== installing $$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages: sudo apt-get install $$missing"; exit 1; fi; \
	fi
endef

runtime-packages:
	$(call install_debian,$(RUNTIME_PACKAGES))

system-packages:
	$(call install_debian,$(TEST_PACKAGES))

# The W3C Nu HTML checker (vnu-jar), at the version package-lock.json names.
node-packages: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error

## translations: collect new strings into the catalogs (then fill in Ukrainian by hand)
translations: install
	$(RUN) pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --omit-header -o app/translations/messages.pot .
	$(RUN) pybabel update -i app/translations/messages.pot -d app/translations --width 100 \
	  --no-fuzzy-matching

bench: install
	@for script in benchmarks/*.py; do [ -e "$$script" ] && $(RUN) python "$$script"; done; true
