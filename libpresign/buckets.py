"""Bucket-name rules, and which names can be a DNS label in a virtual-hosted URL.

A rule is a function ``(bucket, region) -> problem`` that returns ``None`` for a good
name or a sentence saying what is wrong. Provider profiles pick one; plugins may write
their own.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "aws_bucket_problem",
    "b2_bucket_problem",
    "dns_compatible",
    "gcs_bucket_problem",
    "is_ipv4_shaped",
    "path_segment_bucket_problem",
    "r2_bucket_problem",
    "s3_compatible_bucket_problem",
]

_LABEL_NAME: Final = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_LEGACY_NAME: Final = re.compile(r"[A-Za-z0-9._-]{3,255}")
_SEGMENT_NAME: Final = re.compile(r"[A-Za-z0-9._-]+")
_IPV4_SHAPE: Final = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_DNS_LABELS: Final = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_R2_NAME: Final = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
_GCS_NAME: Final = re.compile(r"[a-z0-9]([a-z0-9._-]*[a-z0-9])?")
_B2_NAME: Final = re.compile(r"[A-Za-z0-9-]{6,63}")

# Names AWS reserves: no bucket can have them, so a URL using one is a typo.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_RESERVED_PREFIXES: Final = ("xn--", "sthree-", "amzn-s3-demo-")
# Suffixes that name something this signer cannot address as a plain bucket: directory
# buckets need S3 Express sessions, table buckets another API, and multi-region access
# points SigV4A. Access point aliases (-s3alias, --ol-s3) work like buckets and pass.
_UNSIGNABLE_SUFFIXES: Final = {
    "--x-s3": "a directory bucket (S3 Express One Zone), which needs session-based signing",
    "--table-s3": "a table bucket, which is not reachable through the S3 object API",
    ".mrap": "a multi-region access point, which needs SigV4A signing",
}


def is_ipv4_shaped(bucket: str) -> bool:
    """True for names like ``192.168.5.4`` that would read as an IP address."""
    return _IPV4_SHAPE.fullmatch(bucket) is not None


def dns_compatible(bucket: str, *, https: bool) -> bool:
    """True when ``bucket`` can be the first DNS label(s) of a virtual-hosted URL.

    Under https a dotted name would not match the provider's ``*.host`` wildcard
    certificate, so it is treated as incompatible (botocore does the same).
    """
    if not 3 <= len(bucket) <= 63 or is_ipv4_shaped(bucket):
        return False
    if https and "." in bucket:
        return False
    return _DNS_LABELS.fullmatch(bucket) is not None


def _label_name_problem(bucket: str) -> str | None:
    if not 3 <= len(bucket) <= 63:
        return f"must be 3 to 63 characters long, got {len(bucket)}"
    if _LABEL_NAME.fullmatch(bucket) is None:
        return "may contain only lowercase letters, digits, '.' and '-', and must start and end with a letter or digit"
    if ".." in bucket:
        return "must not contain two adjacent periods"
    if is_ipv4_shaped(bucket):
        return "must not be formatted as an IP address"
    return None


def aws_bucket_problem(bucket: str, region: str) -> str | None:
    """Amazon S3's bucket naming rules.

    Buckets created in us-east-1 before March 2018 may have uppercase letters and
    underscores and be up to 255 characters long; us-east-1 accepts those legacy names.
    """
    for suffix, what in _UNSIGNABLE_SUFFIXES.items():
        if bucket.endswith(suffix):
            return f"ends with {suffix!r}: it names {what}"
    if region == "us-east-1" and _LEGACY_NAME.fullmatch(bucket) is not None and _label_name_problem(bucket):
        return None
    problem = _label_name_problem(bucket)
    if problem is not None:
        return problem
    for prefix in _RESERVED_PREFIXES:
        if bucket.startswith(prefix):
            return f"must not start with {prefix!r}, which AWS reserves"
    return None


def s3_compatible_bucket_problem(bucket: str, region: str) -> str | None:
    """The DNS-style rules most S3-compatible servers share (MinIO, R2, Ceph defaults)."""
    return _label_name_problem(bucket)


def path_segment_bucket_problem(bucket: str, region: str) -> str | None:
    """The loosest rule: any name that is one clean path segment (unknown servers)."""
    if not 1 <= len(bucket) <= 255:
        return f"must be 1 to 255 characters long, got {len(bucket)}"
    if _SEGMENT_NAME.fullmatch(bucket) is None:
        return "may contain only letters, digits, '.', '_' and '-'"
    if bucket in (".", ".."):
        return "must not be '.' or '..'"
    return None


def r2_bucket_problem(bucket: str, region: str) -> str | None:
    """Cloudflare R2: 3 to 63 lowercase letters, digits and '-', no dots.

    https://developers.cloudflare.com/r2/buckets/create-buckets/
    """
    if not 3 <= len(bucket) <= 63:
        return f"must be 3 to 63 characters long, got {len(bucket)}"
    if _R2_NAME.fullmatch(bucket) is None:
        return "may contain only lowercase letters, digits and '-', and must start and end with a letter or digit"
    return None


def gcs_bucket_problem(bucket: str, region: str) -> str | None:
    """Google Cloud Storage: lowercase letters, digits, '-', '_' and '.'; 3 to 63
    characters, or up to 222 when dotted with each part at most 63.

    https://cloud.google.com/storage/docs/buckets#naming
    """
    limit = 222 if "." in bucket else 63
    if not 3 <= len(bucket) <= limit:
        return f"must be 3 to {limit} characters long, got {len(bucket)}"
    if _GCS_NAME.fullmatch(bucket) is None:
        return (
            "may contain only lowercase letters, digits, '-', '_' and '.', and must start and end with "
            "a letter or digit"
        )
    if any(not 1 <= len(part) <= 63 for part in bucket.split(".")):
        return "must have dot-separated parts of 1 to 63 characters"
    if is_ipv4_shaped(bucket):
        return "must not be formatted as an IP address"
    if bucket.startswith("goog") or "google" in bucket:
        return "must not start with 'goog' or contain 'google', which Google reserves"
    return None


def b2_bucket_problem(bucket: str, region: str) -> str | None:
    """Backblaze B2: 6 to 63 letters, digits and '-' (case-insensitive), not ``b2-...``.

    https://www.backblaze.com/docs/cloud-storage-buckets
    """
    if not 6 <= len(bucket) <= 63:
        return f"must be 6 to 63 characters long, got {len(bucket)}"
    if _B2_NAME.fullmatch(bucket) is None:
        return "may contain only letters, digits and '-'"
    if bucket.lower().startswith("b2-"):
        return "must not start with 'b2-', which Backblaze reserves"
    return None
