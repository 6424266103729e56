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
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, PermissionDenied, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import rsin_problem
from samenzaak.config import Settings
from samenzaak.db import utcnow
from samenzaak.documenten import content
from samenzaak.documenten.models import (
    Bestandsdeel,
    Document,
    DocumentVersie,
    Gebruiksrechten,
    ObjectInformatieObject,
    Verzending,
)
from samenzaak.documenten.references import InformatieObjectTypeRef, resolve_informatieobjecttype
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


# -- validation --------------------------------------------------------------------------------


def _nested(value: Any) -> dict[str, Any] | None:
    """Ondertekening/integriteit as stored: camelCase keys, ISO dates; ``None`` when empty."""
    if value is None:
        return None
    data: dict[str, Any] = value.model_dump(mode="json")
    if not any(data.values()):
        return None
    return data


async def _check(
    session: AsyncSession,
    urls: UrlBuilder,
    v: DocumentVersie,
    *,
    document_uuid: uuid.UUID | None,
    type_changed: bool,
    creating: bool,
) -> tuple[InformatieObjectTypeRef | None, list[InvalidParam]]:
    errors: list[InvalidParam] = []
    problem = rsin_problem(v.bronorganisatie)
    if problem:
        errors.append(InvalidParam("bronorganisatie", *problem))
    iot: InformatieObjectTypeRef | None = None
    if type_changed:
        iot, type_errors = await resolve_informatieobjecttype(session, urls, v.informatieobjecttype)
        errors += type_errors
    # drc-005: a received document is past the editing statuses.
    if v.ontvangstdatum is not None and v.status in ("in_bewerking", "ter_vaststelling"):
        errors.append(
            InvalidParam(
                "status",
                "invalid_for_received",
                "De statuswaarden `in_bewerking` en `ter_vaststelling` zijn niet van toepassing op "
                "ontvangen informatieobjecten.",
            )
        )
    # drc-006: the indicatie becomes true only by creating gebruiksrechten.
    if v.indicatie_gebruiksrecht is True:
        has_rights = (
            document_uuid is not None
            and await session.scalar(
                select(Gebruiksrechten.uuid).where(Gebruiksrechten.document_uuid == document_uuid).limit(1)
            )
            is not None
        )
        if creating or not has_rights:
            errors.append(
                InvalidParam(
                    "indicatieGebruiksrecht",
                    "missing-gebruiksrechten",
                    "De indicatie kan pas op `true` gezet worden door gebruiksrechten aan te maken.",
                )
            )
    if v.identificatie:
        stmt = select(DocumentVersie.document_uuid).where(
            DocumentVersie.bronorganisatie == v.bronorganisatie,
            DocumentVersie.identificatie == v.identificatie,
        )
        if document_uuid is not None:
            stmt = stmt.where(DocumentVersie.document_uuid != document_uuid)
        if await session.scalar(stmt.limit(1)) is not None:
            errors.append(
                InvalidParam(
                    "identificatie",
                    "identificatie-niet-uniek",
                    "Deze identificatie bestaat al voor deze bronorganisatie.",
                )
            )
    return iot, errors


async def generate_identificatie(session: AsyncSession, bronorganisatie: str, day: Any) -> str:
    """DOCUMENT-<year>-<sequence>, unique per bronorganisatie."""
    prefix = f"DOCUMENT-{day.year}-"
    last = await session.scalar(
        select(func.max(DocumentVersie.identificatie)).where(
            DocumentVersie.bronorganisatie == bronorganisatie,
            DocumentVersie.identificatie.like(prefix + "%"),
            func.length(DocumentVersie.identificatie) == len(prefix) + 10,
        )
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:010d}"


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
    v.ondertekening = _nested(data.ondertekening)
    v.integriteit = _nested(data.integriteit)
    v.trefwoorden = list(data.trefwoorden)
    iot, errors = await _check(session, urls, v, document_uuid=None, type_changed=True, creating=True)
    if errors:
        raise ValidationProblem(errors)
    assert iot is not None
    # drc-007: without an explicit value the type's vertrouwelijkheidaanduiding applies.
    if not v.vertrouwelijkheidaanduiding:
        v.vertrouwelijkheidaanduiding = iot.vertrouwelijkheidaanduiding
    require(auth, AANMAKEN, v)
    if not v.identificatie:
        v.identificatie = await generate_identificatie(session, v.bronorganisatie, v.creatiedatum)

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
        v.ondertekening = _nested(data.ondertekening)
    if not partial or "integriteit" in given:
        v.integriteit = _nested(data.integriteit)
    if v.trefwoorden is None:
        v.trefwoorden = []
    type_changed = v.informatieobjecttype != old.informatieobjecttype
    _, errors = await _check(
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
    if doc.lock:
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "existing-lock", "Het informatieobject is al gelockt.")]
        )
    doc.lock, doc.locked_at = secrets.token_hex(16), utcnow()
    await session.commit()
    return doc.lock


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


async def get_part(session: AsyncSession, pk: uuid.UUID) -> tuple[Bestandsdeel, Document, DocumentVersie]:
    part = await session.get(Bestandsdeel, pk)
    if part is None:
        raise NotFound("Bestandsdeel niet gevonden.")
    doc, v = await latest_version(session, part.document_uuid)
    return part, doc, v


async def save_part(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    storage: Storage,
    part: Bestandsdeel,
    doc: Document,
    stored: content.StoredContent,
    given_lock: str,
) -> dict[str, Any]:
    """Attach uploaded content to a bestandsdeel (the content is already in the storage)."""
    errors: list[InvalidParam] = []
    if not given_lock:
        errors.append(InvalidParam("lock", "required", "Dit veld is vereist."))
    elif not doc.lock:
        errors.append(InvalidParam("nonFieldErrors", "unlocked", "Het informatieobject is niet gelockt."))
    elif not (secrets.compare_digest(given_lock, doc.lock) and secrets.compare_digest(given_lock, part.lock)):
        errors.append(InvalidParam("nonFieldErrors", "incorrect-lock-id", "Het lock id is onjuist."))
    if stored.size != part.omvang:
        errors.append(
            InvalidParam(
                "inhoud",
                "file-size",
                f"Het bestandsdeel moet precies {part.omvang} bytes zijn, niet {stored.size}.",
            )
        )
    if errors:
        await content.delete_keys(storage, [stored.key])
        raise ValidationProblem(errors)
    previous = part.inhoud_key
    try:
        part.inhoud_key = stored.key
        await session.commit()
    except BaseException:
        await content.delete_keys(storage, [stored.key])
        raise
    await content.delete_keys(storage, [previous])
    return {
        "url": bestandsdeel_url(urls, part.uuid),
        "lock": "",
        "omvang": part.omvang,
        "inhoud": f"{document_url(urls, doc.uuid)}/download",
        "voltooid": part.voltooid,
        "volgnummer": part.volgnummer,
    }


async def cleanup_abandoned_uploads(session: AsyncSession, storage: Storage, older_than: datetime) -> int:
    """Drop the parts of uploads locked before ``older_than`` and release their lock.

    Run periodically (or from a worker); returns the number of documents cleaned up.
    """
    docs = (
        await session.scalars(
            select(Document).where(
                Document.lock != "",
                Document.locked_at < older_than,
                Document.uuid.in_(select(Bestandsdeel.document_uuid)),
            )
        )
    ).all()
    keys: list[str] = []
    for doc in docs:
        keys += [p.inhoud_key for p in await content.load_parts(session, doc.uuid)]
        await session.execute(delete(Bestandsdeel).where(Bestandsdeel.document_uuid == doc.uuid))
        doc.lock, doc.locked_at = "", None
    await session.commit()
    await content.delete_keys(storage, keys)
    return len(docs)


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
