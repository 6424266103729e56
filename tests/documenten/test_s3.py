"""The S3 backend against a real S3-compatible server (moto in server mode, on loopback)."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from samenzaak.config import Settings
from samenzaak.documenten.storage import S3_PART_SIZE, S3Storage, new_key, storage_from_settings
from tests.conftest import ApiClient
from tests.documenten.conftest import b64, create_document, lock

BUCKET = "documenten"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_settings(settings: Settings, s3_endpoint: str) -> Settings:
    return settings.model_copy(
        update={
            "storage": "s3",
            "storage_s3_bucket": BUCKET,
            "storage_s3_endpoint_url": s3_endpoint,
            "storage_s3_region": "us-east-1",
            "storage_s3_access_key_id": "k",
            "storage_s3_secret_access_key": SecretStr("s"),
        }
    )


@pytest.fixture
def s3(s3_settings: Settings) -> S3Storage:
    storage = storage_from_settings(s3_settings)
    assert isinstance(storage, S3Storage)
    return storage


async def test_s3_round_trip_in_multipart_chunks(s3: S3Storage) -> None:
    content = os.urandom(S3_PART_SIZE * 2 + 12345)  # three multipart parts
    key = new_key()
    writer = await s3.open_write(key)
    for start in range(0, len(content), 1024 * 1024):
        await writer.write(content[start : start + 1024 * 1024])
    sha = await writer.commit()
    assert sha == hashlib.sha256(content).hexdigest()
    assert await s3.exists(key) and await s3.size(key) == len(content)
    read = b"".join([chunk async for chunk in s3.read(key)])
    assert hashlib.sha256(read).hexdigest() == sha
    await s3.delete(key)
    assert not await s3.exists(key)


async def test_s3_aborted_write_leaves_nothing(s3: S3Storage) -> None:
    key = new_key()
    writer = await s3.open_write(key)
    await writer.write(b"half" * 1000)
    await writer.abort()
    assert not await s3.exists(key)
    uploads = s3.client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    assert all(u["Key"] != key for u in uploads)


async def test_documents_api_on_s3(
    api: ApiClient, app: Any, s3: S3Storage, settings: Settings, iotype: str
) -> None:
    app.state.documenten_storage = s3
    doc = await create_document(api, iotype, inhoud=b64(b"in de bucket"))
    assert (await api.get(f"{doc['url']}/download")).content == b"in de bucket"

    settings.document_part_size = 6
    token = await lock(api, doc["url"])
    r = await api.patch(doc["url"], json={"inhoud": None, "bestandsomvang": 10, "lock": token})
    parts = r.json()["bestandsdelen"]
    for part, data in zip(reversed(parts), (b"deel", b"tweede"), strict=True):
        r = await api.put(part["url"], data={"lock": token}, files={"inhoud": ("x", data)})
        assert r.status_code == 200, r.text
    assert (await api.post(f"{doc['url']}/unlock", json={"lock": token})).status_code == 204
    assert (await api.get(f"{doc['url']}/download")).content == b"tweededeel"

    keys_before = {o["Key"] for o in s3.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert len(keys_before) == 2  # version 1 and the merged version 2; the parts are gone
    assert (await api.delete(doc["url"])).status_code == 204
    assert s3.client.list_objects_v2(Bucket=BUCKET).get("Contents", []) == []
