"""Acme Object Storage, a made-up S3-compatible service: one host per zone."""

from __future__ import annotations

from libpresign import Profile
from libpresign.buckets import s3_compatible_bucket_problem

__all__ = ["PROFILE"]

PROFILE = Profile(
    name="acme",
    title="Acme Object Storage",
    virtual_host="{bucket}.{region}.acme-storage.example",
    path_host="{region}.acme-storage.example",
    addressing="auto",
    regions=frozenset({"zone-1", "zone-2"}),
    bucket_rule=s3_compatible_bucket_problem,
)
