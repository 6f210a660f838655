"""The map page in a real browser: Debian's Chromium, driven by Playwright.

The app runs under uvicorn on a free loopback port over the sample corpus. The test loads
the page, sees markers, filters, brushes the timeline, opens an event and finds its
evidence marked, and checks that markup in an ingested article is shown as text. A
screenshot is kept under test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from wiredesk.ingest import ReadError, read_inputs
from wiredesk.pipeline import process
from wiredesk.serve.api import Settings, create_app, find_assets
from wiredesk.store import Store

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "browser-test-token"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_TITLE = "Blast <img src=x onerror=alert(3)> report"
HOSTILE_TEXT = (
    "A car bomb exploded near a market in Mosul on Monday, killing at least four people and "
    "wounding 11, police said.\n\n"
    "A reader wrote <script>alert(1)</script> under the story, and another posted "
    '<img src=x onerror=alert(2)> with the caption "<b>bold</b>".'
)


def chromium() -> str | None:
    found = os.environ.get("WIREDESK_CHROMIUM") or shutil.which("chromium")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    return found


@dataclass
class Server:
    url: str
    store: Store


def _sample_store(path: Path) -> Store:
    from importlib import resources

    store = Store.open(str(path))
    corpus = resources.files("wiredesk.data").joinpath("corpus", "articles.jsonl")
    docs = [d for d in read_inputs([str(corpus)]) if not isinstance(d, ReadError)]
    store.add([process(d) for d in docs])
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if chromium() is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    settings = Settings(write_token=TOKEN)
    assert find_assets(settings) is not None, (
        "the front-end packages are missing: run `npm ci --omit=dev --ignore-scripts` "
        "in the repository root (make install does)"
    )
    store = _sample_store(tmp_path_factory.mktemp("browser") / "sample.db")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store, settings), log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}/", store)
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()
    store.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    opened.problems = []  # page errors and refused loads (CSP) seen while the test ran
    opened.on("pageerror", lambda error: opened.problems.append(f"page error: {error}"))
    opened.on(
        "console",
        lambda message: (
            opened.problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    yield opened
    context.close()


def _loaded(page: Any, load: int) -> None:
    """Wait for the page's `load`-th load of events (no eval: the CSP forbids it)."""
    page.wait_for_selector(f'body[data-loaded="{load}"]', state="attached", timeout=20000)


def _marker_count(page: Any) -> int:
    return int(page.locator(".marker-cluster, path.event-marker").count())


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_the_map_filters_and_shows_an_events_evidence(server: Server, page: Any) -> None:
    page.goto(server.url)
    _loaded(page, 1)
    page.wait_for_selector(".marker-cluster, path.event-marker", timeout=20000)
    assert _marker_count(page) > 0
    assert page.locator("#event-list li").count() > 0
    assert page.locator(".leaflet-overlay-pane path, .leaflet-basemap-pane path").count() > 0
    status = page.locator("#status").inner_text()
    assert "events on the map" in status

    # a filter: protests only; the page asks the API again and shows what it says
    page.select_option("#f-type", "Protests")
    page.click("#f-apply")
    _loaded(page, 2)
    expected = httpx.get(
        server.url + "events", params={"type": "Protests", "format": "geojson", "limit": 500}
    ).json()
    shown = int(page.locator("#status").inner_text().split()[0])
    assert shown == len(expected["features"]) > 0
    protest_ids = {f["id"] for f in expected["features"]}
    listed = page.locator("#event-list li[data-id]").evaluate_all(
        "items => items.map(item => item.dataset.id)"
    )
    assert listed and set(listed) <= protest_ids

    # brushing the timeline narrows the map to the dates under the brush
    box = page.locator("#timeline").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.97, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert "in the selected dates" in page.locator("#status").inner_text()
    brushed = int(page.locator("#status").inner_text().split()[0])
    assert brushed <= shown
    page.click("#brush-clear")

    # an event: its fields, sources, claims and the article with the evidence marked
    page.locator("#event-list li[data-id]").first.click()
    page.wait_for_selector("#panel-body h2")
    assert page.locator("#panel-body table.fields").count() == 1
    page.wait_for_selector("details.doc[open] .article mark.evidence", timeout=20000)
    mark = page.locator("details.doc[open] .article mark.evidence").first
    assert mark.inner_text().strip()
    _shot(page, "browser-event-panel.png")
    assert not page.problems, page.problems


def test_an_event_with_conflicting_sources_is_highlighted(server: Server, page: Any) -> None:
    found = httpx.get(server.url + "events", params={"conflicts": "true", "limit": 1}).json()
    if not found["events"]:
        pytest.skip("the sample corpus yields no conflicting reports")
    event = found["events"][0]
    page.goto(server.url + "#event=" + event["id"])
    page.wait_for_selector("#panel-body .conflict")
    assert page.locator("#panel-body .conflict .field").first.inner_text() in {
        c["field"] for c in event["conflicts"]
    }
    assert page.locator(".claims .column.disagrees").count() >= 1
    _shot(page, "browser-conflicts.png")


def test_markup_in_an_article_is_shown_as_text(server: Server, page: Any) -> None:
    response = httpx.post(
        server.url + "documents",
        json={
            "text": HOSTILE_TEXT,
            "title": HOSTILE_TITLE,
            "outlet": "<i>Test</i> Wire",
            "published": "2025-03-05",
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    [stored] = response.json()["documents"]
    assert stored["events"], "the pipeline should find the car bombing"
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(server.url + "#event=" + stored["events"][0])
    article = page.locator(f'details.doc[data-document="{stored["id"]}"] .article')
    if not page.locator(f'details.doc[data-document="{stored["id"]}"]').evaluate("d => d.open"):
        page.locator(f'details.doc[data-document="{stored["id"]}"] summary').click()
    article.locator("mark.evidence").first.wait_for(timeout=20000)
    page.wait_for_timeout(500)  # time for any injected handler to fire
    shown = article.inner_text()
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(2)>" in shown
    panel = page.locator("#panel")
    assert "<img src=x onerror=alert(3)>" in panel.inner_text()  # the title, as text
    assert "<i>Test</i> Wire" in panel.inner_text()
    assert panel.locator("script, img, b, i").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("document.scripts.length") == 4  # the page's own four files
    assert dialogs == []
    _shot(page, "browser-hostile-article.png")
