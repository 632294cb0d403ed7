"""``Presigner``: credentials and a provider's endpoint, validated once, signing fast.

Build one per set of credentials (for a web app: once, at start-up) and share it: it
is immutable, thread-safe and picklable, and keeps derived signing keys for reuse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, Final

from libpresign._cache import BoundedCache
from libpresign._signer import SigningKeys, UrlSigner
from libpresign.credentials import check_access_key_id, check_secret, check_session_token, mask_access_key_id
from libpresign.endpoints import Addressing, Endpoint, parse_endpoint
from libpresign.errors import PresignError, PresignTypeError
from libpresign.profiles import Profile, check_addressing
from libpresign.providers import get_provider

__all__ = ["Presigner"]

# Per-call bucket overrides each get a prepared signer; beyond this many buckets the
# oldest prepared signers are dropped (and rebuilt on their next use).
_BUCKETS_KEPT: Final = 256


class Presigner:
    """Presigns S3 URLs for one set of credentials at one provider.

    :param access_key_id: the access key id (``AKIA…``, a MinIO user, a GCS HMAC id).
    :param secret_access_key: the secret; never shown in a ``repr`` or an error.
    :param session_token: the token of temporary credentials, sent as
        ``X-Amz-Security-Token``.
    :param region: the bucket's region; ``None`` means the provider's default
        (``us-east-1`` for AWS).
    :param bucket: the default bucket; each call may name another with ``bucket=``.
    :param endpoint: an S3-compatible service URL (``http://localhost:9000``,
        ``https://host:8443/prefix``); path-style on it unless ``addressing`` says else.
    :param provider: a provider name (``"aws"``, ``"minio"``, …) or a
        :class:`~libpresign.Profile`.
    :param addressing: ``"auto"``, ``"virtual"`` or ``"path"``; ``None`` means the
        provider's default (path-style when ``endpoint`` is given).
    :param clock: returns POSIX seconds; the signing time is its value floored to the
        second. Tests pin time with it.
    :param provider_options: the provider's own options (see ``docs/providers.md``).
    :raises PresignError: a value breaks a rule; the message names the parameter.
    :raises PresignTypeError: an argument has the wrong type.
    """

    __slots__ = (
        "_access_key_id",
        "_addressing",
        "_bucket",
        "_by_bucket",
        "_clock",
        "_default_signer",
        "_endpoint",
        "_keys",
        "_profile",
        "_provider_options",
        "_region",
        "_secret_access_key",
        "_session_token",
    )

    _access_key_id: str
    _secret_access_key: str
    _session_token: str | None
    _region: str
    _bucket: str | None
    _endpoint: Endpoint | None
    _profile: Profile
    _provider_options: dict[str, object]
    _addressing: Addressing | None
    _clock: Callable[[], object]
    _keys: SigningKeys
    _default_signer: UrlSigner | None
    _by_bucket: BoundedCache[str, UrlSigner]

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        *,
        session_token: str | None = None,
        region: str | None = None,
        bucket: str | None = None,
        endpoint: str | None = None,
        provider: str | Profile = "aws",
        addressing: Addressing | None = None,
        clock: Callable[[], float] = time.time,
        **provider_options: object,
    ) -> None:
        profile = get_provider(provider)
        checked_options = profile.check_options(provider_options)
        checked_region = profile.region_for(region)
        parsed_endpoint = None if endpoint is None else parse_endpoint(endpoint)
        if not callable(clock):
            raise PresignTypeError(f"clock must be a callable returning POSIX seconds, not {type(clock).__name__}")
        init = object.__setattr__
        init(self, "_access_key_id", check_access_key_id(access_key_id))
        init(self, "_secret_access_key", check_secret(secret_access_key))
        init(self, "_session_token", check_session_token(session_token))
        init(self, "_region", checked_region)
        init(self, "_endpoint", parsed_endpoint)
        init(self, "_profile", profile)
        init(self, "_provider_options", checked_options)
        init(self, "_addressing", check_addressing(addressing))
        init(self, "_clock", clock)
        init(self, "_keys", SigningKeys(self._secret_access_key, checked_region))
        init(self, "_by_bucket", BoundedCache(_BUCKETS_KEPT))
        init(self, "_bucket", None if bucket is None else profile.check_bucket(bucket, checked_region))
        init(self, "_default_signer", None if self._bucket is None else self._new_signer(self._bucket))

    def _new_signer(self, bucket: str) -> UrlSigner:
        location = self._profile.locate(
            bucket=bucket,
            region=self._region,
            endpoint=self._endpoint,
            addressing=self._addressing,
            options=self._provider_options,
        )
        return UrlSigner(
            access_key_id=self._access_key_id,
            keys=self._keys,
            scheme=location.scheme,
            host=location.host,
            path_prefix=location.path_prefix,
            session_token=self._session_token,
            clock=self._clock,
        )

    def _signer_for(self, bucket: object) -> UrlSigner:
        if bucket is None:
            if self._default_signer is None:
                raise PresignError("bucket is required: pass bucket= here or to Presigner()")
            return self._default_signer
        if isinstance(bucket, str):
            known = self._by_bucket.get(bucket)
            if known is not None:
                return known
        checked = self._profile.check_bucket(bucket, self._region)
        signer = self._new_signer(checked)
        self._by_bucket.put(checked, signer)
        return signer

    def get(self, key: str, *, bucket: str | None = None, expires: int = 3600) -> str:
        """A presigned GET URL for ``key``.

        :param key: the object key, 1 to 1024 bytes of UTF-8, signed exactly as given.
        :param bucket: overrides the Presigner's bucket for this call.
        :param expires: seconds the URL stays valid, 1 to 604800.
        :raises PresignError: a bad key, bucket or ``expires``.
        """
        signer = self._default_signer if bucket is None else self._signer_for(bucket)
        if signer is None:
            signer = self._signer_for(None)
        return signer.presign_get(key, expires)

    def get_many(self, keys: Iterable[str], *, bucket: str | None = None, expires: int = 3600) -> list[str]:
        """Presigned GET URLs for ``keys``, in order, all signed at one clock reading.

        :raises PresignError: a bad key; the message names its index, and no URL is
            returned.
        """
        signer = self._default_signer if bucket is None else self._signer_for(bucket)
        if signer is None:
            signer = self._signer_for(None)
        return signer.presign_get_many(keys, expires)

    @property
    def access_key_id(self) -> str:
        """The access key id these URLs are signed with."""
        return self._access_key_id

    @property
    def region(self) -> str:
        """The region in the credential scope."""
        return self._region

    @property
    def bucket(self) -> str | None:
        """The default bucket, if one was given."""
        return self._bucket

    @property
    def provider(self) -> Profile:
        """The provider's profile."""
        return self._profile

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Presigner is immutable: cannot set {name!r}; build a new one")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Presigner is immutable: cannot delete {name!r}")

    def __repr__(self) -> str:
        endpoint = None if self._endpoint is None else self._endpoint.url
        token = "None" if self._session_token is None else "'***'"
        return (
            f"Presigner(access_key_id={mask_access_key_id(self._access_key_id)!r}, secret_access_key='***', "
            f"session_token={token}, region={self._region!r}, bucket={self._bucket!r}, "
            f"endpoint={endpoint!r}, provider={self._profile.name!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its validated inputs; prepared signers and keys are derived again.
        return (_restore, (self._state(),))

    def _state(self) -> dict[str, object]:
        return {
            "access_key_id": self._access_key_id,
            "secret_access_key": self._secret_access_key,
            "session_token": self._session_token,
            "region": self._region,
            "bucket": self._bucket,
            "endpoint": None if self._endpoint is None else self._endpoint.url,
            "provider": self._profile,
            "addressing": self._addressing,
            "clock": self._clock,
            **self._provider_options,
        }


def _restore(state: dict[str, Any]) -> Presigner:
    access_key_id = state.pop("access_key_id")
    secret_access_key = state.pop("secret_access_key")
    return Presigner(access_key_id, secret_access_key, **state)
