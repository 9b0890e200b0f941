"""Audit log: who produced which document, when, with the template and data hashes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add nhat_ky."""
    op.create_table(
        "nhat_ky",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("luc", sa.DateTime, server_default=sa.func.now(), nullable=False, index=True),
        sa.Column("nguoi", sa.String(80), nullable=False),
        sa.Column("hanh_dong", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("van_ban_id", sa.Integer, index=True),
        sa.Column("phien_ban", sa.Integer),
        sa.Column("ma_mau", sa.String(64), nullable=False),
        sa.Column("ma_du_lieu", sa.String(64), nullable=False),
        sa.Column("chi_tiet", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    """Drop nhat_ky."""
    op.drop_table("nhat_ky")
