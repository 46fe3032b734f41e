"""home_visit: who opened the app's Home lately, and which queue page they read

Revision ID: 0004_i12
Revises: 0003_i10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_i12"
down_revision: str | None = "0003_i10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "home_visit",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supervisor", sa.Boolean(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index("ix_home_visit_opened_at", "home_visit", ["opened_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_home_visit_opened_at", table_name="home_visit")
    op.drop_table("home_visit")
