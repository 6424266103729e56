"""The ``samenzaak`` command: serve, migrate, manage applicaties and tokens."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

import typer
from sqlalchemy import select

from samenzaak.config import get_settings

app = typer.Typer(
    help="Samenzaak: the ZGW APIs and collective dashboards for municipalities.",
    no_args_is_help=True,
    add_completion=False,
)
applicatie_app = typer.Typer(help="Manage applicaties (API clients) and their secrets.", no_args_is_help=True)
app.add_typer(applicatie_app, name="applicatie")

ADMIN_CLIENT_ID = "samenzaak-admin"


def _database_url() -> str:
    settings = get_settings()
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return url


@app.command()
def migrate() -> None:
    """Apply all database migrations (safe to run repeatedly)."""
    from samenzaak.migrate import upgrade_sync

    url = _database_url()
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
    )


async def _create_applicatie(
    client_id: str, secret: str, label: str, alle_autorisaties: bool, *, if_missing: bool = False
) -> bool:
    from samenzaak.autorisaties import service
    from samenzaak.autorisaties.models import Applicatie, ApplicatieClient
    from samenzaak.db import create_engine, make_sessionmaker, tenant_session

    engine = create_engine(_database_url())
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
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
) -> None:
    """Register a client: its secret and an applicatie (add autorisaties via the Autorisaties API)."""
    asyncio.run(_create_applicatie(client_id, secret, label or client_id, alle_autorisaties))
    typer.echo(f"Applicatie for client id {client_id!r} created.")


@app.command()
def token(
    client_id: Annotated[str, typer.Option("--client-id", help="The client id.")],
    secret: Annotated[str, typer.Option("--secret", help="The client's secret.")],
    user_id: Annotated[str, typer.Option("--user-id", help="The end user, for the audit trail.")] = "",
) -> None:
    """Print a ZGW JWT for a client, for use as 'Authorization: Bearer <token>'."""
    from samenzaak.common.auth import make_token

    typer.echo(make_token(client_id, secret, user_id=user_id, user_representation=user_id))


@app.command()
def bootstrap() -> None:
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
