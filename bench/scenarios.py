"""What the load generator does to a ZGW server: discovery and setup through the APIs, and one
async operation per scenario. Nothing here is specific to Samenzaak."""

from __future__ import annotations

import asyncio
import base64
import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.metrics import Recorder
from bench.zgw import ZgwClient, valid_bsns

EXPAND = "status,resultaat,rollen"
DOCUMENT_BYTES = 1024


class SetupError(RuntimeError):
    """The server refused what the benchmark needs before measuring (shown with its body)."""


@dataclass
class Target:
    base_url: str
    zaaktype: str
    informatieobjecttype: str | None = None
    zaken_root: str = "/zaken/api/v1"
    documenten_root: str = "/documenten/api/v1"
    ceiling_path: str = "/health"
    rsin: str = "111222333"

    @property
    def zaken(self) -> str:
        return self.base_url.rstrip("/") + self.zaken_root

    @property
    def documenten(self) -> str:
        return self.base_url.rstrip("/") + self.documenten_root

    @property
    def catalogi(self) -> str:
        # The catalogus lives wherever the zaaktype does: strip "/zaaktypen/<uuid>".
        return self.zaaktype.rstrip("/").rsplit("/", 2)[0]


@dataclass
class Context:
    """What the setup discovered and created, shared by all workers."""

    client: ZgwClient
    target: Target
    statustypen: list[str] = field(default_factory=list)  # not the eindstatus: zaken stay open
    roltype_person: str = ""
    roltypen: list[str] = field(default_factory=list)
    resultaattype: str | None = None
    zaken: list[str] = field(default_factory=list)
    bsns: list[str] = field(default_factory=list)
    documents: list[tuple[str, int]] = field(default_factory=list)  # (download URL, size)
    page_size: int = 0
    count: int = 0
    unsupported: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.count / self.page_size)) if self.page_size else 1


Op = Callable[[Context, random.Random, Recorder], Awaitable[None]]


def today() -> str:
    return dt.date.today().isoformat()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


# -- request bodies ---------------------------------------------------------------------------


def zaak_body(ctx: Context) -> dict[str, Any]:
    return {
        "bronorganisatie": ctx.target.rsin,
        "verantwoordelijkeOrganisatie": ctx.target.rsin,
        "zaaktype": ctx.target.zaaktype,
        "startdatum": today(),
        "omschrijving": "benchmark",
    }


def rol_body(ctx: Context, zaak: str, bsn: str, roltype: str | None = None) -> dict[str, Any]:
    return {
        "zaak": zaak,
        "betrokkeneType": "natuurlijk_persoon",
        "roltype": roltype or ctx.roltype_person,
        "roltoelichting": "benchmark",
        "betrokkeneIdentificatie": {"inpBsn": bsn, "geslachtsnaam": "Bench", "voorletters": "B"},
    }


def status_body(zaak: str, statustype: str) -> dict[str, Any]:
    # Microseconds keep datumStatusGezet distinct per zaak, which some servers require.
    return {"zaak": zaak, "statustype": statustype, "datumStatusGezet": now_iso()}


def document_body(ctx: Context, content: bytes) -> dict[str, Any]:
    return {
        "bronorganisatie": ctx.target.rsin,
        "creatiedatum": today(),
        "titel": "benchmark",
        "auteur": "benchmark",
        "taal": "nld",
        "vertrouwelijkheidaanduiding": "openbaar",
        "informatieobjecttype": ctx.target.informatieobjecttype,
        "formaat": "text/plain",
        "bestandsnaam": "bench.txt",
        "bestandsomvang": len(content),
        "inhoud": base64.b64encode(content).decode(),
    }


# -- discovery and setup ----------------------------------------------------------------------


async def _get_json(ctx: Context, rec: Recorder, url: str, **params: Any) -> Any:
    response = await ctx.client.call(rec, "setup", "GET", url, params=params or None)
    if response is None:
        raise SetupError(f"GET {url} failed: {rec.error_samples[-1]['body'] if rec.error_samples else ''}")
    return response.json()


async def _type_objects(
    ctx: Context, rec: Recorder, zaaktype: dict[str, Any], key: str
) -> list[dict[str, Any]]:
    """A zaaktype's statustypen/roltypen/resultaattypen: by the URLs it lists (Catalogi 1.x),
    otherwise by filtering the collection on the zaaktype."""
    urls = zaaktype.get(key)
    if isinstance(urls, list):
        return [await _get_json(ctx, rec, u) for u in urls if isinstance(u, str)]
    body = await _get_json(ctx, rec, f"{ctx.target.catalogi}/{key}", zaaktype=ctx.target.zaaktype)
    return list(body.get("results", body) if isinstance(body, dict) else body)


async def discover(ctx: Context, rec: Recorder) -> None:
    """Read the zaaktype and its types through the Catalogi API."""
    zaaktype = await _get_json(ctx, rec, ctx.target.zaaktype)
    if zaaktype.get("concept"):
        ctx.notes.append("the zaaktype is a concept: servers refuse zaken of an unpublished zaaktype")
    statustypen = sorted(
        await _type_objects(ctx, rec, zaaktype, "statustypen"), key=lambda s: s["volgnummer"]
    )
    # The highest volgnummer is the eindstatus: setting it closes the zaak (and needs a
    # resultaat), which would change what later scenarios measure.
    ctx.statustypen = [s["url"] for s in statustypen[:-1]]
    if not ctx.statustypen:
        ctx.unsupported["status_create"] = "the zaaktype has fewer than 2 statustypen"
    roltypen = await _type_objects(ctx, rec, zaaktype, "roltypen")
    if not roltypen:
        raise SetupError("the zaaktype has no roltypen: the _zoek-by-BSN setup needs one")
    ctx.roltypen = [r["url"] for r in roltypen]
    initiators = [r["url"] for r in roltypen if r.get("omschrijvingGeneriek") == "initiator"]
    ctx.roltype_person = (initiators or ctx.roltypen)[0]
    resultaattypen = await _type_objects(ctx, rec, zaaktype, "resultaattypen")
    ctx.resultaattype = resultaattypen[0]["url"] if resultaattypen else None


async def _bounded(coros: list[Awaitable[None]], concurrency: int) -> None:
    semaphore = asyncio.Semaphore(concurrency)

    async def run(coro: Awaitable[None]) -> None:
        async with semaphore:
            await coro

    await asyncio.gather(*(run(c) for c in coros))


async def create_zaak_with_children(ctx: Context, rec: Recorder, index: int) -> None:
    """One zaak as a zaaksysteem would hold it: a status, a citizen as initiator, sometimes a
    resultaat (so expand has all three to fetch)."""
    zaken = ctx.target.zaken
    response = await ctx.client.call(
        rec, "setup", "POST", f"{zaken}/zaken", json=zaak_body(ctx), expected=(201,)
    )
    if response is None:
        return
    zaak = response.json()["url"]
    if ctx.statustypen:
        await ctx.client.call(
            rec,
            "setup",
            "POST",
            f"{zaken}/statussen",
            json=status_body(zaak, ctx.statustypen[0]),
            expected=(201,),
        )
    bsn = ctx.bsns[index % len(ctx.bsns)]
    await ctx.client.call(
        rec, "setup", "POST", f"{zaken}/rollen", json=rol_body(ctx, zaak, bsn), expected=(201,)
    )
    if ctx.resultaattype and index % 4 == 0:
        await ctx.client.call(
            rec,
            "setup",
            "POST",
            f"{zaken}/resultaten",
            json={"zaak": zaak, "resultaattype": ctx.resultaattype, "toelichting": "benchmark"},
            expected=(201,),
        )
    ctx.zaken.append(zaak)


async def create_document(ctx: Context, rec: Recorder, label: str = "setup") -> None:
    content = random.randbytes(DOCUMENT_BYTES)
    url = f"{ctx.target.documenten}/enkelvoudiginformatieobjecten"
    response = await ctx.client.call(
        rec, label, "POST", url, json=document_body(ctx, content), expected=(201,)
    )
    if response is None:
        return
    body = response.json()
    download = body.get("inhoud") or f"{body['url']}/download"
    # A bounded pool: downloads pick from it, creates during a run keep it fresh.
    if len(ctx.documents) < 1000:
        ctx.documents.append((download, len(content)))


async def setup(ctx: Context, rec: Recorder, *, zaken: int, citizens: int, documents: int) -> None:
    """Discover the types, then create the zaken, rollen and documents that reads need."""
    await discover(ctx, rec)
    ctx.bsns = valid_bsns(citizens)
    # The first zaak alone: when the server cannot create one, the others would fail alike.
    await create_zaak_with_children(ctx, rec, 0)
    if not ctx.zaken:
        # Still measure what does not need zaken (the ceiling, documents): a server may serve
        # only some of the APIs.
        sample = rec.error_samples[-1] if rec.error_samples else {}
        reason = f"no zaak could be created ({sample.get('status')}, see the note)"
        for name in ZAKEN_SCENARIOS:
            ctx.unsupported[name] = reason
    else:
        await _bounded([create_zaak_with_children(ctx, rec, i) for i in range(1, zaken)], 8)
    if rec.errors:
        ctx.notes.append(f"setup: {rec.errors} requests failed, first: {rec.error_samples[0]}")
    if ctx.target.informatieobjecttype:
        await _bounded([create_document(ctx, rec) for _ in range(documents)], 8)
        if not ctx.documents:
            ctx.unsupported["document_create"] = f"no document could be created: {rec.error_samples[-1:]}"
            ctx.unsupported["document_download"] = "no documents"
    else:
        reason = "no --informatieobjecttype given"
        ctx.unsupported["document_create"] = ctx.unsupported["document_download"] = reason


async def refresh_count(ctx: Context, rec: Recorder) -> None:
    """The zaaktype's zaken count and page size, for the last page (the count grows as the
    create scenarios run)."""
    body = await _get_json(ctx, rec, f"{ctx.target.zaken}/zaken", zaaktype=ctx.target.zaaktype)
    ctx.count = int(body["count"])
    ctx.page_size = len(body["results"]) if body.get("next") else max(ctx.count, 1)


async def probe_expand(ctx: Context, rec: Recorder, scenario: str) -> None:
    """Mark an expand scenario unsupported when the server refuses ``expand`` or ignores it."""
    if scenario == "zaken_zoek_bsn_expand":
        response = await ctx.client.call(
            rec,
            "probe",
            "POST",
            f"{ctx.target.zaken}/zaken/_zoek",
            params={"expand": EXPAND},
            json={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": ctx.bsns[0]},
        )
    else:
        response = await ctx.client.call(
            rec,
            "probe",
            "GET",
            f"{ctx.target.zaken}/zaken",
            params={"zaaktype": ctx.target.zaaktype, "expand": EXPAND},
        )
    if response is None:
        sample = rec.error_samples[-1] if rec.error_samples else {}
        if sample.get("status") is None or sample.get("status", 0) >= 500:
            # A timeout or a server error is not a refusal: say what happened.
            ctx.unsupported[scenario] = f"not run: the expand probe failed ({str(sample.get('body'))[:200]})"
        else:
            ctx.unsupported[scenario] = f"unsupported: the server refused expand ({sample.get('status')})"
    elif not any("_expand" in z for z in response.json().get("results", [])):
        ctx.unsupported[scenario] = "unsupported: the server ignored expand (no _expand in the results)"


# -- the operations ---------------------------------------------------------------------------


async def op_ceiling(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    url = ctx.target.base_url.rstrip("/") + ctx.target.ceiling_path
    await ctx.client.call(rec, "ceiling", "GET", url, auth=False)


async def op_zaak_create(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    await ctx.client.call(
        rec, "zaak_create", "POST", f"{ctx.target.zaken}/zaken", json=zaak_body(ctx), expected=(201,)
    )


async def op_zaak_read(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    await ctx.client.call(rec, "zaak_read", "GET", rng.choice(ctx.zaken))


async def op_status_create(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    body = status_body(rng.choice(ctx.zaken), rng.choice(ctx.statustypen))
    await ctx.client.call(
        rec, "status_create", "POST", f"{ctx.target.zaken}/statussen", json=body, expected=(201,)
    )


async def op_rol_create(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    body = rol_body(ctx, rng.choice(ctx.zaken), rng.choice(ctx.bsns), rng.choice(ctx.roltypen))
    await ctx.client.call(rec, "rol_create", "POST", f"{ctx.target.zaken}/rollen", json=body, expected=(201,))


def _list(label: str, page: Callable[[Context, random.Random], int]) -> Op:
    async def op(ctx: Context, rng: random.Random, rec: Recorder) -> None:
        params = {"zaaktype": ctx.target.zaaktype, "page": page(ctx, rng)}
        await ctx.client.call(rec, label, "GET", f"{ctx.target.zaken}/zaken", params=params)

    return op


async def op_list_expand(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    params = {"zaaktype": ctx.target.zaaktype, "expand": EXPAND}
    await ctx.client.call(rec, "zaken_list_expand", "GET", f"{ctx.target.zaken}/zaken", params=params)


def _zoek(label: str, expand: bool) -> Op:
    async def op(ctx: Context, rng: random.Random, rec: Recorder) -> None:
        body = {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": rng.choice(ctx.bsns)}
        params = {"expand": EXPAND} if expand else None
        await ctx.client.call(rec, label, "POST", f"{ctx.target.zaken}/zaken/_zoek", json=body, params=params)

    return op


async def op_document_create(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    await create_document(ctx, rec, "document_create")


async def op_document_download(ctx: Context, rng: random.Random, rec: Recorder) -> None:
    url, size = rng.choice(ctx.documents)
    response = await ctx.client.call(rec, "document_download", "GET", url, accept="application/octet-stream")
    if response is not None and len(response.content) != size:
        # A wrong body is an error too, though the status was fine.
        rec.endpoints["document_download"].errors += 1
        if len(rec.error_samples) < 5:
            rec.error_samples.append(
                {
                    "endpoint": "document_download",
                    "status": 200,
                    "body": f"{len(response.content)} bytes, not {size}",
                }
            )


OPS: dict[str, Op] = {
    "ceiling": op_ceiling,
    "zaak_create": op_zaak_create,
    "zaak_read": op_zaak_read,
    "status_create": op_status_create,
    "rol_create": op_rol_create,
    "zaken_list_first": _list("zaken_list_first", lambda ctx, rng: 1),
    "zaken_list_random": _list("zaken_list_random", lambda ctx, rng: rng.randint(1, ctx.last_page)),
    "zaken_list_last": _list("zaken_list_last", lambda ctx, rng: ctx.last_page),
    "zaken_list_expand": op_list_expand,
    "zaken_zoek_bsn": _zoek("zaken_zoek_bsn", expand=False),
    "zaken_zoek_bsn_expand": _zoek("zaken_zoek_bsn_expand", expand=True),
    "document_create": op_document_create,
    "document_download": op_document_download,
}

ZAKEN_SCENARIOS = [
    "zaak_create",
    "zaak_read",
    "status_create",
    "rol_create",
    "zaken_list_first",
    "zaken_list_random",
    "zaken_list_last",
    "zaken_list_expand",
    "zaken_zoek_bsn",
    "zaken_zoek_bsn_expand",
]

# The order in which scenarios run: reads on the setup data first, writes (which grow the
# tables) after, the mixed day last.
SCENARIOS = [
    "ceiling",
    "zaak_read",
    "zaken_list_first",
    "zaken_list_random",
    "zaken_list_last",
    "zaken_list_expand",
    "zaken_zoek_bsn",
    "zaken_zoek_bsn_expand",
    "status_create",
    "rol_create",
    "zaak_create",
    "document_create",
    "document_download",
    "mixed",
]

# A zaaksysteem's day: reads and lists dominate (70), then status/rol writes (20), creates (10).
DEFAULT_MIX: dict[str, float] = {
    "zaak_read": 35,
    "zaken_list_random": 15,
    "zaken_list_first": 5,
    "zaken_zoek_bsn": 10,
    "document_download": 5,
    "status_create": 12,
    "rol_create": 8,
    "zaak_create": 8,
    "document_create": 2,
}
READ_OPS = {"zaak_read", "zaken_list_first", "zaken_list_random", "zaken_list_last", "zaken_list_expand"}
READ_OPS |= {"zaken_zoek_bsn", "zaken_zoek_bsn_expand", "document_download", "ceiling"}


def parse_mix(text: str) -> dict[str, float]:
    """``"zaak_read=70,status_create=20,zaak_create=10"`` → weights; names must be operations."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, weight = part.partition("=")
        name = name.strip()
        if not sep or name not in OPS or name == "ceiling":
            raise ValueError(f"bad mix entry {part!r}: use name=weight with a name out of {sorted(OPS)}")
        value = float(weight)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"bad weight in {part!r}")
        mix[name] = value
    if not any(mix.values()):
        raise ValueError("the mix has no positive weight")
    return mix


class MixPicker:
    """Draws operation names in proportion to their weights."""

    def __init__(self, mix: dict[str, float]) -> None:
        items = [(name, w) for name, w in mix.items() if w > 0]
        if not items:
            raise ValueError("the mix has no positive weight")
        self.names = [name for name, _ in items]
        self.cumulative = list(itertools.accumulate(w for _, w in items))

    def pick(self, rng: random.Random) -> str:
        return self.names[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def usable_mix(mix: dict[str, float], unsupported: dict[str, str]) -> dict[str, float]:
    """The mix without operations the server cannot do (e.g. documents without an
    informatieobjecttype)."""
    return {name: w for name, w in mix.items() if name not in unsupported}


def mixed_op(picker: MixPicker) -> Op:
    async def op(ctx: Context, rng: random.Random, rec: Recorder) -> None:
        await OPS[picker.pick(rng)](ctx, rng, rec)

    return op
