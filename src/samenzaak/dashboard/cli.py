"""``samenzaak dashboard-user create|delete`` and ``samenzaak demo-data``.

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


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="dashboard-user")
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
