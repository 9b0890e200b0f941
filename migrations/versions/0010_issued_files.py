"""Issued files: the signed scan or the digitally signed PDF (or .docx) of a record, uploaded to it.

Revision ID: 0010
Revises: 0009

A record with a file here counts as «đã ban hành» from the day of its first upload (doctpl/store/issued.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table of issued files."""
    op.create_table(
        "ban_hanh",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("van_ban_id", sa.Integer, sa.ForeignKey("van_ban.id"), nullable=False, index=True),
        sa.Column("ten_tep", sa.String(200), nullable=False),
        sa.Column("loai", sa.String(10), nullable=False),
        sa.Column("kich_thuoc", sa.Integer, nullable=False),
        sa.Column("ma_bam", sa.String(64), nullable=False),
        sa.Column("noi_dung", sa.LargeBinary, nullable=False),
        sa.Column("nguoi_tai", sa.String(80), nullable=False),
        sa.Column("tai_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    """Drop it, with the files it holds."""
    op.drop_table("ban_hanh")
