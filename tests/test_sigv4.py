"""The SigV4 steps, against the AWS documentation's published values."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from libpresign import _sigv4
from aws_vectors import AWS_EXAMPLE_SECRET, AWS_EXAMPLE_SIGNATURE

# https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
DOC_CANONICAL_REQUEST = (
    "GET\n"
    "/test.txt\n"
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
    "host:examplebucket.s3.amazonaws.com\n"
    "\n"
    "host\n"
    "UNSIGNED-PAYLOAD"
)


def test_aws_documentation_example_step_by_step() -> None:
    query = _sigv4.canonical_query_string(
        [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
            ("X-Amz-Date", "20130524T000000Z"),
            ("X-Amz-Expires", "86400"),
            ("X-Amz-SignedHeaders", "host"),
        ]
    )
    headers = [("Host", "examplebucket.s3.amazonaws.com")]
    request = _sigv4.canonical_request(
        "GET",
        "/" + _sigv4.uri_encode_path(b"test.txt"),
        query,
        _sigv4.canonical_headers(headers),
        _sigv4.signed_headers(headers),
    )
    assert request == DOC_CANONICAL_REQUEST
    scope = _sigv4.credential_scope("20130524", "us-east-1")
    text = _sigv4.string_to_sign("20130524T000000Z", scope, _sigv4.hashed_canonical_request(request))
    key = _sigv4.signing_key(AWS_EXAMPLE_SECRET, "20130524", "us-east-1")
    assert _sigv4.signature(key, text) == AWS_EXAMPLE_SIGNATURE


def test_signing_key_matches_the_documented_derivation_example() -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
    # (the published example derives an IAM key with this secret, date and region)
    key = _sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


@pytest.mark.parametrize(
    ("key", "encoded"),
    [
        ("test.txt", "test.txt"),
        ("a b", "a%20b"),
        ("a+b", "a%2Bb"),
        ("dir/sub//file", "dir/sub//file"),
        ("/leading", "/leading"),
        ("../up/./here", "../up/./here"),
        ("~user-name_1.2", "~user-name_1.2"),
        ("100%?#&=", "100%25%3F%23%26%3D"),
        ("ü", "%C3%BC"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("\x00\x7f", "%00%7F"),
        ("😀", "%F0%9F%98%80"),
    ],
)
def test_uri_encode_path_is_bytewise_with_uppercase_hex(key: str, encoded: str) -> None:
    assert _sigv4.uri_encode_path(key.encode("utf-8")) == encoded


_PATH_SAFE_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
_MOSTLY_SAFE = st.binary(max_size=300) | st.lists(
    st.sampled_from(sorted(_PATH_SAFE_BYTES) + [0x20, 0x25, 0x2B, 0x7F, 0x80, 0xFF]), max_size=300
).map(bytes)


@given(_MOSTLY_SAFE)
def test_path_is_unreserved_exactly_when_every_byte_is(raw: bytes) -> None:
    # Keys of up to 128 bytes and longer ones are checked in two different ways.
    assert _sigv4.path_is_unreserved(raw) == all(byte in _PATH_SAFE_BYTES for byte in raw)
    assert _sigv4.path_is_unreserved(raw) == (_sigv4.uri_encode_path(raw) == raw.decode("latin-1"))


@pytest.mark.parametrize("size", [1, 127, 128, 129, 1024])
@pytest.mark.parametrize("odd", [b" ", b"%", b"\x80", b"A"])
def test_path_is_unreserved_at_every_length_and_position(size: int, odd: bytes) -> None:
    for position in {0, size // 2, size - 1}:
        raw = b"a/" * size
        raw = raw[:position] + odd + raw[position + 1 : size]
        assert _sigv4.path_is_unreserved(raw) is (odd == b"A")


@pytest.mark.parametrize(
    ("value", "encoded"),
    [("a/b", "a%2Fb"), ("a b+c", "a%20b%2Bc"), ("A-Z_a.z~0", "A-Z_a.z~0"), ("é=&", "%C3%A9%3D%26")],
)
def test_uri_encode_query_escapes_slash_too(value: str, encoded: str) -> None:
    assert _sigv4.uri_encode_query(value) == encoded


@given(st.text())
def test_uri_encode_query_round_trips_through_unquote(value: str) -> None:
    from urllib.parse import quote

    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        return
    assert _sigv4.uri_encode_query(value) == quote(value, safe="-_.~")


def test_canonical_query_string_sorts_by_encoded_name_then_value() -> None:
    params = [("b", "2"), ("a", "z"), ("a", "y"), ("A", "1"), ("a b", "x")]
    assert _sigv4.canonical_query_string(params) == "A=1&a=y&a=z&a%20b=x&b=2"


def test_canonical_headers_lowercases_trims_and_sorts() -> None:
    headers = [("X-Amz-Meta-B", "  two   words "), ("Host", "h"), ("content-type", "text/plain")]
    assert _sigv4.canonical_headers(headers) == "content-type:text/plain\nhost:h\nx-amz-meta-b:two words\n"
    assert _sigv4.signed_headers(headers) == "content-type;host;x-amz-meta-b"


@given(st.binary(min_size=32, max_size=32), st.binary(max_size=300), st.binary(max_size=100))
def test_hmac_pads_equal_hmac_with_and_without_prefix(key: bytes, message: bytes, prefix: bytes) -> None:
    pads = _sigv4.hmac_pads(key)
    assert pads.hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()
    assert pads.after(prefix).hexdigest(message) == hmac.new(key, prefix + message, hashlib.sha256).hexdigest()
    # the prepared states are copied, never consumed
    assert pads.hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()
