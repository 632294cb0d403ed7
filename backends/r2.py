"""Cloudflare R2: path-style on the account's S3 API host, region ``auto``.

Presigned URLs work only on the S3 API domain (not on custom domains) and only for
GET, HEAD, PUT and DELETE. https://developers.cloudflare.com/r2/api/s3/presigned-urls/
"""

from __future__ import annotations

from libpresign.buckets import r2_bucket_problem
from libpresign.profiles import Option, Profile

PROFILE = Profile(
    name="r2",
    title="Cloudflare R2",
    virtual_host="{bucket}.{account_id}{jurisdiction}.r2.cloudflarestorage.com",
    path_host="{account_id}{jurisdiction}.r2.cloudflarestorage.com",
    addressing="path",
    # R2 has one region, "auto"; it accepts "us-east-1" as an alias.
    default_region="auto",
    regions=frozenset({"auto", "us-east-1"}),
    bucket_rule=r2_bucket_problem,
    options=(
        Option(
            name="account_id",
            help="your Cloudflare account ID, 32 lowercase hexadecimal digits",
            pattern="[0-9a-f]{32}",
            required=True,
        ),
        Option(
            name="jurisdiction",
            help="where the bucket's data is kept: 'eu' or 'fedramp' (unset: default jurisdiction)",
            choices=frozenset({"eu", "fedramp"}),
            host_text=".{}",
        ),
    ),
    methods=frozenset({"GET", "HEAD", "PUT", "DELETE"}),
)
