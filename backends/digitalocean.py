"""DigitalOcean Spaces: one host per datacenter slug (nyc3, ams3, ...).

Dotted names work only path-style under https (the wildcard certificate does not
match them). https://docs.digitalocean.com/products/spaces/details/limits/
"""

from __future__ import annotations

from libpresign.buckets import s3_compatible_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="digitalocean",
    title="DigitalOcean Spaces",
    virtual_host="{bucket}.{region}.digitaloceanspaces.com",
    path_host="{region}.digitaloceanspaces.com",
    addressing="auto",
    regions=frozenset({"nyc3", "ams3", "sfo2", "sfo3", "sgp1", "lon1", "fra1", "tor1", "blr1", "syd1", "atl1"}),
    bucket_rule=s3_compatible_bucket_problem,
)
