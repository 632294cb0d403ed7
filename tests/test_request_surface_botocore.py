"""Every method and option, byte for byte against botocore (hypothesis).

botocore is configured for SigV4, the regional virtual host, no default checksums, and
a pinned time (see botocore_support). Query parameters are given to both in the same
order: botocore keeps the caller's order, and so do we.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import string
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libpresign import Presigner
from botocore_support import ClientSettings, reference_client
from strategies import credentials, expires_values, label_buckets, object_keys, signing_seconds

REGIONS = st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"])
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " -_.;=/+()", min_size=1, max_size=40).map(
    str.strip
).filter(bool)
QUERY_TEXT = st.text(min_size=1, max_size=40).filter(lambda text: not any(0xD800 <= ord(c) <= 0xDFFF for c in text))


@dataclass(frozen=True)
class Both:
    """One option as each side takes it: we take HTTP dates as text, botocore datetimes."""

    ours: Any
    theirs: Any


def _http_date(moment: datetime.datetime) -> Both:
    moment = moment.replace(microsecond=0)
    return Both(email.utils.format_datetime(moment, usegmt=True), moment)


HTTP_DATES = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1), timezones=st.just(datetime.timezone.utc)
).map(_http_date)
SHA256_DIGESTS = st.binary(min_size=32, max_size=32).map(base64.b64encode).map(bytes.decode)

# (our keyword, botocore parameter, strategy)
DOWNLOAD_OPTIONS = [
    ("version_id", "VersionId", QUERY_TEXT),
    ("response_content_type", "ResponseContentType", QUERY_TEXT),
    ("response_content_disposition", "ResponseContentDisposition", QUERY_TEXT),
    ("response_content_language", "ResponseContentLanguage", QUERY_TEXT),
    ("response_content_encoding", "ResponseContentEncoding", QUERY_TEXT),
    ("response_cache_control", "ResponseCacheControl", QUERY_TEXT),
    ("response_expires", "ResponseExpires", HTTP_DATES),
]
UPLOAD_OPTIONS = [
    ("content_type", "ContentType", HEADER_TEXT),
    ("cache_control", "CacheControl", HEADER_TEXT),
    ("content_disposition", "ContentDisposition", HEADER_TEXT),
    ("content_encoding", "ContentEncoding", HEADER_TEXT),
    ("content_language", "ContentLanguage", HEADER_TEXT),
    ("acl", "ACL", st.sampled_from(["private", "public-read", "bucket-owner-full-control"])),
    ("storage_class", "StorageClass", st.sampled_from(["STANDARD", "STANDARD_IA", "GLACIER_IR"])),
    ("tagging", "Tagging", st.sampled_from(["a=b", "project=blue&team=x", "k=v%20w"])),
    ("expires_header", "Expires", HTTP_DATES),
    ("checksums", "ChecksumSHA256", SHA256_DIGESTS.map(lambda digest: Both({"sha256": digest}, digest))),
    ("metadata", "Metadata", st.dictionaries(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10), HEADER_TEXT, min_size=1, max_size=3)),
]
KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/abc"
# (our options, botocore parameters) for server-side encryption
SSE = st.sampled_from(
    [
        ({}, {}),
        ({"sse": "AES256"}, {"ServerSideEncryption": "AES256"}),
        ({"sse": "aws:kms"}, {"ServerSideEncryption": "aws:kms"}),
        (
            {"sse": "aws:kms", "sse_kms_key_id": KMS_KEY, "sse_kms_context": "e30=", "sse_bucket_key": True},
            {
                "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": KMS_KEY,
                "SSEKMSEncryptionContext": "e30=",
                "BucketKeyEnabled": True,
            },
        ),
        ({"sse_customer_key": bytes(range(32))}, {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": bytes(range(32))}),
    ]
)


def ours_of(value: Any) -> Any:
    return value.ours if isinstance(value, Both) else value


def theirs_of(value: Any) -> Any:
    return value.theirs if isinstance(value, Both) else value


def chosen(draw: st.DrawFn, options: list[tuple[str, str, st.SearchStrategy[Any]]]) -> list[tuple[str, str, Any]]:
    picked = draw(st.permutations(options).map(lambda items: items[: draw(st.integers(0, len(items)))]))
    return [(ours, theirs, draw(strategy)) for ours, theirs, strategy in picked]


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    method = draw(st.sampled_from(["get", "head", "delete", "put", "upload_part"]))
    case: dict[str, Any] = {
        "method": method,
        "region": draw(REGIONS),
        "bucket": draw(label_buckets()),
        "key": draw(object_keys()),
        "expires": draw(expires_values()),
        "second": draw(signing_seconds()),
        "credentials": draw(credentials()),
    }
    if method in ("get", "head"):
        case["options"] = chosen(draw, DOWNLOAD_OPTIONS if method == "get" else DOWNLOAD_OPTIONS[:1])
    elif method == "delete":
        case["options"] = chosen(draw, DOWNLOAD_OPTIONS[:1])
    elif method == "put":
        case["options"] = chosen(draw, UPLOAD_OPTIONS)
        case["sse"] = draw(SSE)
    else:
        case["options"] = []  # UploadPart takes no headers we sign
        case["part"] = (draw(st.integers(1, 10000)), draw(QUERY_TEXT))
    return case


def ours(case: dict[str, Any]) -> str:
    creds = case["credentials"]
    presigner = Presigner(
        creds.access_key_id,
        creds.secret_access_key,
        session_token=creds.session_token,
        region=case["region"],
        bucket=case["bucket"],
        clock=lambda: case["second"],
    )
    options = {name: ours_of(value) for name, _, value in case["options"]}
    method = case["method"]
    if method in ("get", "head", "delete"):
        return str(getattr(presigner, method)(case["key"], expires=case["expires"], **options))
    if case.get("sse"):
        options.update(case["sse"][0])
    if method == "upload_part":
        part_number, upload_id = case["part"]
        options["query"] = [("partNumber", part_number), ("uploadId", upload_id)]
    return presigner.put(case["key"], expires=case["expires"], **options).url


def theirs(case: dict[str, Any]) -> str:
    params: dict[str, Any] = {"Bucket": case["bucket"], "Key": case["key"]}
    method = case["method"]
    if method == "upload_part":
        part_number, upload_id = case["part"]
        params["PartNumber"] = part_number
        params["UploadId"] = upload_id
    params.update({name: theirs_of(value) for _, name, value in case["options"]})
    if method in ("put", "upload_part") and case.get("sse"):
        params.update(case["sse"][1])
    operation = {"get": "get_object", "head": "head_object", "delete": "delete_object", "put": "put_object"}.get(
        method, "upload_part"
    )
    reference = ClientSettings(region=case["region"], credentials=case["credentials"])
    with reference_client(reference, at=case["second"]) as client:
        return str(client.generate_presigned_url(operation, Params=params, ExpiresIn=case["expires"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_every_method_and_option_matches_botocore(case: dict[str, Any]) -> None:
    expected = theirs(case)
    if case["method"] == "upload_part":
        # botocore puts the operation's URI parameters (partNumber, uploadId) first in
        # its own order; ours keep the caller's. Same parameters, same signature.
        actual = ours(case)
        assert actual.split("?")[0] == expected.split("?")[0]
        assert sorted(actual.split("?")[1].split("&")) == sorted(expected.split("?")[1].split("&"))
        return
    assert ours(case) == expected
