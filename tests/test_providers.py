"""The provider registry: built-ins from backends/, runtime registration, entry points."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import libpresign
from libpresign import Presigner, PresignError, PresignTypeError, Profile
from libpresign.providers import ENTRY_POINT_GROUP, backends_directory, get_provider, known_providers, register_provider

PLUGIN_DIST = Path(__file__).parent / "plugin_dist"
BUILTINS = {"aws", "minio", "wasabi", "r2", "gcs", "digitalocean", "backblaze", "ceph", "scaleway", "linode", "s3"}


def test_builtins_come_from_the_backends_folder() -> None:
    assert {path.stem for path in backends_directory().glob("*.py")} == BUILTINS
    assert BUILTINS <= set(known_providers())
    for name in BUILTINS:
        assert get_provider(name).name == name
    assert get_provider("minio").title == "MinIO"


def test_unknown_provider_lists_known_names() -> None:
    with pytest.raises(PresignError, match=r"unknown provider 'nosuch'; known providers: .*aws.*minio.*wasabi"):
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


def test_builtin_names_cannot_be_taken_silently(monkeypatch: pytest.MonkeyPatch) -> None:
    from libpresign import providers

    # Not loaded yet (other tests may have cached it): the backends/ file alone must count.
    monkeypatch.setattr(providers, "_registered", {})
    with pytest.raises(PresignError, match="'aws' is already registered"):
        register_provider(Profile(name="aws", title="Fake"))


def test_signing_never_looks_up_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    from libpresign import providers

    presigner = Presigner("AKIA", "secret", provider="minio", endpoint="http://localhost:9000", bucket="data")

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a provider lookup while signing")

    monkeypatch.setattr(providers, "entry_points", refuse)
    monkeypatch.setattr(providers, "backends_directory", refuse)
    monkeypatch.setattr(providers, "get_provider", refuse)
    presigner.get("k")
    presigner.get("k", bucket="other-bucket")
    presigner.get_many(["a", "b"], bucket="third-bucket")
    presigner.put("k", content_type="text/plain")
    presigner.post("k")


def test_registration_validates() -> None:
    with pytest.raises(PresignTypeError):
        register_provider("aws")  # type: ignore[arg-type]
    with pytest.raises(PresignError, match="provider name must be"):
        register_provider(Profile(name="Bad Name", title="x"))
    with pytest.raises(PresignTypeError, match="replace must be True or False"):
        register_provider(Profile(name="x-store", title="x"), replace=1)  # type: ignore[arg-type]


def test_a_profile_object_can_be_passed_directly() -> None:
    profile = Profile(name="inline", title="Inline", virtual_host="{bucket}.inline.example", default_region="x1")
    url = Presigner("AKIA", "secret", provider=profile, bucket="my-bucket", clock=lambda: 0).get("k")
    assert url.startswith("https://my-bucket.inline.example/k?")


# --- entry points, in a fresh interpreter with hand-installed distributions -----------------


def install_plugin(site: Path, *, name: str = "libpresign-acme", entry_points: dict[str, str] | None = None) -> None:
    """Install ``tests/plugin_dist`` into ``site`` the way a wheel install lays it out:
    the package plus a ``.dist-info`` whose ``entry_points.txt`` importlib.metadata reads.

    ``name`` and ``entry_points`` let a test fake a second distribution.
    """
    project = tomllib.loads((PLUGIN_DIST / "pyproject.toml").read_text())["project"]
    points = entry_points if entry_points is not None else project["entry-points"][ENTRY_POINT_GROUP]
    shutil.copytree(PLUGIN_DIST / "libpresign_acme", site / "libpresign_acme", dirs_exist_ok=True)
    info = site / f"{name.replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {project['version']}\n")
    lines = "".join(f"{point} = {target}\n" for point, target in points.items())
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}")


def run_python(code: str, *sites: Path, cwd: Path) -> object:
    """Run ``code`` in a new interpreter that sees ``sites`` and this libpresign; return
    the JSON it prints."""
    libpresign_root = Path(libpresign.__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, sites), str(libpresign_root)]))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a deadlock fails the test instead of hanging the suite
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_plugin_that_registers_itself_while_imported_does_not_deadlock(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "selfreg").mkdir(parents=True)
    (site / "selfreg" / "__init__.py").write_text(
        "from libpresign import Profile, register_provider\n"
        "PROFILE = Profile(name='selfreg', title='Self', path_host='s3.selfreg.example', default_region='r1')\n"
        "register_provider(PROFILE, replace=True)\n"
    )
    info = site / "selfreg-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: selfreg\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nselfreg = selfreg:PROFILE\n")
    result = run_python(
        """
        import json
        from libpresign import Presigner
        url = Presigner("AKIA", "secret", provider="selfreg", bucket="my-bucket", clock=lambda: 0).get("k")
        print(json.dumps(url))
        """,
        site,
        cwd=tmp_path,
    )
    assert isinstance(result, str) and result.startswith("https://s3.selfreg.example/my-bucket/k?")


def test_an_installed_plugin_is_found_by_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site)
    result = run_python(
        """
        import json
        import libpresign, libpresign_acme
        from libpresign import Presigner, Profile, PresignError, register_provider
        from libpresign.providers import get_provider
        found = get_provider("acme")
        url = Presigner("AKIA", "secret", provider="acme", region="zone-2", bucket="my-bucket", clock=lambda: 0).get("k")
        try:
            register_provider(Profile(name="acme", title="Other"))
            refused = ""
        except PresignError as error:
            refused = str(error)
        register_provider(Profile(name="acme", title="Other", path_host="other.example"), replace=True)
        print(json.dumps({
            "known": libpresign.known_providers(),
            "same_object": found is libpresign_acme.PROFILE,
            "url": url,
            "refused": refused,
            "replaced": get_provider("acme").title,
        }))
        """,
        site,
        cwd=tmp_path,
    )
    assert isinstance(result, dict)
    assert "acme" in result["known"] and BUILTINS <= set(result["known"])
    assert result["same_object"] is True
    assert result["url"].startswith("https://my-bucket.zone-2.acme-storage.example/k?X-Amz-Algorithm=")
    assert result["refused"] == "provider 'acme' is already registered; pass replace=True to replace it"
    assert result["replaced"] == "Other"


def test_entry_points_do_not_shadow_builtins(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site, entry_points={"aws": "libpresign_acme:PROFILE"})
    result = run_python(
        """
        import json
        from libpresign.providers import get_provider
        print(json.dumps(get_provider("aws").title))
        """,
        site,
        cwd=tmp_path,
    )
    assert result == "Amazon S3"


def test_two_packages_claiming_one_name_are_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    install_plugin(first)
    install_plugin(second, name="libpresign-acme-fork", entry_points={"acme": "libpresign_acme:OTHER"})
    result = run_python(
        """
        import json
        from libpresign import PresignError
        from libpresign.providers import get_provider
        try:
            get_provider("acme")
            print(json.dumps(""))
        except PresignError as error:
            print(json.dumps(str(error)))
        """,
        first,
        second,
        cwd=tmp_path,
    )
    assert result == (
        "installed packages disagree on provider 'acme': entry points in group 'libpresign.backends' name "
        "libpresign_acme:OTHER, libpresign_acme:PROFILE; uninstall one, or pick one with "
        "register_provider(..., replace=True)"
    )


def test_one_distribution_seen_twice_is_no_conflict(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    install_plugin(first)
    install_plugin(second)
    result = run_python(
        """
        import json
        from libpresign.providers import get_provider
        print(json.dumps(get_provider("acme").title))
        """,
        first,
        second,
        cwd=tmp_path,
    )
    assert result == "Acme Object Storage"


def test_an_entry_point_must_name_a_profile_of_that_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site, entry_points={"acme": "libpresign_acme:__all__", "zeta": "libpresign_acme:PROFILE"})
    result = run_python(
        """
        import json
        from libpresign import PresignError
        from libpresign.providers import get_provider
        messages = []
        for name in ("acme", "zeta"):
            try:
                get_provider(name)
            except PresignError as error:
                messages.append(str(error))
        print(json.dumps(messages))
        """,
        site,
        cwd=tmp_path,
    )
    assert result == [
        "entry point 'acme' in group 'libpresign.backends' (libpresign_acme:__all__) must be a libpresign.Profile "
        "named 'acme'",
        "entry point 'zeta' in group 'libpresign.backends' (libpresign_acme:PROFILE) must be a libpresign.Profile "
        "named 'zeta'",
    ]
