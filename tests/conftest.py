"""Shared fixtures; and the guard that the suite runs against the build it claims to.

``.ci/run`` sets ``LIBPRESIGN_EXPECT_COMPILED`` to ``1`` for the installed mypyc build and
to ``0`` for the pure source, so a stale ``.so`` or a wrong ``sys.path`` fails loudly.
"""

from __future__ import annotations

import os

import pytest

import libpresign


def pytest_report_header() -> str:
    build = "compiled (mypyc)" if libpresign.COMPILED else "pure Python"
    return f"libpresign {libpresign.__version__}: {build} core from {os.path.dirname(libpresign.__file__)}"


def pytest_sessionstart(session: pytest.Session) -> None:
    expected = os.environ.get("LIBPRESIGN_EXPECT_COMPILED")
    if expected is not None and libpresign.COMPILED is not (expected == "1"):
        raise pytest.UsageError(
            f"LIBPRESIGN_EXPECT_COMPILED={expected} but libpresign.COMPILED is {libpresign.COMPILED} "
            f"(imported from {libpresign.__file__})"
        )
