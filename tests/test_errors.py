"""The error classes keep the original library's SystemError promise."""

from __future__ import annotations

import pickle

import pytest

from libpresign import PresignError, PresignTypeError
from libpresign.errors import rejected_key


def test_presign_error_is_value_error_and_system_error() -> None:
    assert issubclass(PresignError, ValueError) and issubclass(PresignError, SystemError)


def test_presign_type_error_is_type_error_and_system_error() -> None:
    assert issubclass(PresignTypeError, TypeError) and issubclass(PresignTypeError, SystemError)
    assert not issubclass(PresignTypeError, ValueError)


@pytest.mark.parametrize("error_type", [PresignError, PresignTypeError])
def test_a_rejected_key_of_a_batch_carries_its_index_in_the_message_and_key_index(
    error_type: type[PresignError] | type[PresignTypeError],
) -> None:
    error = rejected_key(error_type, 41, "must be a str, not int")
    assert type(error) is error_type
    assert str(error) == "keys[41] must be a str, not int"
    assert error.key_index == 41
    copy = pickle.loads(pickle.dumps(error))  # crosses process pools whole
    assert (type(copy), str(copy), copy.key_index) == (error_type, str(error), 41)


def test_a_single_rejected_key_has_no_index() -> None:
    error = rejected_key(PresignError, -1, "must be 1 to 1024 bytes long in UTF-8, got 0")
    assert str(error) == "key must be 1 to 1024 bytes long in UTF-8, got 0"
    assert error.key_index is None
    assert PresignError("expires must be at least 1").key_index is None
