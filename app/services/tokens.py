"""Random tokens and join codes, made with `secrets`."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read off a projector and to type on a phone.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code(length: int = 6) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def normalise_join_code(raw: str) -> str:
    """What people type: lower case, spaces, dashes. Keep only what a code can contain."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:12]
