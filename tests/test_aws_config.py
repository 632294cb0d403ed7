"""Credential and settings resolution: options, environment, shared files; no network."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

import pytest

from aws_vectors import AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, AWS_EXAMPLE_TIME
from libpresign import PresignError, Presigner
from libpresign.aws_config import (
    AwsSettings,
    ConfigurationError,
    NoCredentialsError,
    UnsupportedCredentialsError,
    presigner_from_env,
    presigner_from_session,
    resolve_settings,
)

# One key pair per source, so each test can tell which one won.
ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIDFROMENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "secret-from-environment"}
CREDENTIALS_ID, CREDENTIALS_SECRET = "AKIDFROMCREDENTIALS", "secret-from-credentials-file"
CONFIG_ID, CONFIG_SECRET = "AKIDFROMCONFIG", "secret-from-config-file"


def home(tmp_path: Path, *, config: str = "", credentials: str = "", **env: str) -> dict[str, str]:
    """An isolated environment whose ~/.aws holds the given files (when non-empty)."""
    aws = tmp_path / ".aws"
    aws.mkdir(exist_ok=True)
    if config:
        (aws / "config").write_text(textwrap.dedent(config), encoding="utf-8")
    if credentials:
        (aws / "credentials").write_text(textwrap.dedent(credentials), encoding="utf-8")
    return {"HOME": str(tmp_path), **env}


CREDENTIALS_FILE = f"""\
[default]
aws_access_key_id = {CREDENTIALS_ID}
aws_secret_access_key = {CREDENTIALS_SECRET}

[dev]
aws_access_key_id = AKIDDEVCREDENTIALS
aws_secret_access_key = dev-secret
aws_session_token = dev-token
"""

CONFIG_FILE = f"""\
[default]
region = eu-west-3
aws_access_key_id = {CONFIG_ID}
aws_secret_access_key = {CONFIG_SECRET}

[profile dev]
region = ap-south-1
s3 =
    addressing_style = path

[profile config-only]
aws_access_key_id = {CONFIG_ID}
aws_secret_access_key = {CONFIG_SECRET}
endpoint_url = http://profile.example:9000
"""


# --- credentials ----------------------------------------------------------------------


def test_explicit_keys_beat_environment_and_files(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE, **ENV_KEYS, AWS_SESSION_TOKEN="env-token")
    settings = resolve_settings(access_key_id="AKIDEXPLICIT", secret_access_key="explicit-secret", environ=env)
    assert (settings.access_key_id, settings.secret_access_key) == ("AKIDEXPLICIT", "explicit-secret")
    # The environment's token belongs to the environment's keys, not to these.
    assert settings.session_token is None
    assert settings.credentials_source == "explicit"


def test_environment_beats_files_even_with_aws_profile(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE, **ENV_KEYS, AWS_PROFILE="dev")
    settings = resolve_settings(environ=env)
    assert settings.access_key_id == ENV_KEYS["AWS_ACCESS_KEY_ID"]
    assert settings.credentials_source == "environment"
    # ...while the named profile still supplies the other settings.
    assert settings.region == "ap-south-1" and settings.addressing == "path"


def test_a_named_profile_makes_environment_keys_ignored(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE, **ENV_KEYS, AWS_SESSION_TOKEN="env-token")
    settings = resolve_settings(profile="dev", environ=env)
    assert (settings.access_key_id, settings.secret_access_key) == ("AKIDDEVCREDENTIALS", "dev-secret")
    assert settings.session_token == "dev-token"
    assert settings.credentials_source.startswith("profile 'dev' in ") and "credentials" in settings.credentials_source


def test_credentials_file_beats_config_file_for_the_same_profile(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE)
    settings = resolve_settings(environ=env)
    assert (settings.access_key_id, settings.secret_access_key) == (CREDENTIALS_ID, CREDENTIALS_SECRET)
    assert settings.region == "eu-west-3"  # from the config file's [default]
    only_config = resolve_settings(profile="config-only", environ=env)
    assert (only_config.access_key_id, only_config.secret_access_key) == (CONFIG_ID, CONFIG_SECRET)


def test_section_names_differ_between_the_two_files(tmp_path: Path) -> None:
    # In config, only [default] and [profile NAME] are profiles; in credentials, [NAME] is.
    env = home(
        tmp_path,
        config="[ops]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n",
        credentials="[profile ops]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n",
    )
    with pytest.raises(ConfigurationError, match="profile 'ops' .*not found"):
        resolve_settings(profile="ops", environ=env)
    env = home(tmp_path, config="[profile ops]\nregion = us-west-2\n", credentials="[ops]\naws_access_key_id = "
               "AKIDOPS\naws_secret_access_key = ops-secret\n")
    settings = resolve_settings(profile="ops", environ=env)
    assert (settings.access_key_id, settings.region) == ("AKIDOPS", "us-west-2")


def test_file_locations_come_from_the_environment(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "creds.ini").write_text(f"[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = moved\n")
    (elsewhere / "conf.ini").write_text("[default]\nregion = sa-east-1\n")
    env = home(
        tmp_path,
        credentials=CREDENTIALS_FILE,
        AWS_SHARED_CREDENTIALS_FILE=str(elsewhere / "creds.ini"),
        AWS_CONFIG_FILE=str(elsewhere / "conf.ini"),
    )
    settings = resolve_settings(environ=env)
    assert (settings.access_key_id, settings.region) == ("AKIDMOVED", "sa-east-1")
    # "~" in those variables means the environment's HOME.
    env["AWS_SHARED_CREDENTIALS_FILE"] = "~/elsewhere/creds.ini"
    assert resolve_settings(environ=env).access_key_id == "AKIDMOVED"
    # So do $VAR and ${VAR}, from that environment, before "~" (as botocore expands them).
    env.update(PLACE="elsewhere", TILDE="~")
    for path in ("$HOME/$PLACE/creds.ini", "${HOME}/${PLACE}/creds.ini", "${TILDE}/elsewhere/creds.ini"):
        env["AWS_SHARED_CREDENTIALS_FILE"] = path
        assert resolve_settings(environ=env).access_key_id == "AKIDMOVED", path
    # An unset variable stays as written, and so names a file that is not there.
    env["AWS_SHARED_CREDENTIALS_FILE"] = "$NOT_SET/creds.ini"
    with pytest.raises(ConfigurationError, match=r"\$NOT_SET/creds\.ini \(not found\)"):
        resolve_settings(profile="moved", environ=env)


def test_session_tokens_and_empty_variables(tmp_path: Path) -> None:
    env = home(tmp_path, **ENV_KEYS, AWS_SECURITY_TOKEN="legacy-token")
    assert resolve_settings(environ=env).session_token == "legacy-token"
    env["AWS_SESSION_TOKEN"] = "new-token"
    assert resolve_settings(environ=env).session_token == "new-token"
    # Empty variables count as unset, as in botocore.
    env = home(tmp_path, credentials=CREDENTIALS_FILE, AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="", AWS_REGION="")
    settings = resolve_settings(environ=env)
    assert settings.access_key_id == CREDENTIALS_ID and settings.region is None


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"AWS_ACCESS_KEY_ID": "AKIDONLY"}, "AWS_SECRET_ACCESS_KEY"), ({"AWS_SECRET_ACCESS_KEY": "lonely"}, "AWS_ACCESS_KEY_ID")],
)
def test_partial_environment_credentials(tmp_path: Path, env: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigurationError, match=missing) as raised:
        resolve_settings(environ=home(tmp_path, **env))
    assert "lonely" not in str(raised.value)


def test_partial_file_and_explicit_credentials(tmp_path: Path) -> None:
    env = home(tmp_path, credentials="[default]\naws_secret_access_key = half-a-secret\n")
    with pytest.raises(ConfigurationError, match="aws_access_key_id is missing") as raised:
        resolve_settings(environ=env)
    assert "half-a-secret" not in str(raised.value)
    with pytest.raises(ConfigurationError, match="secret_access_key= is missing"):
        resolve_settings(access_key_id="AKIDX", environ=home(tmp_path))
    with pytest.raises(ConfigurationError, match="session_token="):
        resolve_settings(session_token="token", environ=home(tmp_path, **ENV_KEYS))


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("role_arn", "arn:aws:iam::123456789012:role/r\nsource_profile = default"),
        ("web_identity_token_file", "/var/run/token"),
        ("sso_session", "corp"),
        ("sso_start_url", "https://corp.awsapps.com/start"),
        ("credential_process", "/usr/bin/fetch-creds"),
        ("login_session", "arn:aws:iam::123456789012:user/me"),
    ],
)
def test_profiles_needing_other_credentials_are_refused_plainly(tmp_path: Path, setting: str, value: str) -> None:
    env = home(tmp_path, config=f"[profile corp]\nregion = us-east-2\n{setting} = {value}\n")
    with pytest.raises(UnsupportedCredentialsError) as raised:
        resolve_settings(profile="corp", environ=env)
    message = str(raised.value)
    assert setting in message and "not support" in message and "export-credentials --profile corp" in message
    assert "\n" not in message


def test_precedence_between_static_keys_and_unsupported_settings(tmp_path: Path) -> None:
    # botocore tries an assumed role before static keys, and static keys in the
    # credentials file before credential_process.
    env = home(
        tmp_path,
        config="[profile p]\ncredential_process = /bin/creds\n[profile r]\nrole_arn = arn:aws:iam::1:role/x\n",
        credentials="[p]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n"
        "[r]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n",
    )
    assert resolve_settings(profile="p", environ=env).access_key_id == "AKIDSTATIC"
    with pytest.raises(UnsupportedCredentialsError, match="role_arn"):
        resolve_settings(profile="r", environ=env)


def test_web_identity_in_the_environment_is_refused(tmp_path: Path) -> None:
    env = home(tmp_path, AWS_WEB_IDENTITY_TOKEN_FILE="/var/run/token", AWS_ROLE_ARN="arn:aws:iam::1:role/x")
    with pytest.raises(UnsupportedCredentialsError, match="AWS_WEB_IDENTITY_TOKEN_FILE"):
        resolve_settings(environ=env)
    # Environment keys come first, as in botocore.
    assert resolve_settings(environ={**env, **ENV_KEYS}).credentials_source == "environment"


def test_missing_credentials_name_every_place_looked_at(tmp_path: Path) -> None:
    env = home(tmp_path, config="[default]\nregion = eu-west-1\n")
    with pytest.raises(NoCredentialsError) as raised:
        resolve_settings(environ=env)
    message = str(raised.value)
    assert "\n" not in message
    assert "AWS_ACCESS_KEY_ID" in message and "profile 'default'" in message
    assert str(tmp_path / ".aws" / "credentials") + " (not found)" in message
    assert str(tmp_path / ".aws" / "config") in message
    assert "instance metadata" in message
    with pytest.raises(NoCredentialsError, match="container credentials are set but not supported"):
        resolve_settings(environ={**env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"})


def test_an_unknown_named_profile_is_an_error(tmp_path: Path) -> None:
    env = home(tmp_path, credentials=CREDENTIALS_FILE, AWS_PROFILE="nope")
    with pytest.raises(ConfigurationError, match="profile 'nope' \\(from AWS_PROFILE\\) not found"):
        resolve_settings(environ=env)
    with pytest.raises(ConfigurationError, match="profile 'nope' \\(from --profile/profile=\\) not found"):
        resolve_settings(profile="nope", environ=home(tmp_path))


# --- region, endpoint, addressing -----------------------------------------------------


def region_and_source(**options: Any) -> tuple[str | None, str | None]:
    settings = resolve_settings(**options)
    return settings.region, settings.region_source


def endpoint_and_source(**options: Any) -> tuple[str | None, str | None]:
    settings = resolve_settings(**options)
    return settings.endpoint, settings.endpoint_source


def test_region_precedence(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE)
    config = f"profile 'default' in {tmp_path / '.aws' / 'config'}"
    assert region_and_source(environ=env) == ("eu-west-3", config)
    env["AWS_DEFAULT_REGION"] = "us-west-1"
    assert region_and_source(environ=env) == ("us-west-1", "AWS_DEFAULT_REGION")
    env["AWS_REGION"] = "us-west-2"
    assert region_and_source(environ=env) == ("us-west-2", "AWS_REGION")
    assert region_and_source(region="ca-central-1", environ=env) == ("ca-central-1", "explicit")
    (tmp_path / "empty").mkdir()
    assert region_and_source(environ=home(tmp_path / "empty", **ENV_KEYS)) == (None, None)


def test_region_in_the_credentials_file_counts_as_the_profiles(tmp_path: Path) -> None:
    # botocore merges the credentials file's profile into the config's, its values winning.
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE + "region = eu-north-1\n")
    # CREDENTIALS_FILE ends in [dev], so the region lands in that profile, whose
    # config-file region is ap-south-1.
    assert resolve_settings(environ=env).region == "eu-west-3"
    assert region_and_source(profile="dev", environ=env) == (
        "eu-north-1",
        f"profile 'dev' in {tmp_path / '.aws' / 'credentials'}",
    )


SERVICES_CONFIG = """\
[default]
aws_access_key_id = AKIDX
aws_secret_access_key = x
endpoint_url = http://profile.example
services = local

[services local]
s3 =
  endpoint_url = http://services.example
"""


def test_endpoint_precedence(tmp_path: Path) -> None:
    env = home(tmp_path, config=SERVICES_CONFIG)
    config = tmp_path / ".aws" / "config"
    assert endpoint_and_source(environ=env) == (
        "http://services.example",
        f"services 'local' in {config} (s3 endpoint_url)",
    )
    env["AWS_ENDPOINT_URL"] = "http://global-env.example"
    assert endpoint_and_source(environ=env) == ("http://global-env.example", "AWS_ENDPOINT_URL")
    env["AWS_ENDPOINT_URL_S3"] = "http://s3-env.example"
    assert endpoint_and_source(environ=env) == ("http://s3-env.example", "AWS_ENDPOINT_URL_S3")
    assert endpoint_and_source(endpoint="http://explicit.example", environ=env) == (
        "http://explicit.example",
        "explicit",
    )
    without_services = home(tmp_path, config=SERVICES_CONFIG.replace("services = local\n", ""))
    assert endpoint_and_source(environ=without_services) == ("http://profile.example", f"profile 'default' in {config}")


def test_configured_endpoints_can_be_ignored(tmp_path: Path) -> None:
    env = home(tmp_path, config=SERVICES_CONFIG, AWS_ENDPOINT_URL="http://env.example")
    ignoring = {**env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    assert resolve_settings(environ=ignoring).endpoint is None
    # An explicit endpoint is never ignored.
    assert resolve_settings(endpoint="http://explicit.example", environ=ignoring).endpoint == "http://explicit.example"
    in_profile = home(
        tmp_path,
        config=SERVICES_CONFIG.replace("[default]\n", "[default]\nignore_configured_endpoint_urls = true\n"),
        AWS_ENDPOINT_URL="http://env.example",
    )
    assert resolve_settings(environ=in_profile).endpoint is None
    # The environment's switch, when set, wins over the profile's.
    assert resolve_settings(environ={**in_profile, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}).endpoint == (
        "http://env.example"
    )


def test_a_missing_services_section_is_an_error(tmp_path: Path) -> None:
    env = home(tmp_path, config=SERVICES_CONFIG.replace("[services local]", "[services other]"))
    with pytest.raises(ConfigurationError, match=r"services = local, but \[services local\] is missing"):
        resolve_settings(environ=env)


def test_addressing_style_from_the_nested_s3_section(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE)
    assert resolve_settings(environ=env).addressing is None
    assert resolve_settings(profile="dev", environ=env).addressing == "path"
    assert resolve_settings(profile="dev", addressing="virtual", environ=env).addressing == "virtual"
    bad = home(tmp_path, config="[default]\ns3 =\n  addressing_style = sideways\n", **ENV_KEYS)
    with pytest.raises(ConfigurationError, match="addressing_style must be one of auto, virtual, path"):
        resolve_settings(environ=bad)


# --- files that cannot be read --------------------------------------------------------


def test_parse_errors_never_quote_the_file(tmp_path: Path) -> None:
    secret = "wJalrXUtnFEMI-K7MDENG-do-not-print"
    for text in (
        f"aws_secret_access_key = {secret}\n",  # no section header
        f"[default]\naws_secret_access_key {secret}\n",  # no '='
        f"[default]\ns3 =\n  {secret}\n",  # nested line without '='
        f"[default]\naws_secret_access_key = {secret}\n[default]\nregion = x\n",  # duplicate section
    ):
        env = home(tmp_path, credentials=text)
        with pytest.raises(ConfigurationError) as raised:
            resolve_settings(environ=env)
        assert secret not in str(raised.value) and "credentials" in str(raised.value)


def test_unreadable_file(tmp_path: Path) -> None:
    env = home(tmp_path)
    (tmp_path / ".aws" / "config").write_bytes(b"[default]\nregion = \xff\n")
    with pytest.raises(ConfigurationError, match="not UTF-8"):
        resolve_settings(environ={**env, **ENV_KEYS})
    (tmp_path / ".aws" / "config").unlink()
    (tmp_path / ".aws" / "config").mkdir()
    with pytest.raises(ConfigurationError, match="cannot read"):
        resolve_settings(environ={**env, **ENV_KEYS})


def test_settings_repr_masks_secrets(tmp_path: Path) -> None:
    settings = resolve_settings(
        access_key_id=AWS_EXAMPLE_ACCESS_KEY_ID,
        secret_access_key=AWS_EXAMPLE_SECRET,
        session_token="token-value-1234",
        environ=home(tmp_path),
    )
    shown = repr(settings)
    assert AWS_EXAMPLE_SECRET not in shown and "token-value-1234" not in shown
    assert AWS_EXAMPLE_ACCESS_KEY_ID not in shown and "AKIA" in shown
    assert isinstance(settings, AwsSettings)


# --- building a Presigner -------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "options", "message", "note"),
    [
        (
            {"AWS_REGION": "eu-west-1"},
            {"provider": "r2", "account_id": "0123456789abcdef0123456789abcdef"},
            "region 'eu-west-1' is not a Cloudflare R2 region",
            "(region 'eu-west-1' came from AWS_REGION)",
        ),
        (
            {"AWS_DEFAULT_REGION": "EU"},
            {},
            "region must be lowercase letters",
            "(region 'EU' came from AWS_DEFAULT_REGION)",
        ),
        (
            {"AWS_ENDPOINT_URL": "https://minio.example:9000"},
            {"provider": "r2", "account_id": "0123456789abcdef0123456789abcdef"},
            "account_id= chooses the Cloudflare R2 host, but endpoint= gives the host itself",
            "(the endpoint came from AWS_ENDPOINT_URL)",
        ),
        (
            {"AWS_ENDPOINT_URL_S3": "https://user:hunter2@minio.example"},
            {},
            "endpoint must not contain user information",
            "(the endpoint came from AWS_ENDPOINT_URL_S3)",
        ),
    ],
)
def test_errors_say_where_a_region_or_endpoint_came_from(
    tmp_path: Path, env: dict[str, str], options: dict[str, Any], message: str, note: str
) -> None:
    environ = home(tmp_path, **ENV_KEYS, **env)
    with pytest.raises(PresignError) as caught:
        presigner_from_env(environ=environ, **options)
    text = str(caught.value)
    assert text.startswith(message) and text.endswith(note)
    assert "hunter2" not in text
    # Given as arguments, the same values need no note: the caller knows where they are from.
    explicit: dict[str, Any] = {}
    if "region" in note:
        explicit = {"region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")}
    if "endpoint" in note:
        explicit = {"endpoint": env.get("AWS_ENDPOINT_URL") or env.get("AWS_ENDPOINT_URL_S3")}
    with pytest.raises(PresignError) as without_note:
        presigner_from_env(environ=home(tmp_path, **ENV_KEYS), **explicit, **options)
    assert str(without_note.value).startswith(message) and "came from" not in str(without_note.value)


def test_errors_about_other_things_get_no_note(tmp_path: Path) -> None:
    environ = home(tmp_path, **ENV_KEYS, AWS_REGION="eu-west-1", AWS_ENDPOINT_URL="https://minio.example")
    with pytest.raises(PresignError) as caught:
        presigner_from_env(environ=environ, bucket="x")
    assert "came from" not in str(caught.value) and "bucket" in str(caught.value)


def test_presigner_from_env_matches_a_presigner_built_by_hand(tmp_path: Path) -> None:
    env = home(tmp_path, config=CONFIG_FILE, credentials=CREDENTIALS_FILE, AWS_SESSION_TOKEN="ignored-without-env-keys")
    pinned = float(AWS_EXAMPLE_TIME)
    built = presigner_from_env(profile="dev", environ=env, bucket="my-bucket", clock=lambda: pinned)
    by_hand = Presigner(
        "AKIDDEVCREDENTIALS",
        "dev-secret",
        session_token="dev-token",
        region="ap-south-1",
        addressing="path",
        bucket="my-bucket",
        clock=lambda: pinned,
    )
    assert built.get("a/b.txt") == by_hand.get("a/b.txt")
    assert "https://s3.ap-south-1.amazonaws.com/my-bucket/a/b.txt?" in built.get("a/b.txt")
    # Options given here beat every other source.
    override = presigner_from_env(profile="dev", region="eu-west-1", environ=env, bucket="my-bucket")
    assert override.region == "eu-west-1"


def test_credential_expiration_from_the_environment(tmp_path: Path) -> None:
    env = home(tmp_path, **ENV_KEYS, AWS_CREDENTIAL_EXPIRATION="2013-05-24T01:00:00Z")
    assert resolve_settings(environ=env).credentials_expiry == dt.datetime(2013, 5, 24, 1, tzinfo=dt.timezone.utc)
    pinned = float(AWS_EXAMPLE_TIME)  # 2013-05-24T00:00:00Z: one hour before the expiry
    presigner = presigner_from_env(environ=env, bucket="b-1", clock=lambda: pinned)
    assert "X-Amz-Expires=600&" in presigner.get("k", expires=600)
    with pytest.raises(PresignError, match="credentials expire"):
        presigner.get("k", expires=7200)
    clamped = presigner_from_env(environ=env, bucket="b-1", clock=lambda: pinned, clamp_to_credentials=True)
    assert "X-Amz-Expires=3600&" in clamped.get("k", expires=7200)
    with pytest.raises(ConfigurationError, match="AWS_CREDENTIAL_EXPIRATION must be an ISO 8601 time"):
        resolve_settings(environ={**env, "AWS_CREDENTIAL_EXPIRATION": "tomorrow"})


def test_presigner_from_botocore_and_boto3_sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    botocore_session = pytest.importorskip("botocore.session")
    boto3 = pytest.importorskip("boto3")
    # Keep the sessions away from the real ~/.aws.
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                 "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    pinned = float(AWS_EXAMPLE_TIME)
    expected = Presigner(
        AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, session_token="tok", region="eu-west-2", clock=lambda: pinned
    ).get("k", bucket="b-1")

    session = botocore_session.get_session()
    session.set_credentials(AWS_EXAMPLE_ACCESS_KEY_ID, AWS_EXAMPLE_SECRET, "tok")
    session.set_config_variable("region", "eu-west-2")
    assert presigner_from_session(session, clock=lambda: pinned).get("k", bucket="b-1") == expected

    boto_session = boto3.Session(
        aws_access_key_id=AWS_EXAMPLE_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_EXAMPLE_SECRET,
        aws_session_token="tok",
        region_name="eu-west-2",
    )
    assert presigner_from_session(boto_session, clock=lambda: pinned).get("k", bucket="b-1") == expected
    assert presigner_from_session(boto_session, region="us-east-2").region == "us-east-2"


def test_presigner_from_session_with_refreshable_credentials() -> None:
    credentials_module = pytest.importorskip("botocore.credentials")
    # Far enough ahead that botocore does not try to refresh; the URLs are signed half
    # an hour before it.
    expiry = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=2)
    pinned = expiry.timestamp() - 1800
    refreshable = credentials_module.RefreshableCredentials.create_from_metadata(
        metadata={
            "access_key": AWS_EXAMPLE_ACCESS_KEY_ID,
            "secret_key": AWS_EXAMPLE_SECRET,
            "token": "role-token",
            "expiry_time": expiry.isoformat(),
        },
        refresh_using=lambda: pytest.fail("no refresh expected"),
        method="test",
    )

    class RoleSession:
        region_name = "us-west-2"

        def get_credentials(self) -> object:
            return refreshable

    presigner = presigner_from_session(RoleSession(), clock=lambda: pinned)
    assert "X-Amz-Security-Token=role-token&" in presigner.get("k", bucket="b-1", expires=600)
    with pytest.raises(PresignError, match="credentials expire"):
        presigner.get("k", bucket="b-1", expires=3600)


def test_presigner_from_a_session_without_credentials() -> None:
    class Empty:
        region_name = None

        def get_credentials(self) -> None:
            return None

    with pytest.raises(NoCredentialsError, match="session has no credentials"):
        presigner_from_session(Empty())
