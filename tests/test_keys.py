"""Keys that HTTP clients rewrite: signed as given, refused under strict_keys."""

from __future__ import annotations

import pytest

from libpresign import Presigner, PresignError
from libpresign.keys import rewritten_key_problem
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET


@pytest.mark.parametrize("key", ["/leading", "a//b", "a/./b", "a/../b", "..", ".", "a/.."])
def test_rewritten_keys_are_signed_as_given_by_default_and_refused_when_strict(key: str) -> None:
    lenient = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, bucket="examplebucket")
    assert "/" + key + "?" in lenient.get(key)
    strict = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, bucket="examplebucket", strict_keys=True)
    with pytest.raises(PresignError, match="SignatureDoesNotMatch"):
        strict.get(key)
    with pytest.raises(PresignError, match=r"^keys\[1\] ") as caught:
        strict.get_many(["fine", key])
    assert caught.value.key_index == 1
    with pytest.raises(PresignError, match=r"^keys\[2\] ") as caught:
        strict.get_many(["fine", "also fine", key], expires=60, response_content_type="text/plain")
    assert caught.value.key_index == 2
    with pytest.raises(PresignError):
        strict.put(key)


@pytest.mark.parametrize("key", ["a/b.c", "a..b", ".hidden", "dir/.config", "a/b/"])
def test_ordinary_keys_pass_strict_mode(key: str) -> None:
    assert rewritten_key_problem(key) is None
    strict = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, bucket="examplebucket", strict_keys=True)
    assert strict.get(key).startswith("https://examplebucket.s3.us-east-1.amazonaws.com/" + key + "?")


def test_messages_explain_why() -> None:
    assert "'..'" in (rewritten_key_problem("a/../b") or "")
    assert "'//'" in (rewritten_key_problem("a//b") or "")
