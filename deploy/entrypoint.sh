#!/bin/sh
# Container start: apply the database migrations, then replace this shell with uvicorn (so it gets SIGTERM).
set -eu
cd /app
alembic upgrade head
exec uvicorn app.main:create_app --factory \
  --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --workers "${WORKERS:-1}" \
  --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --timeout-graceful-shutdown "${GRACEFUL_TIMEOUT:-10}" "$@"
