"""Content: uploads in parts (bestandsdelen), size limits, and failures that leave nothing behind."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.config import Settings
from samenzaak.documenten import content
from samenzaak.documenten.models import Bestandsdeel, Document, DocumentVersie
from samenzaak.documenten.storage import FileSystemStorage
from tests.conftest import ApiClient
from tests.documenten.conftest import EIO, b64, create_document, document_body, lock, stored_files


def first_error(r: Any) -> tuple[str, str]:
    param = r.json()["invalidParams"][0]
    return param["name"], param["code"]


async def upload_part(api: ApiClient, part: dict[str, Any], data: bytes, token: str) -> Any:
    return await api.put(part["url"], data={"lock": token}, files={"inhoud": ("deel.bin", data)})


async def start_upload(api: ApiClient, iotype: str, size: int) -> dict[str, Any]:
    r = await api.post(EIO, json=document_body(iotype, inhoud=None, bestandsomvang=size))
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_upload_in_parts_in_any_order(
    api: ApiClient, settings: Settings, iotype: str, storage_root: Any
) -> None:
    settings.document_part_size = 1000
    content = os.urandom(4321)
    doc = await start_upload(api, iotype, len(content))
    assert doc["locked"] is True and doc["lock"] and doc["inhoud"] is None
    parts = doc["bestandsdelen"]
    assert [(p["volgnummer"], p["omvang"], p["voltooid"]) for p in parts] == [
        (1, 1000, False),
        (2, 1000, False),
        (3, 1000, False),
        (4, 1000, False),
        (5, 321, False),
    ]
    order = list(range(len(parts)))
    random.Random(7).shuffle(order)
    for i in order:
        part = parts[i]
        offset = (part["volgnummer"] - 1) * 1000
        r = await upload_part(api, part, content[offset : offset + part["omvang"]], doc["lock"])
        assert r.status_code == 200, r.text
        assert r.json()["voltooid"] is True
    r = await api.get(doc["url"])
    assert all(p["voltooid"] for p in r.json()["bestandsdelen"]) and r.json()["locked"] is True

    r = await api.post(f"{doc['url']}/unlock", json={"lock": doc["lock"]})
    assert r.status_code == 204, r.text
    r = await api.get(doc["url"])
    assert r.json()["bestandsdelen"] == [] and r.json()["locked"] is False
    assert r.json()["bestandsomvang"] == len(content)
    downloaded = await api.get(r.json()["inhoud"])
    assert hashlib.sha256(downloaded.content).hexdigest() == hashlib.sha256(content).hexdigest()
    # the parts were merged into one file; the part files are gone
    assert len(stored_files(storage_root)) == 1


async def test_parts_need_the_lock_and_the_right_size(
    api: ApiClient, session: AsyncSession, settings: Settings, iotype: str, storage_root: Any
) -> None:
    settings.document_part_size = 100
    doc = await start_upload(api, iotype, 150)
    first, _ = doc["bestandsdelen"]
    r = await upload_part(api, first, b"x" * 100, "wrong")
    assert r.status_code == 400 and first_error(r) == ("nonFieldErrors", "incorrect-lock-id")
    r = await upload_part(api, first, b"x" * 99, doc["lock"])
    assert r.status_code == 400 and first_error(r) == ("inhoud", "file-size")
    # refused parts leave no file behind
    assert stored_files(storage_root) == []
    r = await upload_part(api, first, b"x" * 100, doc["lock"])
    assert r.status_code == 200
    # unlocking with a part missing is refused: the document would be incomplete
    r = await api.post(f"{doc['url']}/unlock", json={"lock": doc["lock"]})
    assert r.status_code == 400 and first_error(r) == ("nonFieldErrors", "incomplete-upload")
    assert (await api.get(f"{doc['url']}/download")).status_code == 404
    # a forced unlock abandons the upload and cleans up its parts
    r = await api.post(f"{doc['url']}/unlock", json={})
    assert r.status_code == 204
    assert await session.scalar(select(func.count()).select_from(Bestandsdeel)) == 0
    assert stored_files(storage_root) == []


async def test_abandoned_uploads_are_cleaned_up(
    api: ApiClient, session: AsyncSession, settings: Settings, iotype: str, storage_root: Any
) -> None:
    settings.document_part_size = 10
    doc = await start_upload(api, iotype, 20)
    await upload_part(api, doc["bestandsdelen"][0], b"a" * 10, doc["lock"])
    assert len(stored_files(storage_root)) == 1
    storage = FileSystemStorage(storage_root)
    from datetime import timedelta

    from samenzaak.db import utcnow

    assert await content.cleanup_abandoned_uploads(session, storage, utcnow() - timedelta(hours=1)) == 0
    assert await content.cleanup_abandoned_uploads(session, storage, utcnow() + timedelta(seconds=1)) == 1
    assert stored_files(storage_root) == []
    r = await api.get(doc["url"])
    assert r.json()["locked"] is False and r.json()["bestandsdelen"] == []

    # Starting a new upload does the same for uploads older than document_upload_max_age.
    stale = await start_upload(api, iotype, 20)
    await upload_part(api, stale["bestandsdelen"][0], b"b" * 10, stale["lock"])
    settings.document_upload_max_age = -5
    await start_upload(api, iotype, 20)
    r = await api.get(stale["url"])
    assert r.json()["locked"] is False and r.json()["bestandsdelen"] == []
    assert stored_files(storage_root) == []


async def test_update_with_new_content_in_parts(api: ApiClient, settings: Settings, iotype: str) -> None:
    settings.document_part_size = 4
    doc = await create_document(api, iotype, inhoud=b64(b"oud"))
    token = await lock(api, doc["url"])
    r = await api.patch(doc["url"], json={"inhoud": None, "bestandsomvang": 6, "lock": token})
    assert r.status_code == 200, r.text
    parts = r.json()["bestandsdelen"]
    assert [p["omvang"] for p in parts] == [4, 2] and r.json()["versie"] == 2
    await upload_part(api, parts[1], b"uw", token)
    await upload_part(api, parts[0], b"nieu", token)
    assert (await api.post(f"{doc['url']}/unlock", json={"lock": token})).status_code == 204
    assert (await api.get(f"{doc['url']}/download")).content == b"nieuw"[:4] + b"uw"
    assert (await api.get(f"{doc['url']}/download", params={"versie": 1})).content == b"oud"


async def test_inline_content_is_capped_with_a_pointer_to_bestandsdelen(
    api: ApiClient, session: AsyncSession, settings: Settings, iotype: str
) -> None:
    settings.document_inline_max_size = 2000
    r = await api.post(EIO, json=document_body(iotype, inhoud=b64(b"x" * 3000)))
    assert r.status_code == 400 and first_error(r) == ("inhoud", "file-too-large")
    assert "bestandsdelen" in r.json()["invalidParams"][0]["reason"]
    assert await session.scalar(select(func.count()).select_from(Document)) == 0


async def test_invalid_base64_leaves_no_document(
    api: ApiClient, session: AsyncSession, iotype: str, storage_root: Any
) -> None:
    r = await api.post(EIO, json=document_body(iotype, inhoud="niet base64!"))
    assert r.status_code == 400 and first_error(r) == ("inhoud", "invalid")
    assert await session.scalar(select(func.count()).select_from(DocumentVersie)) == 0
    assert stored_files(storage_root) == []


class FailingStorage(FileSystemStorage):
    """Fails after the first chunk, like a disk filling up halfway."""

    async def open_write(self, key: str) -> Any:
        writer = await super().open_write(key)
        original = writer.write
        calls = {"n": 0}

        async def write(data: bytes) -> None:
            calls["n"] += 1
            if calls["n"] > 1:
                raise OSError("disk full")
            await original(data)

        writer.write = write  # type: ignore[method-assign]
        return writer


async def test_a_failed_upload_leaves_no_half_document_visible(
    api: ApiClient, app: Any, session: AsyncSession, settings: Settings, iotype: str, storage_root: Any
) -> None:
    app.state.documenten_storage = FailingStorage(storage_root)

    big = os.urandom(content.BASE64_CHUNK)  # two base64 slices: the second write fails
    api.validate = False  # a 500 is the point here
    r = await api.post(EIO, json=document_body(iotype, inhoud=b64(big)))
    assert r.status_code == 500 and r.json()["code"] == "error"
    assert await session.scalar(select(func.count()).select_from(Document)) == 0
    assert stored_files(storage_root) == []

    # the same for a part: the stream breaks off, nothing is stored, the part stays open
    settings.document_part_size = 4 * 1024 * 1024
    app.state.documenten_storage = FileSystemStorage(storage_root)
    api.validate = True
    doc = await start_upload(api, iotype, 3 * 1024 * 1024)
    app.state.documenten_storage = FailingStorage(storage_root)
    api.validate = False

    async def chunks() -> Any:
        boundary = b"grens"
        yield (
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="lock"\r\n\r\n'
            + doc["lock"].encode()
        )
        yield (
            b"\r\n--" + boundary + b'\r\nContent-Disposition: form-data; name="inhoud"; filename="x"\r\n\r\n'
        )
        for _ in range(3):
            yield b"y" * (1024 * 1024)
        yield b"\r\n--" + boundary + b"--\r\n"

    r = await api.client.put(
        doc["bestandsdelen"][0]["url"],
        content=chunks(),
        headers={
            "Authorization": f"Bearer {api.token}",
            "Content-Type": "multipart/form-data; boundary=grens",
        },
    )
    assert r.status_code == 500
    assert stored_files(storage_root) == []
    app.state.documenten_storage = FileSystemStorage(storage_root)
    r = await api.get(doc["url"])
    assert r.json()["bestandsdelen"][0]["voltooid"] is False


async def test_parts_stream_to_storage_without_holding_the_body(
    api: ApiClient, settings: Settings, iotype: str, storage_root: Any
) -> None:
    import tracemalloc

    size = 24 * 1024 * 1024
    settings.document_part_size = size
    doc = await start_upload(api, iotype, size)
    part = doc["bestandsdelen"][0]
    sent = hashlib.sha256()

    async def body() -> Any:
        yield b'--b\r\nContent-Disposition: form-data; name="lock"\r\n\r\n' + doc["lock"].encode()
        yield b'\r\n--b\r\nContent-Disposition: form-data; name="inhoud"; filename="x"\r\n\r\n'
        for i in range(size // (256 * 1024)):
            chunk = bytes([i % 256]) * (256 * 1024)
            sent.update(chunk)
            yield chunk
        yield b"\r\n--b--\r\n"

    tracemalloc.start()
    try:
        r = await api.client.put(
            part["url"],
            content=body(),
            headers={
                "Authorization": f"Bearer {api.token}",
                "Content-Type": "multipart/form-data; boundary=b",
            },
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200, r.text
    # The whole part is 24 MiB; what the server (and this test's client) held at once is a few chunks.
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MiB"
    assert (await api.post(f"{doc['url']}/unlock", json={"lock": doc["lock"]})).status_code == 204
    downloaded = await api.get(f"{doc['url']}/download")
    assert hashlib.sha256(downloaded.content).digest() == sent.digest()


async def test_download_is_streamed_in_chunks(app: Any, api: ApiClient, iotype: str) -> None:
    content = os.urandom(3 * 1024 * 1024 + 5)
    doc = await create_document(api, iotype, inhoud=b64(content))
    path = doc["url"].removeprefix("http://testserver") + "/download"
    messages: list[dict[str, Any]] = []
    done = asyncio.Event()
    requested = False

    async def receive() -> dict[str, Any]:
        # The request once, then nothing until the response is complete (as a real server).
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {api.token}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    start = messages[0]
    assert start["status"] == 200
    assert dict(start["headers"])[b"content-length"] == str(len(content)).encode()
    chunks = [m["body"] for m in messages[1:] if m["type"] == "http.response.body" and m.get("body")]
    assert len(chunks) >= 4 and max(len(c) for c in chunks) <= 1024 * 1024
    assert b"".join(chunks) == content
