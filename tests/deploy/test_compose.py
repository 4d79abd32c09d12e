"""The production docker-compose.yml, checked by docker-compose itself (v1, `config`) with a throwaway .env.

No daemon is needed: `docker-compose config` parses, validates and interpolates the file exactly as `up` would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"

AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
SERVICES = AIRFLOW_SERVICES | {"postgres", "redis"}
REQUIRED_SECRETS = (
    "POSTGRES_PASSWORD",
    "AIRFLOW_ADMIN_PASSWORD",
    "AIRFLOW_FERNET_KEY",
    "AIRFLOW_JWT_SECRET",
    "AIRFLOW_API_SECRET_KEY",
    "SOCIAL_ROI_PII_SALT",
)
# throwaway values: distinctive, so the test can find exactly where each one lands
SECRETS = {name: f"test-{name.lower().replace('_', '-')}-0123456789" for name in REQUIRED_SECRETS}


def _docker_compose() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        pytest.fail(
            "docker-compose is not installed: `apt-get install -y --no-install-recommends docker.io docker-compose` "
            "(.ci/run does this once)"
        )
    return found


def _config(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    return subprocess.run(
        [
            _docker_compose(),
            "--project-directory",
            str(ROOT),
            "-f",
            str(COMPOSE_FILE),
            "--env-file",
            str(env_file),
            "config",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)},
    )


def _resolved(tmp_path: Path, **extra: str) -> dict:
    result = _config(tmp_path, {**SECRETS, **extra})
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict:
    return _resolved(tmp_path_factory.mktemp("compose"))


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_config_quiet_accepts_a_complete_env(tmp_path):
    result = _config(tmp_path, SECRETS, "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_every_service_is_present_with_a_health_check(resolved):
    services = resolved["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check, f"{name} has no health check"
        assert not check.get("disable", False), name
        assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1, name


def test_airflow_runs_celery_on_postgres_and_redis(resolved):
    services = resolved["services"]
    pg_password = SECRETS["POSTGRES_PASSWORD"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
            f"postgresql+psycopg2://airflow:{pg_password}@postgres:5432/airflow"
        ), name
        assert (
            env["AIRFLOW__CELERY__RESULT_BACKEND"]
            == f"db+postgresql+psycopg2://airflow:{pg_password}@postgres:5432/airflow"
        ), name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0", name
        assert env["AIRFLOW__CORE__FERNET_KEY"] == SECRETS["AIRFLOW_FERNET_KEY"], name
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == SECRETS["AIRFLOW_JWT_SECRET"], name
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/social-roi/dags", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False", name
        assert "airflow-init" in services[name].get("depends_on", {}) or name == "airflow-init", name
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == pg_password
    commands = {name: " ".join(services[name]["command"]) for name in AIRFLOW_SERVICES}
    assert "airflow db migrate" in commands["airflow-init"]
    assert commands["airflow-apiserver"].startswith("airflow api-server")
    assert commands["airflow-scheduler"] == "airflow scheduler"
    assert commands["airflow-dag-processor"] == "airflow dag-processor"
    assert commands["airflow-triggerer"] == "airflow triggerer"
    assert commands["airflow-worker"] == "airflow celery worker"
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name
    # the admin password reaches the one service that creates the login, and no other
    assert services["airflow-init"]["environment"]["AIRFLOW_ADMIN_PASSWORD"] == SECRETS["AIRFLOW_ADMIN_PASSWORD"]
    for name in SERVICES - {"airflow-init"}:
        assert SECRETS["AIRFLOW_ADMIN_PASSWORD"] not in yaml.safe_dump(services[name]), name


def test_workers_scale(resolved):
    worker = resolved["services"]["airflow-worker"]
    # a fixed container name or a published port would make `--scale airflow-worker=N` fail
    assert "container_name" not in worker
    assert "ports" not in worker
    assert (
        worker["environment"]["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
    )


def test_pipeline_settings_and_volumes_reach_every_airflow_container(tmp_path):
    services = _resolved(
        tmp_path,
        SOCIAL_ROI_REPORTING_CURRENCY="EUR",
        SOCIAL_ROI_ALERT_WEBHOOK_URL="http://127.0.0.1:9/hook",
        SOCIAL_ROI_ALERT_SMTP_HOST="smtp.test",
        SOCIAL_ROI_WAREHOUSE="duckdb",
    )["services"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["SOCIAL_ROI_HOME"] == "/data/home", name
        assert env["SOCIAL_ROI_INBOX"] == "/data/inbox", name
        assert env["SOCIAL_ROI_PII_SALT"] == SECRETS["SOCIAL_ROI_PII_SALT"], name
        assert env["SOCIAL_ROI_REPORTING_CURRENCY"] == "EUR", name
        assert env["SOCIAL_ROI_ALERT_WEBHOOK_URL"] == "http://127.0.0.1:9/hook", name
        assert env["SOCIAL_ROI_ALERT_SMTP_HOST"] == "smtp.test", name
        assert env["SOCIAL_ROI_WAREHOUSE"] == "duckdb", name
        # docker-compose v1 prints short syntax: "source:target:mode"
        mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in services[name]["volumes"]}
        assert mounts["/data/home"] == "home", name
        assert mounts["/data/inbox"] == "inbox", name


def test_unset_pass_through_settings_stay_unset(resolved):
    env = resolved["services"]["airflow-worker"]["environment"]
    # not set in .env: no empty string that the pipeline could mistake for a setting
    assert env.get("SOCIAL_ROI_ALERT_WEBHOOK_URL") is None
    assert env.get("SOCIAL_ROI_WAREHOUSE") is None
    assert env["SOCIAL_ROI_REPORTING_CURRENCY"] == "USD"


@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
def test_a_missing_secret_stops_compose_with_its_name(tmp_path, missing):
    for env in ({k: v for k, v in SECRETS.items() if k != missing}, {**SECRETS, missing: ""}):
        result = _config(tmp_path, env, "-q")
        assert result.returncode != 0
        assert f"set {missing} in .env" in result.stderr, result.stderr


def test_no_literal_secret_in_the_file(raw):
    secretish = re.compile(r"PASSWORD|SECRET|FERNET|SALT|SQL_ALCHEMY_CONN|RESULT_BACKEND|TOKEN")

    def environments(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "environment" and isinstance(value, dict):
                    yield value
                else:
                    yield from environments(value)
        elif isinstance(node, list):
            for item in node:
                yield from environments(item)

    checked = 0
    for env in environments(raw):
        for key, value in env.items():
            if key == "<<" or not secretish.search(key) or value is None:
                continue
            checked += 1
            assert re.search(r"\$\{[A-Z_]+:\?[^}]+\}", str(value)), f"{key} must come from .env with :? ({value})"
    assert checked >= 8


def test_images_are_overridable(tmp_path, resolved):
    services = resolved["services"]
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in AIRFLOW_SERVICES:
        assert services[name]["image"] == "social-roi:latest", name
        assert services[name]["build"]["args"]["BASE_IMAGE"] == "python:3.11-slim", name
        assert Path(services[name]["build"]["context"]) == ROOT, name
    services = _resolved(
        tmp_path,
        PG_IMAGE="local/postgres:15",
        REDIS_IMAGE="local/redis:7",
        SOCIAL_ROI_IMAGE="registry.test/sroi:1",
        BASE_IMAGE="local/bookworm-py",
    )["services"]
    assert services["postgres"]["image"] == "local/postgres:15"
    assert services["redis"]["image"] == "local/redis:7"
    for name in AIRFLOW_SERVICES:
        assert services[name]["image"] == "registry.test/sroi:1", name
        assert services[name]["build"]["args"]["BASE_IMAGE"] == "local/bookworm-py", name


def test_dockerfile_builds_from_the_lock_as_a_non_root_user():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert instructions[0] == "ARG BASE_IMAGE=python:3.11-slim"
    assert instructions[1] == "FROM ${BASE_IMAGE}"
    assert text.count("uv sync --frozen") == 2
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    # no secret is baked in: ENV/ARG never name one
    for line in instructions:
        if line.startswith(("ENV ", "ARG ")):
            assert not re.search(r"PASSWORD|SECRET|FERNET|SALT", line), line
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", ".env", "*.duckdb"} <= ignored
    for needed in ("social_roi", "dags", "dbt_project", "expectations"):
        assert f"COPY {needed} " in text, needed


def test_deploy_extra_stays_out_of_the_main_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deploy = " ".join(project["optional-dependencies"]["deploy"])
    for package in ("apache-airflow-providers-celery", "apache-airflow-providers-postgres", "psycopg2-binary"):
        assert package in deploy, package
        assert not any(dep.startswith(package) for dep in project["dependencies"]), package


def test_env_example_lists_every_required_secret_without_a_value():
    lines = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if re.match(r"^[A-Z_]+=", line)
    )
    for name in REQUIRED_SECRETS:
        assert lines[name] == "", name
