"""Presigner: the public API, its validation, immutability, pickling and threads."""

from __future__ import annotations

import pickle
import threading
import time
from urllib.parse import urlsplit

import pytest

import libpresign
from libpresign import Presigner, PresignError, PresignTypeError
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_SIGNATURE, AWS_EXAMPLE_TIME
from sigv4_reference import expected_signature, signature_of

TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/with+chars=="


def pinned_clock() -> float:
    return AWS_EXAMPLE_TIME


def example(**options: object) -> Presigner:
    settings: dict[str, object] = {"region": "us-east-1", "bucket": "examplebucket", "clock": pinned_clock}
    settings.update(options)
    return Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, **settings)  # type: ignore[arg-type]


def test_aws_documentation_vector_through_the_public_api() -> None:
    presigner = example(endpoint="https://s3.amazonaws.com", addressing="virtual")
    assert presigner.get("test.txt", expires=86400) == (
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        f"&X-Amz-Signature={AWS_EXAMPLE_SIGNATURE}"
    )


def test_default_host_is_regional_virtual_hosted() -> None:
    url = example(region="eu-west-1").get("a/b.txt")
    assert url.startswith("https://examplebucket.s3.eu-west-1.amazonaws.com/a/b.txt?X-Amz-Algorithm=")
    assert "%2Feu-west-1%2Fs3%2Faws4_request" in url
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_dotted_buckets_go_path_style() -> None:
    url = example(bucket="my.dotted.bucket", region="ap-south-1").get("k")
    assert url.startswith("https://s3.ap-south-1.amazonaws.com/my.dotted.bucket/k?")


@pytest.mark.parametrize("bucket", ["192.168.5.4", "Legacy_Bucket", "UPPER"])
def test_legacy_us_east_1_names_are_accepted_and_go_path_style(bucket: str) -> None:
    url = example(bucket=bucket).get("k")
    assert url.startswith(f"https://s3.us-east-1.amazonaws.com/{bucket}/k?")
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_region_none_means_us_east_1() -> None:
    assert example(region=None).get("k").startswith("https://examplebucket.s3.us-east-1.amazonaws.com/k?")


def test_session_token_is_in_the_url_and_signed() -> None:
    url = example(session_token=TOKEN).get("k")
    query = urlsplit(url).query
    names = [pair.split("=")[0] for pair in query.split("&")]
    assert names == [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
    ]
    assert "X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2Fwith%2Bchars%3D%3D&" in query
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_bucket_per_call_overrides_and_is_validated() -> None:
    presigner = example(bucket=None)
    assert presigner.get("k", bucket="other-bucket").startswith("https://other-bucket.s3.us-east-1.amazonaws.com/k?")
    with pytest.raises(PresignError, match="bucket is required"):
        presigner.get("k")
    with pytest.raises(PresignError, match=r"bucket 'Bad_Bucket!' is not a valid Amazon S3 bucket name"):
        presigner.get("k", bucket="Bad_Bucket!")
    with pytest.raises(PresignTypeError, match="bucket must be a str"):
        presigner.get("k", bucket=3)  # type: ignore[arg-type]


def test_many_per_call_buckets_stay_bounded() -> None:
    presigner = example(bucket=None)
    for number in range(300):
        presigner.get("k", bucket=f"bucket-{number}")
    assert len(presigner._by_bucket) <= 256


def test_get_many_matches_get_and_keeps_order() -> None:
    presigner = example()
    keys = [f"dir/{n}.txt" for n in range(50)] + ["ü b+c"]
    assert presigner.get_many(keys, expires=60) == [presigner.get(key, expires=60) for key in keys]
    assert presigner.get_many(keys, bucket="other-bucket") == [presigner.get(k, bucket="other-bucket") for k in keys]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"region": "US_EAST"}, PresignError, r"region must be lowercase"),
        ({"region": 5}, PresignTypeError, r"region must be a str"),
        ({"bucket": "ab"}, PresignError, r"bucket 'ab' is not a valid Amazon S3 bucket name: it must be 3 to 63"),
        ({"bucket": "a..b", "region": "eu-west-1"}, PresignError, r"two adjacent periods"),
        ({"bucket": "1.2.3.4", "region": "eu-west-1"}, PresignError, r"formatted as an IP address"),
        ({"bucket": "My_Bucket", "region": "eu-west-1"}, PresignError, r"only lowercase letters"),
        ({"bucket": "xn--abc"}, PresignError, r"must not start with 'xn--'"),
        ({"bucket": "abc--x-s3"}, PresignError, r"directory bucket"),
        ({"endpoint": "ftp://host"}, PresignError, r"endpoint must use http or https"),
        ({"endpoint": "https://user:pw@host"}, PresignError, r"endpoint must not contain user information"),
        ({"endpoint": "https://host/?a=b"}, PresignError, r"endpoint must not have a query string"),
        ({"endpoint": "https://host/#frag"}, PresignError, r"endpoint must not have a fragment"),
        ({"endpoint": "https://host:99999"}, PresignError, r"endpoint has an invalid port"),
        ({"endpoint": 5}, PresignTypeError, r"endpoint must be a str"),
        ({"provider": "nope"}, PresignError, r"unknown provider 'nope'; known providers: .*aws.*minio"),
        ({"addressing": "sideways"}, PresignError, r"addressing must be one of"),
        ({"session_token": ""}, PresignError, r"session_token must be a non-empty str"),
        ({"session_token": 5}, PresignTypeError, r"session_token must be a str"),
        ({"clock": 5}, PresignTypeError, r"clock must be a callable"),
    ],
)
def test_bad_configuration_is_refused_at_construction(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        example(**options)


@pytest.mark.parametrize(
    ("access_key_id", "secret", "error", "message"),
    [
        ("", "s", PresignError, "access_key_id must not be empty"),
        ("AKIA X", "s", PresignError, "access_key_id must not contain whitespace"),
        (None, "s", PresignTypeError, "access_key_id must be a str, not NoneType"),
        ("AKIA", "", PresignError, "secret_access_key must not be empty"),
        ("AKIA", "secret\n", PresignError, "secret_access_key must not start or end with whitespace"),
        ("AKIA", None, PresignTypeError, "secret_access_key must be a str, not NoneType"),
    ],
)
def test_bad_credentials_are_refused(access_key_id: object, secret: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        Presigner(access_key_id, secret)  # type: ignore[arg-type]


def test_errors_are_system_errors_too_and_never_quote_the_secret() -> None:
    secret = "very-secret-value "
    with pytest.raises(SystemError) as caught:
        Presigner("AKIA", secret)
    assert "very-secret" not in str(caught.value)


def test_per_call_errors() -> None:
    presigner = example()
    with pytest.raises(PresignTypeError, match="key must be a str, not NoneType"):
        presigner.get(None)  # type: ignore[arg-type]
    with pytest.raises(PresignError, match="expires must be between 1 and 604800"):
        presigner.get("k", expires=604801)
    with pytest.raises(PresignTypeError, match="expires must be an integer number of seconds, not float"):
        presigner.get("k", expires=1.5)  # type: ignore[arg-type]


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Presigner("AKIA", "secret", "token")  # type: ignore[misc]
    with pytest.raises(TypeError):
        example().get("k", None, 60)  # type: ignore[misc]


def test_repr_shows_neither_secret_nor_token() -> None:
    text = repr(example(session_token=TOKEN))
    assert AWS_EXAMPLE_SECRET not in text and TOKEN not in text
    assert AWS_EXAMPLE_ACCESS_KEY_ID not in text  # only its ends, to tell keys apart
    assert "secret_access_key='***'" in text and "session_token='***'" in text
    assert "examplebucket" in text and "us-east-1" in text


def test_presigner_is_immutable() -> None:
    presigner = example()
    with pytest.raises(AttributeError, match="immutable"):
        presigner._region = "eu-west-1"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del presigner._bucket
    with pytest.raises(AttributeError):
        presigner.bucket = "x"  # type: ignore[misc]


def test_pickle_round_trip_gives_the_same_urls() -> None:
    presigner = example(session_token=TOKEN, endpoint="http://localhost:9000/base", provider="minio")
    copy = pickle.loads(pickle.dumps(presigner))
    assert copy.get("k", expires=60) == presigner.get("k", expires=60)
    assert repr(copy) == repr(presigner)


def test_pickle_with_the_default_clock() -> None:
    presigner = Presigner("AKIA", "secret", bucket="examplebucket")
    copy = pickle.loads(pickle.dumps(presigner))
    assert urlsplit(copy.get("k")).netloc == "examplebucket.s3.us-east-1.amazonaws.com"


def test_minio_provider_is_path_style_on_its_endpoint_and_needs_one() -> None:
    url = example(provider="minio", endpoint="http://localhost:9000").get("k")
    assert url.startswith("http://localhost:9000/examplebucket/k?")
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)
    with pytest.raises(PresignError, match=r"provider 'minio' \(MinIO\) has no public host: pass endpoint="):
        example(provider="minio")


def test_eight_threads_sign_only_valid_urls() -> None:
    presigner = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, region="eu-central-1", bucket="threads-test")
    results: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def work(number: int) -> None:
        try:
            start.wait()
            urls = []
            for index in range(300):
                key = f"t{number}/{index} ü"
                if index % 3 == 0:
                    urls.append(libpresign.get(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, "eu-central-1", "threads-test", key))
                elif index % 3 == 1:
                    urls.append(presigner.get(key, bucket=f"bucket-{index % 7}-{number}"))
                else:
                    urls.extend(presigner.get_many([key, key + "x"]))
            results.extend(urls)
        except BaseException as exc:  # reported below, in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(results) == 8 * 400
    for url in results:
        assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


def test_real_clock_signs_now() -> None:
    before = time.time()
    url = Presigner("AKIA", "secret", bucket="examplebucket").get("k")
    stamp = url.split("X-Amz-Date=")[1][:16]
    signed = time.mktime(time.strptime(stamp, "%Y%m%dT%H%M%SZ")) - time.timezone
    assert before - 2 <= signed <= time.time() + 1


def test_get_many_at_an_explicit_time_equals_get_at_that_time() -> None:
    presigner = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, bucket="examplebucket")
    keys = ["a", "b c", "ü"]
    urls = presigner.get_many(keys, at=AWS_EXAMPLE_TIME + 0.5, expires=60)
    assert urls == [presigner.get(key, at=AWS_EXAMPLE_TIME, expires=60) for key in keys]
    assert all("X-Amz-Date=20130524T000000Z" in url for url in urls)
    with pytest.raises(PresignError, match=r"keys\[1\]"):
        presigner.get_many(["a", ""], at=AWS_EXAMPLE_TIME)


def test_from_env_reads_the_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AWS_EXAMPLE_ACCESS_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_EXAMPLE_SECRET)
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    presigner = Presigner.from_env(bucket="examplebucket", clock=pinned_clock)
    url = presigner.get("k")
    assert url.startswith("https://examplebucket.s3.eu-north-1.amazonaws.com/k?")
    assert signature_of(url) == expected_signature(url, AWS_EXAMPLE_SECRET)


@pytest.mark.parametrize("keys", ["abc", b"abc", None, 5])
def test_get_many_refuses_a_single_string(keys: object) -> None:
    with pytest.raises(PresignTypeError, match="keys must be an iterable of str keys"):
        example().get_many(keys)  # type: ignore[arg-type]


@pytest.mark.parametrize("parameter", ["access_key_id", "secret_access_key", "session_token"])
def test_credentials_that_are_not_utf8_are_refused_without_quoting_them(parameter: str) -> None:
    values: dict[str, object] = {"access_key_id": "AKIA", "secret_access_key": "secret", "session_token": "token"}
    values[parameter] = "abc\udcffdef"
    with pytest.raises(PresignError, match=f"{parameter} must be valid Unicode text") as caught:
        Presigner(values["access_key_id"], values["secret_access_key"], session_token=values["session_token"])  # type: ignore[arg-type]
    assert "abc" not in str(caught.value) and caught.value.__cause__ is None and caught.value.__context__ is None


def test_key_independent_parts_are_built_once_per_second() -> None:
    ticks = iter([100.0, 100.2, 100.9, 101.0])
    presigner = Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, bucket="examplebucket", clock=lambda: next(ticks))
    signer = presigner._default_signer
    assert signer is not None
    presigner.get("a")
    state = signer._state
    presigner.get("b")
    presigner.get("c")
    assert signer._state is state  # same second: nothing rebuilt
    presigner.get("d")
    assert signer._state is not state


def test_pickle_keeps_every_option() -> None:
    import datetime as dt

    original = Presigner(
        AWS_EXAMPLE_ACCESS_KEY_ID,
        AWS_EXAMPLE_SECRET,
        bucket="examplebucket",
        clock=pinned_clock,
        window=60,
        credentials_expiry=dt.datetime.fromtimestamp(AWS_EXAMPLE_TIME + 7200, dt.timezone.utc),
        strict_keys=True,
    )
    copy = pickle.loads(pickle.dumps(original))
    assert copy.get("k", expires=600) == original.get("k", expires=600)
    assert "X-Amz-Expires=660&" in copy.get("k", expires=600)  # the window survived
    with pytest.raises(PresignError, match="SignatureDoesNotMatch"):
        copy.get("a/../b")  # strict_keys survived
    with pytest.raises(PresignError, match="credentials expire"):
        copy.get("k", expires=7200)  # the expiry survived
    clamping = pickle.loads(
        pickle.dumps(
            Presigner("AKIA", "secret", bucket="examplebucket", clock=pinned_clock,
                      credentials_expiry=AWS_EXAMPLE_TIME + 100, clamp_to_credentials=True)
        )
    )
    assert "X-Amz-Expires=100&" in clamping.get("k", expires=600)


@pytest.mark.parametrize("method", ["get", "put", "head"])
def test_a_bad_clock_is_refused_alike_on_every_path(method: str) -> None:
    import datetime as dt

    presigner = example(clock=lambda: dt.datetime.now(dt.timezone.utc))
    with pytest.raises(PresignTypeError, match="clock must return POSIX seconds"):
        getattr(presigner, method)("k")
    huge = example(clock=lambda: 10**400, window=60)
    with pytest.raises(PresignError, match="signing time must be between 1970 and 9999"):
        huge.get("k")
    with pytest.raises(PresignError, match="at must be a time between 1970 and 9999"):
        example().get("k", at=10**400)
