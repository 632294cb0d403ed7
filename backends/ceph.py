"""Ceph Object Gateway (RGW): a self-hosted server, path-style at its endpoint.

Virtual-hosted URLs need ``rgw_dns_name`` and a wildcard certificate on the server; ask
for them with ``addressing="virtual"``. The region is the zonegroup's name; with one
zonegroup ``us-east-1`` (what S3 clients send by default) is the unconfirmed default.
RGW listens on port 7480 unless configured otherwise. https://docs.ceph.com/en/latest/radosgw/s3/
"""

from __future__ import annotations

from libpresign.buckets import path_segment_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="ceph",
    title="Ceph Object Gateway",
    addressing="path",
    default_region="us-east-1",
    # Zonegroup names are chosen by the operator and need not look like AWS regions.
    region_pattern=r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
    region_help="the zonegroup name: letters, digits, '.', '_' and '-' (1 to 64 characters)",
    # rgw_relaxed_s3_bucket_names allows names beyond the DNS rules.
    bucket_rule=path_segment_bucket_problem,
)
