"""``samenzaak catalogus import FILE`` / ``export``: a whole catalogus as one JSON document.

Wired into the main command with ``app.add_typer(catalogus_app, name="catalogus")``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

catalogus_app = typer.Typer(
    help="Import and export a catalogus (zaaktypen with all their types) as JSON.", no_args_is_help=True
)
DEMO = Path(__file__).parent / "data" / "demo-catalogus.json"
LOCAL_BASE = "http://localhost:8000"


def _urls() -> Any:
    from samenzaak.common.urls import UrlBuilder
    from samenzaak.config import get_settings

    base = get_settings().public_base_url or LOCAL_BASE
    return UrlBuilder(base=base.rstrip("/"))


async def _run(work: Any, tenant: int) -> Any:
    from samenzaak.config import get_settings
    from samenzaak.db import create_engine, make_sessionmaker, tenant_session

    settings = get_settings()
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        async with tenant_session(make_sessionmaker(engine), tenant) as session:
            return await work(session)
    finally:
        await engine.dispose()


@catalogus_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The JSON document ('demo' for the demo catalogus).")],
    tenant: Annotated[int, typer.Option(help="The organisation (tenant id) to import into.")] = 1,
) -> None:
    """Create a catalogus with its types from a document; types with concept=false are published."""
    from samenzaak.catalogi.transfer import import_catalogus
    from samenzaak.common.auth import Auth
    from samenzaak.common.problems import Problem

    path = DEMO if str(file) == "demo" else file
    document = json.loads(path.read_text(encoding="utf-8"))
    auth = Auth(
        client_id="samenzaak-cli",
        user_id="cli",
        user_representation="samenzaak catalogus import",
        all_rights=True,
    )
    urls = _urls()

    async def work(session: Any) -> str:
        catalogus = await import_catalogus(session, auth, urls, document)
        return str(urls.detail("catalogi", "catalogussen", catalogus.uuid))

    try:
        url = asyncio.run(_run(work, tenant))
    except Problem as problem:
        typer.echo(f"Import refused: {problem.detail}", err=True)
        for param in problem.invalid_params:
            typer.echo(f"  {param.name}: {param.code}: {param.reason}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Catalogus imported: {url}")


@catalogus_app.command("export")
def export(
    catalogus: Annotated[str, typer.Argument(help="The catalogus: its uuid, URL or domein.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    tenant: Annotated[int, typer.Option(help="The organisation (tenant id).")] = 1,
) -> None:
    """Write a catalogus with every version of its types as a JSON document."""
    from sqlalchemy import select

    from samenzaak.catalogi.models import Catalogus
    from samenzaak.catalogi.transfer import export_catalogus

    urls = _urls()

    async def work(session: Any) -> dict[str, Any] | None:
        try:
            pk: uuid.UUID | None = uuid.UUID(catalogus.rstrip("/").rsplit("/", 1)[-1])
        except ValueError:
            pk = await session.scalar(select(Catalogus.uuid).where(Catalogus.domein == catalogus).limit(1))
        if pk is None or await session.get(Catalogus, pk) is None:
            return None
        document: dict[str, Any] = await export_catalogus(session, urls, pk)
        return document

    document = asyncio.run(_run(work, tenant))
    if document is None:
        typer.echo(f"No catalogus {catalogus!r}.", err=True)
        raise typer.Exit(1)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Catalogus written to {output}")
