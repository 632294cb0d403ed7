"""libpresign's GET URLs compared with botocore's, byte for byte.

botocore is configured to sign the way libpresign does (SigV4, the regional host,
explicit addressing); its clock is pinned to the signing time we give ours through
``clock=``. Where botocore's defaults differ from ours by design, the tests say so and
compare what must still agree. Nothing here reads ``~/.aws`` or touches the network.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import ipaddress
import math
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libpresign
from libpresign import Presigner
from botocore_support import ClientSettings, NetworkUsed, hermetic, reference_get_url
from strategies import (
    CUSTOM_ENDPOINTS,
    MAX_SIGNING_SECOND,
    AwsCase,
    Bucket,
    Credentials,
    aws_buckets,
    aws_cases,
    aws_regions,
    case_presigner,
    clock_readings,
    credentials,
    dotted_buckets,
    expires_values,
    label_buckets,
    midnight_seconds,
    object_keys,
    path_segment_buckets,
    signing_datetime,
)

Addressing = Literal["virtual", "path"]

# Each example builds a botocore client (a few ms); this keeps the module near a minute.
EXAMPLES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW_EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PER_PARAMETER = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def _hermetic() -> Iterator[None]:
    """Nothing in this module reads AWS settings or opens a socket, ours included."""
    with hermetic():
        yield


def _boto_for(
    case: AwsCase, addressing: Addressing | None, *, endpoint_url: str | None = None, regional: bool = True
) -> str:
    """botocore's presigned GET URL for ``case``, signed at the second its clock names."""
    reference = ClientSettings(
        region=case.region,
        credentials=case.credentials,
        addressing=addressing,
        endpoint_url=endpoint_url,
        regional=regional,
    )
    return reference_get_url(reference, bucket=case.bucket.name, key=case.key, expires=case.expires, at=case.clock)


def test_network_is_refused_here() -> None:
    # The guard (the one every reference client runs under) must be live, or "no
    # network was touched" would prove nothing.
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


@EXAMPLES
@given(case=aws_cases(), addressing=st.sampled_from([None, "auto", "path", "virtual"]))
def test_presigner_matches_botocore(case: AwsCase, addressing: str | None) -> None:
    # "virtual" is refused for names that are not DNS labels: those keep the default.
    if addressing == "virtual" and case.bucket.addressing == "path":
        addressing = None
    expected: Addressing = "path" if addressing == "path" else case.bucket.addressing
    theirs = _boto_for(case, expected)
    presigner = case_presigner(case, addressing=addressing)
    # The clock's reading takes the fast path; an explicit at= takes the general one.
    assert presigner.get(case.key, expires=case.expires) == theirs
    assert presigner.get(case.key, expires=case.expires, at=case.clock) == theirs
    moment = signing_datetime(case.clock).replace(tzinfo=datetime.UTC)
    assert presigner.get(case.key, expires=case.expires, at=moment) == theirs


@FEW_EXAMPLES
@given(case=aws_cases(), keys=st.lists(object_keys(), min_size=1, max_size=5))
def test_get_many_matches_botocore(case: AwsCase, keys: list[str]) -> None:
    theirs = [_boto_for(dataclasses.replace(case, key=key), case.bucket.addressing) for key in keys]
    presigner = case_presigner(case)
    assert presigner.get_many(keys, expires=case.expires) == theirs
    if case.clock <= MAX_SIGNING_SECOND:
        assert presigner.get_many(keys, expires=case.expires, at=case.clock) == theirs


@dataclass(frozen=True)
class Call:
    """One ``Presigner.get`` call of a sequence, with the clock reading it sees."""

    clock: int | float
    bucket: Bucket
    key: str
    expires: int


@st.composite
def _call_sequences(draw: st.DrawFn) -> tuple[str, list[Call]]:
    """A region and several calls whose signing times hop back and forth across a UTC
    midnight, mixed with unrelated times."""
    region = draw(aws_regions())
    midnight = draw(midnight_seconds())
    near_midnight = st.one_of(st.integers(-3, 3), st.floats(-3.0, 3.0)).map(lambda offset: midnight + offset)
    readings = draw(st.lists(st.one_of(near_midnight, clock_readings()), min_size=2, max_size=8))
    calls = [
        Call(reading, draw(aws_buckets(region)), draw(object_keys()), draw(expires_values()))
        for reading in readings
    ]
    return region, calls


@FEW_EXAMPLES
@given(sequence=_call_sequences(), creds=credentials())
def test_one_presigner_many_calls_matches_botocore(sequence: tuple[str, list[Call]], creds: Credentials) -> None:
    # One Presigner keeps per-second state, per-date keys and per-bucket signers: each
    # call must still equal a fresh botocore signature, whatever came before it.
    region, calls = sequence
    now: list[int | float] = [0]
    presigner = Presigner(
        creds.access_key_id,
        creds.secret_access_key,
        session_token=creds.session_token,
        region=region,
        clock=lambda: now[0],
    )
    for call in calls:
        now[0] = call.clock
        ours = presigner.get(call.key, bucket=call.bucket.name, expires=call.expires)
        case = AwsCase(creds, region, call.bucket, call.key, call.expires, call.clock)
        assert ours == _boto_for(case, call.bucket.addressing)


_DNS_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_IPV4_SHAPE = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")


def _virtual_hostable(bucket: str, endpoint: str) -> bool:
    """Whether ``bucket`` can go in front of the endpoint's host: the endpoint is not an
    IP address, and the bucket is lowercase DNS labels (3 to 63 characters, not shaped
    like an IP address) without dots under https, where they break the certificate."""
    parts = urlsplit(endpoint)
    try:
        ipaddress.ip_address(parts.hostname or "")
        return False
    except ValueError:
        pass
    if not 3 <= len(bucket) <= 63 or _IPV4_SHAPE.fullmatch(bucket) or (parts.scheme == "https" and "." in bucket):
        return False
    return _DNS_NAME.fullmatch(bucket) is not None


@dataclass(frozen=True)
class EndpointCase:
    endpoint: str
    provider: str
    addressing: str | None
    expected: Addressing
    case: AwsCase


@st.composite
def _endpoint_cases(draw: st.DrawFn) -> EndpointCase:
    endpoint = draw(st.sampled_from(CUSTOM_ENDPOINTS))
    provider = draw(st.sampled_from(["aws", "minio", "s3"]))
    region = draw(aws_regions())
    names = {
        "aws": aws_buckets(region).map(lambda bucket: bucket.name),
        "minio": st.one_of(label_buckets(), dotted_buckets()),
        "s3": path_segment_buckets(),  # the loosest names: many are not DNS labels
    }[provider]
    bucket = draw(names)
    hostable = _virtual_hostable(bucket, endpoint)
    addressing = draw(st.sampled_from([None, "path", "auto", "virtual"] if hostable else [None, "path", "auto"]))
    expected: Addressing = "virtual" if hostable and addressing in ("auto", "virtual") else "path"
    case = AwsCase(draw(credentials()), region, Bucket(bucket, expected), draw(object_keys()),
                   draw(expires_values()), draw(clock_readings()))
    return EndpointCase(endpoint, provider, addressing, expected, case)


@EXAMPLES
@given(endpoint_case=_endpoint_cases())
def test_custom_endpoint_matches_botocore(endpoint_case: EndpointCase) -> None:
    # botocore with endpoint_url= and an explicit addressing style is what libpresign
    # mirrors: path-style by default, the endpoint's path prefix and port kept; "auto"
    # is virtual-hosted only where the bucket can be a host label (never on an IP).
    endpoint, case = endpoint_case.endpoint, endpoint_case.case
    presigner = case_presigner(case, endpoint=endpoint, provider=endpoint_case.provider,
                           addressing=endpoint_case.addressing)
    ours = presigner.get(case.key, expires=case.expires)
    assert ours == _boto_for(case, endpoint_case.expected, endpoint_url=endpoint)


@pytest.mark.parametrize(
    ("endpoint", "botocore_endpoint", "signed_host"),
    [
        ("https://host:443", "https://host:443", "host"),
        ("http://host:80/base/", "http://host:80/base/", "host"),
        ("http://LocalHost:9000", "http://LocalHost:9000", "localhost:9000"),
        ("https://HOST:8443/prefix", "https://HOST:8443/prefix", "host:8443"),
        # botocore escapes the endpoint's path again; libpresign reads escapes as given.
        ("https://host/a%20b", "https://host/a b", "host"),
    ],
)
@PER_PARAMETER
@given(case=aws_cases(regions=st.just("us-east-1")))
def test_endpoint_spelling_differs_only_in_url_host(
    endpoint: str, botocore_endpoint: str, signed_host: str, case: AwsCase
) -> None:
    # By design libpresign puts the host it signs in the URL (lowercase, default port
    # dropped); botocore signs that same host but leaves the URL as it was spelled.
    # With the netloc swapped for the signed host the URLs are equal, signature included.
    ours = case_presigner(case, endpoint=endpoint, addressing="path").get(case.key, expires=case.expires)
    theirs = urlsplit(_boto_for(case, "path", endpoint_url=botocore_endpoint))
    assert ours == theirs._replace(netloc=signed_host).geturl()


# botocore keeps the global host for the commercial partition only.
_COMMERCIAL_REGIONS = aws_regions(partitions=["aws"])


@FEW_EXAMPLES
@given(case=aws_cases(regions=_COMMERCIAL_REGIONS))
def test_legacy_global_host_matches_botocore_default(case: AwsCase) -> None:
    # botocore's default (auto addressing, no regional flag) signs DNS-label buckets on
    # the legacy global host in every region; libpresign reproduces that when asked to.
    if case.bucket.addressing == "path":
        case = dataclasses.replace(case, bucket=Bucket("legacy-host-check", "virtual"))
    ours = case_presigner(case, endpoint="https://s3.amazonaws.com", addressing="virtual").get(
        case.key, expires=case.expires
    )
    assert ours == _boto_for(case, None, regional=False)


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


@FEW_EXAMPLES
@given(case=aws_cases(regions=_COMMERCIAL_REGIONS.filter(lambda region: region != "us-east-1")))
def test_botocore_default_host_differs_by_design(case: AwsCase) -> None:
    # By design libpresign uses the regional host where botocore's default uses the
    # global one (which answers 307 or 400 outside us-east-1). The signature covers the
    # host, so it differs; everything else must be equal, and the signature is checked
    # byte for byte by test_presigner_matches_botocore with botocore's regional host.
    if case.bucket.addressing == "path":
        case = dataclasses.replace(case, bucket=Bucket("default-host-check", "virtual"))
    ours = urlsplit(case_presigner(case).get(case.key, expires=case.expires))
    theirs = urlsplit(_boto_for(case, None, regional=False))
    assert ours.netloc == f"{case.bucket.name}.s3.{case.region}.amazonaws.com"
    assert theirs.netloc == f"{case.bucket.name}.s3.amazonaws.com"
    assert (ours.scheme, ours.path) == (theirs.scheme, theirs.path)
    assert _query(ours.geturl())[:-1] == _query(theirs.geturl())[:-1]
    assert [name for name, _ in _query(ours.geturl())][-1] == "X-Amz-Signature"


def _signed_second(url: str) -> int:
    stamp = dict(_query(url))["X-Amz-Date"]
    return calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ"))


@FEW_EXAMPLES
@given(
    creds=credentials(with_token=False),
    region=st.one_of(st.none(), aws_regions()),
    data=st.data(),
    key=object_keys(),
    expires=expires_values(),
)
def test_libpresign_get_matches_botocore(
    creds: Credentials, region: str | None, data: st.DataObject, key: str, expires: int
) -> None:
    # libpresign.get reads the real clock: bracket its signing time with our own
    # readings, then have botocore sign at exactly that second.
    signing_region = "us-east-1" if region is None else region
    bucket = data.draw(aws_buckets(signing_region))
    before = time.time()
    url = libpresign.get(creds.access_key_id, creds.secret_access_key, region, bucket.name, key, expires)
    after = time.time()
    second = _signed_second(url)
    assert math.floor(before) <= second <= after
    case = AwsCase(creds, signing_region, bucket, key, expires, second)
    assert url == _boto_for(case, bucket.addressing)


@FEW_EXAMPLES
@given(
    creds=credentials(with_token=False),
    region=st.one_of(st.none(), aws_regions()),
    endpoint=st.sampled_from(CUSTOM_ENDPOINTS),
    bucket=path_segment_buckets(),
    key=object_keys(),
    expires=expires_values(),
)
def test_libpresign_get_with_endpoint_matches_botocore(
    creds: Credentials, region: str | None, endpoint: str, bucket: str, key: str, expires: int
) -> None:
    # With endpoint= the original API meant any S3-compatible server: path-style there.
    url = libpresign.get(creds.access_key_id, creds.secret_access_key, region, bucket, key, expires, endpoint)
    case = AwsCase(creds, region or "us-east-1", Bucket(bucket, "path"), key, expires, _signed_second(url))
    assert url == _boto_for(case, "path", endpoint_url=endpoint)


def test_last_second_with_fraction_signs_on_every_path() -> None:
    reading = MAX_SIGNING_SECOND + 0.5
    case = AwsCase(Credentials("AKIDEXAMPLE", "secret", None), "us-east-1", Bucket("mybucket", "virtual"), "k", 60,
                   reading)
    theirs = _boto_for(case, "virtual")
    presigner = case_presigner(case)
    assert presigner.get(case.key, expires=case.expires) == theirs
    assert presigner.get(case.key, expires=case.expires, at=reading) == theirs
