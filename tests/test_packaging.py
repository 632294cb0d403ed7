"""Wheel, sdist and editable installs each find every built-in provider profile.

The top-level ``backends/`` folder is mapped to ``libpresign/backends`` by hatchling's
``force-include``; an editable install instead finds the checkout's ``backends/``. Each
build is made from this checkout with hatchling's PEP 517 hooks (no build isolation, no
network; ``HATCH_BUILD_NO_HOOKS=true`` skips mypyc, which is not what is tested here),
installed with ``pip --target`` and imported in a fresh interpreter that sees nothing
else (``-I -S``). Needs ``hatchling`` and ``editables`` installed (the ``test`` extra).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DIST = Path(__file__).parent / "plugin_dist"
BACKENDS = sorted(path.name for path in (ROOT / "backends").glob("*.py"))


@dataclass(frozen=True)
class Builds:
    wheel: Path
    sdist: Path
    wheel_from_sdist: Path
    editable: Path


def _run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _build(hook: str, source: Path, out: Path) -> Path:
    """Call hatchling's PEP 517 ``hook`` in ``source``; return the artifact."""
    out.mkdir(parents=True, exist_ok=True)
    code = f"from hatchling.build import {hook}; print({hook}({str(out)!r}))"
    env = dict(os.environ, HATCH_BUILD_NO_HOOKS="true")
    name = _run([sys.executable, "-c", code], cwd=source, env=env).strip().splitlines()[-1]
    return out / name


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    out = tmp_path_factory.mktemp("dist")
    sdist = _build("build_sdist", ROOT, out / "sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(out / "unpacked", filter="data")
    (unpacked,) = (out / "unpacked").iterdir()
    return Builds(
        wheel=_build("build_wheel", ROOT, out / "wheel"),
        sdist=sdist,
        wheel_from_sdist=_build("build_wheel", unpacked, out / "wheel-from-sdist"),
        editable=_build("build_editable", ROOT, out / "editable"),
    )


def _install(artifact: Path, target: Path) -> Path:
    _run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--target", str(target), str(artifact)],
        cwd=target.parent,
    )
    return target


# Run with -I -S: no PYTHONPATH, no current directory, no site-packages; only the
# target directory (with its .pth files processed) is added.
_PROBE = """
    import importlib.util, json, site, sys
    site.addsitedir(sys.argv[1])
    import libpresign
    from libpresign.providers import backends_directory, get_provider, known_providers
    loaded = {name: get_provider(name).name for name in known_providers()}
    print(json.dumps({
        "libpresign": libpresign.__file__,
        "backends": str(backends_directory()),
        "known": known_providers(),
        "loaded": loaded,
        "top_level_backends": importlib.util.find_spec("backends") is not None,
    }))
"""


@dataclass(frozen=True)
class Probe:
    """What a fresh interpreter saw of an installed libpresign."""

    libpresign: Path
    backends: Path
    known: set[str]
    loaded: dict[str, str]
    top_level_backends: bool


def _probe(target: Path) -> Probe:
    output = _run([sys.executable, "-I", "-S", "-c", textwrap.dedent(_PROBE), str(target)], cwd=target.parent)
    seen = json.loads(output)
    return Probe(
        libpresign=Path(seen["libpresign"]),
        backends=Path(seen["backends"]),
        known=set(seen["known"]),
        loaded=seen["loaded"],
        top_level_backends=seen["top_level_backends"],
    )


def _expected_names() -> set[str]:
    return {name.removesuffix(".py") for name in BACKENDS}


def test_the_checkout_has_the_builtin_backends() -> None:
    assert {"aws.py", "r2.py", "wasabi.py", "s3.py"} <= set(BACKENDS)


@pytest.mark.parametrize("which", ["wheel", "wheel_from_sdist"])
def test_wheels_put_backends_inside_the_package(builds: Builds, which: str) -> None:
    names = zipfile.ZipFile(getattr(builds, which)).namelist()
    assert {f"libpresign/backends/{name}" for name in BACKENDS} <= set(names)
    assert not [name for name in names if name.startswith("backends/")]
    assert not [name for name in names if name.endswith((".so", ".pyd"))]


def test_sdist_keeps_the_top_level_backends_folder(builds: Builds) -> None:
    with tarfile.open(builds.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"backends/{name}" for name in BACKENDS} <= names
    assert {"pyproject.toml", "libpresign/providers.py", "tests/plugin_dist/pyproject.toml"} <= names


@pytest.mark.parametrize("which", ["wheel", "wheel_from_sdist"])
def test_installed_wheels_find_every_builtin(builds: Builds, which: str, tmp_path: Path) -> None:
    target = _install(getattr(builds, which), tmp_path / "site")
    result = _probe(target)
    assert result.libpresign.is_relative_to(target)
    assert result.backends == target / "libpresign" / "backends"
    assert result.known == _expected_names()
    assert result.loaded == {name: name for name in _expected_names()}
    assert result.top_level_backends is False


def test_editable_install_finds_the_checkouts_backends(builds: Builds, tmp_path: Path) -> None:
    target = _install(builds.editable, tmp_path / "site")
    result = _probe(target)
    assert result.libpresign.is_relative_to(ROOT / "libpresign")
    assert result.backends == ROOT / "backends"
    assert result.known == _expected_names()
    assert result.loaded == {name: name for name in _expected_names()}


def test_the_plugin_distribution_installs_with_pip(builds: Builds, tmp_path: Path) -> None:
    # The pyproject snippet docs/providers.md shows, built and installed for real.
    target = _install(builds.wheel, tmp_path / "site")
    _install(PLUGIN_DIST, target)
    code = """
        import json, site, sys
        site.addsitedir(sys.argv[1])
        from libpresign import Presigner
        url = Presigner("AKIA", "secret", provider="acme", region="zone-1", bucket="data", clock=lambda: 0).get("k")
        print(json.dumps(url))
    """
    output = _run([sys.executable, "-I", "-S", "-c", textwrap.dedent(code), str(target)], cwd=tmp_path)
    assert json.loads(output).startswith("https://data.zone-1.acme-storage.example/k?X-Amz-Algorithm=")
