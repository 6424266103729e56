"""Tables of the Notificaties API."""

from __future__ import annotations
