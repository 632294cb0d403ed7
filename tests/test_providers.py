"""The provider registry: built-ins from backends/, runtime registration."""

from __future__ import annotations

import pytest

import libpresign
from libpresign import Presigner, PresignError, PresignTypeError, Profile
from libpresign.providers import backends_directory, get_provider, known_providers, register_provider


def test_builtins_come_from_the_backends_folder() -> None:
    assert (backends_directory() / "aws.py").is_file()
    assert {"aws", "minio", "s3"} <= set(known_providers())
    assert get_provider("aws").name == "aws" and get_provider("minio").title == "MinIO"


def test_unknown_provider_lists_known_names() -> None:
    with pytest.raises(PresignError, match=r"unknown provider 'nosuch'; known providers: .*aws.*minio"):
        get_provider("nosuch")
    with pytest.raises(PresignError, match="unknown provider '../aws'"):
        get_provider("../aws")
    with pytest.raises(PresignTypeError):
        get_provider(5)


def test_runtime_registration_and_conflicts() -> None:
    profile = Profile(name="test-store", title="Test Store", path_host="s3.{region}.test.example", default_region="r1")
    register_provider(profile)
    try:
        assert "test-store" in libpresign.known_providers()
        url = Presigner("AKIA", "secret", provider="test-store", bucket="my-bucket", clock=lambda: 0).get("k")
        assert url.startswith("https://s3.r1.test.example/my-bucket/k?")
        with pytest.raises(PresignError, match="already registered; pass replace=True"):
            register_provider(profile)
        register_provider(Profile(name="test-store", title="Test Store 2", path_host="x.example"), replace=True)
        assert get_provider("test-store").title == "Test Store 2"
    finally:
        from libpresign import providers

        providers._registered.pop("test-store", None)


def test_builtin_names_cannot_be_taken_silently() -> None:
    with pytest.raises(PresignError, match="'aws' is already registered"):
        register_provider(Profile(name="aws", title="Fake"))


def test_registration_validates() -> None:
    with pytest.raises(PresignTypeError):
        register_provider("aws")  # type: ignore[arg-type]
    with pytest.raises(PresignError, match="provider name must be"):
        register_provider(Profile(name="Bad Name", title="x"))


def test_a_profile_object_can_be_passed_directly() -> None:
    profile = Profile(name="inline", title="Inline", virtual_host="{bucket}.inline.example", default_region="x1")
    url = Presigner("AKIA", "secret", provider=profile, bucket="my-bucket", clock=lambda: 0).get("k")
    assert url.startswith("https://my-bucket.inline.example/k?")
