"""Heading numbers of NĐ 30 structure (b): I., 1., a)."""

from __future__ import annotations

from functools import cache

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)
# The Vietnamese alphabet as the decree numbers điểm: a) b) c) d) đ) e) g) … (no f, j, w, z).
_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@cache
def roman(number: int) -> str:
    """Return `number` (1–3999) in Roman numerals."""
    if not 0 < number < 4000:
        raise ValueError(f"roman numerals cover 1 to 3999, got {number}")
    out = []
    for value, symbol in _ROMAN:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)


def letter(index: int) -> str:
    """Return the điểm letter for a 1-based position: 1 -> "a", 5 -> "đ", 24 -> "aa"."""
    if index < 1:
        raise ValueError(f"positions start at 1, got {index}")
    count = len(_LETTERS)
    prefix = _LETTERS[(index - 1) // count - 1] if index > count else ""
    return prefix + _LETTERS[(index - 1) % count]


_ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")


def ordinal(number: int) -> str:
    """Return the ordinal word of a Phần: 1 -> "thứ nhất", 4 -> "thứ tư", 11 -> "thứ 11"."""
    if number < 1:
        raise ValueError(f"positions start at 1, got {number}")
    return f"thứ {_ORDINALS[number - 1]}" if number <= len(_ORDINALS) else f"thứ {number}"


def so_thu_tu(number: int) -> str:
    """Return a document number as NĐ 30 Điều 15 writes it: 1 -> "01", 123 -> "123"."""
    return f"{number:02d}"
