"""``samenzaak dashboard-user create|delete``, ``samenzaak dashboard rebuild`` and
``samenzaak demo-data``.

Wired into the main CLI with ``register(app)`` (see ``samenzaak.cli``).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

user_app = typer.Typer(help="Manage dashboard users (login at /dashboard/login).", no_args_is_help=True)

TenantOption = Annotated[
    str, typer.Option("--tenant", help="The tenant's slug (default: the default tenant).")
]


dashboard_app = typer.Typer(help="The dashboard's summary tables.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="dashboard-user")
    app.add_typer(dashboard_app, name="dashboard")
    app.command("demo-data")(demo_data)


def _url() -> str:
    from samenzaak.common.commands import database_url

    return database_url()


async def _with_tenant_session(slug: str, action: str, username: str, password: str = "") -> bool:
    from samenzaak.common.commands import command_session
    from samenzaak.dashboard import security

    async with command_session(slug) as session:
        if action == "create":
            await security.create_user(session, username, password)
            return True
        return await security.delete_user(session, username)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option("--username", help="The login name.")],
    password: Annotated[
        str,
        typer.Option("--password", prompt=True, hide_input=True, help="The password (prompted if left out)."),
    ],
    tenant: TenantOption = "default",
) -> None:
    """Create a dashboard user of a tenant (or set a new password for an existing one)."""
    if len(password) < 8:
        raise typer.BadParameter("use at least 8 characters", param_hint="--password")
    asyncio.run(_with_tenant_session(tenant, "create", username, password))
    prefix = "" if tenant == "default" else f"/{tenant}"
    typer.echo(f"Dashboard user {username!r} of tenant {tenant!r} saved; log in at {prefix}/dashboard/login.")


@user_app.command("delete")
def user_delete(
    username: Annotated[str, typer.Option("--username", help="The login name.")],
    tenant: TenantOption = "default",
) -> None:
    """Delete a dashboard user; their sessions end at once."""
    if not asyncio.run(_with_tenant_session(tenant, "delete", username)):
        raise typer.BadParameter(
            f"no dashboard user {username!r} in tenant {tenant!r}", param_hint="--username"
        )
    typer.echo(f"Dashboard user {username!r} deleted.")


def demo_data(
    zaken: Annotated[int, typer.Option("--zaken", min=1, help="How many zaken to generate.")] = 5000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")
    ] = 20261129,
) -> None:
    """Generate demo zaken for three municipalities sharing model zaaktypen (migrates first)."""
    from samenzaak.dashboard.demo import generate
    from samenzaak.db import create_engine, make_sessionmaker
    from samenzaak.migrate import upgrade_sync

    url = _url()
    upgrade_sync(url)

    async def run() -> None:
        engine = create_engine(url)
        try:
            with typer.progressbar(length=zaken, label="Zaken") as bar:
                summary = await generate(make_sessionmaker(engine), zaken, seed=seed, progress=bar.update)
        finally:
            await engine.dispose()
        typer.echo(
            f"{summary.zaken} zaken, {summary.statussen} statussen, {summary.resultaten} resultaten: "
            + ", ".join(f"{k} {v}" for k, v in sorted(summary.per_tenant.items()))
        )

    asyncio.run(run())


@dashboard_app.command("rebuild")
def rebuild() -> None:
    """Recompute the dashboard's summary (per-zaak facts, per-day counters) of every tenant
    from the zaken, statussen and resultaten, in one transaction. Not needed in normal use:
    every write keeps it up to date, and the migration that added it filled it."""
    from sqlalchemy import func, select

    from samenzaak.dashboard import summary
    from samenzaak.db import create_engine
    from samenzaak.migrate import upgrade_sync
    from samenzaak.zaken.models import Zaak

    url = _url()
    upgrade_sync(url)

    async def run() -> int:
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                if conn.dialect.name == "postgresql":  # every tenant's rows (row-level security)
                    await conn.exec_driver_sql("SELECT set_config('samenzaak.all_tenants', 'on', true)")
                total = int(await conn.scalar(select(func.count()).select_from(Zaak)) or 0)
                with typer.progressbar(length=total, label="Zaken") as bar:
                    return await conn.run_sync(lambda sync: summary.rebuild(sync, progress=bar.update))
        finally:
            await engine.dispose()

    typer.echo(f"Dashboard summary rebuilt from {asyncio.run(run())} zaken.")
