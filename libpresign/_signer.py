"""The signing hot path: one prepared signer per bucket and host.

Everything that does not depend on the object key is built once: the URL head and the
canonical request's fixed lines at construction, the timestamp, query prefix and HMAC
pad states once per second, the signing key once per UTC date. A URL then costs the key's
encoding, two string concatenations and three SHA-256 passes (the canonical request,
the HMAC's inner and outer hashes). Compiled with mypyc.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable, Iterable
from typing import Final, SupportsIndex

from libpresign._cache import BoundedCache
from libpresign._sigv4 import (
    ALGORITHM,
    UNSIGNED_PAYLOAD,
    HmacPads,
    canonical_headers,
    canonical_query_string,
    canonical_request,
    credential_scope,
    escape_path_bytes,
    hashed_canonical_request,
    hmac_pads,
    path_is_unreserved,
    signed_headers,
    signing_key,
    uri_encode_query,
)
from libpresign.errors import PresignError, PresignTypeError, rejected_key

MAX_EXPIRES: Final = 604800  # 7 days: S3 refuses presigned URLs valid for longer.
MAX_KEY_BYTES: Final = 1024
# The SigV4 timestamp has a four-digit year, so signing times end with 9999.
MAX_SIGNING_TIME: Final = 253402300799

# How many dates one SigningKeys remembers: enough for threads that straddle midnight.
_DATES_KEPT: Final = 2


class SigningKeys:
    """The day's signing keys for one secret and region, each derived once per UTC date.

    Bounded: it keeps the keys of the last two dates only.
    """

    def __init__(self, secret_access_key: str, region: str) -> None:
        self._secret_access_key: Final = secret_access_key
        self.region: Final = region
        self._by_date: Final[BoundedCache[str, HmacPads]] = BoundedCache(_DATES_KEPT)

    def pads_for(self, date: str) -> HmacPads:
        """HMAC pad states of the signing key for ``date`` (``yyyymmdd``)."""
        pads = self._by_date.get(date)
        if pads is None:
            pads = hmac_pads(signing_key(self._secret_access_key, date, self.region))
            self._by_date.put(date, pads)
        return pads


class _SecondState:
    """The parts of every URL signed during one second."""

    def __init__(
        self, second: int, amz_date: str, credential: str, query_head: str, string_to_sign: HmacPads
    ) -> None:
        self.second: Final = second
        self.amz_date: Final = amz_date
        self.credential: Final = credential
        self.query_head: Final = query_head
        # The day's key with this second's string-to-sign head already hashed in.
        self.string_to_sign: Final = string_to_sign


def amz_date(second: int) -> str:
    """The ``X-Amz-Date`` timestamp (``yyyymmddThhmmssZ``, UTC) of a POSIX second."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(second))


def signing_second(now: object) -> int:
    """Floor a clock reading to a whole POSIX second, refusing what is not a time."""
    if isinstance(now, float) and 0.0 <= now <= MAX_SIGNING_TIME:
        return int(now)  # the common case; truncation is flooring for non-negative times
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise PresignTypeError(f"clock must return POSIX seconds as int or float, got {type(now).__name__}")
    if isinstance(now, float) and not math.isfinite(now):
        raise PresignError(f"clock must return a finite time, got {now!r}")
    second = math.floor(now)
    if second < 0 or second > MAX_SIGNING_TIME:
        raise PresignError(f"signing time must be between 1970 and 9999, got {second} POSIX seconds")
    return second


def expires_seconds(expires: object) -> int:
    """Validate ``expires``: an integer (``operator.index``) from 1 to 604800."""
    if isinstance(expires, bool):
        raise PresignTypeError("expires must be an integer number of seconds, not bool")
    if isinstance(expires, int):
        value = int(expires)
    elif isinstance(expires, SupportsIndex):  # numpy integers and the like
        value = operator.index(expires)
    else:
        raise PresignTypeError(f"expires must be an integer number of seconds, not {type(expires).__name__}")
    if value < 1 or value > MAX_EXPIRES:
        raise PresignError(f"expires must be between 1 and {MAX_EXPIRES} seconds (7 days), got {value}")
    return value


def encoded_key_path(key: object, index: int) -> str:
    """Check an object key and return its canonical URI form (``/`` + encoded bytes).

    ``index`` is the key's position in a batch, or -1 for a single key; errors name it.
    """
    return "/" + encoded_key(key, index)


def encoded_key(key: object, index: int) -> str:
    """:func:`encoded_key_path` without the leading ``/``, which the fast paths write
    into their format strings instead of allocating a string for it."""
    if not isinstance(key, str):
        raise rejected_key(PresignTypeError, index, f"must be a str, not {type(key).__name__}")
    try:
        raw = str.encode(key, "utf-8")  # str's own encode, even for a subclass that overrides it
    except UnicodeEncodeError as exc:
        raise rejected_key(
            PresignError,
            index,
            f"must be valid Unicode text: lone surrogate {key[exc.start]!r} at character {exc.start} "
            "cannot be encoded as UTF-8",
        ) from None
    size = len(raw)
    if size == 0 or size > MAX_KEY_BYTES:
        raise rejected_key(PresignError, index, f"must be 1 to {MAX_KEY_BYTES} bytes long in UTF-8, got {size}")
    if path_is_unreserved(raw):
        # The common case: nothing to escape, no bytes to decode back. A str subclass
        # becomes a plain str, so that its own __str__ or __format__ play no part.
        return key if type(key) is str else str.__str__(key)
    return escape_path_bytes(raw)


class UrlSigner:
    """Presigns URLs for one bucket at one host.

    :meth:`presign_get` and :meth:`presign_get_many` are the fast path (GET, only
    ``host`` signed, the clock's time); :meth:`presign` takes any method, query and
    headers at a given second.

    ``path_prefix`` is the already encoded part of the path before the key: empty for
    virtual-hosted addressing, ``/bucket`` (after any endpoint prefix) for path-style.
    """

    def __init__(
        self,
        *,
        access_key_id: str,
        keys: SigningKeys,
        scheme: str,
        host: str,
        path_prefix: str,
        session_token: str | None,
        clock: Callable[[], object],
    ) -> None:
        self._keys: Final = keys
        self._clock: Final = clock
        self._access_key_id: Final = access_key_id
        self._host: Final = host
        self._path_prefix: Final = path_prefix
        self._session_token: Final = session_token
        self._credential_head: Final = uri_encode_query(access_key_id + "/")
        self._url_head: Final = scheme + "://" + host + path_prefix
        self._canonical_head: Final = "GET\n" + path_prefix
        token_pair = "" if session_token is None else "&X-Amz-Security-Token=" + uri_encode_query(session_token)
        # The canonical query is sorted (Security-Token before SignedHeaders); the URL
        # keeps botocore's order (token after SignedHeaders). Both verify.
        self._canonical_tail: Final = (
            token_pair + "&X-Amz-SignedHeaders=host\nhost:" + host + "\n\nhost\n" + UNSIGNED_PAYLOAD
        )
        self._url_tail: Final = "&X-Amz-SignedHeaders=host" + token_pair + "&X-Amz-Signature="
        self._state: _SecondState | None = None

    def _state_at(self, second: int) -> _SecondState:
        state = self._state
        if state is not None and state.second == second:
            return state
        timestamp = amz_date(second)
        date = timestamp[:8]
        scope = credential_scope(date, self._keys.region)
        query_head = (
            "X-Amz-Algorithm="
            + ALGORITHM
            + "&X-Amz-Credential="
            + self._credential_head
            + uri_encode_query(scope)
            + "&X-Amz-Date="
            + timestamp
            + "&X-Amz-Expires="
        )
        string_to_sign_head = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
        state = _SecondState(
            second,
            timestamp,
            self._access_key_id + "/" + scope,
            query_head,
            self._keys.pads_for(date).after(string_to_sign_head.encode("ascii")),
        )
        self._state = state  # one atomic swap: other threads see the old or the new state
        return state

    @property
    def bucket_url(self) -> str:
        """The bucket's URL with a trailing slash: where POST form uploads go."""
        return self._url_head + "/"

    @property
    def session_token(self) -> str | None:
        """The session token these URLs carry, if any."""
        return self._session_token

    def now(self) -> int:
        """The clock's current signing second."""
        return signing_second(self._clock())

    def signing_pads(self, second: int) -> HmacPads:
        """HMAC under the signing key of ``second``'s UTC date (for POST policies)."""
        return self._keys.pads_for(amz_date(second)[:8])

    def credential(self, second: int) -> str:
        """The ``X-Amz-Credential`` value (access key id and scope) at ``second``."""
        return self._state_at(second).credential

    def presign(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]],
        headers: list[tuple[str, str]],
        expires: int,
        second: int,
    ) -> str:
        """A presigned URL for any method, with operation query parameters and headers.

        ``path`` comes from :func:`encoded_key_path`; ``query`` pairs are raw (encoded
        here) and go first in the URL, in the caller's order; ``headers`` are lowercase
        names the client must send, signed along with ``host``.
        """
        state = self._state_at(second)
        all_headers = [("host", self._host)] + headers
        signed = signed_headers(all_headers)
        auth = [
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", state.credential),
            ("X-Amz-Date", state.amz_date),
            ("X-Amz-Expires", str(expires)),
            ("X-Amz-SignedHeaders", signed),
        ]
        if self._session_token is not None:
            auth.append(("X-Amz-Security-Token", self._session_token))
        params = query + auth
        canonical = canonical_request(
            method,
            self._path_prefix + path,
            canonical_query_string(params),
            canonical_headers(all_headers),
            signed,
        )
        signature = state.string_to_sign.hexdigest(hashed_canonical_request(canonical).encode("ascii"))
        url_query = "&".join([uri_encode_query(name) + "=" + uri_encode_query(value) for name, value in params])
        return f"{self._url_head}{path}?{url_query}&X-Amz-Signature={signature}"

    def _current_state(self) -> _SecondState:
        return self._state_at(self.now())

    def _sign(self, state: _SecondState, encoded: str, expires: str) -> str:
        # One URL: two f-strings (mypyc builds each in one allocation) beat building
        # the suffixes first; batches share the suffixes instead (_sign_key).
        request_hash = hashed_canonical_request(
            f"{self._canonical_head}/{encoded}\n{state.query_head}{expires}{self._canonical_tail}"
        )
        signature = state.string_to_sign.hexdigest(request_hash.encode("ascii"))
        return f"{self._url_head}/{encoded}?{state.query_head}{expires}{self._url_tail}{signature}"

    def _suffixes(self, state: _SecondState, expires: str) -> tuple[str, str]:
        """What follows the path in the canonical request and in the URL."""
        return (
            f"\n{state.query_head}{expires}{self._canonical_tail}",
            f"?{state.query_head}{expires}{self._url_tail}",
        )

    def _sign_key(self, string_to_sign: HmacPads, encoded: str, canonical_suffix: str, url_suffix: str) -> str:
        request_hash = hashed_canonical_request(f"{self._canonical_head}/{encoded}{canonical_suffix}")
        signature = string_to_sign.hexdigest(request_hash.encode("ascii"))
        return f"{self._url_head}/{encoded}{url_suffix}{signature}"

    def presign_get(self, key: object, expires: object) -> str:
        """A presigned GET URL for ``key``, signed at the clock's current second."""
        encoded = encoded_key(key, -1)
        expires_text = str(expires_seconds(expires))
        return self._sign(self._current_state(), encoded, expires_text)

    def presign_get_many(self, keys: Iterable[object], expires: object, second: int = -1) -> list[str]:
        """Presigned GET URLs for ``keys`` in order, all with one signing time: ``second``,
        or the clock's current second when it is negative.

        Every key is checked before the list is returned: one bad key raises and no URL
        of the batch escapes.
        """
        expires_text = str(expires_seconds(expires))
        state = self._current_state() if second < 0 else self._state_at(second)
        canonical_suffix, url_suffix = self._suffixes(state, expires_text)
        string_to_sign = state.string_to_sign
        urls: list[str] = []
        index = 0
        for key in keys:
            urls.append(self._sign_key(string_to_sign, encoded_key(key, index), canonical_suffix, url_suffix))
            index += 1
        return urls
