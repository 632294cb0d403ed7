"""Amazon S3: regional hosts in every partition, with FIPS, dual-stack and Transfer
Acceleration variants.

https://docs.aws.amazon.com/general/latest/gr/s3.html
"""

from __future__ import annotations

from libpresign.buckets import aws_bucket_problem
from libpresign.profiles import AwsProfile, Option, Partition

PROFILE = AwsProfile(
    name="aws",
    title="Amazon S3",
    # Regional hosts everywhere: the legacy global host answers 307 (breaking CORS
    # preflights) or 400 for buckets outside us-east-1.
    virtual_host="{bucket}.s3{fips}{dualstack}.{region}.{domain}",
    path_host="s3{fips}{dualstack}.{region}.{domain}",
    accelerate_host="{bucket}.s3-accelerate{dualstack}.amazonaws.com",
    addressing="auto",
    # Kept from libpresign 1.x, whose get() signed for us-east-1 without a region.
    default_region="us-east-1",
    bucket_rule=aws_bucket_problem,
    options=(
        Option(name="dualstack", help="IPv4 and IPv6 hosts (s3.dualstack.REGION)", flag=True, host_text=".dualstack"),
        # FIPS also constrains an explicit endpoint (https only), so it may be combined with one.
        Option(name="fips", help="FIPS 140 validated hosts (s3-fips.REGION)", flag=True, host_text="-fips", with_endpoint=True),
        Option(name="accelerate", help="Transfer Acceleration (BUCKET.s3-accelerate.amazonaws.com)", flag=True),
    ),
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-fips.html (no FIPS in China).
    fips_regions=frozenset(
        {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1", "us-gov-east-1", "us-gov-west-1"}
    ),
    # Region prefixes and DNS suffixes as in botocore's partitions.json. Transfer
    # Acceleration exists only in the commercial partition: not in China, and "not
    # available in the AWS GovCloud (US) Regions" (govcloud-us/latest/UserGuide/govcloud-s3.html).
    partitions=(
        Partition(name="aws-cn", title="AWS China", region_prefix="cn-", domain="amazonaws.com.cn"),
        Partition(name="aws-us-gov", title="AWS GovCloud (US)", region_prefix="us-gov-", domain="amazonaws.com"),
        Partition(name="aws-eusc", title="AWS European Sovereign Cloud", region_prefix="eusc-", domain="amazonaws.eu"),
        Partition(name="aws-iso", title="AWS ISO (US)", region_prefix="us-iso-", domain="c2s.ic.gov"),
        Partition(name="aws-iso-b", title="AWS ISOB (US)", region_prefix="us-isob-", domain="sc2s.sgov.gov"),
        Partition(name="aws-iso-e", title="AWS ISOE (Europe)", region_prefix="eu-isoe-", domain="cloud.adc-e.uk"),
        Partition(name="aws-iso-f", title="AWS ISOF", region_prefix="us-isof-", domain="csp.hci.ic.gov"),
        Partition(name="aws", title="AWS", region_prefix="", domain="amazonaws.com", accelerate=True),
    ),
)
