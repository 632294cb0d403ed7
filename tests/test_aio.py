"""``libpresign.aio``: order, streaming, bounded memory, cancellation, errors; asyncio and trio.

The synchronous ``Presigner.get_many`` is the oracle (tested on its own against AWS
vectors and botocore); the clock is pinned so both sign at the same second.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import re
import subprocess
import sys
import threading
import tomllib
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread
import pytest

from libpresign import Presigner, PresignError, PresignTypeError, aio

pytestmark = pytest.mark.anyio

T = 1_700_000_000


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


def make_presigner() -> Presigner:
    return Presigner(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="eu-west-1",
        bucket="examplebucket",
        clock=lambda: T,
    )


def make_keys(count: int) -> list[str]:
    # Distinct keys with spaces, '+', unicode and slashes, so a reordering shows.
    return [f"dir {i % 7}/file+{i}-é.txt" for i in range(count)]


class CountingKeys:
    """A one-pass iterable of keys that counts how many have been pulled."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.pulled = 0

    def __iter__(self) -> Iterator[str]:
        for key in self.keys:
            self.pulled += 1
            yield key


async def agen(keys: list[str]) -> AsyncIterator[str]:
    for key in keys:
        yield key


# Order and equality with the synchronous API


async def test_get_many_keeps_order_for_100000_keys() -> None:
    presigner = make_presigner()
    keys = make_keys(100_000)
    assert await aio.get_many(presigner, keys) == presigner.get_many(keys)


@pytest.mark.parametrize("chunk_size", [1, 3, 1000, 1001, 5000])
async def test_chunk_sizes_do_not_change_the_result(chunk_size: int) -> None:
    presigner = make_presigner()
    keys = make_keys(1001)
    assert await aio.get_many(presigner, keys, chunk_size=chunk_size) == presigner.get_many(keys)


@pytest.mark.parametrize(
    "options",
    [{"bucket": "other.bucket", "expires": 60}, {"response_content_type": "text/csv", "at": T + 86400}],
)
async def test_options_are_forwarded_unchanged(options: dict[str, Any]) -> None:
    presigner = make_presigner()
    keys = make_keys(2500)
    expected = presigner.get_many(keys, **options)
    assert expected != presigner.get_many(keys)
    assert await aio.get_many(presigner, keys, chunk_size=1000, **options) == expected
    assert [url async for url in aio.iter_urls(presigner, keys, chunk_size=1000, **options)] == expected


async def test_empty_input() -> None:
    presigner = make_presigner()
    assert await aio.get_many(presigner, []) == []
    assert await aio.get_many(presigner, agen([])) == []
    assert [url async for url in aio.iter_urls(presigner, iter([]))] == []


async def test_limiter_bounds_the_worker_threads() -> None:
    presigner = make_presigner()
    limiter = anyio.CapacityLimiter(1)
    borrowed: list[float] = []

    def keys() -> Iterator[str]:
        for key in make_keys(3000):
            borrowed.append(limiter.borrowed_tokens)  # pulled on the worker thread
            yield key

    urls = await aio.get_many(presigner, keys(), chunk_size=1000, limiter=limiter)
    assert urls == presigner.get_many(make_keys(3000))
    assert set(borrowed) == {1}
    assert limiter.borrowed_tokens == 0


# Chunks sized as they go (chunk_size=None)


def test_the_next_chunk_aims_at_chunk_seconds() -> None:
    per_key = aio.CHUNK_SECONDS / 2000  # 2000 keys would take CHUNK_SECONDS
    assert aio._next_chunk_size(2000, 2000 * per_key) == 2000
    assert aio._next_chunk_size(1500, 1500 * per_key) == 2000
    assert aio._next_chunk_size(2500, 2500 * per_key) == 2000


def test_the_next_chunk_moves_at_most_twice_or_half_as_far() -> None:
    assert aio._next_chunk_size(256, aio.CHUNK_SECONDS / 100) == 512
    assert aio._next_chunk_size(256, 0.0) == 512  # a clock too coarse to see the chunk
    assert aio._next_chunk_size(4000, aio.CHUNK_SECONDS * 100) == 2000


def test_the_next_chunk_stays_within_bounds() -> None:
    assert aio._next_chunk_size(aio.MAX_CHUNK_SIZE, aio.CHUNK_SECONDS / 100) == aio.MAX_CHUNK_SIZE
    assert aio._next_chunk_size(10_000, 0.0) == aio.MAX_CHUNK_SIZE
    assert aio._next_chunk_size(64, 10.0) == 64
    assert aio._next_chunk_size(100, 10.0) == 64


class KeyTimedClock:
    """Stands in for ``aio._clock``: each pulled key takes ``per_key`` seconds."""

    def __init__(self, counting: CountingKeys, per_key: float) -> None:
        self.counting = counting
        self.per_key = per_key

    def __call__(self) -> float:
        return self.counting.pulled * self.per_key


def chunk_sizes(presigner_clock: WorkerClock, counting: CountingKeys) -> list[int]:
    """The size of each chunk, from the keys pulled at each of the worker's clock readings."""
    marks = [*presigner_clock.pulled_at, counting.pulled]
    return [after - before for before, after in zip(marks, marks[1:])]


async def test_sized_chunks_grow_from_a_small_first_one_to_chunk_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingKeys(make_keys(12_000))
    monkeypatch.setattr(aio, "_clock", KeyTimedClock(counting, aio.CHUNK_SECONDS / 2000))
    clock = WorkerClock(counting=counting)
    presigner = Presigner("AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1", bucket="examplebucket", clock=clock)
    urls = await aio.get_many(presigner, counting)
    assert urls == presigner.get_many(make_keys(12_000))
    assert chunk_sizes(clock, counting) == [256, 512, 1024, 2000, 2000, 2000, 2000, 2000, 208]


async def test_sized_chunks_shrink_when_signing_slows(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingKeys(make_keys(5000))
    timed = KeyTimedClock(counting, aio.CHUNK_SECONDS / 2000)
    monkeypatch.setattr(aio, "_clock", timed)
    clock = WorkerClock(counting=counting)
    presigner = Presigner("AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1", bucket="examplebucket", clock=clock)
    async with contextlib.aclosing(aio.iter_urls(presigner, counting)) as urls:
        async for _ in urls:
            if counting.pulled == 256 + 512 + 1024 and timed.per_key < aio.CHUNK_SECONDS / 1000:
                timed.per_key *= 8  # the machine gets busy: keys take 8 times longer
    assert chunk_sizes(clock, counting) == [256, 512, 1024, 2000, 1000, 208]


async def test_a_stream_of_sized_chunks_holds_at_most_max_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingKeys(make_keys(70_000))
    monkeypatch.setattr(aio, "_clock", lambda: 0.0)  # every chunk looks instant: sizes double
    received = 0
    most_held = 0
    async for _ in aio.iter_urls(make_presigner(), counting):
        received += 1
        most_held = max(most_held, counting.pulled - received)
    assert received == 70_000
    assert most_held == aio.MAX_CHUNK_SIZE - 1


async def test_a_big_result_is_moved_to_the_oldest_gc_generation() -> None:
    # Young collections walk every young container whole; a result of a million URLs
    # would cost each one ~25 ms. Once past _OLD_AT URLs it is moved out of their reach.
    presigner = make_presigner()
    keys = make_keys(aio._OLD_AT + 1000)
    urls = await aio.get_many(presigner, keys, chunk_size=1000)
    assert urls == presigner.get_many(keys)
    assert any(candidate is urls for candidate in gc.get_objects(generation=2))


async def test_no_collection_is_made_while_the_gc_is_disabled() -> None:
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    presigner = make_presigner()
    keys = make_keys(aio._OLD_AT + 1000)
    gc.callbacks.append(seen)
    gc.disable()
    try:
        urls = await aio.get_many(presigner, keys, chunk_size=1000)
    finally:
        gc.enable()
        gc.callbacks.remove(seen)
    assert len(urls) == len(keys)
    assert collections == []


# Streaming and memory


async def test_iter_urls_streams_a_generator_in_order() -> None:
    presigner = make_presigner()
    keys = make_keys(5500)
    streamed = [url async for url in aio.iter_urls(presigner, (key for key in keys), chunk_size=1000)]
    assert streamed == presigner.get_many(keys)


async def test_async_generators_are_accepted() -> None:
    presigner = make_presigner()
    keys = make_keys(5500)
    expected = presigner.get_many(keys)
    assert await aio.get_many(presigner, agen(keys), chunk_size=1000) == expected
    assert [url async for url in aio.iter_urls(presigner, agen(keys), chunk_size=1000)] == expected


@pytest.mark.parametrize("source", ["sync", "async"])
async def test_iter_urls_holds_at_most_one_chunk(source: str) -> None:
    # Keys pulled but whose URLs were not yet handed out are what the helper holds.
    presigner = make_presigner()
    chunk_size = 500
    counting = CountingKeys(make_keys(20_000))

    async def from_counting() -> AsyncIterator[str]:
        for key in counting:
            yield key

    keys = counting if source == "sync" else from_counting()
    received = 0
    most_held = 0
    async for _ in aio.iter_urls(presigner, keys, chunk_size=chunk_size):
        received += 1
        most_held = max(most_held, counting.pulled - received)
    assert received == 20_000
    assert most_held == chunk_size - 1


async def test_streaming_memory_stays_far_below_holding_every_url() -> None:
    presigner = make_presigner()
    count = 50_000
    keys = (f"exports/2024/{i:08d}.csv" for i in range(count))
    one_url = sys.getsizeof(presigner.get("exports/2024/00000000.csv"))
    received = 0
    tracemalloc.start()
    try:
        async for _ in aio.iter_urls(presigner, keys, chunk_size=500):
            received += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == count
    # Holding them all would take count * one_url (~19 MB); one chunk of URLs is 1/100
    # of that, and the peak (~0.5 MB) adds the worker's own allocations.
    assert peak < count * one_url / 10


# Cancellation


async def test_cancelling_get_many_stops_after_the_current_chunk() -> None:
    presigner = make_presigner()
    chunk_size = 1000
    returned: list[list[str]] = []
    with anyio.CancelScope() as scope:
        counting = CountingKeys(make_keys(100_000))

        def keys() -> Iterator[str]:
            for key in counting:
                if counting.pulled == 2 * chunk_size + 10:  # inside the third chunk
                    anyio.from_thread.run_sync(scope.cancel)
                yield key

        returned.append(await aio.get_many(presigner, keys(), chunk_size=chunk_size))
    assert scope.cancelled_caught
    assert returned == []
    # The worker finished its chunk (it is never abandoned mid-way) and took no more.
    assert counting.pulled == 3 * chunk_size
    await anyio.to_thread.run_sync(lambda: None)
    assert counting.pulled == 3 * chunk_size


async def test_cancelling_get_many_over_an_async_source() -> None:
    presigner = make_presigner()
    chunk_size = 1000
    returned: list[list[str]] = []
    pulled = 0
    with anyio.CancelScope() as scope:

        async def keys() -> AsyncIterator[str]:
            nonlocal pulled
            for key in make_keys(100_000):
                pulled += 1
                if pulled == 2 * chunk_size + 10:
                    scope.cancel()
                await anyio.lowlevel.checkpoint()
                yield key

        returned.append(await aio.get_many(presigner, keys(), chunk_size=chunk_size))
    assert scope.cancelled_caught
    assert returned == []
    assert pulled == 2 * chunk_size + 10


class WorkerClock:
    """A pinned clock that counts its readings on worker threads and cancels ``scope``
    at the ``at``-th one; given ``counting``, it notes the keys pulled at each reading.

    The Presigner reads its clock once per chunk, on the thread signing the chunk,
    before it pulls the chunk's keys.
    """

    def __init__(self, at: int = 0, counting: CountingKeys | None = None) -> None:
        self.at = at
        self.counting = counting
        self.worker_readings = 0
        self.pulled_at: list[int] = []
        self.scope = anyio.CancelScope()

    def __call__(self) -> int:
        if threading.current_thread() is not threading.main_thread():
            self.worker_readings += 1
            if self.counting is not None:
                self.pulled_at.append(self.counting.pulled)
            if self.worker_readings == self.at:
                anyio.from_thread.run_sync(self.scope.cancel)
        return T


@pytest.mark.parametrize("chunks", [3, 5])
async def test_cancelled_during_a_chunk_no_further_keys_are_pulled(chunks: int) -> None:
    # An async source is pulled on the loop between chunks: after the cancelled chunk
    # (the third; with three chunks, the last) nothing more is pulled and nothing returned.
    clock = WorkerClock(at=3)
    presigner = Presigner("AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1", bucket="examplebucket", clock=clock)
    chunk_size = 1000
    pulled = 0

    async def keys() -> AsyncIterator[str]:
        nonlocal pulled
        for key in make_keys(chunks * chunk_size):
            pulled += 1
            yield key

    returned: list[list[str]] = []
    with clock.scope:
        returned.append(await aio.get_many(presigner, keys(), chunk_size=chunk_size))
    assert clock.scope.cancelled_caught
    assert returned == []
    assert clock.worker_readings == 3
    assert pulled == 3 * chunk_size


@pytest.mark.parametrize(("count", "hops"), [(0, 1), (1, 1), (2500, 3), (3000, 4)])
async def test_one_thread_hop_per_chunk(count: int, hops: int) -> None:
    # A short chunk ends the input; only a full last chunk needs a hop to learn that.
    clock = WorkerClock()
    presigner = Presigner("AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1", bucket="examplebucket", clock=clock)
    assert len(await aio.get_many(presigner, make_keys(count), chunk_size=1000)) == count
    assert clock.worker_readings == hops


async def test_a_cancelled_scope_signs_nothing() -> None:
    presigner = make_presigner()
    counting = CountingKeys(make_keys(10))
    with anyio.CancelScope() as scope:
        scope.cancel()
        await aio.get_many(presigner, counting)
    assert scope.cancelled_caught
    assert counting.pulled == 0


async def test_cancelling_iter_urls_mid_chunk() -> None:
    presigner = make_presigner()
    chunk_size = 1000
    counting = CountingKeys(make_keys(100_000))
    received = 0
    with anyio.CancelScope() as scope:

        def keys() -> Iterator[str]:
            for key in counting:
                if counting.pulled == 3 * chunk_size + 1:  # first key of the fourth chunk
                    anyio.from_thread.run_sync(scope.cancel)
                yield key

        async with contextlib.aclosing(aio.iter_urls(presigner, keys(), chunk_size=chunk_size)) as urls:
            async for _ in urls:
                received += 1
    assert scope.cancelled_caught
    assert received == 3 * chunk_size  # nothing of the cancelled chunk
    assert counting.pulled == 4 * chunk_size


async def test_cancelling_the_consumer_of_iter_urls() -> None:
    presigner = make_presigner()
    chunk_size = 1000
    counting = CountingKeys(make_keys(100_000))
    received = 0
    with anyio.CancelScope() as scope:
        async with contextlib.aclosing(aio.iter_urls(presigner, counting, chunk_size=chunk_size)) as urls:
            async for _ in urls:
                received += 1
                if received == 1500:
                    scope.cancel()
                    await anyio.lowlevel.checkpoint()
    assert scope.cancelled_caught
    assert received == 1500
    assert counting.pulled == 2 * chunk_size


# Errors


def sync_error(presigner: Presigner, keys: list[object]) -> BaseException:
    """The error the synchronous get_many raises for the whole batch at once."""
    with pytest.raises((PresignError, PresignTypeError)) as caught:
        presigner.get_many(keys)  # type: ignore[arg-type]
    return caught.value


def key_index_of(error: BaseException) -> int | None:
    assert isinstance(error, (PresignError, PresignTypeError))
    return error.key_index


@pytest.mark.parametrize(("bad", "index"), [("", 2345), ("x" * 1025, 7), (42, 4999), ("\ud800", 1000)])
async def test_a_bad_key_is_named_by_its_index_in_the_whole_input(bad: object, index: int) -> None:
    presigner = make_presigner()
    keys: list[object] = list(make_keys(5000))
    keys[index] = bad
    expected = sync_error(presigner, keys)
    assert str(expected).startswith(f"keys[{index}] ")
    for source in (keys, iter(keys), agen(keys)):  # type: ignore[arg-type]
        with pytest.raises(type(expected)) as caught:
            await aio.get_many(presigner, source, chunk_size=1000)  # type: ignore[arg-type]
        assert str(caught.value) == str(expected)
        assert key_index_of(caught.value) == index


async def test_strict_key_errors_name_the_index_in_the_whole_input() -> None:
    presigner = Presigner(
        "AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1", bucket="examplebucket", clock=lambda: T, strict_keys=True
    )
    keys = make_keys(3000)
    keys[2999] = "a//b"
    expected = sync_error(presigner, list(keys))
    assert str(expected).startswith("keys[2999] ")
    with pytest.raises(type(expected)) as caught:
        await aio.get_many(presigner, keys, chunk_size=1000)
    assert str(caught.value) == str(expected)
    assert key_index_of(caught.value) == 2999


async def test_iter_urls_yields_no_url_of_a_chunk_with_a_bad_key() -> None:
    presigner = make_presigner()
    keys = make_keys(5000)
    keys[2345] = ""
    received: list[str] = []
    with pytest.raises(PresignError, match=r"^keys\[2345\] must be 1 to 1024 bytes") as caught:
        async for url in aio.iter_urls(presigner, keys, chunk_size=1000):
            received.append(url)
    assert caught.value.key_index == 2345
    assert received == presigner.get_many(keys[:2000])


async def test_errors_of_the_key_source_pass_through() -> None:
    presigner = make_presigner()

    def keys() -> Iterator[str]:
        yield from make_keys(1500)
        raise RuntimeError("listing failed")

    with pytest.raises(RuntimeError, match="listing failed"):
        await aio.get_many(presigner, keys(), chunk_size=1000)


async def test_options_are_checked_before_any_work() -> None:
    presigner = make_presigner()
    counting = CountingKeys(make_keys(10))
    with pytest.raises(PresignError, match="expires must be between 1 and 604800"):
        await aio.get_many(presigner, counting, expires=0)
    with pytest.raises(PresignError, match="bucket"):
        await aio.get_many(presigner, counting, bucket="a")
    with pytest.raises(PresignTypeError, match="response_content_type must be a str"):
        await aio.get_many(presigner, counting, response_content_type=5)
    with pytest.raises(TypeError, match="colour"):
        await aio.get_many(presigner, counting, colour="blue")
    bucketless = Presigner("AKIAIOSFODNN7EXAMPLE", "secret", region="eu-west-1")
    with pytest.raises(PresignError, match="bucket is required"):
        await aio.get_many(bucketless, counting)
    # iter_urls checks when called, before the first iteration.
    with pytest.raises(PresignTypeError, match="expires must be an integer"):
        aio.iter_urls(presigner, counting, expires="soon")
    assert counting.pulled == 0


@pytest.mark.parametrize(
    ("chunk_size", "error", "message"),
    [
        (0, PresignError, r"chunk_size must be at least 1, got 0"),
        (-5, PresignError, r"chunk_size must be at least 1, got -5"),
        (True, PresignTypeError, r"chunk_size must be an int or None, not bool"),
        (10.0, PresignTypeError, r"chunk_size must be an int or None, not float"),
    ],
)
async def test_chunk_size_is_checked(chunk_size: object, error: type[Exception], message: str) -> None:
    presigner = make_presigner()
    with pytest.raises(error, match=message):
        await aio.get_many(presigner, ["a"], chunk_size=chunk_size)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        aio.iter_urls(presigner, ["a"], chunk_size=chunk_size)  # type: ignore[arg-type]


@pytest.mark.parametrize(("keys", "message"), [("photo.jpg", "not a single str"), (42, "not int"), (None, "not NoneType")])
async def test_keys_must_be_an_iterable_of_keys(keys: object, message: str) -> None:
    with pytest.raises(PresignTypeError, match=message):
        await aio.get_many(make_presigner(), keys)  # type: ignore[arg-type]


def test_public_names() -> None:
    assert sorted(aio.__all__) == ["CHUNK_SECONDS", "MAX_CHUNK_SIZE", "get_many", "iter_urls"]
    assert all(hasattr(aio, name) for name in aio.__all__)


def test_the_runtime_needs_anyio_and_nothing_else() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert [re.split(r"[<>=!~ ]", requirement)[0] for requirement in pyproject["project"]["dependencies"]] == ["anyio"]
    # Beyond what importing anyio itself loads, the helpers load no third-party module.
    script = (
        "import sys\n"
        "import anyio, anyio.lowlevel, anyio.to_thread\n"
        "before = set(sys.modules)\n"
        "import libpresign, libpresign.aio\n"
        "added = {name.split('.')[0] for name in set(sys.modules) - before}\n"
        "print(' '.join(sorted(added - set(sys.stdlib_module_names))))"
    )
    added = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split())
    anyio_needs = {  # anyio imports some of its own requirements lazily
        re.split(r"[<>=!~ ;\[]", requirement)[0].replace("-", "_").lower()
        for requirement in importlib.metadata.requires("anyio") or []
        if "extra ==" not in requirement
    }
    # The compiled build also loads its own shared library, "<hash>__mypyc".
    ours = {"libpresign"} | {name for name in added if name.endswith("__mypyc")}
    assert "libpresign" in added
    assert added - ours - {"anyio"} - anyio_needs == set()
