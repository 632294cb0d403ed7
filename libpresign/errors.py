"""The exceptions libpresign raises.

The original C++ ``libpresign`` documented ``SystemError`` for every failure, so both
classes keep ``SystemError`` as a base: old ``except SystemError`` blocks still work,
while new code can catch the precise ``ValueError`` / ``TypeError``.
"""

from __future__ import annotations

__all__ = ["PresignError", "PresignTypeError"]


class PresignError(ValueError, SystemError):
    """A value was rejected: the message names the parameter and the rule it broke."""

    key_index: int | None = None
    """When a batch call (``get_many``, the ``aio`` helpers) rejected one of its keys: that
    key's position in ``keys``, which the message names too. ``None`` otherwise."""


class PresignTypeError(TypeError, SystemError):
    """An argument had the wrong type (``None`` for a required argument included)."""

    key_index: int | None = None
    """As :attr:`PresignError.key_index`: the position of a rejected key in a batch."""


def rejected_key(
    error_type: type[PresignError] | type[PresignTypeError], index: int, rule: str
) -> PresignError | PresignTypeError:
    """The error for a key that broke ``rule``. ``index`` is its position in a batch,
    which the message and :attr:`~PresignError.key_index` carry, or -1 for a single key."""
    if index < 0:
        return error_type(f"key {rule}")
    error = error_type(f"keys[{index}] {rule}")
    error.key_index = index
    return error
