"""Backblaze B2 through its S3-compatible API: https only, SigV4 only.

The region is part of the bucket's endpoint, e.g. ``s3.us-west-004.backblazeb2.com``.
https://www.backblaze.com/apidocs/introduction-to-the-s3-compatible-api
"""

from __future__ import annotations

from libpresign.buckets import b2_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="backblaze",
    title="Backblaze B2",
    virtual_host="{bucket}.s3.{region}.backblazeb2.com",
    path_host="s3.{region}.backblazeb2.com",
    addressing="auto",
    schemes=frozenset({"https"}),
    bucket_rule=b2_bucket_problem,
)
