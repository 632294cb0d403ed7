"""Bulk presigning from async code (asyncio or trio), off the event loop, through anyio.

One URL takes microseconds: call :meth:`Presigner.get` directly, inline. Thousands of
URLs take milliseconds, during which an inline call would stall every other task on the
loop; these helpers sign them on worker threads, one chunk per thread hop, so the loop
runs between chunks. By default a chunk is sized to about :data:`CHUNK_SECONDS` of
signing, measured as it goes::

    urls = await aio.get_many(presigner, keys)                    # a list, in order
    async for url in aio.iter_urls(presigner, huge_generator()):  # streamed
        ...

Each chunk reads the presigner's clock once, so URLs of different chunks may carry
different signing seconds. See ``docs/async.md``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import Any, Final

import anyio.lowlevel
import anyio.to_thread
from anyio import CapacityLimiter

from libpresign.errors import PresignError, PresignTypeError, rejected_key
from libpresign.presigner import Presigner

__all__ = ["CHUNK_SECONDS", "MAX_CHUNK_SIZE", "get_many", "iter_urls"]

CHUNK_SECONDS: Final = 0.006
"""Signing time aimed at per thread hop when ``chunk_size`` is not given. The compiled
core holds the GIL for a whole chunk, so this is about how long the loop can wait; a
hop costs 0.2-0.3 ms of thread wake-ups, so shorter chunks lose more throughput."""

MAX_CHUNK_SIZE: Final = 16384
"""The most keys a sized-as-it-goes chunk holds, which bounds what a stream keeps."""

_FIRST_CHUNK_SIZE: Final = 256  # small: the first URLs come quickly, and it times the signing
_MIN_CHUNK_SIZE: Final = 64
_OLD_AT: Final = 65536  # URLs in get_many's result when it is moved to the oldest GC generation

_clock = time.perf_counter  # times each chunk's signing; tests replace it


def _next_chunk_size(size: int, seconds: float) -> int:
    """The size of the chunk after one of ``size`` keys signed in ``seconds``: the one
    that would take :data:`CHUNK_SECONDS`, moving at most twice or half as far at a step,
    so one chunk slowed by the machine does not swing the next far off."""
    wanted = round(size * CHUNK_SECONDS / seconds) if seconds > 0 else 2 * size
    return max(_MIN_CHUNK_SIZE, size // 2, min(wanted, 2 * size, MAX_CHUNK_SIZE))


def _at_offset(error: PresignError | PresignTypeError, offset: int) -> PresignError | PresignTypeError:
    """The same error for the whole input: the key's index within its chunk, in the
    message and in ``key_index``, becomes its index in all of ``keys``."""
    index = error.key_index
    if index is None:
        return error  # not about one key of the chunk: nothing to move
    rule = str(error)[len(f"keys[{index}] ") :]  # rejected_key wrote that prefix
    return rejected_key(type(error), offset + index, rule)


class _Chunks:
    """Signs the keys of one call chunk by chunk on worker threads, in input order.

    Each chunk's URLs are added to ``result`` (a new list when not given) on the worker
    thread; :meth:`take` hands out what has been added since it was last called.
    """

    __slots__ = (
        "_adaptive",
        "_chunk_size",
        "_exhausted",
        "_iterator",
        "_limiter",
        "_offset",
        "_options",
        "_presigner",
        "_result",
        "_signing_seconds",
        "_source",
    )

    def __init__(
        self,
        presigner: Presigner,
        keys: Iterable[str] | AsyncIterable[str],
        chunk_size: object,
        limiter: CapacityLimiter | None,
        options: dict[str, Any],
        result: list[str] | None = None,
    ) -> None:
        if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int)):
            raise PresignTypeError(f"chunk_size must be an int or None, not {type(chunk_size).__name__}")
        if chunk_size is not None and chunk_size < 1:
            raise PresignError(f"chunk_size must be at least 1, got {chunk_size}")
        if isinstance(keys, (str, bytes)):
            # Iterating a str would sign one URL per character.
            raise PresignTypeError(f"keys must be an iterable of str keys, not a single {type(keys).__name__}")
        if not isinstance(keys, (AsyncIterable, Iterable)):
            raise PresignTypeError(f"keys must be an iterable or async iterable of str, not {type(keys).__name__}")
        # Signing an empty batch checks every option (bucket, expires, …) as get_many
        # will see it, here, before any thread hop.
        presigner.get_many([], **options)
        self._source: AsyncIterator[str] | None
        self._iterator: Iterator[str] | None
        if isinstance(keys, AsyncIterable):
            self._source, self._iterator = aiter(keys), None
        else:
            self._source, self._iterator = None, iter(keys)
        self._presigner = presigner
        self._adaptive = chunk_size is None
        self._chunk_size: int = _FIRST_CHUNK_SIZE if chunk_size is None else chunk_size
        self._signing_seconds = 0.0
        self._limiter = limiter
        self._options = options
        self._result: list[str] = [] if result is None else result
        self._offset = 0
        self._exhausted = False

    def _sign(self, keys: Iterable[str], offset: int) -> int:
        # Runs on a worker thread, and times the signing: that is about how long the
        # loop may have waited for the GIL, which sizes the next chunk.
        started = _clock()
        try:
            urls = self._presigner.get_many(keys, **self._options)
        except (PresignError, PresignTypeError) as error:
            raise _at_offset(error, offset) from None
        self._signing_seconds = _clock() - started
        # Here the URLs are still in this thread's CPU cache. Added on the loop's thread
        # instead, each one's reference count was a cache miss there: the loop's turn
        # between two chunks, when no thread signs, took 86 µs rather than 24 (asyncio;
        # trio 42 and 13), measured with 2,300-key chunks.
        self._result += urls
        return len(urls)

    def _pull_and_sign(self, iterator: Iterator[str], offset: int, size: int) -> int:
        # Runs on a worker thread: a slow sync iterable (a generator reading a file) is
        # drained there too, not on the loop, and its time counts as the chunk's.
        return self._sign(islice(iterator, size), offset)

    async def advance(self) -> int:
        """Sign the next chunk; how many keys it held, 0 once the keys are exhausted."""
        offset, size = self._offset, self._chunk_size
        if self._exhausted:
            return 0
        if self._iterator is not None:
            count = await anyio.to_thread.run_sync(
                self._pull_and_sign, self._iterator, offset, size, abandon_on_cancel=False, limiter=self._limiter
            )
        else:
            assert self._source is not None
            chunk: list[str] = []
            async for key in self._source:
                chunk.append(key)
                if len(chunk) == size:
                    break
            if not chunk:
                return 0
            count = await anyio.to_thread.run_sync(
                self._sign, chunk, offset, abandon_on_cancel=False, limiter=self._limiter
            )
        # A cancelled caller still waits for the running chunk, so no thread is left
        # signing; the cancellation must then surface here, before another chunk starts.
        await anyio.lowlevel.checkpoint_if_cancelled()
        self._offset = offset + count
        # A short chunk means the keys ran out: no thread hop just to find that out.
        self._exhausted = count < size
        if self._adaptive and not self._exhausted:
            self._chunk_size = _next_chunk_size(size, self._signing_seconds)
        return count

    def take(self) -> list[str]:
        """The URLs added since the last call, given up here (for streaming)."""
        urls, self._result = self._result, []
        return urls


async def get_many(
    presigner: Presigner,
    keys: Iterable[str] | AsyncIterable[str],
    *,
    chunk_size: int | None = None,
    limiter: CapacityLimiter | None = None,
    **options: Any,
) -> list[str]:
    """Presigned URLs for ``keys``, in order, signed on worker threads.

    :param presigner: the :class:`~libpresign.Presigner` that signs.
    :param keys: object keys, a sync or async iterable of ``str``.
    :param chunk_size: keys signed per worker-thread call; between calls the event loop
        runs other tasks. ``None`` sizes each chunk to about :data:`CHUNK_SECONDS` of
        signing, from how long the one before took.
    :param limiter: bounds the worker threads in use; ``None`` means anyio's default
        thread limiter.
    :param options: passed unchanged to :meth:`Presigner.get_many` (``bucket=``,
        ``expires=``, …) and checked before any work starts.
    :raises PresignError: a bad option, or a bad key: the message names its index in
        ``keys`` and the rule it broke; no URL is returned.
    :raises PresignTypeError: an argument or a key has the wrong type.
    """
    urls: list[str] = []
    chunks = _Chunks(presigner, keys, chunk_size, limiter, options, result=urls)
    while count := await chunks.advance():
        if len(urls) - count < _OLD_AT <= len(urls) and gc.isenabled():
            # A young list is walked whole by every young collection, touching each URL
            # out of cache: a million take 20-35 ms, on the loop or the worker. Once the
            # result is big enough for that to show, one young collection (~1-3 ms) moves
            # it to the oldest generation, which only the rare full collections walk.
            gc.collect(1)
    return urls


def iter_urls(
    presigner: Presigner,
    keys: Iterable[str] | AsyncIterable[str],
    *,
    chunk_size: int | None = None,
    limiter: CapacityLimiter | None = None,
    **options: Any,
) -> AsyncGenerator[str, None]:
    """Stream presigned URLs for ``keys`` in order, signing one chunk at a time.

    At most one chunk of URLs is held, so ``keys`` may be a generator of any length.
    The arguments are checked when this is called; signing starts at the first
    iteration. Close the iterator when leaving a loop early
    (``contextlib.aclosing``).

    :param presigner: the :class:`~libpresign.Presigner` that signs.
    :param keys: object keys, a sync or async iterable of ``str``.
    :param chunk_size: keys signed per worker-thread call; ``None`` sizes chunks as
        :func:`get_many` does, up to :data:`MAX_CHUNK_SIZE` keys.
    :param limiter: bounds the worker threads in use; ``None`` means anyio's default
        thread limiter.
    :param options: passed unchanged to :meth:`Presigner.get_many` (``bucket=``,
        ``expires=``, …).
    :raises PresignError: (while iterating) a bad key, named by its index in ``keys``;
        no URL of its chunk is yielded.
    :raises PresignTypeError: an argument or a key has the wrong type.
    """
    return _stream(_Chunks(presigner, keys, chunk_size, limiter, options))


async def _stream(chunks: _Chunks) -> AsyncGenerator[str, None]:
    while await chunks.advance():
        for url in chunks.take():
            yield url
