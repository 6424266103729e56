"""Two tenants with the same catalogus, the same zaak identificaties and the same client id:
every list endpoint of every API, called as tenant A, never shows, counts or reaches
tenant B's data; B's detail URLs are not found from A's side, and cannot be changed.

Every test runs twice (the ``walls`` fixture): once as the app runs (``orm-scoping``: the ORM
tenant criteria of ``samenzaak.db``), and once on PostgreSQL with the ORM criteria switched off
for the whole app and the app connected as an ordinary role that owns the tables, neither
superuser nor BYPASSRLS (``rls-only``): then only the row-level security policies isolate
(FORCE ROW LEVEL SECURITY binds the owner too). ``test_each_wall_alone_isolates`` also runs
with both walls down (``no-wall``: superuser, ORM criteria switched off after seeding) and sees
the other tenant's zaak there, so the ``rls-only`` run is known to have no ORM criteria left to
lean on.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from samenzaak.app import create_app
from samenzaak.catalogi.cli import DEMO
from samenzaak.catalogi.transfer import import_catalogus
from samenzaak.common.auth import Auth
from samenzaak.common.urls import UrlBuilder
from samenzaak.config import Settings
from samenzaak.db import DEFAULT_TENANT_ID, ORM_TENANT_SCOPING_OFF, Tenant, create_engine, use_tenant
from tests.conftest import ApiClient, make_client
from tests.spec import SPEC_FOR_ROOT

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

ORM_SCOPING = "orm-scoping"  # the app as it runs
RLS_ONLY = "rls-only"  # ORM criteria off, an ordinary role: the PostgreSQL policies alone
NO_WALL = "no-wall"  # ORM criteria off, superuser: nothing isolates (proves the switch works)
APP_ROLE_PREFIX = "sz_rls_app_"


@pytest.fixture(params=[ORM_SCOPING, RLS_ONLY])
def walls(request: pytest.FixtureRequest, engine: AsyncEngine) -> str:
    mode: str = request.param
    if mode == RLS_ONLY and engine.dialect.name != "postgresql":
        pytest.skip(
            "rls-only: row-level security is PostgreSQL's; on SQLite the ORM scoping is the only wall"
        )
    return mode


class AppRole:
    """An ordinary role that owns every table, as in production (docs/operations.md): not
    superuser, not BYPASSRLS, so only FORCE ROW LEVEL SECURITY makes the policies bind it.
    Made on first use (only the ``rls-only`` runs need it), dropped at the end of the module."""

    def __init__(self, admin: AsyncEngine, db_url: str) -> None:
        self.admin = admin
        self.db_url = db_url
        # Roles are cluster-wide: one per database, so parallel test runs do not collide.
        self.name = APP_ROLE_PREFIX + str(make_url(db_url).database).replace("-", "_")
        self._engine: AsyncEngine | None = None

    async def engine(self) -> AsyncEngine:
        if self._engine is None:
            async with self.admin.begin() as conn:
                await self._drop(conn)  # left over by an interrupted run
                await conn.execute(text(f"CREATE ROLE {self.name} LOGIN NOSUPERUSER NOBYPASSRLS"))
                await conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {self.name}"))
                tables = (
                    await conn.scalars(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                    )
                ).all()
                for table in tables:
                    await conn.execute(text(f'ALTER TABLE "{table}" OWNER TO {self.name}'))
            url = make_url(self.db_url).set(username=self.name).render_as_string(hide_password=False)
            self._engine = create_engine(url)
            async with self._engine.connect() as conn:
                row = (
                    await conn.execute(
                        text(
                            "SELECT r.rolsuper, r.rolbypassrls, t.tableowner = current_user "
                            "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user "
                            "AND t.tablename = 'zrc_zaken' AND t.schemaname = current_schema()"
                        )
                    )
                ).one()
            assert tuple(row) == (False, False, True), "the app's role must be ordinary and own the tables"
        return self._engine

    async def _drop(self, conn: AsyncConnection) -> None:
        if await conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": self.name}):
            await conn.execute(text(f"REASSIGN OWNED BY {self.name} TO CURRENT_USER"))
            await conn.execute(text(f"DROP OWNED BY {self.name}"))
            await conn.execute(text(f"DROP ROLE {self.name}"))

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            async with self.admin.begin() as conn:
                await self._drop(conn)


@pytest.fixture(scope="module")
async def app_role(engine: AsyncEngine, db_url: str) -> AsyncIterator[AppRole]:
    role = AppRole(engine, db_url)
    yield role
    await role.close()


@pytest.fixture
async def connection(walls: str, engine: AsyncEngine, app_role: AppRole) -> AsyncIterator[AsyncConnection]:
    """As conftest's (one transaction rolled back after the test), but in ``rls-only`` on a
    connection of the ordinary role."""
    bind = await app_role.engine() if walls == RLS_ONLY else engine
    async with bind.connect() as conn:
        trans = await conn.begin()
        yield conn
        await trans.rollback()


@pytest.fixture
def sessionmaker(walls: str, connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Every session of the app and of the test; without ORM tenant criteria in ``rls-only``."""
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
        info={ORM_TENANT_SCOPING_OFF: walls == RLS_ONLY},
    )


@pytest.fixture
def app(
    settings: Settings, connection: AsyncConnection, sessionmaker: async_sessionmaker[AsyncSession]
) -> Any:
    application = create_app(settings, engine=connection.engine)
    application.state.sessionmaker = sessionmaker
    return application


async def seed(api: ApiClient, session: AsyncSession, tenant_id: int, prefix: str) -> dict[str, Any]:
    """The demo catalogus, a zaak with a status and a document, all in one tenant."""
    session.info["tenant_id"] = tenant_id
    token = await make_client(session, "same-client", secret=f"secret-{tenant_id}", all_rights=True)
    urls = UrlBuilder(base="http://testserver", prefix=prefix)
    await import_catalogus(
        session, Auth(client_id="seed", all_rights=True), urls, json.loads(DEMO.read_text())
    )
    session.info["tenant_id"] = DEFAULT_TENANT_ID
    client = api.with_token(token)
    zaaktypen = (
        await client.get(f"{prefix}/catalogi/api/v1/zaaktypen", params={"identificatie": "MOR-001"})
    ).json()
    zaaktype = zaaktypen["results"][0]
    zaak = await client.post(
        f"{prefix}/zaken/api/v1/zaken",
        headers=CRS,
        json={
            "identificatie": "ZAAK-GEDEELD-1",
            "zaaktype": zaaktype["url"],
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2026-11-01",
        },
    )
    assert zaak.status_code == 201, zaak.text
    iot = (
        await client.get(f"{prefix}/catalogi/api/v1/informatieobjecttypen", params={"status": "definitief"})
    ).json()
    document = await client.post(
        f"{prefix}/documenten/api/v1/enkelvoudiginformatieobjecten",
        json={
            "identificatie": "DOC-GEDEELD-1",
            "bronorganisatie": "002220647",
            "creatiedatum": "2026-11-01",
            "titel": "Foto van de stoeptegel",
            "auteur": "Melder",
            "taal": "nld",
            "informatieobjecttype": iot["results"][0]["url"],
            "inhoud": base64.b64encode(b"jpeg").decode(),
            "bestandsnaam": "tegel.jpg",
        },
    )
    assert document.status_code == 201, document.text
    return {
        "tenant_id": tenant_id,
        "token": token,
        "zaak": zaak.json(),
        "document": document.json(),
        "zaaktype": zaaktype,
    }


def collection_paths() -> list[tuple[str, str]]:
    """Every GET path without a path parameter, of every spec we serve."""
    from importlib import resources

    found = []
    for root, filename in SPEC_FOR_ROOT.items():
        doc = yaml.safe_load(resources.files("samenzaak.specs").joinpath(filename).read_text())
        for path, item in doc["paths"].items():
            if "get" in item and "{" not in path:
                found.append((root, path))
    return found


@pytest.fixture
async def two_tenants(api: ApiClient, session: AsyncSession) -> dict[str, Any]:
    b = Tenant(slug="gemeente-b", naam="Gemeente B")
    session.add(b)
    await session.commit()
    ours = await seed(api, session, DEFAULT_TENANT_ID, "")
    theirs = await seed(api, session, b.id, "/gemeente-b")
    return {"a": ours, "b": theirs}


async def test_no_list_of_any_api_shows_the_other_tenants_data(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    ours = set(UUID.findall(json.dumps([a["zaak"], a["document"], a["zaaktype"]])))
    # Shared reference data (the Selectielijst) appears in both; everything else is B's own.
    theirs = set(UUID.findall(json.dumps([b["zaak"], b["document"], b["zaaktype"]]))) - ours
    assert {b["zaak"]["uuid"], b["document"]["url"].rsplit("/", 1)[-1]} <= theirs
    client = api.with_token(a["token"])
    client.validate = False  # some list endpoints need filters; here only the data matters
    checked = 0
    seen: set[str] = set()
    for root, path in collection_paths():
        r = await client.get(f"{root}{path}", headers=CRS)
        if r.status_code != 200:
            continue
        body = r.text
        assert not theirs & set(UUID.findall(body)), f"{root}{path} shows tenant B's data"
        assert "/gemeente-b/" not in body, f"{root}{path} links to tenant B"
        seen |= set(UUID.findall(body))
        checked += 1
    assert checked >= 15
    # Not an empty sweep: A's own zaak, document and zaaktype were listed.
    own = {
        a["zaak"]["uuid"],
        a["document"]["url"].rsplit("/", 1)[-1],
        a["zaaktype"]["url"].rsplit("/", 1)[-1],
    }
    assert own <= seen

    # The zaken list counts only A's zaak, though B has one with the same identificatie.
    r = await client.get("/zaken/api/v1/zaken", headers=CRS, params={"identificatie": "ZAAK-GEDEELD-1"})
    assert r.json()["count"] == 1


async def test_the_other_tenants_objects_cannot_be_reached_or_changed(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    client.validate = False
    for url in (b["zaak"]["url"], b["document"]["url"], b["zaaktype"]["url"]):
        local = url.replace("/gemeente-b", "")  # the same uuid under A's own base URL
        assert (await client.get(local, headers=CRS)).status_code == 404, local
        assert (await client.patch(local, headers=CRS, json={"omschrijving": "x"})).status_code in (403, 404)
        assert (await client.delete(local, headers=CRS)).status_code in (403, 404)
        # and B's own URL is refused to A's client outright
        assert (await client.get(url, headers=CRS)).status_code == 403
    # B's zaak is unchanged
    b_client = api.with_token(b["token"])
    b_client.validate = False
    r = await b_client.get(b["zaak"]["url"], headers=CRS)
    assert r.status_code == 200 and r.json()["omschrijving"] == b["zaak"]["omschrijving"]


async def test_a_zaak_of_tenant_a_cannot_point_at_a_zaaktype_of_tenant_b(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    r = await client.post(
        "/zaken/api/v1/zaken",
        headers=CRS,
        json={
            "zaaktype": b["zaaktype"]["url"],
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2026-11-01",
        },
    )
    # B's URL is not ours: it is treated as a remote URL, which does not resolve here.
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "zaaktype"


async def test_search_expand_audit_trail_and_dashboard_stay_within_the_tenant(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    client.validate = False
    theirs = {b["zaak"]["uuid"], b["zaaktype"]["url"].rsplit("/", 1)[-1]}

    r = await client.post("/zaken/api/v1/zaken/_zoek", headers=CRS, json={"identificatie": "ZAAK-GEDEELD-1"})
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 1 and not theirs & set(UUID.findall(r.text))

    r = await client.get("/zaken/api/v1/zaken", headers=CRS, params={"expand": "zaaktype,status"})
    assert r.status_code == 200, r.text
    assert not theirs & set(UUID.findall(r.text)) and "/gemeente-b/" not in r.text

    local = b["zaak"]["url"].replace("/gemeente-b", "")
    assert (await client.get(f"{local}/audittrail", headers=CRS)).status_code == 404

    # The dashboard's figures count only A's zaken, though B's zaak has the same identificatie and type.
    token_ok = await client.get("/dashboard/api/overzicht", params={"zaaktype": "MOR-001"})
    assert token_ok.status_code == 200, token_ok.text
    assert "/gemeente-b/" not in token_ok.text and not theirs & set(UUID.findall(token_ok.text))


async def test_notifications_of_one_tenant_go_only_to_its_own_subscribers(
    api: ApiClient, two_tenants: dict[str, Any], session: AsyncSession
) -> None:
    from sqlalchemy import select

    from samenzaak.common.notifications import OutboxMessage

    a, b = two_tenants["a"], two_tenants["b"]
    outbox = select(OutboxMessage.tenant_id, OutboxMessage.resource_url).where(
        OutboxMessage.kanaal == "zaken"
    )
    # Each tenant's session sees its own zaak's outbox row, stamped with its own tenant, and not
    # the other's (use_tenant also moves the row-level security setting of an open transaction).
    for own, other in ((a, b), (b, a)):
        await use_tenant(session, own["tenant_id"])
        by_url = {url: tenant for tenant, url in (await session.execute(outbox)).all()}
        assert by_url.get(own["zaak"]["url"]) == own["tenant_id"]
        assert other["zaak"]["url"] not in by_url
        assert set(by_url.values()) == {own["tenant_id"]}
    await use_tenant(session, DEFAULT_TENANT_ID)


@pytest.mark.parametrize(
    ("walls", "zaken_seen"), [(ORM_SCOPING, 1), (RLS_ONLY, 1), (NO_WALL, 2)], indirect=["walls"]
)
async def test_each_wall_alone_isolates(
    api: ApiClient,
    two_tenants: dict[str, Any],
    walls: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    zaken_seen: int,
) -> None:
    """The same request, with the ORM criteria alone, the policies alone, and neither: only
    with neither does tenant A see B's zaak. So the ``rls-only`` runs above really had the ORM
    criteria switched off, and it was the policies that kept B's data out."""
    a, b = two_tenants["a"], two_tenants["b"]
    if walls == NO_WALL:
        # Seeding needs a wall (B's catalogus import would find A's catalogus a duplicate), so
        # the switch goes off here, for every session the app opens from now on.
        sessionmaker.configure(info={ORM_TENANT_SCOPING_OFF: True})
    client = api.with_token(a["token"])
    r = await client.get("/zaken/api/v1/zaken", headers=CRS, params={"identificatie": "ZAAK-GEDEELD-1"})
    assert r.status_code == 200, r.text
    assert r.json()["count"] == zaken_seen
    assert (b["zaak"]["uuid"] in r.text) is (zaken_seen == 2)
    local = b["zaak"]["url"].replace("/gemeente-b", "")
    assert (await client.get(local, headers=CRS)).status_code == (200 if zaken_seen == 2 else 404)


@pytest.mark.parametrize("walls", [RLS_ONLY], indirect=True)
async def test_a_row_stamped_with_the_other_tenants_id_is_refused(
    two_tenants: dict[str, Any], session: AsyncSession
) -> None:
    """New rows get their tenant from the ORM stamping event; should one carry another
    tenant's id, the policies' WITH CHECK refuses it."""
    from sqlalchemy.exc import DBAPIError

    from samenzaak.autorisaties.models import Applicatie

    await use_tenant(session, DEFAULT_TENANT_ID)  # a transaction of tenant A, also for the policies
    session.add(
        Applicatie(tenant_id=two_tenants["b"]["tenant_id"], label="smuggled", clients=[], autorisaties=[])
    )
    with pytest.raises(DBAPIError, match="row-level security"):
        await session.flush()
    await session.rollback()
