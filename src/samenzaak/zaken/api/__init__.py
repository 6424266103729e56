"""Routes of the Zaken API 1.7.0 (``/zaken/api/v1``)."""

from __future__ import annotations

from fastapi import APIRouter

from samenzaak.zaken.api import children, relations, zaken

router = APIRouter()
router.include_router(zaken.router)
router.include_router(children.router)
router.include_router(relations.router)
