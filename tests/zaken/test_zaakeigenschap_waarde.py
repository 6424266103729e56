"""A zaakeigenschap's waarde must meet its eigenschap's specificatie (Catalogi: formaat,
lengte, waardenverzameling; ztc-015 for the datum and datum_tijd forms), on create and update."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ApiClient
from tests.zaken.conftest import Catalog, create_zaak


async def _set_spec(
    session: AsyncSession, catalog: Catalog, formaat: str, lengte: str, waarden: list[str]
) -> None:
    e = catalog.eigenschap
    e.specificatie_formaat, e.specificatie_lengte, e.specificatie_waardenverzameling = (
        formaat,
        lengte,
        waarden,
    )
    await session.commit()


async def _post(api: ApiClient, catalog: Catalog, zaak: dict[str, Any], waarde: str) -> Any:
    return await api.post(
        f"{zaak['url']}/zaakeigenschappen",
        json={
            "zaak": zaak["url"],
            "eigenschap": catalog.url("eigenschappen", catalog.eigenschap),
            "waarde": waarde,
        },
    )


def _error(r: Any) -> tuple[int, str, str]:
    param = r.json()["invalidParams"][0]
    return r.status_code, param["name"], param["code"]


async def test_zaakeigenschap_waarde_meets_the_specificatie(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    zaak = await create_zaak(api, catalog)
    cases: list[tuple[str, str, list[str], str, str | None]] = [
        # formaat, lengte, waardenverzameling, waarde, expected error code (None: accepted)
        ("tekst", "5", [], "abcde", None),
        ("tekst", "5", [], "abcdef", "max_length"),
        ("tekst", "5", ["ja", "nee"], "nee", None),
        ("tekst", "5", ["ja", "nee"], "misschien", "invalid_choice"),
        ("getal", "4", [], "1234", None),
        ("getal", "4", [], "12345", "invalid"),
        ("getal", "4", [], "twaalf", "invalid"),
        ("getal", "6,2", [], "1234,56", None),
        ("getal", "6,2", [], "12,345", "invalid"),
        ("datum", "8", [], "20220728", None),
        ("datum", "8", [], "2022-07-28", "invalid"),
        ("datum", "8", [], "20221328", "invalid"),
        ("datum_tijd", "14", [], "20220728134022", None),
        ("datum_tijd", "14", [], "20220728250000", "invalid"),
    ]
    for formaat, lengte, waarden, waarde, code in cases:
        await _set_spec(session, catalog, formaat, lengte, waarden)
        r = await _post(api, catalog, zaak, waarde)
        if code is None:
            assert r.status_code == 201, (formaat, lengte, waarde, r.text)
        else:
            assert _error(r) == (400, "waarde", code), (formaat, lengte, waarde, r.text)


async def test_zaakeigenschap_waarde_is_checked_on_update(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    await _set_spec(session, catalog, "tekst", "5", [])
    zaak = await create_zaak(api, catalog)
    r = await _post(api, catalog, zaak, "kort")
    assert r.status_code == 201, r.text
    ze = r.json()
    r = await api.patch(ze["url"], json={"waarde": "veel te lang"})
    assert _error(r) == (400, "waarde", "max_length")
    r = await api.patch(ze["url"], json={"waarde": "ok"})
    assert r.status_code == 200 and r.json()["waarde"] == "ok"
