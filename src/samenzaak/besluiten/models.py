"""Tables of the Besluiten API."""

from __future__ import annotations
