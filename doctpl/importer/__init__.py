"""Mở từ tệp Word: a .docx typed by hand read back as one kind's data, for the CLI, the API and the form.

    imported = import_docx("ke_hoach", content, "ke-hoach-2021.docx")
    imported.data        # the kind's raw data, as the form and the API take it
    imported.unplaced    # every paragraph not placed, with its number and where it stands
    imported.errors      # what the form still asks for (a field the file lacks)

The file is read through doctpl.check.reader, so an upload is refused exactly as the checker refuses it (too
large, a zip bomb, not a .docx) with a Vietnamese message. Modules: word (reading, text boxes, Word's
numbering), text (lines and emphasis as markup), patterns (what typed lines mean), header, closing, tree (the
body), tables, tokens (anniversaries, Can Chi, the year), document (the parts), mapping (one kind's data).
"""

from __future__ import annotations

from doctpl import limits
from doctpl.errors import ValidationError
from doctpl.importer import document, mapping
from doctpl.importer.result import Imported, Unplaced
from doctpl.importer.word import Source
from doctpl.kind import Kind, get_kind, kinds
from doctpl.vn.text import fold

__all__ = ["Imported", "Unplaced", "guess_kind", "import_docx"]


def import_docx(kind_id: str, content: bytes, name: str = "văn bản") -> Imported:
    """Return the data of kind `kind_id` read from a .docx, what could not be placed, and the form's errors.

    Raises UnknownKind for a kind that does not exist, TooLarge or UnreadableDocx for a file refused.
    """
    kind = get_kind(kind_id)
    try:
        parsed = document.parse(Source(content, name))
    finally:  # the reader's trees are gone by now: their memory can go back
        limits.release_memory()
    data, unplaced = mapping.data_for(kind, parsed)
    try:
        _, errors = kind.draft(data)
    except ValidationError as error:  # over the size of one document
        errors = error.errors()
    ordered = sorted({(u.doan, u.noi, u.van_ban): u for u in parsed.unplaced + unplaced}.values(),
                     key=lambda u: u.doan)
    return Imported(kind.id, data, ordered, errors)


def guess_kind(content: bytes, name: str = "văn bản") -> str | None:
    """Return the kind a .docx most likely is, by its tên loại and the words of its trích yếu («Sơ kết …»), or None."""
    try:
        parsed = document.parse(Source(content, name))
    finally:
        limits.release_memory()
    typed = fold(parsed.ten_loai)
    summary = set(fold(parsed.trich_yeu).split())
    candidates = [kind for kind in kinds() if fold(kind.ten_loai) == typed]

    def score(kind: Kind) -> int:  # the words of the kind's title after its tên loại, found in the trích yếu
        return sum(word in summary for word in fold(kind.title).split()[len(typed.split()):])

    return max(candidates, key=score).id if candidates else None
