"""indexes for the weekly digest

The digest counts events by when they happened (acknowledged, escalated, check-in answered)
and open cases at a moment; without these each figure scans every report.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("report", "ix_report_acknowledged_at", ["acknowledged_at"]),
    ("report", "ix_report_escalated_at", ["escalated_at"]),
    # Open at a moment = not resolved by then: NULLs and later times are both one range here.
    ("report", "ix_report_resolved_created", ["resolved_at", "created_at"]),
    ("followup", "ix_followup_responded_at", ["responded_at"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
