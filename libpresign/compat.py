"""``libpresign.get``: the module-level function of the original C++ libpresign.

Same names, order and defaults, so existing callers keep working; what changed is that
the URL uses the bucket's regional host, ``endpoint`` is a real service URL, bad input
raises a clear error, and prepared signers (with their derived keys) are reused.
"""

from __future__ import annotations

from typing import Final

from libpresign._cache import BoundedCache
from libpresign.errors import PresignTypeError
from libpresign.presigner import Presigner

__all__ = ["get"]

# Bounded: at most this many (credentials, region, endpoint) combinations keep a prepared
# Presigner, and with it the secret; the oldest is dropped first. Each Presigner keeps a
# bounded number of buckets in turn.
_presigners: Final[BoundedCache[tuple[object, ...], Presigner]] = BoundedCache(64)


def get(
    access_key_id: str,
    secret_access_key: str,
    region: str | None,
    bucket: str,
    key: str,
    expires: int = 3600,
    endpoint: str | None = None,
) -> str:
    """A presigned GET URL, as the original ``libpresign.get`` returned.

    :param region: the bucket's region; ``None`` means ``us-east-1``.
    :param endpoint: an S3-compatible service URL (``https://minio.example.com``,
        ``http://localhost:9000``); the URL is then path-style on that endpoint.
    :raises PresignError: a value breaks a rule (also a ``ValueError`` and a
        ``SystemError``).
    :raises PresignTypeError: an argument has the wrong type (also a ``TypeError``
        and a ``SystemError``).
    """
    if not isinstance(bucket, str):
        raise PresignTypeError(f"bucket must be a str, not {type(bucket).__name__}")
    # Keyed without the bucket: one Presigner per credentials, region and endpoint shares
    # its day's signing key among all the buckets it signs for.
    cache_key = (access_key_id, secret_access_key, region, endpoint)
    try:
        presigner = _presigners.get(cache_key)
    except TypeError:
        presigner = None  # an unhashable argument: the Presigner below names it
    if presigner is None:
        # With an endpoint, any S3-compatible server: its bucket names may be looser than AWS's.
        presigner = Presigner(
            access_key_id,
            secret_access_key,
            region=region,
            endpoint=endpoint,
            provider="aws" if endpoint is None else "s3",
        )
        _presigners.put(cache_key, presigner)
    return presigner.get(key, bucket=bucket, expires=expires)
