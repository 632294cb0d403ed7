"""The exceptions libpresign raises.

The original C++ ``libpresign`` documented ``SystemError`` for every failure, so both
classes keep ``SystemError`` as a base: old ``except SystemError`` blocks still work,
while new code can catch the precise ``ValueError`` / ``TypeError``.
"""

from __future__ import annotations

__all__ = ["PresignError", "PresignTypeError"]


class PresignError(ValueError, SystemError):
    """A value was rejected: the message names the parameter and the rule it broke."""


class PresignTypeError(TypeError, SystemError):
    """An argument had the wrong type (``None`` for a required argument included)."""
