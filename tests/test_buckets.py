"""Bucket-name rules and DNS compatibility."""

from __future__ import annotations

import pytest

from libpresign.buckets import (
    aws_bucket_problem,
    b2_bucket_problem,
    dns_compatible,
    gcs_bucket_problem,
    is_ipv4_shaped,
    path_segment_bucket_problem,
    r2_bucket_problem,
    s3_compatible_bucket_problem,
)


@pytest.mark.parametrize(
    "bucket", ["abc", "my-bucket", "a.b.c", "a" * 63, "0-1", "bucket-s3alias", "ap--ol-s3", "amzn-s3-demox"]
)
def test_valid_aws_names(bucket: str) -> None:
    assert aws_bucket_problem(bucket, "eu-west-1") is None


@pytest.mark.parametrize(
    ("bucket", "problem"),
    [
        ("ab", "3 to 63 characters"),
        ("a" * 64, "3 to 63 characters"),
        ("-abc", "start and end with a letter or digit"),
        ("abc-", "start and end with a letter or digit"),
        ("ABC", "lowercase letters"),
        ("a_b", "lowercase letters"),
        ("a..b", "two adjacent periods"),
        ("192.168.1.1", "IP address"),
        ("xn--abc", "'xn--'"),
        ("sthree-abc", "'sthree-'"),
        ("amzn-s3-demo-bucket", "'amzn-s3-demo-'"),
        ("name--x-s3", "directory bucket"),
        ("name--table-s3", "table bucket"),
        ("name.mrap", "SigV4A"),
    ],
)
def test_invalid_aws_names(bucket: str, problem: str) -> None:
    assert problem in (aws_bucket_problem(bucket, "eu-west-1") or "")


@pytest.mark.parametrize("bucket", ["Legacy_Bucket", "UPPER", "1.2.3.4", "a" * 255, "a..b"])
def test_legacy_names_only_in_us_east_1(bucket: str) -> None:
    assert aws_bucket_problem(bucket, "us-east-1") is None
    assert aws_bucket_problem(bucket, "us-west-2") is not None


def test_suffix_rules_hold_in_us_east_1_too() -> None:
    assert aws_bucket_problem("name--x-s3", "us-east-1") is not None
    assert aws_bucket_problem("xn--abc", "us-east-1") is not None


@pytest.mark.parametrize(
    ("bucket", "https", "expected"),
    [
        ("my-bucket", True, True),
        ("my.bucket", True, False),
        ("my.bucket", False, True),
        ("My-Bucket", False, False),
        ("1.2.3.4", False, False),
        ("ab", False, False),
        ("a-.b", False, False),
        ("a_b", False, False),
    ],
)
def test_dns_compatible(bucket: str, https: bool, expected: bool) -> None:
    assert dns_compatible(bucket, https=https) is expected


def test_ipv4_shape() -> None:
    assert is_ipv4_shaped("10.0.0.1") and not is_ipv4_shaped("10.0.0") and not is_ipv4_shaped("a.b.c.d")


def test_s3_compatible_rules_skip_aws_reservations() -> None:
    assert s3_compatible_bucket_problem("xn--abc", "us-east-1") is None
    assert s3_compatible_bucket_problem("ABC", "us-east-1") is not None


@pytest.mark.parametrize(("bucket", "ok"), [("Ceph_Bucket", True), ("a", True), (".", False), ("a/b", False), ("", False)])
def test_path_segment_rule(bucket: str, ok: bool) -> None:
    assert (path_segment_bucket_problem(bucket, "x") is None) is ok


# R2: https://developers.cloudflare.com/r2/buckets/create-buckets/ (a-z 0-9 -, 3 to 63).
@pytest.mark.parametrize(
    ("bucket", "problem"),
    [
        ("my-bucket", None),
        ("abc", None),
        ("a" * 63, None),
        ("ab", "3 to 63 characters"),
        ("a" * 64, "3 to 63 characters"),
        ("my.bucket", "lowercase letters, digits and '-'"),
        ("My-Bucket", "lowercase letters, digits and '-'"),
        ("-bucket", "start and end with a letter or digit"),
        ("bucket-", "start and end with a letter or digit"),
    ],
)
def test_r2_names(bucket: str, problem: str | None) -> None:
    found = r2_bucket_problem(bucket, "auto")
    assert found is None if problem is None else problem in (found or "")


# GCS: https://cloud.google.com/storage/docs/buckets#naming
@pytest.mark.parametrize(
    ("bucket", "problem"),
    [
        ("my_bucket", None),
        ("my.bucket", None),
        ("a" * 63, None),
        (".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 30]), None),
        ("a" * 64, "3 to 63 characters"),
        (".".join(["a" * 63] * 4), "3 to 222 characters"),
        ("a" * 64 + ".b", "parts of 1 to 63 characters"),
        ("a..b", "parts of 1 to 63 characters"),
        ("My-Bucket", "lowercase letters"),
        ("_bucket", "start and end with a letter or digit"),
        ("10.0.0.1", "IP address"),
        ("goog-bucket", "'goog'"),
        ("my-google-bucket", "'google'"),
    ],
)
def test_gcs_names(bucket: str, problem: str | None) -> None:
    found = gcs_bucket_problem(bucket, "auto")
    assert found is None if problem is None else problem in (found or "")


# B2: https://www.backblaze.com/docs/cloud-storage-buckets (6 to 63 letters, digits, -).
@pytest.mark.parametrize(
    ("bucket", "problem"),
    [
        ("myBucket", None),
        ("bucket-74358734", None),
        ("a" * 63, None),
        ("bucke", "6 to 63 characters"),
        ("a" * 64, "6 to 63 characters"),
        ("my_bucket", "letters, digits and '-'"),
        ("my.bucket", "letters, digits and '-'"),
        ("b2-bucket", "'b2-'"),
        ("B2-Bucket", "'b2-'"),
    ],
)
def test_b2_names(bucket: str, problem: str | None) -> None:
    found = b2_bucket_problem(bucket, "us-west-004")
    assert found is None if problem is None else problem in (found or "")
