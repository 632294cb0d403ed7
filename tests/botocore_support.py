"""The reference clients' harness: botocore configured to sign as libpresign does, and
the guards every cross-check (botocore, minio-py) runs under.

A reference client signs with SigV4 at a pinned second, reads no ``AWS_*`` variable and
no ``~/.aws`` file, and cannot open a socket. Clients are cached per configuration
(building one costs milliseconds); the time and the guards are applied per use.
"""

from __future__ import annotations

import datetime
import functools
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from unittest import mock

import botocore.auth
import botocore.session
import botocore.signers
from botocore.config import Config

from strategies import Credentials, amz_date, signing_datetime

__all__ = [
    "ClientSettings",
    "NetworkUsed",
    "botocore_client",
    "hermetic",
    "network_guard",
    "pinned_time",
    "reference_client",
    "reference_get_url",
    "sent_url",
]


class NetworkUsed(AssertionError):
    """Raised by the socket guard: presigning must never touch the network."""


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise NetworkUsed("a presigning test tried to use the network")


@contextmanager
def network_guard() -> Iterator[None]:
    """Make every connection and every name lookup raise :class:`NetworkUsed`."""
    with mock.patch.object(socket.socket, "connect", _refuse_network), mock.patch.object(
        socket, "getaddrinfo", _refuse_network
    ):
        yield


@contextmanager
def hermetic() -> Iterator[None]:
    """No ``AWS_*`` variables, no AWS config or credentials file, no instance metadata,
    no sockets."""
    # Only the AWS_* names are saved and restored: copying the whole environment back
    # (mock.patch.dict) costs more than signing, and this runs for every reference URL.
    saved = {name: os.environ.pop(name) for name in _aws_names()}
    # botocore finds no profile in the null device, whatever ~/.aws holds.
    os.environ.update(
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true"
    )
    try:
        with network_guard():
            yield
    finally:
        for name in _aws_names():
            del os.environ[name]
        os.environ.update(saved)


def _aws_names() -> list[str]:
    return [name for name in os.environ if name.startswith("AWS_")]


@contextmanager
def pinned_time(second: int | float) -> Iterator[None]:
    """Make botocore's signers read the whole second ``second`` names as the current time.

    botocore 1.3x–1.44 reads the time through ``get_current_datetime``, imported into
    ``botocore.auth`` (SigV4 URLs and headers) and ``botocore.signers`` (POST policies).
    """
    moment = signing_datetime(second)

    def now(remove_tzinfo: bool = True) -> datetime.datetime:
        return moment

    with mock.patch.object(botocore.auth, "get_current_datetime", now), mock.patch.object(
        botocore.signers, "get_current_datetime", now
    ):
        yield


@dataclass(frozen=True, kw_only=True)
class ClientSettings:
    """One botocore S3 client configuration; equal settings share a cached client."""

    region: str
    credentials: Credentials
    addressing: Literal["auto", "virtual", "path"] | None = "virtual"
    """``None`` leaves botocore's own default (``auto``)."""
    endpoint_url: str | None = None
    regional: bool = True
    """Use ``s3.us-east-1.amazonaws.com``; botocore's default is the legacy global host."""
    fips: bool = False
    dualstack: bool = False
    accelerate: bool = False


@functools.cache
def _session() -> botocore.session.Session:
    # One session: it loads the S3 service model once for every client built from it.
    return botocore.session.Session()


@functools.lru_cache(maxsize=256)
def botocore_client(settings: ClientSettings) -> Any:
    """The cached botocore S3 client for ``settings``, built with no AWS settings around."""
    s3: dict[str, object] = {}
    if settings.addressing is not None:
        s3["addressing_style"] = settings.addressing
    if settings.regional:
        s3["us_east_1_regional_endpoint"] = "regional"
    if settings.accelerate:
        s3["use_accelerate_endpoint"] = True
    with hermetic():
        return _session().create_client(
            "s3",
            region_name=settings.region,
            endpoint_url=settings.endpoint_url,
            aws_access_key_id=settings.credentials.access_key_id,
            aws_secret_access_key=settings.credentials.secret_access_key,
            aws_session_token=settings.credentials.session_token,
            config=Config(
                # SigV4 always: botocore falls back to SigV2 for presigning in some setups.
                signature_version="s3v4",
                s3=s3,
                use_fips_endpoint=settings.fips,
                use_dualstack_endpoint=settings.dualstack,
                # no surprise checksum headers or parameters in presigned requests
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )


@contextmanager
def reference_client(settings: ClientSettings, *, at: int | float) -> Iterator[Any]:
    """The botocore client for ``settings``, signing at the second ``at`` names, hermetic."""
    client = botocore_client(settings)
    with hermetic(), pinned_time(at):
        yield client


def reference_get_url(settings: ClientSettings, *, bucket: str, key: str, expires: int, at: int | float) -> str:
    """botocore's presigned GET URL, signed at the second ``at`` names."""
    with reference_client(settings, at=at) as client:
        url: str = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires)
    # Guards the pinning itself: if botocore changed its clock, say so plainly.
    assert f"&X-Amz-Date={amz_date(at)}&" in url, f"botocore ignored the pinned time: {url}"
    return url


class _Captured(Exception):
    """Stops a request once botocore has built it."""


def sent_url(settings: ClientSettings, operation: str, **params: Any) -> str:
    """The URL botocore would send for a plain (not presigned) request; nothing is sent.

    botocore resolves its endpoint rules (FIPS, dual-stack, acceleration) on this path.
    """
    client = botocore_client(settings)
    sent: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        sent.append(request.url)
        raise _Captured

    # The client is shared: the handler must not outlive this call.
    client.meta.events.register("before-send.s3", capture)
    try:
        with hermetic():
            getattr(client, operation)(**params)
    except _Captured:
        return sent[0]
    finally:
        client.meta.events.unregister("before-send.s3", capture)
    raise AssertionError(f"botocore finished {operation} without sending a request")
