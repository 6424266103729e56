"""The rules of the Documenten API for documents (``EnkelvoudigInformatieObject``).

Every change writes a new version row; reads take the latest version unless ``versie`` or
``registratieOp`` ask for an older one. Content lives in the storage backend (see
``storage.py``); a write stores its new content first and removes it again if the
transaction fails, and content that a deletion makes unreachable is removed only after the
transaction committed, so a rollback never loses a file.

For the Zaken and Besluiten APIs (they call these inside their own transaction and commit
themselves):

* ``get_informatieobject(session, uuid)`` -- the document (``Document``) or ``None``.
* ``informatieobject_from_url(session, urls, url)`` -- the document a URL of ours points at,
  or ``None`` (remote or unknown URL).
* ``link_object(session, auth, urls, informatieobject_uuid, object_url, object_type)`` --
  create the ``ObjectInformatieObject`` mirroring a new zaak- or besluitinformatieobject.
* ``unlink_object(session, auth, urls, informatieobject_uuid, object_url)`` -- remove it again.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, select, true
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import views as catalogi_views
from samenzaak.catalogi.models import InformatieObjectType
from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import Conflict, InvalidParam, NotFound, PermissionDenied, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.config import Settings
from samenzaak.db import utcnow
from samenzaak.documenten import content, rules
from samenzaak.documenten.models import (
    Bestandsdeel,
    Document,
    DocumentVersie,
    Gebruiksrechten,
    ObjectInformatieObject,
    Verzending,
)
from samenzaak.documenten.schemas import (
    EnkelvoudigInformatieObjectCreateLockRequest,
    EnkelvoudigInformatieObjectWithLockRequest,
    PatchedEnkelvoudigInformatieObjectWithLockRequest,
)
from samenzaak.documenten.storage import Storage

API = "documenten"
RESOURCE = "enkelvoudiginformatieobjecten"
COMPONENT = "drc"
BRON = "drc"  # the spec's BronEnum value for the Documenten API
KANAAL = "documenten"

LEZEN = "documenten.lezen"
AANMAKEN = "documenten.aanmaken"
BIJWERKEN = "documenten.bijwerken"
VERWIJDEREN = "documenten.verwijderen"
LOCK = "documenten.lock"
GEFORCEERD_UNLOCK = "documenten.geforceerd-unlock"
GEFORCEERD_BIJWERKEN = "documenten.geforceerd-bijwerken"

# Model attribute <- request field, for the fields copied as they are.
FIELDS = {
    "identificatie": "identificatie",
    "bronorganisatie": "bronorganisatie",
    "creatiedatum": "creatiedatum",
    "titel": "titel",
    "vertrouwelijkheidaanduiding": "vertrouwelijkheidaanduiding",
    "is_gereed_voor_publicatie": "isGereedVoorPublicatie",
    "tonen_aan_initiator": "tonenAanInitiator",
    "auteur": "auteur",
    "status": "status",
    "inhoud_is_vervallen": "inhoudIsVervallen",
    "formaat": "formaat",
    "taal": "taal",
    "bestandsnaam": "bestandsnaam",
    "bestandsomvang": "bestandsomvang",
    "link": "link",
    "beschrijving": "beschrijving",
    "ontvangstdatum": "ontvangstdatum",
    "verzenddatum": "verzenddatum",
    "indicatie_gebruiksrecht": "indicatieGebruiksrecht",
    "verschijningsvorm": "verschijningsvorm",
    "informatieobjecttype": "informatieobjecttype",
    "trefwoorden": "trefwoorden",
}
COPIED = (
    *FIELDS,
    "ondertekening",
    "integriteit",
    "inhoud_key",
    "inhoud_sha256",
)


# -- reading -----------------------------------------------------------------------------------


def document_url(urls: UrlBuilder, pk: uuid.UUID | str) -> str:
    return urls.detail(API, RESOURCE, pk)


def latest() -> Select[Document, DocumentVersie]:
    """Documents joined to their latest version (one row per document)."""
    return select(Document, DocumentVersie).join(
        DocumentVersie,
        and_(DocumentVersie.document_uuid == Document.uuid, DocumentVersie.versie == Document.versie),
    )


def read_filter(auth: Auth, scope: str = LEZEN) -> Any:
    """The SQL clause limiting documents (joined to a version) to what the caller may read."""
    clause = auth.sql_filter(
        COMPONENT,
        scope,
        lambda types: DocumentVersie.informatieobjecttype.in_(types),
        DocumentVersie.__table__.c.vertrouwelijkheidaanduiding,
    )
    if auth.alleen_is_gereed_voor_publicatie and not auth.all_rights:
        clause = and_(clause, DocumentVersie.is_gereed_voor_publicatie.is_(True))
    return clause if clause is not None else true()


def may(auth: Auth, scope: str, versie: DocumentVersie) -> bool:
    if not auth.allows(COMPONENT, scope, versie.informatieobjecttype, versie.vertrouwelijkheidaanduiding):
        return False
    # 1.7: an applicatie limited to documents ready for publication sees nothing else.
    return not (
        auth.alleen_is_gereed_voor_publicatie
        and not auth.all_rights
        and versie.is_gereed_voor_publicatie is not True
    )


def require(auth: Auth, scope: str, versie: DocumentVersie) -> None:
    if not may(auth, scope, versie):
        raise PermissionDenied(f"The client {auth.client_id!r} may not use {scope!r} on this document.")


async def get_informatieobject(session: AsyncSession, pk: uuid.UUID) -> Document | None:
    """The document with uuid ``pk`` (tenant-scoped), or ``None``."""
    return await session.get(Document, pk)


async def informatieobject_from_url(session: AsyncSession, urls: UrlBuilder, url: str) -> Document | None:
    """The document a URL of ours points at, or ``None`` for a remote or unknown URL."""
    pk = urls.local_uuid(url, API, RESOURCE)
    return None if pk is None else await get_informatieobject(session, pk)


async def latest_version(session: AsyncSession, pk: uuid.UUID) -> tuple[Document, DocumentVersie]:
    row = (await session.execute(latest().where(Document.uuid == pk))).first()
    if row is None:
        raise NotFound("EnkelvoudigInformatieObject niet gevonden.")
    return row[0], row[1]


async def get_version(
    session: AsyncSession, pk: uuid.UUID, *, versie: int | None = None, registratie_op: datetime | None = None
) -> tuple[Document, DocumentVersie]:
    """The latest version, or the one numbered ``versie``, or the one current at ``registratie_op``."""
    if versie is None and registratie_op is None:
        return await latest_version(session, pk)
    stmt = select(Document, DocumentVersie).join(
        DocumentVersie, DocumentVersie.document_uuid == Document.uuid
    )
    stmt = stmt.where(Document.uuid == pk)
    if versie is not None:
        stmt = stmt.where(DocumentVersie.versie == versie)
    if registratie_op is not None:
        stmt = stmt.where(DocumentVersie.begin_registratie <= registratie_op)
    row = (await session.execute(stmt.order_by(DocumentVersie.versie.desc()).limit(1))).first()
    if row is None:
        raise NotFound("Deze versie van het EnkelvoudigInformatieObject bestaat niet.")
    return row[0], row[1]


@dataclass(frozen=True, slots=True)
class DownloadTarget:
    key: str
    bestandsnaam: str


async def download_target(
    session: AsyncSession,
    auth: Auth,
    pk: uuid.UUID,
    *,
    versie: int | None = None,
    registratie_op: datetime | None = None,
) -> DownloadTarget:
    """What a download streams: the storage key of the version asked for ("" for no content).

    Ends the read transaction, so a long download holds no database transaction open."""
    _, v = await get_version(session, pk, versie=versie, registratie_op=registratie_op)
    require(auth, LEZEN, v)
    if not v.inhoud_key and v.bestandsomvang:
        raise NotFound("De inhoud van dit informatieobject is (nog) niet volledig geüpload.")
    target = DownloadTarget(v.inhoud_key, v.bestandsnaam or f"{v.identificatie}.bin")
    await session.rollback()
    return target


async def parts_of(session: AsyncSession, pks: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Bestandsdeel]]:
    """The bestandsdelen of several documents in one query."""
    found: dict[uuid.UUID, list[Bestandsdeel]] = {pk: [] for pk in pks}
    if not pks:
        return found
    rows = await session.scalars(
        select(Bestandsdeel).where(Bestandsdeel.document_uuid.in_(pks)).order_by(Bestandsdeel.volgnummer)
    )
    for part in rows:
        found[part.document_uuid].append(part)
    return found


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def bestandsdeel_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "bestandsdelen", pk)


def bestandsdeel_to_dict(part: Bestandsdeel, urls: UrlBuilder) -> dict[str, Any]:
    # The spec lists ``lock`` on BestandsDeel, but handing out the document's lock to every
    # reader would defeat it; the client that started the upload already has it.
    return {
        "url": bestandsdeel_url(urls, part.uuid),
        "volgnummer": part.volgnummer,
        "omvang": part.omvang,
        "voltooid": part.voltooid,
        "lock": "",
    }


def to_dict(
    doc: Document, v: DocumentVersie, parts: Sequence[Bestandsdeel], urls: UrlBuilder
) -> dict[str, Any]:
    url = document_url(urls, doc.uuid)
    return {
        "url": url,
        "identificatie": v.identificatie,
        "bronorganisatie": v.bronorganisatie,
        "creatiedatum": _date(v.creatiedatum),
        "titel": v.titel,
        "vertrouwelijkheidaanduiding": v.vertrouwelijkheidaanduiding,
        "isGereedVoorPublicatie": v.is_gereed_voor_publicatie,
        "tonenAanInitiator": v.tonen_aan_initiator,
        "auteur": v.auteur,
        "status": v.status,
        "inhoudIsVervallen": v.inhoud_is_vervallen,
        "formaat": v.formaat,
        "taal": v.taal,
        "versie": v.versie,
        "beginRegistratie": _datetime(v.begin_registratie),
        "bestandsnaam": v.bestandsnaam,
        "inhoud": f"{url}/download?versie={v.versie}" if v.inhoud_key else None,
        "bestandsomvang": v.bestandsomvang,
        "link": v.link,
        "beschrijving": v.beschrijving,
        "ontvangstdatum": _date(v.ontvangstdatum),
        "verzenddatum": _date(v.verzenddatum),
        "indicatieGebruiksrecht": v.indicatie_gebruiksrecht,
        "verschijningsvorm": v.verschijningsvorm,
        "ondertekening": v.ondertekening,
        "integriteit": v.integriteit,
        "informatieobjecttype": v.informatieobjecttype,
        "locked": bool(doc.lock),
        "bestandsdelen": [bestandsdeel_to_dict(p, urls) for p in parts],
        "trefwoorden": list(v.trefwoorden or []),
    }


async def expand_informatieobjecttype(
    session: AsyncSession, urls: UrlBuilder, bodies: list[dict[str, Any]], wanted: set[str]
) -> None:
    """``_expand.informatieobjecttype``: local types rendered as the Catalogi API does, all
    types of a page in one query plus the Catalogi renderer's fixed few; remote types are
    not fetched (their ``_expand`` stays empty)."""
    if "informatieobjecttype" not in wanted:
        return
    pks = {urls.local_uuid(b["informatieobjecttype"], "catalogi", "informatieobjecttypen") for b in bodies}
    found = [pk for pk in pks if pk is not None]
    rendered: dict[str, dict[str, Any]] = {}
    if found:
        types = (
            await session.scalars(select(InformatieObjectType).where(InformatieObjectType.uuid.in_(found)))
        ).all()
        view = catalogi_views.View(session=session, urls=urls, on=catalogi_views.today())
        for body in await catalogi_views.render_many(view, types):
            rendered[body["url"]] = body
    for body in bodies:
        iot = rendered.get(body["informatieobjecttype"])
        body["_expand"] = {"informatieobjecttype": iot} if iot is not None else {}


def kenmerken(v: DocumentVersie) -> dict[str, str]:
    return {
        "bronorganisatie": v.bronorganisatie,
        "informatieobjecttype": v.informatieobjecttype,
        "vertrouwelijkheidaanduiding": v.vertrouwelijkheidaanduiding,
    }


def _record(
    session: AsyncSession,
    auth: Auth,
    actie: str,
    url: str,
    v: DocumentVersie,
    oud: Any,
    nieuw: Any,
    *,
    audit: bool = True,
) -> None:
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=KANAAL,
        actie=actie,
        resource="enkelvoudiginformatieobject",
        resource_url=url,
        hoofd_object=url,
        oud=oud,
        nieuw=nieuw,
        kenmerken=kenmerken(v),
        resource_weergave=v.identificatie,
        audit=audit,
    )


def _is_download_url(value: str) -> bool:
    """A client echoing back the ``inhoud`` URL it read means: content unchanged."""
    return value.startswith(("http://", "https://"))


# -- writing -----------------------------------------------------------------------------------


async def create(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    storage: Storage,
    settings: Settings,
    data: EnkelvoudigInformatieObjectCreateLockRequest,
) -> tuple[dict[str, Any], str]:
    """Create a document; returns its body and its lock ("" unless an upload in parts started)."""
    v = DocumentVersie(versie=1, begin_registratie=utcnow())
    for attr, name in FIELDS.items():
        setattr(v, attr, getattr(data, name))
    v.ondertekening = rules.nested(data.ondertekening)
    v.integriteit = rules.nested(data.integriteit)
    v.trefwoorden = list(data.trefwoorden)
    iot, errors = await rules.check(session, urls, v, document_uuid=None, type_changed=True, creating=True)
    if errors:
        raise ValidationProblem(errors)
    assert iot is not None
    # drc-007: without an explicit value the type's vertrouwelijkheidaanduiding applies.
    if not v.vertrouwelijkheidaanduiding:
        v.vertrouwelijkheidaanduiding = iot.vertrouwelijkheidaanduiding
    require(auth, AANMAKEN, v)
    if not v.identificatie:
        v.identificatie = await rules.generate_identificatie(session, v.bronorganisatie, v.creatiedatum)

    doc = Document(uuid=uuid.uuid4(), versie=1, lock="")
    v.document_uuid = doc.uuid
    parts: list[Bestandsdeel] = []
    new_keys: list[str] = []
    try:
        if data.inhoud:
            stored = await content.store_base64(storage, data.inhoud)
            new_keys.append(stored.key)
            v.inhoud_key, v.inhoud_sha256, v.bestandsomvang = stored.key, stored.sha256, stored.size
        elif data.bestandsomvang:
            # An upload in parts: the document is created locked, the client sends the parts.
            doc.lock, doc.locked_at = secrets.token_hex(16), utcnow()
            parts = content.plan_parts(doc, data.bestandsomvang, settings.document_part_size, doc.lock)
        session.add(doc)
        await session.flush()
        session.add(v)
        session.add_all(parts)
        await session.flush()
        body = to_dict(doc, v, parts, urls)
        _record(session, auth, "create", body["url"], v, None, body)
        await session.commit()
    except BaseException:
        await content.delete_keys(storage, new_keys)
        raise
    if parts:
        # Housekeeping without a scheduler: starting an upload clears uploads abandoned long ago.
        await content.cleanup_abandoned_uploads(
            session, storage, utcnow() - timedelta(seconds=settings.document_upload_max_age)
        )
    return body, doc.lock


async def update(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    storage: Storage,
    settings: Settings,
    pk: uuid.UUID,
    data: EnkelvoudigInformatieObjectWithLockRequest | PatchedEnkelvoudigInformatieObjectWithLockRequest,
) -> dict[str, Any]:
    """PUT/PATCH: checks the lock (drc-009), then writes the changes as a new version."""
    doc, old = await latest_version(session, pk)
    require(auth, BIJWERKEN, old)
    partial = isinstance(data, PatchedEnkelvoudigInformatieObjectWithLockRequest)
    check_lock(doc, data.lock)
    # Since 1.4 a definitief document may be changed, but only by who may force it.
    if old.status == "definitief" and not may(auth, GEFORCEERD_BIJWERKEN, old):
        raise PermissionDenied(
            "Een definitief document kan alleen met de scope documenten.geforceerd-bijwerken "
            "worden gewijzigd.",
            code="status-definitief",
        )
    given = data.model_fields_set
    v = DocumentVersie(document_uuid=doc.uuid, versie=doc.versie + 1, begin_registratie=utcnow())
    for attr in COPIED:
        setattr(v, attr, getattr(old, attr))
    for attr, name in FIELDS.items():
        if partial and name not in given:
            continue
        value = getattr(data, name)
        if name == "identificatie" and not value:
            continue  # the identificatie is kept when not (re)sent
        if name == "vertrouwelijkheidaanduiding" and not value:
            continue  # drc-007: derived at creation, kept when not sent
        if value is None and name in ("titel", "auteur", "taal", "bronorganisatie", "creatiedatum"):
            continue
        setattr(v, attr, list(value) if name == "trefwoorden" else value)
    if not partial or "ondertekening" in given:
        v.ondertekening = rules.nested(data.ondertekening)
    if not partial or "integriteit" in given:
        v.integriteit = rules.nested(data.integriteit)
    if v.trefwoorden is None:
        v.trefwoorden = []
    type_changed = v.informatieobjecttype != old.informatieobjecttype
    _, errors = await rules.check(
        session, urls, v, document_uuid=doc.uuid, type_changed=type_changed, creating=False
    )
    if errors:
        raise ValidationProblem(errors)
    if type_changed or v.vertrouwelijkheidaanduiding != old.vertrouwelijkheidaanduiding:
        require(auth, BIJWERKEN, v)

    before = to_dict(doc, old, await content.load_parts(session, doc.uuid), urls)
    new_keys: list[str] = []
    old_parts: list[Bestandsdeel] = []
    parts: list[Bestandsdeel] | None = None
    inhoud = data.inhoud
    try:
        if inhoud and not _is_download_url(inhoud):
            stored = await content.store_base64(storage, inhoud)
            new_keys.append(stored.key)
            v.inhoud_key, v.inhoud_sha256, v.bestandsomvang = stored.key, stored.sha256, stored.size
        elif (
            inhoud is None
            and "bestandsomvang" in given
            and v.bestandsomvang
            and ("inhoud" in given or v.bestandsomvang != old.bestandsomvang or not old.inhoud_key)
        ):
            # New content in parts, sent under the current lock.
            old_parts = await content.load_parts(session, doc.uuid)
            v.inhoud_key, v.inhoud_sha256 = "", ""
            parts = content.plan_parts(doc, v.bestandsomvang, settings.document_part_size, doc.lock)
        elif "inhoud" in given and inhoud is None and not v.bestandsomvang:
            v.inhoud_key, v.inhoud_sha256, v.bestandsomvang = "", "", 0 if "bestandsomvang" in given else None
        for part in old_parts:
            await session.delete(part)
        if old_parts:
            await session.flush()
        doc.versie = v.versie
        session.add(v)
        if parts:
            session.add_all(parts)
        await session.flush()
        current_parts = parts if parts is not None else await content.load_parts(session, doc.uuid)
        after = to_dict(doc, v, current_parts, urls)
        _record(session, auth, "partial_update" if partial else "update", after["url"], v, before, after)
        await session.commit()
    except IntegrityError as exc:
        # Two writes under the same lock raced for the same version number.
        await session.rollback()
        await content.delete_keys(storage, new_keys)
        raise Conflict("Het informatieobject is tegelijk gewijzigd; probeer het opnieuw.") from exc
    except BaseException:
        await content.delete_keys(storage, new_keys)
        raise
    await content.delete_keys(storage, [p.inhoud_key for p in old_parts])
    return after


def check_lock(doc: Document, given: str | None) -> None:
    """drc-009: a document changes only while locked, and only with its lock id."""
    if not doc.lock:
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "unlocked", "Het informatieobject is niet gelockt.")]
        )
    if not given:
        raise ValidationProblem([InvalidParam("nonFieldErrors", "missing-lock-id", "Het lock id ontbreekt.")])
    if not secrets.compare_digest(given, doc.lock):
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "incorrect-lock-id", "Het lock id is onjuist.")]
        )


async def lock(session: AsyncSession, auth: Auth, pk: uuid.UUID) -> str:
    doc, v = await latest_version(session, pk)
    require(auth, LOCK, v)
    token = secrets.token_hex(16)
    # Conditional UPDATE: of two clients locking at once, exactly one gets the lock.
    result = await session.execute(
        sql_update(Document)
        .where(Document.uuid == doc.uuid, Document.lock == "")
        .values(lock=token, locked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "existing-lock", "Het informatieobject is al gelockt.")]
        )
    await session.commit()
    return token


async def unlock(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, storage: Storage, pk: uuid.UUID, given: str
) -> None:
    """Release the lock; an upload in parts is merged now (all parts must be in), or
    discarded when an administrator forces the unlock."""
    doc, v = await latest_version(session, pk)
    require(auth, LOCK, v)
    forced = False
    if doc.lock and not (given and secrets.compare_digest(given, doc.lock)):
        # drc-009: administrators force an unlock by leaving the lock id out.
        if given or not may(auth, GEFORCEERD_UNLOCK, v):
            raise ValidationProblem(
                [InvalidParam("nonFieldErrors", "incorrect-lock-id", "Het lock id is onjuist.")]
            )
        forced = True
    parts = await content.load_parts(session, doc.uuid)
    obsolete = [p.inhoud_key for p in parts]
    new_keys: list[str] = []
    try:
        if parts and not forced:
            missing = [p.volgnummer for p in parts if not p.voltooid]
            if missing:
                raise ValidationProblem(
                    [
                        InvalidParam(
                            "nonFieldErrors",
                            "incomplete-upload",
                            f"Niet alle bestandsdelen zijn geüpload (ontbrekend: {missing}).",
                        )
                    ]
                )
            stored = await content.merge_parts(storage, parts)
            new_keys.append(stored.key)
            if v.bestandsomvang is not None and stored.size != v.bestandsomvang:
                raise ValidationProblem(
                    [
                        InvalidParam(
                            "nonFieldErrors",
                            "file-size",
                            "De bestandsdelen tellen niet op tot de bestandsomvang.",
                        )
                    ]
                )
            v.inhoud_key, v.inhoud_sha256 = stored.key, stored.sha256
        for part in parts:
            await session.delete(part)
        doc.lock, doc.locked_at = "", None
        await session.commit()
    except BaseException:
        await content.delete_keys(storage, new_keys)
        raise
    await content.delete_keys(storage, obsolete)


async def destroy(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, storage: Storage, pk: uuid.UUID
) -> None:
    """drc-008: refused while relations exist; removes the document, its gebruiksrechten,
    verzendingen, audit trail and (after the commit) its content from the storage."""
    doc, v = await latest_version(session, pk)
    require(auth, VERWIJDEREN, v)
    if await session.scalar(
        select(ObjectInformatieObject.uuid).where(ObjectInformatieObject.document_uuid == doc.uuid).limit(1)
    ):
        raise ValidationProblem(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "pending-relations",
                    "Het informatieobject is nog gekoppeld aan zaken of besluiten "
                    "(objectinformatieobjecten).",
                )
            ]
        )
    url = document_url(urls, doc.uuid)
    keys = list(
        (
            await session.scalars(
                select(DocumentVersie.inhoud_key).where(DocumentVersie.document_uuid == doc.uuid).distinct()
            )
        ).all()
    )
    keys += list(
        (
            await session.scalars(
                select(Bestandsdeel.inhoud_key).where(Bestandsdeel.document_uuid == doc.uuid)
            )
        ).all()
    )
    before = to_dict(doc, v, [], urls)
    for model in (Gebruiksrechten, Verzending, Bestandsdeel, DocumentVersie):
        await session.execute(delete(model).where(model.document_uuid == doc.uuid))
    await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object == url))
    await session.execute(delete(Document).where(Document.uuid == doc.uuid))
    # No soft deletes (drc-008): the audit trail goes with the document, so only the
    # notification is recorded.
    _record(session, auth, "destroy", url, v, before, None, audit=False)
    await session.commit()
    await content.delete_keys(storage, keys)


# -- bestandsdelen -----------------------------------------------------------------------------


# -- objectinformatieobjecten for the Zaken and Besluiten APIs --------------------------------


def oio_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "objectinformatieobjecten", pk)


def oio_to_dict(oio: ObjectInformatieObject, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": oio_url(urls, oio.uuid),
        "informatieobject": document_url(urls, oio.document_uuid),
        "object": oio.object,
        "objectType": oio.object_type,
    }


async def link_object(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    informatieobject_uuid: uuid.UUID,
    object_url: str,
    object_type: str,
) -> ObjectInformatieObject:
    """Mirror a new zaak-/besluitinformatieobject: add the ``ObjectInformatieObject`` (with
    its audit row on the document) to the caller's transaction. Does not commit.

    An existing relation for the same object is returned unchanged."""
    existing = await session.scalar(
        select(ObjectInformatieObject).where(
            ObjectInformatieObject.document_uuid == informatieobject_uuid,
            ObjectInformatieObject.object == object_url,
        )
    )
    if existing is not None:
        return existing
    oio = ObjectInformatieObject(
        uuid=uuid.uuid4(), document_uuid=informatieobject_uuid, object=object_url, object_type=object_type
    )
    session.add(oio)
    await session.flush()
    body = oio_to_dict(oio, urls)
    _record_oio(session, auth, "create", body, None, body)
    return oio


async def unlink_object(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, informatieobject_uuid: uuid.UUID, object_url: str
) -> None:
    """Remove the ``ObjectInformatieObject`` of a deleted zaak-/besluitinformatieobject (with
    its audit row) in the caller's transaction. Does not commit; absent relations are fine."""
    oio = await session.scalar(
        select(ObjectInformatieObject).where(
            ObjectInformatieObject.document_uuid == informatieobject_uuid,
            ObjectInformatieObject.object == object_url,
        )
    )
    if oio is None:
        return
    body = oio_to_dict(oio, urls)
    await session.execute(delete(ObjectInformatieObject).where(ObjectInformatieObject.uuid == oio.uuid))
    _record_oio(session, auth, "destroy", body, body, None)


def _record_oio(
    session: AsyncSession, auth: Auth, actie: str, body: dict[str, Any], oud: Any, nieuw: Any
) -> None:
    # The notification kanaal `documenten` carries enkelvoudiginformatieobject and
    # gebruiksrechten only; objectinformatieobjecten are audited on their document.
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=None,
        actie=actie,
        resource="objectinformatieobject",
        resource_url=body["url"],
        hoofd_object=body["informatieobject"],
        oud=oud,
        nieuw=nieuw,
    )
