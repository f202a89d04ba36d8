"""Password hashing (argon2) and signed bearer tokens (JWT)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_ALGORITHM = "HS256"
# Verified against when the account is unknown or has no password, so that a login takes as
# long whether or not the account exists.
_DUMMY_HASH = _hasher.hash("avatars: no such account")


class InvalidTokenError(Exception):
    """The bearer token is malformed, forged or expired."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown account), spend the same time and say no."""
    try:
        if not password_hash:
            _hasher.verify(_DUMMY_HASH, password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: its user, the user's token version then, and its own id."""

    user_id: uuid.UUID
    version: int
    token_id: str


def create_access_token(
    user_id: uuid.UUID, *, secret_key: str, lifetime_seconds: int, version: int = 0
) -> str:
    """A signed JWT: `sub` user id, `ver` token version, `jti` unique id, `iat`, `exp`."""
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "ver": version,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime_seconds),
    }
    return jwt.encode(claims, secret_key, algorithm=_ALGORITHM)


def decode_access_token(token: str, *, secret_key: str) -> TokenClaims:
    """Check the signature and expiry; return the claims.

    Tokens issued before token versions existed have no `ver`: they count as version 0.
    """
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]}
        )
        version = claims.get("ver", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("bad token version")
        return TokenClaims(uuid.UUID(str(claims["sub"])), version, str(claims.get("jti", "")))
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidTokenError(str(exc)) from exc
