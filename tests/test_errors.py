"""The error classes keep the original library's SystemError promise."""

from __future__ import annotations

from libpresign import PresignError, PresignTypeError


def test_presign_error_is_value_error_and_system_error() -> None:
    assert issubclass(PresignError, ValueError) and issubclass(PresignError, SystemError)


def test_presign_type_error_is_type_error_and_system_error() -> None:
    assert issubclass(PresignTypeError, TypeError) and issubclass(PresignTypeError, SystemError)
    assert not issubclass(PresignTypeError, ValueError)
