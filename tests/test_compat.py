"""libpresign.get: the original library's signature and promises, kept."""

from __future__ import annotations

import inspect
from urllib.parse import urlsplit

import pytest

import libpresign
from libpresign import PresignError, PresignTypeError
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET
from sigv4_reference import expected_signature, signature_of

AKID, SECRET = AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET


def test_signature_matches_the_original_api() -> None:
    parameters = inspect.signature(libpresign.get).parameters
    assert list(parameters) == ["access_key_id", "secret_access_key", "region", "bucket", "key", "expires", "endpoint"]
    assert parameters["expires"].default == 3600
    assert parameters["endpoint"].default is None
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters.values())


def test_positional_and_keyword_calls_agree() -> None:
    positional = libpresign.get(AKID, SECRET, "eu-west-1", "my-bucket", "a/b.txt", 600)
    keyword = libpresign.get(
        access_key_id=AKID, secret_access_key=SECRET, region="eu-west-1", bucket="my-bucket", key="a/b.txt", expires=600
    )
    assert urlsplit(positional)[:3] == urlsplit(keyword)[:3]
    assert positional.startswith("https://my-bucket.s3.eu-west-1.amazonaws.com/a/b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&")
    for url in (positional, keyword):
        assert signature_of(url) == expected_signature(url, SECRET)
        assert "&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=" in url


def test_region_none_is_us_east_1() -> None:
    url = libpresign.get(AKID, SECRET, None, "my-bucket", "k")
    assert url.startswith("https://my-bucket.s3.us-east-1.amazonaws.com/k?")
    assert "%2Fus-east-1%2Fs3%2Faws4_request" in url


@pytest.mark.parametrize(
    ("region", "bucket", "prefix"),
    [
        ("eu-west-1", "dotted.bucket.name", "https://s3.eu-west-1.amazonaws.com/dotted.bucket.name/k?"),
        (None, "UpperCase", "https://s3.us-east-1.amazonaws.com/UpperCase/k?"),
        (None, "10.1.2.3", "https://s3.us-east-1.amazonaws.com/10.1.2.3/k?"),
    ],
)
def test_non_dns_buckets_go_path_style(region: str | None, bucket: str, prefix: str) -> None:
    url = libpresign.get(AKID, SECRET, region, bucket, "k")
    assert url.startswith(prefix)
    assert signature_of(url) == expected_signature(url, SECRET)


@pytest.mark.parametrize(
    ("endpoint", "prefix"),
    [
        ("https://minio.example.com", "https://minio.example.com/data/reports/2024/q1.csv?"),
        ("minio.example.com", "https://minio.example.com/data/reports/2024/q1.csv?"),
        ("http://localhost:9000", "http://localhost:9000/data/reports/2024/q1.csv?"),
        ("https://host:8443/prefix", "https://host:8443/prefix/data/reports/2024/q1.csv?"),
        ("https://host:8443/prefix/", "https://host:8443/prefix/data/reports/2024/q1.csv?"),
        ("https://MinIO.Example.com:443", "https://minio.example.com/data/reports/2024/q1.csv?"),
        ("http://localhost:80", "http://localhost/data/reports/2024/q1.csv?"),
        ("http://[::1]:9000", "http://[::1]:9000/data/reports/2024/q1.csv?"),
    ],
)
def test_endpoint_is_path_style_with_default_ports_dropped(endpoint: str, prefix: str) -> None:
    url = libpresign.get(AKID, SECRET, "us-east-1", "data", "reports/2024/q1.csv", 3600, endpoint)
    assert url.startswith(prefix)
    assert signature_of(url) == expected_signature(url, SECRET)


def test_endpoint_accepts_looser_bucket_names() -> None:
    url = libpresign.get(AKID, SECRET, None, "Ceph_Bucket", "k", endpoint="http://ceph.local:7480")
    assert url.startswith("http://ceph.local:7480/Ceph_Bucket/k?")


class NumpyLikeInt:
    def __index__(self) -> int:
        return 900


def test_expires_accepts_integer_likes_and_refuses_bool_and_float() -> None:
    assert "X-Amz-Expires=900&" in libpresign.get(AKID, SECRET, None, "my-bucket", "k", NumpyLikeInt())  # type: ignore[arg-type]
    for bad in (True, 60.0):
        with pytest.raises(TypeError) as caught:
            libpresign.get(AKID, SECRET, None, "my-bucket", "k", bad)  # type: ignore[arg-type]
        assert isinstance(caught.value, SystemError) and "expires" in str(caught.value)
    for bad_range in (0, 604801, 2**32 + 5):
        with pytest.raises(ValueError, match="expires must be between 1 and 604800") as caught_value:
            libpresign.get(AKID, SECRET, None, "my-bucket", "k", bad_range)
        assert isinstance(caught_value.value, SystemError)


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        ((None, SECRET, None, "my-bucket", "k"), "access_key_id"),
        ((AKID, None, None, "my-bucket", "k"), "secret_access_key"),
        ((AKID, SECRET, 5, "my-bucket", "k"), "region"),
        ((AKID, SECRET, None, None, "k"), "bucket"),
        ((AKID, SECRET, None, ["unhashable"], "k"), "bucket"),
        ((AKID, SECRET, None, "my-bucket", None), "key"),
        ((AKID, SECRET, None, "my-bucket", b"k"), "key"),
    ],
)
def test_wrong_types_are_type_errors_and_system_errors(arguments: tuple[object, ...], parameter: str) -> None:
    with pytest.raises(PresignTypeError, match=rf"^{parameter} must be a str") as caught:
        libpresign.get(*arguments)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, SystemError)


@pytest.mark.parametrize(
    ("arguments", "parameter"),
    [
        (("", SECRET, None, "my-bucket", "k"), "access_key_id"),
        ((AKID, "", None, "my-bucket", "k"), "secret_access_key"),
        ((AKID, SECRET, "not a region", "my-bucket", "k"), "region"),
        ((AKID, SECRET, "eu-west-1", "b", "k"), "bucket"),
        ((AKID, SECRET, None, "my-bucket", ""), "key"),
        ((AKID, SECRET, None, "my-bucket", "k", 3600, "ftp://x"), "endpoint"),
    ],
)
def test_bad_values_are_value_errors_and_system_errors(arguments: tuple[object, ...], parameter: str) -> None:
    with pytest.raises(PresignError, match=rf"^{parameter}") as caught:
        libpresign.get(*arguments)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, SystemError)


def test_nothing_is_printed_on_errors(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(PresignError):
        libpresign.get(AKID, SECRET, None, "my-bucket", "")
    assert capfd.readouterr() == ("", "")


def test_prepared_signers_are_reused_and_bounded() -> None:
    from libpresign import compat

    libpresign.get(AKID, SECRET, None, "reuse-bucket", "k")
    first = compat._presigners.get((AKID, SECRET, None, None))
    libpresign.get(AKID, SECRET, None, "reuse-bucket", "other")
    libpresign.get(AKID, SECRET, None, "another-bucket", "k")
    assert compat._presigners.get((AKID, SECRET, None, None)) is first is not None  # one per credentials
    for number in range(200):
        libpresign.get(AKID, f"secret-{number}", None, "reuse-bucket", "k")
    assert len(compat._presigners) <= 64
    assert compat._presigners.get((AKID, SECRET, None, None)) is None  # the secret is forgotten
