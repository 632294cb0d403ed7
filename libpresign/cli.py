"""The ``libpresign`` command: presign one ``s3://bucket/key`` URL from the shell.

Credentials come from the AWS environment variables; nothing is read from the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Final

from libpresign import COMPILED, __version__
from libpresign.errors import PresignError, PresignTypeError
from libpresign.presigner import Presigner

__all__ = ["main"]

EXIT_USAGE: Final = 2

_EXAMPLES: Final = """\
examples:
  AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=... libpresign s3://photos/2024/cat.jpg
  libpresign s3://photos/cat.jpg --expires 600 --region eu-west-1
  libpresign s3://data/report.csv --endpoint http://localhost:9000 --provider minio

credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the provider's default.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="libpresign",
        description="Print a presigned GET URL for an S3 object.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("uri", help="the object, as s3://bucket/key")
    parser.add_argument("--expires", type=int, default=3600, help="seconds the URL stays valid (1..604800)")
    parser.add_argument("--region", help="the bucket's region")
    parser.add_argument("--endpoint", help="an S3-compatible service URL, e.g. http://localhost:9000")
    parser.add_argument("--provider", default="aws", help="provider profile name (default: aws)")
    build = "compiled" if COMPILED else "pure Python"
    parser.add_argument("--version", action="version", version=f"libpresign {__version__} ({build} core)")
    return parser


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` → ``(bucket, key)``; the key is kept exactly, slashes and all."""
    if not uri.startswith("s3://"):
        raise PresignError(f"expected an s3://bucket/key URI, got {uri!r}")
    bucket, slash, key = uri[len("s3://") :].partition("/")
    if not bucket or not slash or not key:
        raise PresignError(f"expected an s3://bucket/key URI with a bucket and a key, got {uri!r}")
    return bucket, key


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    env = os.environ if environ is None else environ
    access_key_id = env.get("AWS_ACCESS_KEY_ID")
    secret_access_key = env.get("AWS_SECRET_ACCESS_KEY")
    if not access_key_id or not secret_access_key:
        print(
            "libpresign: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment",
            file=sys.stderr,
        )
        return EXIT_USAGE
    region = args.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    try:
        bucket, key = split_s3_uri(args.uri)
        presigner = Presigner(
            access_key_id,
            secret_access_key,
            session_token=env.get("AWS_SESSION_TOKEN") or None,
            region=region,
            endpoint=args.endpoint,
            provider=args.provider,
        )
        url = presigner.get(key, bucket=bucket, expires=args.expires)
    except (PresignError, PresignTypeError) as exc:
        print(f"libpresign: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(url)
    return 0
