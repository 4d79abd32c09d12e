#!/usr/bin/env bash
# Bring the production docker-compose stack up for real on one machine, run the daily DAG once, tear it all down.
#
#   sudo scripts/compose_smoke.sh            # as root: it starts its own Docker daemon
#
# Works where Docker Hub is unreachable: the base image is made with debootstrap, PostgreSQL and Redis images are
# built from it with Debian's packages (deploy/images/), the project image with BASE_IMAGE=local/bookworm-py.
# Idempotent: every image is rebuilt from cache, a daemon already started by this script is reused, and the stack
# is removed with its volumes at the end (also on failure). It prints the time of every step.
#
# Settings (environment): SMOKE_DIR (daemon, base image, .env; default /var/tmp/social-roi-smoke), SMOKE_SCALE
# (default 0.01), SMOKE_DAYS (2: 30 export files; 10 = 150 files, enough for ingestion's parallel parsing),
# SMOKE_WORKERS (workers after the run, to show scaling; default 2), SMOKE_TIMEOUT
# (seconds to wait for the run; default 1800), SMOKE_KEEP=1 (leave the stack and the daemon running).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SMOKE_DIR="${SMOKE_DIR:-/var/tmp/social-roi-smoke}"
SCALE="${SMOKE_SCALE:-0.01}"
DAYS="${SMOKE_DAYS:-2}"
WORKERS="${SMOKE_WORKERS:-2}"
TIMEOUT="${SMOKE_TIMEOUT:-1800}"
SOCK="$SMOKE_DIR/docker.sock"
PIDFILE="$SMOKE_DIR/dockerd.pid"
PROJECT=socialroismoke
DOCKER="$(command -v /usr/bin/docker || command -v docker)"
export DOCKER_HOST="unix://$SOCK"
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

if [ "$(id -u)" -ne 0 ]; then
    echo "compose_smoke.sh starts a Docker daemon: run it as root" >&2
    exit 2
fi
mkdir -p "$SMOKE_DIR"
cd "$ROOT"

T0=$(date +%s.%N)
STEP_T=$T0
step() {  # step NAME: print the time the previous step took, then announce the next one
    local now
    now=$(date +%s.%N)
    if [ -n "${STEP_NAME:-}" ]; then
        printf '[smoke] %-46s %7.1f s\n' "$STEP_NAME" "$(echo "$now - $STEP_T" | bc)"
    fi
    STEP_NAME="$1"
    STEP_T=$now
    [ -z "$1" ] || echo "[smoke] -> $1"
}

STARTED_DOCKERD=""
compose() { docker-compose -p "$PROJECT" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    --env-file "$SMOKE_DIR/.env" "$@"; }
cleanup() {
    local rc=$?
    if [ "${SMOKE_KEEP:-0}" = 1 ]; then
        echo "[smoke] left running (SMOKE_KEEP=1): DOCKER_HOST=$DOCKER_HOST docker-compose -p $PROJECT ..."
        exit $rc
    fi
    if [ -S "$SOCK" ] && [ -f "$SMOKE_DIR/.env" ]; then
        step "down -v"
        compose down -v --remove-orphans >/dev/null 2>&1 || true
    fi
    if [ -n "$STARTED_DOCKERD" ]; then
        step "stop dockerd (pid $STARTED_DOCKERD)"
        kill "$STARTED_DOCKERD" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$STARTED_DOCKERD" 2>/dev/null || break; sleep 1; done
    fi
    step ""
    printf '[smoke] total %.1f s, exit %d\n' "$(echo "$(date +%s.%N) - $T0" | bc)" "$rc"
    exit $rc
}
trap cleanup EXIT
trap 'exit 143' TERM INT

step "tools (docker.io, docker-compose, debootstrap)"
missing=""
command -v dockerd >/dev/null || missing="$missing docker.io"
command -v docker-compose >/dev/null || missing="$missing docker-compose"
command -v debootstrap >/dev/null || missing="$missing debootstrap"
command -v bc >/dev/null || missing="$missing bc"
if [ -n "$missing" ]; then
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
DOCKER="$(command -v /usr/bin/docker || command -v docker)"

step "docker daemon"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && "$DOCKER" info >/dev/null 2>&1; then
    echo "[smoke] reusing dockerd pid $(cat "$PIDFILE")"
else
    mkdir -p "$SMOKE_DIR/data" "$SMOKE_DIR/exec"
    # no iptables / default bridge on this host: compose's own networks still work (checked by this run)
    dockerd --host "$DOCKER_HOST" --data-root "$SMOKE_DIR/data" --exec-root "$SMOKE_DIR/exec" --pidfile "$PIDFILE" \
        --iptables=false --ip-forward=false --ip-masq=false --bridge=none >"$SMOKE_DIR/dockerd.log" 2>&1 &
    STARTED_DOCKERD=$!
    for _ in $(seq 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
    "$DOCKER" info >/dev/null || { echo "dockerd did not start, see $SMOKE_DIR/dockerd.log" >&2; exit 1; }
fi

step "base image local/bookworm-py (debootstrap)"
if ! "$DOCKER" image inspect local/bookworm-py >/dev/null 2>&1; then
    if [ ! -x "$SMOKE_DIR/rootfs/usr/bin/python3" ]; then
        rm -rf "$SMOKE_DIR/rootfs"
        debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$SMOKE_DIR/rootfs" \
            >"$SMOKE_DIR/debootstrap.log" 2>&1
    fi
    # this machine reaches PyPI and Debian through its own CA: the local base trusts the host's bundle
    cp /etc/ssl/certs/ca-certificates.crt "$SMOKE_DIR/rootfs/etc/ssl/certs/ca-certificates.crt"
    tar -C "$SMOKE_DIR/rootfs" -c . | "$DOCKER" import - local/bookworm-py >/dev/null
fi

step "build local/postgres:15 and local/redis:7"
"$DOCKER" build -q --network host --build-arg BASE_IMAGE=local/bookworm-py -t local/postgres:15 deploy/images/postgres
"$DOCKER" build -q --network host --build-arg BASE_IMAGE=local/bookworm-py -t local/redis:7 deploy/images/redis

step "build social-roi:smoke (Dockerfile, BASE_IMAGE=local/bookworm-py)"
"$DOCKER" build -q --network host --build-arg BASE_IMAGE=local/bookworm-py -t social-roi:smoke .

step ".env with fresh secrets"
API_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$SMOKE_DIR/.env" "$API_PORT" <<'EOF'
import base64, os, secrets, sys
path, port = sys.argv[1], sys.argv[2]
values = {
    "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
    "AIRFLOW_ADMIN_PASSWORD": secrets.token_urlsafe(24),
    "AIRFLOW_FERNET_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "AIRFLOW_JWT_SECRET": secrets.token_urlsafe(32),
    "AIRFLOW_API_SECRET_KEY": secrets.token_urlsafe(32),
    "SOCIAL_ROI_PII_SALT": secrets.token_hex(16),
    "SOCIAL_ROI_IMAGE": "social-roi:smoke",
    "PG_IMAGE": "local/postgres:15",
    "REDIS_IMAGE": "local/redis:7",
    "BASE_IMAGE": "local/bookworm-py",
    "AIRFLOW_API_PORT": port,
}
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as out:
    out.writelines(f"{key}={value}\n" for key, value in values.items())
EOF
compose down -v --remove-orphans >/dev/null 2>&1 || true  # leftovers of an interrupted run

# the world ends 3 days ago; the run triggered for the next day has the data interval [END_DATE, END_DATE + 1), so it
# covers the whole world and never collides with the run the scheduler makes itself once unpaused (yesterday's)
END_DATE=$(date -u -d "3 days ago" +%F)
LOGICAL_DATE=$(date -u -d "2 days ago" +%F)
step "generate world into the inbox volume (scale $SCALE, $DAYS days to $END_DATE)"
compose run --rm --no-deps -T airflow-worker bash -c \
    "social-roi generate --out /tmp/world --scale $SCALE --days $DAYS --end-date $END_DATE \
     && cp -r /tmp/world/inbox/. /data/inbox/ && echo \"inbox: \$(find /data/inbox -type f | wc -l) files\""

step "docker-compose up -d (until every container is started)"
compose up -d 2>&1 | grep -v '^Creating\|^$' || true

api() {  # api METHOD PATH [JSON]: one authenticated call to the api-server, prints the JSON answer
    python3 - "$API_PORT" "$SMOKE_DIR/.env" "$@" <<'EOF'
import json, sys, urllib.error, urllib.request
port, env_file, method, path = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
env = dict(line.rstrip("\n").split("=", 1) for line in open(env_file) if "=" in line)
base = f"http://127.0.0.1:{port}"
def call(method, url, data, headers):
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)
try:
    login = json.dumps({"username": env.get("AIRFLOW_ADMIN_USERNAME", "admin"), "password": env["AIRFLOW_ADMIN_PASSWORD"]})
    token = call("POST", base + "/auth/token", login.encode(), {})["access_token"]
    print(json.dumps(call(method, base + path, body, {"Authorization": f"Bearer {token}"})))
except urllib.error.HTTPError as error:
    print(json.dumps({"http_error": error.code, "detail": error.read().decode()[:500]}))
except (urllib.error.URLError, OSError) as error:
    print(json.dumps({"unreachable": str(error)}))
EOF
}
field() { python3 -c "import json, sys; print(eval(sys.argv[1], {'d': json.load(sys.stdin)}))" "$1"; }

step "api-server /api/v2/monitor/health: every component healthy"
healthy=""
for _ in $(seq 120); do
    health=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$API_PORT/api/v2/monitor/health', timeout=5).read().decode())" 2>/dev/null || true)
    if [ -n "$health" ] && [ "$(echo "$health" | field "all(v.get('status') == 'healthy' for v in d.values())")" = True ]; then
        healthy=1; break
    fi
    sleep 5
done
echo "[smoke] health: ${health:-no answer}"
[ -n "$healthy" ] || { compose ps; exit 1; }

step "DAG social_roi_daily listed, no import errors"
for _ in $(seq 60); do
    dag=$(api GET /api/v2/dags/social_roi_daily)
    [ "$(echo "$dag" | field "d.get('dag_id', '')")" = social_roi_daily ] && break
    sleep 5
done
echo "[smoke] dag: $(echo "$dag" | field "{k: d.get(k) for k in ('dag_id', 'is_paused', 'has_import_errors', 'timetable_summary')}")"
[ "$(echo "$dag" | field "d.get('has_import_errors')")" = False ] || exit 1
errors=$(api GET /api/v2/importErrors)
echo "[smoke] import errors: $(echo "$errors" | field "d.get('total_entries')")"
[ "$(echo "$errors" | field "d.get('total_entries')")" = 0 ] || { echo "$errors"; exit 1; }

step "trigger social_roi_daily (logical date $LOGICAL_DATE), unpause"
RUN_ID="smoke__$LOGICAL_DATE"
trigger=$(api POST /api/v2/dags/social_roi_daily/dagRuns \
    "{\"dag_run_id\": \"$RUN_ID\", \"logical_date\": \"${LOGICAL_DATE}T00:00:00Z\"}")
echo "[smoke] triggered: $(echo "$trigger" | field "{k: d.get(k) for k in ('dag_run_id', 'state', 'data_interval_start', 'http_error', 'detail')}")"
api PATCH /api/v2/dags/social_roi_daily '{"is_paused": false}' | field "'is_paused=' + str(d.get('is_paused'))"

step "wait for the run's final state"
state=""
for _ in $(seq $((TIMEOUT / 10))); do
    state=$(api GET "/api/v2/dags/social_roi_daily/dagRuns/$RUN_ID" | field "d.get('state')")
    case "$state" in success|failed) break ;; esac
    sleep 10
done
echo "[smoke] run $RUN_ID: $state"
api GET "/api/v2/dags/social_roi_daily/dagRuns/$RUN_ID/taskInstances" | python3 -c '
import json, sys
for ti in sorted(json.load(sys.stdin).get("task_instances", []), key=lambda t: t.get("start_date") or ""):
    print("[smoke]   %-12s %-10s %7.1f s  try %s  on %s" % (
        ti["task_id"], ti["state"] or "-", ti.get("duration") or 0, ti["try_number"], ti.get("hostname")))'

api GET /api/v2/dags/social_roi_daily/dagRuns | python3 -c '
import json, sys
for run in json.load(sys.stdin).get("dag_runs", []):
    print("[smoke]   all runs: %s  %s  data interval from %s" % (run["dag_run_id"], run["state"], run["data_interval_start"]))'

if [ "$state" = success ]; then
    step "published marts, read from a worker"
    compose exec -T airflow-worker python -c '
import duckdb
con = duckdb.connect("/data/home/warehouse/marts.duckdb", read_only=True)
print("[smoke]   _publication:", con.sql("select * from _publication").fetchall())
for table in ("fct_channel_roi_daily", "fct_attributed_revenue", "quality_results"):
    print("[smoke]   %s: %d rows" % (table, con.sql("select count(*) from " + table).fetchall()[0][0]))
'
fi

step "scale: docker-compose up -d --scale airflow-worker=$WORKERS"
compose up -d --no-recreate --scale airflow-worker="$WORKERS" 2>&1 | grep -v '^$' || true
for _ in $(seq 60); do
    n=$(compose ps airflow-worker | grep -c '(healthy)' || true)
    [ "$n" -ge "$WORKERS" ] && break
    sleep 5
done
echo "[smoke] healthy workers: $n of $WORKERS"
compose ps

[ "$state" = success ] || { compose logs --tail=80 airflow-worker airflow-scheduler | tail -n 160; exit 1; }
[ "$n" -ge "$WORKERS" ] || exit 1
