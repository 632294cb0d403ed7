"""Amazon S3: regional virtual-hosted hosts, path-style for names that are not DNS labels.

https://docs.aws.amazon.com/general/latest/gr/s3.html
"""

from __future__ import annotations

from libpresign.buckets import aws_bucket_problem
from libpresign.profiles import Profile

PROFILE = Profile(
    name="aws",
    title="Amazon S3",
    # Regional hosts everywhere: the legacy global host answers 307 (breaking CORS
    # preflights) or 400 for buckets outside us-east-1.
    virtual_host="{bucket}.s3.{region}.amazonaws.com",
    path_host="s3.{region}.amazonaws.com",
    addressing="auto",
    default_region="us-east-1",
    bucket_rule=aws_bucket_problem,
)
