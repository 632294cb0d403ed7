"""Object keys that HTTP clients rewrite before sending.

S3 signs the path exactly as given, but browsers, ``requests``/``urllib3`` and many
proxies normalise ``/./`` and ``/../`` away and some fold ``//``: the request then no
longer matches its signature. Such keys are signed as given unless ``strict_keys=True``.
"""

from __future__ import annotations

from libpresign.errors import PresignError, rejected_key

__all__ = ["rewritten_key_problem"]


def rewritten_key_problem(key: str) -> str | None:
    """Why an HTTP client might rewrite ``key``'s path, or ``None``."""
    if key.startswith("/"):
        return "starts with '/', which makes the URL path begin with '//' that clients may fold into one"
    if "//" in key:
        return "contains '//', which some clients and proxies fold into '/'"
    for segment in key.split("/"):
        if segment in (".", ".."):
            return f"has a {segment!r} path segment, which browsers and HTTP libraries resolve away"
    return None


def check_strict_key(key: object, index: int = -1) -> None:
    """Refuse keys whose URL a client would rewrite (``strict_keys=True``). ``index`` is
    the key's position in a batch, or -1 for a single key."""
    if isinstance(key, str):
        problem = rewritten_key_problem(key)
        if problem is not None:
            raise rejected_key(
                PresignError,
                index,
                f"{key!r} {problem}; the rewritten request would fail with SignatureDoesNotMatch "
                "(strict_keys=True refuses such keys; rename the object or sign with strict_keys=False)",
            )
