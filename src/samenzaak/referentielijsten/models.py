"""Tables of the Referentielijsten API."""

from __future__ import annotations
