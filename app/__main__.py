"""Command line: `python -m app create-facilitator` (the password is asked, never taken from the command line)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from app import __version__
from app.config import Settings
from app.db import Database
from app.migrations_check import ensure_database_current
from app.services import accounts
from app.services.errors import DomainError


def _read_password() -> str:
    if sys.stdin.isatty():
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Repeat the password: ") != password:
            raise SystemExit("The passwords differ. Nothing was created.")
        return password
    return sys.stdin.readline().rstrip("\n")  # for scripts: the password on standard input


async def _create_facilitator(email: str, name: str, password: str) -> None:
    db = Database(Settings().resolved_database_url)
    try:
        await ensure_database_current(db.engine)
        async with db.writer() as session:
            facilitator = await accounts.create_facilitator(session, email=email, name=name, password=password)
        print(f"Facilitator {facilitator.name} <{facilitator.email}> created.")
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Opgroeiruimte Live administration")
    parser.add_argument("--version", action="version", version=f"Opgroeiruimte Live {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-facilitator", help="create a facilitator account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    args = parser.parse_args(argv)
    if args.command == "create-facilitator":
        try:
            asyncio.run(_create_facilitator(args.email, args.name, _read_password()))
        except DomainError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
