"""The ``samenzaak`` command: serve, migrate, manage applicaties and tokens."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Annotated, Any

import typer
from sqlalchemy import select

from samenzaak.catalogi.cli import catalogus_app
from samenzaak.common.commands import database_url, tenant_id
from samenzaak.config import get_settings
from samenzaak.dashboard.cli import register as register_dashboard
from samenzaak.db import DEFAULT_TENANT_ID
from samenzaak.legislation import cli as legislation_cli
from samenzaak.notificaties.cli import app as notificaties_app
from samenzaak.notificaties.cli import worker

app = typer.Typer(
    help="Samenzaak: the ZGW APIs and collective dashboards for municipalities.",
    no_args_is_help=True,
    add_completion=False,
)
applicatie_app = typer.Typer(help="Manage applicaties (API clients) and their secrets.", no_args_is_help=True)
app.add_typer(applicatie_app, name="applicatie")
tenant_app = typer.Typer(
    help="Manage tenants: the municipalities served by this installation.", no_args_is_help=True
)
app.add_typer(tenant_app, name="tenant")
app.add_typer(notificaties_app, name="notificaties")
app.command()(worker)
catalogus_app.info.help = "Catalogi: import and export, model catalogues, adoption, version impact."
app.add_typer(catalogus_app, name="catalogus")
zaken_app = typer.Typer(help="Operations on zaken in bulk.", no_args_is_help=True)
app.add_typer(zaken_app, name="zaken")
legislation_cli.register(catalogus_app, zaken_app)
register_dashboard(app)

TenantOption = Annotated[
    str, typer.Option("--tenant", help="The tenant's slug (default: the default tenant).")
]

ADMIN_CLIENT_ID = "samenzaak-admin"


@app.command()
def migrate() -> None:
    """Apply all database migrations (safe to run repeatedly)."""
    from samenzaak.migrate import upgrade_sync

    url = database_url()
    typer.echo("Applying migrations…")
    upgrade_sync(url)
    typer.echo("Database is up to date.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Number of worker processes.")] = 1,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply migrations first.")
    ] = True,
) -> None:
    """Serve the APIs and the dashboard."""
    import uvicorn

    if migrate_first:
        migrate()
    typer.echo(f"Serving on http://{host}:{port} (API roots: /zaken/api/v1, /catalogi/api/v1, …)")
    uvicorn.run(
        "samenzaak.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level.lower(),
        proxy_headers=True,
        # Samenzaak logs each request itself, as JSON with request id, tenant and client id.
        access_log=False,
        log_config=None,
    )


async def _create_applicatie(
    client_id: str,
    secret: str,
    label: str,
    alle_autorisaties: bool,
    *,
    if_missing: bool = False,
    tenant: str = "default",
) -> bool:
    from samenzaak.autorisaties import service
    from samenzaak.autorisaties.models import Applicatie, ApplicatieClient
    from samenzaak.db import create_engine, make_sessionmaker, tenant_session, use_tenant

    engine = create_engine(database_url())
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
            await use_tenant(session, await tenant_id(session, tenant))
            existing = await session.scalar(
                select(Applicatie)
                .join(ApplicatieClient, ApplicatieClient.applicatie_uuid == Applicatie.uuid)
                .where(ApplicatieClient.client_id == client_id)
            )
            if existing is not None:
                if if_missing:
                    return False
                raise typer.BadParameter(
                    f"client id {client_id!r} already belongs to applicatie {existing.label!r}",
                    param_hint="--client-id",
                )
            await service.set_credential(session, client_id, secret)
            session.add(
                Applicatie(
                    label=label,
                    heeft_alle_autorisaties=alle_autorisaties,
                    clients=[ApplicatieClient(client_id=client_id)],
                    autorisaties=[],
                )
            )
            await session.commit()
            return True
    finally:
        await engine.dispose()


@applicatie_app.command("create")
def applicatie_create(
    client_id: Annotated[str, typer.Option("--client-id", help="The client id the JWTs will carry.")],
    secret: Annotated[str, typer.Option("--secret", help="The shared secret to sign JWTs with.")],
    label: Annotated[str, typer.Option("--label", help="A readable name.")] = "",
    alle_autorisaties: Annotated[
        bool,
        typer.Option("--alle-autorisaties", help="Grant every scope on every API (trusted clients only)."),
    ] = False,
    tenant: TenantOption = "default",
) -> None:
    """Register a client: its secret and an applicatie (add autorisaties via the Autorisaties API)."""
    asyncio.run(_create_applicatie(client_id, secret, label or client_id, alle_autorisaties, tenant=tenant))
    typer.echo(f"Applicatie for client id {client_id!r} created in tenant {tenant!r}.")


async def _stored_secret(client_id: str, tenant: str) -> str:
    from samenzaak.autorisaties.models import ClientCredential
    from samenzaak.db import create_engine, make_sessionmaker, tenant_session, use_tenant

    engine = create_engine(database_url())
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
            await use_tenant(session, await tenant_id(session, tenant))
            secret = await session.scalar(
                select(ClientCredential.secret).where(ClientCredential.client_id == client_id)
            )
    finally:
        await engine.dispose()
    if secret is None:
        raise typer.BadParameter(f"no client {client_id!r} in tenant {tenant!r}", param_hint="--client-id")
    return secret


@app.command()
def token(
    client_id: Annotated[str, typer.Option("--client-id", help="The client id.")],
    secret: Annotated[
        str | None,
        typer.Option("--secret", help="The client's secret (default: read from the database, see --tenant)."),
    ] = None,
    user_id: Annotated[str, typer.Option("--user-id", help="The end user, for the audit trail.")] = "",
    tenant: TenantOption = "default",
) -> None:
    """Print a ZGW JWT for a client, for use as 'Authorization: Bearer <token>'."""
    from samenzaak.common.auth import make_token

    if secret is None:
        secret = asyncio.run(_stored_secret(client_id, tenant))
    typer.echo(make_token(client_id, secret, user_id=user_id, user_representation=user_id))


async def _tenants(action: str, slug: str = "", naam: str = "", hostname: str | None = None) -> list[Any]:
    from samenzaak.common.tenancy import slug_problem
    from samenzaak.db import Tenant, create_engine, make_sessionmaker

    engine = create_engine(database_url())
    try:
        async with make_sessionmaker(engine)() as session:
            if action == "create":
                problem = slug_problem(slug)
                if problem:
                    raise typer.BadParameter(problem, param_hint="SLUG")
                if await session.scalar(select(Tenant).where(Tenant.slug == slug)) is not None:
                    raise typer.BadParameter(f"tenant {slug!r} exists already", param_hint="SLUG")
                session.add(Tenant(slug=slug, naam=naam or slug, active=True, hostname=hostname))
            elif action in ("disable", "enable"):
                tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
                if tenant is None:
                    raise typer.BadParameter(f"no tenant {slug!r}", param_hint="SLUG")
                if tenant.id == DEFAULT_TENANT_ID and action == "disable":
                    raise typer.BadParameter("the default tenant cannot be disabled", param_hint="SLUG")
                tenant.active = action == "enable"
            await session.commit()
            return list((await session.scalars(select(Tenant).order_by(Tenant.id))).all())
    finally:
        await engine.dispose()


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Argument(help="Short name in URLs, e.g. gemeente-a.")],
    naam: Annotated[str, typer.Option("--naam", help="Full name, e.g. 'Gemeente A'.")] = "",
    hostname: Annotated[
        str | None, typer.Option("--hostname", help="Host name for host mode (SAMENZAAK_TENANT_MODE=host).")
    ] = None,
) -> None:
    """Create a tenant; its APIs are served at /<slug>/zaken/api/v1/… (or at its host name)."""
    asyncio.run(_tenants("create", slug, naam, hostname))
    typer.echo(f"Tenant {slug!r} created; its APIs live at /{slug}/<api>/api/v1.")
    typer.echo(f"Next: samenzaak applicatie create --tenant {slug} --client-id … --secret …")


@tenant_app.command("list")
def tenant_list() -> None:
    """List the tenants."""
    for t in asyncio.run(_tenants("list")):
        state = "active" if t.active else "disabled"
        typer.echo(f"{t.slug:<30} {state:<9} {t.naam}" + (f"  (host {t.hostname})" if t.hostname else ""))


@tenant_app.command("disable")
def tenant_disable(slug: Annotated[str, typer.Argument(help="The tenant's slug.")]) -> None:
    """Disable a tenant: its URLs answer 404 and its data stays untouched."""
    asyncio.run(_tenants("disable", slug))
    typer.echo(f"Tenant {slug!r} disabled.")


@tenant_app.command("enable")
def tenant_enable(slug: Annotated[str, typer.Argument(help="The tenant's slug.")]) -> None:
    """Enable a disabled tenant again."""
    asyncio.run(_tenants("enable", slug))
    typer.echo(f"Tenant {slug!r} enabled.")


@app.command()
def bootstrap(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo",
            help="Load the demo catalogus (omgevingsvergunning, melding openbare ruimte, Wmo-aanvraag) "
            "when the database has no catalogus yet.",
        ),
    ] = False,
) -> None:
    """Migrate, and create a first admin client if none exists; print how to call the API."""
    from samenzaak.common.auth import make_token

    migrate()
    settings = get_settings()
    secret = settings.admin_secret.get_secret_value() if settings.admin_secret else secrets.token_urlsafe(24)
    created = asyncio.run(
        _create_applicatie(ADMIN_CLIENT_ID, secret, "Samenzaak beheer", True, if_missing=True)
    )
    if created:
        typer.echo("\nA first admin client was created (it has every autorisatie):")
        typer.echo(f"  client id: {ADMIN_CLIENT_ID}\n  secret:    {secret}")
        typer.echo(f"  JWT:       {make_token(ADMIN_CLIENT_ID, secret, user_id='admin')}\n")
        typer.echo("Keep the secret: it is not shown again. Make a fresh JWT with `samenzaak token`.")
    else:
        typer.echo(f"Admin client {ADMIN_CLIENT_ID!r} exists; make a JWT with `samenzaak token`.")
    if demo:
        loaded = asyncio.run(_load_demo_catalogus())
        if loaded:
            typer.echo(f"Demo catalogus loaded: {loaded}")


async def _load_demo_catalogus() -> str | None:
    """Import the demo catalogus into the default tenant if it has no catalogus at all."""
    from sqlalchemy import func

    from samenzaak.catalogi.cli import DEMO
    from samenzaak.catalogi.models import Catalogus
    from samenzaak.catalogi.transfer import import_catalogus
    from samenzaak.common.commands import command_session, operator, url_builder

    async with command_session() as session:
        if await session.scalar(select(func.count()).select_from(Catalogus)):
            return None
        urls = url_builder()
        document = json.loads(DEMO.read_text(encoding="utf-8"))
        catalogus = await import_catalogus(session, operator(), urls, document)
        return urls.detail("catalogi", "catalogussen", catalogus.uuid)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
