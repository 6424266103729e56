"""The law-change page of the dashboard in a real headless Chromium: a demo law change (a
Wmo-aanvraag whose legal term is shortened from eight weeks to two, and a status dropped),
with its counts checked against hand-built zaken and the JSON API; a screenshot is kept."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Page, async_playwright

from samenzaak.app import create_app
from samenzaak.config import Settings
from samenzaak.dashboard import security
from samenzaak.dashboard.routes import today
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade
from tests.dashboard.test_browser import ARGS, ARTIFACTS, CHROMIUM, _free_port
from tests.legislation import builders

USER, PASSWORD = "beheerder", "wetswijziging-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('impact') / 'impact.sqlite3'}"
    now = today()

    async def seed() -> None:
        await upgrade(url)
        engine = create_engine(url)
        try:
            async with tenant_session(make_sessionmaker(engine)) as s:
                cat = await builders.catalogus(s)
                old = await builders.zaaktype(
                    s, cat.uuid, doorlooptijd="P8W", versiedatum=now - timedelta(days=400)
                )
                await builders.zaaktype(
                    s,
                    cat.uuid,
                    doorlooptijd="P2W",
                    versiedatum=now + timedelta(days=30),
                    statussen=("Ontvangen", "Afgehandeld"),
                )
                # three weeks old: within eight weeks, past two -> newly overdue
                await builders.zaak(s, old, "WMO-1", now - timedelta(days=21), status="Ontvangen")
                # ten weeks old, in a status the new version no longer has -> past both terms
                await builders.zaak(s, old, "WMO-2", now - timedelta(days=70), status="In behandeling")
                # one week old: within both
                await builders.zaak(s, old, "WMO-3", now - timedelta(days=7), status="Ontvangen")
                await s.commit()
                await security.create_user(s, USER, PASSWORD)
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
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        yield await context.new_page()
        await context.close()
        await browser.close()


async def test_impact_page_shows_the_demo_law_change(server: str, page: Page) -> None:
    await page.goto(f"{server}/dashboard/wetswijziging")
    assert page.url.endswith("/dashboard/login")
    await page.get_by_label("Gebruikersnaam").fill(USER)
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url(f"{server}/dashboard")
    await page.get_by_role("link", name="Wetswijziging").click()
    await page.wait_for_url(f"{server}/dashboard/wetswijziging")

    async def kpi(name: str) -> int:
        return int(await page.locator(f"#kpi-{name}").inner_text())

    assert await kpi("lopend") == 3
    assert await kpi("over-nieuw") == 2
    assert await kpi("nieuw-te-laat") == 1
    assert await kpi("status-vervalt") == 1
    changes = await page.locator("#table-verschillen").inner_text()
    assert "doorlooptijd" in changes and "P8W" in changes and "P2W" in changes
    assert "vervalt: In behandeling" in changes
    overdue = await page.locator("#table-over-nieuw").inner_text()
    assert "WMO-1" in overdue and "WMO-2" in overdue and "WMO-3" not in overdue

    # The same figures from the JSON API the page links to (with the login cookie).
    href = await page.get_by_role("link", name="Het volledige rapport als JSON").get_attribute("href")
    assert href
    response = await page.request.get(f"{server}{href}")
    assert response.ok
    report: dict[str, Any] = await response.json()
    assert (report["lopendeZaken"], report["aantalOverNieuweTermijn"], report["aantalNieuwTeLaat"]) == (
        3,
        2,
        1,
    )

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-wetswijziging.png"), full_page=True)
