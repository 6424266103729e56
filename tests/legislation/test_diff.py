"""The differences between two zaaktype versions (pure, on snapshots)."""

from __future__ import annotations

from typing import Any

from samenzaak.legislation.diff import diff


def snap(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "fields": {
            "doorlooptijd": "P8W",
            "servicenorm": "P6W",
            "verlenging_mogelijk": True,
            "besluittypen": ["Besluit"],
        },
        "statustypen": {"Ontvangen": {"volgnummer": 1}, "Afgehandeld": {"volgnummer": 2}},
        "roltypen": {"Aanvrager": {"omschrijving_generiek": "initiator"}},
        "resultaattypen": {"Toegekend": {"archiefnominatie": "vernietigen", "archiefactietermijn": "P10Y"}},
        "eigenschappen": {},
        "informatieobjecttypen": {"Aanvraag": {"volgnummer": 1, "richting": "inkomend"}},
    }
    for key, value in over.items():
        base[key] = value
    return base


def test_identical_versions_have_no_differences() -> None:
    assert diff(snap(), snap()).is_empty()


def test_shortened_legal_term_and_changed_archiving_are_reported() -> None:
    new = snap(
        fields={
            "doorlooptijd": "P6W",
            "servicenorm": "P6W",
            "verlenging_mogelijk": False,
            "besluittypen": ["Besluit"],
        },
        resultaattypen={"Toegekend": {"archiefnominatie": "blijvend_bewaren", "archiefactietermijn": None}},
    )
    d = diff(snap(), new).as_dict()
    assert d["fields"] == {
        "doorlooptijd": {"old": "P8W", "new": "P6W"},
        "verlenging_mogelijk": {"old": True, "new": False},
    }
    assert d["resultaattypen"]["changed"]["Toegekend"] == {
        "archiefnominatie": {"old": "vernietigen", "new": "blijvend_bewaren"},
        "archiefactietermijn": {"old": "P10Y", "new": None},
    }


def test_added_and_removed_children_are_reported_per_kind() -> None:
    new = snap(
        statustypen={
            "Ontvangen": {"volgnummer": 1},
            "Beoordeeld": {"volgnummer": 2},
            "Afgehandeld": {"volgnummer": 3},
        },
        roltypen={},
        eigenschappen={"ondersteuning": {"definitie": "x"}},
    )
    d = diff(snap(), new)
    assert d.sections["statustypen"].added == ["Beoordeeld"]
    assert d.sections["statustypen"].changed == {"Afgehandeld": {"volgnummer": (2, 3)}}
    assert d.sections["roltypen"].removed == ["Aanvrager"]
    assert d.sections["eigenschappen"].added == ["ondersteuning"]
    assert d.sections["informatieobjecttypen"].is_empty()
