"""PresignedRequest: immutable, comparable, picklable, secrets masked in repr."""

from __future__ import annotations

import pickle

import pytest

from libpresign import PresignedRequest


def test_immutable_and_unpackable() -> None:
    request = PresignedRequest("PUT", "https://h/k?x", {"content-type": "text/plain"})
    method, url, headers = request
    assert (method, url, dict(headers)) == ("PUT", "https://h/k?x", {"content-type": "text/plain"})
    with pytest.raises(AttributeError):
        request.url = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del request.url
    with pytest.raises(TypeError):
        request.headers["x"] = "y"  # type: ignore[index]


def test_equality_hash_and_pickle() -> None:
    request = PresignedRequest("PUT", "https://h/k?x", {"a": "1"})
    assert request == PresignedRequest("PUT", "https://h/k?x", {"a": "1"})
    assert hash(request) == hash(pickle.loads(pickle.dumps(request)))
    assert pickle.loads(pickle.dumps(request)) == request


def test_repr_masks_the_sse_c_key() -> None:
    request = PresignedRequest("PUT", "https://h/k", {"x-amz-server-side-encryption-customer-key": "S3CRETKEY"})
    assert "S3CRETKEY" not in repr(request)
