"""The one error hierarchy of doctpl and the one JSON shape every face reports it in."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input: `field` is a dotted path such as "noi_dung.1.khoi.0.van_ban"."""

    field: str
    message: str


class DoctplError(Exception):
    """Root of every error doctpl raises on purpose."""

    status = 400

    def errors(self) -> list[FieldError]:
        """Return the error as field errors, the shape every face shows."""
        return [FieldError("", str(self))]

    def body(self) -> dict[str, list[dict[str, str]]]:
        """Return the JSON body: {"errors": [{"field": …, "message": …}]}."""
        return {"errors": [asdict(error) for error in self.errors()]}


class ValidationError(DoctplError):
    """The data broke one or more rules of its form declaration."""

    status = 422

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.field_errors = errors

    def errors(self) -> list[FieldError]:
        """Return every field error found, not only the first."""
        return list(self.field_errors)


class UnknownKind(DoctplError):
    """No form declaration has this kind id."""

    status = 404

    def __init__(self, kind_id: str):
        super().__init__(f"Không có loại văn bản «{kind_id}».")


class NotFound(DoctplError):
    """No saved record (khối, unit, document, version) with this id."""

    status = 404


class BadInput(DoctplError):
    """The request could not be read at all (malformed JSON, wrong top-level type)."""

    status = 400


class TemplateError(DoctplError):
    """A .docx template could not be rendered; the message says where."""

    status = 500
