"""Hypothesis strategies shared by the cross-implementation tests, the case types they
draw, and the ``Presigner`` a case describes.

Every strategy here is derived from the rules as AWS publishes them, not from libpresign's
own validators, so a generator and the code under test cannot share a mistake:
https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html and
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Final, Literal

from hypothesis import strategies as st

from libpresign import Presigner

__all__ = [
    "AMAZONAWS_COM",
    "CUSTOM_ENDPOINTS",
    "MAX_EXPIRES",
    "MAX_KEY_BYTES",
    "MAX_SIGNING_SECOND",
    "REAL_AWS_REGIONS",
    "REGIONS_BY_PARTITION",
    "AwsCase",
    "Bucket",
    "Credentials",
    "access_key_ids",
    "amz_date",
    "aws_buckets",
    "aws_cases",
    "aws_regions",
    "case_presigner",
    "clock_readings",
    "compatible_buckets",
    "credentials",
    "dotted_buckets",
    "expires_values",
    "generated_regions",
    "label_buckets",
    "legacy_buckets",
    "midnight_seconds",
    "object_keys",
    "path_segment_buckets",
    "secret_access_keys",
    "session_tokens",
    "signing_datetime",
    "signing_second",
    "signing_seconds",
]

MAX_KEY_BYTES: Final = 1024
MAX_EXPIRES: Final = 604800
# 9999-12-31T23:59:59Z: the last second a four-digit X-Amz-Date year can name.
MAX_SIGNING_SECOND: Final = 253402300799
_DAY: Final = 86400
_EPOCH: Final = datetime.datetime(1970, 1, 1)

# Real regions by partition, as botocore's partitions.json and endpoints.json list them
# (botocore 1.44). The partition decides the host's DNS suffix: amazonaws.com for "aws"
# and "aws-us-gov", amazonaws.com.cn for China, others for the sovereign and ISO clouds.
REGIONS_BY_PARTITION: Final[dict[str, tuple[str, ...]]] = {
    "aws": (
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1",
        "eu-south-1", "eu-south-2", "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
        "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "sa-east-1", "me-south-1", "me-central-1",
        "af-south-1", "il-central-1", "mx-central-1",
    ),
    "aws-us-gov": ("us-gov-west-1", "us-gov-east-1"),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-eusc": ("eusc-de-east-1",),
    "aws-iso": ("us-iso-east-1", "us-iso-west-1"),
    "aws-iso-b": ("us-isob-east-1", "us-isob-west-1"),
    "aws-iso-e": ("eu-isoe-west-1",),
    "aws-iso-f": ("us-isof-east-1", "us-isof-south-1"),
}  # fmt: skip
REAL_AWS_REGIONS: Final = tuple(region for regions in REGIONS_BY_PARTITION.values() for region in regions)
# Partitions whose S3 hosts end in amazonaws.com.
AMAZONAWS_COM: Final = frozenset({"aws", "aws-us-gov"})

CUSTOM_ENDPOINTS: Final = (
    "http://localhost:9000",
    "https://host:8443/prefix",
    "http://127.0.0.1:9000",
    "https://[::1]:9000",
    "https://minio.example.com",
)

_RESERVED_PREFIXES: Final = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES: Final = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap")
_IPV4_SHAPE: Final = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_MODERN_NAME: Final = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")

# Characters that mean something in a URL or to SigV4's encoder, plus a few multi-byte ones.
_URL_SPECIALS: Final = "/ +%?#&=~.-_!*'();:@$,[]\\^`{}|<>\"\t\n\r\x00\x7f\u00e9\u20ac\U0001f600"
_SEGMENTS: Final = ("", ".", "..", "a", "a b", "+", "%2F", "%", "?x=1", "#f", "&", "=", "~", "\u00fc")


@dataclass(frozen=True)
class Credentials:
    """Fake credentials: nothing here is ever sent anywhere."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None


@dataclass(frozen=True)
class Bucket:
    """A bucket name and where it goes in the URL: in the host (``virtual``) or the path.

    The strategies here tag each name as Amazon S3's ``auto`` addressing places it under
    https; a test that uses another endpoint may tag it for that endpoint instead.
    """

    name: str
    addressing: Literal["virtual", "path"]


@dataclass(frozen=True)
class AwsCase:
    """One GET to presign on Amazon S3, with the clock reading to sign it at."""

    credentials: Credentials
    region: str
    bucket: Bucket
    key: str
    expires: int
    clock: int | float


def case_presigner(case: AwsCase, *, cls: type[Presigner] = Presigner, **options: Any) -> Presigner:
    """The ``Presigner`` (or a ``cls`` built alike) a case describes: its credentials,
    region, bucket and clock; ``options`` add to those or replace them."""
    settings: dict[str, Any] = {
        "session_token": case.credentials.session_token,
        "region": case.region,
        "bucket": case.bucket.name,
        "clock": lambda: case.clock,
        **options,
    }
    return cls(case.credentials.access_key_id, case.credentials.secret_access_key, **settings)


def signing_second(reading: int | float) -> int:
    """The whole POSIX second a clock reading names (SigV4 times have no fraction)."""
    return math.floor(reading)


def signing_datetime(reading: int | float) -> datetime.datetime:
    """A clock reading as a naive UTC datetime, as botocore's clock returns it."""
    return _EPOCH + datetime.timedelta(seconds=signing_second(reading))


def amz_date(reading: int | float) -> str:
    """The ``X-Amz-Date`` value a URL signed at ``reading`` must carry."""
    return signing_datetime(reading).strftime("%Y%m%dT%H%M%SZ")


def _fit_key(text: str) -> str:
    """Cut a key to at most 1024 UTF-8 bytes without splitting a character."""
    return text.encode("utf-8")[:MAX_KEY_BYTES].decode("utf-8", errors="ignore")


def object_keys() -> st.SearchStrategy[str]:
    """Object keys: any Unicode without surrogates, 1 to 1024 UTF-8 bytes, with URL
    specials, ``/`` runs, ``.``/``..`` segments and a leading ``/`` well represented."""
    any_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=80)
    specials = st.text(_URL_SPECIALS, min_size=1, max_size=40)
    segment = st.one_of(st.sampled_from(_SEGMENTS), specials, any_text)
    path_like = st.lists(segment, min_size=1, max_size=10).map("/".join)
    leading_slash = st.one_of(any_text, path_like).map(lambda text: "/" + text)
    # Repeat a short text until the key reaches (or crosses) the size limit.
    near_limit = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8).map(
        lambda text: text * (MAX_KEY_BYTES // len(text.encode("utf-8")) + 1)
    )
    return (
        st.one_of(any_text, specials, path_like, leading_slash, near_limit)
        .map(_fit_key)
        .filter(lambda key: len(key) > 0)
    )


def generated_regions(*, partitions: Collection[str] | None = None) -> st.SearchStrategy[str]:
    """AWS-shaped region names (``xx-yyyy-N``) that no partition lists yet: ``cn-...``
    ones belong to China (``aws-cn``), all others to the commercial partition."""
    regions = st.from_regex(r"[a-z]{2}-[a-z]{4,10}-[0-9]", fullmatch=True)
    if partitions is None:
        return regions
    return regions.filter(lambda region: ("aws-cn" if region.startswith("cn-") else "aws") in partitions)


def aws_regions(*, partitions: Collection[str] | None = None) -> st.SearchStrategy[str]:
    """Real regions and generated AWS-shaped ones, of the given partitions (or any)."""
    chosen = REGIONS_BY_PARTITION if partitions is None else partitions
    real = [region for name in chosen for region in REGIONS_BY_PARTITION[name]]
    return st.one_of(st.sampled_from(real), generated_regions(partitions=partitions))


def _unreserved(name: str) -> bool:
    return not name.startswith(_RESERVED_PREFIXES) and not name.endswith(_RESERVED_SUFFIXES)


def label_buckets() -> st.SearchStrategy[str]:
    """Modern AWS names without dots: each is one DNS label, so virtual-hosted."""
    generated = st.from_regex(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]", fullmatch=True)
    chosen = st.sampled_from(["abc", "mybucket", "a-b", "0bucket9", "a" * 63, "a--b"])
    return st.one_of(chosen, generated).filter(_unreserved)


def _modern_dotted(name: str) -> bool:
    return (
        "." in name
        and ".." not in name
        and _MODERN_NAME.fullmatch(name) is not None
        and _IPV4_SHAPE.fullmatch(name) is None
        and _unreserved(name)
    )


def dotted_buckets() -> st.SearchStrategy[str]:
    """Modern AWS names with dots (valid, but not usable as a host under https)."""
    label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
    from_labels = st.lists(label, min_size=2, max_size=6).map(".".join)
    loose = st.from_regex(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", fullmatch=True)
    chosen = st.sampled_from(["my.bucket", "a.b.c", "www.example.com", "1.2.3.a", "a-.b", "x.-y"])
    return st.one_of(chosen, from_labels, loose).filter(_modern_dotted)


def legacy_buckets() -> st.SearchStrategy[str]:
    """Names only us-east-1 accepts (created before March 2018): uppercase,
    underscores, up to 255 characters, edges and runs modern names forbid."""
    generated = st.from_regex(r"[A-Za-z0-9._-]{3,255}", fullmatch=True)
    chosen = st.sampled_from(["My_Bucket", "UPPER", "a_b", "-ab", "ab.", "a..b", "x" * 255, "...", "1.2.3.4"])
    return st.one_of(chosen, generated).filter(_legacy_only)


def _legacy_only(name: str) -> bool:
    breaks_modern_format = (
        _MODERN_NAME.fullmatch(name) is None or ".." in name or _IPV4_SHAPE.fullmatch(name) is not None
    )
    return breaks_modern_format and not name.endswith(_RESERVED_SUFFIXES)


def aws_buckets(region: str) -> st.SearchStrategy[Bucket]:
    """Valid Amazon S3 buckets for ``region``, tagged with their https addressing."""
    choices = [
        label_buckets().map(lambda name: Bucket(name, "virtual")),
        dotted_buckets().map(lambda name: Bucket(name, "path")),
    ]
    if region == "us-east-1":
        choices.append(legacy_buckets().map(lambda name: Bucket(name, "path")))
    return st.one_of(choices)


def compatible_buckets() -> st.SearchStrategy[str]:
    """Names the DNS-style rules of S3-compatible servers accept (MinIO, Ceph, R2)."""
    return st.one_of(label_buckets(), dotted_buckets())


def path_segment_buckets() -> st.SearchStrategy[str]:
    """Names a server reached at a custom endpoint may have: one clean path segment."""
    return st.from_regex(r"[A-Za-z0-9._-]{1,255}", fullmatch=True).filter(
        lambda name: name not in (".", "..")
    )


def signing_seconds() -> st.SearchStrategy[int]:
    """POSIX seconds from 1970 to 9999, with recent times and UTC midnights favoured."""
    return st.one_of(
        st.integers(0, MAX_SIGNING_SECOND),
        st.integers(1_500_000_000, 2_100_000_000),
        midnight_seconds(),
        st.sampled_from([0, MAX_SIGNING_SECOND]),
    )


def midnight_seconds() -> st.SearchStrategy[int]:
    """The seconds around a UTC midnight, when the signing date (and key) changes."""
    days = st.integers(1, MAX_SIGNING_SECOND // _DAY)
    return st.builds(lambda day, offset: day * _DAY + offset, days, st.integers(-3, 3))


def clock_readings() -> st.SearchStrategy[int | float]:
    """What a ``clock=`` may return: whole seconds as int, or a float with a fraction."""
    fraction = st.one_of(st.sampled_from([0.0, 0.5, 0.999]), st.floats(0.0, 1.0, exclude_max=True))
    return st.builds(_reading, signing_seconds(), st.one_of(st.none(), fraction)).filter(
        # A float too large to hold the fraction may round up into the next second; past
        # the last signable second that is out of range, so skip it.
        lambda reading: isinstance(reading, int) or signing_second(reading) <= MAX_SIGNING_SECOND
    )


def _reading(second: int, fraction: float | None) -> int | float:
    return second if fraction is None else float(second) + fraction


def expires_values() -> st.SearchStrategy[int]:
    """``X-Amz-Expires`` values S3 accepts: 1 second to 7 days."""
    return st.one_of(st.integers(1, MAX_EXPIRES), st.sampled_from([1, 3600, MAX_EXPIRES]))


_PRINTABLE_NO_SPACE: Final = st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S"])


def access_key_ids() -> st.SearchStrategy[str]:
    """AWS-shaped ids and other printable ids without whitespace (MinIO users, GOOG…)."""
    return st.one_of(
        st.from_regex(r"(AKIA|ASIA)[A-Z0-9]{16}", fullmatch=True),
        st.text(_PRINTABLE_NO_SPACE, min_size=1, max_size=32),
    )


def secret_access_keys() -> st.SearchStrategy[str]:
    """Secrets: AWS-shaped ones and any text without surrounding whitespace."""
    return st.one_of(
        st.from_regex(r"[A-Za-z0-9+/]{40}", fullmatch=True),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=64).filter(
            lambda secret: secret == secret.strip()
        ),
    )


def session_tokens() -> st.SearchStrategy[str]:
    """Temporary-credential tokens: base64 text like STS's, or any text without whitespace."""
    return st.one_of(
        st.from_regex(r"[A-Za-z0-9+/]{16,1200}={0,2}", fullmatch=True),
        st.text(_PRINTABLE_NO_SPACE, min_size=1, max_size=64),
    )


def credentials(*, with_token: bool | None = None) -> st.SearchStrategy[Credentials]:
    """Credentials with a session token, without one, or (``None``) either."""
    if with_token is None:
        tokens: st.SearchStrategy[str | None] = st.one_of(st.none(), session_tokens())
    elif with_token:
        tokens = session_tokens()
    else:
        tokens = st.none()
    return st.builds(Credentials, access_key_ids(), secret_access_keys(), tokens)


@st.composite
def aws_cases(draw: st.DrawFn, *, regions: st.SearchStrategy[str] | None = None) -> AwsCase:
    """A whole Amazon S3 presigning case; the bucket is valid in the drawn region."""
    region = draw(aws_regions() if regions is None else regions)
    return AwsCase(
        credentials=draw(credentials()),
        region=region,
        bucket=draw(aws_buckets(region)),
        key=draw(object_keys()),
        expires=draw(expires_values()),
        clock=draw(clock_readings()),
    )
