"""Response bodies of the Catalogi API, built in a fixed number of queries per page.

A :class:`View` is made per request. ``prepare_*`` loads everything the objects of one page
refer to in a few set-based queries; the ``*_to_dict`` functions then build plain dicts
without touching the database. Relations kept by name (omschrijving/identificatie) are
shown as the URL of the version the historiemodel selects (see :func:`pick_versions`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
from samenzaak.common.urls import UrlBuilder

API = "catalogi"
TZ = ZoneInfo("Europe/Amsterdam")
Versioned = TypeVar("Versioned", ZaakType, InformatieObjectType, BesluitType)


def today() -> date:
    """Today in the Netherlands: validity dates are Dutch calendar days."""
    return datetime.now(TZ).date()


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def pick_versions(candidates: Iterable[Versioned], on: date) -> list[Versioned]:
    """The versions a relation by name points at on a date.

    The standard (``GET /zaaktypen -> besluittypen``): the published versions valid on the
    date. A name with only concept versions (a catalogue being built) shows its most recent
    concept, so the relation stays visible before publication.
    """
    candidates = list(candidates)
    chosen = [c for c in candidates if not c.concept and _valid(c, on)]
    if chosen or any(not c.concept for c in candidates):
        return chosen
    latest = sorted(candidates, key=lambda c: c.begin_geldigheid)
    return latest[-1:]


def _valid(obj: ZaakType | InformatieObjectType | BesluitType, on: date) -> bool:
    return obj.begin_geldigheid <= on and (obj.einde_geldigheid is None or on <= obj.einde_geldigheid)


@dataclass
class View:
    session: AsyncSession
    urls: UrlBuilder
    on: date
    # Loaded per page.
    catalogus_types: dict[uuid.UUID, dict[str, list[Any]]] = field(default_factory=dict)
    zaaktypen_by_key: dict[tuple[uuid.UUID, str], list[ZaakType]] = field(default_factory=dict)
    iots_by_key: dict[tuple[uuid.UUID, str], list[InformatieObjectType]] = field(default_factory=dict)
    besluittypen_by_key: dict[tuple[uuid.UUID, str], list[BesluitType]] = field(default_factory=dict)
    children: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = field(default_factory=dict)
    ziot_omschrijvingen: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    resultaattype_omschrijvingen: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    zaaktypen: dict[uuid.UUID, ZaakType] = field(default_factory=dict)
    max_volgnummer: dict[uuid.UUID, int] = field(default_factory=dict)
    eigenschappen_of_statustype: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    # Reverse relations of informatieobjecttypen / besluittypen.
    zaaktypen_using_iot: dict[tuple[uuid.UUID, str], list[ZaakType]] = field(default_factory=dict)
    besluittypen_using_iot: dict[tuple[uuid.UUID, str], list[BesluitType]] = field(default_factory=dict)
    zaaktypen_using_bt: dict[tuple[uuid.UUID, str], list[ZaakType]] = field(default_factory=dict)
    resultaattypen_using_bt: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = field(default_factory=dict)

    def url(self, resource: str, pk: uuid.UUID) -> str:
        return self.urls.detail(API, resource, pk)

    # -- loading -------------------------------------------------------------------------

    async def _load_versions(
        self, model: type[Versioned], key_column: Any, keys: set[tuple[uuid.UUID, str]]
    ) -> dict[tuple[uuid.UUID, str], list[Versioned]]:
        found: dict[tuple[uuid.UUID, str], list[Versioned]] = defaultdict(list)
        if not keys:
            return found
        catalogi = {k[0] for k in keys}
        names = {k[1] for k in keys}
        rows = await self.session.scalars(
            select(model).where(model.catalogus_uuid.in_(catalogi), key_column.in_(names))
        )
        for row in rows:
            key = (row.catalogus_uuid, getattr(row, key_column.key))
            if key in keys:
                found[key].append(row)
        return found

    async def prepare_catalogussen(self, items: Sequence[Catalogus]) -> None:
        ids = [c.uuid for c in items]
        self.catalogus_types = {
            pk: {"zaaktypen": [], "besluittypen": [], "informatieobjecttypen": []} for pk in ids
        }
        if not ids:
            return
        for name, model in (
            ("zaaktypen", ZaakType),
            ("besluittypen", BesluitType),
            ("informatieobjecttypen", InformatieObjectType),
        ):
            rows = await self.session.execute(
                select(model.uuid, model.catalogus_uuid, model.omschrijving)
                .where(model.catalogus_uuid.in_(ids))
                .order_by(model.omschrijving, model.begin_geldigheid)
            )
            for pk, cat, omschrijving in rows:
                self.catalogus_types[cat][name].append((pk, omschrijving))

    async def prepare_zaaktypen(self, items: Sequence[ZaakType]) -> None:
        ids = [z.uuid for z in items]
        self.children = {pk: defaultdict(list) for pk in ids}
        if not ids:
            return
        for name, model, order in (
            ("statustypen", StatusType, StatusType.volgnummer),
            ("roltypen", RolType, RolType.omschrijving),
            ("resultaattypen", ResultaatType, ResultaatType.omschrijving),
            ("eigenschappen", Eigenschap, Eigenschap.naam),
            ("zaakobjecttypen", ZaakObjectType, ZaakObjectType.relatie_omschrijving),
        ):
            rows = await self.session.execute(
                select(model.uuid, model.zaaktype_uuid).where(model.zaaktype_uuid.in_(ids)).order_by(order)
            )
            for pk, owner in rows:
                self.children[owner][name].append(pk)
        self.ziot_omschrijvingen = defaultdict(list)
        self.resultaattype_omschrijvingen = defaultdict(list)
        for owner, omschrijving in await self.session.execute(
            select(ResultaatType.zaaktype_uuid, ResultaatType.omschrijving)
            .where(ResultaatType.zaaktype_uuid.in_(ids))
            .order_by(ResultaatType.omschrijving)
        ):
            self.resultaattype_omschrijvingen[owner].append(omschrijving)
        ziot_rows = await self.session.execute(
            select(
                ZaakTypeInformatieObjectType.zaaktype_uuid,
                ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving,
            )
            .where(ZaakTypeInformatieObjectType.zaaktype_uuid.in_(ids))
            .order_by(ZaakTypeInformatieObjectType.volgnummer)
        )
        for owner, omschrijving in ziot_rows:
            if omschrijving not in self.ziot_omschrijvingen[owner]:
                self.ziot_omschrijvingen[owner].append(omschrijving)
        iot_keys = {(z.catalogus_uuid, o) for z in items for o in self.ziot_omschrijvingen[z.uuid]}
        bt_keys = {(z.catalogus_uuid, o) for z in items for o in z.besluittypen or []}
        zt_keys = {(z.catalogus_uuid, i) for z in items for i in z.deelzaaktypen or []} | {
            (z.catalogus_uuid, r["zaaktype"]) for z in items for r in z.gerelateerde_zaaktypen or []
        }
        self.iots_by_key = await self._load_versions(
            InformatieObjectType, InformatieObjectType.omschrijving, iot_keys
        )
        self.besluittypen_by_key = await self._load_versions(BesluitType, BesluitType.omschrijving, bt_keys)
        self.zaaktypen_by_key = await self._load_versions(ZaakType, ZaakType.identificatie, zt_keys)

    async def prepare_informatieobjecttypen(self, items: Sequence[InformatieObjectType]) -> None:
        keys = {(i.catalogus_uuid, i.omschrijving) for i in items}
        self.zaaktypen_using_iot = defaultdict(list)
        self.besluittypen_using_iot = defaultdict(list)
        if not keys:
            return
        catalogi = {k[0] for k in keys}
        names = {k[1] for k in keys}
        rows = await self.session.execute(
            select(ZaakType, ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving)
            .join(ZaakTypeInformatieObjectType, ZaakTypeInformatieObjectType.zaaktype_uuid == ZaakType.uuid)
            .where(
                ZaakType.catalogus_uuid.in_(catalogi),
                ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving.in_(names),
            )
        )
        for zaaktype, omschrijving in rows:
            bucket = self.zaaktypen_using_iot[(zaaktype.catalogus_uuid, omschrijving)]
            if zaaktype not in bucket:
                bucket.append(zaaktype)
        for besluittype in await self.session.scalars(
            select(BesluitType).where(BesluitType.catalogus_uuid.in_(catalogi))
        ):
            for omschrijving in besluittype.informatieobjecttypen or []:
                if (besluittype.catalogus_uuid, omschrijving) in keys:
                    self.besluittypen_using_iot[(besluittype.catalogus_uuid, omschrijving)].append(
                        besluittype
                    )

    async def prepare_besluittypen(self, items: Sequence[BesluitType]) -> None:
        keys = {(b.catalogus_uuid, b.omschrijving) for b in items}
        self.zaaktypen_using_bt = defaultdict(list)
        self.resultaattypen_using_bt = defaultdict(list)
        iot_keys = {(b.catalogus_uuid, o) for b in items for o in b.informatieobjecttypen or []}
        self.iots_by_key = await self._load_versions(
            InformatieObjectType, InformatieObjectType.omschrijving, iot_keys
        )
        if not keys:
            return
        catalogi = {k[0] for k in keys}
        for zaaktype in await self.session.scalars(
            select(ZaakType).where(ZaakType.catalogus_uuid.in_(catalogi))
        ):
            for omschrijving in zaaktype.besluittypen or []:
                if (zaaktype.catalogus_uuid, omschrijving) in keys:
                    self.zaaktypen_using_bt[(zaaktype.catalogus_uuid, omschrijving)].append(zaaktype)
        rows = await self.session.execute(
            select(ResultaatType.uuid, ResultaatType.besluittypen, ZaakType.catalogus_uuid)
            .join(ZaakType, ZaakType.uuid == ResultaatType.zaaktype_uuid)
            .where(ZaakType.catalogus_uuid.in_(catalogi))
        )
        for pk, omschrijvingen, cat in rows:
            for omschrijving in omschrijvingen or []:
                if (cat, omschrijving) in keys:
                    self.resultaattypen_using_bt[(cat, omschrijving)].append(pk)

    async def prepare_children(self, items: Sequence[Any], *, statustypen: bool = False) -> None:
        """Zaaktypen (and, for statustypen, eindstatus and eigenschappen) of zaaktype children."""
        ids = {i.zaaktype_uuid for i in items}
        if ids:
            self.zaaktypen = {
                z.uuid: z for z in await self.session.scalars(select(ZaakType).where(ZaakType.uuid.in_(ids)))
            }
        if statustypen and ids:
            rows = await self.session.execute(
                select(StatusType.zaaktype_uuid, func.max(StatusType.volgnummer))
                .where(StatusType.zaaktype_uuid.in_(ids))
                .group_by(StatusType.zaaktype_uuid)
            )
            self.max_volgnummer = {pk: int(n) for pk, n in rows}
            self.eigenschappen_of_statustype = defaultdict(list)
            rows2 = await self.session.execute(
                select(Eigenschap.uuid, Eigenschap.statustype_uuid).where(
                    Eigenschap.statustype_uuid.in_([i.uuid for i in items])
                )
            )
            for pk, statustype in rows2:
                if statustype is not None:
                    self.eigenschappen_of_statustype[statustype].append(pk)

    async def prepare_resultaattypen(self, items: Sequence[ResultaatType]) -> None:
        await self.prepare_children(items)
        bt_keys: set[tuple[uuid.UUID, str]] = set()
        iot_keys: set[tuple[uuid.UUID, str]] = set()
        for r in items:
            zaaktype = self.zaaktypen[r.zaaktype_uuid]
            bt_keys |= {(zaaktype.catalogus_uuid, o) for o in r.besluittypen or []}
            iot_keys |= {(zaaktype.catalogus_uuid, o) for o in r.informatieobjecttypen or []}
        self.besluittypen_by_key = await self._load_versions(BesluitType, BesluitType.omschrijving, bt_keys)
        self.iots_by_key = await self._load_versions(
            InformatieObjectType, InformatieObjectType.omschrijving, iot_keys
        )

    async def prepare_ziots(self, items: Sequence[ZaakTypeInformatieObjectType]) -> None:
        await self.prepare_children(items)
        keys = {
            (self.zaaktypen[i.zaaktype_uuid].catalogus_uuid, i.informatieobjecttype_omschrijving)
            for i in items
        }
        self.iots_by_key = await self._load_versions(
            InformatieObjectType, InformatieObjectType.omschrijving, keys
        )

    # -- bodies --------------------------------------------------------------------------

    def _urls_by_key(
        self,
        resource: str,
        found: dict[tuple[uuid.UUID, str], list[Versioned]],
        cat: uuid.UUID,
        names: Iterable[str],
    ) -> list[str]:
        result: list[str] = []
        for name in names:
            for version in pick_versions(found.get((cat, name), []), self.on):
                result.append(self.url(resource, version.uuid))
        return result

    def catalogus(self, c: Catalogus) -> dict[str, Any]:
        types = self.catalogus_types.get(c.uuid) or {
            "zaaktypen": [],
            "besluittypen": [],
            "informatieobjecttypen": [],
        }
        body = {
            "url": self.url("catalogussen", c.uuid),
            "domein": c.domein,
            "rsin": c.rsin,
            "contactpersoonBeheerNaam": c.contactpersoon_beheer_naam,
            "contactpersoonBeheerTelefoonnummer": c.contactpersoon_beheer_telefoonnummer,
            "contactpersoonBeheerEmailadres": c.contactpersoon_beheer_emailadres,
            "zaaktypen": [self.url("zaaktypen", pk) for pk, _ in types["zaaktypen"]],
            "besluittypen": [self.url("besluittypen", pk) for pk, _ in types["besluittypen"]],
            "besluittypeOmschrijving": _unique(o for _, o in types["besluittypen"]),
            "informatieobjecttypen": [
                self.url("informatieobjecttypen", pk) for pk, _ in types["informatieobjecttypen"]
            ],
            "informatieobjecttypeOmschrijving": _unique(o for _, o in types["informatieobjecttypen"]),
            "naam": c.naam,
            "versie": c.versie,
            "begindatumVersie": iso(c.begindatum_versie),
        }
        if not c.contactpersoon_beheer_emailadres:
            # Optional, and the spec's format: email refuses an empty string.
            del body["contactpersoonBeheerEmailadres"]
        return body

    def zaaktype(self, z: ZaakType) -> dict[str, Any]:
        children = self.children.get(z.uuid) or {}
        cat = z.catalogus_uuid
        iot_names = self.ziot_omschrijvingen.get(z.uuid, [])
        gerelateerde = []
        for relatie in z.gerelateerde_zaaktypen or []:
            for version in pick_versions(self.zaaktypen_by_key.get((cat, relatie["zaaktype"]), []), self.on):
                gerelateerde.append(
                    {
                        "zaaktype": self.url("zaaktypen", version.uuid),
                        "zaaktypeIdentificatie": relatie["zaaktype"],
                        "aardRelatie": relatie["aardRelatie"],
                        "toelichting": relatie.get("toelichting", ""),
                    }
                )
        return {
            "url": self.url("zaaktypen", z.uuid),
            "identificatie": z.identificatie,
            "omschrijving": z.omschrijving,
            "omschrijvingGeneriek": z.omschrijving_generiek,
            "vertrouwelijkheidaanduiding": z.vertrouwelijkheidaanduiding,
            "doel": z.doel,
            "aanleiding": z.aanleiding,
            "toelichting": z.toelichting,
            "indicatieInternOfExtern": z.indicatie_intern_of_extern,
            "handelingInitiator": z.handeling_initiator,
            "onderwerp": z.onderwerp,
            "handelingBehandelaar": z.handeling_behandelaar,
            "doorlooptijd": z.doorlooptijd,
            "servicenorm": z.servicenorm,
            "opschortingEnAanhoudingMogelijk": z.opschorting_en_aanhouding_mogelijk,
            "verlengingMogelijk": z.verlenging_mogelijk,
            "verlengingstermijn": z.verlengingstermijn,
            "trefwoorden": list(z.trefwoorden or []),
            "publicatieIndicatie": z.publicatie_indicatie,
            "publicatietekst": z.publicatietekst,
            "verantwoordingsrelatie": list(z.verantwoordingsrelatie or []),
            "productenOfDiensten": list(z.producten_of_diensten or []),
            "selectielijstProcestype": z.selectielijst_procestype,
            "referentieproces": {"naam": z.referentieproces_naam, "link": z.referentieproces_link},
            "verantwoordelijke": z.verantwoordelijke,
            "zaakobjecttypen": [
                self.url("zaakobjecttypen", pk) for pk in children.get("zaakobjecttypen", [])
            ],
            "catalogus": self.url("catalogussen", cat),
            "statustypen": [self.url("statustypen", pk) for pk in children.get("statustypen", [])],
            "resultaattypen": [self.url("resultaattypen", pk) for pk in children.get("resultaattypen", [])],
            "resultaattypeOmschrijving": _unique(self.resultaattype_omschrijvingen.get(z.uuid, [])),
            "eigenschappen": [self.url("eigenschappen", pk) for pk in children.get("eigenschappen", [])],
            "informatieobjecttypen": self._urls_by_key(
                "informatieobjecttypen", self.iots_by_key, cat, iot_names
            ),
            "informatieobjecttypeOmschrijving": list(iot_names),
            "roltypen": [self.url("roltypen", pk) for pk in children.get("roltypen", [])],
            "besluittypen": self._urls_by_key(
                "besluittypen", self.besluittypen_by_key, cat, z.besluittypen or []
            ),
            "besluittypeOmschrijving": _unique(z.besluittypen or []),
            "deelzaaktypen": self._urls_by_key(
                "zaaktypen", self.zaaktypen_by_key, cat, z.deelzaaktypen or []
            ),
            "deelzaaktypeIdentificaties": _unique(z.deelzaaktypen or []),
            "gerelateerdeZaaktypen": gerelateerde,
            "beginGeldigheid": iso(z.begin_geldigheid),
            "eindeGeldigheid": iso(z.einde_geldigheid),
            "beginObject": iso(z.begin_object),
            "eindeObject": iso(z.einde_object),
            "versiedatum": iso(z.versiedatum),
            "concept": z.concept,
        } | self._bron(z)

    @staticmethod
    def _bron(z: ZaakType) -> dict[str, Any]:
        # Optional and not nullable in the spec: left out when not set.
        bron: dict[str, Any] = {}
        if z.broncatalogus_url:
            bron["broncatalogus"] = {
                "url": z.broncatalogus_url,
                "domein": z.broncatalogus_domein,
                "rsin": z.broncatalogus_rsin,
            }
        if z.bronzaaktype_url:
            bron["bronzaaktype"] = {
                "url": z.bronzaaktype_url,
                "identificatie": z.bronzaaktype_identificatie,
                "omschrijving": z.bronzaaktype_omschrijving,
            }
        return bron

    def informatieobjecttype(self, i: InformatieObjectType) -> dict[str, Any]:
        key = (i.catalogus_uuid, i.omschrijving)
        zaaktypen = self._pick_users(self.zaaktypen_using_iot.get(key, []), lambda z: z.identificatie)
        besluittypen = self._pick_users(self.besluittypen_using_iot.get(key, []), lambda b: b.omschrijving)
        generiek = i.omschrijving_generiek or {}
        return {
            "url": self.url("informatieobjecttypen", i.uuid),
            "catalogus": self.url("catalogussen", i.catalogus_uuid),
            "omschrijving": i.omschrijving,
            "vertrouwelijkheidaanduiding": i.vertrouwelijkheidaanduiding,
            "beginGeldigheid": iso(i.begin_geldigheid),
            "eindeGeldigheid": iso(i.einde_geldigheid),
            "beginObject": iso(i.begin_object),
            "eindeObject": iso(i.einde_object),
            "concept": i.concept,
            "zaaktypen": [self.url("zaaktypen", z.uuid) for z in zaaktypen],
            "zaaktypeIdentificaties": _unique(z.identificatie for z in zaaktypen),
            "besluittypen": [self.url("besluittypen", b.uuid) for b in besluittypen],
            "besluittypeOmschrijving": _unique(b.omschrijving for b in besluittypen),
            "informatieobjectcategorie": i.informatieobjectcategorie,
            "trefwoord": list(i.trefwoord or []),
            "omschrijvingGeneriek": {
                "informatieobjecttypeOmschrijvingGeneriek": generiek.get(
                    "informatieobjecttypeOmschrijvingGeneriek", ""
                ),
                "definitieInformatieobjecttypeOmschrijvingGeneriek": generiek.get(
                    "definitieInformatieobjecttypeOmschrijvingGeneriek", ""
                ),
                "herkomstInformatieobjecttypeOmschrijvingGeneriek": generiek.get(
                    "herkomstInformatieobjecttypeOmschrijvingGeneriek", ""
                ),
                "hierarchieInformatieobjecttypeOmschrijvingGeneriek": generiek.get(
                    "hierarchieInformatieobjecttypeOmschrijvingGeneriek", ""
                ),
                "opmerkingInformatieobjecttypeOmschrijvingGeneriek": generiek.get(
                    "opmerkingInformatieobjecttypeOmschrijvingGeneriek"
                ),
            },
        }

    def _pick_users(self, users: list[Versioned], key: Any) -> list[Versioned]:
        """Of the types that refer to a name, the versions selected per their own key."""
        grouped: dict[str, list[Versioned]] = defaultdict(list)
        for u in users:
            grouped[key(u)].append(u)
        picked: list[Versioned] = []
        for name in sorted(grouped):
            picked.extend(pick_versions(grouped[name], self.on))
        return picked

    def besluittype(self, b: BesluitType) -> dict[str, Any]:
        key = (b.catalogus_uuid, b.omschrijving)
        zaaktypen = self._pick_users(self.zaaktypen_using_bt.get(key, []), lambda z: z.identificatie)
        iots = self._urls_by_key(
            "informatieobjecttypen", self.iots_by_key, b.catalogus_uuid, b.informatieobjecttypen or []
        )
        return {
            "url": self.url("besluittypen", b.uuid),
            "catalogus": self.url("catalogussen", b.catalogus_uuid),
            "zaaktypen": [self.url("zaaktypen", z.uuid) for z in zaaktypen],
            "zaaktypeIdentificaties": _unique(z.identificatie for z in zaaktypen),
            "omschrijving": b.omschrijving,
            "omschrijvingGeneriek": b.omschrijving_generiek,
            "besluitcategorie": b.besluitcategorie,
            "reactietermijn": b.reactietermijn,
            "publicatieIndicatie": b.publicatie_indicatie,
            "publicatietekst": b.publicatietekst,
            "publicatietermijn": b.publicatietermijn,
            "toelichting": b.toelichting,
            "informatieobjecttypen": iots,
            "informatieobjecttypeOmschrijvingen": _unique(b.informatieobjecttypen or []),
            "beginGeldigheid": iso(b.begin_geldigheid),
            "eindeGeldigheid": iso(b.einde_geldigheid),
            "beginObject": iso(b.begin_object),
            "eindeObject": iso(b.einde_object),
            "concept": b.concept,
            "resultaattypen": [
                self.url("resultaattypen", pk) for pk in self.resultaattypen_using_bt.get(key, [])
            ],
            "resultaattypenOmschrijving": [],
            "vastgelegdIn": _unique(b.informatieobjecttypen or []),
        }

    def _child_common(self, obj: Any) -> dict[str, Any]:
        zaaktype = self.zaaktypen[obj.zaaktype_uuid]
        return {
            "zaaktype": self.url("zaaktypen", zaaktype.uuid),
            "zaaktypeIdentificatie": zaaktype.identificatie,
            "catalogus": self.url("catalogussen", zaaktype.catalogus_uuid),
            "beginGeldigheid": iso(obj.begin_geldigheid or zaaktype.begin_geldigheid),
            "eindeGeldigheid": iso(obj.einde_geldigheid or zaaktype.einde_geldigheid),
            "beginObject": iso(obj.begin_object),
            "eindeObject": iso(obj.einde_object),
        }

    def statustype(self, s: StatusType) -> dict[str, Any]:
        return {
            "url": self.url("statustypen", s.uuid),
            "omschrijving": s.omschrijving,
            "omschrijvingGeneriek": s.omschrijving_generiek,
            "statustekst": s.statustekst,
            **self._child_common(s),
            "volgnummer": s.volgnummer,
            "isEindstatus": s.volgnummer == self.max_volgnummer.get(s.zaaktype_uuid),
            "informeren": s.informeren,
            "doorlooptijd": s.doorlooptijd,
            "toelichting": s.toelichting,
            "checklistitemStatustype": list(s.checklistitem_statustype or []),
            "eigenschappen": [
                self.url("eigenschappen", pk) for pk in self.eigenschappen_of_statustype.get(s.uuid, [])
            ],
        }

    def roltype(self, r: RolType) -> dict[str, Any]:
        return {
            "url": self.url("roltypen", r.uuid),
            **self._child_common(r),
            "omschrijving": r.omschrijving,
            "omschrijvingGeneriek": r.omschrijving_generiek,
        }

    def resultaattype(self, r: ResultaatType) -> dict[str, Any]:
        cat = self.zaaktypen[r.zaaktype_uuid].catalogus_uuid
        brondatum = (
            {
                "afleidingswijze": r.brondatum_afleidingswijze,
                "datumkenmerk": r.brondatum_datumkenmerk,
                "einddatumBekend": r.brondatum_einddatum_bekend,
                "objecttype": r.brondatum_objecttype,
                "registratie": r.brondatum_registratie,
                "procestermijn": r.brondatum_procestermijn,
            }
            if r.brondatum_afleidingswijze
            else None
        )
        return {
            "url": self.url("resultaattypen", r.uuid),
            **self._child_common(r),
            "omschrijving": r.omschrijving,
            "resultaattypeomschrijving": r.resultaattypeomschrijving,
            "omschrijvingGeneriek": r.omschrijving_generiek,
            "selectielijstklasse": r.selectielijstklasse,
            "toelichting": r.toelichting,
            "archiefnominatie": r.archiefnominatie,
            "archiefactietermijn": r.archiefactietermijn,
            "brondatumArchiefprocedure": brondatum,
            "procesobjectaard": r.procesobjectaard,
            "indicatieSpecifiek": r.indicatie_specifiek,
            "procestermijn": r.procestermijn,
            "besluittypen": self._urls_by_key(
                "besluittypen", self.besluittypen_by_key, cat, r.besluittypen or []
            ),
            "besluittypeOmschrijving": _unique(r.besluittypen or []),
            "informatieobjecttypen": self._urls_by_key(
                "informatieobjecttypen", self.iots_by_key, cat, r.informatieobjecttypen or []
            ),
            "informatieobjecttypeOmschrijving": _unique(r.informatieobjecttypen or []),
        }

    def eigenschap(self, e: Eigenschap) -> dict[str, Any]:
        return {
            "url": self.url("eigenschappen", e.uuid),
            "naam": e.naam,
            "definitie": e.definitie,
            "specificatie": {
                "groep": e.specificatie_groep,
                "formaat": e.specificatie_formaat,
                "lengte": e.specificatie_lengte,
                "kardinaliteit": e.specificatie_kardinaliteit,
                "waardenverzameling": list(e.specificatie_waardenverzameling or []),
            },
            "toelichting": e.toelichting,
            **self._child_common(e),
            "statustype": self.url("statustypen", e.statustype_uuid) if e.statustype_uuid else None,
        }

    def ziot(self, i: ZaakTypeInformatieObjectType) -> dict[str, Any]:
        zaaktype = self.zaaktypen[i.zaaktype_uuid]
        candidates = self.iots_by_key.get((zaaktype.catalogus_uuid, i.informatieobjecttype_omschrijving), [])
        pinned = [c for c in candidates if c.uuid == i.informatieobjecttype_uuid]
        versions = pinned or pick_versions(candidates, self.on)
        return {
            "url": self.url("zaaktype-informatieobjecttypen", i.uuid),
            "zaaktype": self.url("zaaktypen", zaaktype.uuid),
            "zaaktypeIdentificatie": zaaktype.identificatie,
            "catalogus": self.url("catalogussen", zaaktype.catalogus_uuid),
            # The spec calls this the omschrijving, but every implementation shows the URL of
            # the selected version (the spec's section on URLs in GET responses).
            "informatieobjecttype": self.url("informatieobjecttypen", versions[0].uuid)
            if versions
            else i.informatieobjecttype_omschrijving,
            "volgnummer": i.volgnummer,
            "richting": i.richting,
            "statustype": self.url("statustypen", i.statustype_uuid) if i.statustype_uuid else None,
        }

    def zaakobjecttype(self, z: ZaakObjectType) -> dict[str, Any]:
        common = self._child_common(z)
        return {
            "url": self.url("zaakobjecttypen", z.uuid),
            "anderObjecttype": z.ander_objecttype,
            "beginGeldigheid": iso(z.begin_geldigheid),
            "eindeGeldigheid": iso(z.einde_geldigheid),
            "beginObject": iso(z.begin_object),
            "eindeObject": iso(z.einde_object),
            "objecttype": z.objecttype,
            "relatieOmschrijving": z.relatie_omschrijving,
            "zaaktype": common["zaaktype"],
            "zaaktypeIdentificatie": common["zaaktypeIdentificatie"],
            "resultaattypen": [],
            "resultaattypeOmschrijving": [],
            "statustypen": [],
            "catalogus": common["catalogus"],
        }


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


async def render(view: View, obj: Any) -> dict[str, Any]:
    """The body of one object (a detail response, or an audit snapshot)."""
    return (await render_many(view, [obj]))[0]


async def render_many(view: View, items: Sequence[Any]) -> list[dict[str, Any]]:
    """The bodies of objects of one model, with their related data loaded in a fixed number of queries."""
    if not items:
        return []
    first = items[0]
    if isinstance(first, Catalogus):
        await view.prepare_catalogussen(items)
        return [view.catalogus(c) for c in items]
    if isinstance(first, ZaakType):
        await view.prepare_zaaktypen(items)
        return [view.zaaktype(z) for z in items]
    if isinstance(first, InformatieObjectType):
        await view.prepare_informatieobjecttypen(items)
        return [view.informatieobjecttype(i) for i in items]
    if isinstance(first, BesluitType):
        await view.prepare_besluittypen(items)
        return [view.besluittype(b) for b in items]
    if isinstance(first, StatusType):
        await view.prepare_children(items, statustypen=True)
        return [view.statustype(s) for s in items]
    if isinstance(first, RolType):
        await view.prepare_children(items)
        return [view.roltype(r) for r in items]
    if isinstance(first, ResultaatType):
        await view.prepare_resultaattypen(items)
        return [view.resultaattype(r) for r in items]
    if isinstance(first, Eigenschap):
        await view.prepare_children(items)
        return [view.eigenschap(e) for e in items]
    if isinstance(first, ZaakTypeInformatieObjectType):
        await view.prepare_ziots(items)
        return [view.ziot(i) for i in items]
    if isinstance(first, ZaakObjectType):
        await view.prepare_children(items)
        return [view.zaakobjecttype(z) for z in items]
    raise TypeError(f"no view for {type(first).__name__}")


MODEL_OF: dict[str, Any] = {
    "catalogussen": Catalogus,
    "zaaktypen": ZaakType,
    "informatieobjecttypen": InformatieObjectType,
    "besluittypen": BesluitType,
    "statustypen": StatusType,
    "roltypen": RolType,
    "resultaattypen": ResultaatType,
    "eigenschappen": Eigenschap,
    "zaaktype-informatieobjecttypen": ZaakTypeInformatieObjectType,
    "zaakobjecttypen": ZaakObjectType,
}
# The relation fields that can be expanded, per resource (the spec's *Embedded schemas).
EXPANDABLE = {
    "catalogussen": {"zaaktypen", "besluittypen", "informatieobjecttypen"},
    "zaaktypen": {
        "zaakobjecttypen",
        "catalogus",
        "statustypen",
        "resultaattypen",
        "eigenschappen",
        "informatieobjecttypen",
        "roltypen",
        "besluittypen",
        "deelzaaktypen",
        "gerelateerdeZaaktypen",
    },
    "informatieobjecttypen": {"catalogus", "zaaktypen", "besluittypen"},
    "besluittypen": {"catalogus", "zaaktypen", "informatieobjecttypen", "resultaattypen"},
    "statustypen": {"catalogus", "zaaktype", "eigenschappen"},
    "roltypen": {"catalogus", "zaaktype"},
    "resultaattypen": {"catalogus", "zaaktype", "besluittypen", "informatieobjecttypen"},
    "eigenschappen": {"catalogus", "zaaktype", "statustype"},
    "zaaktype-informatieobjecttypen": {"zaaktype", "catalogus", "informatieobjecttype", "statustype"},
    "zaakobjecttypen": {"zaaktype", "resultaattypen", "statustypen", "catalogus"},
}
SINGLE = {"catalogus", "zaaktype", "statustype", "informatieobjecttype"}


def _resource_of(view: View, url: str) -> tuple[str, uuid.UUID] | None:
    ref = view.urls.parse(url)
    if ref is None or ref.api != API or ref.resource not in MODEL_OF or ref.rest:
        return None
    return ref.resource, ref.uuid


def _field_urls(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if name == "gerelateerdeZaaktypen":
        return [r["zaaktype"] for r in value or []]
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


async def expand(view: View, resource: str, bodies: list[dict[str, Any]], paths: list[str]) -> None:
    """Add ``_expand`` to the bodies for the (dotted) relation paths asked for.

    Each level loads the related objects of all bodies at once (one query per model plus
    their own ``prepare_*``), so an expanded list still runs a fixed number of queries.
    """
    wanted: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        head, _, rest = path.partition(".")
        if head in EXPANDABLE.get(resource, set()):
            wanted[head].extend([rest] if rest else [])
    for name, nested in wanted.items():
        refs = {
            url: ref for body in bodies for url in _field_urls(body, name) if (ref := _resource_of(view, url))
        }
        by_model: dict[str, set[uuid.UUID]] = defaultdict(set)
        for res, pk in refs.values():
            by_model[res].add(pk)
        rendered: dict[str, dict[str, Any]] = {}
        for res, pks in by_model.items():
            model = MODEL_OF[res]
            rows = list(await view.session.scalars(select(model).where(model.uuid.in_(pks))))
            sub = View(view.session, view.urls, view.on)
            items = await render_many(sub, rows)
            if nested:
                await expand(sub, res, items, nested)
            rendered.update({item["url"]: item for item in items})
        for body in bodies:
            urls = _field_urls(body, name)
            target = body.setdefault("_expand", {})
            if name in SINGLE:
                target[name] = rendered.get(urls[0], {}) if urls else {}
            else:
                target[name] = [rendered[u] for u in urls if u in rendered]
