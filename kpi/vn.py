"""Vietnamese text and numbers: cleaning, matching keys, parsing and showing numbers and dates.

Rules (design.md, "Numbers and text"; indicators-2024.md, "Reading numbers the way the plan
writes them"):

* Text is cleaned (:func:`clean_text`) then compared through :func:`match_key` (NFC, case folded,
  tone marks placed canonically so "Hưng Hóa" = "Hưng Hoá" and "Thủy" = "Thuỷ"). The
  diacritic-insensitive :func:`fold` ("hung hoa", đ→d) is a fallback that callers warn about.
* Numbers written as text follow one documented rule per column (:func:`column_convention`):
  Vietnamese writing uses "," for decimals and "." or a space for thousands ("3.300,9" = 3300.9).
  A number with one "." followed by exactly three digits ("1.234") is *ambiguous*: it is read
  the column's way (Vietnamese thousands unless the column shows English decimals elsewhere)
  and reported as ambiguous so the caller can list it.
* "-", "", "x", "…" and the like mean *no figure*, never zero (:data:`NO_FIGURE`).
* Numbers are shown vi-VN whatever the browser's language, through Babel
  (:func:`format_number`: "3.300,9"; :func:`format_pct`: "72,89 %").
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from kpi.config import data_file
from kpi.errors import NumberFormatError

__all__ = [
    "NO_FIGURE",
    "clean_text",
    "match_key",
    "fold",
    "ParsedNumber",
    "parse_number",
    "column_convention",
    "to_decimal",
    "round_half_up",
    "decimals_of",
    "format_number",
    "format_pct",
    "is_count",
    "figure_decimals",
    "format_figure",
    "format_date",
    "parse_date",
    "ParsedDate",
    "roman_to_int",
    "int_to_roman",
    "quarter_words",
    "period_words",
    "short_number",
    "format_bytes",
]

_LOCALE = "vi_VN"

#: Cell texts (after :func:`fold`) that mean "no figure", never zero.
NO_FIGURE = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "x",
        "...",
        "..",
        "…",
        "n/a",
        "na",
        "k/c",
        "kc",
        "/",
        "chua co",
        "chua co so lieu",
        "chua co sl",
        "khong co so lieu",
        "danh gia cuoi nam",
        "chua danh gia",
    }
)

# Characters that are never content: zero-width spaces and joiners, BOM, soft hyphen, NUL.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"), None)
# Spaces of every width become a plain space (NBSP, narrow NBSP, thin space, ideographic...).
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# OOXML escapes of control characters that some writers leave in strings: _x000D_, _x000A_ ...
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"})

# Tone marks (combining): grave, acute, tilde, hook above, dot below.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


def _unescape_ooxml(match: re.Match) -> str:
    return chr(int(match.group(1), 16))


def clean_text(value: object) -> str:
    """Return ``value`` as clean NFC text: one line, single spaces, no invisible characters.

    Memoized for strings (reports repeat the same labels; the work is pure).

    Removes zero-width spaces, BOM, soft hyphens and NUL bytes; turns ``_x000D_``-style OOXML
    escapes, line breaks and every kind of space (NBSP included) into one space; turns en/em
    dashes and the minus sign into "-"; strips the ends. ``None`` gives ``""``.

    >>> clean_text("\\ufeffĐơn vị\\ntính\\u00a0")
    'Đơn vị tính'
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value)
    return _clean(str(value))


@lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(_unescape_ooxml, text)
    text = text.translate(_INVISIBLE).translate(_DASHES)
    text = _SPACES.sub(" ", text).strip()
    return unicodedata.normalize("NFC", text)


def _tone_canonical(word: str) -> str:
    """One word with its tone mark moved to the end (old and new tone placement compare equal)."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    base = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)) + tone


@lru_cache(maxsize=65536)
def _match_key(text: str) -> str:
    text = clean_text(text).casefold()
    return " ".join(_tone_canonical(w) for w in text.split(" ")) if text else ""


def match_key(value: object) -> str:
    """The key two spellings of one name share: cleaned, case folded, tone placement canonical.

    "Thị trấn Hưng Hoá" and "THỊ TRẤN HƯNG HÓA" give the same key; "Hung Hoa" does not (use
    :func:`fold` for that, and warn).
    """
    return _match_key(value if isinstance(value, str) else clean_text(value))


def fold(value: object) -> str:
    """Cleaned, case folded text without any diacritics (đ→d): the loosest comparison.

    >>> fold("Đơn vị tính")
    'don vi tinh'
    """
    return _fold(value if isinstance(value, str) else clean_text(value))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = clean_text(text).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a cell.

    :ivar value: the number as written (a percent text "72,89%" gives 72.89), or ``None`` for
        "no figure".
    :ivar percent: the text carried a "%" sign.
    :ivar ambiguous: the text could be read two ways ("1.234"); ``value`` follows the column's rule.
    """

    value: Decimal | None
    percent: bool = False
    ambiguous: bool = False


_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,]+$")
_GROUPED_DOT = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # 1.234 / 1.234.567
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(,\d{3})+$")  # 1,234 / 1,234,567
_VI_FULL = re.compile(r"^([1-9]\d{0,2}(\.\d{3})+|\d+),\d+$")  # 3.300,9 / 72,89
_EN_FULL = re.compile(r"^([1-9]\d{0,2}(,\d{3})+|\d+)\.\d+$")  # 1,234.5 / 72.89
_SPACE_GROUPS = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$")


def _number_shape(core: str) -> str:
    """Classify a digits-and-separators string: 'vi', 'en', 'ambiguous_dot', 'ambiguous_comma',
    'plain' (no separator or unambiguous either way) or 'bad'."""
    if core.isdigit():
        return "plain"
    if _GROUPED_DOT.match(core):
        return "ambiguous_dot" if core.count(".") == 1 else "vi"
    if _GROUPED_COMMA.match(core):
        return "ambiguous_comma" if core.count(",") == 1 else "en"
    if _VI_FULL.match(core):
        return "vi"
    if _EN_FULL.match(core):
        return "en"
    return "bad"


def column_convention(texts: list[str]) -> tuple[str, bool]:
    """Decide how a column writes numbers as text: ``("vi" | "en", evidence)``.

    Evidence is taken from the texts that can be read only one way: "3.300,9", "72,89",
    "1.234.567" say ``vi``; "72.89", "1,234.5", "1,234,567" say ``en``. A column with no evidence,
    or with evidence both ways, follows the Vietnamese rule (``vi``) and ``evidence`` is False:
    its ambiguous cells ("1.234") must then be listed for the user to check.
    """
    vi = en = 0
    for raw in texts:
        core = _strip_number(raw)[0]
        if core is None:
            continue
        shape = _number_shape(core)
        if shape == "vi":
            vi += 1
        elif shape == "en":
            en += 1
    if en and not vi:
        return "en", True
    return "vi", bool(vi) and not en


def _strip_number(text: str) -> tuple[str | None, bool, bool]:
    """Return (digits-and-separators core, percent, negative) or (None, ...) if not number-like."""
    s = clean_text(text)
    percent = False
    if s.endswith("%"):
        percent = True
        s = s[:-1].rstrip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith(("-", "+")):
        negative = s[0] == "-"
        s = s[1:].strip()
    if _SPACE_GROUPS.match(s):
        s = s.replace(" ", "")
    if not s or not _NUMBER_CHARS.match(s):
        return None, percent, negative
    return s, percent, negative


def parse_number(text: object, convention: str = "vi") -> ParsedNumber:
    """Read one cell's text as a number, the Vietnamese way unless the column says otherwise.

    :param text: the cell's text ("3.300,9", "72,89%", " 980 ", "1.250", "(5)", "-").
    :param convention: the column's rule from :func:`column_convention` (``"vi"`` or ``"en"``).
    :returns: a :class:`ParsedNumber`; ``value`` is ``None`` for the no-figure marks of
        :data:`NO_FIGURE`.
    :raises NumberFormatError: the text is not a number ("abc", "12 tỷ", "1,2,3.4,5").

    >>> parse_number("3.300,9").value
    Decimal('3300.9')
    >>> parse_number("1.234").ambiguous
    True
    """
    raw = clean_text(text)
    if fold(raw) in NO_FIGURE:
        return ParsedNumber(None)
    core, percent, negative = _strip_number(raw)
    if core is None:
        raise NumberFormatError(raw)
    shape = _number_shape(core)
    ambiguous = False
    if shape == "plain":
        digits = core
    elif shape == "vi":
        digits = core.replace(".", "").replace(",", ".")
    elif shape == "en":
        digits = core.replace(",", "")
    elif shape == "ambiguous_dot":  # "1.234": thousands (vi) or decimal (en)
        ambiguous = True
        digits = core.replace(".", "") if convention == "vi" else core
    elif shape == "ambiguous_comma":  # "1,234": decimal (vi) or thousands (en)
        ambiguous = True
        digits = core.replace(",", ".") if convention == "vi" else core.replace(",", "")
    else:
        raise NumberFormatError(raw)
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the shapes above
        raise NumberFormatError(raw) from exc
    return ParsedNumber(value.copy_negate() if negative else value, percent, ambiguous)  # exact at any length


def to_decimal(value: object) -> Decimal:
    """A float/int as the Decimal it was written as (shortest repr: 0.0017 → Decimal('0.0017')).

    Scaling percent fractions and unit factors in Decimal keeps 0.0017 × 100 = 0.17 exact.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    return Decimal(str(value))


def round_half_up(value: float | Decimal, decimals: int) -> Decimal:
    """Round half-up (not banker's rounding) in decimal arithmetic: 15.765 → 15.77."""
    number = to_decimal(value)
    if not number.is_finite():
        return number
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext() as ctx:  # quantize needs every digit: 1e31 has more than the default 28
        ctx.prec = max(ctx.prec, number.adjusted() + decimals + 2)
        return number.quantize(quantum, rounding=ROUND_HALF_UP)


def decimals_of(text: str) -> int:
    """Decimals a target is written with: "3300.9" → 1, "805" → 0, "0.17" → 2, "72,89" → 2."""
    s = clean_text(text).replace(",", ".")
    if "." not in s:
        return 0
    return len(s.rsplit(".", 1)[1].rstrip("%").strip())


def format_number(value: float | Decimal | None, decimals: int | None = None) -> str:
    """Show a number vi-VN (Babel, locale ``vi_VN``): 3300.9 → "3.300,9"; ``None`` or NaN → "–".

    Any magnitude is shown in full (1e31 → 32 digits): Babel quantizes in the current decimal
    context, whose default 28 digits would raise ``InvalidOperation``, and with its rounding,
    which is set to half-up here so the shown figure agrees with :func:`round_half_up` (15,765 →
    15,77; Python's default is banker's rounding).

    :param decimals: fixed decimals; ``None`` shows up to 2 decimals without trailing zeros.
    """
    if value is None:
        return "–"
    number = to_decimal(value)
    if number.is_nan():
        return "–"
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP  # Babel quantizes in this context: 15,765 → 15,77 like round_half_up
        if number.is_finite():
            ctx.prec = max(ctx.prec, number.adjusted() + (decimals or 2) + 2)
        return _number_pattern(decimals).apply(number, _vi_locale())


@cache
def _vi_locale() -> Locale:
    return Locale.parse(_LOCALE)


@cache
def _number_pattern(decimals: int | None) -> NumberPattern:
    """Babel's parsed pattern for ``decimals`` (what ``format_decimal`` parses on every call: a
    page of figures formatted 3× faster): ``None`` up to 2 decimals, else exactly that many."""
    if decimals is None:
        return parse_pattern("#,##0.##")
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def format_pct(value: float | Decimal | None, decimals: int = 2) -> str:
    """A percentage (0–100 scale) shown vi-VN with a space before the sign: "72,89 %". A value
    that is not exactly 100 is never written "100,00 %": it gets the decimals that tell it apart
    (:func:`distinct_decimals`; 99,996 % beside "Không đạt")."""
    if value is None:
        return "–"
    try:
        if not _is_nan(value):
            decimals = distinct_decimals(value, 100, decimals)
    except (TypeError, ValueError):
        pass
    return f"{format_number(value, decimals)} %"


def _is_nan(value: object) -> bool:
    """NaN (float or Decimal; the one value unequal to itself) without importing pandas."""
    return value != value


def is_count(unit: str | None, decimals: int | None = 0) -> bool:
    """Whether ``unit`` counts whole things: a count unit of ``data/output.toml`` ([figures]), or
    several joined by «,»/«và» («tập thể, cá nhân»); never a unit per something («bác sỹ/vạn dân»)
    or a percentage, nor with a target of ``decimals`` > 0 (a plan's «10,4 bác sỹ» is an average)."""
    text = clean_text(unit or "").lower()
    if not text or "/" in text or "%" in text or decimals:
        return False
    return all(part in _count_units() for part in re.split(r"\s*,\s*|\s+và\s+", text))


@cache
def _count_units() -> frozenset[str]:
    table = tomllib.loads(data_file(None, "output.toml").read_text(encoding="utf-8"))
    return frozenset(clean_text(w).lower() for w in table["figures"]["count_units"])


def figure_decimals(unit: str | None, decimals: int | None) -> int:
    """The decimals every output writes an indicator's figure with (issue 14, "one formatter"): a
    count none (:func:`is_count`), a measured figure max(1, its target's decimals) — 566,5 and
    805,0 tỷ đồng; 33,8 %; 72,50 %. ``decimals`` is the target's (:attr:`kpi.domain.plan.Indicator.decimals`)."""
    try:
        places = max(0, int(decimals or 0))
    except (TypeError, ValueError):  # a missing or unreadable one (NaN)
        places = 0
    return 0 if is_count(unit, places) else max(1, places)


def format_figure(
    value: float | Decimal | None, unit: str | None, decimals: int | None, shown: int | None = None
) -> str:
    """An indicator's figure (actual, estimate, projection, last year's, a unit's) as every
    screen, chart, annex, slide, print view and the command line write it: vi-VN with
    :func:`figure_decimals` decimals — or ``shown`` when more (the report table's
    ``shown_decimals``: a judged figure that would read as equal to its target, :func:`distinct_decimals`)
    —, no unit; ``None``/NaN → "–". Percentages of plan (% KH) are :func:`format_pct` (two
    decimals), targets :func:`format_number` in their own decimals."""
    places = figure_decimals(unit, decimals)
    if shown is not None and not _is_nan(shown):
        places = max(places, int(shown))
    return format_number(value, places)


def distinct_decimals(value: object, other: object, decimals: int, most: int = 6) -> int:
    """The decimals to write ``value`` with so that it does not read as ``other`` when it is not:
    ``decimals``, or the fewest more (at most ``most``) at which the two, rounded half-up,
    differ. The comparison of a figure with its target is exact (design.md, changed December
    2026), so 99,996 against a target of 100 is "Không đạt": written 100,0 beside that word it would
    contradict it; written 99,996 it does not (issue 14, a black-box finding)."""
    if value is None or other is None:
        return decimals
    try:
        a, b = to_decimal(value), to_decimal(other)
    except (TypeError, ValueError, ArithmeticError):
        return decimals
    if not (a.is_finite() and b.is_finite()) or a == b:
        return decimals
    places = decimals
    while places < most and round_half_up(a, places) == round_half_up(b, places):
        places += 1
    return places


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, the way Vietnamese documents write dates; ``None`` → ""."""
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class ParsedDate:
    """A date read from a cell: ``ambiguous`` when day and month could be swapped (03/04/2024)."""

    value: dt.date
    ambiguous: bool = False


_DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)


def parse_date(value: object, date1904: bool = False) -> ParsedDate | None:
    """Read a date the way Vietnamese clerks write it: day first.

    Accepts date/datetime cells, Excel serial numbers (1900 or 1904 system), "31/03/2024",
    "31-3-2024", "31.3.2024", "2024-03-31" and "ngày 05 tháng 4 năm 2024". Returns ``None``
    for an empty cell.

    :raises NumberFormatError: the value is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date())
    if isinstance(value, dt.date):
        return ParsedDate(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH_1900
            return ParsedDate(epoch + dt.timedelta(days=int(value)))
        raise NumberFormatError(str(value), f"«{value}» không phải là ngày tháng.")
    text = clean_text(value)
    if not text:
        return None
    m = _DATE_ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return _make_date(text, y, mo, d, False)
    m = _DATE_DMY.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000
        return _make_date(text, y, mo, d, d <= 12 and mo <= 12 and d != mo)
    m = _DATE_WORDS.search(fold(text))
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return _make_date(text, y, mo, d, False)
    # A serial number typed as text ("45382").
    if re.fullmatch(r"[0-9]{5}", text) and 20000 < int(text) < 80000:
        return parse_date(int(text), date1904)
    raise NumberFormatError(text, f"«{text}» không phải là ngày tháng (hãy viết ngày/tháng/năm).")


def _make_date(text: str, y: int, mo: int, d: int, ambiguous: bool) -> ParsedDate:
    try:
        return ParsedDate(dt.date(y, mo, d), ambiguous)
    except ValueError as exc:
        raise NumberFormatError(text, f"«{text}» không phải là một ngày có thật.") from exc


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def roman_to_int(text: str) -> int | None:
    """I–X as numbers (section rows, "Quý III"); anything else → ``None``."""
    return _ROMAN.get(fold(text).strip(". "))


def int_to_roman(number: int) -> str:
    """1–10 as upper-case Roman numerals ("Quý III")."""
    for roman, value in _ROMAN.items():
        if value == number:
            return roman.upper()
    raise ValueError(number)


def quarter_words(year: int, quarter: int | None) -> str:
    """A quarter as people write it: (2024, 3) → "Quý III/2024"; without a quarter "Năm 2024"."""
    try:
        number = int(quarter)  # None, NaN or pandas' NA: a register has no quarter
    except (TypeError, ValueError):
        return f"Năm {int(year)}"
    return f"Quý {int_to_roman(number)}/{int(year)}"


_PERIOD_LABEL = re.compile(r"(\d{4})(?:-Q([1-4]))?")


def period_words(period: object) -> str:
    """A stored period label in words: "2024-Q3" → "Quý III/2024", "2024" → "Năm 2024"; ``None``,
    NaN or "" → "" (an award row has no period); anything else is returned as it is."""
    if period is None or (isinstance(period, float) and period != period):
        return ""
    text = str(period).strip()
    m = _PERIOD_LABEL.fullmatch(text)
    if m is None:
        return text
    return quarter_words(int(m.group(1)), int(m.group(2)) if m.group(2) else None)


#: Digits of the integer part above which :func:`short_number` shortens a figure.
MAX_SHOWN_DIGITS = 18


def short_number(value: object, max_digits: int = MAX_SHOWN_DIGITS) -> str:
    """A figure for a message: vi-VN (:func:`format_number`) when its integer part has at most
    ``max_digits`` digits, else in scientific form with four significant digits ("1,798 × 10^308"):
    a message never carries a 309-digit number. Infinity and NaN are named in words.

    >>> short_number(3300.9)
    '3.300,9'
    >>> short_number(Decimal(10) ** 30)
    '1 × 10^30'
    >>> short_number(0.0015)
    '0,0015'
    """
    if value is None:
        return "–"
    number = to_decimal(value)
    if number.is_nan():
        return "không phải số"
    if number.is_infinite():
        return "vô cùng lớn" if number > 0 else "âm vô cùng lớn"
    if number.is_zero() or number.adjusted() < max_digits:
        # every decimal the figure has, up to six: a message quotes what was written (0,0015 %,
        # 0,928 — black-box: «0 %» and «0,93 %» for them), where the default two would round it away
        places = -number.normalize().as_tuple().exponent
        return format_number(number, min(places, 6)) if places > 2 else format_number(number)
    exponent = number.adjusted()
    return f"{format_number(round_half_up(number.scaleb(-exponent), 3))} × 10^{exponent}"


def format_bytes(size: int) -> str:
    """A size in bytes for a message, in MB with one decimal and in bytes when that rounds the
    difference away: "20,0 MB (20.971.521 byte)". 1 MB = 1 048 576 bytes (what Streamlit and
    :attr:`kpi.config.Settings.max_upload_bytes` count)."""
    mb = format_number(Decimal(size) / 1048576, 1)
    return f"{mb} MB ({format_number(size, 0)} byte)"
