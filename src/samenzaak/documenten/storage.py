"""Where document content lives: one small interface, a filesystem and an S3 backend.

Content is always moved in chunks: a writer takes the bytes of a request as they arrive
and a reader yields chunks for a streamed response, so a 1 GB document never sits in the
server's memory. A write becomes visible only on ``commit()``; ``abort()`` (or an error)
leaves nothing behind, so a failed upload never shows up as a half document.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

from samenzaak.config import Settings

CHUNK_SIZE = 1024 * 1024
# S3 multipart uploads need parts of at least 5 MiB (except the last).
S3_PART_SIZE = 8 * 1024 * 1024


class StorageWriter(Protocol):
    size: int

    async def write(self, data: bytes) -> None: ...

    async def commit(self) -> str:
        """Make the content visible under its key; returns the SHA-256 hex digest."""
        ...

    async def abort(self) -> None: ...


class Storage(Protocol):
    async def open_write(self, key: str) -> StorageWriter: ...

    def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]: ...

    async def size(self, key: str) -> int: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...


def new_key(prefix: str = "inhoud") -> str:
    """A fresh, unguessable key; content is never overwritten, a new version gets a new key."""
    token = uuid.uuid4().hex
    return f"{prefix}/{token[:2]}/{token}"


# -- filesystem -------------------------------------------------------------------------------


class FileWriter:
    def __init__(self, final: Path, temp: Path) -> None:
        self.final = final
        self.temp = temp
        self.size = 0
        self._hash = hashlib.sha256()
        self._file = temp.open("wb")

    async def write(self, data: bytes) -> None:
        if not data:
            return
        self._hash.update(data)
        self.size += len(data)
        await asyncio.to_thread(self._file.write, data)

    async def commit(self) -> str:
        def finish() -> None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self.final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.temp, self.final)

        try:
            await asyncio.to_thread(finish)
        except BaseException:
            await self.abort()
            raise
        return self._hash.hexdigest()

    async def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.temp.unlink(missing_ok=True)


class FileSystemStorage:
    """Content as files under ``root``; writes go to ``root/.tmp`` first and are renamed in."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not key or ".." in key.split("/") or key.startswith("/"):
            raise ValueError(f"invalid storage key {key!r}")
        return self.root / key

    async def open_write(self, key: str) -> FileWriter:
        final = self.path(key)
        tmp_dir = self.root / ".tmp"
        await asyncio.to_thread(tmp_dir.mkdir, parents=True, exist_ok=True)
        return FileWriter(final, tmp_dir / f"{uuid.uuid4().hex}.part")

    async def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        f = await asyncio.to_thread(self.path(key).open, "rb")
        try:
            while True:
                chunk = await asyncio.to_thread(f.read, chunk_size)
                if not chunk:
                    break
                yield chunk
        finally:
            f.close()

    async def size(self, key: str) -> int:
        return (await asyncio.to_thread(self.path(key).stat)).st_size

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)


# -- S3 ---------------------------------------------------------------------------------------


class S3Writer:
    """A multipart upload: parts of ``S3_PART_SIZE`` are sent as they fill; completing it is
    atomic (the object does not exist before), aborting it removes the parts."""

    def __init__(self, storage: S3Storage, key: str, upload_id: str) -> None:
        self.storage = storage
        self.key = key
        self.upload_id = upload_id
        self.size = 0
        self._hash = hashlib.sha256()
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []

    async def write(self, data: bytes) -> None:
        self._hash.update(data)
        self.size += len(data)
        self._buffer += data
        if len(self._buffer) >= S3_PART_SIZE:
            await self._flush()

    async def _flush(self) -> None:
        body = bytes(self._buffer)
        self._buffer.clear()
        number = len(self._parts) + 1
        response = await asyncio.to_thread(
            self.storage.client.upload_part,
            Bucket=self.storage.bucket,
            Key=self.key,
            UploadId=self.upload_id,
            PartNumber=number,
            Body=body,
        )
        self._parts.append({"ETag": response["ETag"], "PartNumber": number})

    async def commit(self) -> str:
        try:
            if self._buffer or not self._parts:
                await self._flush()
            await asyncio.to_thread(
                self.storage.client.complete_multipart_upload,
                Bucket=self.storage.bucket,
                Key=self.key,
                UploadId=self.upload_id,
                MultipartUpload={"Parts": self._parts},
            )
        except BaseException:
            await self.abort()
            raise
        return self._hash.hexdigest()

    async def abort(self) -> None:
        await asyncio.to_thread(
            self.storage.client.abort_multipart_upload,
            Bucket=self.storage.bucket,
            Key=self.key,
            UploadId=self.upload_id,
        )


class S3Storage:
    """Content in an S3-compatible bucket, through boto3 in worker threads."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        import boto3

        if not settings.storage_s3_bucket:
            raise ValueError("SAMENZAAK_STORAGE=s3 needs SAMENZAAK_STORAGE_S3_BUCKET")
        client = boto3.client(
            "s3",
            endpoint_url=settings.storage_s3_endpoint_url,
            region_name=settings.storage_s3_region,
            aws_access_key_id=settings.storage_s3_access_key_id,
            aws_secret_access_key=(
                settings.storage_s3_secret_access_key.get_secret_value()
                if settings.storage_s3_secret_access_key
                else None
            ),
        )
        return cls(client, settings.storage_s3_bucket)

    async def open_write(self, key: str) -> S3Writer:
        response = await asyncio.to_thread(self.client.create_multipart_upload, Bucket=self.bucket, Key=key)
        return S3Writer(self, key, response["UploadId"])

    async def read(self, key: str, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        response = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=key)
        body = response["Body"]
        try:
            while True:
                chunk = await asyncio.to_thread(body.read, chunk_size)
                if not chunk:
                    break
                yield chunk
        finally:
            body.close()

    async def size(self, key: str) -> int:
        response = await asyncio.to_thread(self.client.head_object, Bucket=self.bucket, Key=key)
        return int(response["ContentLength"])

    async def exists(self, key: str) -> bool:
        try:
            await self.size(key)
        except Exception as exc:  # botocore's ClientError; 404 means absent
            if _status(exc) == 404:
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=key)


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return int(status) if status is not None else None
    return None


# -- selection --------------------------------------------------------------------------------


def storage_from_settings(settings: Settings) -> Storage:
    if settings.storage == "s3":
        return S3Storage.from_settings(settings)
    return FileSystemStorage(settings.data_dir / "documenten")
