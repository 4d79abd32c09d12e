# The project image: Airflow 3.3 (api-server, scheduler, dag-processor, triggerer, Celery worker) with the
# social_roi package, its dbt project, DAG and expectation suites. Installed from uv.lock (frozen) with the
# `deploy` extra (Celery, PostgreSQL, FAB logins). No secret is baked in: everything comes from the environment.
#
#   docker build -t social-roi:latest .
#   docker build --build-arg BASE_IMAGE=local/bookworm-py -t social-roi:latest .   # where Docker Hub is unreachable
#
# BASE_IMAGE must provide python3.11 with venv and CA certificates (python:3.11-slim, or Debian bookworm with
# python3, python3-venv and ca-certificates).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ARG UV_VERSION=0.13.8
ARG APP_UID=50000

ENV PYTHONUNBUFFERED=1 \
    UV_NO_PROGRESS=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_NATIVE_TLS=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/social-roi/.venv \
    PATH=/opt/social-roi/.venv/bin:$PATH \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    GX_ANALYTICS_ENABLED=false \
    AIRFLOW__USAGE_DATA_COLLECTION__ENABLED=False \
    AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
    DO_NOT_TRACK=1 \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/social-roi/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    SOCIAL_ROI_HOME=/data/home \
    SOCIAL_ROI_INBOX=/data/inbox

# uv in a throw-away virtualenv, then the locked dependencies (without the project: this layer survives code edits)
WORKDIR /opt/social-roi
COPY pyproject.toml uv.lock README.md ./
RUN python3.11 -m venv /opt/uv \
    && /opt/uv/bin/pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}" \
    && /opt/uv/bin/uv sync --frozen --no-dev --extra deploy --no-install-project --compile-bytecode \
       --python python3.11 --no-cache

# the project itself, installed editable so it finds dbt_project/ and expectations/ beside the package
COPY social_roi ./social_roi
COPY dags ./dags
COPY dbt_project ./dbt_project
COPY expectations ./expectations
RUN /opt/uv/bin/uv sync --frozen --no-dev --extra deploy --compile-bytecode --python python3.11 --no-cache \
    && rm -rf /opt/uv \
    && useradd --uid "${APP_UID}" --gid 0 --create-home --home-dir /home/social-roi --shell /bin/bash social-roi \
    && mkdir -p /data/home /data/inbox /opt/airflow/logs \
    && chown -R "${APP_UID}:0" /data /opt/airflow \
    && chmod -R g+rwX /data /opt/airflow

USER ${APP_UID}
VOLUME ["/data/home", "/data/inbox"]
EXPOSE 8080
CMD ["airflow", "version"]
