"""SigV4 building blocks, named after the steps of the specification.

Each function is one step of
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
and trusts its typed inputs: validation happens at the public boundary. This module
is compiled with mypyc; the interpreted source gives byte-identical results.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

ALGORITHM: Final = "AWS4-HMAC-SHA256"
SERVICE: Final = "s3"
UNSIGNED_PAYLOAD: Final = "UNSIGNED-PAYLOAD"
TERMINATOR: Final = "aws4_request"

# RFC 3986 unreserved characters: the only bytes SigV4 leaves unescaped.
_UNRESERVED: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# In the path "/" separates segments and stays as it is.
_PATH_SAFE: Final = _UNRESERVED + b"/"


def _escape_table(safe: bytes) -> list[str]:
    """Map every byte value to itself if safe, else to ``%XX`` with uppercase hex."""
    return [chr(byte) if byte in safe else "%%%02X" % byte for byte in range(256)]


_PATH_ESCAPES: Final = _escape_table(_PATH_SAFE)
_SHA256: Final = hashlib.sha256
_QUERY_ESCAPES: Final = _escape_table(_UNRESERVED)


# Every byte that may stand in the path mapped to a letter, every other to itself.
_PATH_SAFE_AS_LETTERS: Final = bytes([ord("a") if byte in _PATH_SAFE else byte for byte in range(256)])
_SHORT_PATH: Final = 128


def path_is_unreserved(raw: bytes) -> bool:
    """True when every byte may stand unescaped in the canonical URI."""
    if len(raw) <= _SHORT_PATH:
        # Translating with a ready table and testing for letters and digits is about
        # twice as fast for keys this short as deleting the safe bytes, which builds
        # a table on every call; past 128 bytes deleting wins.
        return not raw or raw.translate(_PATH_SAFE_AS_LETTERS).isalnum()
    return not raw.translate(None, _PATH_SAFE)


def uri_encode_path(raw: bytes) -> str:
    """Encode an object key's UTF-8 bytes for the canonical URI (``/`` kept).

    The path is signed exactly as sent: no dot-segment removal, no ``//`` folding.
    """
    if path_is_unreserved(raw):
        return raw.decode("ascii")
    return escape_path_bytes(raw)


def escape_path_bytes(raw: bytes) -> str:
    """:func:`uri_encode_path` for bytes already known to need escaping."""
    escapes = _PATH_ESCAPES
    return "".join([escapes[byte] for byte in raw])


def uri_encode_query(value: str) -> str:
    """Encode a query name or value: every byte but the unreserved ones (``/`` too)."""
    raw = value.encode("utf-8")
    if not raw.translate(None, _UNRESERVED):
        return value
    escapes = _QUERY_ESCAPES
    return "".join([escapes[byte] for byte in raw])


def credential_scope(date: str, region: str, service: str = SERVICE) -> str:
    """``yyyymmdd/region/s3/aws4_request``: what the signing key is valid for."""
    return date + "/" + region + "/" + service + "/" + TERMINATOR


def canonical_query_string(params: list[tuple[str, str]]) -> str:
    """Encode every name and value, then sort by encoded name, then encoded value."""
    encoded = sorted([(uri_encode_query(name), uri_encode_query(value)) for name, value in params])
    return "&".join([name + "=" + value for name, value in encoded])


def canonical_headers(headers: list[tuple[str, str]]) -> str:
    """Lowercase names, trimmed values, sorted, one ``name:value\\n`` line each."""
    lines = sorted([(name.lower(), " ".join(value.split())) for name, value in headers])
    return "".join([name + ":" + value + "\n" for name, value in lines])


def signed_headers(headers: list[tuple[str, str]]) -> str:
    """The sorted, lowercase header names joined by ``;``."""
    return ";".join(sorted([name.lower() for name, _ in headers]))


def canonical_request(
    method: str,
    canonical_uri: str,
    canonical_query: str,
    canonical_header_block: str,
    signed_header_names: str,
) -> str:
    """The request as SigV4 sees it; presigned S3 URLs never sign the payload."""
    return (
        method
        + "\n"
        + canonical_uri
        + "\n"
        + canonical_query
        + "\n"
        + canonical_header_block
        + "\n"
        + signed_header_names
        + "\n"
        + UNSIGNED_PAYLOAD
    )


def hashed_canonical_request(request: str) -> str:
    """Hex SHA-256 of the canonical request."""
    return _SHA256(request.encode("utf-8")).hexdigest()


def string_to_sign(amz_date: str, scope: str, request_hash: str) -> str:
    """Algorithm, timestamp, scope and the canonical request's hash, one per line."""
    return ALGORITHM + "\n" + amz_date + "\n" + scope + "\n" + request_hash


def signing_key(secret_access_key: str, date: str, region: str, service: str = SERVICE) -> bytes:
    """Derive the day's key: four chained HMACs over date, region, service, terminator."""
    key = hmac.digest(("AWS4" + secret_access_key).encode("utf-8"), date.encode("ascii"), "sha256")
    key = hmac.digest(key, region.encode("utf-8"), "sha256")
    key = hmac.digest(key, service.encode("ascii"), "sha256")
    return hmac.digest(key, TERMINATOR.encode("ascii"), "sha256")


def signature(key: bytes, text: str) -> str:
    """Hex HMAC-SHA256 of the string to sign under the signing key."""
    return hmac.digest(key, text.encode("utf-8"), "sha256").hex()


class HmacPads:
    """HMAC-SHA256 under one key, with the key's inner and outer states hashed once.

    Copying two prepared SHA-256 states costs less than ``hmac.digest``, which pads and
    hashes the key again on every call. :meth:`after` goes further for messages that
    share a prefix (every string to sign of one second does).
    """

    def __init__(self, inner: hashlib._Hash, outer: hashlib._Hash) -> None:
        self._inner: Final = inner
        self._outer: Final = outer

    def after(self, prefix: bytes) -> HmacPads:
        """The same HMAC for messages that all start with ``prefix``, given the rest."""
        inner = self._inner.copy()
        inner.update(prefix)
        return HmacPads(inner, self._outer)

    def hexdigest(self, message: bytes) -> str:
        """Hex HMAC-SHA256 of (prefix +) ``message``; equal to ``signature(key, ...)``."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def hmac_pads(key: bytes) -> HmacPads:
    """Prepare HMAC-SHA256 under ``key`` (at most one 64-byte block, as signing keys are)."""
    block = key.ljust(64, b"\0")
    return HmacPads(
        hashlib.sha256(bytes([byte ^ 0x36 for byte in block])),
        hashlib.sha256(bytes([byte ^ 0x5C for byte in block])),
    )
