"""libpresign's GET URLs compared with minio-py's on the same inputs.

minio orders the query differently (sorted, token first), so each test compares the
scheme, host and path byte for byte and the query as a set of raw ``name=value`` pairs,
signature included. An explicit ``region=`` keeps minio from asking the server for the
bucket's location, and a socket guard proves that nothing reaches the network.
"""

from __future__ import annotations

import dataclasses
import datetime
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from minio import Minio

from libpresign import Presigner
from botocore_support import NetworkUsed, network_guard
from strategies import (
    AMAZONAWS_COM,
    AwsCase,
    Bucket,
    Credentials,
    aws_regions,
    case_presigner,
    clock_readings,
    credentials,
    dotted_buckets,
    expires_values,
    label_buckets,
    object_keys,
    signing_datetime,
)

EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# minio-py's own endpoint spelling (host[:port] and secure=) for each libpresign endpoint.
MINIO_ENDPOINTS = {
    "http://localhost:9000": ("localhost:9000", False),
    "https://host:8443": ("host:8443", True),
    "http://127.0.0.1:9000": ("127.0.0.1:9000", False),
    "https://minio.example.com": ("minio.example.com", True),
}


@pytest.fixture(scope="module", autouse=True)
def no_network() -> Iterator[None]:
    with network_guard():
        yield


def test_network_is_refused_here() -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


def _minio_accepts_key(key: str) -> bool:
    # minio-py refuses blank keys and keys with "." or ".." segments (the MinIO server
    # cannot store them); libpresign signs them, so they are left out here.
    return bool(key.strip()) and not {".", ".."} & set(key.split("/"))


def _minio_accepts_bucket(name: str) -> bool:
    # minio-py also refuses a period next to a hyphen, which AWS's current rules allow.
    return ".-" not in name and "-." not in name


def _buckets() -> st.SearchStrategy[Bucket]:
    return st.one_of(
        label_buckets().map(lambda name: Bucket(name, "virtual")),
        dotted_buckets().map(lambda name: Bucket(name, "path")),
    ).filter(lambda bucket: _minio_accepts_bucket(bucket.name))


def _cases() -> st.SearchStrategy[AwsCase]:
    return st.builds(
        AwsCase,
        credentials=credentials(),
        # minio-py keeps the DNS suffix of the host it is given: amazonaws.com here.
        region=aws_regions(partitions=AMAZONAWS_COM),
        bucket=_buckets(),
        key=object_keys().filter(_minio_accepts_key),
        expires=expires_values(),
        clock=clock_readings(),
    )


def _minio_url(case: AwsCase, endpoint: str, *, secure: bool) -> str:
    creds: Credentials = case.credentials
    client = Minio(
        endpoint,
        access_key=creds.access_key_id,
        secret_key=creds.secret_access_key,
        session_token=creds.session_token,
        secure=secure,
        region=case.region,
    )
    return client.presigned_get_object(
        case.bucket.name,
        case.key,
        expires=datetime.timedelta(seconds=case.expires),
        request_date=signing_datetime(case.clock).replace(tzinfo=datetime.UTC),
    )


def _ours(case: AwsCase, **options: object) -> str:
    return case_presigner(case, **options).get(case.key, expires=case.expires)


def assert_same_request(ours: str, theirs: str) -> None:
    """Same scheme, host and path bytes; the same encoded query pairs in any order."""
    mine, other = urlsplit(ours), urlsplit(theirs)
    assert (mine.scheme, mine.netloc, mine.path) == (other.scheme, other.netloc, other.path)
    assert sorted(mine.query.split("&")) == sorted(other.query.split("&"))
    assert mine.query.split("&")[-1].startswith("X-Amz-Signature=")


@EXAMPLES
@given(case=_cases())
def test_aws_urls_match_minio(case: AwsCase) -> None:
    # On s3.amazonaws.com minio-py builds the regional host, virtual-hosted unless the
    # bucket has a dot (then path-style under https): libpresign's AWS default.
    assert_same_request(_ours(case), _minio_url(case, "s3.amazonaws.com", secure=True))


@EXAMPLES
@given(case=_cases(), endpoint=st.sampled_from(sorted(MINIO_ENDPOINTS)))
def test_custom_endpoint_urls_match_minio(case: AwsCase, endpoint: str) -> None:
    # Off AWS minio-py is path-style on the endpoint as given, port kept.
    host, secure = MINIO_ENDPOINTS[endpoint]
    ours = _ours(case, endpoint=endpoint, provider="minio")
    assert_same_request(ours, _minio_url(case, host, secure=secure))


@EXAMPLES
@given(case=_cases().map(lambda case: dataclasses.replace(case, region="us-east-1")))
def test_default_region_matches_minio(case: AwsCase) -> None:
    # libpresign's minio provider defaults to us-east-1, minio-py's convention.
    presigner = Presigner(
        case.credentials.access_key_id,
        case.credentials.secret_access_key,
        session_token=case.credentials.session_token,
        bucket=case.bucket.name,
        endpoint="http://localhost:9000",
        provider="minio",
        clock=lambda: case.clock,
    )
    ours = presigner.get(case.key, expires=case.expires)
    assert_same_request(ours, _minio_url(case, "localhost:9000", secure=False))
