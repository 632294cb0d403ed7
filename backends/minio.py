"""MinIO: a self-hosted server, reached path-style at the endpoint you run it on.

Virtual-hosted URLs need ``MINIO_DOMAIN`` on the server; ask for them with
``addressing="virtual"``. https://min.io/docs/minio/linux/reference/minio-server/settings/core.html
"""

from __future__ import annotations

from libpresign.buckets import s3_compatible_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="minio",
    title="MinIO",
    addressing="path",
    # MinIO's own default region; a server without one configured accepts any.
    default_region="us-east-1",
    bucket_rule=s3_compatible_bucket_problem,
)
