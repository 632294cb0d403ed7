"""Akamai (Linode) Object Storage: the region is the cluster id, e.g. ``us-east-1``.

Clusters are added often, so any well-formed id is accepted.
"""

from __future__ import annotations

from libpresign.buckets import s3_compatible_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="linode",
    title="Akamai Object Storage (Linode)",
    virtual_host="{bucket}.{region}.linodeobjects.com",
    path_host="{region}.linodeobjects.com",
    addressing="auto",
    bucket_rule=s3_compatible_bucket_problem,
)
