"""Service endpoints: parsing ``endpoint=`` and placing a bucket in a URL.

A presigned URL signs its host, so the host must be exactly what the client will send:
lowercase, with the default port (80 for http, 443 for https) dropped and any other port
kept. https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import unquote, urlsplit

from libpresign._sigv4 import uri_encode_query
from libpresign.errors import PresignError, PresignTypeError

__all__ = ["Addressing", "Endpoint", "Location", "parse_endpoint"]

Addressing = Literal["auto", "virtual", "path"]

DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_HOST_NAME: Final = re.compile(r"[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*\.?")
_IPV6_LITERAL: Final = re.compile(r"\[[0-9a-f:.]+\]")
_IPV4_ADDRESS: Final = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A validated service URL: scheme, host (with a non-default port) and path prefix."""

    scheme: str
    host: str
    path: str
    """Encoded path prefix without a trailing slash: ``""`` or ``/base``."""

    @property
    def url(self) -> str:
        """The endpoint as a URL, normalised (lowercase host, no default port)."""
        return self.scheme + "://" + self.host + self.path

    @property
    def ip_literal(self) -> bool:
        """Whether the host is an IPv4 or IPv6 address, which cannot take a bucket label."""
        if self.host.startswith("["):
            return True
        return _IPV4_ADDRESS.fullmatch(self.host.rsplit(":", 1)[0]) is not None


@dataclass(frozen=True, slots=True)
class Location:
    """Where one bucket's objects live: URL scheme, signed host and path before the key."""

    scheme: str
    host: str
    path_prefix: str


def parse_endpoint(endpoint: object, *, parameter: str = "endpoint") -> Endpoint:
    """Validate an S3-compatible service URL; a bare ``host[:port]`` means https."""
    if not isinstance(endpoint, str):
        raise PresignTypeError(f"{parameter} must be a str URL such as 'https://minio.example.com', "
                               f"not {type(endpoint).__name__}")
    text = endpoint.strip()
    if not text or text != endpoint or any(char.isspace() for char in text):
        raise PresignError(f"{parameter} must be a URL without whitespace, such as 'https://minio.example.com'")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise PresignError(f"{parameter} must use http or https, got {parts.scheme!r}")
    if "@" in parts.netloc:
        raise PresignError(f"{parameter} must not contain user information ('user@'): pass credentials separately")
    if parts.query or text.endswith("?"):
        raise PresignError(f"{parameter} must not have a query string")
    if parts.fragment or "#" in text:
        raise PresignError(f"{parameter} must not have a fragment ('#...')")
    try:
        port = parts.port
    except ValueError:
        raise PresignError(f"{parameter} has an invalid port: it must be a number from 1 to 65535") from None
    hostname = parts.hostname or ""
    if ":" in hostname:
        hostname = "[" + hostname + "]"
        valid_host = _IPV6_LITERAL.fullmatch(hostname) is not None
    else:
        valid_host = _HOST_NAME.fullmatch(hostname) is not None
    if not valid_host:
        raise PresignError(f"{parameter} must name a host such as 'minio.example.com', got {endpoint!r}")
    if port == 0:
        raise PresignError(f"{parameter} has an invalid port: it must be a number from 1 to 65535")
    host = hostname if port is None or port == DEFAULT_PORTS[scheme] else f"{hostname}:{port}"
    try:
        path = _path_prefix(parts.path)
    except UnicodeError:
        raise PresignError(f"{parameter} has a path that is not valid UTF-8 text") from None
    return Endpoint(scheme, host, path)


def _path_prefix(path: str) -> str:
    """Encode the endpoint's path prefix as SigV4 does, whether given raw or escaped.

    Segment by segment, so an escaped slash (``%2F``) stays inside its segment.
    """
    trimmed = path.rstrip("/")
    if not trimmed:
        return ""
    return "/".join(
        uri_encode_query(unquote(segment, errors="strict")) for segment in trimmed.split("/")
    )
