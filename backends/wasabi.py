"""Wasabi: path-style on the regional host (Wasabi's recommendation), closed region list.

us-east-1 also answers at the older ``s3.wasabisys.com``, the host its virtual-hosted
URLs use; legacy aliases such as ``s3.nl-1.wasabisys.com`` are not regions.
"""

from __future__ import annotations

from libpresign.buckets import s3_compatible_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="wasabi",
    title="Wasabi",
    virtual_host="{bucket}.s3.{region}.wasabisys.com",
    path_host="s3.{region}.wasabisys.com",
    region_virtual_hosts={"us-east-1": "{bucket}.s3.wasabisys.com"},
    addressing="path",
    # No default: a bucket lives in one region and a wrong one fails only when clicked.
    regions=frozenset(
        {
            "us-east-1", "us-east-2", "us-central-1", "us-west-1", "us-west-2", "ca-central-1",
            "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1",
            "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
        }
    ),
    bucket_rule=s3_compatible_bucket_problem,
)
