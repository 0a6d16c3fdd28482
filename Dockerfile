# Opgroeiruimte Live as a container image. `docker build -t opgroeiruimte .`; see docs/deploy.md.
# The base is an argument so a machine without Docker Hub can build on a local Debian base (.ci/container-smoke).
# Only classic instructions (no RUN --mount, COPY --chmod, heredocs): the legacy builder builds it as well as BuildKit.
ARG BASE=python:3.11-slim-bookworm

# --- build: a virtual environment with the locked runtime dependencies and compiled translations ---------------
FROM ${BASE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python3 -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY deploy/entrypoint.sh ./deploy/entrypoint.sh
# The project itself (its version is read from this metadata), then the .mo files, which are not in git.
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation -e . \
 && /opt/venv/bin/pybabel compile --domain messages --directory app/locale --statistics

# --- runtime: the same base with WeasyPrint's libraries and fonts, no compilers, a non-root user ----------------
FROM ${BASE}
ARG DEBIAN_FRONTEND=noninteractive
# Pango and Cairo for the PDF and DOCX charts; DejaVu for text, Symbola for the symbols the UI uses (⏸ 🔒 ★ ✓ ≠).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core fonts-symbola \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin olive \
 && mkdir /data \
 && chown olive:olive /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# Every setting comes from the environment (docs/deploy.md lists them all). FORWARDED_ALLOW_IPS names the reverse
# proxies whose X-Forwarded-For/-Proto headers are trusted ("*" only when nothing else can reach the container).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=1 \
    FORWARDED_ALLOW_IPS=127.0.0.1
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Liveness: Python's urllib, so the image needs no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
# docker stop sends SIGTERM to uvicorn (exec'd by the entrypoint): it stops accepting, closes WebSockets with 1012
# ("service restart", so phones and boards reconnect) and finishes the requests in flight.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "/app/deploy/entrypoint.sh"]
