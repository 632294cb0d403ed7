"""A Starlette app that hands out presigned download links (see ``docs/async.md``).

* ``/download/{key}``: one URL, signed inline (microseconds), then a redirect;
* ``/files/{prefix}``: a page listing every object under a prefix, signed off the loop
  with :func:`libpresign.aio.get_many`;
* ``/export/{prefix}``: the same links streamed as text with
  :func:`libpresign.aio.iter_urls`, in bounded memory however many objects there are;
* ``/health``: answered promptly while the others sign.

Run it with ``uvicorn examples.starlette_app:app`` after setting ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION`` and ``BUCKET``; it lists made-up keys.
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from starlette.routing import Route

from libpresign import Presigner, aio

EXPIRES = 600
# Lines sent per write when streaming: one write per URL would cost more than signing.
LINES_PER_WRITE = 1000


def create_app(make_presigner: Callable[[], Presigner], list_keys: Callable[[str], Iterable[str]]) -> Starlette:
    """The app; ``list_keys(prefix)`` yields the object keys under a prefix.

    ``/export`` hands that iterable to the helper as it is, which drains it on its
    worker threads: a blocking database cursor does not stall the loop either.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # One Presigner per process: it validates once and caches the day's signing key.
        app.state.presigner = make_presigner()
        yield

    async def download(request: Request) -> RedirectResponse:
        url = request.app.state.presigner.get(request.path_params["key"], expires=EXPIRES)
        return RedirectResponse(url, status_code=307)

    async def files(request: Request) -> HTMLResponse:
        keys = list(list_keys(request.path_params["prefix"]))
        urls = await aio.get_many(request.app.state.presigner, keys, expires=EXPIRES)
        items = "".join(
            f'<li><a href="{html.escape(url)}">{html.escape(key)}</a></li>\n' for key, url in zip(keys, urls)
        )
        return HTMLResponse(f"<!doctype html>\n<title>Files</title>\n<ul>\n{items}</ul>\n")

    async def export(request: Request) -> StreamingResponse:
        urls = aio.iter_urls(request.app.state.presigner, list_keys(request.path_params["prefix"]), expires=EXPIRES)
        return StreamingResponse(_lines(urls), media_type="text/plain")

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/download/{key:path}", download),
            Route("/files/{prefix:path}", files),
            Route("/export/{prefix:path}", export),
            Route("/health", health),
        ],
        lifespan=lifespan,
    )


async def _lines(urls: AsyncGenerator[str, None]) -> AsyncIterator[str]:
    # aclosing: a client that disconnects mid-export closes the stream at once.
    async with contextlib.aclosing(urls):
        batch: list[str] = []
        async for url in urls:
            batch.append(url)
            if len(batch) == LINES_PER_WRITE:
                yield "\n".join(batch) + "\n"
                batch.clear()
        if batch:
            yield "\n".join(batch) + "\n"


def _presigner_from_environment() -> Presigner:
    return Presigner(
        os.environ["AWS_ACCESS_KEY_ID"],
        os.environ["AWS_SECRET_ACCESS_KEY"],
        session_token=os.environ.get("AWS_SESSION_TOKEN"),
        region=os.environ.get("AWS_REGION"),
        bucket=os.environ["BUCKET"],
    )


def _made_up_keys(prefix: str) -> Iterable[str]:
    return (f"{prefix}/{i:05d}.jpg" for i in range(10_000))


app = create_app(_presigner_from_environment, _made_up_keys)
