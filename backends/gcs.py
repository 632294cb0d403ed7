"""Google Cloud Storage through its XML API, with HMAC keys (access ids start with GOOG).

GCS accepts SigV4 (``AWS4-HMAC-SHA256``, ``X-Amz-*``) and URLs valid up to 7 days.
It is not known to check the region; ``auto`` is the common choice and the default.
https://cloud.google.com/storage/docs/aws-simple-migration
"""

from __future__ import annotations

from libpresign.buckets import gcs_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="gcs",
    title="Google Cloud Storage",
    virtual_host="{bucket}.storage.googleapis.com",
    path_host="storage.googleapis.com",
    addressing="auto",
    default_region="auto",
    bucket_rule=gcs_bucket_problem,
)
