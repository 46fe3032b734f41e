"""report.view_id (a resubmitted view is the same case) and report.alert_delay_notice;
messages earlier versions marked failed for good are queued again (issue 10: a refusal that
has since been fixed, such as an archived channel or a token being rotated, lost them)

Revision ID: 0003_i10
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_i10"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("view_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("alert_delay_notice", sa.String(length=8), nullable=False, server_default="")
        )
        batch.create_unique_constraint("uq_report_view_id", ["view_id"])
    op.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, last_error = 'requeued' "
        "WHERE status = 'failed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_constraint("uq_report_view_id", type_="unique")
        batch.drop_column("alert_delay_notice")
        batch.drop_column("view_id")
