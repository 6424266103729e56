"""Upload and download one large document in parts and report throughput and server memory.

Against a running server:
    python bench/documents.py --base-url http://127.0.0.1:8000 --client-id admin --secret S \\
        --informatieobjecttype http://127.0.0.1:8000/catalogi/api/v1/informatieobjecttypen/<uuid> \\
        --server-pid <pid of the uvicorn process>

Or let the script start its own server (temporary data folder, SQLite, a published
informatieobjecttype seeded in the database):
    python bench/documents.py --start-server --size 1G

The client streams its data (generated, never held whole) and checks a SHA-256 of what it
downloads against what it sent. The server's peak memory is VmHWM from /proc/<pid>/status:
it must stay far below the size of the file.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from samenzaak.common.auth import make_token

BLOCK = 1024 * 1024


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?", text.strip(), re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1G, 200M)")
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}[match.group(2).upper()]
    return int(float(match.group(1)) * factor)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process and its children, in kB."""
    found: dict[str, int] = {}
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = max(found.get(key, 0), int(value.split()[0]))
    return found


def block(seed: bytes, index: int) -> bytes:
    """Deterministic, incompressible-enough content for block ``index``."""
    head = hashlib.sha256(seed + index.to_bytes(8, "big")).digest()
    return (head * (BLOCK // len(head) + 1))[:BLOCK]


async def part_body(
    boundary: str, lock: str, seed: bytes, offset: int, length: int, digest: Any
) -> AsyncIterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="lock"\r\n\r\n{lock}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="inhoud"; filename="deel.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    position = offset
    end = offset + length
    while position < end:
        index, skip = divmod(position, BLOCK)
        data = block(seed, index)[skip : skip + min(BLOCK - skip, end - position)]
        digest.update(data)
        position += len(data)
        yield data
    yield f"\r\n--{boundary}--\r\n".encode()


async def run(args: argparse.Namespace, base: str, server_pid: int | None) -> None:
    token = make_token(args.client_id, args.secret, user_id="bench")
    headers = {"Authorization": f"Bearer {token}"}
    drc = f"{base}/documenten/api/v1"
    seed = os.urandom(16)
    sent = hashlib.sha256()
    before = memory_kb(server_pid) if server_pid else {}
    async with httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(600.0)) as client:
        body = {
            "bronorganisatie": "000000000",
            "creatiedatum": "2024-01-01",
            "titel": "Benchmark",
            "auteur": "bench",
            "taal": "nld",
            "informatieobjecttype": args.informatieobjecttype,
            "bestandsnaam": "groot.bin",
            "formaat": "application/octet-stream",
            "inhoud": None,
            "bestandsomvang": args.size,
        }
        r = await client.post(f"{drc}/enkelvoudiginformatieobjecten", json=body)
        r.raise_for_status()
        doc = r.json()
        parts = sorted(doc["bestandsdelen"], key=lambda p: p["volgnummer"])
        print(f"document {doc['url']}: {len(parts)} parts of up to {parts[0]['omvang'] / BLOCK:.0f} MiB")

        started = time.perf_counter()
        offset = 0
        for part in parts:
            boundary = uuid.uuid4().hex
            r = await client.put(
                part["url"],
                content=part_body(boundary, doc["lock"], seed, offset, part["omvang"], sent),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            r.raise_for_status()
            offset += part["omvang"]
        upload_s = time.perf_counter() - started

        started = time.perf_counter()
        r = await client.post(f"{doc['url']}/unlock", json={"lock": doc["lock"]})
        r.raise_for_status()
        merge_s = time.perf_counter() - started

        received = hashlib.sha256()
        size = 0
        started = time.perf_counter()
        async with client.stream("GET", f"{doc['url']}/download") as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes(BLOCK):
                received.update(chunk)
                size += len(chunk)
        download_s = time.perf_counter() - started
        if not args.keep:
            await client.delete(doc["url"])

    after = memory_kb(server_pid) if server_pid else {}
    mib = args.size / BLOCK
    check = "OK" if received.digest() == sent.digest() else "MISMATCH"
    print(f"size:      {mib:.0f} MiB, content check: {check}")
    print(f"upload:    {upload_s:.1f} s, {mib / upload_s:.0f} MiB/s (parts streamed to storage)")
    print(f"merge:     {merge_s:.1f} s (unlock joins the parts)")
    print(f"download:  {download_s:.1f} s, {mib / download_s:.0f} MiB/s (streamed), {size} bytes")
    if server_pid:
        peak = after.get("VmHWM", 0) / 1024
        rss_before, rss_after = before.get("VmRSS", 0) / 1024, after.get("VmRSS", 0) / 1024
        print(
            f"server:    RSS before {rss_before:.0f} MiB, after {rss_after:.0f} MiB,"
            f" peak (VmHWM) {peak:.0f} MiB = {peak / mib:.1%} of the file"
        )
    if received.digest() != sent.digest() or size != args.size:
        sys.exit("content mismatch")


SEED_IOTYPE = """
import asyncio, uuid, sys
from datetime import date
from samenzaak.catalogi.models import Catalogus, InformatieObjectType
from samenzaak.db import create_engine, make_sessionmaker, tenant_session

async def main():
    engine = create_engine(sys.argv[1])
    async with tenant_session(make_sessionmaker(engine)) as s:
        cat = Catalogus(uuid=uuid.uuid4(), domein="BENCH", rsin="000000000",
            contactpersoon_beheer_naam="bench")
        s.add(cat)
        await s.flush()
        iot = InformatieObjectType(uuid=uuid.uuid4(), catalogus_uuid=cat.uuid, omschrijving="Bench",
            vertrouwelijkheidaanduiding="openbaar", informatieobjectcategorie="bench", trefwoord=[],
            omschrijving_generiek={}, concept=False, begin_geldigheid=date(2024, 1, 1))
        s.add(iot)
        await s.commit()
        print(iot.uuid)
    await engine.dispose()

asyncio.run(main())
"""


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str, Path]:
    data = Path(tempfile.mkdtemp(prefix="samenzaak-bench-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {"SAMENZAAK_DATA_DIR": str(data), "SAMENZAAK_DISPATCHER_IN_PROCESS": "false"}
    if args.part_size:
        env["SAMENZAAK_DOCUMENT_PART_SIZE"] = str(args.part_size)
    exe = [sys.executable, "-m", "samenzaak.cli"]
    subprocess.run([*exe, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            *exe,
            "applicatie",
            "create",
            "--client-id",
            args.client_id,
            "--secret",
            args.secret,
            "--alle-autorisaties",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    db = f"sqlite:///{data / 'samenzaak.sqlite3'}"
    iot = subprocess.run(
        [sys.executable, "-c", SEED_IOTYPE, db], env=env, check=True, capture_output=True, text=True
    )
    args.informatieobjecttype = f"{base}/catalogi/api/v1/informatieobjecttypen/{iot.stdout.strip()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "samenzaak.asgi:app", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        server.terminate()
        sys.exit("the server did not start")
    return server, base, data


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="a running server (http://127.0.0.1:8000)")
    parser.add_argument("--client-id", default="bench")
    parser.add_argument("--secret", default="bench-secret")
    parser.add_argument("--informatieobjecttype", help="URL of a published informatieobjecttype")
    parser.add_argument("--server-pid", type=int, help="pid of the server, for its peak memory")
    parser.add_argument("--start-server", action="store_true", help="start a server of our own")
    parser.add_argument(
        "--size", type=parse_size, default=parse_size("1G"), help="document size (default 1G)"
    )
    parser.add_argument("--part-size", type=parse_size, help="bestandsdeel size of the started server")
    parser.add_argument("--keep", action="store_true", help="do not delete the document afterwards")
    args = parser.parse_args()

    if args.start_server:
        server, base, data = start_server(args)
        try:
            asyncio.run(run(args, base, server.pid))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            shutil.rmtree(data, ignore_errors=True)
    else:
        if not (args.base_url and args.informatieobjecttype):
            parser.error("--base-url and --informatieobjecttype are needed (or --start-server)")
        asyncio.run(run(args, args.base_url.rstrip("/"), args.server_pid))


if __name__ == "__main__":
    main()
