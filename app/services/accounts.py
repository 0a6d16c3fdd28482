"""Facilitator accounts and logins."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Facilitator, FacilitatorSession
from app.models.accounts import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from app.models.base import utcnow
from app.services import text
from app.services.errors import N_, Conflict, Invalid
from app.services.tokens import hash_token, new_token

LOGIN_LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a login takes the same time either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


def normalise_email(email: str) -> str:
    return text.line(email).lower()


def validate_account(*, email: str, name: str, password: str) -> tuple[str, str]:
    email = normalise_email(email)
    name = text.line(name)
    if not email or "@" not in email or len(email) > EMAIL_MAX:
        raise Invalid(N_("Enter a valid e-mail address."))
    if not name or len(name) > NAME_MAX:
        raise Invalid(N_("Enter a name of at most %(max)d characters."), max=NAME_MAX)
    if len(password) < PASSWORD_MIN:
        raise Invalid(N_("The password needs at least %(min)d characters."), min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise Invalid(N_("The password is too long."))
    return email, name


async def any_facilitator_exists(db: AsyncSession) -> bool:
    return (await db.scalar(select(func.count()).select_from(Facilitator))) > 0


async def create_facilitator(db: AsyncSession, *, email: str, name: str, password: str) -> Facilitator:
    email, name = validate_account(email=email, name=name, password=password)
    facilitator = Facilitator(email=email, name=name, password_hash=_hasher.hash(password))
    db.add(facilitator)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise Conflict(N_("A facilitator with this e-mail address already exists.")) from None
    return facilitator


async def create_first_facilitator(db: AsyncSession, *, email: str, name: str, password: str) -> Facilitator:
    """The one-time setup: only while no facilitator exists."""
    if await any_facilitator_exists(db):
        raise Conflict(N_("The first facilitator has already been set up. Log in instead."))
    return await create_facilitator(db, email=email, name=name, password=password)


async def list_facilitators(db: AsyncSession) -> list[Facilitator]:
    return list((await db.scalars(select(Facilitator).order_by(Facilitator.name))).all())


async def authenticate(db: AsyncSession, *, email: str, password: str) -> Facilitator | None:
    facilitator = await db.scalar(select(Facilitator).where(Facilitator.email == normalise_email(email)))
    try:
        _hasher.verify(facilitator.password_hash if facilitator else _DUMMY_HASH, password[:PASSWORD_MAX])
    except (VerificationError, InvalidHashError):
        return None
    if facilitator is None:
        return None
    if _hasher.check_needs_rehash(facilitator.password_hash):
        facilitator.password_hash = _hasher.hash(password)
        await db.commit()
    return facilitator


async def start_login(db: AsyncSession, *, facilitator_id: int) -> str:
    """A fresh session id at every login; returns the token for the cookie."""
    token = new_token()
    db.add(
        FacilitatorSession(
            token_hash=hash_token(token), facilitator_id=facilitator_id, expires_at=utcnow() + LOGIN_LIFETIME
        )
    )
    await db.commit()
    return token


async def facilitator_for_login(db: AsyncSession, *, token: str) -> Facilitator | None:
    row = await db.get(FacilitatorSession, hash_token(token))
    if row is None or row.expires_at <= utcnow():
        return None
    return await db.get(Facilitator, row.facilitator_id)


async def end_login(db: AsyncSession, *, token: str) -> None:
    await db.execute(delete(FacilitatorSession).where(FacilitatorSession.token_hash == hash_token(token)))
    await db.commit()
