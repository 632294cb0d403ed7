"""POST policies: browser form uploads with conditions such as a size limit.

https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
The policy is JSON, base64-encoded; its signature is the HMAC of that base64 text under
the day's signing key. Condition order and field names follow boto3's
``generate_presigned_post``, so both produce the same policy for the same inputs.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping, Sequence
from typing import Final

from libpresign._sigv4 import ALGORITHM, HmacPads
from libpresign.errors import PresignError, PresignTypeError

__all__ = [
    "Condition",
    "check_conditions",
    "check_content_length_range",
    "check_fields",
    "check_success_status",
    "non_empty_text",
    "policy_document",
    "signed_fields",
]

Condition = Mapping[str, str] | Sequence[object]

FILENAME_PLACEHOLDER: Final = "${filename}"
_OPERATORS: Final = ("eq", "starts-with")
_SUCCESS_STATUSES: Final = ("200", "201", "204")


def check_conditions(conditions: object) -> list[object]:
    """Validate user conditions: ``{"field": "value"}``, ``["eq" | "starts-with",
    "$field", "value"]`` or ``["content-length-range", min, max]``."""
    if not isinstance(conditions, (list, tuple)):
        raise PresignTypeError(f"conditions must be a list, not {type(conditions).__name__}")
    checked: list[object] = []
    for index, condition in enumerate(conditions):
        where = f"conditions[{index}]"
        if isinstance(condition, Mapping):
            if len(condition) != 1:
                raise PresignError(f"{where} must have exactly one field: {{'name': 'value'}}")
            ((name, value),) = condition.items()
            if not isinstance(name, str) or not isinstance(value, str):
                raise PresignTypeError(f"{where} must map a str field name to a str value")
            checked.append({name: value})
        elif isinstance(condition, (list, tuple)) and len(condition) == 3:
            verb, first, second = condition
            if verb == "content-length-range":
                checked.append(["content-length-range", *check_content_length_range((first, second), where)])
            elif verb in _OPERATORS:
                if not isinstance(first, str) or not first.startswith("$") or not isinstance(second, str):
                    raise PresignError(f"{where} must be [{verb!r}, '$field', 'value']")
                checked.append([verb, first, second])
            else:
                raise PresignError(
                    f"{where} has unknown operator {verb!r}: use 'eq', 'starts-with' or 'content-length-range'"
                )
        else:
            raise PresignError(f"{where} must be a one-field dict or a three-item list, got {condition!r}")
    return checked


def check_fields(fields: object) -> dict[str, str]:
    """``fields=`` of a form: str names to str values (added to the form, not the policy)."""
    if fields is None:
        return {}
    if not isinstance(fields, Mapping):
        raise PresignTypeError(f"fields must be a mapping of str to str, not {type(fields).__name__}")
    checked: dict[str, str] = {}
    for name, value in fields.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise PresignTypeError("fields must map str names to str values")
        checked[name] = value
    return checked


def check_success_status(status: object) -> str:
    """``success_action_status``: what S3 answers the browser after the upload."""
    if status not in _SUCCESS_STATUSES:
        raise PresignError(
            f"success_action_status must be one of the str values {', '.join(_SUCCESS_STATUSES)}, got {status!r}"
        )
    return str(status)


def non_empty_text(value: object, parameter: str) -> str:
    """A keyword option that must be a non-empty str."""
    if not isinstance(value, str):
        raise PresignTypeError(f"{parameter} must be a str, not {type(value).__name__}")
    if not value:
        raise PresignError(f"{parameter} must not be empty")
    return value


def check_content_length_range(bounds: object, parameter: str = "content_length_range") -> list[int]:
    """``(minimum, maximum)`` bytes, both integers, ``0 <= minimum <= maximum``."""
    if not isinstance(bounds, (list, tuple)) or len(bounds) != 2:
        raise PresignTypeError(f"{parameter} must be a (minimum, maximum) pair of byte counts")
    low, high = bounds
    for bound in (low, high):
        if isinstance(bound, bool) or not isinstance(bound, int):
            raise PresignTypeError(f"{parameter} bounds must be int byte counts, not {type(bound).__name__}")
    if not 0 <= low <= high:
        raise PresignError(f"{parameter} must satisfy 0 <= minimum <= maximum, got ({low}, {high})")
    return [low, high]


def policy_document(
    *,
    conditions: list[object],
    bucket: str,
    key: str,
    credential: str,
    amz_date: str,
    session_token: str | None,
    expires_at: int,
) -> str:
    """The policy JSON: user conditions, then bucket, key and the signature fields."""
    all_conditions = list(conditions)
    all_conditions.append({"bucket": bucket})
    if key.endswith(FILENAME_PLACEHOLDER):
        # S3 fills in the uploaded file's name: only the prefix can be pinned.
        all_conditions.append(["starts-with", "$key", key[: -len(FILENAME_PLACEHOLDER)]])
    else:
        all_conditions.append({"key": key})
    all_conditions.append({"x-amz-algorithm": ALGORITHM})
    all_conditions.append({"x-amz-credential": credential})
    all_conditions.append({"x-amz-date": amz_date})
    if session_token is not None:
        all_conditions.append({"x-amz-security-token": session_token})
    expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires_at))
    return json.dumps({"expiration": expiration, "conditions": all_conditions})


def signed_fields(
    *,
    fields: Mapping[str, str],
    key: str,
    credential: str,
    amz_date: str,
    session_token: str | None,
    policy_json: str,
    signing: HmacPads,
) -> dict[str, str]:
    """The form fields, in boto3's order, with the policy and its signature last."""
    result = dict(fields)
    result["key"] = key
    result["x-amz-algorithm"] = ALGORITHM
    result["x-amz-credential"] = credential
    result["x-amz-date"] = amz_date
    if session_token is not None:
        result["x-amz-security-token"] = session_token
    policy = base64.b64encode(policy_json.encode("utf-8")).decode("ascii")
    result["policy"] = policy
    result["x-amz-signature"] = signing.hexdigest(policy.encode("ascii"))
    return result
