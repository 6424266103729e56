"""``expand`` (Zaken 1.6+): related resources of the Zaken and Catalogi APIs inlined under
``_expand``, to any depth (zrc-025..028), and ``fields`` of ``_zoek`` (zrc-029).

Each level of each path costs one query for the whole page (all URLs of that level are
loaded together), so the number of queries depends on the paths asked, never on the
number of zaken or related objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import models as ztc
from samenzaak.catalogi import views as catalogi_views
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken import access
from samenzaak.zaken.models import (
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaakEigenschap,
    ZaakInformatieObject,
    ZaakObject,
)
from samenzaak.zaken.render import (
    Related,
    resultaat_to_dict,
    rol_to_dict,
    status_to_dict,
    zaak_to_dict,
    zaakeigenschap_to_dict,
    zaakobject_to_dict,
    zio_to_dict,
)

Tree = dict[str, "Tree"]

# Per kind of resource: expandable field -> kind of what it points at.
FIELDS: dict[str, dict[str, str]] = {
    "zaak": {
        "zaaktype": "zaaktype",
        "hoofdzaak": "zaak",
        "deelzaken": "zaak",
        "relevanteAndereZaken": "zaak",
        "eigenschappen": "zaakeigenschap",
        "rollen": "rol",
        "status": "status",
        "zaakinformatieobjecten": "zaakinformatieobject",
        "zaakobjecten": "zaakobject",
        "resultaat": "resultaat",
    },
    "status": {"zaak": "zaak", "statustype": "statustype", "zaakinformatieobjecten": "zaakinformatieobject"},
    "rol": {"zaak": "zaak", "roltype": "roltype", "statussen": "status"},
    "resultaat": {"zaak": "zaak", "resultaattype": "resultaattype"},
    "zaakeigenschap": {"zaak": "zaak", "eigenschap": "eigenschap"},
    "zaakinformatieobject": {"zaak": "zaak", "status": "status"},
    "zaakobject": {"zaak": "zaak"},
    "zaaktype": {},
    "statustype": {},
    "roltype": {},
    "resultaattype": {},
    "eigenschap": {},
}
CATALOGI: dict[str, tuple[Any, str]] = {
    "zaaktype": (ztc.ZaakType, "zaaktypen"),
    "statustype": (ztc.StatusType, "statustypen"),
    "roltype": (ztc.RolType, "roltypen"),
    "resultaattype": (ztc.ResultaatType, "resultaattypen"),
    "eigenschap": (ztc.Eigenschap, "eigenschappen"),
}
ZAKEN = {
    "status": (Status, "statussen"),
    "rol": (Rol, "rollen"),
    "resultaat": (Resultaat, "resultaten"),
    "zaakobject": (ZaakObject, "zaakobjecten"),
    "zaakinformatieobject": (ZaakInformatieObject, "zaakinformatieobjecten"),
}


def parse(value: str | None) -> Tree:
    tree: Tree = {}
    for path in (value or "").split(","):
        node = tree
        for part in [p for p in path.strip().split(".") if p]:
            node = node.setdefault(part, {})
    return tree


def _check(kind: str, tree: Tree, prefix: str = "") -> None:
    for name, sub in tree.items():
        target = FIELDS.get(kind, {}).get(name)
        if target is None:
            raise ValidationProblem(
                [InvalidParam("expand", "unknown-expand", f"{prefix}{name} kan niet ge-expand worden.")]
            )
        _check(target, sub, f"{prefix}{name}.")


def _urls_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v["url"] if isinstance(v, dict) else v for v in value if v]
    return []


class Expander:
    def __init__(self, session: AsyncSession, auth: Auth, urls: UrlBuilder) -> None:
        self.session = session
        self.auth = auth
        self.urls = urls

    async def level(self, kind: str, bodies: Sequence[dict[str, Any]], tree: Tree) -> None:
        for name, sub in tree.items():
            target = FIELDS[kind][name]
            wanted = {u for b in bodies for u in _urls_of(b.get(name))}
            loaded = await self.load(target, wanted)
            for body in bodies:
                value = body.get(name)
                expanded = body.setdefault("_expand", {})
                if isinstance(value, list):
                    expanded[name] = [loaded[u] for u in _urls_of(value) if u in loaded]
                else:
                    # EmptyObject ({}) is the spec's answer for a null or unreadable reference.
                    expanded[name] = loaded.get(value, {}) if isinstance(value, str) else {}
            if sub and loaded:
                await self.level(target, list(loaded.values()), sub)

    def _uuids(self, api: str, resource: str, wanted: Iterable[str]) -> dict[uuid.UUID, str]:
        out: dict[uuid.UUID, str] = {}
        for url in wanted:
            pk = self.urls.local_uuid(url, api, resource)
            if pk is not None:
                out[pk] = url
        return out

    async def load(self, kind: str, wanted: set[str]) -> dict[str, dict[str, Any]]:
        if kind == "zaak":
            ids = self._uuids("zaken", "zaken", wanted)
            if not ids:
                return {}
            zaken = (
                await self.session.scalars(
                    select(Zaak).where(Zaak.uuid.in_(list(ids)), access.zaaktype_filter(self.auth, self.urls))
                )
            ).all()
            related = await Related.load(self.session, [z.uuid for z in zaken])
            return {ids[z.uuid]: zaak_to_dict(z, self.urls, related) for z in zaken}
        if kind == "zaakeigenschap":
            by_pk: dict[uuid.UUID, str] = {}
            for url in wanted:
                ref = self.urls.parse(url)
                if (
                    ref
                    and ref.api == "zaken"
                    and ref.resource == "zaken"
                    and ref.rest[:1] == ("zaakeigenschappen",)
                ):
                    try:
                        by_pk[uuid.UUID(ref.rest[1])] = url
                    except (IndexError, ValueError):
                        continue
            rows = await self._rows(ZaakEigenschap, by_pk)
            return {by_pk[r.uuid]: zaakeigenschap_to_dict(r, self.urls) for r, _ in rows}
        if kind in ZAKEN:
            model, resource = ZAKEN[kind]
            ids = self._uuids("zaken", resource, wanted)
            rows = await self._rows(model, ids)
            return {ids[r.uuid]: self._render(kind, r, z) for r, z in rows}
        model, resource = CATALOGI[kind]
        ids = self._uuids("catalogi", resource, wanted)
        if not ids:
            return {}
        types = (await self.session.scalars(select(model).where(model.uuid.in_(list(ids))))).all()
        # The Catalogi API renders its own types, related data in a fixed number of queries.
        view = catalogi_views.View(session=self.session, urls=self.urls, on=catalogi_views.today())
        bodies = await catalogi_views.render_many(view, types)
        return {ids[t.uuid]: body for t, body in zip(types, bodies, strict=True)}

    async def _rows(self, model: Any, ids: dict[uuid.UUID, str]) -> Sequence[Any]:
        """Rows with their zaak, limited to zaken the caller may read."""
        if not ids:
            return []
        return (
            await self.session.execute(
                select(model, Zaak)
                .join(Zaak, Zaak.uuid == model.zaak_uuid)
                .where(model.uuid.in_(list(ids)), access.zaaktype_filter(self.auth, self.urls))
            )
        ).all()

    def _render(self, kind: str, row: Any, zaak: Zaak) -> dict[str, Any]:
        if kind == "status":
            return status_to_dict(row, self.urls, is_current=zaak.status_uuid == row.uuid)
        if kind == "rol":
            return rol_to_dict(row, self.urls)
        if kind == "resultaat":
            return resultaat_to_dict(row, self.urls)
        if kind == "zaakobject":
            return zaakobject_to_dict(row, self.urls)
        return zio_to_dict(row, self.urls)


async def expand_zaken(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    zaken: Sequence[Zaak | Row[Any]],
    bodies: list[dict[str, Any]],
    tree: Tree,
) -> None:
    _check("zaak", tree)
    await Expander(session, auth, urls).level("zaak", bodies, tree)


async def expand_bodies(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, kind: str, bodies: list[dict[str, Any]], tree: Tree
) -> None:
    """expand on a sub-resource (status, rol, resultaat, zaakobject, zaakinformatieobject, ...)."""
    _check(kind, tree)
    await Expander(session, auth, urls).level(kind, bodies, tree)


def paths_of_fields(fields: list[Any], prefix: str = "") -> list[str]:
    """The expand paths a ``fields`` selection implies (its nested objects)."""
    paths: list[str] = []
    for item in fields:
        if isinstance(item, dict):
            for name, sub in item.items():
                if name == "processobject":
                    continue
                paths.append(prefix + name)
                if isinstance(sub, list):
                    paths.extend(paths_of_fields(sub, prefix + name + "."))
    return paths


def select_fields(page: dict[str, Any], fields: list[Any]) -> dict[str, Any]:
    page["results"] = [_select(r, fields) for r in page.get("results", [])]
    return page


def _select(body: Any, fields: list[Any]) -> Any:
    if not isinstance(body, dict) or "*" in fields:
        return body
    out: dict[str, Any] = {}
    expanded = body.get("_expand", {})
    for item in fields:
        if isinstance(item, str):
            if item in body:
                out[item] = body[item]
        elif isinstance(item, dict):
            for name, sub in item.items():
                if name == "processobject":
                    group = body.get("processobject") or {}
                    out[name] = {k: v for k, v in group.items() if k in sub or "*" in sub} if group else group
                    continue
                if name in body:
                    out[name] = body[name]
                value = expanded.get(name)
                sub_fields = sub if isinstance(sub, list) else ["*"]
                selected = (
                    [_select(v, sub_fields) for v in value]
                    if isinstance(value, list)
                    else _select(value, sub_fields)
                )
                out.setdefault("_expand", {})[name] = selected
    return out
