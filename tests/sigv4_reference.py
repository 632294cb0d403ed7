"""An independent, deliberately plain SigV4 query-signature checker for tests.

Written straight from the specification with the standard library, sharing no code
with libpresign: it parses a URL back and recomputes the signature.
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote, unquote, urlsplit


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def expected_signature(
    url: str, secret_access_key: str, headers: Mapping[str, str] | None = None, method: str = "GET"
) -> str:
    """Recompute the X-Amz-Signature a server would expect for ``url``."""
    parts = urlsplit(url)
    pairs = [pair.split("=", 1) for pair in parts.query.split("&")]
    params = [(unquote(name), unquote(value)) for name, value in pairs]
    given = dict(params)
    encoded = sorted(
        (quote(name, safe="-_.~"), quote(value, safe="-_.~")) for name, value in params if name != "X-Amz-Signature"
    )
    canonical_query = "&".join(f"{name}={value}" for name, value in encoded)
    all_headers = {"host": parts.netloc, **{k.lower(): v for k, v in (headers or {}).items()}}
    signed = given["X-Amz-SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{all_headers[name].strip()}\n" for name in signed)
    canonical_request = "\n".join(
        [method, parts.path, canonical_query, canonical_headers, given["X-Amz-SignedHeaders"], "UNSIGNED-PAYLOAD"]
    )
    _, date, region, service, _ = given["X-Amz-Credential"].split("/")[-5:]
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", given["X-Amz-Date"], scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = _hmac(("AWS4" + secret_access_key).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def signature_of(url: str) -> str:
    """The X-Amz-Signature value in ``url``."""
    return url.rsplit("X-Amz-Signature=", 1)[1]
