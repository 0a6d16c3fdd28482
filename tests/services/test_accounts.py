"""Facilitator accounts and logins on SQLite and PostgreSQL."""

import pytest

from app.services import accounts
from app.services.errors import Conflict, Invalid

PASSWORD = "correct horse battery"


async def test_first_facilitator_only_once(db):
    assert not await accounts.any_facilitator_exists(db)
    anna = await accounts.create_first_facilitator(db, email=" Anna@Example.NL ", name="Anna", password=PASSWORD)
    assert anna.email == "anna@example.nl"
    assert anna.password_hash.startswith("$argon2id$")
    with pytest.raises(Conflict):
        await accounts.create_first_facilitator(db, email="b@example.nl", name="B", password=PASSWORD)


async def test_account_validation(db):
    with pytest.raises(Invalid):
        await accounts.create_facilitator(db, email="no-at-sign", name="A", password=PASSWORD)
    with pytest.raises(Invalid):
        await accounts.create_facilitator(db, email="a@example.nl", name="", password=PASSWORD)
    with pytest.raises(Invalid):
        await accounts.create_facilitator(db, email="a@example.nl", name="A", password="elevenchars")
    await accounts.create_facilitator(db, email="a@example.nl", name="A", password=PASSWORD)
    with pytest.raises(Conflict):
        await accounts.create_facilitator(db, email="A@example.nl", name="A2", password=PASSWORD)


async def test_login_sessions(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password=PASSWORD)
    assert await accounts.authenticate(db, email="anna@example.nl", password="wrong password") is None
    assert await accounts.authenticate(db, email="nobody@example.nl", password=PASSWORD) is None
    assert (await accounts.authenticate(db, email="ANNA@example.nl", password=PASSWORD)).id == anna.id
    first = await accounts.start_login(db, facilitator_id=anna.id)
    second = await accounts.start_login(db, facilitator_id=anna.id)
    assert first != second  # a fresh session id at every login
    assert (await accounts.facilitator_for_login(db, token=first)).id == anna.id
    await accounts.end_login(db, token=first)
    assert await accounts.facilitator_for_login(db, token=first) is None
    assert (await accounts.facilitator_for_login(db, token=second)).id == anna.id
