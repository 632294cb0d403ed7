"""Credential checks, done once when a signer is built; secrets never reach a message."""

from __future__ import annotations

from libpresign.errors import PresignError, PresignTypeError

__all__ = ["check_access_key_id", "check_secret", "check_session_token", "mask_access_key_id"]


def check_access_key_id(access_key_id: object) -> str:
    """A non-empty access key id without whitespace or control characters."""
    if not isinstance(access_key_id, str):
        raise PresignTypeError(f"access_key_id must be a str, not {type(access_key_id).__name__}")
    if not access_key_id:
        raise PresignError("access_key_id must not be empty")
    _check_encodable(access_key_id, "access_key_id")
    if any(char.isspace() or not char.isprintable() for char in access_key_id):
        raise PresignError("access_key_id must not contain whitespace or control characters")
    return access_key_id


def check_secret(secret_access_key: object) -> str:
    """A non-empty secret; the messages never quote it."""
    if not isinstance(secret_access_key, str):
        raise PresignTypeError(f"secret_access_key must be a str, not {type(secret_access_key).__name__}")
    if not secret_access_key:
        raise PresignError("secret_access_key must not be empty")
    if secret_access_key != secret_access_key.strip():
        raise PresignError("secret_access_key must not start or end with whitespace (a pasted newline?)")
    _check_encodable(secret_access_key, "secret_access_key")
    return secret_access_key


def check_session_token(session_token: object) -> str | None:
    """``None``, or a non-empty token without whitespace; never quoted."""
    if session_token is None:
        return None
    if not isinstance(session_token, str):
        raise PresignTypeError(f"session_token must be a str or None, not {type(session_token).__name__}")
    _check_encodable(session_token, "session_token")
    if not session_token or any(char.isspace() or not char.isprintable() for char in session_token):
        raise PresignError("session_token must be a non-empty str without whitespace or control characters, or None")
    return session_token


def _check_encodable(value: str, parameter: str) -> None:
    # Bytes that are not UTF-8 (say, from the environment) arrive as lone surrogates.
    # Raised outside the except block: the UnicodeEncodeError holds the whole value and
    # must not ride along as __context__.
    try:
        value.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    if not encodable:
        raise PresignError(f"{parameter} must be valid Unicode text (it holds bytes that are not UTF-8)")


def mask_access_key_id(value: str) -> str:
    """Enough of an access key id to tell keys apart in logs, never the whole of it."""
    return value[:4] + "…" + value[-4:] if len(value) > 12 else "…"
