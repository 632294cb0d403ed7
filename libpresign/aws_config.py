"""Credentials and settings the AWS way: explicit options, then the environment, then the
shared ``credentials`` and ``config`` files. No network access, ever.

Only static keys (with an optional session token) can be used: profiles that need a
network round trip or another program (SSO, ``credential_process``, assumed roles,
web identity, container or instance metadata) fail with an error that says so and
suggests ``aws configure export-credentials``.

The order follows the AWS CLI and botocore:
https://docs.aws.amazon.com/cli/latest/userguide/cli-chap-configure.html#configure-precedence
https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
"""

from __future__ import annotations

import configparser
import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from libpresign.credentials import mask_access_key_id
from libpresign.endpoints import Addressing
from libpresign.errors import PresignError, PresignTypeError
from libpresign.presigner import Presigner

__all__ = [
    "AwsSettings",
    "ConfigurationError",
    "NoCredentialsError",
    "UnsupportedCredentialsError",
    "presigner_from_env",
    "presigner_from_session",
    "resolve_settings",
]

_ADDRESSING_STYLES: Final[dict[str, Addressing]] = {"auto": "auto", "virtual": "virtual", "path": "path"}
_EXPORT_HINT: Final = (
    "libpresign reads static keys only: export temporary keys into the environment first, "
    "e.g. eval \"$(aws configure export-credentials --profile {profile} --format env)\""
)
# Profile settings that make botocore fetch or compute credentials, in the order its
# credential chain tries them, with what to call them in an error.
_ROLE_KEYS: Final = (
    ("role_arn", "assumes an IAM role (role_arn)"),
    ("web_identity_token_file", "uses web identity federation (web_identity_token_file)"),
    ("sso_session", "uses IAM Identity Center / SSO (sso_session)"),
    ("sso_start_url", "uses IAM Identity Center / SSO (sso_start_url)"),
)
_PROGRAM_KEYS: Final = (
    ("login_session", "uses console login credentials (login_session)"),
    ("credential_process", "runs a program for its credentials (credential_process)"),
)


class ConfigurationError(PresignError):
    """The settings could not be resolved: an unreadable file, an unknown profile, an
    invalid value. The message never contains a secret."""


class NoCredentialsError(ConfigurationError):
    """No credentials were found; the message names every place looked at."""


class UnsupportedCredentialsError(ConfigurationError):
    """The profile needs a kind of credentials libpresign does not fetch (SSO, roles,
    ``credential_process``, container or instance metadata)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class AwsSettings:
    """Resolved credentials and settings; the secret and token are masked in ``repr``.

    :ivar credentials_source: where the keys came from, for people (``"environment"``,
        ``"profile 'dev' in /home/me/.aws/credentials"``, ...).
    :ivar credentials_expiry: from ``AWS_CREDENTIAL_EXPIRATION``, when set with
        environment credentials.
    :ivar region_source: where ``region`` came from (``"explicit"``, ``"AWS_REGION"``,
        ``"profile 'dev' in /home/me/.aws/config"``, ...); ``None`` when it is not set.
    :ivar endpoint_source: where ``endpoint`` came from, in the same way.
    """

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None
    credentials_expiry: dt.datetime | None = None
    region: str | None = None
    endpoint: str | None = None
    addressing: Addressing | None = None
    profile: str = "default"
    credentials_source: str = "explicit"
    region_source: str | None = None
    endpoint_source: str | None = None

    def __repr__(self) -> str:
        token = None if self.session_token is None else "***"
        return (
            f"AwsSettings(access_key_id={mask_access_key_id(self.access_key_id)!r}, secret_access_key='***', "
            f"session_token={token!r}, credentials_expiry={self.credentials_expiry!r}, region={self.region!r}, "
            f"endpoint={self.endpoint!r}, addressing={self.addressing!r}, profile={self.profile!r}, "
            f"credentials_source={self.credentials_source!r}, region_source={self.region_source!r}, "
            f"endpoint_source={self.endpoint_source!r})"
        )

    def presigner_options(self) -> dict[str, Any]:
        """Keyword arguments for :class:`~libpresign.Presigner` besides the two keys."""
        options: dict[str, Any] = {
            "session_token": self.session_token,
            "region": self.region,
            "endpoint": self.endpoint,
            "addressing": self.addressing,
        }
        if self.credentials_expiry is not None:
            options["credentials_expiry"] = self.credentials_expiry
        return options


# --- the shared files ----------------------------------------------------------------

Section = dict[str, "str | dict[str, str]"]


@dataclass(frozen=True, slots=True)
class _File:
    """One parsed shared file: its sections, or none when it does not exist."""

    path: str
    exists: bool
    sections: dict[str, Section]

    def describe(self) -> str:
        return self.path if self.exists else f"{self.path} (not found)"


_VARIABLE: Final = re.compile(r"\$(\w+|\{[^}]*\})", re.ASCII)


def _expand(path: str, environ: Mapping[str, str]) -> str:
    """``$VAR`` then ``~`` expanded as botocore does, but from the given environment
    (so tests can isolate it): an unset variable stays as written; without ``HOME``,
    ``~`` is the process's home directory."""

    def value(found: re.Match[str]) -> str:
        name = found[1].removeprefix("{").removesuffix("}")
        return environ.get(name, found[0])

    path = _VARIABLE.sub(value, path) if "$" in path else path
    home = environ.get("HOME")
    if home and (path == "~" or path.startswith("~/")):
        return home + path[1:]
    return os.path.expanduser(path)


def _nested(value: str, path: str, section: str, option: str) -> dict[str, str]:
    """An indented block (``s3 =`` then ``addressing_style = path`` lines) as a dict."""
    parsed: dict[str, str] = {}
    for number, line in enumerate(value.splitlines()):
        text = line.strip()
        if not text:
            continue
        name, equals, setting = text.partition("=")
        if not equals:
            # The line is not quoted: a misplaced secret must not reach the message.
            raise ConfigurationError(
                f"{path}: [{section}] {option}: nested line {number} is not 'name = value'"
            )
        parsed[name.strip()] = setting.strip()
    return parsed


def _parse(path: str, text: str) -> dict[str, Section]:
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        # configparser quotes the offending line, which may hold a secret: keep only
        # the line number.
        errors = getattr(exc, "errors", None)
        line = errors[0][0] if errors else getattr(exc, "lineno", None)
        where = f" near line {line}" if isinstance(line, int) else ""
        raise ConfigurationError(f"{path}: not a valid AWS config file ({type(exc).__name__}{where})") from None
    sections: dict[str, Section] = {}
    for name in parser.sections():
        values: Section = {}
        for option in parser.options(name):
            value = parser.get(name, option)
            values[option] = _nested(value, path, name, option) if value.startswith("\n") else value
        sections[name] = values
    return sections


def _load(path: str) -> _File:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return _File(path, False, {})
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    return _File(path, True, _parse(path, text))


def _text(section: Section, name: str) -> str | None:
    """A plain (not nested) setting, ``None`` when absent or empty."""
    value = section.get(name)
    return value if isinstance(value, str) and value else None


def _config_profiles(config: _File) -> dict[str, Section]:
    """``[default]`` and ``[profile NAME]`` sections of the config file, by profile name."""
    profiles: dict[str, Section] = {}
    for name, values in config.sections.items():
        if name == "default":
            profiles.setdefault("default", {}).update(values)
        elif name.startswith("profile ") and name[len("profile ") :].strip():
            profiles.setdefault(name[len("profile ") :].strip(), {}).update(values)
    return profiles


def _services(config: _File, name: str) -> Section:
    section = config.sections.get(f"services {name}")
    if section is None:
        raise ConfigurationError(f"{config.path}: the profile names services = {name}, but [services {name}] is missing")
    return section


@dataclass(frozen=True, slots=True)
class _Keys:
    access_key_id: str
    secret_access_key: str
    session_token: str | None
    expiry: dt.datetime | None
    source: str


def _file_keys(section: Section, where: str) -> _Keys | None:
    """Static keys of one file's profile section; both or neither must be present."""
    access_key_id = _text(section, "aws_access_key_id")
    secret = _text(section, "aws_secret_access_key")
    if access_key_id is None and secret is None:
        return None
    if access_key_id is None or secret is None:
        missing = "aws_access_key_id" if access_key_id is None else "aws_secret_access_key"
        raise ConfigurationError(f"{where} has partial credentials: {missing} is missing")
    token = _text(section, "aws_session_token") or _text(section, "aws_security_token")
    return _Keys(access_key_id, secret, token, None, where)


def _parse_expiry(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(
            f"AWS_CREDENTIAL_EXPIRATION must be an ISO 8601 time such as 2024-06-01T12:00:00Z, got {value!r}"
        ) from None
    # AWS writes these times in UTC; a time without a zone is read as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def _environment_keys(env: Mapping[str, str]) -> _Keys | None:
    access_key_id = env.get("AWS_ACCESS_KEY_ID") or None
    secret = env.get("AWS_SECRET_ACCESS_KEY") or None
    if access_key_id is None and secret is None:
        return None
    if access_key_id is None or secret is None:
        missing = "AWS_ACCESS_KEY_ID" if access_key_id is None else "AWS_SECRET_ACCESS_KEY"
        raise ConfigurationError(f"partial credentials in the environment: {missing} is not set")
    token = env.get("AWS_SESSION_TOKEN") or env.get("AWS_SECURITY_TOKEN") or None
    expiry_text = env.get("AWS_CREDENTIAL_EXPIRATION") or None
    expiry = None if expiry_text is None else _parse_expiry(expiry_text)
    return _Keys(access_key_id, secret, token, expiry, "environment")


def _flag(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


_Sourced = tuple[str | None, str | None]  # a setting and where it came from
_NOT_SET: Final[_Sourced] = (None, None)


class _Resolver:
    """One resolution: the environment, the files and the chosen profile."""

    def __init__(self, env: Mapping[str, str], profile: str | None) -> None:
        self.env = env
        self.explicit_profile = profile is not None
        named = profile if profile is not None else (env.get("AWS_PROFILE") or None)
        self.profile = named or "default"
        self.config = _load(_expand(env.get("AWS_CONFIG_FILE") or "~/.aws/config", env))
        self.credentials = _load(_expand(env.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials", env))
        self.config_section: Section = _config_profiles(self.config).get(self.profile, {})
        self.credentials_section: Section | None = self.credentials.sections.get(self.profile)
        if named is not None and self.credentials_section is None and self.profile not in _config_profiles(self.config):
            via = "--profile/profile=" if profile is not None else "AWS_PROFILE"
            raise ConfigurationError(
                f"profile {self.profile!r} (from {via}) not found in {self.credentials.describe()} "
                f"or {self.config.describe()}"
            )
        # As in botocore, the credentials file's values win over the config file's.
        self.merged: Section = {**self.config_section, **(self.credentials_section or {})}

    def _unsupported(self, what: str) -> UnsupportedCredentialsError:
        hint = _EXPORT_HINT.format(profile=self.profile)
        return UnsupportedCredentialsError(f"profile {self.profile!r} {what}, which libpresign does not support; {hint}")

    def profile_keys(self) -> _Keys:
        for name, what in _ROLE_KEYS:
            if _text(self.merged, name) is not None:
                raise self._unsupported(what)
        if not self.explicit_profile and self.env.get("AWS_WEB_IDENTITY_TOKEN_FILE") and self.env.get("AWS_ROLE_ARN"):
            raise UnsupportedCredentialsError(
                "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN ask for web identity federation, which libpresign "
                "does not support (it never calls STS); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead"
            )
        if self.credentials_section is not None:
            keys = _file_keys(self.credentials_section, f"profile {self.profile!r} in {self.credentials.path}")
            if keys is not None:
                return keys
        for name, what in _PROGRAM_KEYS:
            if _text(self.merged, name) is not None:
                raise self._unsupported(what)
        keys = _file_keys(self.config_section, f"profile {self.profile!r} in {self.config.path}")
        if keys is not None:
            return keys
        raise self._missing()

    def _missing(self) -> NoCredentialsError:
        places = []
        if self.explicit_profile:
            places.append("the environment was skipped because a profile was named")
        else:
            places.append("environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
        places.append(
            f"profile {self.profile!r} in {self.credentials.describe()} and {self.config.describe()}"
        )
        if self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
            places.append("container credentials are set but not supported")
        return NoCredentialsError(
            f"no credentials found; looked at: {'; '.join(places)} "
            "(instance metadata, container, SSO and credential_process credentials are not supported)"
        )

    def _in_profile(self, name: str) -> _Sourced:
        """A plain setting of the profile, and the file it was read from."""
        value = _text(self.merged, name)
        if value is None:
            return _NOT_SET
        in_credentials = self.credentials_section is not None and _text(self.credentials_section, name) == value
        where = self.credentials if in_credentials else self.config
        return value, f"profile {self.profile!r} in {where.path}"

    def _in_environment(self, *names: str) -> _Sourced:
        for name in names:
            value = self.env.get(name)
            if value:
                return value, name
        return _NOT_SET

    def region(self) -> _Sourced:
        found = self._in_environment("AWS_REGION", "AWS_DEFAULT_REGION")
        return found if found[0] is not None else self._in_profile("region")

    def endpoint(self) -> _Sourced:
        # The environment's switch, when set, wins over the profile's.
        ignore = self.env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") or _text(
            self.merged, "ignore_configured_endpoint_urls"
        )
        if _flag(ignore):
            return _NOT_SET
        found = self._in_environment("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
        if found[0] is not None:
            return found
        services = _text(self.merged, "services")
        if services is not None:
            s3 = _services(self.config, services).get("s3")
            if isinstance(s3, dict) and s3.get("endpoint_url"):
                return s3["endpoint_url"], f"services {services!r} in {self.config.path} (s3 endpoint_url)"
        return self._in_profile("endpoint_url")

    def addressing(self) -> Addressing | None:
        s3 = self.merged.get("s3")
        style = s3.get("addressing_style") if isinstance(s3, dict) else None
        if style is None:
            return None
        known = _ADDRESSING_STYLES.get(style)
        if known is not None:
            return known
        raise ConfigurationError(
            f"profile {self.profile!r}: s3 addressing_style must be one of {', '.join(_ADDRESSING_STYLES)}, "
            f"got {style!r}"
        )


def _check_text(value: object, parameter: str) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    raise PresignTypeError(f"{parameter} must be a str or None, not {type(value).__name__}")


def resolve_settings(
    *,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    region: str | None = None,
    endpoint: str | None = None,
    addressing: Addressing | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> AwsSettings:
    """Resolve credentials and settings without any network access.

    Each setting comes from the first of: the argument; the environment; the profile
    in the shared files. Credentials: ``access_key_id`` + ``secret_access_key``; else
    ``AWS_ACCESS_KEY_ID`` + ``AWS_SECRET_ACCESS_KEY`` (+ ``AWS_SESSION_TOKEN``), unless
    ``profile`` is given; else the profile's static keys, the credentials file before
    the config file. Region: ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's
    ``region``. Endpoint: ``AWS_ENDPOINT_URL_S3``, ``AWS_ENDPOINT_URL``, the profile's
    ``services`` section ``s3 = endpoint_url``, its ``endpoint_url``. Addressing: the
    profile's ``s3 = addressing_style``.

    :param profile: the profile to read; default ``AWS_PROFILE``, else ``default``. A
        profile named here, unlike ``AWS_PROFILE``, makes environment keys ignored
        (as ``aws --profile`` does).
    :param environ: the environment to read instead of ``os.environ``; it is also the
        one ``$VAR`` and ``~`` expand from in ``AWS_CONFIG_FILE`` and
        ``AWS_SHARED_CREDENTIALS_FILE`` (without ``HOME``, ``~`` is the process's home).
    :raises NoCredentialsError: nothing found; the message lists where it looked.
    :raises UnsupportedCredentialsError: the profile needs SSO, a role, a process, ...
    :raises ConfigurationError: a partial key pair, an unknown profile, a bad file.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    access_key_id = _check_text(access_key_id, "access_key_id")
    secret_access_key = _check_text(secret_access_key, "secret_access_key")
    session_token = _check_text(session_token, "session_token")
    resolver = _Resolver(env, _check_text(profile, "profile"))
    keys: _Keys | None = None
    if access_key_id is not None or secret_access_key is not None:
        if access_key_id is None or secret_access_key is None:
            missing = "access_key_id" if access_key_id is None else "secret_access_key"
            raise ConfigurationError(f"partial credentials: {missing}= is missing")
        keys = _Keys(access_key_id, secret_access_key, session_token, None, "explicit")
    elif session_token is not None:
        raise ConfigurationError("session_token= needs access_key_id= and secret_access_key= as well")
    if keys is None and not resolver.explicit_profile:
        keys = _environment_keys(env)
    if keys is None:
        keys = resolver.profile_keys()
    region = _check_text(region, "region")
    region_found = (region, "explicit") if region is not None else resolver.region()
    endpoint = _check_text(endpoint, "endpoint")
    endpoint_found = (endpoint, "explicit") if endpoint is not None else resolver.endpoint()
    return AwsSettings(
        access_key_id=keys.access_key_id,
        secret_access_key=keys.secret_access_key,
        session_token=keys.session_token,
        credentials_expiry=keys.expiry,
        region=region_found[0],
        endpoint=endpoint_found[0],
        addressing=addressing if addressing is not None else resolver.addressing(),
        profile=resolver.profile,
        credentials_source=keys.source,
        region_source=region_found[1],
        endpoint_source=endpoint_found[1],
    )


def presigner_from_env(
    *,
    profile: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    region: str | None = None,
    endpoint: str | None = None,
    addressing: Addressing | None = None,
    environ: Mapping[str, str] | None = None,
    **options: Any,
) -> Presigner:
    """A :class:`~libpresign.Presigner` from :func:`resolve_settings`.

    :param options: the other ``Presigner`` options (``bucket``, ``provider``,
        ``window``, ``clock``, provider options, ...). ``credentials_expiry`` defaults
        to ``AWS_CREDENTIAL_EXPIRATION`` with environment credentials.
    :raises ConfigurationError: see :func:`resolve_settings`.
    :raises PresignError: a resolved value breaks a ``Presigner`` rule.
    """
    settings = resolve_settings(
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
        session_token=session_token,
        region=region,
        endpoint=endpoint,
        addressing=addressing,
        profile=profile,
        environ=environ,
    )
    try:
        return Presigner(
            settings.access_key_id, settings.secret_access_key, **{**settings.presigner_options(), **options}
        )
    except (PresignError, PresignTypeError) as error:
        raise _naming_sources(error, settings) from None


def _naming_sources(
    error: PresignError | PresignTypeError, settings: AwsSettings
) -> PresignError | PresignTypeError:
    """``error``, saying where a region or endpoint that it names came from when that
    was not an argument: ``AWS_REGION`` set for AWS also reaches other providers. (The
    endpoint itself is not repeated: a URL may carry a password.)"""
    message = str(error)
    notes = [
        f"{what} came from {source}"
        for parameter, what, source in (
            ("region", f"region {settings.region!r}", settings.region_source),
            ("endpoint", "the endpoint", settings.endpoint_source),
        )
        if source not in (None, "explicit") and re.search(rf"\b{parameter}\b", message)
    ]
    if not notes:
        return error
    return type(error)(f"{message} ({'; '.join(notes)})")


def _session_region(session: Any) -> str | None:
    # boto3.Session has region_name; botocore's Session reads it from its config.
    region = getattr(session, "region_name", None)
    if region is None and callable(getattr(session, "get_config_variable", None)):
        region = session.get_config_variable("region")
    return region if isinstance(region, str) and region else None


def presigner_from_session(session: Any, **options: Any) -> Presigner:
    """A :class:`~libpresign.Presigner` from a boto3 or botocore session's current
    credentials and region.

    The session resolves its credentials its own way (which may mean SSO, roles or
    instance metadata, and so network access); they are read once, here. Build a new
    Presigner when they are refreshed. When the session's credentials expire (roles,
    SSO), URLs that would outlive them are refused unless ``clamp_to_credentials=True``.

    :param session: a ``boto3.Session`` or ``botocore.session.Session``.
    :param options: ``Presigner`` options; ``region=`` overrides the session's, and
        ``endpoint=`` / ``addressing=`` are not read from the session.
    :raises NoCredentialsError: the session has no credentials.
    """
    credentials = session.get_credentials()
    if credentials is None:
        raise NoCredentialsError("the session has no credentials (its own credential chain found none)")
    frozen = credentials.get_frozen_credentials()
    settings: dict[str, Any] = {"session_token": frozen.token or None, "region": _session_region(session)}
    # botocore keeps a refreshable credential's expiry only in _expiry_time (no public
    # accessor); knowing it lets the Presigner refuse URLs that would die early.
    expiry = getattr(credentials, "_expiry_time", None)
    if isinstance(expiry, dt.datetime) and expiry.tzinfo is not None:
        settings["credentials_expiry"] = expiry
    settings.update(options)
    return Presigner(frozen.access_key, frozen.secret_key, **settings)
