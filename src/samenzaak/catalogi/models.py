"""Tables of the Catalogi API."""

from __future__ import annotations
