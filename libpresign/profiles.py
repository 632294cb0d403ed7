"""Provider profiles: how one S3-compatible service names hosts, regions and buckets.

A profile is data: host templates, the default addressing, how the region is chosen,
the schemes served, a bucket-name rule and the provider's own options. Built-in
profiles live in the top-level ``backends/`` folder, one module each; users add their
own with :func:`libpresign.register_provider` or an entry point (``docs/providers.md``).

A profile is consulted when a :class:`~libpresign.Presigner` is built and once per
bucket it signs for, never per URL. It must stay picklable (a Presigner pickles its
profile), so every function and class a profile refers to lives in an importable module.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from libpresign.buckets import dns_compatible, s3_compatible_bucket_problem
from libpresign.endpoints import Addressing, Endpoint, Location
from libpresign.errors import PresignError, PresignTypeError

__all__ = ["AwsProfile", "BucketRule", "Option", "Partition", "Profile", "check_addressing"]

BucketRule = Callable[[str, str], "str | None"]

ADDRESSING_STYLES: Final = ("auto", "virtual", "path")
ALL_METHODS: Final = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE"})
# Region names go into the credential scope between slashes and, for most providers,
# into host names: DNS-label characters only.
REGION_PATTERN: Final = r"[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?"
REGION_HELP: Final = "lowercase letters, digits and '-' (1 to 64 characters) such as 'eu-west-1'"
# Whatever a profile's own pattern allows, a region must be safe between the credential
# scope's slashes.
_SCOPE_SAFE: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_OPTION_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
# Template fields every profile fills in itself; options cannot take these names.
_RESERVED_FIELDS: Final = frozenset({"bucket", "region"})


def _template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@dataclass(frozen=True, kw_only=True, slots=True)
class Option:
    """One provider-specific keyword option of :class:`~libpresign.Presigner`.

    :param name: the keyword, e.g. ``account_id``; host templates may use ``{name}``.
    :param help: what the value is, for people (used in error messages and docs).
    :param flag: ``True`` for an on/off option (``True``/``False``, off by default);
        otherwise the value is a ``str`` and unset by default.
    :param choices: the accepted values of a ``str`` option, where the list is closed.
    :param pattern: a regular expression a ``str`` value must match in full.
    :param host_text: how the option shows in host templates: for a ``str`` option a
        format with ``{}`` for the value (``".{}"`` gives ``.eu``); for a flag the text
        used while it is on (``".dualstack"``). Unset options and flags that are off
        contribute ``""``.
    :param required: the provider's own host cannot be built without it; it is not
        needed when ``endpoint=`` gives the host.
    :param with_endpoint: the option may be combined with ``endpoint=``. Options that
        only choose the host (the default) conflict with an explicit endpoint.
    """

    name: str
    help: str
    flag: bool = False
    choices: frozenset[str] | None = None
    pattern: str | None = None
    host_text: str = "{}"
    required: bool = False
    with_endpoint: bool = False

    def __post_init__(self) -> None:
        if _OPTION_NAME.fullmatch(self.name) is None or self.name in _RESERVED_FIELDS:
            raise PresignError(
                f"option name must be a lowercase identifier other than 'bucket' and 'region', got {self.name!r}"
            )
        if self.flag and (self.required or self.choices is not None or self.pattern is not None):
            raise PresignError(f"option {self.name!r} is a flag: it takes no choices, pattern or required")

    def check(self, value: object, provider: str) -> bool | str | None:
        """Validate a value; ``None`` (or ``False`` for a flag) means unset."""
        if self.flag:
            if not isinstance(value, bool):
                raise PresignTypeError(f"{self.name} must be True or False, not {type(value).__name__}")
            return value
        if value is None:
            return None
        if not isinstance(value, str):
            raise PresignTypeError(f"{self.name} must be a str ({self.help}), not {type(value).__name__}")
        if self.choices is not None and value not in self.choices:
            accepted = ", ".join(repr(choice) for choice in sorted(self.choices))
            raise PresignError(f"{self.name} must be one of {accepted} for provider {provider!r}, got {value!r}")
        if self.pattern is not None and re.fullmatch(self.pattern, value) is None:
            raise PresignError(f"{self.name} must be {self.help}, got {value!r}")
        return value

    def host_value(self, value: object) -> str:
        """The option's text in a host name: ``""`` while unset or off."""
        if value is None or value is False:
            return ""
        if self.flag:
            return self.host_text
        return self.host_text.format(value)


@dataclass(frozen=True, kw_only=True, slots=True)
class Profile:
    """What libpresign needs to know about one provider to build its URLs.

    :param name: the ``provider=`` name, lowercase.
    :param title: the provider's name for people (used in messages and docs).
    :param virtual_host: host template for virtual-hosted URLs, with ``{bucket}``,
        ``{region}`` and ``{option}`` fields; ``None`` if the provider has none.
    :param path_host: host template for path-style URLs, with ``{region}`` and
        ``{option}`` fields; ``None`` when it has none. A profile without either host
        needs ``endpoint=`` (self-hosted servers).
    :param region_virtual_hosts: virtual-host templates that replace ``virtual_host``
        in some regions (Wasabi's us-east-1 is ``{bucket}.s3.wasabisys.com``).
    :param addressing: the default addressing style without ``endpoint=``.
    :param default_region: the region used when none is given; ``None`` makes
        ``region=`` required. A fixed region (R2's ``auto``) is a default plus a
        closed ``regions`` list.
    :param regions: the closed list of valid regions, where the provider publishes one.
    :param region_pattern: the regular expression every region name must match.
    :param region_help: that rule in words, for error messages.
    :param schemes: the URL schemes the provider serves; its own hosts use https
        when it serves https.
    :param bucket_rule: ``(bucket, region) -> problem or None``.
    :param options: the provider-specific keyword options ``Presigner`` accepts.
    :param methods: the HTTP methods it accepts in presigned requests (``POST`` covers
        browser form uploads with a POST policy too).
    """

    name: str
    title: str
    virtual_host: str | None = None
    path_host: str | None = None
    region_virtual_hosts: Mapping[str, str] = field(default_factory=dict, hash=False)
    addressing: Addressing = "auto"
    default_region: str | None = None
    regions: frozenset[str] | None = None
    region_pattern: str = REGION_PATTERN
    region_help: str = REGION_HELP
    schemes: frozenset[str] = field(default=frozenset({"https", "http"}))
    bucket_rule: BucketRule = s3_compatible_bucket_problem
    options: tuple[Option, ...] = ()
    methods: frozenset[str] = ALL_METHODS

    def __post_init__(self) -> None:
        # A plugin author's mistake should surface when the profile is defined, not
        # when the first URL for an unusual region is built.
        if self.addressing not in ADDRESSING_STYLES:
            raise PresignError(f"profile {self.name!r}: addressing must be one of {ADDRESSING_STYLES}")
        if not self.schemes or not self.schemes <= {"http", "https"}:
            raise PresignError(f"profile {self.name!r}: schemes must be 'http' and/or 'https'")
        if not self.methods <= ALL_METHODS:
            raise PresignError(f"profile {self.name!r}: methods must be among {', '.join(sorted(ALL_METHODS))}")
        names = [option.name for option in self.options]
        if len(set(names)) != len(names):
            raise PresignError(f"profile {self.name!r}: option names must be unique, got {names}")
        host_fields = self.host_field_names()
        templates = [self.virtual_host, *self.region_virtual_hosts.values()]
        for template in templates:
            if template is not None:
                self._check_template(template, host_fields | {"bucket"}, needs_bucket=True)
        if self.path_host is not None:
            self._check_template(self.path_host, host_fields, needs_bucket=False)
        if self.default_region is not None:
            self.region_for(self.default_region)

    def _check_template(self, template: str, allowed: set[str], *, needs_bucket: bool) -> None:
        fields = _template_fields(template)
        unknown = fields - allowed
        if unknown or ("bucket" in fields) is not needs_bucket:
            where = "must contain {bucket}" if needs_bucket else "must not contain {bucket}"
            raise PresignError(
                f"profile {self.name!r}: host template {template!r} {where} and may use only "
                f"{', '.join('{' + name + '}' for name in sorted(allowed))}"
            )

    def host_field_names(self) -> set[str]:
        """The fields host templates may use besides ``{bucket}``."""
        return {"region", *(option.name for option in self.options)}

    @property
    def has_host(self) -> bool:
        """Whether the provider has public hosts (else ``endpoint=`` is required)."""
        return self.virtual_host is not None or self.path_host is not None

    def check_options(self, options: Mapping[str, object]) -> dict[str, object]:
        """Validate provider-specific ``Presigner`` options (``account_id=`` for R2, ...).

        :returns: the options that are set (flags that are on, strings given).
        """
        by_name = {option.name: option for option in self.options}
        unknown = sorted(set(options) - set(by_name))
        if unknown:
            accepted = ", ".join(sorted(by_name)) or "none"
            raise PresignTypeError(
                f"unexpected option {', '.join(unknown)} for provider {self.name!r}; it accepts: {accepted}"
            )
        checked: dict[str, object] = {}
        for name, value in options.items():
            valid = by_name[name].check(value, self.name)
            if valid is not None and valid is not False:
                checked[name] = valid
        return checked

    def region_for(self, region: object) -> str:
        """The region to sign for: the given one, validated, or the profile's default."""
        if region is None:
            if self.default_region is None:
                hint = "" if self.regions is None else f", one of: {', '.join(sorted(self.regions))}"
                raise PresignError(f"region is required for provider {self.name!r} ({self.title}): pass region={hint}")
            return self.default_region
        if not isinstance(region, str):
            raise PresignTypeError(f"region must be a str such as 'us-east-1', not {type(region).__name__}")
        if self.regions is not None and region in self.regions:
            return region
        if re.fullmatch(self.region_pattern, region) is None or _SCOPE_SAFE.fullmatch(region) is None:
            raise PresignError(f"region must be {self.region_help}, got {region!r}")
        if self.regions is not None:
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

    def check_method(self, method: str) -> None:
        """Refuse a method the provider does not accept presigned."""
        if method not in self.methods:
            accepted = ", ".join(sorted(self.methods))
            raise PresignError(f"{self.title} does not accept presigned {method} requests; it accepts: {accepted}")

    def host_templates(self, *, region: str, options: Mapping[str, object]) -> tuple[str | None, str | None]:
        """The virtual-hosted and path-style host templates for this region and options."""
        return self.region_virtual_hosts.get(region, self.virtual_host), self.path_host

    def host_fields(self, *, region: str, options: Mapping[str, object]) -> dict[str, str]:
        """The values of the host templates' fields (all but ``{bucket}``)."""
        fields = {option.name: option.host_value(options.get(option.name)) for option in self.options}
        fields["region"] = region
        return fields

    def check_setup(
        self,
        *,
        region: str,
        endpoint: Endpoint | None,
        addressing: Addressing | None,
        options: Mapping[str, object],
    ) -> None:
        """Refuse combinations of region, endpoint, addressing and options that cannot
        work, whatever the bucket. :meth:`locate` calls it too.

        :raises PresignError: the message says which settings clash and what to do.
        """
        if endpoint is not None:
            if endpoint.scheme not in self.schemes:
                allowed = " or ".join(sorted(self.schemes))
                raise PresignError(
                    f"endpoint must use {allowed} for provider {self.name!r} ({self.title}), got {endpoint.scheme!r}"
                )
            for option in self.options:
                if not option.with_endpoint and options.get(option.name) not in (None, False):
                    raise PresignError(
                        f"{option.name}= chooses the {self.title} host, but endpoint= gives the host itself: "
                        f"pass one or the other"
                    )
            if addressing == "virtual" and endpoint.ip_literal:
                raise PresignError(
                    f"endpoint {endpoint.url!r} is an IP address, which cannot take the bucket as a "
                    f"host label: use addressing='path' or 'auto'"
                )
            return
        if not self.has_host:
            raise PresignError(
                f"provider {self.name!r} ({self.title}) has no public host: pass endpoint=, "
                f"for example endpoint='http://localhost:9000'"
            )
        missing = [option for option in self.options if option.required and options.get(option.name) is None]
        if missing:
            needed = "; ".join(f"{option.name}= ({option.help})" for option in missing)
            raise PresignError(f"provider {self.name!r} ({self.title}) needs {needed} to build its host, or endpoint=")
        virtual, path = self.host_templates(region=region, options=options)
        if addressing == "virtual" and virtual is None:
            raise PresignError(f"provider {self.name!r} has no virtual-hosted URLs here: use addressing='path'")
        if addressing == "path" and path is None:
            raise PresignError(f"provider {self.name!r} has no path-style URLs here: use addressing='virtual'")

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

        An explicit ``endpoint`` replaces the profile's hosts and defaults to
        path-style; otherwise the profile's default addressing applies. ``auto`` picks
        virtual-hosted only for buckets that are valid DNS labels (no dots under https).
        """
        self.check_setup(region=region, endpoint=endpoint, addressing=addressing, options=options)
        if endpoint is not None:
            scheme, prefix, style = endpoint.scheme, endpoint.path, addressing or "path"
            # An IP address cannot take a bucket label in front: path-style only.
            virtual: str | None = None if endpoint.ip_literal else bucket + "." + endpoint.host
            path: str | None = endpoint.host
        else:
            scheme = "https" if "https" in self.schemes else "http"
            prefix, style = "", addressing or self.addressing
            virtual_template, path_template = self.host_templates(region=region, options=options)
            fields = self.host_fields(region=region, options=options)
            virtual = None if virtual_template is None else virtual_template.format(bucket=bucket, **fields)
            path = None if path_template is None else path_template.format(**fields)
        if style == "auto":
            fits = virtual is not None and dns_compatible(bucket, https=scheme == "https")
            style = "virtual" if fits or path is None else "path"
        if style == "virtual" and virtual is not None:
            self._check_virtual(bucket, scheme)
            return Location(scheme, virtual, prefix)
        if style == "path" and path is not None:
            return Location(scheme, path, prefix + "/" + bucket)
        # Only a profile whose own default names a style it has no host for gets here.
        other = "path" if style == "virtual" else "virtual"
        raise PresignError(f"provider {self.name!r} has no {style} URLs here: use addressing={other!r}")

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


@dataclass(frozen=True, kw_only=True, slots=True)
class Partition:
    """A group of AWS regions sharing a DNS suffix (``aws``, ``aws-cn``, ``aws-us-gov``, ...).

    https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
    """

    name: str
    title: str
    region_prefix: str
    """Regions starting with this belong here; ``""`` matches every region (the default)."""
    domain: str
    accelerate: bool = False
    """Whether S3 Transfer Acceleration exists here."""


@dataclass(frozen=True, kw_only=True, slots=True)
class AwsProfile(Profile):
    """Amazon S3, whose host also depends on the partition, FIPS, dual-stack and
    Transfer Acceleration options.

    Host templates may use ``{domain}``, the partition's DNS suffix.
    https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
    """

    partitions: tuple[Partition, ...]
    """Checked in order; the last one, with an empty prefix, is the default."""
    fips_regions: frozenset[str]
    accelerate_host: str
    """Virtual-host template of Transfer Acceleration, which has no path-style form."""

    def __post_init__(self) -> None:
        if not self.partitions or self.partitions[-1].region_prefix:
            raise PresignError(f"profile {self.name!r}: the last partition must have region_prefix=''")
        self._check_template(self.accelerate_host, self.host_field_names() | {"bucket"}, needs_bucket=True)
        Profile.__post_init__(self)

    def host_field_names(self) -> set[str]:
        return Profile.host_field_names(self) | {"domain"}

    def partition(self, region: str) -> Partition:
        """The partition ``region`` belongs to."""
        for partition in self.partitions:
            if region.startswith(partition.region_prefix):
                return partition
        return self.partitions[-1]

    def host_templates(self, *, region: str, options: Mapping[str, object]) -> tuple[str | None, str | None]:
        if options.get("accelerate"):
            return self.accelerate_host, None
        return Profile.host_templates(self, region=region, options=options)

    def host_fields(self, *, region: str, options: Mapping[str, object]) -> dict[str, str]:
        fields = Profile.host_fields(self, region=region, options=options)
        fields["domain"] = self.partition(region).domain
        return fields

    def check_setup(
        self,
        *,
        region: str,
        endpoint: Endpoint | None,
        addressing: Addressing | None,
        options: Mapping[str, object],
    ) -> None:
        fips, accelerate = bool(options.get("fips")), bool(options.get("accelerate"))
        partition = self.partition(region)
        if fips and accelerate:
            raise PresignError("Transfer Acceleration has no FIPS endpoints: pass accelerate=True or fips=True, not both")
        if fips and region not in self.fips_regions:
            raise PresignError(
                f"Amazon S3 has no FIPS endpoint in region {region!r}; FIPS endpoints exist in "
                f"{', '.join(sorted(self.fips_regions))}: drop fips=True or use one of those regions"
            )
        if fips and endpoint is not None and endpoint.scheme != "https":
            raise PresignError(f"FIPS endpoints are https only: with fips=True, endpoint= must use https, got {endpoint.url!r}")
        if accelerate and not partition.accelerate:
            raise PresignError(
                f"Transfer Acceleration is not available in {partition.title} (region {region!r}): drop accelerate=True"
            )
        if accelerate and addressing == "path":
            raise PresignError(
                "Transfer Acceleration has only virtual-hosted URLs: drop addressing='path' or accelerate=True"
            )
        Profile.check_setup(self, region=region, endpoint=endpoint, addressing=addressing, options=options)

    def locate(
        self,
        *,
        bucket: str,
        region: str,
        endpoint: Endpoint | None,
        addressing: Addressing | None,
        options: Mapping[str, object],
    ) -> Location:
        if options.get("accelerate") and endpoint is None and not dns_compatible(bucket, https=True):
            raise PresignError(
                f"bucket {bucket!r} cannot use Transfer Acceleration, which needs a lowercase DNS-label name "
                f"without dots: drop accelerate=True for this bucket"
            )
        return Profile.locate(
            self, bucket=bucket, region=region, endpoint=endpoint, addressing=addressing, options=options
        )


def check_addressing(addressing: object) -> Addressing | None:
    """Validate an ``addressing=`` option (``None`` means the profile's default)."""
    if addressing is None:
        return None
    if addressing == "auto" or addressing == "virtual" or addressing == "path":
        return addressing
    raise PresignError(f"addressing must be one of 'auto', 'virtual', 'path', got {addressing!r}")
