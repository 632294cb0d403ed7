"""The hot path: per-call checks, per-second state and per-day keys."""

from __future__ import annotations

import math

import pytest

from libpresign import PresignError, PresignTypeError
from libpresign._signer import (
    SigningKeys,
    UrlSigner,
    amz_date,
    encoded_key,
    encoded_key_path,
    expires_seconds,
    signing_second,
)
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from sigv4_reference import expected_signature, signature_of


class IndexLike:
    """Stands in for numpy integers: not an int, but has ``__index__``."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def make_signer(clock: object, *, token: str | None = None) -> UrlSigner:
    return UrlSigner(
        access_key_id=AWS_EXAMPLE_ACCESS_KEY_ID,
        keys=SigningKeys(AWS_EXAMPLE_SECRET, "us-east-1"),
        scheme="https",
        host="examplebucket.s3.us-east-1.amazonaws.com",
        path_prefix="",
        session_token=token,
        clock=clock,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("value", [1, 3600, 604800, IndexLike(60), True + 1])
def test_expires_accepts_integers_in_range(value: object) -> None:
    assert expires_seconds(value) == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", [0, -1, 604801, 2**32 + 5, IndexLike(0)])
def test_expires_out_of_range_is_a_value_error_naming_the_rule(value: object) -> None:
    with pytest.raises(PresignError, match=r"expires must be between 1 and 604800"):
        expires_seconds(value)


@pytest.mark.parametrize("value", [True, 3600.0, "3600", None, 1.5])
def test_expires_of_the_wrong_type_is_a_type_error(value: object) -> None:
    with pytest.raises(PresignTypeError, match="expires must be an integer"):
        expires_seconds(value)


def test_key_encoding_keeps_slashes_and_dots_as_given() -> None:
    assert encoded_key_path("/a//b/../c d", -1) == "//a//b/../c%20d"


class LoudKey(str):
    """A str subclass whose own conversions must play no part in the URL."""

    def __str__(self) -> str:
        return "not-the-key"

    def __format__(self, spec: str) -> str:
        return "not-the-key"

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return b"not-the-key"


@pytest.mark.parametrize("key", ["plain/key.txt", "with space.txt"])
def test_a_str_subclass_signs_as_the_plain_str(key: str) -> None:
    signer = make_signer(lambda: AWS_EXAMPLE_TIME)
    assert type(encoded_key(LoudKey(key), -1)) is str
    assert encoded_key_path(LoudKey(key), -1) == encoded_key_path(key, -1)
    assert signer.presign_get(LoudKey(key), 60) == signer.presign_get(key, 60)
    assert signer.presign_get_many([LoudKey(key)], 60) == [signer.presign_get(key, 60)]


def test_key_of_exactly_1024_utf8_bytes_is_accepted_and_1025_refused() -> None:
    assert encoded_key_path("é" * 512, -1).count("%") == 1024
    with pytest.raises(PresignError, match=r"key must be 1 to 1024 bytes long in UTF-8, got 1025"):
        encoded_key_path("é" * 512 + "x", -1)


def test_empty_key_is_refused() -> None:
    with pytest.raises(PresignError, match="key must be 1 to 1024 bytes"):
        encoded_key_path("", -1)


def test_lone_surrogate_is_a_presign_error_not_a_crash() -> None:
    with pytest.raises(PresignError, match=r"key must be valid Unicode text: lone surrogate '\\ud800' at character 2"):
        encoded_key_path("ab\ud800", -1)


def test_batch_errors_name_the_index() -> None:
    with pytest.raises(PresignTypeError, match=r"keys\[7\] must be a str, not bytes"):
        encoded_key_path(b"x", 7)


@pytest.mark.parametrize(("now", "second"), [(0, 0), (1.999, 1), (AWS_EXAMPLE_TIME + 0.5, AWS_EXAMPLE_TIME)])
def test_signing_second_floors(now: float, second: int) -> None:
    assert signing_second(now) == second


@pytest.mark.parametrize("now", [math.nan, math.inf, -1, -0.5, 253402300800])
def test_signing_second_refuses_times_that_cannot_be_signed(now: float) -> None:
    with pytest.raises(PresignError):
        signing_second(now)


@pytest.mark.parametrize("now", ["now", None, True])
def test_signing_second_refuses_non_numbers(now: object) -> None:
    with pytest.raises(PresignTypeError, match="clock must return POSIX seconds"):
        signing_second(now)


def test_amz_date_format() -> None:
    assert amz_date(AWS_EXAMPLE_TIME) == "20130524T000000Z"
    assert amz_date(253402300799) == "99991231T235959Z"


def test_signing_keys_are_derived_once_per_date_and_bounded() -> None:
    keys = SigningKeys(AWS_EXAMPLE_SECRET, "us-east-1")
    first = keys.pads_for("20130524")
    assert keys.pads_for("20130524") is first
    keys.pads_for("20130525")
    keys.pads_for("20130526")
    assert keys.pads_for("20130524") is not first  # forgotten: at most two dates are kept


def test_url_changes_date_at_utc_midnight() -> None:
    now = [AWS_EXAMPLE_TIME - 1.0]
    signer = make_signer(lambda: now[0])
    before = signer.presign_get("a", 60)
    now[0] += 1
    after = signer.presign_get("a", 60)
    assert "X-Amz-Date=20130523T235959Z" in before and "%2F20130523%2F" in before
    assert "X-Amz-Date=20130524T000000Z" in after and "%2F20130524%2F" in after
    for url in (before, after):
        assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_same_second_gives_identical_urls_and_next_second_a_new_one() -> None:
    now = [AWS_EXAMPLE_TIME + 0.1]
    signer = make_signer(lambda: now[0])
    first = signer.presign_get("k", 60)
    now[0] += 0.5
    assert signer.presign_get("k", 60) == first
    now[0] += 0.5
    assert signer.presign_get("k", 60) != first


def test_session_token_is_encoded_once_after_signed_headers() -> None:
    token = "FQoG/ZXIvYXdz+EJr//////////wEaDA=="
    url = make_signer(lambda: AWS_EXAMPLE_TIME, token=token).presign_get("k", 60)
    assert "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FQoG%2FZXIvYXdz%2BEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaDA%3D%3D&X-Amz-Signature=" in url
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_get_many_signs_in_order_and_refuses_the_whole_batch_on_a_bad_key() -> None:
    signer = make_signer(lambda: AWS_EXAMPLE_TIME)
    urls = signer.presign_get_many(["a", "b c", "d"], 60)
    assert urls == [signer.presign_get(key, 60) for key in ["a", "b c", "d"]]
    with pytest.raises(PresignError, match=r"keys\[1\] must be 1 to 1024 bytes") as caught:
        signer.presign_get_many(iter(["a", "", "c"]), 60)
    assert caught.value.key_index == 1
    with pytest.raises(PresignTypeError, match=r"keys\[2\] must be a str") as caught_type:
        signer.presign_get_many(["a", "b", 3], 60)
    assert caught_type.value.key_index == 2
    with pytest.raises(PresignError) as single:
        signer.presign_get("", 60)
    assert single.value.key_index is None
