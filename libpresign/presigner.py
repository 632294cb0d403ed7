"""``Presigner``: credentials and a provider's endpoint, validated once, signing fast.

Build one per set of credentials (for a web app: once, at start-up) and share it: it
is immutable, thread-safe and picklable, and keeps derived signing keys for reuse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Unpack

from libpresign._cache import BoundedCache
from libpresign._signer import SigningKeys, UrlSigner, amz_date, encoded_key_path, expires_seconds
from libpresign.credentials import check_access_key_id, check_secret, check_session_token, mask_access_key_id
from libpresign.endpoints import Addressing, Endpoint, parse_endpoint
from libpresign.errors import PresignError, PresignTypeError
from libpresign.keys import check_strict_key
from libpresign.operations import (
    DownloadOptions,
    HeaderInput,
    QueryInput,
    UploadOptions,
    check_headers,
    check_query,
    download_query,
    upload_headers,
)
from libpresign.post import (
    Condition,
    check_conditions,
    check_content_length_range,
    check_fields,
    check_success_status,
    non_empty_text,
    policy_document,
    signed_fields,
)
from libpresign.profiles import Profile, check_addressing
from libpresign.providers import get_provider
from libpresign.results import PresignedPost, PresignedRequest
from libpresign.timing import Instant, Lifetime, check_window, clock_seconds, posix_seconds

__all__ = ["Presigner"]

# Per-call bucket overrides each get a prepared signer; beyond this many buckets the
# oldest prepared signers are dropped (and rebuilt on their next use).
_BUCKETS_KEPT: Final = 256
_METHODS: Final = ("GET", "HEAD", "PUT", "POST", "DELETE")  # in the order messages list them


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
    :param window: sign with the time floored to a window of this many seconds, so
        every URL for the same request is identical within the window (cacheable);
        ``X-Amz-Expires`` grows by the window so each URL still lives ``expires``
        seconds after it is handed out.
    :param credentials_expiry: when temporary credentials expire (aware ``datetime``
        or POSIX seconds); a URL that would outlive them raises :class:`PresignError`.
    :param clamp_to_credentials: instead of raising, cut such URLs' lifetime to the
        credentials' expiry.
    :param strict_keys: refuse keys that HTTP clients rewrite (a leading ``/``, ``//``,
        ``.`` or ``..`` segments) instead of signing them as given.
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
        "_lifetime",
        "_plain",
        "_strict_keys",
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
    _lifetime: Lifetime
    _plain: bool
    _strict_keys: bool
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
        window: int | None = None,
        credentials_expiry: Instant | None = None,
        clamp_to_credentials: bool = False,
        strict_keys: bool = False,
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
        profile.check_setup(
            region=checked_region, endpoint=parsed_endpoint, addressing=self._addressing, options=checked_options
        )
        init(self, "_clock", clock)
        init(self, "_keys", SigningKeys(self._secret_access_key, checked_region))
        for flag, value in (("clamp_to_credentials", clamp_to_credentials), ("strict_keys", strict_keys)):
            if not isinstance(value, bool):
                raise PresignTypeError(f"{flag} must be a bool, not {type(value).__name__}")
        expiry = None if credentials_expiry is None else posix_seconds(credentials_expiry, "credentials_expiry")
        lifetime = Lifetime(window=check_window(window), credentials_expiry=expiry, clamp=clamp_to_credentials)
        init(self, "_lifetime", lifetime)
        init(self, "_strict_keys", strict_keys)
        # The fast path applies when nothing per-URL but the key and expires varies.
        init(self, "_plain", lifetime.trivial and not strict_keys)
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

    def _prepare(
        self, key: object, bucket: object, expires: object, at: Instant | None
    ) -> tuple[UrlSigner, str, int, int]:
        """Signer, encoded path, signing second and X-Amz-Expires of a general request."""
        signer = self._signer_for(bucket)
        if self._strict_keys:
            check_strict_key(key)
        path = encoded_key_path(key, -1)
        now = clock_seconds(self._clock()) if at is None else posix_seconds(at, "at")
        second, lifetime = self._lifetime.resolve(now, expires_seconds(expires))
        return signer, path, second, lifetime

    def _sign(
        self,
        method: str,
        key: str,
        bucket: str | None,
        expires: int,
        at: Instant | None,
        query: list[tuple[str, str]],
        headers: list[tuple[str, str]],
    ) -> str:
        signer, path, second, lifetime = self._prepare(key, bucket, expires, at)
        return signer.presign(method, path, query, headers, lifetime, second)

    def get(
        self,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        **options: Unpack[DownloadOptions],
    ) -> str:
        """A presigned GET URL for ``key``.

        :param key: the object key, 1 to 1024 bytes of UTF-8, signed exactly as given.
        :param bucket: overrides the Presigner's bucket for this call.
        :param expires: seconds the URL stays valid, 1 to 604800.
        :param at: the signing time (aware ``datetime`` or POSIX seconds) instead of
            the clock's.
        :param options: ``version_id``, ``response_content_type``,
            ``response_content_disposition``, ``response_content_language``,
            ``response_content_encoding``, ``response_cache_control``,
            ``response_expires`` and ``query`` (extra query parameters).
        :raises PresignError: a bad key, bucket, ``expires`` or option.
        """
        if options or at is not None or not self._plain:
            return self._sign("GET", key, bucket, expires, at, download_query(options), [])
        signer = self._default_signer
        if bucket is not None or signer is None:
            signer = self._signer_for(bucket)
        return signer.presign_get(key, expires)

    def get_many(
        self,
        keys: Iterable[str],
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        **options: Unpack[DownloadOptions],
    ) -> list[str]:
        """Presigned GET URLs for ``keys``, in order, all signed at one clock reading.

        Takes the options of :meth:`get`, applied to every key.

        :raises PresignError: a bad key; the message names its index, and no URL is
            returned.
        """
        if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable):
            # Iterating a str would sign one URL per character.
            raise PresignTypeError(f"keys must be an iterable of str keys, not {type(keys).__name__}")
        if options or at is not None or not self._plain:
            query = download_query(options)
            # "-" stands in for the keys, checked one by one below.
            general, _, second, lifetime = self._prepare("-", bucket, expires, at)
            if not query and not self._strict_keys:
                return general.presign_get_many(keys, lifetime, second)  # only the time differs
            urls: list[str] = []
            for index, key in enumerate(keys):
                if self._strict_keys:
                    check_strict_key(key, index)
                urls.append(general.presign("GET", encoded_key_path(key, index), query, [], lifetime, second))
            return urls
        signer = self._default_signer
        if bucket is not None or signer is None:
            signer = self._signer_for(bucket)
        return signer.presign_get_many(keys, expires)

    def head(
        self,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        **options: Unpack[DownloadOptions],
    ) -> str:
        """A presigned HEAD URL (object metadata without the body); options as :meth:`get`."""
        return self._sign("HEAD", key, bucket, expires, at, download_query(options), [])

    def delete(
        self,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        version_id: str | None = None,
    ) -> str:
        """A presigned DELETE URL, for one version with ``version_id``."""
        query = [] if version_id is None else download_query({"version_id": version_id})
        return self._sign("DELETE", key, bucket, expires, at, query, [])

    def put(
        self,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        **options: Unpack[UploadOptions],
    ) -> PresignedRequest:
        """A presigned PUT upload and the headers the uploader must send with it.

        :param options: ``content_type``, ``metadata`` (``x-amz-meta-*``),
            ``cache_control``, ``content_disposition``, ``content_encoding``,
            ``content_language``, ``expires_header``, ``acl``, ``storage_class``,
            ``tagging``, ``sse`` (``"AES256"``, ``"aws:kms"``, ``"aws:kms:dsse"``),
            ``sse_kms_key_id``, ``sse_kms_context``, ``sse_bucket_key``,
            ``sse_customer_key`` (32 raw bytes, SSE-C), ``checksums``
            (``{"sha256": base64}``; none is ever added unasked), ``headers`` (any
            others) and ``query`` (e.g. ``uploadId`` and ``partNumber`` for a
            multipart part). Every header becomes a signed header.
        :returns: the method, URL and headers; the client must send every header.
        """
        headers, query = upload_headers(options)
        return PresignedRequest("PUT", self._sign("PUT", key, bucket, expires, at, query, headers), dict(headers))

    def presign(
        self,
        method: str,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        query: QueryInput | None = None,
        headers: HeaderInput | None = None,
    ) -> PresignedRequest:
        """Any request: ``method`` is GET, HEAD, PUT, POST or DELETE; ``query`` adds
        operation parameters (``X-Amz-*`` refused) and ``headers`` signed headers."""
        if method not in _METHODS:
            raise PresignError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
        self._profile.check_method(method)
        checked_query = [] if query is None else check_query(query)
        checked_headers = [] if headers is None else check_headers(headers)
        url = self._sign(method, key, bucket, expires, at, checked_query, checked_headers)
        return PresignedRequest(method, url, dict(checked_headers))

    def post(
        self,
        key: str,
        *,
        bucket: str | None = None,
        expires: int = 3600,
        at: Instant | None = None,
        content_length_range: tuple[int, int] | None = None,
        content_type: str | None = None,
        success_action_status: str | None = None,
        success_action_redirect: str | None = None,
        fields: Mapping[str, str] | None = None,
        conditions: Sequence[Condition] = (),
    ) -> PresignedPost:
        """A browser form upload (POST policy).

        :param key: the object key, or a prefix ending in ``${filename}`` to let S3
            use the uploaded file's name (the policy then pins only the prefix).
        :param content_length_range: ``(minimum, maximum)`` size in bytes.
        :param content_type: the ``Content-Type`` the form must send (field and
            condition).
        :param success_action_status: ``"200"``, ``"201"`` or ``"204"``.
        :param success_action_redirect: where S3 redirects the browser after upload.
        :param fields: extra form fields, as in boto3 (not added to the conditions).
        :param conditions: extra policy conditions, as in boto3: ``{"field": "value"}``,
            ``["starts-with", "$field", "prefix"]``, ``["content-length-range", 0, n]``.
        :returns: the form's ``url`` and ``fields``.
        """
        self._profile.check_method("POST")
        checked_conditions = check_conditions(conditions)
        form_fields = check_fields(fields)
        extra: list[tuple[str, str]] = []
        if content_type is not None:
            extra.append(("Content-Type", non_empty_text(content_type, "content_type")))
        if success_action_status is not None:
            extra.append(("success_action_status", check_success_status(success_action_status)))
        if success_action_redirect is not None:
            extra.append(("success_action_redirect", non_empty_text(success_action_redirect, "success_action_redirect")))
        for name, value in extra:
            form_fields[name] = value
            checked_conditions.append({name: value})
        if content_length_range is not None:
            checked_conditions.append(["content-length-range", *check_content_length_range(content_length_range)])
        signer, _, second, lifetime = self._prepare(key, bucket, expires, at)
        credential = signer.credential(second)
        timestamp = amz_date(second)
        policy = policy_document(
            conditions=checked_conditions,
            bucket=self._bucket_name(bucket),
            key=key,
            credential=credential,
            amz_date=timestamp,
            session_token=signer.session_token,
            expires_at=second + lifetime,
        )
        return PresignedPost(
            signer.bucket_url,
            signed_fields(
                fields=form_fields,
                key=key,
                credential=credential,
                amz_date=timestamp,
                session_token=signer.session_token,
                policy_json=policy,
                signing=signer.signing_pads(second),
            ),
        )

    def _bucket_name(self, bucket: str | None) -> str:
        name = self._bucket if bucket is None else bucket
        assert name is not None  # _prepare has refused a missing bucket already
        return name

    @classmethod
    def from_env(cls, **options: Any) -> Presigner:
        """A Presigner from explicit options, the AWS environment variables and the shared
        ``~/.aws`` files, without network access (see ``docs/cli.md``); the options are
        those of :func:`libpresign.aws_config.presigner_from_env`."""
        from libpresign.aws_config import presigner_from_env  # lazy: aws_config imports this module

        return presigner_from_env(**options)

    @classmethod
    def from_session(cls, session: Any, **options: Any) -> Presigner:
        """A Presigner from a boto3 or botocore session's current credentials and region;
        see :func:`libpresign.aws_config.presigner_from_session`."""
        from libpresign.aws_config import presigner_from_session

        return presigner_from_session(session, **options)

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
            **self._lifetime.settings(),
            "strict_keys": self._strict_keys,
            **self._provider_options,
        }


def _restore(state: dict[str, Any]) -> Presigner:
    access_key_id = state.pop("access_key_id")
    secret_access_key = state.pop("secret_access_key")
    return Presigner(access_key_id, secret_access_key, **state)
