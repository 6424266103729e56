"""Routes of the Referentielijsten API (mounted by samenzaak.app at its API root)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
