# The two commands: `make run` serves the API locally, `make test` runs every check.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHECKOV_VENV := .venv-checkov
CHECKOV_INSTALLED := $(CHECKOV_VENV)/.installed
BENCH_INSTALLED := $(VENV)/.bench-installed
export AWS_DEFAULT_REGION ?= eu-west-1

.PHONY: run test unit lint validate build bench install clean

$(INSTALLED): pyproject.toml layers/shared/requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(CHECKOV_INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required" >&2; exit 1; }
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --group checkov
	@touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python -m orders_local

test: lint validate
	$(BIN)/python -m pytest -n 2

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# cfn-lint expands Fn::ForEach (AWS::LanguageExtensions) itself; checkov does not, so it checks the template
# expanded by orders_local.template, with its settings and the reasons of its skips in .checkov.yaml.
# Offline: no policy download (in .checkov.yaml) and no version check (CKV_SKIP_PACKAGE_UPDATE_CHECK).
EXPANDED_TEMPLATE := build/template.expanded.json

validate: $(INSTALLED) $(CHECKOV_INSTALLED)
	$(BIN)/cfn-lint template.yaml
	@mkdir -p $(dir $(EXPANDED_TEMPLATE))
	$(BIN)/python -m orders_local.template template.yaml > $(EXPANDED_TEMPLATE)
	CKV_SKIP_PACKAGE_UPDATE_CHECK=true $(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml \
		--file $(EXPANDED_TEMPLATE)

build:
	sam build

# Not part of `make test`: measures for a few minutes and writes bench/results.md and .json.
$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

bench: $(BENCH_INSTALLED)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .aws-sam build .pytest_cache .mypy_cache .ruff_cache
