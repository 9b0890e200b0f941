"""Registry of khối and units, saved documents with versions, the number register.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "khoi",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ten", sa.String(150), nullable=False),
        sa.Column("loai", sa.String(10), nullable=False),
        sa.Column("ky_hieu", sa.String(30), nullable=False),
        sa.Column("chu_quan", sa.String(150), nullable=False),
        sa.Column("dia_danh", sa.String(60), nullable=False),
    )
    op.create_table(
        "don_vi",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), nullable=False),
        sa.Column("ten", sa.String(150), nullable=False),
        sa.Column("ten_ngan", sa.String(60), nullable=False),
        sa.Column("ky_hieu", sa.String(30), nullable=False),
        sa.Column("chu_quan", sa.String(150), nullable=False),
        sa.Column("dia_danh", sa.String(60), nullable=False),
        sa.Column("thu_truong", sa.String(80), nullable=False),
        sa.Column("chuc_vu_thu_truong", sa.String(120), nullable=False),
        sa.Column("cap_pho", sa.String(80), nullable=False),
        sa.Column("chuc_vu_cap_pho", sa.String(120), nullable=False),
        sa.Column("thu_tu", sa.Integer, nullable=False),
    )
    op.create_table(
        "vai_tro",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), nullable=False),
        sa.Column("nam", sa.Integer, nullable=False),
        sa.Column("vai_tro", sa.String(20), nullable=False),
        sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id"), nullable=False),
        sa.UniqueConstraint("khoi_id", "nam", "vai_tro"),
    )
    op.create_table(
        "van_ban",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("nam", sa.Integer, nullable=False, index=True),
        sa.Column("khoi_id", sa.Integer, sa.ForeignKey("khoi.id"), index=True),
        sa.Column("don_vi_id", sa.Integer, sa.ForeignKey("don_vi.id"), index=True),
        sa.Column("tieu_de", sa.String(300), nullable=False),
        sa.Column("so", sa.Integer),
        sa.Column("ngay", sa.Date),
        sa.Column("phien_ban", sa.Integer, nullable=False),
        sa.Column("tao_tu", sa.Integer, sa.ForeignKey("van_ban.id")),
        sa.Column("nguoi_tao", sa.String(80), nullable=False),
        sa.Column("tao_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
        sa.Column("sua_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "phien_ban",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("van_ban_id", sa.Integer, sa.ForeignKey("van_ban.id"), nullable=False),
        sa.Column("phien_ban", sa.Integer, nullable=False),
        sa.Column("du_lieu", sa.Text, nullable=False),
        sa.Column("ma_mau", sa.String(64), nullable=False),
        sa.Column("ma_du_lieu", sa.String(64), nullable=False),
        sa.Column("nguoi_luu", sa.String(80), nullable=False),
        sa.Column("luu_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("van_ban_id", "phien_ban"),
    )
    op.create_table(
        "bo_dem",
        sa.Column("co_quan", sa.String(30), primary_key=True),
        sa.Column("nam", sa.Integer, primary_key=True),
        sa.Column("so_cuoi", sa.Integer, nullable=False),
    )
    op.create_table(
        "so_di",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("co_quan", sa.String(30), nullable=False),
        sa.Column("nam", sa.Integer, nullable=False),
        sa.Column("so", sa.Integer, nullable=False),
        sa.Column("ky_hieu", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("trich_yeu", sa.String(300), nullable=False),
        sa.Column("van_ban_id", sa.Integer, sa.ForeignKey("van_ban.id")),
        sa.Column("nguoi_lay", sa.String(80), nullable=False),
        sa.Column("lay_luc", sa.DateTime, server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("co_quan", "nam", "so"),
    )


def downgrade() -> None:
    """Drop the first schema."""
    for table in ("so_di", "bo_dem", "phien_ban", "van_ban", "vai_tro", "don_vi", "khoi"):
        op.drop_table(table)
