"""Configuration, migrations and the command line: what a new installation runs into first."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.config import Settings, UnsafeSettings
from app.main import create_app
from app.migrations_check import DatabaseNotMigrated
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("secret", ["change-me", "secret", "too-short-but-random-1234"])
def test_placeholder_or_short_secret_is_refused(tmp_path, secret):
    with pytest.raises(UnsafeSettings):
        Settings(data_dir=tmp_path, secret_key=secret).ensure_secret_key()


def test_secret_is_generated_once_and_kept(tmp_path):
    first = Settings(data_dir=tmp_path).ensure_secret_key()
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings(data_dir=tmp_path).ensure_secret_key() == first


async def test_server_refuses_a_database_behind_the_latest_migration(tmp_path):
    app = create_app(make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/empty.db"))
    with pytest.raises(DatabaseNotMigrated, match="make migrate"):
        async with app.router.lifespan_context(app):
            pass


def run_cli(tmp_path, *args, stdin=""):
    env = {"DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_create_facilitator_from_the_shell(tmp_path, sqlite_template):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "opgroeiruimte.db")
    ok = run_cli(
        tmp_path, "create-facilitator", "--email", "anna@example.nl", "--name", "Anna", stdin="correct horse battery\n"
    )
    assert ok.returncode == 0, ok.stderr
    assert "anna@example.nl" in ok.stdout
    short = run_cli(tmp_path, "create-facilitator", "--email", "b@example.nl", "--name", "B", stdin="short\n")
    assert short.returncode == 1 and "12" in short.stderr
    twice = run_cli(
        tmp_path, "create-facilitator", "--email", "anna@example.nl", "--name", "A", stdin="correct horse battery\n"
    )
    assert twice.returncode == 1


def test_the_dutch_catalog_is_complete_and_matches_the_sources(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).parent / "pybabel")
    extract = [pybabel, "extract", "--mapping", "babel.cfg", "--keywords", "N_", "--output", str(pot), "."]
    subprocess.run(extract, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        source_ids = {m.id for m in read_po(f) if m.id}
    with (ROOT / "app/locale/nl/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {
        m.id for m in catalog if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(str(m) for m in source_ids - translated)
    assert not missing, f"untranslated Dutch strings (run `make extract` and translate them): {missing[:10]}"
