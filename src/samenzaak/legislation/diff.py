"""The differences between two versions of a zaaktype, as plain data.

A version is first turned into a *snapshot* (``snapshot()``): the fields that matter for the
people who implement a law change, with the children keyed by their natural key (statustype
by omschrijving, roltype by omschrijving, resultaattype by omschrijving, eigenschap by naam,
informatieobjecttype by omschrijving). Two snapshots are then compared without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samenzaak.catalogi.models import ZaakType, ZaakTypeInformatieObjectType

ZAAKTYPE_FIELDS = (
    "omschrijving",
    "vertrouwelijkheidaanduiding",
    "doorlooptijd",
    "servicenorm",
    "opschorting_en_aanhouding_mogelijk",
    "verlenging_mogelijk",
    "verlengingstermijn",
    "handeling_initiator",
    "handeling_behandelaar",
    "selectielijst_procestype",
    "producten_of_diensten",
    "besluittypen",
    "begin_geldigheid",
    "einde_geldigheid",
)
STATUSTYPE_FIELDS = ("volgnummer", "omschrijving_generiek", "doorlooptijd", "informeren")
ROLTYPE_FIELDS = ("omschrijving_generiek",)
RESULTAATTYPE_FIELDS = (
    "resultaattypeomschrijving",
    "selectielijstklasse",
    "archiefnominatie",
    "archiefactietermijn",
    "brondatum_afleidingswijze",
    "brondatum_procestermijn",
)
EIGENSCHAP_FIELDS = ("definitie", "specificatie_formaat", "specificatie_lengte", "specificatie_kardinaliteit")
ZIOT_FIELDS = ("volgnummer", "richting")

SECTIONS = {
    "statustypen": STATUSTYPE_FIELDS,
    "roltypen": ROLTYPE_FIELDS,
    "resultaattypen": RESULTAATTYPE_FIELDS,
    "eigenschappen": EIGENSCHAP_FIELDS,
    "informatieobjecttypen": ZIOT_FIELDS,
}


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(zaaktype: ZaakType, ziots: list[ZaakTypeInformatieObjectType]) -> dict[str, Any]:
    """A zaaktype version (children loaded) as comparable plain data."""
    return {
        "uuid": str(zaaktype.uuid),
        "identificatie": zaaktype.identificatie,
        "versiedatum": _plain(zaaktype.versiedatum),
        "fields": {name: _plain(getattr(zaaktype, name)) for name in ZAAKTYPE_FIELDS},
        "statustypen": {
            s.omschrijving: {"uuid": str(s.uuid), **{f: _plain(getattr(s, f)) for f in STATUSTYPE_FIELDS}}
            for s in zaaktype.statustypen
        },
        "roltypen": {
            r.omschrijving: {"uuid": str(r.uuid), **{f: _plain(getattr(r, f)) for f in ROLTYPE_FIELDS}}
            for r in zaaktype.roltypen
        },
        "resultaattypen": {
            r.omschrijving: {"uuid": str(r.uuid), **{f: _plain(getattr(r, f)) for f in RESULTAATTYPE_FIELDS}}
            for r in zaaktype.resultaattypen
        },
        "eigenschappen": {
            e.naam: {"uuid": str(e.uuid), **{f: _plain(getattr(e, f)) for f in EIGENSCHAP_FIELDS}}
            for e in zaaktype.eigenschappen
        },
        "informatieobjecttypen": {
            z.informatieobjecttype_omschrijving: {
                "uuid": str(z.uuid),
                **{f: _plain(getattr(z, f)) for f in ZIOT_FIELDS},
            }
            for z in ziots
        },
    }


@dataclass
class SectionDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": {
                key: {f: {"old": old, "new": new} for f, (old, new) in fields.items()}
                for key, fields in self.changed.items()
            },
        }


@dataclass
class VersionDiff:
    fields: dict[str, tuple[Any, Any]]
    sections: dict[str, SectionDiff]

    def is_empty(self) -> bool:
        return not self.fields and all(s.is_empty() for s in self.sections.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": {name: {"old": old, "new": new} for name, (old, new) in self.fields.items()},
            **{name: section.as_dict() for name, section in self.sections.items()},
        }


def _compare(old: dict[str, Any], new: dict[str, Any], names: tuple[str, ...]) -> dict[str, tuple[Any, Any]]:
    return {n: (old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)}


def diff(old: dict[str, Any], new: dict[str, Any]) -> VersionDiff:
    """What changed from snapshot ``old`` to snapshot ``new``."""
    fields = _compare(old["fields"], new["fields"], ZAAKTYPE_FIELDS)
    fields.pop("begin_geldigheid", None)
    fields.pop("einde_geldigheid", None)
    sections: dict[str, SectionDiff] = {}
    for name, compared in SECTIONS.items():
        before, after = old[name], new[name]
        section = SectionDiff(
            added=sorted(set(after) - set(before)),
            removed=sorted(set(before) - set(after)),
        )
        for key in sorted(set(before) & set(after)):
            changed = _compare(before[key], after[key], compared)
            if changed:
                section.changed[key] = changed
        sections[name] = section
    return VersionDiff(fields=fields, sections=sections)
