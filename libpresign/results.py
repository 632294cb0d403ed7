"""What the presigning calls return when a URL alone is not enough."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

__all__ = ["PresignedPost", "PresignedRequest"]

# Values kept in the object but masked in its repr: secrets of their own (the SSE-C
# key, the session token) and the long policy and signature, which tell a reader nothing.
_MASKED: Final = frozenset(
    {"x-amz-server-side-encryption-customer-key", "x-amz-security-token", "policy", "x-amz-signature"}
)


def _masked(items: Mapping[str, str]) -> str:
    shown = {name: ("***" if name.lower() in _MASKED else value) for name, value in items.items()}
    return repr(shown)


class PresignedRequest:
    """A presigned request: the URL and the exact headers the client must send with it.

    :ivar method: ``"PUT"``, ``"GET"``, ...
    :ivar url: the presigned URL.
    :ivar headers: read-only mapping of header name (lowercase) to value; send them all,
        unchanged, or S3 answers ``SignatureDoesNotMatch``.
    """

    __slots__ = ("_headers", "method", "url")

    method: str
    url: str
    _headers: Mapping[str, str]

    def __init__(self, method: str, url: str, headers: Mapping[str, str]) -> None:
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "_headers", MappingProxyType(dict(headers)))

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers to send, read-only."""
        return self._headers

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PresignedRequest is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("PresignedRequest is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PresignedRequest):
            return NotImplemented
        return (self.method, self.url, dict(self.headers)) == (other.method, other.url, dict(other.headers))

    def __hash__(self) -> int:
        return hash((self.method, self.url, tuple(sorted(self.headers.items()))))

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``method, url, headers``."""
        return iter((self.method, self.url, self.headers))

    def __repr__(self) -> str:
        return f"PresignedRequest(method={self.method!r}, url=<{len(self.url)} chars>, headers={_masked(self.headers)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PresignedRequest, (self.method, self.url, dict(self.headers)))


class PresignedPost:
    """A browser form upload: POST ``fields`` (all of them, before the file) to ``url``.

    :ivar url: the form's ``action``.
    :ivar fields: read-only mapping of form field name to value.
    """

    __slots__ = ("_fields", "url")

    url: str
    _fields: Mapping[str, str]

    def __init__(self, url: str, fields: Mapping[str, str]) -> None:
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "_fields", MappingProxyType(dict(fields)))

    @property
    def fields(self) -> Mapping[str, str]:
        """The form fields, read-only, in the order to send them."""
        return self._fields

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PresignedPost is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("PresignedPost is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PresignedPost):
            return NotImplemented
        return (self.url, dict(self.fields)) == (other.url, dict(other.fields))

    def __hash__(self) -> int:
        return hash((self.url, tuple(sorted(self.fields.items()))))

    def __repr__(self) -> str:
        return f"PresignedPost(url={self.url!r}, fields={_masked(self.fields)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PresignedPost, (self.url, dict(self.fields)))
