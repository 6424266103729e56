"""``Accept-Crs`` / ``Content-Crs`` for resources with geometry (only EPSG:4326 is served)."""

from __future__ import annotations

from samenzaak.common.problems import NotAcceptable, Problem

CRS = "EPSG:4326"


class PreconditionCrs(Problem):
    status = 412
    code = "missing-header"
    title = "Precondition failed."
    type_name = "PreconditionFailed"


def check_accept_crs(value: str | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise PreconditionCrs("The 'Accept-Crs' header is required.")
        return
    if value.strip() != CRS:
        raise NotAcceptable(f"CRS {value!r} is not supported; use {CRS}.", code="unknown-crs")


def check_content_crs(value: str | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise PreconditionCrs("The 'Content-Crs' header is required.")
        return
    if value.strip() != CRS:
        raise Problem(
            f"CRS {value!r} is not supported; use {CRS}.",
            status=415,
            code="unknown-crs",
            title="Unsupported media type.",
        )
