"""The mypyc-compiled signing core and its Python source give identical results.

In a compiled run (``libpresign.COMPILED``) the checkout's ``libpresign`` package is
imported a second time, as plain Python from its ``.py`` files, beside the installed
compiled one. Both sides are then driven through the same public API with the same
pinned clock: whole URLs for hypothesis-generated cases (fast and general paths,
batches, midnight crossings), each SigV4 step, and the errors for bad input. In a pure
run there is nothing compiled to compare, so the module skips.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import inspect
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libpresign
from libpresign import Presigner, _signer, _sigv4
from strategies import (
    CUSTOM_ENDPOINTS,
    AwsCase,
    Bucket,
    Credentials,
    aws_buckets,
    aws_cases,
    clock_readings,
    expires_values,
    midnight_seconds,
    object_keys,
    signing_seconds,
)

pytestmark = pytest.mark.skipif(
    not libpresign.COMPILED,
    reason="libpresign was imported from Python source (COMPILED is False): there is no compiled "
    "signing core to compare with; run this module against an installed compiled wheel",
)

# The checkout these tests live in: the parent of tests/ holds the libpresign/ source.
SOURCE_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGE = SOURCE_ROOT / "libpresign"
# Providers the tests below use, loaded while the source package is being imported.
PROVIDERS = ("aws", "minio", "s3")

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _SourceOnlyFinder(importlib.abc.MetaPathFinder):
    """Resolves ``libpresign`` and its submodules to ``.py`` files of the checkout only,
    so a stale in-place ``.so`` beside the source cannot stand in for it."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] != "libpresign":
            return None
        for directory in [str(SOURCE_ROOT)] if path is None else list(path):
            finder = importlib.machinery.FileFinder(
                directory, (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES)
            )
            spec = finder.find_spec(fullname)
            if spec is not None:
                return spec
        # Never fall through to the installed (compiled) package.
        raise ModuleNotFoundError(f"{fullname} has no .py source under {SOURCE_ROOT}", name=fullname)


@dataclass(frozen=True)
class Source:
    """A second, interpreted copy of libpresign imported from the checkout."""

    modules: dict[str, ModuleType]

    @property
    def sigv4(self) -> ModuleType:
        return self.modules["libpresign._sigv4"]

    @property
    def signer(self) -> ModuleType:
        return self.modules["libpresign._signer"]

    @property
    def Presigner(self) -> Any:
        return self.modules["libpresign"].Presigner


def _ours(name: str) -> bool:
    return name == "libpresign" or name.startswith("libpresign.")


def import_source_package() -> Source:
    """Import the checkout's libpresign as pure Python, beside the compiled one.

    For the duration of the import ``libpresign.*`` names in ``sys.modules`` are the
    source modules, so their absolute imports bind to each other; afterwards the
    compiled modules are put back. The source modules keep working: nothing in them
    imports lazily, and their provider registry is filled during the import.
    """
    installed = {name: module for name, module in sys.modules.items() if _ours(name)}
    finder = _SourceOnlyFinder()
    for name in installed:
        del sys.modules[name]
    sys.meta_path.insert(0, finder)
    try:
        package = importlib.import_module("libpresign")
        providers = importlib.import_module("libpresign.providers")
        for provider in PROVIDERS:
            providers.get_provider(provider)
        loaded = {name: module for name, module in sys.modules.items() if _ours(name)}
    finally:
        sys.meta_path.remove(finder)
        for name in [name for name in sys.modules if _ours(name)]:
            del sys.modules[name]
        sys.modules.update(installed)
    assert package is not libpresign
    return Source(loaded)


@pytest.fixture(scope="module")
def source() -> Source:
    return import_source_package()


def test_sides_are_compiled_and_pure(source: Source) -> None:
    # Without this the whole module could compare the source with itself and pass.
    for compiled in (_sigv4, _signer):
        assert Path(compiled.__file__ or "").suffix in (".so", ".pyd"), compiled.__file__
    assert not inspect.isfunction(_sigv4.uri_encode_path)
    assert not inspect.isfunction(_signer.amz_date)
    assert Presigner.__module__ == "libpresign.presigner"
    assert sys.modules["libpresign._signer"] is _signer
    for module in source.modules.values():
        path = Path(module.__file__ or "")
        # Built-in profiles are loaded by file path from the checkout's top-level backends/.
        home = SOURCE_ROOT / "backends" if module.__name__.startswith("libpresign.backends.") else SOURCE_PACKAGE
        assert path.suffix == ".py" and home in path.parents, path
    assert inspect.isfunction(source.sigv4.uri_encode_path)
    assert inspect.isfunction(source.signer.amz_date)
    # The source Presigner must sign with the source core, not the compiled one.
    assert source.modules["libpresign.presigner"].UrlSigner is source.signer.UrlSigner
    assert source.signer.hmac_pads is source.sigv4.hmac_pads
    assert source.Presigner is not Presigner


def _pair(source: Source, case: AwsCase, clock: Callable[[], float], **options: Any) -> tuple[Any, Any]:
    """A compiled and a source Presigner built from the same arguments."""
    def build(cls: Any) -> Any:
        return cls(
            case.credentials.access_key_id,
            case.credentials.secret_access_key,
            session_token=case.credentials.session_token,
            region=case.region,
            bucket=case.bucket.name,
            clock=clock,
            **options,
        )

    return build(Presigner), build(source.Presigner)


@EXAMPLES
@given(case=aws_cases(), addressing=st.sampled_from([None, "auto", "path"]))
def test_get_urls_equal_source(source: Source, case: AwsCase, addressing: str | None) -> None:
    compiled, pure = _pair(source, case, lambda: case.clock, addressing=addressing)
    assert compiled.get(case.key, expires=case.expires) == pure.get(case.key, expires=case.expires)


@EXAMPLES
@given(case=aws_cases(), data=st.data())
def test_per_call_bucket_and_at_equal_source(source: Source, case: AwsCase, data: st.DataObject) -> None:
    # A bucket= override builds another prepared signer; at= takes the general path.
    other = data.draw(aws_buckets(case.region)).name
    at = data.draw(signing_seconds())
    compiled, pure = _pair(source, case, lambda: case.clock)
    assert compiled.get(case.key, bucket=other, expires=case.expires) == pure.get(
        case.key, bucket=other, expires=case.expires
    )
    assert compiled.get(case.key, expires=case.expires, at=at) == pure.get(case.key, expires=case.expires, at=at)


@EXAMPLES
@given(
    case=aws_cases(),
    endpoint=st.sampled_from(CUSTOM_ENDPOINTS),
    provider=st.sampled_from(["aws", "s3"]),
    addressing=st.sampled_from([None, "path"]),
)
def test_endpoint_urls_equal_source(
    source: Source, case: AwsCase, endpoint: str, provider: str, addressing: str | None
) -> None:
    compiled, pure = _pair(
        source, case, lambda: case.clock, endpoint=endpoint, provider=provider, addressing=addressing
    )
    assert compiled.get(case.key, expires=case.expires) == pure.get(case.key, expires=case.expires)


@EXAMPLES
@given(
    case=aws_cases(),
    midnight=midnight_seconds(),
    offsets=st.lists(st.one_of(st.integers(-3, 3), st.floats(-3.0, 3.0)), min_size=1, max_size=6),
    keys=st.lists(object_keys(), min_size=1, max_size=4),
)
def test_clock_sequences_equal_source(
    source: Source, case: AwsCase, midnight: int, offsets: list[float], keys: list[str]
) -> None:
    # Per-second state and per-date keys are cached: drive both sides through the same
    # readings, back and forth across a UTC midnight, with single and batch calls.
    now: list[float] = [0.0]
    compiled, pure = _pair(source, case, lambda: now[0])
    for offset in offsets:
        now[0] = midnight + offset
        assert compiled.get(keys[0], expires=case.expires) == pure.get(keys[0], expires=case.expires)
        assert compiled.get_many(keys, expires=case.expires) == pure.get_many(keys, expires=case.expires)


@EXAMPLES
@given(raw=st.binary(max_size=300), text=st.text(max_size=100))
def test_encoders_equal_source(source: Source, raw: bytes, text: str) -> None:
    assert _sigv4.uri_encode_path(raw) == source.sigv4.uri_encode_path(raw)
    assert _sigv4.uri_encode_query(text) == source.sigv4.uri_encode_query(text)


@EXAMPLES
@given(
    params=st.lists(st.tuples(st.text(max_size=20), st.text(max_size=20)), max_size=6),
    headers=st.lists(st.tuples(st.text("AbZz-_ ", min_size=1, max_size=10), st.text(max_size=20)), max_size=6),
    secret=st.text(min_size=1, max_size=40),
    second=signing_seconds(),
    region=st.text("abc-123", min_size=1, max_size=20),
    message=st.binary(max_size=200),
)
def test_sigv4_steps_equal_source(
    source: Source,
    params: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    secret: str,
    second: int,
    region: str,
    message: bytes,
) -> None:
    pure = source.sigv4
    date = _signer.amz_date(second)
    assert date == source.signer.amz_date(second)
    assert _sigv4.canonical_query_string(params) == pure.canonical_query_string(params)
    assert _sigv4.canonical_headers(headers) == pure.canonical_headers(headers)
    assert _sigv4.signed_headers(headers) == pure.signed_headers(headers)
    scope = _sigv4.credential_scope(date[:8], region)
    assert scope == pure.credential_scope(date[:8], region)
    request = _sigv4.canonical_request("GET", "/k", "a=b", "host:h\n", "host")
    assert request == pure.canonical_request("GET", "/k", "a=b", "host:h\n", "host")
    request_hash = _sigv4.hashed_canonical_request(request)
    assert request_hash == pure.hashed_canonical_request(request)
    text = _sigv4.string_to_sign(date, scope, request_hash)
    assert text == pure.string_to_sign(date, scope, request_hash)
    key = _sigv4.signing_key(secret, date[:8], region)
    assert key == pure.signing_key(secret, date[:8], region)
    assert _sigv4.signature(key, text) == pure.signature(key, text)
    pads, pure_pads = _sigv4.hmac_pads(key), pure.hmac_pads(key)
    assert pads.hexdigest(message) == pure_pads.hexdigest(message)
    assert pads.after(message).hexdigest(b"tail") == pure_pads.after(message).hexdigest(b"tail")


def _outcome(call: Callable[[], object]) -> tuple[str, object]:
    """A call's result, or its exception's type and message, for comparison."""
    try:
        return "returned", call()
    except Exception as exc:  # both sides must fail the same way
        return type(exc).__name__, str(exc)


# Values a caller might pass by mistake: both sides must accept or refuse them alike.
_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.binary(max_size=5),
    clock_readings(),
    expires_values(),
)


@EXAMPLES
@given(value=_ODD_VALUES)
def test_validation_equals_source(source: Source, value: Any) -> None:
    pure = source.signer
    assert _outcome(lambda: _signer.signing_second(value)) == _outcome(lambda: pure.signing_second(value))
    assert _outcome(lambda: _signer.expires_seconds(value)) == _outcome(lambda: pure.expires_seconds(value))
    assert _outcome(lambda: _signer.encoded_key_path(value, -1)) == _outcome(
        lambda: pure.encoded_key_path(value, -1)
    )


@EXAMPLES
@given(
    key=st.one_of(object_keys(), st.text(max_size=1100), st.just(""), st.just("a\ud800b"), st.integers()),
    expires=st.one_of(expires_values(), st.integers(-5, 700000), st.floats(), st.none()),
    reading=_ODD_VALUES,
)
def test_presigner_errors_equal_source(source: Source, key: Any, expires: Any, reading: Any) -> None:
    # Through the public API: a bad key, expires or clock reading fails alike (type and
    # message) on the fast path, in a batch, and on the general path.
    case = AwsCase(Credentials("AKIDEXAMPLE", "secret", None), "us-east-1", Bucket("mybucket", "virtual"),
                   "unused", 1, 0)
    compiled, pure = _pair(source, case, lambda: reading)
    assert _outcome(lambda: compiled.get(key, expires=expires)) == _outcome(lambda: pure.get(key, expires=expires))
    batch = ["ok", key]
    assert _outcome(lambda: compiled.get_many(batch, expires=expires)) == _outcome(
        lambda: pure.get_many(batch, expires=expires)
    )
    assert _outcome(lambda: compiled.get(key, expires=expires, at=reading)) == _outcome(
        lambda: pure.get(key, expires=expires, at=reading)
    )
