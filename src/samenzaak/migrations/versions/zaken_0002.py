"""Zaken list indexes serve the filter and the list order (issue 9)

GET /zaken?zaaktype=… orders by aangemaakt DESC, uuid DESC; with the order in the index the
first page, the exact count and the keys of a deep page are index-only scans instead of a
sort of every matching zaak. The authorisation clause's columns come last so they are tested
in the index too.

Revision ID: zaken_0002
Revises: zaken_0001
"""

from __future__ import annotations

from alembic import op

revision = "zaken_0002"
down_revision = "zaken_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zrc_zaken", schema=None) as batch_op:
        batch_op.drop_index("ix_zrc_zaken_aangemaakt")
        batch_op.create_index(
            "ix_zrc_zaken_aangemaakt",
            ["tenant_id", "aangemaakt", "uuid", "zaaktype_uuid", "vertrouwelijkheidaanduiding"],
            unique=False,
        )
        batch_op.drop_index("ix_zrc_zaken_zaaktype")
        batch_op.create_index(
            "ix_zrc_zaken_zaaktype",
            ["tenant_id", "zaaktype_uuid", "aangemaakt", "uuid", "vertrouwelijkheidaanduiding"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("zrc_zaken", schema=None) as batch_op:
        batch_op.drop_index("ix_zrc_zaken_zaaktype")
        batch_op.create_index(
            "ix_zrc_zaken_zaaktype",
            ["tenant_id", "zaaktype_uuid", "vertrouwelijkheidaanduiding"],
            unique=False,
        )
        batch_op.drop_index("ix_zrc_zaken_aangemaakt")
        batch_op.create_index("ix_zrc_zaken_aangemaakt", ["tenant_id", "aangemaakt"], unique=False)
