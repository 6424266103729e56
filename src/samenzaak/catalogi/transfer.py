"""Export and import of a whole catalogus as one JSON document.

The document uses the API's own request shapes (camelCase), with relations by name as in
Catalogi 1.3: besluittypen name informatieobjecttypen by omschrijving, zaaktypen name
besluittypen by omschrijving, parts of a zaaktype hang under it, and an eigenschap or
zaaktype-informatieobjecttype names its statustype by volgnummer. URLs of this server's
Referentielijsten API are written as ``{referentielijsten}/...`` so a document moves
between installations. ``concept: false`` marks what the import publishes.

The import goes through the same rules as the API (it calls ``writes``/``parts``), so an
invalid document is refused with the same problems. It is all or nothing: the service
functions commit per object, so the import runs them in a session joined to one outer
transaction (each of their commits only releases a savepoint) and commits that once; a
refused object rolls the whole catalogus back.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import parts, writes
from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.catalogi.schemas import CatalogusIn, ZaakTypeIn
from samenzaak.catalogi.views import iso
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder

FORMAT = "samenzaak-catalogus/1"
PLACEHOLDER = "{referentielijsten}"
API = "catalogi"


def _portable(value: Any, root: str) -> Any:
    if isinstance(value, str) and value.startswith(root):
        return PLACEHOLDER + value[len(root) :]
    if isinstance(value, dict):
        return {k: _portable(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_portable(v, root) for v in value]
    return value


def _local(value: Any, root: str) -> Any:
    if isinstance(value, str) and value.startswith(PLACEHOLDER):
        return root + value[len(PLACEHOLDER) :]
    if isinstance(value, dict):
        return {k: _local(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_local(v, root) for v in value]
    return value


def _without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


async def export_catalogus(session: AsyncSession, urls: UrlBuilder, pk: uuid.UUID) -> dict[str, Any]:
    """The document for one catalogus, every version of every type included."""
    catalogus = await writes.get_or_404(session, Catalogus, pk)
    iots = (
        await session.scalars(
            select(InformatieObjectType)
            .where(InformatieObjectType.catalogus_uuid == pk)
            .order_by(InformatieObjectType.omschrijving, InformatieObjectType.begin_geldigheid)
        )
    ).all()
    besluittypen = (
        await session.scalars(
            select(BesluitType)
            .where(BesluitType.catalogus_uuid == pk)
            .order_by(BesluitType.omschrijving, BesluitType.begin_geldigheid)
        )
    ).all()
    zaaktypen = (
        await session.scalars(
            select(ZaakType)
            .where(ZaakType.catalogus_uuid == pk)
            .order_by(ZaakType.identificatie, ZaakType.begin_geldigheid)
        )
    ).all()
    ids = [z.uuid for z in zaaktypen]

    async def of(model: Any, *order: Any) -> dict[uuid.UUID, list[Any]]:
        grouped: dict[uuid.UUID, list[Any]] = {z: [] for z in ids}
        for row in await session.scalars(select(model).where(model.zaaktype_uuid.in_(ids)).order_by(*order)):
            grouped[row.zaaktype_uuid].append(row)
        return grouped

    statustypen = await of(StatusType, StatusType.volgnummer)
    roltypen = await of(RolType, RolType.omschrijving)
    resultaattypen = await of(ResultaatType, ResultaatType.omschrijving)
    eigenschappen = await of(Eigenschap, Eigenschap.naam)
    ziots = await of(ZaakTypeInformatieObjectType, ZaakTypeInformatieObjectType.volgnummer)
    zaakobjecttypen = await of(ZaakObjectType, ZaakObjectType.relatie_omschrijving)
    volgnummer = {s.uuid: s.volgnummer for rows in statustypen.values() for s in rows}

    def geldigheid(obj: Any) -> dict[str, Any]:
        return {
            "beginGeldigheid": iso(obj.begin_geldigheid),
            "eindeGeldigheid": iso(obj.einde_geldigheid),
            "beginObject": iso(obj.begin_object),
            "eindeObject": iso(obj.einde_object),
        }

    def zaaktype_doc(z: ZaakType) -> dict[str, Any]:
        return _without(writes.zaaktype_input(z, urls), "catalogus") | {
            "concept": z.concept,
            "statustypen": [
                {
                    "omschrijving": s.omschrijving,
                    "omschrijvingGeneriek": s.omschrijving_generiek,
                    "statustekst": s.statustekst,
                    "volgnummer": s.volgnummer,
                    "informeren": s.informeren,
                    "doorlooptijd": s.doorlooptijd,
                    "toelichting": s.toelichting,
                    "checklistitemStatustype": list(s.checklistitem_statustype or []),
                }
                | geldigheid(s)
                for s in statustypen[z.uuid]
            ],
            "roltypen": [
                {"omschrijving": r.omschrijving, "omschrijvingGeneriek": r.omschrijving_generiek}
                | geldigheid(r)
                for r in roltypen[z.uuid]
            ],
            "resultaattypen": [
                _without(parts.resultaattype_input(r, urls), "zaaktype") for r in resultaattypen[z.uuid]
            ],
            "eigenschappen": [
                _without(parts.eigenschap_input(e, urls), "zaaktype")
                | {"statustype": volgnummer.get(e.statustype_uuid) if e.statustype_uuid else None}
                for e in eigenschappen[z.uuid]
            ],
            "informatieobjecttypen": [
                {
                    "informatieobjecttype": i.informatieobjecttype_omschrijving,
                    "volgnummer": i.volgnummer,
                    "richting": i.richting,
                    "statustype": volgnummer.get(i.statustype_uuid) if i.statustype_uuid else None,
                }
                for i in ziots[z.uuid]
            ],
            "zaakobjecttypen": [
                {
                    "anderObjecttype": o.ander_objecttype,
                    "objecttype": o.objecttype,
                    "relatieOmschrijving": o.relatie_omschrijving,
                }
                | geldigheid(o)
                for o in zaakobjecttypen[z.uuid]
            ],
        }

    document = {
        "format": FORMAT,
        "catalogus": writes.catalogus_input(catalogus),
        "informatieobjecttypen": [
            _without(writes.iot_input(i, urls), "catalogus") | {"concept": i.concept} for i in iots
        ],
        "besluittypen": [
            _without(writes.besluittype_input(b, urls), "catalogus") | {"concept": b.concept}
            for b in besluittypen
        ],
        "zaaktypen": [zaaktype_doc(z) for z in zaaktypen],
    }
    portable: dict[str, Any] = _portable(document, urls.root("referentielijsten"))
    return portable


async def import_catalogus(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, document: dict[str, Any]
) -> Catalogus:
    """Create the catalogus of a document, with all its types; publish what is not a concept.

    One transaction: ``session`` is committed when everything is in and rolled back when
    anything is refused (the problem is raised again). The catalogus returned is detached.
    """
    if document.get("format") != FORMAT:
        raise ValidationProblem(
            [InvalidParam("format", "invalid", f"Verwacht een document met format {FORMAT!r}.")]
        )
    connection = await session.connection()
    # The service functions' commits release savepoints of this session's transaction.
    inner = AsyncSession(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
        info=dict(session.info),
    )
    try:
        catalogus = await _import(inner, auth, urls, document)
    except BaseException:
        await inner.close()
        await session.rollback()
        raise
    await inner.close()
    await session.commit()
    return catalogus


async def _import(session: AsyncSession, auth: Auth, urls: UrlBuilder, document: dict[str, Any]) -> Catalogus:
    doc: dict[str, Any] = _local(document, urls.root("referentielijsten"))
    catalogus = await writes.save_catalogus(
        session, auth, urls, writes.validate(CatalogusIn, doc["catalogus"])
    )
    cat_url = urls.detail(API, "catalogussen", catalogus.uuid)
    to_publish: list[tuple[type[Any], uuid.UUID]] = []
    for item in doc.get("informatieobjecttypen", []):
        iot = await writes.save_iot(session, auth, urls, _without(item, "concept") | {"catalogus": cat_url})
        if item.get("concept") is False:
            to_publish.append((InformatieObjectType, iot.uuid))
    for item in doc.get("besluittypen", []):
        bt = await writes.save_besluittype(
            session, auth, urls, _without(item, "concept") | {"catalogus": cat_url}
        )
        if item.get("concept") is False:
            to_publish.append((BesluitType, bt.uuid))
    # Informatieobjecttypen and besluittypen first: a zaaktype is published only after them (ztc-012).
    for model, pk in to_publish:
        await writes.publish(session, auth, urls, model, pk)
    published_zaaktypen: list[uuid.UUID] = []
    for item in doc.get("zaaktypen", []):
        body = _without(
            item,
            "concept",
            "statustypen",
            "roltypen",
            "resultaattypen",
            "eigenschappen",
            "informatieobjecttypen",
            "zaakobjecttypen",
        ) | {"catalogus": cat_url}
        zaaktype = await writes.create_zaaktype(session, auth, urls, writes.validate(ZaakTypeIn, body))
        zt_url = urls.detail(API, "zaaktypen", zaaktype.uuid)
        statustype_urls: dict[int, str] = {}
        for part in item.get("statustypen", []):
            st = await parts.save_statustype(session, auth, urls, part | {"zaaktype": zt_url})
            statustype_urls[st.volgnummer] = urls.detail(API, "statustypen", st.uuid)
        for part in item.get("roltypen", []):
            await parts.save_roltype(session, auth, urls, part | {"zaaktype": zt_url})
        for part in item.get("resultaattypen", []):
            await parts.save_resultaattype(session, auth, urls, part | {"zaaktype": zt_url})
        for part in item.get("eigenschappen", []):
            statustype = statustype_urls.get(part.get("statustype")) if part.get("statustype") else None
            await parts.save_eigenschap(
                session, auth, urls, part | {"zaaktype": zt_url, "statustype": statustype}
            )
        for part in item.get("informatieobjecttypen", []):
            statustype = statustype_urls.get(part.get("statustype")) if part.get("statustype") else None
            await parts.save_ziot(session, auth, urls, part | {"zaaktype": zt_url, "statustype": statustype})
        for part in item.get("zaakobjecttypen", []):
            await parts.save_zaakobjecttype(session, auth, urls, part | {"zaaktype": zt_url})
        if item.get("concept") is False:
            published_zaaktypen.append(zaaktype.uuid)
    for pk in published_zaaktypen:
        await writes.publish(session, auth, urls, ZaakType, pk)
    return catalogus
