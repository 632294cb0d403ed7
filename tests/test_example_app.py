"""The Starlette example app (``examples/starlette_app.py``), in-process over httpx.

The listing page signs 10,000 URLs on worker threads; while that is half done, a
second request must be answered by the same event loop.
"""

from __future__ import annotations

import html
import importlib.util
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import anyio
import anyio.from_thread
import httpx
import pytest

from libpresign import Presigner

pytestmark = pytest.mark.anyio

T = 1_700_000_000
KEYS = [f"photos/{i:05d} café.jpg" for i in range(10_000)]


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


def load_example() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "examples" / "starlette_app.py"
    spec = importlib.util.spec_from_file_location("starlette_app_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def list_keys(prefix: str) -> Iterable[str]:
    return [key for key in KEYS if key.startswith(prefix + "/")]


def presigner(clock: object = lambda: T) -> Presigner:
    return Presigner(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="eu-west-1",
        bucket="examplebucket",
        clock=clock,  # type: ignore[arg-type]
    )


class PausingClock:
    """A pinned clock that, at its fifth reading on a worker thread (the fifth of ten
    chunks), tells the loop ``halfway`` and waits until the test lets it go on.

    Were the page signed on the loop thread, this would never be reached from a worker.
    """

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.halfway = anyio.Event()
        self.resume = threading.Event()
        self.worker_readings = 0

    def __call__(self) -> int:
        if threading.current_thread() is not threading.main_thread():
            self.worker_readings += 1
            if self.worker_readings == 5:
                self.events.append("listing halfway")
                anyio.from_thread.run_sync(self.halfway.set)
                # Only a deadlock breaker: the test sets resume right after its request.
                if not self.resume.wait(60):
                    self.events.append("resume timed out")
        return T


async def test_health_is_answered_while_the_listing_page_signs() -> None:
    example = load_example()
    events: list[str] = []
    clock = PausingClock(events)
    app = example.create_app(lambda: presigner(clock), list_keys)
    transport = httpx.ASGITransport(app=app)
    pages: list[httpx.Response] = []

    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://test") as client:

        async def listing() -> None:
            pages.append(await client.get("/files/photos"))
            events.append("listing done")
            clock.halfway.set()  # if signing never reached a worker thread

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(listing)
            await clock.halfway.wait()
            health = await client.get("/health")
            events.append("health done")
            clock.resume.set()

    assert events == ["listing halfway", "health done", "listing done"]
    assert (health.status_code, health.text) == (200, "ok")
    (page,) = pages
    assert page.status_code == 200
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', page.text)
    expected = presigner().get_many(KEYS, expires=example.EXPIRES)
    assert [html.unescape(url) for url, _ in links] == expected
    assert [html.unescape(key) for _, key in links] == KEYS


async def test_export_streams_every_url_in_order() -> None:
    example = load_example()
    app = example.create_app(presigner, list_keys)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/export/photos")
    assert response.status_code == 200
    assert response.text.splitlines() == presigner().get_many(KEYS, expires=example.EXPIRES)


async def test_download_redirects_to_one_url_signed_inline() -> None:
    example = load_example()
    app = example.create_app(presigner, list_keys)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/download/photos/00042 café.jpg")
    assert response.status_code == 307
    assert response.headers["location"] == presigner().get("photos/00042 café.jpg", expires=example.EXPIRES)
