# The README's commands. Each target sets up what it needs on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SEED_CENTRES ?= 40
SEED_MONTHS ?= 18

.PHONY: run test test-dates lint format bench venv clean-venv messages

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Butuh $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Set-up is idempotent: migrate, regions (also loaded by migration), demo data (skipped when present).
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_regions
	$(BIN)/python manage.py seed_demo --centres $(SEED_CENTRES) --months $(SEED_MONTHS) --seed 1
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	./scripts/serve.sh $(HOST) $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The date-sensitive tests again, as if on each of these days in Jakarta (a month and year end, the
# end of February in a common and a leap year, and the deadline day at 23:30): the suite must pass
# on every date, not only on the main run's fixed day (DEFAULT_TEST_TODAY in tests/conftest.py, an
# ordinary mid-month day). The permission matrix (most of these tests) runs on MATRIX_DATES, the
# deadline hour, where access turns; the main run has already taken it on the ordinary day.
# The first date makes the test databases afresh and keeps them; the later dates reuse them (Django
# still applies any new migration), which saves migrating both xdist databases again on each.
TEST_DATES ?= 2026-12-31 2027-02-28 2028-02-29 2026-12-10T23:30
MATRIX_DATES ?= 2026-12-10T23:30
test-dates: $(STAMP)
	@db=--create-db; for day in $(TEST_DATES); do \
	  marks="dates and not browser and not celery_worker"; \
	  case " $(MATRIX_DATES) " in *" $$day "*) ;; *) marks="$$marks and not matrix";; esac; \
	  echo "== PORTAL_TEST_TODAY=$$day ($$marks)"; \
	  PORTAL_TEST_TODAY=$$day $(BIN)/python -m pytest -n 2 -q --reuse-db $$db -m "$$marks" || exit 1; \
	  db=; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore '.venv/*' --ignore 'static/vendor/*' --ignore 'blkportal/api/*' --ignore 'tests/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'blkportal/api/*'

# SCALE=national (2,127 centres × 60 months, docs/benchmarks.md) or SCALE=large (10,000 × 120,
# docs/benchmarks-large.md).
SCALE ?= national
bench: $(STAMP)
	SCALE=$(SCALE) ./bench/run.sh
