"""Test fixtures: a migrated database per backend, a transaction rolled back per test,
and an HTTP client whose every response is validated against the official specs."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from samenzaak.app import create_app
from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, Autorisatie, ClientCredential
from samenzaak.common.auth import make_token
from samenzaak.config import Settings
from samenzaak.db import DEFAULT_TENANT_ID, create_engine
from samenzaak.migrate import upgrade_connection
from tests.spec import validate_response

POSTGRES_URL = os.environ.get("SAMENZAAK_TEST_POSTGRES_URL")
if os.environ.get("SAMENZAAK_REQUIRE_POSTGRES") and not POSTGRES_URL:
    raise RuntimeError("SAMENZAAK_REQUIRE_POSTGRES is set but SAMENZAAK_TEST_POSTGRES_URL is not")
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
BASE = "http://testserver"


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        assert POSTGRES_URL
        yield POSTGRES_URL


@pytest.fixture(scope="session")
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(upgrade_connection)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection in an outer transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        if conn.dialect.name == "postgresql":
            # This transaction never commits, so the deferred triggers that keep the zaak
            # totals (migration zaken_0003) run at once, as they would at a commit.
            await conn.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        yield conn
        await trans.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as s:
        s.info["tenant_id"] = DEFAULT_TENANT_ID
        yield s


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=db_url)


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    application = create_app(settings, engine=engine)
    application.state.sessionmaker = sessionmaker
    return application


class ApiClient:
    """httpx against the ASGI app; each response under an API root is checked against its spec."""

    def __init__(self, client: httpx.AsyncClient, token: str | None) -> None:
        self.client = client
        self.token = token
        self.validate = True

    def with_token(self, token: str | None) -> ApiClient:
        other = ApiClient(self.client, token)
        other.validate = self.validate
        return other

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        response = await self.client.request(method, url, headers=headers, **kwargs)
        if self.validate:
            ctype = response.headers.get("content-type", "")
            body: Any = response.json() if "json" in ctype and response.content else response.content
            path = httpx.URL(url).path if url.startswith("http") else url.split("?")[0]
            if validate_response(method, path, response.status_code, ctype, body):
                assert "api-version" in response.headers, f"{method} {path}: no API-version header"
        return response

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", url, **kw)

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("POST", url, **kw)

    async def put(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("PUT", url, **kw)

    async def patch(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kw)

    async def delete(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kw)


async def make_client(
    session: AsyncSession,
    client_id: str,
    *,
    secret: str = "secret",
    all_rights: bool = False,
    autorisaties: list[dict[str, Any]] | None = None,
) -> str:
    """Register a client (secret + applicatie) inside the test transaction; return a JWT."""
    session.add(ClientCredential(client_id=client_id, secret=secret))
    session.add(
        Applicatie(
            uuid=uuid.uuid4(),
            label=client_id,
            heeft_alle_autorisaties=all_rights,
            clients=[ApplicatieClient(client_id=client_id)],
            autorisaties=[
                Autorisatie(
                    position=i,
                    component=a["component"],
                    scopes=a["scopes"],
                    zaaktype=a.get("zaaktype", ""),
                    informatieobjecttype=a.get("informatieobjecttype", ""),
                    besluittype=a.get("besluittype", ""),
                    max_vertrouwelijkheidaanduiding=a.get("maxVertrouwelijkheidaanduiding", ""),
                )
                for i, a in enumerate(autorisaties or [])
            ],
        )
    )
    await session.commit()
    return make_token(client_id, secret, user_id="tester", user_representation="Test Gebruiker")


@pytest.fixture
async def admin_token(session: AsyncSession) -> str:
    return await make_client(session, "test-admin", all_rights=True)


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient, admin_token: str) -> ApiClient:
    """A client with every autorisatie; ``api.with_token(t)`` for another caller."""
    return ApiClient(http, admin_token)


@pytest.fixture
def anon(http: httpx.AsyncClient) -> ApiClient:
    return ApiClient(http, None)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(connection: AsyncConnection) -> Any:
    """``with count_queries() as q: ...`` counts the SQL statements the app runs (savepoints excluded)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # Savepoints (test isolation) and the row-level-security tenant setting are not the app's queries.
            head = statement.lstrip().upper()
            if not head.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO", "SELECT SET_CONFIG('SAMENZAAK.")):
                counter.statements.append(statement)

        sync_conn = connection.sync_connection
        assert sync_conn is not None
        event.listen(sync_conn, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(sync_conn, "before_cursor_execute", before)

    return counting
