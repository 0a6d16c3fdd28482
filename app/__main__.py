"""Command line: `python -m app create-facilitator` (the password is asked, never taken from the command line),
`python -m app addresses` (what `make run` prints) and `python -m app --version`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import ipaddress
import socket
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


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that other devices on its networks can reach (no loopback). Nothing is sent:
    connecting a UDP socket only asks the kernel which local address it would route from."""
    found: set[str] = set()
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect((probe, 9))
            found.add(sock.getsockname()[0])
    with contextlib.suppress(OSError):
        for *_, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(address[0]))
    return sorted(a for a in found if not ipaddress.ip_address(a).is_loopback and not a.startswith("0."))


def print_addresses(host: str, port: int) -> None:
    """What `make run` says before it starts: where to open the app, and which address phones can use."""
    print(f"Opgroeiruimte Live: http://localhost:{port}")
    addresses = lan_addresses()
    if host in ("127.0.0.1", "localhost", "::1"):
        print(f"Only this computer can reach it (HOST={host}). For phones on the same network (wifi):")
        print(f"  make run HOST=0.0.0.0 PORT={port}", end="")
        print(f"  and open the console at http://{addresses[0]}:{port}" if addresses else "")
    else:
        for address in addresses:
            print(f"Phones on the same network: http://{address}:{port}  (open the console there too)")
        if not addresses:
            print("No network address found: is this computer connected to the room's wifi?")
    print("The join link and QR code use the address the console was opened with (or BASE_URL when set).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Opgroeiruimte Live administration")
    parser.add_argument("--version", action="version", version=f"Opgroeiruimte Live {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-facilitator", help="create a facilitator account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    addresses = commands.add_parser("addresses", help="print the addresses phones on this network can use")
    addresses.add_argument("--host", default="127.0.0.1")
    addresses.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "addresses":
        print_addresses(args.host, args.port)
    if args.command == "create-facilitator":
        try:
            asyncio.run(_create_facilitator(args.email, args.name, _read_password()))
        except DomainError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
