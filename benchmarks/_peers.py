"""The libraries ``bench_core.py`` races against, each built once with fake credentials.

Nothing here touches the network except ``pip download`` of the C++ libpresign 1.2.0
wheel, once, into ``benchmarks/.cache/``. Every peer is told its region, so none of them
asks S3 where a bucket lives.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.metadata
import importlib.util
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Final

__all__ = [
    "ACCESS_KEY_ID",
    "BUCKET",
    "CPP_VERSION",
    "EXPIRES",
    "KEY",
    "REGION",
    "SECRET_ACCESS_KEY",
    "Contender",
    "Missing",
    "boto3_peer",
    "cpp_extension_path",
    "cpp_peer",
    "load_cpp_extension",
    "minio_peer",
    "obstore_peer",
]

# AWS's documentation example credentials: well formed, valid nowhere.
ACCESS_KEY_ID: Final = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY: Final = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION: Final = "eu-west-1"
BUCKET: Final = "bench-bucket"
# Needs no percent-encoding, so every contender's URL contains it verbatim.
KEY: Final = "photos/2024/06/cat-0001.jpg"
EXPIRES: Final = 3600

CPP_VERSION: Final = "1.2.0"
INSTALL_HINT: Final = "pip install 'libpresign[bench]'  (or from a checkout: pip install '.[bench]')"


@dataclass(frozen=True)
class Contender:
    """One timed statement: ``call`` is evaluated in ``namespace`` and returns URLs.

    The sanity check evaluates the very statement that is timed, so a contender that
    returns an error page or raises is caught before it is timed.
    """

    name: str
    call: str
    namespace: dict[str, object] = field(repr=False)
    origin: str
    urls_per_call: int = 1


@dataclass(frozen=True)
class Missing:
    """A peer that could not be set up, and how to get it."""

    name: str
    reason: str
    hint: str


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown version"


def boto3_peer() -> Contender | Missing:
    """boto3's ``generate_presigned_url`` with SigV4, one client reused."""
    name = "boto3 generate_presigned_url (s3v4)"
    try:
        boto3 = importlib.import_module("boto3")
        botocore_config = importlib.import_module("botocore.config")
    except ImportError as exc:
        return Missing(name, f"not installed ({exc.name})", INSTALL_HINT)
    client = boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=botocore_config.Config(signature_version="s3v4"),
    )
    return Contender(
        name=name,
        call="sign('get_object', Params=params, ExpiresIn=expires)",
        namespace={
            "sign": client.generate_presigned_url,
            "params": {"Bucket": BUCKET, "Key": KEY},
            "expires": EXPIRES,
        },
        origin=f"boto3 {_version('boto3')}, botocore {_version('botocore')}",
    )


def minio_peer() -> Contender | Missing:
    """minio-py's ``presigned_get_object``, one client with its region given."""
    name = "minio presigned_get_object"
    try:
        minio = importlib.import_module("minio")
    except ImportError as exc:
        return Missing(name, f"not installed ({exc.name})", INSTALL_HINT)
    # With region= set, minio never asks the server for the bucket's location.
    client = minio.Minio(
        "s3.amazonaws.com", access_key=ACCESS_KEY_ID, secret_key=SECRET_ACCESS_KEY, region=REGION, secure=True
    )
    return Contender(
        name=name,
        call="sign(bucket, key, expires=expires)",
        namespace={
            "sign": client.presigned_get_object,
            "bucket": BUCKET,
            "key": KEY,
            "expires": timedelta(seconds=EXPIRES),
        },
        origin=f"minio {_version('minio')}",
    )


def obstore_peer() -> Contender | Missing:
    """obstore's ``sign`` (Rust object_store) on one ``S3Store``."""
    name = "obstore sign"
    try:
        obstore = importlib.import_module("obstore")
        obstore_store = importlib.import_module("obstore.store")
    except ImportError as exc:
        return Missing(name, f"not installed ({exc.name})", INSTALL_HINT)
    store = obstore_store.S3Store(
        BUCKET,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
        # The same host shape as Presigner's URLs: bucket.s3.region.amazonaws.com.
        virtual_hosted_style_request=True,
    )
    return Contender(
        name=name,
        call="sign(store, 'GET', key, expires)",
        namespace={"sign": obstore.sign, "store": store, "key": KEY, "expires": timedelta(seconds=EXPIRES)},
        origin=f"obstore {_version('obstore')}",
    )


def _wheel_in(cache: Path) -> Path | None:
    wheels = sorted(cache.glob(f"libpresign-{CPP_VERSION}-*.whl"))
    return wheels[0] if wheels else None


def _download_wheel(cache: Path) -> Path:
    """The C++ libpresign wheel for this platform, downloaded once into ``cache``."""
    cached = _wheel_in(cache)
    if cached is not None:
        return cached
    cache.mkdir(parents=True, exist_ok=True)
    # Binary only: building 1.2.0 from its sdist needs a C++ compiler and OpenSSL.
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        f"libpresign=={CPP_VERSION}", "-d", str(cache),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"pip download failed: {exc}") from None
    wheel = _wheel_in(cache)
    if done.returncode != 0 or wheel is None:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-2:])
        raise RuntimeError(f"pip download failed ({tail})")
    return wheel


def cpp_extension_path(cache: Path) -> Path:
    """Path of the C++ extension of libpresign 1.2.0, unpacked under ``cache``.

    The whole wheel is unpacked because the extension finds its bundled OpenSSL
    through ``$ORIGIN/../libpresign.libs``.
    """
    wheel = _download_wheel(cache)
    unpacked = cache / wheel.name.removesuffix(".whl")
    if not unpacked.is_dir():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found = sorted(path for path in (unpacked / "libpresign").glob("libpresign.*") if path.name.endswith(suffixes))
    if not found:
        raise RuntimeError(f"no libpresign extension in {wheel.name} for this interpreter")
    return found[0]


def load_cpp_extension(path: Path) -> ModuleType:
    """Load the C++ extension at ``path`` without replacing the ``libpresign`` in use.

    Its init function is ``PyInit_libpresign``, so it must load under the name
    ``libpresign``; a single-phase extension registers itself in ``sys.modules`` as it
    loads, so the previous entry is put back afterwards.
    """
    previous = sys.modules.get("libpresign")
    loader = importlib.machinery.ExtensionFileLoader("libpresign", str(path))
    spec = importlib.util.spec_from_file_location("libpresign", path, loader=loader)
    if spec is None:
        raise RuntimeError(f"cannot load {path}")
    try:
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
    finally:
        if previous is None:
            sys.modules.pop("libpresign", None)
        else:
            sys.modules["libpresign"] = previous
    return module


def cpp_peer(cache: Path) -> Contender | Missing:
    """The original C++ ``libpresign.get`` of release 1.2.0, from its PyPI wheel."""
    name = f"C++ libpresign {CPP_VERSION} get"
    hint = f"pip download --no-deps --only-binary=:all: libpresign=={CPP_VERSION} -d {cache}"
    try:
        path = cpp_extension_path(cache)
        module = load_cpp_extension(path)
    except (RuntimeError, ImportError, OSError, zipfile.BadZipFile) as exc:
        return Missing(name, str(exc), hint)
    return Contender(
        name=name,
        call="sign(access_key_id, secret, region, bucket, key, expires)",
        namespace={
            "sign": module.get,
            "access_key_id": ACCESS_KEY_ID,
            "secret": SECRET_ACCESS_KEY,
            "region": REGION,
            "bucket": BUCKET,
            "key": KEY,
            "expires": EXPIRES,
        },
        origin=str(path),
    )
