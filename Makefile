# The two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DJANGO_SETTINGS_MODULE ?= peer_site.settings.dev

.PHONY: run test bench load load-chat lint format install demo migrations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Two pytest workers, each with its own test database, live server and browser: on two
# cores the suite spends much of its time waiting on PostgreSQL, Chromium and workers.
# TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

test: $(STAMP)
	DJANGO_SETTINGS_MODULE=peer_site.settings.test $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=peer_site.settings.test $(BIN)/python -m tests.perf.bench

# A load test on the production stack (gunicorn, Celery, PostgreSQL, Redis) at
# 127.0.0.1; needs DATABASE_URL and REDIS_URL as for `make test` on services.
load: $(STAMP)
	$(BIN)/python -m tests.perf.load $(LOAD_ARGS)

# 100 chatters in one live chat against gunicorn on a fresh database (PostgreSQL when
# DATABASE_URL is set); fails when p95 delivery is 3 s or more, or a message is lost.
load-chat: $(STAMP)
	DJANGO_SETTINGS_MODULE=peer_site.settings.load $(BIN)/python -m tests.perf.chat_load

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: $(STAMP)
	$(BIN)/python manage.py makemigrations
