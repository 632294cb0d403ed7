"""Bulk presigning from async code (asyncio or trio), off the event loop, through anyio.

One URL takes microseconds: call :meth:`Presigner.get` directly, inline. Thousands of
URLs take milliseconds, during which an inline call would stall every other task on the
loop; these helpers sign them on worker threads, ``chunk_size`` keys per thread hop, so
the loop runs between chunks::

    urls = await aio.get_many(presigner, keys)                    # a list, in order
    async for url in aio.iter_urls(presigner, huge_generator()):  # streamed
        ...

Each chunk reads the presigner's clock once, so URLs of different chunks may carry
different signing seconds. See ``docs/async.md``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import Any, Final

import anyio.lowlevel
import anyio.to_thread
from anyio import CapacityLimiter

from libpresign.errors import PresignError, PresignTypeError
from libpresign.presigner import Presigner

__all__ = ["DEFAULT_CHUNK_SIZE", "get_many", "iter_urls"]

DEFAULT_CHUNK_SIZE: Final = 1000
"""Keys signed per thread hop: ~2.5 ms of work, so hops cost little and the loop stays
responsive even with the compiled core, which holds the GIL for a whole chunk."""

# The synchronous get_many names a bad key by its index within the call ("keys[5] …").
_KEY_INDEX: Final = re.compile(r"keys\[(\d+)\]")


def _at_offset(error: PresignError | PresignTypeError, offset: int) -> PresignError | PresignTypeError:
    """The same error, with the chunk's key index turned into the index in the whole input."""
    message = str(error)
    found = _KEY_INDEX.match(message)
    if found is None:
        return error
    return type(error)(f"keys[{offset + int(found[1])}]{message[found.end():]}")


class _Chunks:
    """Signs the keys of one call chunk by chunk on worker threads, in input order."""

    __slots__ = (
        "_chunk_size",
        "_exhausted",
        "_iterator",
        "_limiter",
        "_offset",
        "_options",
        "_presigner",
        "_source",
    )

    def __init__(
        self,
        presigner: Presigner,
        keys: Iterable[str] | AsyncIterable[str],
        chunk_size: object,
        limiter: CapacityLimiter | None,
        options: dict[str, Any],
    ) -> None:
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
            raise PresignTypeError(f"chunk_size must be an int, not {type(chunk_size).__name__}")
        if chunk_size < 1:
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
        self._chunk_size = chunk_size
        self._limiter = limiter
        self._options = options
        self._offset = 0
        self._exhausted = False

    def _sign(self, keys: Iterable[str], offset: int) -> list[str]:
        # Runs on a worker thread.
        try:
            return self._presigner.get_many(keys, **self._options)
        except (PresignError, PresignTypeError) as error:
            raise _at_offset(error, offset) from None

    def _pull_and_sign(self, iterator: Iterator[str], offset: int) -> list[str]:
        # Runs on a worker thread: a slow sync iterable (a generator reading a file) is
        # drained there too, not on the loop.
        return self._sign(islice(iterator, self._chunk_size), offset)

    async def next(self) -> list[str]:
        """The next chunk's URLs; an empty list once the keys are exhausted."""
        offset = self._offset
        if self._exhausted:
            return []
        if self._iterator is not None:
            urls = await anyio.to_thread.run_sync(
                self._pull_and_sign, self._iterator, offset, abandon_on_cancel=False, limiter=self._limiter
            )
        else:
            assert self._source is not None
            chunk: list[str] = []
            async for key in self._source:
                chunk.append(key)
                if len(chunk) == self._chunk_size:
                    break
            if not chunk:
                return chunk
            urls = await anyio.to_thread.run_sync(
                self._sign, chunk, offset, abandon_on_cancel=False, limiter=self._limiter
            )
        # A cancelled caller still waits for the running chunk, so no thread is left
        # signing; the cancellation must then surface here, before another chunk starts.
        await anyio.lowlevel.checkpoint_if_cancelled()
        self._offset = offset + len(urls)
        # A short chunk means the keys ran out: no thread hop just to find that out.
        self._exhausted = len(urls) < self._chunk_size
        return urls


async def get_many(
    presigner: Presigner,
    keys: Iterable[str] | AsyncIterable[str],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    limiter: CapacityLimiter | None = None,
    **options: Any,
) -> list[str]:
    """Presigned URLs for ``keys``, in order, signed on worker threads.

    :param presigner: the :class:`~libpresign.Presigner` that signs.
    :param keys: object keys, a sync or async iterable of ``str``.
    :param chunk_size: keys signed per worker-thread call; between calls the event loop
        runs other tasks.
    :param limiter: bounds the worker threads in use; ``None`` means anyio's default
        thread limiter.
    :param options: passed unchanged to :meth:`Presigner.get_many` (``bucket=``,
        ``expires=``, …) and checked before any work starts.
    :raises PresignError: a bad option, or a bad key: the message names its index in
        ``keys`` and the rule it broke; no URL is returned.
    :raises PresignTypeError: an argument or a key has the wrong type.
    """
    chunks = _Chunks(presigner, keys, chunk_size, limiter, options)
    urls: list[str] = []
    while chunk := await chunks.next():
        urls += chunk
    return urls


def iter_urls(
    presigner: Presigner,
    keys: Iterable[str] | AsyncIterable[str],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
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
    :param chunk_size: keys signed per worker-thread call.
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
    while chunk := await chunks.next():
        for url in chunk:
            yield url
