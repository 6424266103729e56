"""GeoJSON geometry for ``zaakgeometrie``: shape checks, bounding boxes and ``within``.

No spatial database is assumed: a ``within`` search filters in SQL on the stored bounding
box (indexed), then tests the remaining candidates exactly in Python (ray casting).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
Coord = tuple[float, float]


def geometry_problem(geometry: dict[str, Any]) -> str | None:
    kind = geometry.get("type")
    if kind not in TYPES:
        return f"Onbekend geometrietype {kind!r}."
    if kind == "GeometryCollection":
        parts = geometry.get("geometries")
        if not isinstance(parts, list):
            return "Een GeometryCollection heeft 'geometries' nodig."
        for part in parts:
            problem = geometry_problem(part) if isinstance(part, dict) else "Ongeldige geometrie."
            if problem:
                return problem
        return None
    try:
        points = list(_points(geometry))
    except (TypeError, ValueError, IndexError):
        return "Ongeldige coördinaten."
    return None if points else "Geen coördinaten."


def _points(geometry: dict[str, Any]) -> Iterator[Coord]:
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            yield from _points(part)
        return

    def walk(node: Any) -> Iterator[Coord]:
        if isinstance(node, list | tuple) and node and isinstance(node[0], int | float):
            if len(node) < 2:
                raise ValueError("position needs two numbers")
            yield float(node[0]), float(node[1])
        elif isinstance(node, list | tuple):
            for child in node:
                yield from walk(child)
        else:
            raise TypeError("coordinates must be nested lists of numbers")

    yield from walk(geometry.get("coordinates"))


def bbox(geometry: dict[str, Any] | None) -> tuple[float | None, float | None, float | None, float | None]:
    if not geometry:
        return None, None, None, None
    points = list(_points(geometry))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _rings(geometry: dict[str, Any]) -> list[list[list[Coord]]]:
    """Polygons as lists of rings (outer first)."""
    if geometry.get("type") == "Polygon":
        return [[[(float(x), float(y)) for x, y, *_ in ring] for ring in geometry["coordinates"]]]
    if geometry.get("type") == "MultiPolygon":
        return [
            [[(float(x), float(y)) for x, y, *_ in ring] for ring in poly] for poly in geometry["coordinates"]
        ]
    return []


def _in_ring(point: Coord, ring: list[Coord]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def within(geometry: dict[str, Any], area: dict[str, Any]) -> bool:
    """Whether every position of ``geometry`` lies inside the (multi)polygon ``area``."""
    polygons = _rings(area)
    if not polygons:
        return False

    def inside(point: Coord) -> bool:
        return any(
            _in_ring(point, rings[0]) and not any(_in_ring(point, h) for h in rings[1:]) for rings in polygons
        )

    points = list(_points(geometry))
    return bool(points) and all(inside(p) for p in points)
