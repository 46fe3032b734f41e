"""customer key: encrypted as typed, and its keyed hash for linking reports

Revision ID: 0005_i13
Revises: 0004_i12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0005_i13"
down_revision: str | None = "0004_i12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("customer_key_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("customer_key_hash", AutoString(length=64), nullable=True))
    op.create_index("ix_report_customer_key_hash", "report", ["customer_key_hash"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_report_customer_key_hash", table_name="report")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("customer_key_hash")
        batch.drop_column("customer_key_enc")
