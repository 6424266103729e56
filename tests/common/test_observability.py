"""/metrics in Prometheus format and the JSON access log."""

from __future__ import annotations

import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from tests.conftest import ApiClient

URL = "/autorisaties/api/v1/applicaties"


async def test_metrics_count_requests_per_route_and_tenant(api: ApiClient, anon: ApiClient) -> None:
    await api.get(URL)
    await api.get(URL)
    await anon.get(URL)
    r = await anon.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    line = next(
        ln
        for ln in text.splitlines()
        if ln.startswith("samenzaak_http_requests_total{")
        and 'route="/applicaties"' in ln
        and 'status="200"' in ln
    )
    assert 'api="autorisaties"' in line and 'tenant="default"' in line
    assert line.endswith(" 2.0")
    assert 'status="403"' in text
    assert "samenzaak_http_request_duration_seconds_bucket" in text


async def test_metrics_report_the_notification_backlog(api: ApiClient, anon: ApiClient) -> None:
    r = await api.post(URL, json={"clientIds": ["m-1"], "label": "m", "heeftAlleAutorisaties": True})
    assert r.status_code == 201
    text = (await anon.get("/metrics")).text
    backlog = next(
        ln for ln in text.splitlines() if ln.startswith('samenzaak_notification_backlog{tenant="default"}')
    )
    assert float(backlog.split()[-1]) >= 1
    assert 'samenzaak_notification_oldest_pending_seconds{tenant="default"}' in text


async def test_access_log_has_ids_and_no_query_string(
    api: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="samenzaak.access"):
        await api.get(URL, params={"clientIds": "999999990"})
    record = next(r for r in caplog.records if r.name == "samenzaak.access")
    assert record.client_id == "test-admin"  # type: ignore[attr-defined]
    assert record.tenant == "default"  # type: ignore[attr-defined]
    assert record.request_id  # type: ignore[attr-defined]
    payload = json.loads(JsonFormatter().format(record))
    assert "999999990" not in json.dumps(payload)
    assert payload["status"] == 200
