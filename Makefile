# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 5000
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
RUN := $(UV) run --frozen
FLASK := $(RUN) flask --app app

.PHONY: run test lint unit postgres install system-packages translations bench

## run: install what is missing, migrate, seed a demo community if empty, serve on $(PORT)
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Spilno on http://127.0.0.1:$(PORT) (mail is written to instance/mail/)"
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --port $(PORT)

## test: lint, then the whole suite on SQLite, then again on PostgreSQL when one answers
test: install system-packages lint unit postgres

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

unit: install
	$(RUN) pytest

postgres: install
	@url="$$($(RUN) python scripts/postgres_url.py)"; \
	if [ -n "$$url" ]; then \
	  echo "== the suite again on PostgreSQL"; TEST_DATABASE_URL="$$url" $(RUN) pytest; \
	else echo "== PostgreSQL does not answer on 127.0.0.1:5432 and TEST_DATABASE_URL is unset: skipped"; fi

install:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet
	@$(RUN) pybabel --quiet compile -d app/translations
	@mkdir -p instance

# Debian packages the browser tests need; installed when we are root, else explained.
system-packages:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium"; exit 1; fi; \
	fi

## translations: collect new strings into the catalogs (then fill in Ukrainian by hand)
translations: install
	$(RUN) pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --omit-header -o app/translations/messages.pot .
	$(RUN) pybabel update -i app/translations/messages.pot -d app/translations --no-location \
	  --omit-header --width 100

bench: install
	@for script in benchmarks/*.py; do [ -e "$$script" ] && $(RUN) python "$$script"; done; true
