"""What a presigned request carries besides the key: operation query parameters and the
headers the client must send. Everything is validated here, before signing.

https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (response overrides)
https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (upload headers)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Final, TypedDict

from libpresign.errors import PresignError, PresignTypeError

__all__ = ["DownloadOptions", "UploadOptions", "download_query", "upload_headers", "check_query", "check_headers"]

QueryInput = Mapping[str, "str | int"] | Sequence[tuple[str, "str | int"]]
HeaderInput = Mapping[str, str] | Sequence[tuple[str, str]]


class DownloadOptions(TypedDict, total=False):
    """Per-call options of ``get``, ``get_many`` and ``head``."""

    version_id: str
    response_content_type: str
    response_content_disposition: str
    response_content_language: str
    response_content_encoding: str
    response_cache_control: str
    response_expires: str
    query: QueryInput


class UploadOptions(TypedDict, total=False):
    """Per-call options of ``put``: each becomes a signed header the client must send."""

    content_type: str
    metadata: Mapping[str, str]
    cache_control: str
    content_disposition: str
    content_encoding: str
    content_language: str
    expires_header: str
    acl: str
    storage_class: str
    tagging: str
    sse: str
    sse_kms_key_id: str
    sse_kms_context: str
    sse_bucket_key: bool
    sse_customer_key: bytes
    checksums: Mapping[str, str]
    headers: HeaderInput
    query: QueryInput


# Keyword option → S3 query parameter, in the order S3 documents them.
_DOWNLOAD_PARAMETERS: Final = {
    "version_id": "versionId",
    "response_content_type": "response-content-type",
    "response_content_disposition": "response-content-disposition",
    "response_content_language": "response-content-language",
    "response_content_encoding": "response-content-encoding",
    "response_cache_control": "response-cache-control",
    "response_expires": "response-expires",
}

_UPLOAD_HEADERS: Final = {
    "content_type": "content-type",
    "cache_control": "cache-control",
    "content_disposition": "content-disposition",
    "content_encoding": "content-encoding",
    "content_language": "content-language",
    "expires_header": "expires",
    "acl": "x-amz-acl",
    "storage_class": "x-amz-storage-class",
    "tagging": "x-amz-tagging",
    "sse": "x-amz-server-side-encryption",
    "sse_kms_key_id": "x-amz-server-side-encryption-aws-kms-key-id",
    "sse_kms_context": "x-amz-server-side-encryption-context",
}

_SSE_VALUES: Final = ("AES256", "aws:kms", "aws:kms:dsse")
_CHECKSUM_ALGORITHMS: Final = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")
# RFC 9110 token characters: what a header or metadata name may contain.
_TOKEN: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Headers SigV4 or the URL itself owns; a caller setting them would break the signature.
_RESERVED_HEADERS: Final = frozenset(
    {"host", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "x-amz-signature"}
)


def text_option(value: object, parameter: str) -> str:
    """A str that can be sent: lone surrogates (bytes that were not UTF-8) are refused."""
    if not isinstance(value, str):
        raise PresignTypeError(f"{parameter} must be a str, not {type(value).__name__}")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise PresignError(f"{parameter} must be valid Unicode text (it has a lone surrogate)")
    return value


def _pairs(value: object, parameter: str) -> list[tuple[object, object]]:
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (list, tuple)):
        pairs: list[tuple[object, object]] = []
        for item in value:
            if not isinstance(item, tuple) or len(item) != 2:
                raise PresignTypeError(f"{parameter} must be a mapping or a sequence of (name, value) pairs")
            pairs.append((item[0], item[1]))
        return pairs
    raise PresignTypeError(f"{parameter} must be a mapping or a sequence of (name, value) pairs, "
                           f"not {type(value).__name__}")


def check_query(query: object) -> list[tuple[str, str]]:
    """Validate extra query parameters (``uploadId``, ``partNumber``, ...).

    ``X-Amz-*`` names belong to the signature and are refused.
    """
    checked: list[tuple[str, str]] = []
    for name, value in _pairs(query, "query"):
        if not isinstance(name, str):
            raise PresignTypeError(f"query parameter names must be str, not {type(name).__name__}")
        if not name:
            raise PresignError("query parameter names must not be empty")
        text_option(name, f"query parameter {name!r}")
        if name.lower().startswith("x-amz-"):
            raise PresignError(
                f"query parameter {name!r} is reserved: X-Amz-* parameters are set by the signature itself"
            )
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise PresignTypeError(f"query parameter {name!r} must be a str or int, not {type(value).__name__}")
        checked.append((name, text_option(str(value), f"query parameter {name!r}")))
    _refuse_duplicates([name for name, _ in checked], "query parameter")
    return checked


def _refuse_duplicates(names: list[str], what: str, *, fold_case: bool = False) -> None:
    seen: set[str] = set()
    for name in names:
        folded = name.lower() if fold_case else name
        if folded in seen:
            raise PresignError(f"{what} {name!r} is given twice")
        seen.add(folded)


def check_header_value(name: str, value: object) -> str:
    """A header value the client can send as is: ASCII text without control characters."""
    if not isinstance(value, str):
        raise PresignTypeError(f"header {name!r} must be a str, not {type(value).__name__}")
    if not value.isascii() or any(ord(char) < 32 and char != "\t" or ord(char) == 127 for char in value):
        raise PresignError(
            f"header {name!r} must be printable ASCII (no line breaks or control characters); "
            "encode other text first, e.g. with libpresign.content_disposition() for file names"
        )
    return value


def _token_name(name: object, what: str) -> str:
    """A header (or metadata) name: an RFC 9110 token."""
    if not isinstance(name, str):
        raise PresignTypeError(f"{what} names must be str, not {type(name).__name__}")
    if _TOKEN.fullmatch(name) is None:
        raise PresignError(f"{what} name {name!r} is not a valid HTTP token (letters, digits, '-', ...)")
    return name


def check_headers(headers: object) -> list[tuple[str, str]]:
    """Validate arbitrary signed headers; names are lowercased."""
    checked: list[tuple[str, str]] = []
    for raw_name, value in _pairs(headers, "headers"):
        name = _token_name(raw_name, "header")
        lowered = name.lower()
        if lowered in _RESERVED_HEADERS:
            raise PresignError(f"header {name!r} is reserved: the URL and its signature set it")
        checked.append((lowered, check_header_value(name, value)))
    return checked


def download_query(options: Mapping[str, object]) -> list[tuple[str, str]]:
    """Query pairs for ``version_id`` / ``response_*`` options and ``query=``, in the
    caller's order (botocore's order too)."""
    pairs: list[tuple[str, str]] = []
    for option, value in options.items():
        if option == "query":
            pairs.extend(check_query(value))
            continue
        parameter = _DOWNLOAD_PARAMETERS.get(option)
        if parameter is None:
            raise PresignTypeError(f"unexpected keyword argument {option!r}")
        pairs.append((parameter, _non_empty(value, option)))
    _refuse_duplicates([name for name, _ in pairs], "query parameter")
    return pairs


def _non_empty(value: object, option: str) -> str:
    text = text_option(value, option)
    if not text:
        raise PresignError(f"{option} must not be empty")
    return text


def upload_headers(options: Mapping[str, object]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Signed headers and query pairs for ``put``'s options, checked."""
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    for option, value in options.items():
        header = _UPLOAD_HEADERS.get(option)
        if header is not None:
            headers.append((header, check_header_value(header, _non_empty(value, option))))
        elif option == "metadata":
            headers.extend(_metadata_headers(value))
        elif option == "sse_bucket_key":
            if not isinstance(value, bool):
                raise PresignTypeError(f"sse_bucket_key must be a bool, not {type(value).__name__}")
            headers.append(("x-amz-server-side-encryption-bucket-key-enabled", "true" if value else "false"))
        elif option == "sse_customer_key":
            headers.extend(_sse_customer_headers(value))
        elif option == "checksums":
            headers.extend(_checksum_headers(value))
        elif option == "headers":
            headers.extend(check_headers(value))
        elif option == "query":
            query.extend(check_query(value))
        else:
            raise PresignTypeError(f"unexpected keyword argument {option!r}")
    _check_encryption(dict(headers))
    _refuse_duplicates([name for name, _ in headers], "header", fold_case=True)
    return headers, query


# KMS-only headers, by the option that sets them.
_KMS_HEADERS: Final = {
    "x-amz-server-side-encryption-aws-kms-key-id": "sse_kms_key_id",
    "x-amz-server-side-encryption-context": "sse_kms_context",
    "x-amz-server-side-encryption-bucket-key-enabled": "sse_bucket_key",
}


def _check_encryption(headers: dict[str, str]) -> None:
    """Combinations S3 refuses: KMS details without KMS, SSE-C together with SSE."""
    sse = headers.get("x-amz-server-side-encryption")
    if sse is not None and sse not in _SSE_VALUES:
        raise PresignError(f"sse must be one of {', '.join(_SSE_VALUES)}, got {sse!r}")
    for header, option in _KMS_HEADERS.items():
        if header in headers and sse not in ("aws:kms", "aws:kms:dsse"):
            raise PresignError(f"{option} needs sse='aws:kms' or 'aws:kms:dsse'")
    if sse is not None and "x-amz-server-side-encryption-customer-algorithm" in headers:
        raise PresignError("sse and sse_customer_key exclude each other: S3 encrypts with one key or the other")


def _metadata_headers(metadata: object) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for name, value in _pairs(metadata, "metadata"):
        header = "x-amz-meta-" + _token_name(name, "metadata").lower()
        headers.append((header, check_header_value(header, text_option(value, f"metadata[{name!r}]"))))
    return headers


def _sse_customer_headers(key: object) -> list[tuple[str, str]]:
    """SSE-C: the client sends the algorithm, the key and its MD5, all base64."""
    if not isinstance(key, bytes):
        raise PresignTypeError(f"sse_customer_key must be the raw 32-byte key as bytes, not {type(key).__name__}")
    if len(key) != 32:
        raise PresignError(f"sse_customer_key must be 32 bytes (AES-256), got {len(key)}")
    return [
        ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
        ("x-amz-server-side-encryption-customer-key", base64.b64encode(key).decode("ascii")),
        (
            "x-amz-server-side-encryption-customer-key-md5",
            base64.b64encode(hashlib.md5(key, usedforsecurity=False).digest()).decode("ascii"),
        ),
    ]


def _checksum_headers(checksums: object) -> list[tuple[str, str]]:
    """``x-amz-checksum-<algorithm>`` headers, only those asked for (never added unasked)."""
    headers: list[tuple[str, str]] = []
    for algorithm, value in _pairs(checksums, "checksums"):
        if not isinstance(algorithm, str) or algorithm.lower() not in _CHECKSUM_ALGORITHMS:
            raise PresignError(f"checksums keys must be one of {', '.join(_CHECKSUM_ALGORITHMS)}, got {algorithm!r}")
        text = text_option(value, f"checksums[{algorithm!r}]")
        try:
            base64.b64decode(text, validate=True)
        except ValueError:
            raise PresignError(f"checksums[{algorithm!r}] must be the base64 digest of the body") from None
        headers.append(("x-amz-checksum-" + algorithm.lower(), text))
    return headers
