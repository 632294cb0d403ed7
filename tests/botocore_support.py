"""botocore configured as the reference signer: SigV4, pinned time, no network, no files."""

from __future__ import annotations

import datetime
import functools
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import botocore.auth
import botocore.session
import botocore.signers
from botocore.config import Config

_EMPTY_CONFIG = os.path.join(tempfile.mkdtemp(prefix="libpresign-tests-"), "empty-aws-config")
open(_EMPTY_CONFIG, "w").close()


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("botocore tried to reach the network")


@contextmanager
def _isolated() -> Iterator[None]:
    """No AWS environment, no config files, no sockets."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(
        AWS_CONFIG_FILE=_EMPTY_CONFIG, AWS_SHARED_CREDENTIALS_FILE=_EMPTY_CONFIG, AWS_EC2_METADATA_DISABLED="true"
    )
    with mock.patch.dict("os.environ", environment, clear=True), mock.patch.object(
        socket.socket, "connect", _refuse_network
    ), mock.patch.object(socket, "getaddrinfo", _refuse_network):
        yield


@functools.lru_cache(maxsize=64)
def _client(
    region: str,
    access_key_id: str,
    secret: str,
    token: str | None,
    addressing: str,
    endpoint_url: str | None,
) -> Any:
    with _isolated():
        return botocore.session.Session().create_client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": addressing, "us_east_1_regional_endpoint": "regional"},
                # no surprise checksum headers or parameters in presigned requests
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )


@contextmanager
def reference_client(
    *,
    region: str,
    access_key_id: str,
    secret: str,
    token: str | None = None,
    addressing: str = "virtual",
    endpoint_url: str | None = None,
    at: int,
    tmp_path: Any = None,
) -> Iterator[Any]:
    """A botocore S3 client that signs at POSIX second ``at`` (clients are reused)."""
    moment = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).replace(tzinfo=None)
    client = _client(region, access_key_id, secret, token, addressing, endpoint_url)
    with _isolated(), mock.patch.object(
        botocore.auth, "get_current_datetime", lambda remove_tzinfo=True: moment
    ), mock.patch.object(botocore.signers, "get_current_datetime", lambda remove_tzinfo=True: moment):
        yield client
