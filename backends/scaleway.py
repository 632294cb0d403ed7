"""Scaleway Object Storage: one host per region (fr-par, nl-ams, pl-waw)."""

from __future__ import annotations

from libpresign.buckets import s3_compatible_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="scaleway",
    title="Scaleway Object Storage",
    virtual_host="{bucket}.s3.{region}.scw.cloud",
    path_host="s3.{region}.scw.cloud",
    addressing="auto",
    regions=frozenset({"fr-par", "nl-ams", "pl-waw"}),
    bucket_rule=s3_compatible_bucket_problem,
)
