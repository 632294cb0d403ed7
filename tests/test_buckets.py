"""Bucket-name rules and DNS compatibility."""

from __future__ import annotations

import pytest

from libpresign.buckets import (
    aws_bucket_problem,
    dns_compatible,
    is_ipv4_shaped,
    path_segment_bucket_problem,
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
