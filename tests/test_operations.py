"""Query parameters and headers of presigned requests: built and checked."""

from __future__ import annotations

import base64
import hashlib

import pytest

from libpresign import Presigner, PresignError, PresignTypeError, PresignedRequest
from libpresign.operations import check_headers, check_query, download_query, upload_headers
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from sigv4_reference import expected_signature, signature_of


def example() -> Presigner:
    return Presigner(
        AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, region="eu-west-1", bucket="examplebucket", clock=lambda: AWS_EXAMPLE_TIME
    )


def test_download_options_become_query_parameters_in_the_callers_order() -> None:
    pairs = download_query({"response_content_type": "text/plain", "version_id": "v1", "query": {"x-id": "GetObject"}})
    assert pairs == [("response-content-type", "text/plain"), ("versionId", "v1"), ("x-id", "GetObject")]


def test_get_with_overrides_is_signed_and_keeps_operation_parameters_first() -> None:
    url = example().get("a.txt", response_content_disposition='attachment; filename="a b.txt"', version_id="3/L4kq")
    assert url.startswith(
        "https://examplebucket.s3.eu-west-1.amazonaws.com/a.txt?"
        "response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&versionId=3%2FL4kq&X-Amz-Algorithm="
    )
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_unknown_download_option_is_a_type_error() -> None:
    with pytest.raises(PresignTypeError, match="unexpected keyword argument 'content_type'"):
        example().get("k", content_type="text/plain")  # type: ignore[call-arg]


@pytest.mark.parametrize("name", ["X-Amz-Signature", "x-amz-date", "X-AMZ-EXPIRES", "X-Amz-Anything"])
def test_reserved_query_names_are_refused(name: str) -> None:
    with pytest.raises(PresignError, match=f"query parameter '{name}' is reserved"):
        check_query({name: "1"})


def test_query_checks() -> None:
    assert check_query([("partNumber", 3), ("uploadId", "abc")]) == [("partNumber", "3"), ("uploadId", "abc")]
    with pytest.raises(PresignError, match="given twice"):
        check_query([("a", "1"), ("a", "2")])
    with pytest.raises(PresignTypeError, match="must be a str or int"):
        check_query({"partNumber": True})
    with pytest.raises(PresignTypeError, match="mapping or a sequence"):
        check_query("partNumber=1")
    with pytest.raises(PresignError, match="names must not be empty"):
        check_query({"": "x"})
    with pytest.raises(PresignTypeError, match="names must be str"):
        check_query({1: "x"})
    with pytest.raises(PresignError, match="lone surrogate"):
        check_query({"a": "\udc80"})
    with pytest.raises(PresignError, match="version_id must be valid Unicode"):
        download_query({"version_id": "\udc80"})
    with pytest.raises(PresignError, match="given twice"):
        download_query({"version_id": "a", "query": {"versionId": "b"}})


def test_multipart_part_upload_url() -> None:
    request = example().put("big.bin", query={"partNumber": 2, "uploadId": "VXBsb2FkIElE"})
    assert request.url.startswith("https://examplebucket.s3.eu-west-1.amazonaws.com/big.bin?partNumber=2&uploadId=VXBsb2FkIElE&X-Amz-")
    assert request.headers == {}
    assert signature_of(request.url) == expected_signature(request.url, AWS_EXAMPLE_SECRET, method="PUT")


def test_put_returns_the_headers_to_send_and_signs_them() -> None:
    request = example().put(
        "a.txt",
        content_type="text/plain",
        metadata={"Author": "me", "n": "1"},
        cache_control="no-cache",
        acl="private",
        storage_class="STANDARD_IA",
        sse="aws:kms",
        sse_kms_key_id="key-1",
        checksums={"sha256": base64.b64encode(hashlib.sha256(b"x").digest()).decode()},
    )
    assert isinstance(request, PresignedRequest) and request.method == "PUT"
    assert dict(request.headers) == {
        "content-type": "text/plain",
        "x-amz-meta-author": "me",
        "x-amz-meta-n": "1",
        "cache-control": "no-cache",
        "x-amz-acl": "private",
        "x-amz-storage-class": "STANDARD_IA",
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": "key-1",
        "x-amz-checksum-sha256": base64.b64encode(hashlib.sha256(b"x").digest()).decode(),
    }
    assert (
        "X-Amz-SignedHeaders=cache-control%3Bcontent-type%3Bhost%3Bx-amz-acl%3Bx-amz-checksum-sha256%3B"
        "x-amz-meta-author%3Bx-amz-meta-n%3Bx-amz-server-side-encryption%3B"
        "x-amz-server-side-encryption-aws-kms-key-id%3Bx-amz-storage-class&" in request.url
    )
    assert signature_of(request.url) == expected_signature(request.url, AWS_EXAMPLE_SECRET, request.headers, "PUT")


def test_put_without_options_adds_no_headers_and_no_checksum() -> None:
    request = example().put("a.txt")
    assert request.headers == {} and "checksum" not in request.url.lower()
    assert "X-Amz-SignedHeaders=host&" in request.url


def test_sse_c_headers_carry_key_and_md5() -> None:
    key = bytes(range(32))
    headers = dict(upload_headers({"sse_customer_key": key})[0])
    assert headers["x-amz-server-side-encryption-customer-algorithm"] == "AES256"
    assert base64.b64decode(headers["x-amz-server-side-encryption-customer-key"]) == key
    assert base64.b64decode(headers["x-amz-server-side-encryption-customer-key-md5"]) == hashlib.md5(key).digest()
    with pytest.raises(PresignError, match="32 bytes"):
        upload_headers({"sse_customer_key": b"short"})
    with pytest.raises(PresignTypeError, match="raw 32-byte key as bytes"):
        upload_headers({"sse_customer_key": "a" * 32})


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"sse": "DES"}, PresignError, "sse must be one of AES256, aws:kms, aws:kms:dsse"),
        ({"sse_kms_key_id": "k"}, PresignError, "sse_kms_key_id needs sse='aws:kms'"),
        ({"checksums": {"md5": "AAAA"}}, PresignError, "checksums keys must be one of"),
        ({"checksums": {"sha256": "not base64!"}}, PresignError, "base64 digest"),
        ({"metadata": {"bad name": "x"}}, PresignError, "metadata name 'bad name'"),
        ({"metadata": {"a": "é"}}, PresignError, "printable ASCII"),
        ({"content_type": "text/plain\r\nX-Evil: 1"}, PresignError, "printable ASCII"),
        ({"content_type": ""}, PresignError, "content_type must not be empty"),
        ({"headers": {"Host": "evil"}}, PresignError, "header 'Host' is reserved"),
        ({"headers": {"Authorization": "x"}}, PresignError, "reserved"),
        ({"headers": {"bad header": "x"}}, PresignError, "not a valid HTTP token"),
        ({"headers": {"Content-Type": "a"}, "content_type": "b"}, PresignError, "given twice"),
        ({"query": {"X-Amz-Credential": "x"}}, PresignError, "reserved"),
        ({"sse_bucket_key": "yes"}, PresignTypeError, "sse_bucket_key must be a bool"),
        ({"sse_bucket_key": True}, PresignError, "sse_bucket_key needs sse='aws:kms'"),
        ({"sse_kms_context": "e30=", "sse": "AES256"}, PresignError, "sse_kms_context needs sse='aws:kms'"),
        ({"sse": "AES256", "sse_customer_key": bytes(32)}, PresignError, "exclude each other"),
        ({"metadata": {1: "x"}}, PresignTypeError, "metadata names must be str"),
        ({"headers": {1: "x"}}, PresignTypeError, "header names must be str"),
        ({"colour": "red"}, PresignTypeError, "unexpected keyword argument 'colour'"),
    ],
)
def test_malformed_upload_options_are_refused(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        example().put("k", **options)  # type: ignore[arg-type]


def test_header_names_are_lowercased_and_checked() -> None:
    assert check_headers({"X-Amz-Meta-A": "1", "If-None-Match": "*"}) == [("x-amz-meta-a", "1"), ("if-none-match", "*")]


def test_head_and_delete_are_strings_with_their_method_signed() -> None:
    signer = example()
    head = signer.head("a.txt", version_id="v1")
    delete = signer.delete("a.txt", version_id="v1")
    assert head.startswith("https://examplebucket.s3.eu-west-1.amazonaws.com/a.txt?versionId=v1&X-Amz-")
    assert head != delete and signer.delete("a.txt") != delete
    assert signature_of(head) == expected_signature(head, AWS_EXAMPLE_SECRET, method="HEAD")
    assert signature_of(delete) == expected_signature(delete, AWS_EXAMPLE_SECRET, method="DELETE")


def test_presign_takes_any_s3_method_with_headers() -> None:
    request = example().presign("GET", "secret.bin", headers={"x-amz-server-side-encryption-customer-algorithm": "AES256"})
    assert request.method == "GET" and request.headers == {"x-amz-server-side-encryption-customer-algorithm": "AES256"}
    assert "X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm&" in request.url
    with pytest.raises(PresignError, match="method must be one of GET, HEAD, PUT, POST, DELETE"):
        example().presign("PATCH", "k")
    with pytest.raises(PresignError, match="method must be one of"):
        example().presign("get", "k")
