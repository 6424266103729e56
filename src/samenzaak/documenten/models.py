"""Tables of the Documenten API."""

from __future__ import annotations
