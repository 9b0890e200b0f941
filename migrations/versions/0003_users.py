"""Accounts: who signs in, with a hashed password and a role.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add nguoi_dung."""
    op.create_table(
        "nguoi_dung",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ten_dang_nhap", sa.String(40), nullable=False, unique=True),
        sa.Column("ho_ten", sa.String(80), nullable=False),
        sa.Column("mat_khau", sa.String(200), nullable=False),
        sa.Column("vai_tro", sa.String(20), nullable=False),
        sa.Column("hoat_dong", sa.Boolean, nullable=False),
        sa.Column("tao_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    """Drop nguoi_dung."""
    op.drop_table("nguoi_dung")
