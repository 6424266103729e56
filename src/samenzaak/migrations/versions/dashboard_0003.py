"""Drop the dashboard's indexes on the zaken tables that its summary replaced (issue 9)

Since dashboard_0002 the indicators read ``dashboard_tellingen`` and
``dashboard_zaakfeiten``; the covering indexes on ``zrc_zaken`` and ``zrc_statussen`` for
the old per-zaak queries went unused (0 scans under the benchmark at 1,000,000 zaken) and
cost every write: 340 MB, three index entries per new zaak, one per status. The open-zaken
index stays for the law-change impact, without its INCLUDE columns: ``status_uuid`` among
them made every new status's update of its zaak write a new entry in all the table's
indexes instead of a HOT update.

Revision ID: dashboard_0003
Revises: dashboard_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "dashboard_0003"
down_revision = "dashboard_0002"
branch_labels = None
depends_on = None


# Plain index statements, not batch mode: on SQLite a batch may rebuild the table, which
# would drop the triggers on zrc_zaken (zaken_0003).


def upgrade() -> None:
    op.drop_index("ix_dashboard_statussen_verloop", table_name="zrc_statussen")
    op.drop_index("ix_dashboard_zaken_eind", table_name="zrc_zaken")
    op.drop_index("ix_dashboard_zaken_start", table_name="zrc_zaken")
    op.drop_index("ix_dashboard_zaken_open", table_name="zrc_zaken")
    op.create_index(
        "ix_dashboard_zaken_open",
        "zrc_zaken",
        ["tenant_id", "zaaktype_uuid", "startdatum"],
        unique=False,
        postgresql_where=sa.text("einddatum IS NULL"),
        sqlite_where=sa.text("einddatum IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_dashboard_zaken_open", table_name="zrc_zaken")
    op.create_index(
        "ix_dashboard_zaken_open",
        "zrc_zaken",
        ["tenant_id", "zaaktype_uuid", "startdatum"],
        unique=False,
        postgresql_include=[
            "bronorganisatie",
            "einddatum_gepland",
            "uiterlijke_einddatum_afdoening",
            "status_uuid",
            "identificatie",
            "uuid",
            "verlenging",
            "opschorting",
        ],
        postgresql_where=sa.text("einddatum IS NULL"),
        sqlite_where=sa.text("einddatum IS NULL"),
    )
    op.create_index(
        "ix_dashboard_zaken_start",
        "zrc_zaken",
        ["tenant_id", "startdatum", "zaaktype_uuid", "bronorganisatie", "communicatiekanaal"],
        unique=False,
    )
    op.create_index(
        "ix_dashboard_zaken_eind",
        "zrc_zaken",
        ["tenant_id", "einddatum", "zaaktype_uuid", "bronorganisatie", "startdatum"],
        unique=False,
    )
    op.create_index(
        "ix_dashboard_statussen_verloop",
        "zrc_statussen",
        ["zaak_uuid", "datum_status_gezet", "statustype_uuid"],
        unique=False,
    )
