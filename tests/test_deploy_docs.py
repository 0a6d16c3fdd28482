"""docs/deploy.md documents every setting, and compose.yaml has the shape a deployment needs.

The compose test is a structure check of the parsed YAML (services, ports, health checks, the proxy's config); CI
also validates the file with docker-compose and builds and runs the image itself (.ci/container-smoke)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def documented_variables() -> set[str]:
    """First-column names of the tables under '## Settings'."""
    section = DEPLOY.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE))


def test_every_setting_is_documented() -> None:
    missing = {name.upper() for name in Settings.model_fields} - documented_variables()
    assert not missing, f"settings missing from the table in docs/deploy.md: {sorted(missing)}"


def test_readme_sends_configuration_to_the_deploy_guide() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "docs/deploy.md" in readme
    assert "| `COALESCE_WINDOW` |" not in readme  # one table, in docs/deploy.md
    assert "../shared/" not in readme  # not in a clone
    assert (ROOT / "docs" / "method.md").exists()


def test_compose_runs_two_workers_behind_a_tls_proxy_with_postgres_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "postgres", "redis", "caddy"}

    app = services["app"]
    env = app["environment"]
    assert env["WORKERS"] == "2"
    assert env["DATABASE_URL"].startswith("postgresql+asyncpg://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert "ports" not in app  # reachable only through the proxy, which is why FORWARDED_ALLOW_IPS may be "*"
    assert "/data" in " ".join(app["volumes"])
    for dependency in ("postgres", "redis"):
        assert app["depends_on"][dependency]["condition"] == "service_healthy"
        assert services[dependency]["healthcheck"]["test"]
    documented = documented_variables()
    assert set(env) <= documented, f"undocumented variables in compose.yaml: {set(env) - documented}"

    caddy = services["caddy"]
    assert "443:443" in caddy["ports"]
    assert caddy["depends_on"]["app"]["condition"] == "service_healthy"  # the image's HEALTHCHECK on /healthz
    mount = next(v for v in caddy["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (ROOT / mount.split(":")[0]).read_text()
    assert "reverse_proxy app:8000" in caddyfile
    assert "tls " in caddyfile


def test_the_image_runs_as_documented() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.splitlines()[3] == "ARG BASE=python:3.11-slim-bookworm"
    assert "FROM ${BASE} AS build" in dockerfile and "\nFROM ${BASE}\n" in dockerfile
    assert "/healthz" in dockerfile.split("HEALTHCHECK", 1)[1]
    assert re.search(r"^USER 10001", dockerfile, flags=re.MULTILINE)
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert "alembic upgrade head" in entrypoint
    assert "exec uvicorn" in entrypoint and '--forwarded-allow-ips "${FORWARDED_ALLOW_IPS' in entrypoint
    for variable in re.findall(r"\$\{([A-Z_]+):-", entrypoint):
        assert variable in documented_variables()
