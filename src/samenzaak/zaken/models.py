"""Tables of the Zaken API."""

from __future__ import annotations
