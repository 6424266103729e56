"""The dashboard in a real headless Chromium: log in, read the charts, filter, download a
CSV, keyboard navigation; a screenshot is kept in test-artifacts/ for a human to look at.

Uses Debian's /usr/bin/chromium (never `playwright install`); the app runs under uvicorn on
a free loopback port against its own SQLite file with demo data.
"""

from __future__ import annotations

import asyncio
import csv
import io
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Page, async_playwright

from samenzaak.app import create_app
from samenzaak.config import Settings
from samenzaak.dashboard import security
from samenzaak.dashboard.demo import generate
from samenzaak.dashboard.routes import today
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
USER, PASSWORD = "manager", "dashboard-test-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'dashboard.sqlite3'}"

    async def seed() -> None:
        await upgrade(url)
        engine = create_engine(url)
        try:
            factory = make_sessionmaker(engine)
            await generate(factory, 1500, seed=7, today=today())
            async with tenant_session(factory) as session:
                await security.create_user(session, USER, PASSWORD)
        finally:
            await engine.dispose()

    asyncio.run(seed())
    app = create_app(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("data")))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
async def page(server: str) -> AsyncIterator[Page]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        pg = await context.new_page()
        yield pg
        await context.close()
        await browser.close()


async def _login(page: Page, server: str) -> None:
    await page.goto(f"{server}/dashboard")
    assert page.url.endswith("/dashboard/login")
    await page.get_by_label("Gebruikersnaam").fill(USER)
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url(f"{server}/dashboard")


async def _kpi(page: Page, name: str) -> int:
    return int((await page.locator(f"#kpi-{name}").inner_text()).replace(".", ""))


async def _json(page: Page, url: str) -> Any:
    response = await page.request.get(url)
    assert response.ok
    return await response.json()


async def test_dashboard_in_a_real_browser(server: str, page: Page) -> None:
    await _login(page, server)
    await page.wait_for_selector("h1")
    assert "Zaken van" in await page.locator("h1").inner_text()

    # The figures on the page are those of the JSON API for the same (default) period.
    start = today() - timedelta(weeks=13) + timedelta(days=1)
    q = f"van={start}&tot={today()}"
    api = await _json(page, f"{server}/dashboard/api/overzicht?{q}")
    assert api["totaal"]["instroom"] > 0
    assert await _kpi(page, "instroom") == api["totaal"]["instroom"]
    assert await _kpi(page, "open") == api["totaal"]["open"]
    assert await _kpi(page, "over-wettelijk") == api["totaal"]["over_wettelijk"]

    # The weekly chart is drawn from the data: one bar per week and series, heights = counts.
    weeks = api["tabellen"]["per_week"]["rows"]
    bars = page.locator("#chart-per-week rect.bar")
    assert await bars.count() == 2 * len(weeks)
    inflow = [
        float(v)
        for v in await page.locator('#chart-per-week rect[data-series="Instroom"]').evaluate_all(
            "els => els.map(e => e.dataset.value)"
        )
    ]
    assert inflow == [w["instroom"] for w in weeks]
    assert await page.locator("#chart-per-week polyline.line").count() == 1
    assert await page.locator("svg.chart[role=img] > title").count() >= 4

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)

    # Keyboard: the first Tab stop is the skip link.
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip"

    # Change a filter: one zaaktype only; the figures follow.
    before = await _kpi(page, "instroom")
    await page.get_by_label("Zaaktype", exact=True).select_option("MZT-OMGEVINGSVERGUNNING")
    await page.get_by_role("button", name="Toepassen").click()
    await page.wait_for_url("**zaaktype=MZT-OMGEVINGSVERGUNNING**")
    filtered = await _json(page, f"{server}/dashboard/api/overzicht?{q}&zaaktype=MZT-OMGEVINGSVERGUNNING")
    after = await _kpi(page, "instroom")
    assert after == filtered["totaal"]["instroom"] and 0 < after < before
    rows = page.locator("#table-per_zaaktype tbody tr")
    assert await rows.count() == 1

    # Download the per-zaaktype CSV: its numbers are the JSON API's.
    async with page.expect_download() as info:
        await page.get_by_role("link", name="CSV downloaden: per zaaktype").click()
    download = await info.value
    text = await asyncio.to_thread(Path(await download.path()).read_text)
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    json_rows = filtered["tabellen"]["per_zaaktype"]["rows"]
    assert [(r["zaaktype"], int(r["instroom"]), int(r["open"])) for r in csv_rows] == [
        (r["zaaktype"], r["instroom"], r["open"]) for r in json_rows
    ]

    # The zaaktype page: histogram with its norm markers.
    await page.get_by_role("link", name="MZT-OMGEVINGSVERGUNNING").first.click()
    await page.wait_for_selector("#chart-doorlooptijd")
    assert await page.locator("#chart-doorlooptijd line.marker").count() == 4
    await page.screenshot(path=str(ARTIFACTS / "dashboard-zaaktype.png"), full_page=True)

    # The comparison across municipalities.
    await page.get_by_role("link", name="Vergelijking").click()
    await page.wait_for_selector("#table-vergelijking")
    text = await page.locator("#table-vergelijking").inner_text()
    assert "Gemeente Oostwold" in text and "Gemeente Zuiderhaven" in text
    await page.screenshot(path=str(ARTIFACTS / "dashboard-vergelijking.png"), full_page=True)

    # Log out: back to the login form, the dashboard is closed again.
    await page.get_by_role("button", name="Uitloggen").click()
    await page.wait_for_url("**/dashboard/login")
    await page.goto(f"{server}/dashboard")
    assert page.url.endswith("/dashboard/login")


def test_period_default_is_thirteen_weeks() -> None:
    assert today() - (today() - timedelta(weeks=13) + timedelta(days=1)) == timedelta(days=90)
    assert isinstance(today(), date)
