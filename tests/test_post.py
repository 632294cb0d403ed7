"""POST policies: equal to boto3's generate_presigned_post, signed with the day's key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from libpresign import Presigner, PresignError, PresignTypeError, PresignedPost
from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from botocore_support import ClientSettings, reference_client
from strategies import Credentials

TOKEN = "session/token+value=="


def example(**options: object) -> Presigner:
    settings: dict[str, object] = {"region": "eu-west-1", "bucket": "examplebucket", "clock": lambda: AWS_EXAMPLE_TIME}
    settings.update(options)
    return Presigner(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, **settings)  # type: ignore[arg-type]


def day_key(date: str, region: str) -> bytes:
    key = ("AWS4" + AWS_EXAMPLE_SECRET).encode()
    for part in (date, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


CASES = [
    ("uploads/photo.jpg", {}, [], {}),
    ("uploads/${filename}", {"acl": "private"}, [{"acl": "private"}, ["content-length-range", 1, 10_485_760]], {}),
    (
        "u/${filename}",
        {"Content-Type": "image/png", "success_action_status": "201"},
        [["starts-with", "$Content-Type", "image/"], {"success_action_status": "201"}],
        {},
    ),
]


@pytest.mark.parametrize("token", [None, TOKEN])
@pytest.mark.parametrize(("key", "fields", "conditions", "extra"), CASES)
def test_fields_and_policy_equal_boto3(
    token: str | None, key: str, fields: dict[str, str], conditions: list[object], extra: dict[str, object]
) -> None:
    ours = example(session_token=token).post(key, expires=900, fields=fields, conditions=conditions)
    reference = ClientSettings(
        region="eu-west-1", credentials=Credentials(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, token)
    )
    with reference_client(reference, at=AWS_EXAMPLE_TIME) as client:
        theirs = client.generate_presigned_post("examplebucket", key, Fields=fields, Conditions=conditions, ExpiresIn=900)
    assert dict(ours.fields) == theirs["fields"]  # byte for byte, policy and signature included
    assert list(ours.fields) == list(theirs["fields"])
    assert ours.url.rstrip("/") == theirs["url"].rstrip("/")


def test_keyword_conditions_add_field_and_condition() -> None:
    post = example().post(
        "in/${filename}",
        content_length_range=(0, 1000),
        content_type="text/csv",
        success_action_status="201",
        success_action_redirect="https://app.example/done",
    )
    policy = json.loads(base64.b64decode(post.fields["policy"]))
    assert policy["expiration"] == "2013-05-24T01:00:00Z"
    assert {"Content-Type": "text/csv"} in policy["conditions"]
    assert {"success_action_status": "201"} in policy["conditions"]
    assert {"success_action_redirect": "https://app.example/done"} in policy["conditions"]
    assert ["content-length-range", 0, 1000] in policy["conditions"]
    assert ["starts-with", "$key", "in/"] in policy["conditions"]
    assert {"bucket": "examplebucket"} in policy["conditions"]
    assert post.fields["Content-Type"] == "text/csv" and post.fields["key"] == "in/${filename}"


def test_signature_is_the_hmac_of_the_policy_under_the_days_key() -> None:
    post = example().post("k")
    expected = hmac.new(day_key("20130524", "eu-west-1"), post.fields["policy"].encode(), hashlib.sha256).hexdigest()
    assert post.fields["x-amz-signature"] == expected
    assert post.fields["x-amz-credential"] == "AKIAIOSFODNN7EXAMPLE/20130524/eu-west-1/s3/aws4_request"


def test_token_field_is_present_when_there_is_one() -> None:
    assert example(session_token=TOKEN).post("k").fields["x-amz-security-token"] == TOKEN
    assert "x-amz-security-token" not in example().post("k").fields


def test_post_url_for_path_style_buckets() -> None:
    assert example(bucket="dotted.bucket").post("k").url == "https://s3.eu-west-1.amazonaws.com/dotted.bucket/"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"content_length_range": (10, 1)}, PresignError, "0 <= minimum <= maximum"),
        ({"content_length_range": (1.5, 2)}, PresignTypeError, "bounds must be int"),
        ({"success_action_status": "302"}, PresignError, "success_action_status must be one of"),
        ({"conditions": [["between", "$key", "a"]]}, PresignError, "unknown operator 'between'"),
        ({"conditions": [{"a": "1", "b": "2"}]}, PresignError, "exactly one field"),
        ({"conditions": [["starts-with", "key", "a"]]}, PresignError, r"\['starts-with', '\$field', 'value'\]"),
        ({"conditions": "acl"}, PresignTypeError, "conditions must be a list"),
        ({"fields": {"a": 1}}, PresignTypeError, "fields must map str names to str values"),
        ({"expires": 0}, PresignError, "expires must be between"),
        ({"content_type": 5}, PresignTypeError, "content_type must be a str"),
        ({"success_action_status": 201}, PresignError, "one of the str values"),
    ],
)
def test_bad_post_options(options: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        example().post("k", **options)  # type: ignore[arg-type]


def test_post_result_is_immutable_and_masks_secrets_in_repr() -> None:
    post = example(session_token=TOKEN).post("k")
    assert isinstance(post, PresignedPost)
    with pytest.raises(TypeError):
        post.fields["key"] = "other"  # type: ignore[index]
    with pytest.raises(AttributeError):
        post.url = "x"  # type: ignore[misc]
    assert TOKEN not in repr(post) and post.fields["policy"] not in repr(post)
