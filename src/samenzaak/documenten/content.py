"""Document content: inline base64, uploads in parts (bestandsdelen) and their merge.

Nothing here holds a whole file in memory except inline ``inhoud``, whose size is capped
by ``Settings.document_inline_max_size`` (larger files go through bestandsdelen).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.documenten.models import Bestandsdeel, Document
from samenzaak.documenten.storage import Storage, new_key

BASE64_CHUNK = 4 * 1024 * 1024  # a multiple of 4: each slice decodes on its own


@dataclass(slots=True)
class StoredContent:
    key: str
    size: int
    sha256: str


async def store_base64(storage: Storage, encoded: str) -> StoredContent:
    """Decode inline ``inhoud`` slice by slice into the storage; 400 on invalid base64."""
    text = "".join(encoded.split()) if any(c.isspace() for c in encoded[:1000]) else encoded
    key = new_key()
    writer = await storage.open_write(key)
    try:
        for start in range(0, len(text), BASE64_CHUNK):
            piece = text[start : start + BASE64_CHUNK]
            try:
                data = base64.b64decode(piece, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValidationProblem(
                    [InvalidParam("inhoud", "invalid", "De inhoud is geen geldige base64.")]
                ) from exc
            await writer.write(data)
        sha = await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    return StoredContent(key, writer.size, sha)


def plan_parts(document: Document, total: int, part_size: int, lock: str) -> list[Bestandsdeel]:
    """The bestandsdelen of an upload of ``total`` bytes: all ``part_size`` but the last."""
    parts = []
    count = max(1, -(-total // part_size))
    for i in range(count):
        omvang = min(part_size, total - i * part_size)
        parts.append(
            Bestandsdeel(
                uuid=uuid.uuid4(),
                document_uuid=document.uuid,
                volgnummer=i + 1,
                omvang=omvang,
                lock=lock,
                inhoud_key="",
            )
        )
    return parts


async def load_parts(session: AsyncSession, document_uuid: uuid.UUID) -> list[Bestandsdeel]:
    return list(
        (
            await session.scalars(
                select(Bestandsdeel)
                .where(Bestandsdeel.document_uuid == document_uuid)
                .order_by(Bestandsdeel.volgnummer)
            )
        ).all()
    )


async def merge_parts(storage: Storage, parts: Sequence[Bestandsdeel]) -> StoredContent:
    """Concatenate the parts, in volgnummer order, into one new content object."""
    key = new_key()
    writer = await storage.open_write(key)
    try:
        for part in sorted(parts, key=lambda p: p.volgnummer):
            async for chunk in storage.read(part.inhoud_key):
                await writer.write(chunk)
        sha = await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    return StoredContent(key, writer.size, sha)


async def delete_keys(storage: Storage, keys: Sequence[str]) -> None:
    """Remove content after the transaction that dropped its rows has committed."""
    for key in {k for k in keys if k}:
        await storage.delete(key)


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
        keys += [p.inhoud_key for p in await load_parts(session, doc.uuid)]
        await session.execute(delete(Bestandsdeel).where(Bestandsdeel.document_uuid == doc.uuid))
        doc.lock, doc.locked_at = "", None
    await session.commit()
    await delete_keys(storage, keys)
    return len(docs)
