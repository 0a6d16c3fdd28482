"""One version number: pyproject's, read from the installed metadata, shown by the CLI and in the page footer."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import httpx

from app import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_version_comes_from_pyproject() -> None:
    assert __version__ == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_cli_prints_the_version() -> None:
    done = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0
    assert done.stdout.strip() == f"Opgroeiruimte Live {__version__}"


async def test_footer_shows_the_version(client: httpx.AsyncClient) -> None:
    page = (await client.get("/login")).text
    assert f"Opgroeiruimte Live {__version__}</small></footer>" in page


def test_changelog_has_this_version_and_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    assert f"## [{__version__}]" in changelog
