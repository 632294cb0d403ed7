"""Endpoint parsing: what is signed as the host must be what the client sends."""

from __future__ import annotations

import pytest

from libpresign import PresignError, PresignTypeError
from libpresign.endpoints import Endpoint, parse_endpoint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://minio.example.com", Endpoint("https", "minio.example.com", "")),
        ("minio.example.com", Endpoint("https", "minio.example.com", "")),
        ("localhost:9000", Endpoint("https", "localhost:9000", "")),
        ("HTTP://LocalHost:80/", Endpoint("http", "localhost", "")),
        ("https://host:443", Endpoint("https", "host", "")),
        ("https://host:80", Endpoint("https", "host:80", "")),
        ("http://host:443", Endpoint("http", "host:443", "")),
        ("https://host:8443/prefix/", Endpoint("https", "host:8443", "/prefix")),
        ("https://host/a%20b/c~d/%c3%a9", Endpoint("https", "host", "/a%20b/c~d/%C3%A9")),
        ("http://[::1]:9000", Endpoint("http", "[::1]:9000", "")),
        ("https://host/pre%2Ffix/a", Endpoint("https", "host", "/pre%2Ffix/a")),
        ("https://host/a//b/", Endpoint("https", "host", "/a//b")),
        ("http://127.0.0.1:9000", Endpoint("http", "127.0.0.1:9000", "")),
    ],
)
def test_parse_endpoint(text: str, expected: Endpoint) -> None:
    assert parse_endpoint(text) == expected


def test_url_is_normalised() -> None:
    assert parse_endpoint("HTTPS://Host:443/base/").url == "https://host/base"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "without whitespace"),
        (" https://host", "without whitespace"),
        ("https://ho st", "without whitespace"),
        ("ftp://host", "http or https"),
        ("https://user@host", "user information"),
        ("https://host?x=1", "query string"),
        ("https://host?", "query string"),
        ("https://host#x", "fragment"),
        ("https://host:0", "invalid port"),
        ("https://host:abc", "invalid port"),
        ("https://", "must name a host"),
        ("https://bad_host!", "must name a host"),
        ("https://host/%ff", "not valid UTF-8"),
    ],
)
def test_bad_endpoints_name_the_parameter_and_rule(text: str, message: str) -> None:
    with pytest.raises(PresignError, match=f"^endpoint .*{message}"):
        parse_endpoint(text)


def test_wrong_type() -> None:
    with pytest.raises(PresignTypeError, match="endpoint must be a str"):
        parse_endpoint(b"https://host")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://127.0.0.1:9000", True),
        ("https://10.1.2.3", True),
        ("http://[::1]:9000", True),
        ("https://[2001:db8::1]", True),
        ("http://localhost:9000", False),
        ("https://minio.example.com", False),
        ("https://1.2.3.example.com", False),
    ],
)
def test_ip_literal(text: str, expected: bool) -> None:
    assert parse_endpoint(text).ip_literal is expected
