"""When a URL is signed and how long it lives: explicit times, cacheable windows and
the lifetime of temporary credentials."""

from __future__ import annotations

import datetime as dt
import math

from libpresign._signer import MAX_EXPIRES, MAX_SIGNING_TIME, signing_second
from libpresign.errors import PresignError, PresignTypeError

__all__ = ["Instant", "Lifetime", "check_window", "clock_seconds", "posix_seconds"]

Instant = dt.datetime | int | float


def posix_seconds(value: object, parameter: str) -> float:
    """An aware ``datetime`` or POSIX seconds from 1970 to 9999, as POSIX seconds."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise PresignError(f"{parameter} must be a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
        seconds: int | float = value.timestamp()
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PresignTypeError(f"{parameter} must be an aware datetime or POSIX seconds, not {type(value).__name__}")
    else:
        seconds = value
    # Compared before any conversion (a huge int would overflow a float), and as the
    # signing second it floors to, like the clock's readings.
    if (isinstance(seconds, float) and not math.isfinite(seconds)) or not 0 <= seconds < MAX_SIGNING_TIME + 1:
        raise PresignError(f"{parameter} must be a time between 1970 and 9999, got {value!r}")
    return float(seconds)


def clock_seconds(reading: object) -> float:
    """A clock reading as POSIX seconds, refused by the same rules (and messages) as on
    the fast path."""
    signing_second(reading)
    assert isinstance(reading, (int, float))  # signing_second refuses anything else
    return float(reading)


def check_window(window: object) -> int | None:
    """``window=``: whole seconds from 1 to one day, or ``None``."""
    if window is None:
        return None
    if isinstance(window, bool) or not isinstance(window, int):
        raise PresignTypeError(f"window must be an int number of seconds or None, not {type(window).__name__}")
    if not 1 <= window <= 86400:
        raise PresignError(f"window must be between 1 and 86400 seconds, got {window}")
    return window


class Lifetime:
    """Turns "now", ``expires`` and the Presigner's window and credential expiry into the
    signing second and the ``X-Amz-Expires`` to sign with."""

    __slots__ = ("_clamp", "_credentials_expiry", "_window")

    def __init__(self, *, window: int | None, credentials_expiry: float | None, clamp: bool) -> None:
        self._window = window
        self._credentials_expiry = credentials_expiry
        self._clamp = clamp

    def settings(self) -> dict[str, object]:
        """The ``Presigner`` options this was built from (for pickling)."""
        return {
            "window": self._window,
            "credentials_expiry": self._credentials_expiry,
            "clamp_to_credentials": self._clamp,
        }

    @property
    def trivial(self) -> bool:
        """True when neither a window nor a credential expiry applies (the fast path)."""
        return self._window is None and self._credentials_expiry is None

    def resolve(self, now: float, expires: int) -> tuple[int, int]:
        """``(signing second, X-Amz-Expires)`` for a URL handed out at ``now``.

        With a window the signing time is floored to the window's start and the expiry
        extended by the window's length, so the URL is identical all through the window
        and still valid ``expires`` seconds after ``now``.
        """
        second = signing_second(now)
        lifetime = expires
        if self._window is not None:
            second -= second % self._window
            lifetime = expires + self._window
            if lifetime > MAX_EXPIRES:
                raise PresignError(
                    f"expires must be at most {MAX_EXPIRES - self._window} with window={self._window}: the window "
                    f"extends X-Amz-Expires by its length and S3 refuses more than {MAX_EXPIRES} seconds"
                )
        if self._credentials_expiry is not None:
            lifetime = self._within_credentials(second, lifetime, now, expires)
        return second, lifetime

    def _within_credentials(self, second: int, lifetime: int, now: float, expires: int) -> int:
        assert self._credentials_expiry is not None
        deadline = self._credentials_expiry
        if second + lifetime <= deadline:
            return lifetime
        expiry_text = dt.datetime.fromtimestamp(deadline, dt.timezone.utc).isoformat(timespec="seconds")
        if not self._clamp:
            raise PresignError(
                f"the URL would stay valid {expires} s after signing, but the credentials expire at {expiry_text}; "
                "a URL dies with its credentials: shorten expires, refresh the credentials, or pass "
                "clamp_to_credentials=True to cut the URL's lifetime to theirs"
            )
        clamped = math.floor(deadline) - second
        if clamped < 1 or math.floor(deadline) <= now:
            raise PresignError(f"the credentials expired at {expiry_text}: refresh them before signing")
        return clamped
