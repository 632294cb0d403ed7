"""Any S3-compatible server at a given endpoint, with the loosest bucket names.

This is what ``libpresign.get(..., endpoint=...)`` uses: the original libpresign
accepted any bucket its caller had, so only names that could not be one path segment
are refused.
"""

from __future__ import annotations

from libpresign.buckets import path_segment_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="s3",
    title="S3-compatible service",
    addressing="path",
    default_region="us-east-1",
    bucket_rule=path_segment_bucket_problem,
)
