"""`make run` prints the addresses phones on the same network can use (python -m app addresses)."""

from __future__ import annotations

import ipaddress

import pytest

from app.__main__ import lan_addresses, print_addresses


def test_lan_addresses_are_reachable_ones() -> None:
    for address in lan_addresses():
        assert not ipaddress.ip_address(address).is_loopback


def test_local_only_host_tells_how_to_let_phones_in(capsys: pytest.CaptureFixture[str]) -> None:
    print_addresses("127.0.0.1", 8010)
    out = capsys.readouterr().out
    assert "http://localhost:8010" in out
    assert "make run HOST=0.0.0.0 PORT=8010" in out


def test_all_interfaces_lists_the_lan_addresses(capsys: pytest.CaptureFixture[str]) -> None:
    print_addresses("0.0.0.0", 8010)
    out = capsys.readouterr().out
    for address in lan_addresses():
        assert f"http://{address}:8010" in out
    assert "HOST=0.0.0.0" not in out
