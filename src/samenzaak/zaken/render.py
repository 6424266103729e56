"""Response bodies of the Zaken API as plain dicts, field for field as in the spec."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Row,
    bindparam,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken.catalogus import ref_url
from samenzaak.zaken.models import (
    KlantContact,
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaakBesluit,
    ZaakContactMoment,
    ZaakEigenschap,
    ZaakInformatieObject,
    ZaakNotitie,
    ZaakObject,
    ZaakVerzoek,
)

API = "zaken"

BETALINGSINDICATIE_WEERGAVE = {
    "": "",
    "nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
    "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
    "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
    "geheel": "De met de zaak gemoeide kosten zijn geheel betaald.",
}
AARD_RELATIE_WEERGAVE = {
    "hoort_bij": "Hoort bij, omgekeerd: kent",
    "legt_vast": "Legt vast, omgekeerd: kan vastgelegd zijn als",
}


def dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def zaak_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "zaken", pk)


def zaaktype_of(urls: UrlBuilder, zaak: Zaak | Row[Any]) -> str:
    return ref_url(urls, "zaaktypen", zaak.zaaktype_uuid, zaak.zaaktype_url)


class Related:
    """The URLs of what hangs under a set of zaken, loaded in one query for a whole page."""

    KINDS = ("deelzaken", "eigenschappen", "rollen", "zaakinformatieobjecten", "zaakobjecten", "resultaat")

    def __init__(self) -> None:
        self.by_zaak: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = defaultdict(lambda: defaultdict(list))

    @classmethod
    async def load(cls, session: AsyncSession, zaak_uuids: Sequence[uuid.UUID]) -> Related:
        related = cls()
        if not zaak_uuids:
            return related
        stmt = _related_statement()
        rows = (await session.execute(stmt, {"ids": list(zaak_uuids)})).all()
        for kind, zaak, pk in rows:
            if zaak is not None:
                related.by_zaak[zaak][kind].append(pk)
        return related

    def get(self, zaak: uuid.UUID, kind: str) -> list[uuid.UUID]:
        return self.by_zaak.get(zaak, {}).get(kind, [])


@lru_cache(maxsize=1)
def _related_statement() -> CompoundSelect[Any]:
    """Built once (with an expanding parameter): constructing the six-part UNION took about
    as long as running it, on every zaak read and list page."""
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    parts = [
        select(literal("deelzaken").label("kind"), Zaak.hoofdzaak_uuid.label("zaak"), Zaak.uuid).where(
            Zaak.hoofdzaak_uuid.in_(ids)
        )
    ]
    for kind, model in (
        ("eigenschappen", ZaakEigenschap),
        ("rollen", Rol),
        ("zaakinformatieobjecten", ZaakInformatieObject),
        ("zaakobjecten", ZaakObject),
        ("resultaat", Resultaat),
    ):
        parts.append(
            select(literal(kind).label("kind"), model.zaak_uuid.label("zaak"), model.uuid).where(
                model.zaak_uuid.in_(ids)
            )
        )
    # In uuid order within each kind (a uuid's byte order is its text order, on PostgreSQL's
    # uuid and SQLite's hex text alike): sorting a page's thousand rows in Python cost more.
    stmt: CompoundSelect[Any] = union_all(*parts)
    return stmt.order_by(literal_column("kind"), literal_column("uuid"))


def zaak_to_dict(zaak: Zaak | Row[Any], urls: UrlBuilder, related: Related) -> dict[str, Any]:
    """A zaak (an ORM object, or a row of ``models.ZAAK_COLUMNS``) as the spec's Zaak."""
    root = urls.root(API)
    # Runs for every zaak of a page: one lookup of the zaak's related URLs, one str(uuid).
    mine: dict[str, list[uuid.UUID]] = related.by_zaak.get(zaak.uuid) or {}
    resultaat = mine.get("resultaat")
    key = str(zaak.uuid)
    return {
        "url": f"{root}/zaken/{key}",
        "uuid": key,
        "identificatie": zaak.identificatie,
        "bronorganisatie": zaak.bronorganisatie,
        "omschrijving": zaak.omschrijving,
        "toelichting": zaak.toelichting,
        "zaaktype": zaaktype_of(urls, zaak),
        "registratiedatum": d(zaak.registratiedatum),
        "verantwoordelijkeOrganisatie": zaak.verantwoordelijke_organisatie,
        "startdatum": d(zaak.startdatum),
        "einddatum": d(zaak.einddatum),
        "einddatumGepland": d(zaak.einddatum_gepland),
        "uiterlijkeEinddatumAfdoening": d(zaak.uiterlijke_einddatum_afdoening),
        "publicatiedatum": d(zaak.publicatiedatum),
        "communicatiekanaal": zaak.communicatiekanaal,
        "productenOfDiensten": list(zaak.producten_of_diensten or []),
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        "betalingsindicatie": zaak.betalingsindicatie,
        "betalingsindicatieWeergave": BETALINGSINDICATIE_WEERGAVE.get(zaak.betalingsindicatie, ""),
        "laatsteBetaaldatum": dt(zaak.laatste_betaaldatum),
        "zaakgeometrie": zaak.zaakgeometrie,
        "verlenging": zaak.verlenging,
        "opschorting": zaak.opschorting,
        "selectielijstklasse": zaak.selectielijstklasse,
        "hoofdzaak": f"{root}/zaken/{zaak.hoofdzaak_uuid}" if zaak.hoofdzaak_uuid else None,
        "deelzaken": [f"{root}/zaken/{pk}" for pk in mine.get("deelzaken", ())],
        "relevanteAndereZaken": list(zaak.relevante_andere_zaken or []),
        "eigenschappen": [
            f"{root}/zaken/{key}/zaakeigenschappen/{pk}" for pk in mine.get("eigenschappen", ())
        ],
        "rollen": [f"{root}/rollen/{pk}" for pk in mine.get("rollen", ())],
        "status": f"{root}/statussen/{zaak.status_uuid}" if zaak.status_uuid else None,
        "zaakinformatieobjecten": [
            f"{root}/zaakinformatieobjecten/{pk}" for pk in mine.get("zaakinformatieobjecten", ())
        ],
        "zaakobjecten": [f"{root}/zaakobjecten/{pk}" for pk in mine.get("zaakobjecten", ())],
        "kenmerken": list(zaak.kenmerken or []),
        "archiefnominatie": zaak.archiefnominatie,
        "archiefstatus": zaak.archiefstatus,
        "archiefactiedatum": d(zaak.archiefactiedatum),
        "resultaat": f"{root}/resultaten/{resultaat[0]}" if resultaat else None,
        "opdrachtgevendeOrganisatie": zaak.opdrachtgevende_organisatie,
        "processobjectaard": zaak.processobjectaard,
        "startdatumBewaartermijn": d(zaak.startdatum_bewaartermijn),
        "processobject": zaak.processobject,
    }


def status_to_dict(
    status: Status, urls: UrlBuilder, *, is_current: bool, zaakinformatieobjecten: Sequence[uuid.UUID] = ()
) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/statussen/{status.uuid}",
        "uuid": str(status.uuid),
        "zaak": f"{root}/zaken/{status.zaak_uuid}",
        "statustype": ref_url(urls, "statustypen", status.statustype_uuid, status.statustype_url),
        "datumStatusGezet": dt(status.datum_status_gezet),
        "statustoelichting": status.statustoelichting,
        "indicatieLaatstGezetteStatus": is_current,
        "gezetdoor": status.gezetdoor,
        "zaakinformatieobjecten": [f"{root}/zaakinformatieobjecten/{pk}" for pk in zaakinformatieobjecten],
    }


def rol_to_dict(rol: Rol, urls: UrlBuilder, statussen: Sequence[uuid.UUID] = ()) -> dict[str, Any]:
    root = urls.root(API)
    body: dict[str, Any] = {
        "url": f"{root}/rollen/{rol.uuid}",
        "uuid": str(rol.uuid),
        "zaak": f"{root}/zaken/{rol.zaak_uuid}",
        "betrokkene": rol.betrokkene,
        "betrokkeneType": rol.betrokkene_type,
        "afwijkendeNaamBetrokkene": rol.afwijkende_naam_betrokkene,
        "roltype": ref_url(urls, "roltypen", rol.roltype_uuid, rol.roltype_url),
        "omschrijving": rol.omschrijving,
        "omschrijvingGeneriek": rol.omschrijving_generiek,
        "roltoelichting": rol.roltoelichting,
        "registratiedatum": dt(rol.registratiedatum),
        "indicatieMachtiging": rol.indicatie_machtiging,
        "contactpersoonRol": rol.contactpersoon_rol,
        "statussen": [f"{root}/statussen/{pk}" for pk in statussen],
    }
    if rol.betrokkene_identificatie is not None:
        body["betrokkeneIdentificatie"] = rol.betrokkene_identificatie
    return body


def resultaat_to_dict(resultaat: Resultaat, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/resultaten/{resultaat.uuid}",
        "uuid": str(resultaat.uuid),
        "zaak": f"{root}/zaken/{resultaat.zaak_uuid}",
        "resultaattype": ref_url(
            urls, "resultaattypen", resultaat.resultaattype_uuid, resultaat.resultaattype_url
        ),
        "toelichting": resultaat.toelichting,
    }


def zaakobject_to_dict(zo: ZaakObject, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    body: dict[str, Any] = {
        "url": f"{root}/zaakobjecten/{zo.uuid}",
        "uuid": str(zo.uuid),
        "zaak": f"{root}/zaken/{zo.zaak_uuid}",
        "object": zo.object,
        "zaakobjecttype": zo.zaakobjecttype,
        "objectType": zo.object_type,
        "relatieomschrijving": zo.relatieomschrijving,
    }
    # Left out when empty: the spec's pattern refuses "" and its definitie is not nullable.
    if zo.object_type_overige:
        body["objectTypeOverige"] = zo.object_type_overige
    if zo.object_type_overige_definitie is not None:
        body["objectTypeOverigeDefinitie"] = zo.object_type_overige_definitie
    if zo.object_identificatie is not None:
        body["objectIdentificatie"] = zo.object_identificatie
    return body


def zio_to_dict(zio: ZaakInformatieObject, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaakinformatieobjecten/{zio.uuid}",
        "uuid": str(zio.uuid),
        "informatieobject": zio.informatieobject,
        "zaak": f"{root}/zaken/{zio.zaak_uuid}",
        "aardRelatieWeergave": AARD_RELATIE_WEERGAVE[zio.aard_relatie],
        "titel": zio.titel,
        "beschrijving": zio.beschrijving,
        "registratiedatum": dt(zio.registratiedatum),
        "vernietigingsdatum": dt(zio.vernietigingsdatum),
        "status": f"{root}/statussen/{zio.status_uuid}" if zio.status_uuid else None,
    }


def zaakeigenschap_to_dict(ze: ZaakEigenschap, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaken/{ze.zaak_uuid}/zaakeigenschappen/{ze.uuid}",
        "uuid": str(ze.uuid),
        "zaak": f"{root}/zaken/{ze.zaak_uuid}",
        "eigenschap": ref_url(urls, "eigenschappen", ze.eigenschap_uuid, ze.eigenschap_url),
        "naam": ze.naam,
        "waarde": ze.waarde,
    }


def klantcontact_to_dict(kc: KlantContact, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/klantcontacten/{kc.uuid}",
        "uuid": str(kc.uuid),
        "zaak": f"{root}/zaken/{kc.zaak_uuid}",
        "identificatie": kc.identificatie,
        "datumtijd": dt(kc.datumtijd),
        "kanaal": kc.kanaal,
        "onderwerp": kc.onderwerp,
        "toelichting": kc.toelichting,
    }


def zaakcontactmoment_to_dict(zc: ZaakContactMoment, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaakcontactmomenten/{zc.uuid}",
        "uuid": str(zc.uuid),
        "zaak": f"{root}/zaken/{zc.zaak_uuid}",
        "contactmoment": zc.contactmoment,
    }


def zaakverzoek_to_dict(zv: ZaakVerzoek, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaakverzoeken/{zv.uuid}",
        "uuid": str(zv.uuid),
        "zaak": f"{root}/zaken/{zv.zaak_uuid}",
        "verzoek": zv.verzoek,
    }


def zaakbesluit_to_dict(zb: ZaakBesluit, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaken/{zb.zaak_uuid}/besluiten/{zb.uuid}",
        "uuid": str(zb.uuid),
        "besluit": zb.besluit,
    }


def zaaknotitie_to_dict(zn: ZaakNotitie, urls: UrlBuilder) -> dict[str, Any]:
    root = urls.root(API)
    return {
        "url": f"{root}/zaaknotities/{zn.uuid}",
        "onderwerp": zn.onderwerp,
        "tekst": zn.tekst,
        "aangemaaktDoor": zn.aangemaakt_door,
        "notitieType": zn.notitie_type,
        "status": zn.status,
        "aanmaakdatum": dt(zn.aanmaakdatum),
        "wijzigingsdatum": dt(zn.wijzigingsdatum),
        "gerelateerdAan": f"{root}/zaken/{zn.zaak_uuid}",
    }
