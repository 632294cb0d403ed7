"""Signing times: explicit at=, cacheable windows, temporary credentials' expiry."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from libpresign import Presigner, PresignError, PresignTypeError
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from sigv4_reference import expected_signature, signature_of

UTC = dt.timezone.utc


def presigner(now: list[float], **options: object) -> Presigner:
    return Presigner(
        AWS_EXAMPLE_ACCESS_KEY_ID,
        AWS_EXAMPLE_SECRET,
        region="eu-west-1",
        bucket="examplebucket",
        clock=lambda: now[0],
        **options,  # type: ignore[arg-type]
    )


def signed_at_and_expires(url: str) -> tuple[int, int]:
    query = parse_qs(urlsplit(url).query)
    stamp = dt.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return int(stamp.timestamp()), int(query["X-Amz-Expires"][0])


def test_at_accepts_aware_datetimes_and_posix_seconds() -> None:
    signer = presigner([0.0])
    moment = dt.datetime(2013, 5, 24, tzinfo=UTC)
    by_datetime = signer.get("k", at=moment)
    assert by_datetime == signer.get("k", at=AWS_EXAMPLE_TIME) == signer.get("k", at=AWS_EXAMPLE_TIME + 0.9)
    assert "X-Amz-Date=20130524T000000Z" in by_datetime
    assert signature_of(by_datetime) == expected_signature(by_datetime, AWS_EXAMPLE_SECRET)
    other_zone = dt.datetime(2013, 5, 24, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert signer.get("k", at=other_zone) == by_datetime


def test_at_refuses_naive_datetimes_and_junk() -> None:
    signer = presigner([0.0])
    with pytest.raises(PresignError, match="at must be a timezone-aware datetime"):
        signer.get("k", at=dt.datetime(2013, 5, 24))
    with pytest.raises(PresignTypeError, match="at must be an aware datetime or POSIX seconds"):
        signer.get("k", at="2013-05-24")  # type: ignore[arg-type]
    with pytest.raises(PresignError, match="at must be a time between 1970 and 9999"):
        signer.get("k", at=-5)


@pytest.mark.parametrize("window", [60, 300, 3600])
def test_urls_are_identical_within_a_window_and_valid_long_enough(window: int) -> None:
    start = AWS_EXAMPLE_TIME - AWS_EXAMPLE_TIME % window + window  # a window boundary
    now = [float(start)]
    signer = presigner(now, window=window)
    first = signer.get("photo.jpg", expires=600)
    for offset in (0.5, window / 2, window - 0.001):
        now[0] = start + offset
        url = signer.get("photo.jpg", expires=600)
        assert url == first
        signed, lifetime = signed_at_and_expires(url)
        assert signed == start
        assert signed + lifetime >= now[0] + 600  # valid 600 s from the moment handed out
    now[0] = start + window
    later = signer.get("photo.jpg", expires=600)
    assert later != first and signed_at_and_expires(later)[0] == start + window
    assert signature_of(later) == expected_signature(later, AWS_EXAMPLE_SECRET)


def test_window_never_pushes_expires_past_seven_days() -> None:
    signer = presigner([float(AWS_EXAMPLE_TIME)], window=3600)
    assert signed_at_and_expires(signer.get("k", expires=604800 - 3600))[1] == 604800
    with pytest.raises(PresignError, match=r"expires must be at most 601200 with window=3600"):
        signer.get("k", expires=604800 - 3599)


def test_window_applies_to_get_many_and_put() -> None:
    now = [AWS_EXAMPLE_TIME + 10.0]
    signer = presigner(now, window=60)
    urls = signer.get_many(["a", "b"])
    put = signer.put("a", content_type="text/plain")
    now[0] += 20
    assert signer.get_many(["a", "b"]) == urls
    assert signer.put("a", content_type="text/plain") == put


@pytest.mark.parametrize("window", [0, -1, 86401])
def test_bad_windows(window: int) -> None:
    with pytest.raises(PresignError, match="window must be between 1 and 86400"):
        presigner([0.0], window=window)
    with pytest.raises(PresignTypeError):
        presigner([0.0], window=1.5)


def test_url_outliving_credentials_is_refused_by_default() -> None:
    expiry = dt.datetime.fromtimestamp(AWS_EXAMPLE_TIME + 3600, UTC)
    signer = presigner([float(AWS_EXAMPLE_TIME)], credentials_expiry=expiry)
    assert signed_at_and_expires(signer.get("k", expires=3600))[1] == 3600  # exactly at the expiry: fine
    with pytest.raises(PresignError, match=r"credentials expire at 2013-05-24T01:00:00\+00:00") as caught:
        signer.get("k", expires=3601)
    assert "clamp_to_credentials=True" in str(caught.value)
    with pytest.raises(PresignError):
        signer.put("k", expires=7200)


def test_url_is_clamped_to_credentials_when_asked() -> None:
    now = [AWS_EXAMPLE_TIME + 0.0]
    signer = presigner(now, credentials_expiry=AWS_EXAMPLE_TIME + 1800, clamp_to_credentials=True)
    url = signer.get("k", expires=86400)
    assert signed_at_and_expires(url) == (AWS_EXAMPLE_TIME, 1800)
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)
    assert signed_at_and_expires(signer.get("k", expires=60))[1] == 60  # shorter ones untouched
    now[0] = AWS_EXAMPLE_TIME + 1800.0
    with pytest.raises(PresignError, match="credentials expired at"):
        signer.get("k", expires=60)


def test_credentials_expiry_must_be_a_time() -> None:
    with pytest.raises(PresignError, match="credentials_expiry must be a timezone-aware datetime"):
        presigner([0.0], credentials_expiry=dt.datetime(2030, 1, 1))
    with pytest.raises(PresignTypeError, match="clamp_to_credentials must be a bool"):
        presigner([0.0], credentials_expiry=5, clamp_to_credentials="yes")
