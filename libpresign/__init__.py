"""libpresign: fast, exact SigV4 presigned URLs for S3 and S3-compatible stores.

>>> import libpresign
>>> presigner = libpresign.Presigner("AKIA…", "secret", region="eu-west-1", bucket="photos")
>>> url = presigner.get("2024/cat.jpg", expires=600)
"""

from __future__ import annotations

from pathlib import Path

from libpresign import _signer
from libpresign.aws_config import NoCredentialsError, UnsupportedCredentialsError
from libpresign.compat import get
from libpresign.disposition import content_disposition
from libpresign.errors import PresignError, PresignTypeError
from libpresign.presigner import Presigner
from libpresign.profiles import Option, Profile
from libpresign.providers import known_providers, register_provider
from libpresign.results import PresignedPost, PresignedRequest

__all__ = [
    "COMPILED",
    "NoCredentialsError",
    "Option",
    "PresignError",
    "PresignTypeError",
    "PresignedPost",
    "PresignedRequest",
    "Presigner",
    "UnsupportedCredentialsError",
    "Profile",
    "__version__",
    "content_disposition",
    "get",
    "known_providers",
    "register_provider",
]

__version__ = "2.0.0.dev0"

COMPILED: bool = Path(_signer.__file__ or "").suffix in (".so", ".pyd")
"""Whether the signing core in use was compiled by mypyc."""
