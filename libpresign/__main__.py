"""``python -m libpresign``: see :mod:`libpresign.cli`."""

from __future__ import annotations

import sys

from libpresign.cli import main

if __name__ == "__main__":
    sys.exit(main())
