"""Provider profiles: how one S3-compatible service names hosts, regions and buckets.

A profile is data plus two small decisions (the region, the bucket's place in the URL).
Built-in profiles live in the top-level ``backends/`` folder, one module each; users
add their own with :func:`libpresign.register_provider` or an entry point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from libpresign.buckets import dns_compatible, s3_compatible_bucket_problem
from libpresign.endpoints import Addressing, Endpoint, Location
from libpresign.errors import PresignError, PresignTypeError

__all__ = ["BucketRule", "Profile"]

BucketRule = Callable[[str, str], "str | None"]

ADDRESSING_STYLES: Final = ("auto", "virtual", "path")
# Region names go into the credential scope between slashes and into host names.
_REGION_NAME: Final = re.compile(r"[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?")


@dataclass(frozen=True, kw_only=True, slots=True)
class Profile:
    """What libpresign needs to know about one provider to build its URLs.

    :param name: the ``provider=`` name, lowercase.
    :param title: the provider's name for people (used in messages and docs).
    :param virtual_host: host template for virtual-hosted URLs, with ``{bucket}`` and
        ``{region}``; ``None`` if the provider has none.
    :param path_host: host template for path-style URLs, with ``{region}``; ``None``
        when there is no public host and ``endpoint=`` is required.
    :param addressing: the default addressing style without ``endpoint=``.
    :param default_region: the region used when none is given; ``None`` makes
        ``region=`` required.
    :param regions: the closed list of valid regions, where the provider publishes one.
    :param schemes: the URL schemes the provider serves.
    :param bucket_rule: ``(bucket, region) -> problem or None``.
    :param option_names: the provider-specific keyword options ``Presigner`` accepts.
    """

    name: str
    title: str
    virtual_host: str | None = None
    path_host: str | None = None
    addressing: Addressing = "auto"
    default_region: str | None = None
    regions: frozenset[str] | None = None
    schemes: frozenset[str] = field(default=frozenset({"https", "http"}))
    bucket_rule: BucketRule = s3_compatible_bucket_problem
    option_names: frozenset[str] = field(default=frozenset())

    def check_options(self, options: Mapping[str, object]) -> dict[str, object]:
        """Validate provider-specific ``Presigner`` options (``account_id=`` for R2, ...)."""
        unknown = sorted(set(options) - self.option_names)
        if unknown:
            accepted = ", ".join(sorted(self.option_names)) or "none"
            raise PresignTypeError(
                f"unexpected option {', '.join(unknown)} for provider {self.name!r}; it accepts: {accepted}"
            )
        return dict(options)

    def region_for(self, region: object) -> str:
        """The region to sign for: the given one, validated, or the profile's default."""
        if region is None:
            if self.default_region is None:
                raise PresignError(f"region is required for provider {self.name!r} ({self.title})")
            return self.default_region
        if not isinstance(region, str):
            raise PresignTypeError(f"region must be a str such as 'us-east-1', not {type(region).__name__}")
        if _REGION_NAME.fullmatch(region) is None:
            raise PresignError(
                f"region must be lowercase letters, digits and '-' (1 to 64 characters) such as "
                f"'eu-west-1', got {region!r}"
            )
        if self.regions is not None and region not in self.regions:
            known = ", ".join(sorted(self.regions))
            raise PresignError(f"region {region!r} is not a {self.title} region; known regions: {known}")
        return region

    def check_bucket(self, bucket: object, region: str) -> str:
        """Validate ``bucket`` by this provider's naming rules and return it."""
        if not isinstance(bucket, str):
            raise PresignTypeError(f"bucket must be a str, not {type(bucket).__name__}")
        problem = self.bucket_rule(bucket, region)
        if problem is not None:
            raise PresignError(f"bucket {bucket!r} is not a valid {self.title} bucket name: it {problem}")
        return bucket

    def locate(
        self,
        *,
        bucket: str,
        region: str,
        endpoint: Endpoint | None,
        addressing: Addressing | None,
        options: Mapping[str, object],
    ) -> Location:
        """Place ``bucket`` in a URL: scheme, signed host and the path before the key.

        With ``endpoint=`` the default is path-style on that endpoint; otherwise the
        profile's own default. ``auto`` picks virtual-hosted only for buckets that are
        valid DNS labels (no dots under https).
        """
        if endpoint is None:
            if self.path_host is None and self.virtual_host is None:
                raise PresignError(
                    f"provider {self.name!r} ({self.title}) has no public host: pass endpoint=, "
                    f"for example endpoint='http://localhost:9000'"
                )
            scheme = "https" if "https" in self.schemes else "http"
            style = addressing or self.addressing
            if style == "auto":
                virtual = self.virtual_host is not None and dns_compatible(bucket, https=scheme == "https")
                style = "virtual" if virtual or self.path_host is None else "path"
            if style == "virtual":
                if self.virtual_host is None:
                    raise PresignError(f"provider {self.name!r} has no virtual-hosted URLs: use addressing='path'")
                self._check_virtual(bucket, scheme)
                return Location(scheme, self.virtual_host.format(bucket=bucket, region=region), "")
            if self.path_host is None:
                raise PresignError(f"provider {self.name!r} has no path-style URLs: use addressing='virtual'")
            return Location(scheme, self.path_host.format(region=region), "/" + bucket)
        if endpoint.scheme not in self.schemes:
            allowed = " or ".join(sorted(self.schemes))
            raise PresignError(f"endpoint must use {allowed} for provider {self.name!r}, got {endpoint.scheme!r}")
        style = addressing or "path"
        if style == "auto":
            style = "virtual" if dns_compatible(bucket, https=endpoint.scheme == "https") else "path"
        if style == "virtual":
            self._check_virtual(bucket, endpoint.scheme)
            return Location(endpoint.scheme, bucket + "." + endpoint.host, endpoint.path)
        return Location(endpoint.scheme, endpoint.host, endpoint.path + "/" + bucket)

    @staticmethod
    def _check_virtual(bucket: str, scheme: str) -> None:
        if not dns_compatible(bucket, https=scheme == "https"):
            why = (
                "a dotted name does not match the host's TLS wildcard certificate"
                if scheme == "https" and "." in bucket
                else "it is not a lowercase DNS label of 3 to 63 characters"
            )
            raise PresignError(
                f"bucket {bucket!r} cannot be used with addressing='virtual': {why}; use addressing='path' or 'auto'"
            )


def check_addressing(addressing: object) -> Addressing | None:
    """Validate an ``addressing=`` option (``None`` means the profile's default)."""
    if addressing is None:
        return None
    if addressing == "auto" or addressing == "virtual" or addressing == "path":
        return addressing
    raise PresignError(f"addressing must be one of 'auto', 'virtual', 'path', got {addressing!r}")
