"""``expand`` (Besluiten API 1.1.0): related resources inlined under ``_expand``, to any depth.

A besluit expands its ``besluittype`` (Catalogi API) and ``zaak`` (Zaken API); a
besluitinformatieobject its ``informatieobject`` (Documenten API) and ``besluit``. Below a
zaak the Zaken API's own expand takes over (``zaak.status.statustype``, ...). Every level of
every path is loaded for the whole page at once, so the number of queries depends on the
paths asked, never on the number of results. Only objects of this installation are
expanded (a remote URL is left out of ``_expand``), and only those the caller may read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten import service
from samenzaak.besluiten.models import Besluit
from samenzaak.catalogi.models import BesluitType
from samenzaak.catalogi.views import View, render_many, today
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import service as documenten
from samenzaak.documenten.models import Document
from samenzaak.zaken import expand as zaken_expand

Tree = dict[str, "Tree"]

FIELDS: dict[str, dict[str, str]] = {
    "besluit": {"besluittype": "besluittype", "zaak": "zaak"},
    "besluitinformatieobject": {"informatieobject": "informatieobject", "besluit": "besluit"},
    "besluittype": {},
    "informatieobject": {},
}


def _unknown(path: str) -> ValidationProblem:
    return ValidationProblem([InvalidParam("expand", "unknown-expand", f"{path} kan niet ge-expand worden.")])


def _check(kind: str, tree: Tree, prefix: str = "") -> None:
    for name, sub in tree.items():
        # Below a zaak the Zaken API's expandable fields apply.
        fields = FIELDS[kind] if kind in FIELDS else zaken_expand.FIELDS.get(kind, {})
        target = fields.get(name)
        if target is None:
            raise _unknown(f"{prefix}{name}")
        _check(target, sub, f"{prefix}{name}.")


def parse(value: str | None, kind: str) -> Tree:
    """The asked paths as a tree (``zaak.status,besluittype``); 400 for a path we cannot expand."""
    tree = zaken_expand.parse(value)
    _check(kind, tree)
    return tree


class Expander:
    def __init__(self, session: AsyncSession, auth: Auth, urls: UrlBuilder) -> None:
        self.session = session
        self.auth = auth
        self.urls = urls

    def _uuids(self, api: str, resource: str, wanted: Iterable[str]) -> dict[uuid.UUID, str]:
        out: dict[uuid.UUID, str] = {}
        for url in wanted:
            pk = self.urls.local_uuid(url, api, resource)
            if pk is not None:
                out[pk] = url
        return out

    async def level(self, kind: str, bodies: Sequence[dict[str, Any]], tree: Tree) -> None:
        for name, sub in tree.items():
            target = FIELDS[kind][name]
            wanted = {v for b in bodies if isinstance(v := b.get(name), str) and v}
            loaded = await self.load(target, wanted)
            for body in bodies:
                # What is not loaded (empty, remote, or not readable by the caller) is left out:
                # the spec's embedded schemas have no empty form for it.
                value = body.get(name)
                expanded = body.setdefault("_expand", {})
                if isinstance(value, str) and value in loaded:
                    expanded[name] = loaded[value]
            if not sub or not loaded:
                continue
            if target == "zaak":
                await zaken_expand.Expander(self.session, self.auth, self.urls).level(
                    "zaak", list(loaded.values()), sub
                )
            else:
                await self.level(target, list(loaded.values()), sub)

    async def load(self, kind: str, wanted: set[str]) -> dict[str, dict[str, Any]]:
        if kind == "zaak":
            return await zaken_expand.Expander(self.session, self.auth, self.urls).load("zaak", wanted)
        if kind == "besluittype":
            ids = self._uuids("catalogi", "besluittypen", wanted)
            if not ids:
                return {}
            types = (
                await self.session.scalars(select(BesluitType).where(BesluitType.uuid.in_(list(ids))))
            ).all()
            bodies = await render_many(View(self.session, self.urls, today()), types)
            return {ids[t.uuid]: body for t, body in zip(types, bodies, strict=True)}
        if kind == "informatieobject":
            ids = self._uuids("documenten", documenten.RESOURCE, wanted)
            if not ids:
                return {}
            rows = (
                await self.session.execute(
                    documenten.latest().where(Document.uuid.in_(list(ids)), documenten.read_filter(self.auth))
                )
            ).all()
            parts = await documenten.parts_of(self.session, [doc.uuid for doc, _ in rows])
            return {
                ids[doc.uuid]: documenten.to_dict(doc, v, parts.get(doc.uuid, []), self.urls)
                for doc, v in rows
            }
        if kind == "besluit":
            ids = self._uuids(service.API, "besluiten", wanted)
            if not ids:
                return {}
            besluiten = (
                await self.session.scalars(
                    select(Besluit).where(Besluit.uuid.in_(list(ids)), service.read_filter(self.auth))
                )
            ).all()
            return {ids[b.uuid]: service.to_dict(b, self.urls) for b in besluiten}
        raise AssertionError(f"no loader for {kind}")  # pragma: no cover - FIELDS names every kind


async def apply(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, kind: str, bodies: list[dict[str, Any]], tree: Tree
) -> None:
    if tree and bodies:
        await Expander(session, auth, urls).level(kind, bodies, tree)
