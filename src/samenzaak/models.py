"""Every table, imported in one place for Alembic and the schema tests."""

from __future__ import annotations

from samenzaak.autorisaties import models as autorisaties_models
from samenzaak.besluiten import models as besluiten_models
from samenzaak.catalogi import models as catalogi_models
from samenzaak.common import audit, notifications, replica
from samenzaak.db import Base
from samenzaak.documenten import models as documenten_models
from samenzaak.legislation import models as legislation_models
from samenzaak.notificaties import models as notificaties_models
from samenzaak.referentielijsten import models as referentielijsten_models
from samenzaak.zaken import models as zaken_models

metadata = Base.metadata

__all__ = [
    "audit",
    "autorisaties_models",
    "besluiten_models",
    "catalogi_models",
    "documenten_models",
    "legislation_models",
    "metadata",
    "notificaties_models",
    "notifications",
    "referentielijsten_models",
    "replica",
    "zaken_models",
]
