# Thin wrappers around the project's tools. Everything runs from the project's own virtualenv (.venv), which
# uv creates from uv.lock; uv itself is bootstrapped into .tools/ with the machine's Python 3.11.
PYTHON ?= python3.11
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export AIRFLOW__USAGE_DATA_COLLECTION__ENABLED := False
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export DO_NOT_TRACK := 1
export UV_NO_PROGRESS := 1

.PHONY: demo test lint venv clean up down

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --compile-bytecode: where Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE), every process would
# otherwise compile Airflow, pandas and Great Expectations from source (about 5 s a process)
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

venv: $(VENV)/.synced

demo: $(VENV)/.synced
	$(BIN)/social-roi demo

test: $(VENV)/.synced
	$(BIN)/python -m pytest

lint: $(VENV)/.synced
	$(BIN)/ruff check social_roi dags tests scripts expectations
	$(BIN)/ruff format --check social_roi dags tests scripts expectations

clean:
	rm -rf var .pytest_cache .ruff_cache dbt_project/target dbt_project/logs

# The Airflow components (api-server, scheduler, dag-processor, triggerer) on $SOCIAL_ROI_HOME (default ./var)
up: $(VENV)/.synced
	$(BIN)/social-roi up

down: $(VENV)/.synced
	$(BIN)/social-roi down
