"""Routes of the dashboard: HTML pages, the JSON API under /dashboard/api and CSV downloads.

Pages need a dashboard login (session cookie). The JSON API and the CSV downloads accept
the same login, or an applicatie's JWT with the scope ``dashboard.lezen`` (in any of its
autorisaties) or ``heeftAlleAutorisaties``. Everything shown is an aggregate of the
caller's tenant; only the comparison page reads across tenants, and only aggregates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from samenzaak.common.problems import NotAuthenticated, NotFound, PermissionDenied, field_error
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.web import JSON, SessionDep, get_auth, get_urls
from samenzaak.dashboard import charts, queries, security
from samenzaak.dashboard.queries import Filters, Table

SCOPE = "dashboard.lezen"
TZ = ZoneInfo("Europe/Amsterdam")

router = APIRouter(prefix="/dashboard", include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def install(app: FastAPI) -> None:
    """Mount the dashboard on the app (called from ``create_app``)."""
    app.include_router(router)


def today() -> date:
    return datetime.now(TZ).date()


# --- who is reading ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    csrf_token: str = ""  # set for a logged-in user (logout form)
    via_jwt: bool = False


def _base(request: Request) -> str:
    return f"{request.scope.get('root_path', '')}/dashboard"


async def page_reader(request: Request, session: SessionDep) -> Reader | None:
    user = await security.current_user(session, request.cookies.get(security.SESSION_COOKIE))
    return Reader(user.username, user.csrf_token) if user else None


async def api_reader(request: Request, session: SessionDep) -> Reader:
    if request.headers.get("authorization"):
        auth = await get_auth(request, session)
        if not (auth.all_rights or any(SCOPE in g.scopes for g in auth.grants)):
            raise PermissionDenied(f"The client {auth.client_id!r} lacks the scope {SCOPE!r}.")
        return Reader(auth.client_id, via_jwt=True)
    reader = await page_reader(request, session)
    if reader is None:
        raise NotAuthenticated("Log in at /dashboard/login or send a JWT with the scope dashboard.lezen.")
    return reader


PageReader = Annotated[Reader | None, Depends(page_reader)]
ApiReader = Annotated[Reader, Depends(api_reader)]


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"{_base(request)}/login", status_code=303)


# --- filters -----------------------------------------------------------------------------


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise field_error(name, "invalid", "Geef een datum als JJJJ-MM-DD.") from exc


def filters_of(request: Request) -> Filters:
    default = Filters.default(today())
    start = _date_param(request, "van") or default.start
    end = _date_param(request, "tot") or default.end
    if start > end:
        raise field_error("van", "invalid", "'van' ligt na 'tot'.")
    if (end - start).days > 3 * 366:
        raise field_error("van", "invalid", "Kies een periode van hoogstens drie jaar.")
    return Filters(
        start=start,
        end=end,
        zaaktype=request.query_params.get("zaaktype") or None,
        bronorganisatie=request.query_params.get("organisatie") or None,
    )


FiltersDep = Annotated[Filters, Depends(filters_of)]


# --- the figures, shared by HTML, JSON and CSV -------------------------------------------------


async def overview_data(session: AsyncSession, f: Filters, overdue_limit: int = 10) -> dict[str, Table]:
    return {
        "per_zaaktype": await queries.per_zaaktype(session, f),
        "per_week": await queries.weekly_flow(session, f),
        "per_status": await queries.by_status(session, f),
        "per_resultaat": await queries.by_result(session, f),
        "per_kanaal": await queries.by_channel(session, f),
        "te_laat": await queries.overdue(session, f, limit=overdue_limit),
    }


async def zaaktype_data(session: AsyncSession, f: Filters) -> tuple[dict[str, Table], dict[str, Any]]:
    hist, summary = await queries.throughput(session, f)
    tables = {
        "doorlooptijd": hist,
        "tijd_per_status": await queries.time_per_status(session, f),
        "per_resultaat": await queries.by_result(session, f),
        "per_week": await queries.weekly_flow(session, f),
    }
    return tables, summary


async def comparison_data(request: Request, f: Filters) -> Table:
    """The cross-tenant read, in a session of its own opened with ``all_tenants`` (for the
    row-level security on PostgreSQL) and kept to this one aggregate query."""
    async with request.app.state.sessionmaker() as session:
        session.info["tenant_id"] = request.state.tenant_id
        session.info["all_tenants"] = True
        return await queries.comparison(session, f)


async def _overdue_full(s: AsyncSession, f: Filters) -> Table:
    return await queries.overdue(s, f)


async def _throughput_table(s: AsyncSession, f: Filters) -> Table:
    return (await queries.throughput(s, f))[0]


TABLES: dict[str, Callable[[AsyncSession, Filters], Awaitable[Table]]] = {
    "per_zaaktype": queries.per_zaaktype,
    "per_week": queries.weekly_flow,
    "per_status": queries.by_status,
    "per_resultaat": queries.by_result,
    "per_kanaal": queries.by_channel,
    "te_laat": _overdue_full,
    "doorlooptijd": _throughput_table,
    "tijd_per_status": queries.time_per_status,
}


def _filters_json(f: Filters) -> dict[str, Any]:
    return {
        "van": f.start.isoformat(),
        "tot": f.end.isoformat(),
        "zaaktype": f.zaaktype,
        "organisatie": f.bronorganisatie,
    }


def _with_links(table: Table, request: Request) -> Table:
    if table.name == "te_laat":
        base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "")
        for row in table.rows:
            row["url"] = queries.zaak_url(base, row["uuid"])
    return table


# --- JSON API ------------------------------------------------------------------------------


@router.get("/api/overzicht")
async def api_overview(request: Request, session: SessionDep, reader: ApiReader, f: FiltersDep) -> JSON:
    tables = await overview_data(session, f, overdue_limit=queries.OVERDUE_LIMIT)
    return JSON(
        {
            "filters": _filters_json(f),
            "totaal": queries.totals(tables["per_zaaktype"]),
            "tabellen": {k: _with_links(t, request).to_dict() for k, t in tables.items()},
        }
    )


@router.get("/api/zaaktypen/{identificatie}")
async def api_zaaktype(
    request: Request, identificatie: str, session: SessionDep, reader: ApiReader, f: FiltersDep
) -> JSON:
    f = Filters(f.start, f.end, identificatie, f.bronorganisatie)
    info = await _zaaktype_info(session, identificatie)
    tables, summary = await zaaktype_data(session, f)
    return JSON(
        {
            "filters": _filters_json(f),
            "zaaktype": {
                "identificatie": info.identificatie,
                "omschrijving": info.omschrijving,
                "doorlooptijd": info.doorlooptijd,
                "servicenorm": info.servicenorm,
            },
            "doorlooptijd": summary,
            "tabellen": {k: t.to_dict() for k, t in tables.items()},
        }
    )


@router.get("/api/vergelijking")
async def api_comparison(request: Request, reader: ApiReader, f: FiltersDep) -> JSON:
    table = await comparison_data(request, f)
    return JSON({"filters": _filters_json(f), "tabellen": {"vergelijking": table.to_dict()}})


@router.get("/api/te-laat")
async def api_overdue(request: Request, session: SessionDep, reader: ApiReader, f: FiltersDep) -> JSON:
    table = _with_links(await queries.overdue(session, f), request)
    return JSON({"filters": _filters_json(f), "tabellen": {"te_laat": table.to_dict()}})


@router.get("/csv/{name}.csv")
async def csv_download(
    request: Request, name: str, session: SessionDep, reader: ApiReader, f: FiltersDep
) -> Response:
    if name == "vergelijking":
        table = await comparison_data(request, f)
    elif name in TABLES:
        table = _with_links(await TABLES[name](session, f), request)
    else:
        raise NotFound(f"No table {name!r}.")
    return Response(
        to_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}_{f.start}_{f.end}.csv"'},
    )


def to_csv(table: Table) -> str:
    """The table as CSV: one header row of column keys (as in the JSON), then the rows."""
    out = io.StringIO()
    keys = [c.key for c in table.columns] + (["url"] if table.name == "te_laat" else [])
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in table.rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
    return out.getvalue()


# --- HTML pages ----------------------------------------------------------------------------


async def _zaaktype_info(session: AsyncSession, identificatie: str) -> queries.ZaaktypeInfo:
    for info in await queries.zaaktype_choices(session):
        if info.identificatie == identificatie:
            return info
    raise NotFound(f"No zaaktype {identificatie!r}.")


async def _context(
    request: Request, session: AsyncSession, reader: Reader, f: Filters, page: str
) -> dict[str, Any]:
    params = f.as_params()
    return {
        "base": _base(request),
        "user": reader,
        "page": page,
        "filters": f,
        "query": urlencode(params),
        "query_without_zaaktype": urlencode({k: v for k, v in params.items() if k != "zaaktype"}),
        "zaaktypen": await queries.zaaktype_choices(session),
        "organisaties": await queries.organisations(session),
        "tenant": await queries.tenant_name(session, request.state.tenant_id),
    }


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def overview_page(request: Request, session: SessionDep, reader: PageReader, f: FiltersDep) -> Response:
    if reader is None:
        return _login_redirect(request)
    tables = await overview_data(session, f)
    weeks = tables["per_week"].rows
    labels = [w["week"][5:] for w in weeks]
    ctx = await _context(request, session, reader, f, "overzicht")
    ctx |= {
        "tables": {k: _with_links(t, request) for k, t in tables.items()},
        "totaal": queries.totals(tables["per_zaaktype"]),
        "flow_chart": charts.bar_line_chart(
            "chart-per-week",
            "Instroom, uitstroom en werkvoorraad per week",
            labels,
            {"Instroom": [w["instroom"] for w in weeks], "Uitstroom": [w["uitstroom"] for w in weeks]},
            ("Werkvoorraad", [w["werkvoorraad"] for w in weeks]),
        ),
        "status_chart": charts.hbar_chart(
            "chart-per-status",
            "Open zaken per status",
            [(r["status"], r["aantal"]) for r in tables["per_status"].rows],
        ),
        "result_chart": charts.hbar_chart(
            "chart-per-resultaat",
            "Afgesloten zaken per resultaat",
            [(r["resultaat"], r["aantal"]) for r in tables["per_resultaat"].rows],
        ),
        "channel_chart": charts.hbar_chart(
            "chart-per-kanaal",
            "Instroom per kanaal",
            [(r["kanaal"], r["aantal"]) for r in tables["per_kanaal"].rows],
        ),
    }
    return templates.TemplateResponse(request, "overview.html", ctx)


@router.get("/zaaktype/{identificatie}", response_class=HTMLResponse)
async def zaaktype_page(
    request: Request, identificatie: str, session: SessionDep, reader: PageReader, f: FiltersDep
) -> Response:
    if reader is None:
        return _login_redirect(request)
    f = Filters(f.start, f.end, identificatie, f.bronorganisatie)
    info = await _zaaktype_info(session, identificatie)
    tables, summary = await zaaktype_data(session, f)
    dist = [(r["dagen"], r["aantal"]) for r in tables["doorlooptijd"].rows]
    markers: dict[str, float] = {}
    for name, value in (
        ("p50", summary["p50_dagen"]),
        ("p90", summary["p90_dagen"]),
        ("servicenorm", queries.norm_days(info.servicenorm)),
        ("doorlooptijd", queries.norm_days(info.doorlooptijd)),
    ):
        if value is not None:
            markers[name] = value
    ctx = await _context(request, session, reader, f, "zaaktype")
    ctx |= {
        "info": info,
        "summary": summary,
        "servicenorm_dagen": queries.norm_days(info.servicenorm),
        "doorlooptijd_dagen": queries.norm_days(info.doorlooptijd),
        "tables": tables,
        "hist_chart": charts.histogram(
            "chart-doorlooptijd", f"Doorlooptijd van {info.omschrijving}", dist, markers
        ),
        "status_chart": charts.hbar_chart(
            "chart-tijd-per-status",
            "Gemiddelde tijd per status (dagen)",
            [(r["status"], r["gemiddeld_dagen"]) for r in tables["tijd_per_status"].rows],
            unit=" d",
        ),
        "result_chart": charts.hbar_chart(
            "chart-per-resultaat",
            "Afgesloten zaken per resultaat",
            [(r["resultaat"], r["aantal"]) for r in tables["per_resultaat"].rows],
        ),
    }
    return templates.TemplateResponse(request, "zaaktype.html", ctx)


@router.get("/te-laat", response_class=HTMLResponse)
async def overdue_page(request: Request, session: SessionDep, reader: PageReader, f: FiltersDep) -> Response:
    if reader is None:
        return _login_redirect(request)
    ctx = await _context(request, session, reader, f, "te-laat")
    ctx["table"] = _with_links(await queries.overdue(session, f), request)
    return templates.TemplateResponse(request, "overdue.html", ctx)


@router.get("/vergelijking", response_class=HTMLResponse)
async def comparison_page(
    request: Request, session: SessionDep, reader: PageReader, f: FiltersDep
) -> Response:
    if reader is None:
        return _login_redirect(request)
    table = await comparison_data(request, f)
    ctx = await _context(request, session, reader, f, "vergelijking")
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in table.rows:
        groups.setdefault(row["zaaktype"], []).append(row)
    ctx |= {
        "table": table,
        "charts": {
            zt: charts.hbar_chart(
                f"chart-vergelijking-{i}",
                f"Doorlooptijd p50 per organisatie, {zt}",
                [(r["organisatie"], r["p50_dagen"] or 0) for r in rows],
                unit=" d",
            )
            for i, (zt, rows) in enumerate(groups.items())
        },
    }
    return templates.TemplateResponse(request, "comparison.html", ctx)


@router.get("/wetswijziging", response_class=HTMLResponse)
async def impact_page(request: Request, session: SessionDep, reader: PageReader, f: FiltersDep) -> Response:
    """The impact of a new zaaktype version on running zaken (issue: implementing new law)."""
    if reader is None:
        return _login_redirect(request)
    from samenzaak.legislation.pages import impact_context

    ctx = await _context(request, session, reader, f, "wetswijziging")
    ctx |= await impact_context(
        session,
        _urls(request),
        request.query_params.get("van"),
        request.query_params.get("naar"),
        today(),
    )
    return templates.TemplateResponse(request, "impact.html", ctx)


def _urls(request: Request) -> UrlBuilder:
    return get_urls(request)


# --- login ---------------------------------------------------------------------------------


def _cookie_kwargs(request: Request) -> dict[str, Any]:
    return {"path": _base(request), "httponly": True, "secure": request.url.scheme == "https"}


def _login_form(request: Request, error: str = "", status_code: int = 200, username: str = "") -> Response:
    csrf = security.new_token()
    response = templates.TemplateResponse(
        request,
        "login.html",
        {"base": _base(request), "csrf": csrf, "error": error, "username": username, "user": None},
        status_code=status_code,
    )
    response.set_cookie(
        security.CSRF_COOKIE, csrf, samesite="strict", max_age=3600, **_cookie_kwargs(request)
    )
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    return _login_form(request)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:10_000].decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: SessionDep) -> Response:
    form = await _form(request)
    if not security.tokens_match(form.get("csrf_token"), request.cookies.get(security.CSRF_COOKIE)):
        return _login_form(request, "Het formulier is verlopen; probeer het opnieuw.", 400)
    username = form.get("username", "").strip()
    user = await security.authenticate_user(session, username, form.get("password", ""))
    if user is None:
        return _login_form(request, "Onbekende gebruikersnaam of onjuist wachtwoord.", 401, username)
    token = await security.start_session(session, user)
    response = RedirectResponse(_base(request), status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        token,
        samesite="lax",
        max_age=int(security.SESSION_LIFETIME.total_seconds()),
        **_cookie_kwargs(request),
    )
    response.delete_cookie(security.CSRF_COOKIE, path=_base(request))
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep, reader: PageReader) -> Response:
    form = await _form(request)
    cookie = request.cookies.get(security.SESSION_COOKIE)
    if reader is not None and cookie and security.tokens_match(form.get("csrf_token"), reader.csrf_token):
        await security.end_session(session, cookie)
    response = _login_redirect(request)
    response.delete_cookie(security.SESSION_COOKIE, path=_base(request))
    return response


# --- static files ----------------------------------------------------------------------------

STATIC = {"dashboard.css": "text/css; charset=utf-8", "dashboard.js": "text/javascript; charset=utf-8"}


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in STATIC:
        raise NotFound(f"No file {name!r}.")
    content = resources.files("samenzaak.dashboard").joinpath("static", name).read_bytes()
    return Response(content, media_type=STATIC[name], headers={"Cache-Control": "public, max-age=3600"})
