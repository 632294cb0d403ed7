"""Every built-in provider: where its URLs point, and that botocore signs them the same.

The expected URL prefixes are written by hand from ``shared/PROVIDERS.md`` (the host
templates each provider documents), not computed from the profiles. botocore is then
configured with the endpoint, region and addressing style each expected URL implies
and must produce the same URL byte for byte. For AWS's own hosts, botocore's endpoint
resolver (without ``endpoint_url``) is a second, independent source. No network.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import pytest

import libpresign
from libpresign import Presigner, known_providers
from libpresign.providers import backends_directory
from botocore_support import ClientSettings, reference_get_url, sent_url
from sigv4_reference import expected_signature, signature_of
from strategies import Credentials

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SIGNED_AT = 1_700_000_123  # 2023-11-14T22:15:23Z
KEY = "photos/2024/cat 1+2.jpg"
ENCODED_KEY = "photos/2024/cat%201%2B2.jpg"
ACCOUNT = "0123456789abcdef0123456789abcdef"
CREDENTIALS = Credentials(AKID, SECRET, None)

Style = Literal["virtual", "path"]


@dataclass(frozen=True)
class Case:
    """One provider setting and the URL it must give, up to the object key."""

    provider: str
    bucket: str
    base: str
    """``scheme://host[/prefix][/bucket]``: the URL before ``/`` + the encoded key."""
    style: Style
    """Where the bucket is in ``base``: in the host or in the path."""
    scope: str
    """The region the credential scope must name."""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        extras = ",".join(f"{name}={value}" for name, value in self.options.items())
        return f"{self.provider}:{self.bucket}:{extras}"

    def endpoint_url(self) -> str:
        """The service URL botocore needs to put this bucket where ``base`` has it."""
        parts = urlsplit(self.base)
        if self.style == "virtual":
            assert parts.netloc.startswith(self.bucket + ".")
            return f"{parts.scheme}://{parts.netloc[len(self.bucket) + 1:]}{parts.path}"
        assert parts.path.endswith("/" + self.bucket)
        return f"{parts.scheme}://{parts.netloc}{parts.path[: -len(self.bucket) - 1]}"


def case(provider: str, bucket: str, base: str, style: Style, scope: str, **options: Any) -> Case:
    return Case(provider, bucket, base, style, scope, options)


CASES = [
    # Amazon S3: regional hosts; names that are not DNS labels go path-style.
    case("aws", "my-bucket", "https://my-bucket.s3.eu-west-1.amazonaws.com", "virtual", "eu-west-1", region="eu-west-1"),
    case("aws", "my.bucket", "https://s3.eu-west-1.amazonaws.com/my.bucket", "path", "eu-west-1", region="eu-west-1"),
    case("aws", "my-bucket", "https://s3.us-east-1.amazonaws.com/my-bucket", "path", "us-east-1", addressing="path"),
    case("aws", "Legacy_Bucket", "https://s3.us-east-1.amazonaws.com/Legacy_Bucket", "path", "us-east-1", region="us-east-1"),
    case("aws", "my-bucket", "https://my-bucket.s3.dualstack.us-west-2.amazonaws.com", "virtual", "us-west-2",
         region="us-west-2", dualstack=True),
    case("aws", "my-bucket", "https://my-bucket.s3-fips.us-east-2.amazonaws.com", "virtual", "us-east-2",
         region="us-east-2", fips=True),
    case("aws", "my-bucket", "https://s3-fips.dualstack.ca-west-1.amazonaws.com/my-bucket", "path", "ca-west-1",
         region="ca-west-1", fips=True, dualstack=True, addressing="path"),
    case("aws", "my-bucket", "https://my-bucket.s3-accelerate.amazonaws.com", "virtual", "eu-central-1",
         region="eu-central-1", accelerate=True),
    case("aws", "my-bucket", "https://my-bucket.s3-accelerate.dualstack.amazonaws.com", "virtual", "ap-south-1",
         region="ap-south-1", accelerate=True, dualstack=True),
    case("aws", "my-bucket", "https://my-bucket.s3.cn-north-1.amazonaws.com.cn", "virtual", "cn-north-1",
         region="cn-north-1"),
    case("aws", "my-bucket", "https://s3.dualstack.cn-northwest-1.amazonaws.com.cn/my-bucket", "path", "cn-northwest-1",
         region="cn-northwest-1", dualstack=True, addressing="path"),
    case("aws", "my-bucket", "https://my-bucket.s3.us-gov-west-1.amazonaws.com", "virtual", "us-gov-west-1",
         region="us-gov-west-1"),
    case("aws", "my.bucket", "https://s3-fips.us-gov-east-1.amazonaws.com/my.bucket", "path", "us-gov-east-1",
         region="us-gov-east-1", fips=True),
    # The AWS documentation's example host: the legacy global endpoint, asked for explicitly.
    case("aws", "my-bucket", "https://my-bucket.s3.amazonaws.com", "virtual", "us-east-1",
         endpoint="https://s3.amazonaws.com", addressing="virtual"),
    case("aws", "my-bucket", "http://localhost:4566/my-bucket", "path", "eu-west-1",
         region="eu-west-1", endpoint="http://localhost:4566"),
    case("aws", "my-bucket", "https://s3-fips.us-east-1.amazonaws.com/my-bucket", "path", "us-east-1",
         endpoint="https://s3-fips.us-east-1.amazonaws.com", fips=True),
    # MinIO: path-style on the server's own endpoint, ports and prefixes kept.
    case("minio", "my-bucket", "http://localhost:9000/my-bucket", "path", "us-east-1", endpoint="http://localhost:9000"),
    case("minio", "my-bucket", "https://minio.example.com:9443/base/my-bucket", "path", "us-east-1",
         endpoint="https://minio.example.com:9443/base/"),
    case("minio", "my-bucket", "https://minio.example.com/my-bucket", "path", "eu-north-1",
         region="eu-north-1", endpoint="https://MINIO.example.com:443"),
    case("minio", "my-bucket", "http://my-bucket.minio.local:9000", "virtual", "us-east-1",
         endpoint="http://minio.local:9000", addressing="virtual"),
    # A dotted name matches no wildcard certificate under https, but http has none.
    case("minio", "my.bucket", "http://my.bucket.minio.local:9000", "virtual", "us-east-1",
         endpoint="http://minio.local:9000", addressing="auto"),
    case("minio", "my.bucket", "https://minio.local:9000/my.bucket", "path", "us-east-1",
         endpoint="https://minio.local:9000", addressing="auto"),
    case("minio", "my-bucket", "https://my-bucket.minio.example.com:9443/base", "virtual", "us-east-1",
         endpoint="https://minio.example.com:9443/base", addressing="virtual"),
    case("minio", "my-bucket", "http://127.0.0.1:9000/my-bucket", "path", "us-east-1",
         endpoint="http://127.0.0.1:9000", addressing="auto"),
    # Wasabi: path-style on s3.{region}; us-east-1's virtual host is s3.wasabisys.com.
    case("wasabi", "my-bucket", "https://s3.eu-central-2.wasabisys.com/my-bucket", "path", "eu-central-2",
         region="eu-central-2"),
    case("wasabi", "my-bucket", "https://s3.us-east-1.wasabisys.com/my-bucket", "path", "us-east-1", region="us-east-1"),
    case("wasabi", "my-bucket", "https://my-bucket.s3.wasabisys.com", "virtual", "us-east-1",
         region="us-east-1", addressing="virtual"),
    case("wasabi", "my-bucket", "https://my-bucket.s3.ap-southeast-2.wasabisys.com", "virtual", "ap-southeast-2",
         region="ap-southeast-2", addressing="auto"),
    case("wasabi", "my.bucket", "https://s3.eu-west-3.wasabisys.com/my.bucket", "path", "eu-west-3",
         region="eu-west-3", addressing="auto"),
    # Cloudflare R2: the account's S3 API host, region auto.
    case("r2", "my-bucket", f"https://{ACCOUNT}.r2.cloudflarestorage.com/my-bucket", "path", "auto", account_id=ACCOUNT),
    case("r2", "my-bucket", f"https://my-bucket.{ACCOUNT}.r2.cloudflarestorage.com", "virtual", "auto",
         account_id=ACCOUNT, addressing="virtual"),
    case("r2", "my-bucket", f"https://{ACCOUNT}.eu.r2.cloudflarestorage.com/my-bucket", "path", "auto",
         account_id=ACCOUNT, jurisdiction="eu"),
    case("r2", "my-bucket", f"https://my-bucket.{ACCOUNT}.fedramp.r2.cloudflarestorage.com", "virtual", "auto",
         account_id=ACCOUNT, jurisdiction="fedramp", addressing="auto"),
    case("r2", "my-bucket", f"https://{ACCOUNT}.r2.cloudflarestorage.com/my-bucket", "path", "us-east-1",
         account_id=ACCOUNT, region="us-east-1"),
    case("r2", "my-bucket", f"https://{ACCOUNT}.r2.cloudflarestorage.com/my-bucket", "path", "auto",
         endpoint=f"https://{ACCOUNT}.r2.cloudflarestorage.com"),
    # Google Cloud Storage (XML API).
    case("gcs", "my-bucket", "https://my-bucket.storage.googleapis.com", "virtual", "auto"),
    case("gcs", "my.bucket", "https://storage.googleapis.com/my.bucket", "path", "auto"),
    case("gcs", "my_bucket", "https://storage.googleapis.com/my_bucket", "path", "auto"),
    case("gcs", "my-bucket", "https://storage.googleapis.com/my-bucket", "path", "us-central1",
         region="us-central1", addressing="path"),
    # DigitalOcean Spaces.
    case("digitalocean", "my-bucket", "https://my-bucket.nyc3.digitaloceanspaces.com", "virtual", "nyc3", region="nyc3"),
    case("digitalocean", "my-bucket", "https://fra1.digitaloceanspaces.com/my-bucket", "path", "fra1",
         region="fra1", addressing="path"),
    case("digitalocean", "my.bucket", "https://ams3.digitaloceanspaces.com/my.bucket", "path", "ams3", region="ams3"),
    # Backblaze B2.
    case("backblaze", "my-bucket", "https://my-bucket.s3.us-west-004.backblazeb2.com", "virtual", "us-west-004",
         region="us-west-004"),
    case("backblaze", "my-bucket", "https://s3.us-east-005.backblazeb2.com/my-bucket", "path", "us-east-005",
         region="us-east-005", addressing="path"),
    case("backblaze", "MyBucket1", "https://s3.us-west-004.backblazeb2.com/MyBucket1", "path", "us-west-004",
         region="us-west-004"),
    # Ceph RGW: self-hosted, the region is the zonegroup.
    case("ceph", "my-bucket", "http://rgw.local:7480/my-bucket", "path", "us-east-1", endpoint="http://rgw.local:7480"),
    case("ceph", "my-bucket", "https://rgw.example.com/s3/my-bucket", "path", "eu-zg",
         region="eu-zg", endpoint="https://rgw.example.com/s3"),
    case("ceph", "my-bucket", "https://my-bucket.objects.example.com", "virtual", "default",
         region="default", endpoint="https://objects.example.com", addressing="virtual"),
    case("ceph", "Ceph_Bucket", "http://rgw.local:7480/Ceph_Bucket", "path", "us-east-1", endpoint="http://rgw.local:7480"),
    # Scaleway.
    case("scaleway", "my-bucket", "https://my-bucket.s3.fr-par.scw.cloud", "virtual", "fr-par", region="fr-par"),
    case("scaleway", "my-bucket", "https://s3.nl-ams.scw.cloud/my-bucket", "path", "nl-ams",
         region="nl-ams", addressing="path"),
    case("scaleway", "my.bucket", "https://s3.pl-waw.scw.cloud/my.bucket", "path", "pl-waw", region="pl-waw"),
    # Akamai (Linode): the region is the cluster id.
    case("linode", "my-bucket", "https://my-bucket.us-east-1.linodeobjects.com", "virtual", "us-east-1",
         region="us-east-1"),
    case("linode", "my-bucket", "https://nl-ams-1.linodeobjects.com/my-bucket", "path", "nl-ams-1",
         region="nl-ams-1", addressing="path"),
    case("linode", "my.bucket", "https://us-ord-1.linodeobjects.com/my.bucket", "path", "us-ord-1", region="us-ord-1"),
]


def presigner(item: Case) -> Presigner:
    return Presigner(AKID, SECRET, provider=item.provider, bucket=item.bucket, clock=lambda: SIGNED_AT, **item.options)


def test_every_builtin_provider_has_cases() -> None:
    builtins = {path.stem for path in backends_directory().glob("*.py")}
    assert builtins <= set(known_providers())
    # "s3" is the anonymous S3-compatible profile of libpresign.get(endpoint=...),
    # covered in test_compat.py.
    assert {item.provider for item in CASES} == builtins - {"s3"}


@pytest.mark.parametrize("item", CASES, ids=lambda item: item.id)
def test_url_prefix_and_region(item: Case) -> None:
    url = presigner(item).get(KEY, expires=600)
    assert url.split("?", 1)[0] == f"{item.base}/{ENCODED_KEY}"
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Credential"] == [f"{AKID}/20231114/{item.scope}/s3/aws4_request"]
    assert signature_of(url) == expected_signature(url, SECRET)


def botocore_url(item: Case) -> str:
    reference = ClientSettings(
        region=item.scope, credentials=CREDENTIALS, addressing=item.style, endpoint_url=item.endpoint_url()
    )
    return reference_get_url(reference, bucket=item.bucket, key=KEY, expires=600, at=SIGNED_AT)


@pytest.mark.parametrize("item", CASES, ids=lambda item: item.id)
def test_signature_agrees_with_botocore(item: Case) -> None:
    assert presigner(item).get(KEY, expires=600) == botocore_url(item)


AWS_OWN_HOSTS = [item for item in CASES if item.provider == "aws" and "endpoint" not in item.options]


@pytest.mark.parametrize("item", AWS_OWN_HOSTS, ids=lambda item: item.id)
def test_aws_hosts_agree_with_botocore_endpoint_rules(item: Case) -> None:
    # A plain (not presigned) request: botocore's presigner keeps the legacy global
    # host in some regions, its request path resolves the regional endpoint rules.
    reference = ClientSettings(
        region=item.scope,
        credentials=CREDENTIALS,
        addressing=item.options.get("addressing", "auto"),
        fips=bool(item.options.get("fips")),
        dualstack=bool(item.options.get("dualstack")),
        accelerate=bool(item.options.get("accelerate")),
    )
    assert sent_url(reference, "get_object", Bucket=item.bucket, Key=KEY) == f"{item.base}/{ENCODED_KEY}"


DOCS = Path(__file__).resolve().parent.parent / "docs" / "providers.md"

# Runs each example in a fresh namespace of its own; prints the lines each one printed.
_RUN_EXAMPLES = """
import contextlib, io, json, sys
printed = []
for code in json.loads(sys.stdin.read()):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/providers.md", "exec"), {"__name__": "docs_example"})
    printed.append(out.getvalue().splitlines())
print(json.dumps(printed))
"""


def test_docs_examples_print_what_their_comments_say() -> None:
    blocks = re.findall(r"^```python\n(.*?)^```", DOCS.read_text(), flags=re.DOTALL | re.MULTILINE)
    # One per built-in provider but s3, plus the AWS options and the plugin example.
    assert len(blocks) == 12
    libpresign_root = Path(libpresign.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", _RUN_EXAMPLES],
        input=json.dumps(blocks),
        env=dict(os.environ, PYTHONPATH=str(libpresign_root)),
        cwd=DOCS.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for block, printed in zip(blocks, json.loads(result.stdout), strict=True):
        expected = [line.removeprefix("# ") for line in block.splitlines() if line.startswith("# http")]
        assert len(printed) == len(expected), block
        for line, start in zip(printed, expected, strict=True):
            assert line.startswith(start), (line, start)
