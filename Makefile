# The two commands: `make run` (the demo session in the GUI) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean dist deb translations

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The GUI's translations (ui/i18n.py): the .ts files are sources (kept in git), the .qm files are built from them.
# `make translations` refreshes the .ts from ui/'s tr() calls (then write the new English into it).
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)
LUPDATE_FLAGS := -source-language zh_CN -target-language en -locations none -no-obsolete -silent

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find ui -name '*.py' | sort) $(LUPDATE_FLAGS) -ts resources/translations/evalroom_en.ts

%.qm: %.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

run: $(STAMP) $(QM)
	$(PY) -m app demo

# In parallel, one pytest-xdist worker per core and one more (at most 4; TEST_JOBS=0 runs in one process). --dist
# loadgroup keeps the tests marked with one xdist_group in one worker (the installers' bundle, a shared module
# fixture); --no-loadscope-reorder hands the work out in the order tests/conftest.py sets, the longest first.
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: each worker and each of the hundreds of `python -m
# app` processes the tests start would otherwise compile our sources (and pytest rewrite the tests) again.
TEST_JOBS ?= auto
PYTEST := QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_JOBS) --dist loadgroup --no-loadscope-reorder

test: $(STAMP) $(QM)
	$(PYTEST)

test-fast: $(STAMP) $(QM)
	$(PYTEST) -m "not slow"

# The gates CI runs before the tests (configured in pyproject.toml): ruff, mypy --strict on app/, the import-linter
# contracts. All three run; the target fails if any of them does.
LINTED := app ui tests bench installers
lint: $(STAMP)
	@status=0; \
	echo "== ruff"; $(VENV)/bin/ruff check $(LINTED) || status=1; \
	echo "== mypy"; $(VENV)/bin/mypy || status=1; \
	echo "== import-linter"; $(VENV)/bin/lint-imports --no-logo || status=1; \
	exit $$status

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# The one-folder PyInstaller bundle dist/evalroom/ (installers/pyinstaller) and the Debian package built from it.
dist: $(STAMP) $(QM)
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installers/pyinstaller/evalroom.spec

deb: dist
	$(PY) installers/debian/build_deb.py dist/evalroom --out dist

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
