"""Vietnamese numbers in words, as official documents and money amounts write them.

Inner three-digit groups are read in full ("một nghìn không trăm linh năm"), all-zero groups are
skipped ("một triệu năm trăm"), and the digit words follow usage: mốt, tư, lăm, mười.
num2words is wrong on several of these (thi-dua-domain.md §4.3), hence this module.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group(number: int, *, full: bool, linh: str, tu: bool) -> list[str]:
    """Read 0–999; `full` reads the hundreds and "linh" even when they are zero (an inner group)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += [linh, DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4 and tu:
            words.append("tư")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
    return words


def _read(number: int, *, leading: bool, linh: str, nghin: str, tu: bool) -> list[str]:
    """Read a positive number; past a billion the part above is read first, then "tỷ", then the rest."""
    billions, rest = divmod(number, 10**9)
    words = _read(billions, leading=leading, linh=linh, nghin=nghin, tu=tu) + ["tỷ"] if billions else []
    groups = [rest // 10**6, rest // 1000 % 1000, rest % 1000]
    while groups and not groups[0] and not words:
        groups.pop(0)  # leading zero groups of the number itself are not read
    for index, group in enumerate(groups):
        if group:
            inner = bool(words) or index > 0 or not leading
            words += _group(group, full=inner, linh=linh, tu=tu)
            words += [("triệu", nghin, "")[index + 3 - len(groups)]] if index + 1 < len(groups) else []
    return [word for word in words if word]


def integer_words(number: int, *, linh: str = "linh", nghin: str = "nghìn", tu: bool = True) -> str:
    """Read a whole number: 2021 -> "hai nghìn không trăm hai mươi mốt"; -5 -> "âm năm"."""
    if linh not in ("linh", "lẻ") or nghin not in ("nghìn", "ngàn"):
        raise ValueError(f"linh must be 'linh' or 'lẻ' and nghin 'nghìn' or 'ngàn', got {linh!r}, {nghin!r}")
    if number < 0:
        return "âm " + integer_words(-number, linh=linh, nghin=nghin, tu=tu)
    if number == 0:
        return DIGITS[0]
    return " ".join(_read(number, leading=True, linh=linh, nghin=nghin, tu=tu))


def number_words(value: int | str | Decimal, **options: str | bool) -> str:
    """Read an integer or a decimal ("1,5" or "1.5" -> "một phẩy năm"; "2,05" -> "hai phẩy không năm")."""
    if isinstance(value, int):
        return integer_words(value, **options)  # type: ignore[arg-type]
    text = str(value).strip().replace(",", ".")
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    sign = ""
    if text.startswith("-"):
        sign, text = "âm ", text[1:]
    whole, _, fraction = text.partition(".")
    words = integer_words(int(whole or "0"), **options)  # type: ignore[arg-type]
    fraction = fraction.rstrip("0")
    if fraction:
        zeros = len(fraction) - len(fraction.lstrip("0"))
        tail = " ".join([DIGITS[0]] * zeros + [integer_words(int(fraction), **options)])  # type: ignore[arg-type]
        words += " phẩy " + tail
    return sign + words


def group_digits(number: int) -> str:
    """Write an amount with dots between thousands: 2340000 -> "2.340.000"."""
    return f"{number:,}".replace(",", ".")


def money_words(amount: int, *, chan: bool = False, **options: str | bool) -> str:
    """Return "Hai triệu ba trăm bốn mươi nghìn đồng" (capitalised; "chẵn" appended on request)."""
    words = integer_words(amount, **options) + " đồng" + (" chẵn" if chan else "")  # type: ignore[arg-type]
    return words[0].upper() + words[1:]


def money_text(amount: int, **options: str | bool) -> str:
    """Return "2.340.000 đồng (Hai triệu ba trăm bốn mươi nghìn đồng)"."""
    return f"{group_digits(amount)} đồng ({money_words(amount, **options)})"
