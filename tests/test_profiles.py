"""Profiles: options, regions, host templates, and the errors for settings that clash."""

from __future__ import annotations

import pickle
import re
from typing import Any

import botocore.loaders
import pytest

from libpresign import Presigner, PresignError, PresignTypeError, Profile
from libpresign.endpoints import parse_endpoint
from libpresign.profiles import AwsProfile, Option, Partition
from libpresign.providers import get_provider, known_providers

ACCOUNT = "0123456789abcdef0123456789abcdef"


def url(**settings: Any) -> str:
    """The URL of key ``k``, signed at a fixed time."""
    settings.setdefault("bucket", "my-bucket")
    return Presigner("AKIDEXAMPLE", "secret", clock=lambda: 0, **settings).get("k")


def host(**settings: Any) -> str:
    return url(**settings).split("/")[2]


# --- options ---------------------------------------------------------------------


def test_flags_take_only_bools() -> None:
    option = Option(name="dualstack", help="IPv6", flag=True, host_text=".dualstack")
    assert option.check(True, "aws") is True and option.check(False, "aws") is False
    with pytest.raises(PresignTypeError, match="dualstack must be True or False, not int"):
        option.check(1, "aws")
    assert option.host_value(True) == ".dualstack" and option.host_value(False) == ""


def test_string_options_check_choices_and_patterns() -> None:
    region_like = Option(name="jurisdiction", help="a jurisdiction", choices=frozenset({"eu", "fedramp"}), host_text=".{}")
    assert region_like.check(None, "r2") is None
    assert region_like.host_value("eu") == ".eu" and region_like.host_value(None) == ""
    with pytest.raises(PresignError, match=r"jurisdiction must be one of 'eu', 'fedramp' for provider 'r2', got 'us'"):
        region_like.check("us", "r2")
    account = Option(name="account_id", help="32 hex digits", pattern="[0-9a-f]{32}")
    with pytest.raises(PresignError, match="account_id must be 32 hex digits, got 'abc'"):
        account.check("abc", "r2")
    with pytest.raises(PresignTypeError, match=r"account_id must be a str \(32 hex digits\), not bytes"):
        account.check(b"abc", "r2")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"name": "region", "help": "x"}, "option name must be a lowercase identifier"),
        ({"name": "Tenant", "help": "x"}, "option name must be a lowercase identifier"),
        ({"name": "on", "help": "x", "flag": True, "pattern": "x"}, "is a flag"),
    ],
)
def test_bad_option_definitions(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(PresignError, match=message):
        Option(**settings)


def test_unknown_and_unset_options() -> None:
    with pytest.raises(PresignTypeError, match="unexpected option acount_id for provider 'r2'; it accepts: account_id, jurisdiction"):
        url(provider="r2", acount_id=ACCOUNT)
    with pytest.raises(PresignTypeError, match="unexpected option fips for provider 'wasabi'; it accepts: none"):
        url(provider="wasabi", region="eu-west-1", fips=True)
    profile = get_provider("aws")
    assert profile.check_options({"fips": False, "dualstack": True}) == {"dualstack": True}
    assert get_provider("r2").check_options({"account_id": ACCOUNT, "jurisdiction": None}) == {"account_id": ACCOUNT}


# --- profile definitions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"virtual_host": "{bucket}.{zone}.example"}, r"may use only \{bucket\}, \{region\}"),
        ({"virtual_host": "{region}.example"}, r"must contain \{bucket\}"),
        ({"path_host": "{bucket}.example"}, r"must not contain \{bucket\}"),
        ({"region_virtual_hosts": {"r1": "r1.example"}}, r"must contain \{bucket\}"),
        ({"addressing": "sideways"}, "addressing must be one of"),
        ({"schemes": frozenset({"ftp"})}, "schemes must be"),
        ({"schemes": frozenset()}, "schemes must be"),
        ({"methods": frozenset({"PATCH"})}, "methods must be among"),
        ({"options": (Option(name="a", help="x"), Option(name="a", help="y"))}, "option names must be unique"),
        ({"regions": frozenset({"r1"}), "default_region": "r2"}, "'r2' is not a Test region"),
        ({"default_region": "Not A Region"}, "region must be lowercase"),
    ],
)
def test_profile_definitions_are_checked_when_made(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(PresignError, match=message):
        Profile(name="test", title="Test", **settings)


def test_a_plugin_profile_with_its_own_option() -> None:
    profile = Profile(
        name="acme",
        title="Acme Storage",
        virtual_host="{bucket}.{tenant}.{region}.acme.example",
        path_host="{tenant}.{region}.acme.example",
        default_region="zone-a",
        options=(Option(name="tenant", help="your tenant name, lowercase letters", pattern="[a-z]+", required=True),),
    )
    assert host(provider=profile, tenant="blue") == "my-bucket.blue.zone-a.acme.example"
    assert url(provider=profile, tenant="blue", addressing="path").startswith("https://blue.zone-a.acme.example/my-bucket/k?")
    with pytest.raises(PresignError, match=r"needs tenant= \(your tenant name, lowercase letters\) to build its host"):
        url(provider=profile)
    with pytest.raises(PresignError, match="tenant= chooses the Acme Storage host, but endpoint= gives the host"):
        url(provider=profile, tenant="blue", endpoint="https://acme.internal")
    assert url(provider=profile, endpoint="https://acme.internal").startswith("https://acme.internal/my-bucket/k?")


def test_a_default_addressing_without_its_host_is_reported() -> None:
    profile = Profile(name="vonly", title="V", virtual_host="{bucket}.v.example", addressing="path", default_region="r")
    with pytest.raises(PresignError, match="has no path URLs here: use addressing='virtual'"):
        url(provider=profile)
    assert host(provider=profile, addressing="virtual") == "my-bucket.v.example"
    with pytest.raises(PresignError, match="has no path-style URLs here: use addressing='virtual'"):
        url(provider=profile, addressing="path")


def test_auto_falls_back_to_the_only_host_there_is() -> None:
    path_only = Profile(name="ponly", title="P", path_host="p.example", default_region="r")
    assert url(provider=path_only, addressing="auto").startswith("https://p.example/my-bucket/k?")


# --- regions -----------------------------------------------------------------------


def test_closed_region_lists() -> None:
    with pytest.raises(PresignError, match="region 'eu-central-9' is not a Wasabi region; known regions: ap-northeast-1, "):
        url(provider="wasabi", region="eu-central-9")
    with pytest.raises(PresignError, match="region 'nyc1' is not a DigitalOcean Spaces region; known regions: ams3, atl1"):
        url(provider="digitalocean", region="nyc1")
    with pytest.raises(PresignError, match="region 'fr-lyo' is not a Scaleway Object Storage region"):
        url(provider="scaleway", region="fr-lyo")


@pytest.mark.parametrize("provider", ["wasabi", "digitalocean", "scaleway", "backblaze", "linode"])
def test_region_is_required_where_there_is_no_safe_default(provider: str) -> None:
    with pytest.raises(PresignError, match=f"region is required for provider '{provider}'"):
        url(provider=provider)


def test_required_region_message_lists_a_closed_list() -> None:
    with pytest.raises(PresignError, match=r"pass region=, one of: fr-par, nl-ams, pl-waw$"):
        url(provider="scaleway")


@pytest.mark.parametrize(
    ("provider", "region"),
    [("aws", "us-east-1"), ("minio", "us-east-1"), ("r2", "auto"), ("gcs", "auto"), ("ceph", "us-east-1"), ("s3", "us-east-1")],
)
def test_default_regions(provider: str, region: str) -> None:
    settings: dict[str, Any] = {"account_id": ACCOUNT} if provider == "r2" else {}
    if provider in ("minio", "ceph", "s3"):
        settings["endpoint"] = "http://localhost:9000"
    assert f"%2F{region}%2Fs3%2F" in url(provider=provider, **settings)


def test_r2_region_is_auto_or_its_alias() -> None:
    assert "%2Fus-east-1%2Fs3%2F" in url(provider="r2", account_id=ACCOUNT, region="us-east-1")
    with pytest.raises(PresignError, match="region 'eu-west-1' is not a Cloudflare R2 region; known regions: auto, us-east-1"):
        url(provider="r2", account_id=ACCOUNT, region="eu-west-1")


def test_ceph_zonegroups_may_have_other_shapes() -> None:
    assert "%2FZone_Group.2%2Fs3%2F" in url(provider="ceph", region="Zone_Group.2", endpoint="http://rgw:7480")
    with pytest.raises(PresignError, match="region must be the zonegroup name"):
        url(provider="ceph", region="zone group", endpoint="http://rgw:7480")
    with pytest.raises(PresignError, match="region must be lowercase letters"):
        url(provider="aws", region="Zone_Group")


def test_no_pattern_lets_a_slash_into_the_credential_scope() -> None:
    loose = Profile(name="loose", title="Loose", path_host="loose.example", region_pattern=".+", region_help="anything")
    assert loose.region_for("Any.Thing_1") == "Any.Thing_1"
    for bad in ("a/b", "a b", "é"):
        with pytest.raises(PresignError, match="region must be anything"):
            loose.region_for(bad)


# --- endpoints, schemes and addressing ---------------------------------------------------


def test_explicit_endpoint_overrides_the_profile_host() -> None:
    assert host(provider="wasabi", region="eu-west-1", endpoint="https://wasabi-proxy.internal:8443") == (
        "wasabi-proxy.internal:8443"
    )
    assert host(provider="gcs", endpoint="https://gcs.internal", addressing="virtual") == "my-bucket.gcs.internal"


def test_backblaze_is_https_only() -> None:
    with pytest.raises(PresignError, match=r"endpoint must use https for provider 'backblaze' \(Backblaze B2\), got 'http'"):
        url(provider="backblaze", region="us-west-004", endpoint="http://s3.us-west-004.backblazeb2.com")


@pytest.mark.parametrize("provider", ["minio", "ceph", "s3"])
def test_self_hosted_servers_need_an_endpoint(provider: str) -> None:
    with pytest.raises(PresignError, match=f"provider '{provider}' .* has no public host: pass endpoint="):
        url(provider=provider)


def test_r2_needs_an_account_or_an_endpoint() -> None:
    with pytest.raises(PresignError, match=r"provider 'r2' \(Cloudflare R2\) needs account_id= \(your Cloudflare account ID"):
        url(provider="r2")
    with pytest.raises(PresignError, match="account_id must be your Cloudflare account ID, 32 lowercase hexadecimal digits"):
        url(provider="r2", account_id="my-account")
    with pytest.raises(PresignError, match="jurisdiction= chooses the Cloudflare R2 host, but endpoint= gives the host"):
        url(provider="r2", jurisdiction="eu", endpoint=f"https://{ACCOUNT}.eu.r2.cloudflarestorage.com")


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9000", "https://[::1]:9000"])
def test_ip_address_endpoints_are_path_style(endpoint: str) -> None:
    assert url(provider="minio", endpoint=endpoint, addressing="auto").startswith(f"{endpoint}/my-bucket/k?")
    with pytest.raises(PresignError, match="is an IP address, which cannot take the bucket as a host label"):
        url(provider="minio", endpoint=endpoint, addressing="virtual")


def test_dotted_buckets_cannot_be_virtual_under_https() -> None:
    with pytest.raises(PresignError, match="cannot be used with addressing='virtual': a dotted name does not match"):
        url(provider="scaleway", region="fr-par", bucket="my.bucket", addressing="virtual")
    assert host(provider="scaleway", region="fr-par", bucket="my.bucket", addressing="auto") == "s3.fr-par.scw.cloud"


# --- AWS variants --------------------------------------------------------------------------


def test_accelerate_needs_a_dotless_dns_name() -> None:
    with pytest.raises(PresignError, match="bucket 'my.bucket' cannot use Transfer Acceleration.*drop accelerate=True"):
        url(provider="aws", region="eu-west-1", bucket="my.bucket", accelerate=True)
    presigner = Presigner("AKIDEXAMPLE", "secret", region="us-east-1", accelerate=True)
    assert presigner.get("k", bucket="fast-bucket").startswith("https://fast-bucket.s3-accelerate.amazonaws.com/k?")
    with pytest.raises(PresignError, match="bucket 'Legacy_Bucket' cannot use Transfer Acceleration"):
        presigner.get("k", bucket="Legacy_Bucket")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"region": "eu-west-1", "fips": True}, "no FIPS endpoint in region 'eu-west-1'; FIPS endpoints exist in ca-central-1"),
        ({"region": "cn-north-1", "fips": True}, "no FIPS endpoint in region 'cn-north-1'"),
        ({"region": "us-east-1", "fips": True, "endpoint": "http://s3-fips.example"}, "FIPS endpoints are https only"),
        ({"region": "us-east-1", "fips": True, "accelerate": True}, "pass accelerate=True or fips=True, not both"),
        ({"region": "cn-north-1", "accelerate": True}, r"not available in AWS China \(region 'cn-north-1'\)"),
        ({"region": "us-gov-west-1", "accelerate": True}, r"not available in AWS GovCloud \(US\)"),
        ({"region": "us-east-1", "accelerate": True, "addressing": "path"}, "Transfer Acceleration has only virtual-hosted"),
        ({"region": "us-east-1", "accelerate": True, "endpoint": "https://s3.example"}, "accelerate= chooses the Amazon S3 host"),
        ({"region": "us-east-1", "dualstack": True, "endpoint": "https://s3.example"}, "dualstack= chooses the Amazon S3 host"),
    ],
)
def test_aws_combinations_that_cannot_work(settings: dict[str, Any], message: str) -> None:
    # Without a bucket the check may come at the first URL; with one, at construction.
    with pytest.raises(PresignError, match=message):
        Presigner("AKIDEXAMPLE", "secret", clock=lambda: 0, **settings).get("k", bucket="my-bucket")
    with pytest.raises(PresignError, match=message):
        url(**settings)


def test_fips_accepts_an_https_endpoint_of_its_own() -> None:
    assert host(region="us-gov-west-1", fips=True, endpoint="https://vpce-1.s3-fips.us-gov-west-1.vpce.example") == (
        "vpce-1.s3-fips.us-gov-west-1.vpce.example"
    )


def test_aws_partitions_agree_with_botocore() -> None:
    # botocore ships the partition table AWS SDKs share; every region it lists must
    # map to the same DNS suffix here.
    data = botocore.loaders.create_loader().load_data("partitions")
    aws = get_provider("aws")
    assert isinstance(aws, AwsProfile)
    checked = 0
    for partition in data["partitions"]:
        for region in partition["regions"]:
            if region.endswith("-global"):
                continue
            assert re.fullmatch(partition["regionRegex"], region)
            assert aws.partition(region).domain == partition["outputs"]["dnsSuffix"], region
            assert aws.partition(region).name == partition["id"], region
            checked += 1
    assert checked > 30


def test_aws_profile_needs_a_default_partition() -> None:
    with pytest.raises(PresignError, match="the last partition must have region_prefix=''"):
        AwsProfile(
            name="aws2",
            title="AWS 2",
            partitions=(Partition(name="cn", title="China", region_prefix="cn-", domain="amazonaws.com.cn"),),
            fips_regions=frozenset(),
            accelerate_host="{bucket}.s3-accelerate.amazonaws.com",
        )


# --- methods, pickling ---------------------------------------------------------------------


def test_r2_accepts_no_post_policies() -> None:
    r2 = get_provider("r2")
    r2.check_method("PUT")
    with pytest.raises(PresignError, match="Cloudflare R2 does not accept presigned POST requests; it accepts: DELETE, GET, HEAD, PUT"):
        r2.check_method("POST")
    get_provider("aws").check_method("POST")


@pytest.mark.parametrize("name", known_providers())
def test_every_profile_pickles(name: str) -> None:
    profile = get_provider(name)
    copy = pickle.loads(pickle.dumps(profile))
    assert copy == profile and type(copy) is type(profile)


def test_a_presigner_with_provider_options_pickles() -> None:
    # A module-level clock: the Presigner pickles its clock with it.
    fixed = Presigner(
        "AKIDEXAMPLE", "secret", provider="r2", account_id=ACCOUNT, jurisdiction="eu", bucket="my-bucket", clock=_epoch
    )
    copy = pickle.loads(pickle.dumps(fixed))
    assert copy.get("k") == fixed.get("k")
    assert copy.get("k").startswith(f"https://{ACCOUNT}.eu.r2.cloudflarestorage.com/my-bucket/k?")


def _epoch() -> float:
    return 0.0


def test_locate_keeps_the_endpoints_port_and_prefix() -> None:
    endpoint = parse_endpoint("https://Ceph.Example:8443/s3/")
    location = get_provider("ceph").locate(
        bucket="b1", region="us-east-1", endpoint=endpoint, addressing=None, options={}
    )
    assert (location.scheme, location.host, location.path_prefix) == ("https", "ceph.example:8443", "/s3/b1")
