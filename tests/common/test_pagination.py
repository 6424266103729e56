"""The narrow-key and reverse-order helpers of common.pagination, on compiled SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from samenzaak.common.pagination import _keys, _reversed_order
from samenzaak.zaken.models import ZAAK_COLUMNS, Rol, Zaak


def sql(stmt: Any) -> str:
    return " ".join(str(stmt.compile()).split())


def test_keys_select_only_the_primary_key_of_one_entity() -> None:
    assert sql(_keys(select(Zaak).where(Zaak.identificatie == "x"))).startswith(
        "SELECT zrc_zaken.uuid FROM zrc_zaken WHERE"
    )
    assert sql(_keys(select(*ZAAK_COLUMNS))) == "SELECT zrc_zaken.uuid FROM zrc_zaken"


def test_keys_leave_statements_a_narrower_column_list_would_change() -> None:
    for stmt in (
        select(Zaak).distinct(),
        select(Zaak, Rol),
        select(Zaak.identificatie).group_by(Zaak.identificatie),
    ):
        assert _keys(stmt) is stmt


def test_reversed_order_flips_every_term_when_it_ends_in_the_key() -> None:
    stmt = _keys(select(Zaak).order_by(Zaak.aangemaakt.desc(), Zaak.startdatum, Zaak.uuid.desc()))
    backwards = _reversed_order(stmt, stmt.selected_columns[0])
    assert backwards is not None
    assert sql(stmt.order_by(None).order_by(*backwards)).endswith(
        "ORDER BY zrc_zaken.aangemaakt ASC, zrc_zaken.startdatum DESC, zrc_zaken.uuid ASC"
    )


def test_no_reversed_order_without_a_total_order_or_with_explicit_nulls() -> None:
    for order in (
        (Zaak.aangemaakt.desc(),),
        (Zaak.uuid, Zaak.aangemaakt),
        (Zaak.einddatum.desc().nulls_last(), Zaak.uuid),
        (),
    ):
        stmt = _keys(select(Zaak).order_by(*order))
        assert _reversed_order(stmt, stmt.selected_columns[0]) is None
