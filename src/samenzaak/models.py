"""Every table, imported in one place for Alembic and the schema tests."""

from __future__ import annotations

from samenzaak.autorisaties import models as autorisaties_models
from samenzaak.common import audit, notifications
from samenzaak.db import Base

metadata = Base.metadata

__all__ = ["audit", "autorisaties_models", "metadata", "notifications"]
