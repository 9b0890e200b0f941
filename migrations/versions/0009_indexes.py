"""Indexes for work that must not grow with the stored history.

Revision ID: 0009
Revises: 0008

- van_ban (khoi_id, kind, don_vi_id, nam, id): the registry batch and the roll-over take the latest
  record of each unit and kind of a khối in one query (doctpl.store.records.latest);
- van_ban (don_vi_id, kind, nam, id): a unit's own latest record, a unit's list;
- van_ban (nam, id): «Văn bản đã lưu» newest first, 50 rows a page;
- van_ban (tao_tu): the record already rolled from a source;
- nhat_ky (hanh_dong, id), (nguoi, id): the audit log filtered by action or by person, newest first;
- thuoc_tinh (truong): names and ký hiệu looked up across the registry.

The models declare the same indexes (doctpl.store.records.INDEXES), so the schema Alembic builds
matches the models.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_van_ban_khoi_kind_don_vi", "van_ban", ["khoi_id", "kind", "don_vi_id", "nam", "id"]),
    ("ix_van_ban_don_vi_kind", "van_ban", ["don_vi_id", "kind", "nam", "id"]),
    ("ix_van_ban_nam_id", "van_ban", ["nam", "id"]),
    ("ix_van_ban_tao_tu", "van_ban", ["tao_tu"]),
    ("ix_nhat_ky_hanh_dong_id", "nhat_ky", ["hanh_dong", "id"]),
    ("ix_nhat_ky_nguoi_id", "nhat_ky", ["nguoi", "id"]),
    ("ix_thuoc_tinh_truong", "thuoc_tinh", ["truong"]),
)


def upgrade() -> None:
    """Create the indexes."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Drop them."""
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
