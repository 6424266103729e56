"""Commands for implementing a law change: model catalogues, impact reports, switching zaken."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from samenzaak.common.commands import command_session, operator, url_builder
from samenzaak.common.problems import Problem
from samenzaak.common.urls import uuid_from_ref
from samenzaak.legislation import impact as impact_mod
from samenzaak.legislation import service, switch

console = Console()
TenantOption = Annotated[
    str, typer.Option("--tenant", help="The tenant's slug (default: the default tenant).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a readable report.")]


def _uuid(value: str, name: str) -> uuid.UUID:
    found = uuid_from_ref(value)
    if found is None:
        raise typer.BadParameter("give the URL or the UUID", param_hint=name)
    return found


def _fail(problem: Problem) -> None:
    details = "; ".join(f"{p.name}: {p.reason}" for p in problem.invalid_params) or problem.detail
    console.print(f"[red]Refused ({problem.code}):[/red] {details}")
    raise typer.Exit(1)


def register(catalogus_app: typer.Typer, zaken_app: typer.Typer) -> None:
    """Add this module's commands to `samenzaak catalogus …` and `samenzaak zaken …`."""
    catalogus_app.command("model")(mark_model)
    catalogus_app.command("adopt")(adopt)
    catalogus_app.command("updates")(updates)
    catalogus_app.command("impact")(impact)
    zaken_app.command("switch-zaaktype")(switch_zaaktype)


def mark_model(
    catalogus: Annotated[str, typer.Argument(help="URL or UUID of the catalogus to share as a model.")],
    beheerder: Annotated[str, typer.Option("--beheerder", help="Who maintains the model.")] = "",
    tenant: TenantOption = "default",
) -> None:
    """Mark a catalogus as a model catalogue that other municipalities can adopt zaaktypen from."""

    async def go() -> None:
        async with command_session(tenant) as session:
            await service.mark_model(session, _uuid(catalogus, "CATALOGUS"), beheerder)

    try:
        asyncio.run(go())
    except Problem as problem:
        _fail(problem)
    console.print("The catalogus is now a model catalogue.")


def adopt(
    model_zaaktype: Annotated[
        str, typer.Option("--model-zaaktype", help="URL or UUID of the model zaaktype.")
    ],
    catalogus: Annotated[str, typer.Option("--catalogus", help="URL or UUID of our catalogus.")],
    begin_geldigheid: Annotated[
        str, typer.Option("--begin-geldigheid", help="First day the adopted version applies (YYYY-MM-DD).")
    ],
    tenant: TenantOption = "default",
) -> None:
    """Adopt a model zaaktype into our catalogus, as a concept to adjust and publish."""
    try:
        start = date.fromisoformat(begin_geldigheid)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--begin-geldigheid") from None
    urls = url_builder(tenant)

    async def go() -> str:
        async with command_session(tenant) as session:
            copy = await service.adopt(
                session,
                operator(),
                urls,
                model_zaaktype_uuid=_uuid(model_zaaktype, "--model-zaaktype"),
                catalogus_uuid=_uuid(catalogus, "--catalogus"),
                begin_geldigheid=start,
            )
            return urls.detail("catalogi", "zaaktypen", copy.uuid)

    try:
        url = asyncio.run(go())
    except Problem as problem:
        _fail(problem)
    console.print(f"Adopted as concept: {url}")
    console.print("Next: adjust it, then publish it (POST …/publish) once its types are published.")


def updates(
    catalogus: Annotated[str, typer.Option("--catalogus", help="URL or UUID of our catalogus.")],
    as_json: JsonOption = False,
    tenant: TenantOption = "default",
) -> None:
    """List new model versions of the zaaktypen this catalogus adopted, with their differences."""
    urls = url_builder(tenant)

    async def go() -> list[dict[str, Any]]:
        async with command_session(tenant) as session:
            found = await service.available_updates(session, _uuid(catalogus, "--catalogus"))
            return [u.as_dict(urls) for u in found]

    found = asyncio.run(go())
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        console.print("No new model versions: every adopted zaaktype is up to date.")
    for item in found:
        console.print(
            f"[bold]{item['modelIdentificatie']}[/bold]: a new model version of "
            f"{item['newModelVersiedatum']} is available ({item['newModelZaaktype']})."
        )
        _print_diff(item["lawChange"])


def impact(
    old: Annotated[str, typer.Option("--from", help="URL or UUID of the zaaktype version in use.")],
    new: Annotated[str, typer.Option("--to", help="URL or UUID of the new zaaktype version.")],
    peildatum: Annotated[
        str | None, typer.Option("--peildatum", help="Reference date (default: today).")
    ] = None,
    as_json: JsonOption = False,
    tenant: TenantOption = "default",
) -> None:
    """What a new zaaktype version means for the zaken running on the old one."""
    today = date.fromisoformat(peildatum) if peildatum else date.today()  # noqa: DTZ011 (a calendar date)
    urls = url_builder(tenant)

    async def go() -> dict[str, Any] | None:
        async with command_session(tenant) as session:
            report = await impact_mod.impact(session, _uuid(old, "--from"), _uuid(new, "--to"), today)
            return None if report is None else report.as_dict(urls)

    report = asyncio.run(go())
    if report is None:
        console.print("[red]One of the zaaktypen does not exist in this tenant.[/red]")
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    console.print(
        f"[bold]Impact on {report['lopendeZaken']} running zaken[/bold] (peildatum {report['peildatum']})"
    )
    console.print(f"  past the new term:            {report['aantalOverNieuweTermijn']}")
    console.print(f"  of which overdue only by it:  {report['aantalNieuwTeLaat']}")
    console.print(f"  status no longer exists:      {report['aantalStatusVervalt']}")
    console.print(f"  resultaat no longer exists:   {report['aantalResultaatVervalt']}")
    _print_diff(report["verschillen"])


def _print_diff(d: dict[str, Any]) -> None:
    table = Table("what", "change")
    for name, change in d["fields"].items():
        table.add_row(name, f"{change['old']} → {change['new']}")
    for section in ("statustypen", "roltypen", "resultaattypen", "eigenschappen", "informatieobjecttypen"):
        part = d[section]
        for added in part["added"]:
            table.add_row(section, f"+ {added}")
        for removed in part["removed"]:
            table.add_row(section, f"− {removed}")
        for key, fields in part["changed"].items():
            table.add_row(
                section, f"~ {key}: " + ", ".join(f"{f} {c['old']} → {c['new']}" for f, c in fields.items())
            )
    console.print(table if table.row_count else "No differences.")


def switch_zaaktype(
    mapping_file: Annotated[
        Path,
        typer.Option(
            "--mapping", exists=True, dir_okay=False, help="JSON mapping: from, to, and per kind old → new."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would change; change nothing.")
    ] = False,
    as_json: JsonOption = False,
    tenant: TenantOption = "default",
) -> None:
    """Switch the running zaken of one zaaktype version to another (resumable; audited).

    The mapping file looks like {"from": "<zaaktype URL>", "to": "<zaaktype URL>",
    "statustypen": {"Ontvangen": "Ingediend"}, "roltypen": {}, "resultaattypen": {}, "eigenschappen": {}}.
    Types not named map to the new type with the same omschrijving (eigenschappen: naam).
    """
    try:
        data = json.loads(mapping_file.read_text())
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not valid JSON: {exc}", param_hint="--mapping") from None
    urls = url_builder(tenant)

    async def go() -> dict[str, Any]:
        mapping = switch.Mapping.parse(data)
        async with command_session(tenant) as session:
            if dry_run:
                plans = await switch.plan(session, mapping)
                return {"dryRun": True, "zaken": [p.as_dict() for p in plans]}
            with Progress(
                TextColumn("switching zaken"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as bar:
                task = bar.add_task("switch", total=None)
                run = await switch.run_switch(
                    session,
                    operator(),
                    urls,
                    mapping,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            items = await switch.run_items(session, run.uuid)
            return {
                "dryRun": False,
                "run": str(run.uuid),
                "zaken": [
                    {"zaak": str(i.zaak_uuid), "state": i.state, "reason": i.reason, "changes": i.changes}
                    for i in items
                ],
            }

    try:
        result = asyncio.run(go())
    except Problem as problem:
        _fail(problem)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    zaken = result["zaken"]
    if result["dryRun"]:
        ok = [z for z in zaken if z["switch"]]
        console.print(
            f"Dry run: {len(ok)} of {len(zaken)} running zaken can be switched; nothing was changed."
        )
        for z in zaken:
            if not z["switch"]:
                console.print(f"  [yellow]{z['identificatie']}[/yellow] stays: {' '.join(z['reasons'])}")
    else:
        switched = sum(1 for z in zaken if z["state"] == "switched")
        console.print(f"Run {result['run']}: {switched} of {len(zaken)} zaken switched.")
        for z in zaken:
            if z["state"] == "skipped":
                console.print(f"  [yellow]{z['zaak']}[/yellow] left untouched: {z['reason']}")
