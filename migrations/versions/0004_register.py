"""Sổ văn bản đi as offices keep it: a year's first number and closing, cancelled numbers, NĐ 30 Phụ lục IV columns.

Revision ID: 0004
Revises: 0003

Existing counters start at 01 and stay open; existing register lines keep their numbers, with the new
columns blank.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _bo_dem() -> list[sa.Column]:
    """Return the new columns of bo_dem (fresh objects: a Column belongs to one table)."""
    return [
        sa.Column("so_bat_dau", sa.Integer, nullable=False, server_default="1"),
        sa.Column("khoa_luc", sa.DateTime),
        sa.Column("khoa_boi", sa.String(80), nullable=False, server_default=""),
    ]


def _so_di() -> list[sa.Column]:
    """Return the new columns of so_di."""
    return [
        sa.Column("ngay", sa.Date),
        sa.Column("nguoi_ky", sa.String(300), nullable=False, server_default=""),
        sa.Column("noi_nhan", sa.Text, nullable=False, server_default=""),
        sa.Column("ban_luu", sa.String(200), nullable=False, server_default=""),
        sa.Column("so_luong_ban", sa.Integer),
        sa.Column("ngay_chuyen", sa.Date),
        sa.Column("ky_nhan", sa.String(200), nullable=False, server_default=""),
        sa.Column("ghi_chu", sa.String(500), nullable=False, server_default=""),
        sa.Column("huy_luc", sa.DateTime),
        sa.Column("huy_boi", sa.String(80), nullable=False, server_default=""),
        sa.Column("ly_do_huy", sa.String(300), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    """Add the year's settings to bo_dem and the Phụ lục IV columns and cancellation to so_di."""
    for table, columns in (("bo_dem", _bo_dem()), ("so_di", _so_di())):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(column)


def downgrade() -> None:
    """Drop the columns added by upgrade."""
    for table, columns in (("so_di", _so_di()), ("bo_dem", _bo_dem())):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column.name)
