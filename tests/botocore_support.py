"""botocore configured as the reference signer: SigV4, pinned time, no network, no files."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import botocore.auth
import botocore.session
import botocore.signers
from botocore.config import Config


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("botocore tried to reach the network")


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
    tmp_path: Any,
) -> Iterator[Any]:
    """A botocore S3 client that signs at POSIX second ``at``."""
    moment = datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
    empty = tmp_path / "empty-aws-config"
    empty.write_text("")
    with pytest_env(empty), mock.patch.object(
        botocore.auth, "get_current_datetime", lambda remove_tzinfo=True: moment.replace(tzinfo=None)
    ), mock.patch.object(botocore.signers, "get_current_datetime", lambda remove_tzinfo=True: moment.replace(tzinfo=None)):
        session = botocore.session.Session()
        client = session.create_client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": addressing, "us_east_1_regional_endpoint": "regional"},
                # no surprise checksum headers in presigned PUTs
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )
        yield client


@contextmanager
def pytest_env(empty: Any) -> Iterator[None]:
    with mock.patch.dict(
        "os.environ",
        {"AWS_CONFIG_FILE": str(empty), "AWS_SHARED_CREDENTIALS_FILE": str(empty), "AWS_EC2_METADATA_DISABLED": "true"},
    ), mock.patch.object(socket.socket, "connect", _refuse_network), mock.patch.object(
        socket, "getaddrinfo", _refuse_network
    ):
        yield
