"""The catalogus types a zaak refers to, local or remote, as plain values.

A type URL of this installation resolves to its row through ``samenzaak.catalogi.service``
(no HTTP call); any other URL is fetched from the other Catalogi API (``remote.fetch``) and
validated to be a resource of the expected kind. The rules of the Zaken API only see the
dataclasses below, so they work the same for both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import service as catalogi
from samenzaak.common import remote
from samenzaak.common.urls import UrlBuilder

API = "catalogi"


class RefError(Exception):
    """A reference that does not resolve (``bad-url``) or is not the expected resource."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(reason)


@dataclass(slots=True)
class ZaakTypeInfo:
    url: str
    uuid: uuid.UUID | None
    concept: bool
    begin_geldigheid: date | None
    einde_geldigheid: date | None
    vertrouwelijkheidaanduiding: str
    producten_of_diensten: list[str]
    # Remote zaaktypen list their informatieobjecttypen; local ones are asked (catalogi.service).
    informatieobjecttypen: list[str] = field(default_factory=list)
    model: Any = None

    def valid_on(self, day: date) -> bool:
        if self.begin_geldigheid is not None and day < self.begin_geldigheid:
            return False
        return self.einde_geldigheid is None or day <= self.einde_geldigheid


@dataclass(slots=True)
class StatusTypeInfo:
    url: str
    uuid: uuid.UUID | None
    zaaktype: str
    volgnummer: int
    omschrijving: str
    is_eindstatus: bool


@dataclass(slots=True)
class RolTypeInfo:
    url: str
    uuid: uuid.UUID | None
    zaaktype: str
    omschrijving: str
    omschrijving_generiek: str


@dataclass(slots=True)
class ResultaatTypeInfo:
    url: str
    uuid: uuid.UUID | None
    zaaktype: str
    omschrijving: str
    archiefnominatie: str
    archiefactietermijn: str | None
    afleidingswijze: str
    datumkenmerk: str
    objecttype: str
    procestermijn: str | None


@dataclass(slots=True)
class EigenschapInfo:
    url: str
    uuid: uuid.UUID | None
    zaaktype: str
    naam: str
    # formaat, lengte, kardinaliteit, waardenverzameling: what a zaakeigenschap's waarde must meet.
    specificatie: dict[str, Any] = field(default_factory=dict)


def split_ref(urls: UrlBuilder, url: str, resource: str) -> tuple[uuid.UUID | None, str]:
    """(local uuid, remote url) as stored: a URL of ours becomes its uuid."""
    pk = urls.local_uuid(url, API, resource)
    return (pk, "") if pk is not None else (None, url)


def ref_url(urls: UrlBuilder, resource: str, pk: uuid.UUID | None, url: str) -> str:
    return urls.detail(API, resource, pk) if pk is not None else url


class Types:
    """Resolves catalogus URLs for one request, each at most once."""

    def __init__(self, session: AsyncSession, urls: UrlBuilder) -> None:
        self.session = session
        self.urls = urls
        self._cache: dict[tuple[str, str], Any] = {}

    def _local(self, url: str, resource: str) -> uuid.UUID | None:
        """The uuid of a URL of our Catalogi API; RefError when ours but another resource."""
        ref = self.urls.parse(url)
        if ref is None:
            return None
        if ref.api != API or ref.resource != resource or ref.rest:
            raise RefError("invalid-resource", f"De URL wijst niet naar een {resource[:-2]}.")
        return ref.uuid

    async def _remote(self, url: str, required: tuple[str, ...], kind: str) -> dict[str, Any]:
        fetched = await remote.fetch(url, cache=True)
        if not fetched.ok:
            raise RefError("bad-url", f"De URL {url} resulteert niet in een HTTP 200.")
        data = fetched.data
        if not isinstance(data, dict) or any(k not in data for k in required):
            raise RefError("invalid-resource", f"De URL {url} wijst niet naar een {kind}.")
        return data

    async def zaaktype(self, url: str) -> ZaakTypeInfo:
        key = ("zaaktype", url)
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        pk = self._local(url, "zaaktypen")
        if pk is not None:
            zt = await catalogi.get_zaaktype_row(self.session, pk)
            if zt is None:
                raise RefError("bad-url", "Het zaaktype bestaat niet.")
            info = ZaakTypeInfo(
                url=ref_url(self.urls, "zaaktypen", zt.uuid, ""),
                uuid=zt.uuid,
                concept=zt.concept,
                begin_geldigheid=zt.begin_geldigheid,
                einde_geldigheid=zt.einde_geldigheid,
                vertrouwelijkheidaanduiding=zt.vertrouwelijkheidaanduiding,
                producten_of_diensten=list(zt.producten_of_diensten or []),
                model=zt,
            )
        else:
            data = await self._remote(
                url,
                ("omschrijving", "vertrouwelijkheidaanduiding", "statustypen", "doorlooptijd"),
                "zaaktype",
            )
            info = ZaakTypeInfo(
                url=url,
                uuid=None,
                concept=bool(data.get("concept", False)),
                begin_geldigheid=_date(data.get("beginGeldigheid")),
                einde_geldigheid=_date(data.get("eindeGeldigheid")),
                vertrouwelijkheidaanduiding=str(data.get("vertrouwelijkheidaanduiding") or "openbaar"),
                producten_of_diensten=list(data.get("productenOfDiensten") or []),
                informatieobjecttypen=list(data.get("informatieobjecttypen") or []),
            )
        self._cache[key] = info
        return info

    async def statustype(self, url: str) -> StatusTypeInfo:
        pk = self._local(url, "statustypen")
        if pk is not None:
            st = await catalogi.get_statustype(self.session, pk)
            if st is None:
                raise RefError("bad-url", "Het statustype bestaat niet.")
            # Only the zaaktype's URL is compared: built from the row's key, not read.
            return StatusTypeInfo(
                url=catalogi.statustype_url(self.urls, st.uuid),
                uuid=st.uuid,
                zaaktype=catalogi.zaaktype_url(self.urls, st.zaaktype_uuid),
                volgnummer=st.volgnummer,
                omschrijving=st.omschrijving,
                is_eindstatus=await catalogi.statustype_is_eindstatus(self.session, st),
            )
        data = await self._remote(url, ("zaaktype", "volgnummer"), "statustype")
        return StatusTypeInfo(
            url=url,
            uuid=None,
            zaaktype=str(data["zaaktype"]),
            volgnummer=int(data["volgnummer"]),
            omschrijving=str(data.get("omschrijving", "")),
            is_eindstatus=bool(data.get("isEindstatus", False)),
        )

    async def roltype(self, url: str) -> RolTypeInfo:
        pk = self._local(url, "roltypen")
        if pk is not None:
            rt = await catalogi.get_roltype(self.session, pk)
            if rt is None:
                raise RefError("bad-url", "Het roltype bestaat niet.")
            return RolTypeInfo(
                url=catalogi.roltype_url(self.urls, rt.uuid),
                uuid=rt.uuid,
                zaaktype=catalogi.zaaktype_url(self.urls, rt.zaaktype_uuid),
                omschrijving=rt.omschrijving,
                omschrijving_generiek=rt.omschrijving_generiek,
            )
        data = await self._remote(url, ("zaaktype", "omschrijving", "omschrijvingGeneriek"), "roltype")
        return RolTypeInfo(
            url=url,
            uuid=None,
            zaaktype=str(data["zaaktype"]),
            omschrijving=str(data["omschrijving"]),
            omschrijving_generiek=str(data["omschrijvingGeneriek"]),
        )

    async def resultaattype(self, url: str) -> ResultaatTypeInfo:
        key = ("resultaattype", url)
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        pk = self._local(url, "resultaattypen")
        if pk is not None:
            rt = await catalogi.get_resultaattype(self.session, pk)
            if rt is None:
                raise RefError("bad-url", "Het resultaattype bestaat niet.")
            info = ResultaatTypeInfo(
                url=catalogi.resultaattype_url(self.urls, rt.uuid),
                uuid=rt.uuid,
                zaaktype=catalogi.zaaktype_url(self.urls, rt.zaaktype_uuid),
                omschrijving=rt.omschrijving,
                archiefnominatie=rt.archiefnominatie,
                archiefactietermijn=rt.archiefactietermijn,
                afleidingswijze=rt.brondatum_afleidingswijze,
                datumkenmerk=rt.brondatum_datumkenmerk,
                objecttype=rt.brondatum_objecttype,
                procestermijn=rt.brondatum_procestermijn,
            )
        else:
            data = await self._remote(url, ("zaaktype", "omschrijving"), "resultaattype")
            bron = data.get("brondatumArchiefprocedure") or {}
            info = ResultaatTypeInfo(
                url=url,
                uuid=None,
                zaaktype=str(data["zaaktype"]),
                omschrijving=str(data["omschrijving"]),
                archiefnominatie=str(data.get("archiefnominatie") or ""),
                archiefactietermijn=data.get("archiefactietermijn"),
                afleidingswijze=str(bron.get("afleidingswijze") or ""),
                datumkenmerk=str(bron.get("datumkenmerk") or ""),
                objecttype=str(bron.get("objecttype") or ""),
                procestermijn=bron.get("procestermijn"),
            )
        self._cache[key] = info
        return info

    async def eigenschap(self, url: str) -> EigenschapInfo:
        pk = self._local(url, "eigenschappen")
        if pk is not None:
            e = await catalogi.get_eigenschap(self.session, pk)
            if e is None:
                raise RefError("bad-url", "De eigenschap bestaat niet.")
            return EigenschapInfo(
                url=catalogi.eigenschap_url(self.urls, e.uuid),
                uuid=e.uuid,
                zaaktype=catalogi.zaaktype_url(self.urls, e.zaaktype_uuid),
                naam=e.naam,
                specificatie={
                    "formaat": e.specificatie_formaat,
                    "lengte": e.specificatie_lengte,
                    "kardinaliteit": e.specificatie_kardinaliteit,
                    "waardenverzameling": list(e.specificatie_waardenverzameling or []),
                },
            )
        data = await self._remote(url, ("zaaktype", "naam"), "eigenschap")
        specificatie = data.get("specificatie")
        return EigenschapInfo(
            url=url,
            uuid=None,
            zaaktype=str(data["zaaktype"]),
            naam=str(data["naam"]),
            specificatie=specificatie if isinstance(specificatie, dict) else {},
        )

    async def zaaktype_allows_informatieobjecttype(self, zaaktype: ZaakTypeInfo, iotype_url: str) -> bool:
        """zrc-017: whether documents of ``iotype_url`` may be related to zaken of the zaaktype."""
        if zaaktype.model is not None:
            iot = await catalogi.informatieobjecttype_from_url(self.session, self.urls, iotype_url)
            if iot is None:
                return False
            return await catalogi.zaaktype_allows_informatieobjecttype(self.session, zaaktype.model, iot)
        return iotype_url in zaaktype.informatieobjecttypen


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
