"""Shared test set-up: telemetry off, and every path the pipeline writes kept under pytest's tmp dirs."""

from __future__ import annotations

import os
import tempfile

for key, value in {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
}.items():
    os.environ.setdefault(key, value)
# Airflow reads its home at import time: give the test process its own, never the user's ~/airflow.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="social_roi_airflow_"))
