"""The Selectielijst reference data, loaded once at import time and indexed by UUID.

The files in ``data/`` are official copies, left unchanged (see ``data/README.md``); every
transformation (fixture rows to API fields, derived fields, skipped rows) happens here.
Each record keeps its API fields except ``url``/``procesType``, which depend on the
request's base URL and are added when a response is built.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any
from uuid import UUID

# The labels of the procestermijn choices, exactly as the VRL API serves them
# (``procestermijnWeergave``; note the trailing space of vast_te_leggen_datum).
PROCESTERMIJN_WEERGAVE = {
    "nihil": "Nihil",
    "bestaansduur_procesobject": "De bestaans- of geldigheidsduur van het procesobject.",
    "ingeschatte_bestaansduur_procesobject": (
        "De ingeschatte maximale bestaans- of geldigheidsduur van het procesobject."
    ),
    "vast_te_leggen_datum": (
        "De tijdens het proces vast te leggen datum waarop de geldigheid van het procesobject komt te "
        "vervallen. "
    ),
    "samengevoegd_met_bewaartermijn": "De procestermijn is samengevoegd met de bewaartermijn.",
    "": "",
}

# Fixture field -> API field for the 14 taakgebied booleans (the API keeps the misspelling
# "volksgezonheid").
TAAKGEBIEDEN = {
    "algemeen_bestuur_en_inrichting_organisatie": "algemeenBestuurEnInrichtingOrganisatie",
    "bedrijfsvoering_en_personeel": "bedrijfsvoeringEnPersoneel",
    "publieke_informatie_en_registratie": "publiekeInformatieEnRegistratie",
    "burgerzaken": "burgerzaken",
    "veiligheid": "veiligheid",
    "verkeer_en_vervoer": "verkeerEnVervoer",
    "economie": "economie",
    "onderwijs": "onderwijs",
    "sport_cultuur_en_recreatie": "sportCultuurEnRecreatie",
    "sociaal_domein": "sociaalDomein",
    "volksgezonheid_en_milieu": "volksgezonheidEnMilieu",
    "vhrosv": "vhrosv",
    "heffen_belastingen": "heffenBelastingen",
    "alle_taakgebieden": "alleTaakgebieden",
}


@dataclass(frozen=True, slots=True)
class Record:
    """One resource: its UUID, its API fields without URLs, and (resultaten) its procestype."""

    uuid: UUID
    fields: Mapping[str, Any]
    procestype: UUID | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    procestypen: tuple[Record, ...]
    resultaten: tuple[Record, ...]
    resultaattypeomschrijvingen: tuple[Record, ...]
    communicatiekanalen: tuple[Record, ...]
    skipped_resultaten: frozenset[UUID]
    by_kind: Mapping[str, Mapping[UUID, Record]] = field(default_factory=dict)
    resultaten_by_procestype: Mapping[UUID, tuple[Record, ...]] = field(default_factory=dict)


def _read(name: str) -> Any:
    return json.loads(resources.files("samenzaak.referentielijsten").joinpath("data", name).read_bytes())


def _frozen(fields: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(fields)


def _procestype(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "nummer": row["nummer"],
        "jaar": row["jaar"],
        "naam": row["naam"],
        "omschrijving": row["omschrijving"],
        "toelichting": row["toelichting"],
        "procesobject": row["procesobject"],
    }


def _is_withdrawn(row: Mapping[str, Any]) -> bool:
    # The two "Vervallen" rows (7.1.20, 19.1.13) have waardering "", which no version of the
    # spec allows; they were replaced by 19.1.19 and 4.1.14. See data/README.md.
    return bool(row["waardering"] == "")


def load() -> Dataset:
    fixture = _read("selectielijst-2020.fixture.json")
    procestype_rows = {r["pk"]: r["fields"] for r in fixture if r["model"] == "selectielijst.procestype"}
    resultaat_rows = {r["pk"]: r["fields"] for r in fixture if r["model"] == "selectielijst.resultaat"}

    procestypen: list[Record] = [
        Record(UUID(row["uuid"]), _frozen(_procestype(row))) for row in procestype_rows.values()
    ]
    # The 2017 procestypen with the UUIDs production (selectielijst.openzaak.nl) uses; their
    # resultaten are not published with UUIDs, so the 2017 procestypen have none here.
    for row in _read("procestypen-2017.json"):
        pk = UUID(row["url"].rstrip("/").rsplit("/", 1)[1])
        procestypen.append(Record(pk, _frozen(_procestype(row))))
    # By nummer (the VRL ordering); within a nummer the older edition first, as VRL's pks do.
    procestypen.sort(key=lambda r: (r.fields["nummer"], r.fields["jaar"]))

    resultaten: list[Record] = []
    skipped: set[UUID] = set()
    for row in resultaat_rows.values():
        if _is_withdrawn(row):
            skipped.add(UUID(row["uuid"]))
            continue
        proces = procestype_rows[row["proces_type"]]
        parent_pk = row.get("generiek_resultaat")
        if parent_pk is None:
            volledig = f"{proces['nummer']}.{row['nummer']}"
        else:
            volledig = f"{proces['nummer']}.{resultaat_rows[parent_pk]['nummer']}.{row['nummer']}"
        fields: dict[str, Any] = {
            "nummer": row["nummer"],
            "volledigNummer": volledig,
            "generiek": parent_pk is None,
            "specifiek": parent_pk is not None,
            "naam": row["naam"],
            "omschrijving": row.get("omschrijving", ""),
            "herkomst": row["herkomst"],
            "waardering": row["waardering"],
            "procestermijn": row.get("procestermijn", ""),
            "procestermijnWeergave": PROCESTERMIJN_WEERGAVE[row.get("procestermijn", "")],
            "bewaartermijn": row.get("bewaartermijn"),
            "toelichting": row.get("toelichting", ""),
        }
        for source, name in TAAKGEBIEDEN.items():
            fields[name] = bool(row.get(source, False))
        fields["procestermijnOpmerking"] = row.get("procestermijn_opmerking", "")
        resultaten.append(Record(UUID(row["uuid"]), _frozen(fields), UUID(proces["uuid"])))
    # Tree order: procestype nummer, then the numbers of the parent and the resultaat itself.
    resultaten.sort(key=lambda r: tuple(int(part) for part in r.fields["volledigNummer"].split(".")))

    omschrijvingen = [
        Record(
            UUID(r["fields"]["uuid"]),
            _frozen(
                {
                    "omschrijving": r["fields"]["omschrijving"],
                    "definitie": r["fields"]["definitie"],
                    "opmerking": r["fields"].get("opmerking", ""),
                }
            ),
        )
        for r in _read("resultaattypeomschrijvingen.fixture.json")
    ]
    # Alphabetical, as both hosted instances answer.
    omschrijvingen.sort(key=lambda r: r.fields["omschrijving"])

    kanalen = [
        Record(UUID(r["uuid"]), _frozen({"naam": r["naam"], "omschrijving": r["omschrijving"]}))
        for r in _read("communicatiekanalen.json")
    ]

    by_procestype: dict[UUID, list[Record]] = {p.uuid: [] for p in procestypen}
    for record in resultaten:
        assert record.procestype is not None
        by_procestype[record.procestype].append(record)

    return Dataset(
        procestypen=tuple(procestypen),
        resultaten=tuple(resultaten),
        resultaattypeomschrijvingen=tuple(omschrijvingen),
        communicatiekanalen=tuple(kanalen),
        skipped_resultaten=frozenset(skipped),
        by_kind=MappingProxyType(
            {
                "procestypen": MappingProxyType({r.uuid: r for r in procestypen}),
                "resultaten": MappingProxyType({r.uuid: r for r in resultaten}),
                "resultaattypeomschrijvingen": MappingProxyType({r.uuid: r for r in omschrijvingen}),
                "communicatiekanalen": MappingProxyType({r.uuid: r for r in kanalen}),
            }
        ),
        resultaten_by_procestype=MappingProxyType({k: tuple(v) for k, v in by_procestype.items()}),
    )


DATA = load()
KINDS = tuple(DATA.by_kind)
