"""The JSON API of the impact report and the model updates."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ApiClient, make_client
from tests.legislation import builders

URL = "/dashboard/api/wetgeving"


async def test_impact_json(api: ApiClient, session: AsyncSession) -> None:
    cat = await builders.catalogus(session)
    old = await builders.zaaktype(session, cat.uuid, doorlooptijd="P8W")
    new = await builders.zaaktype(session, cat.uuid, doorlooptijd="P1W", versiedatum=date(2027, 1, 1))
    await builders.zaak(session, old, "Z-1", date(2026, 11, 1))
    await session.commit()
    r = await api.get(
        f"{URL}/impact",
        params={"van": f"http://testserver/catalogi/api/v1/zaaktypen/{old.uuid}", "naar": str(new.uuid),
                "peildatum": "2026-11-29"},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["lopendeZaken"] == 1 and body["aantalNieuwTeLaat"] == 1
    assert body["nieuwTeLaat"][0]["identificatie"] == "Z-1"

    r = await api.get(f"{URL}/impact", params={"van": "nope", "naar": str(new.uuid)})
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "van"
    r = await api.get(
        f"{URL}/impact", params={"van": str(new.uuid), "naar": "00000000-0000-4000-8000-000000000000"}
    )
    assert r.status_code == 404


async def test_impact_needs_catalogi_lezen(api: ApiClient, session: AsyncSession) -> None:
    token = await make_client(session, "zaken-only", autorisaties=[{"component": "nrc", "scopes": ["x"]}])
    r = await api.with_token(token).get(f"{URL}/impact", params={"van": "a", "naar": "b"})
    assert r.status_code == 403


async def test_updates_json_empty_for_a_catalogus_without_adoptions(
    api: ApiClient, session: AsyncSession
) -> None:
    cat = await builders.catalogus(session)
    await session.commit()
    r = await api.get(f"{URL}/updates", params={"catalogus": str(cat.uuid)})
    assert r.status_code == 200 and r.json() == []
