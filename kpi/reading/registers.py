"""The two registers: the award register (TD02–TD09, :mod:`kpi.reading.awards`) and the
registration list (TD01, :mod:`kpi.reading.registrations`), both opened by
:mod:`kpi.reading.register_open` (header, columns, title, rows). This module keeps the names its
callers import (``kpi.ingest``, the upload page) and the clerk's view of a register's rows
(:func:`register_preview`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping

import pandas as pd

from kpi.config import data_file
from kpi.domain.award_identity import AwardNaming, award_level, award_naming
from kpi.reading.awards import read_awards
from kpi.reading.messages import phrase
from kpi.reading.register_open import AWARD_COLUMNS, REGISTRATION_COLUMNS, RegisterRead, find_register
from kpi.reading.registrations import document_parts, read_registrations

__all__ = [
    "AWARD_COLUMNS",
    "PREVIEW_HEADINGS",
    "REGISTRATION_COLUMNS",
    "RegisterRead",
    "award_doubts",
    "roll_doubts",
    "find_register",
    "read_awards",
    "read_registrations",
    "register_preview",
]


#: The preview's headings of each kind of register (data/output.toml, [register_preview]): a
#: column name of :func:`register_preview` → its Vietnamese heading; the clerk never sees a code
#: name such as ``recipient_kind`` (issue 14, item 8).
PREVIEW_HEADINGS: dict[str, dict[str, str]] = tomllib.loads(data_file(None, "output.toml").read_text(encoding="utf-8"))[
    "register_preview"
]


def _text(value) -> str:
    """A cell as text: "" for a missing value, a date as dd/mm/yyyy, a whole number without decimals."""
    from kpi.vn import format_date

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _joined(first: str, second: str, link: str) -> str:
    """``first`` and ``second`` joined by ``link`` ("512/QĐ-TTg", " ngày ", "22/04/2025"), either
    alone when the other is empty."""
    return link.join(p for p in (first, second) if p)


def _row_numbers(rows: list[dict]) -> list[str]:
    """«Dòng» of each row: its number, and its sheet when the register was read from several
    (:mod:`kpi.reading.register_merge`: row 4 of «Tap the» and row 4 of «Ca nhan»)."""
    several = len({r["sheet"] for r in rows}) > 1
    return [
        phrase("row_of_sheet", row=_text(r["row_number"]), sheet=r["sheet"]) if several else _text(r["row_number"])
        for r in rows
    ]


def _award_rows(
    table: pd.DataFrame, names: Mapping[str, str], year: int | None, naming: AwardNaming
) -> dict[str, list[str]]:
    rows = table.to_dict("records")
    recipients = []
    for r in rows:
        name, kind, unit = _text(r["recipient"]), _text(r["recipient_kind"]), _text(r["unit"])
        said = f"{name} ({kind})" if kind else name
        # the unit when it adds something: «Tổ Chuyên môn - Xã Hiền Quan» names its commune already
        recipients.append(said if not unit or unit.casefold() in name.casefold() else f"{said}, {unit}")
    awards = []
    for r in rows:
        written = _text(r["award_written"])
        # the name the honour roll will show, by the roll's own naming (black-box: «GK», «LĐTT»
        # here, «Giấy khen (GK)» on the Thi đua page; the abbreviations written out as the plan's
        # indicator names write them here, as its award names there)
        shown = naming.name(_text(r["award"]), written)
        # «GIẤY KHEN …» → «Giấy khen …» too: the roll shows the name; only a first letter's case is no news
        awards.append(f"{written} → {shown}" if shown and written[1:] != shown[1:] else written)
    counted = []
    for r in rows:
        key, note, when = _text(r["key"]), _text(r["note"]), _text(r["achievement_year"])
        if key and _text(r["duplicate_of"]) == "" and year and when and when != str(year):
            # a row of another year counts toward its own year's target, not this one's (black-box:
            # «Tính vào chỉ tiêu: Số cá nhân đạt … cấp huyện» beside «2023» in a 2024 preview)
            counted.append(phrase("counted_other_year", year=year, other=when))
            continue
        counted.append(names.get(key, key) if key and _text(r["duplicate_of"]) == "" else note or key or "không")
    return {
        "row": _row_numbers(rows),
        "recipient": recipients,
        "award": awards,
        # one rule with the honour roll and the annex: the award's name, else the list's cell, else
        # «Không rõ (danh sách không ghi)» (black-box: blank here for a list without the column)
        "conferred_by": [
            award_level(_text(r["award"]), _text(r["award_written"]), _text(r["conferred_by"]), naming.places)
            for r in rows
        ],
        "decision": [_joined(_text(r["decision_number"]), _text(r["decision_date"]), " ngày ") for r in rows],
        "achievement_year": [_text(r["achievement_year"]) for r in rows],
        "counted": counted,
    }


def _registration_text(doc: str, registered_on: str) -> str:
    """«Văn bản đăng ký» of a row: "11/ĐK-TĐ ngày 02/02/2024" — the date written once: a document
    kept with its own date (another day than the registration's) is shown as written (round 7
    blind finding: «11/ĐK-TĐ ngày 02/02/2024 ngày 02/02/2024»)."""
    return doc if document_parts(doc)[1] is not None else _joined(doc, registered_on, " ngày ")


def _registration_rows(table: pd.DataFrame) -> dict[str, list[str]]:
    rows = table.to_dict("records")
    units = []
    for r in rows:
        unit, written = _text(r["unit"]), _text(r["unit_written"])
        if unit and written and written.casefold() != unit.casefold():
            units.append(f"{unit} (tệp ghi «{written}»)")  # the catalogue's name for what the file wrote
        else:
            units.append(unit or written)
    return {
        "row": _row_numbers(rows),
        "unit": units,
        "block": [_text(r["block"]) for r in rows],
        "registration": [_registration_text(_text(r["doc_number"]), _text(r["registered_on"])) for r in rows],
        "note": [_text(r["note"]) for r in rows],
    }


def register_preview(
    table: pd.DataFrame,
    kind: str,
    names: Mapping[str, str] | None = None,
    year: int | None = None,
    naming: AwardNaming | None = None,
) -> pd.DataFrame:
    """A register as the clerk checks it before saving, in few columns that fit the upload page at
    1366 px (black-box: fourteen columns needed a sideways scroll and cut «Cờ thi đua của Chính
    ph…»), related ones joined as the honour roll of the Thi đua page joins them:

    * awards — «Dòng»; «Tập thể / cá nhân được khen»: "Cao Minh Nam (cá nhân), Công an huyện" (the
      unit left out when the name holds it); «Hình thức khen»: as written, "→ the plan's award"
      when it was matched to another name, else "→ the name the honour roll shows" (its abbreviations
      written out, «GK → Giấy khen»; one name for the spellings of one award, «Giấy khen của CT
      UBND huyện → Giấy khen Chủ tịch UBND huyện»: ``naming``,
      :class:`kpi.domain.award_identity.AwardNaming`); «Cấp khen»: who confers it by the rule of the honour roll
      and the annex (:func:`kpi.domain.award_identity.award_level`: the award's name, else the
      list's cell, else "Không rõ (danh sách không ghi)"); «Quyết định»: "498/QĐ-TTg ngày
      18/04/2025"; «Năm thành tích»; «Tính vào chỉ tiêu»: the indicator's name in ``names`` (else
      its key), else the reader's note ("trùng dòng 7", "không thuộc chỉ tiêu của kế hoạch"),
      else "không"; a row of another achievement year than ``year`` (the year the list counts
      toward) "không tính vào năm 2024 (thành tích năm 2023)";
    * registrations — «Dòng»; «Đơn vị» (with "(tệp ghi «…»)" when the file wrote another name);
      «Khối thi đua»; «Văn bản đăng ký»: "28/ĐK-TĐ ngày 05/03/2024"; «Ghi chú», only when a row
      has one.

    Headings from :data:`PREVIEW_HEADINGS`; every cell text (dates dd/mm/yyyy, "" for missing).

    :param table: :data:`AWARD_COLUMNS` (``kind="awards"``) or :data:`REGISTRATION_COLUMNS`
        (``kind="registrations"``) rows, as ``read_*().table`` gives them.
    :param names: ``{key: indicator name}`` of the plan (the upload page's catalogue); without it
        «Tính vào chỉ tiêu» writes the key.
    :param naming: the honour roll's names of awards (:func:`kpi.storage.awards.roll_naming` of the
        lists in use and this file); without it, of this file's rows alone, no plan's.
    :raises KeyError: another ``kind``.
    """
    headings = PREVIEW_HEADINGS[kind]
    if kind == "awards":
        naming = naming or award_naming(
            table[["award", "award_written"]].fillna("").astype(str).itertuples(index=False)
        )
        columns = _award_rows(table, names or {}, year, naming)
    else:
        columns = _registration_rows(table)
    if not any(columns.get("note", ["x"])):
        del columns["note"]
    return pd.DataFrame({headings[name]: values for name, values in columns.items()})


def award_doubts(table: pd.DataFrame, naming: AwardNaming) -> list[str]:
    """What the preview says of the file's awards that may be one with another award and are kept
    apart (:attr:`kpi.domain.award_identity.AwardNaming.doubts`: «Giấy khen UBND huyện» and
    «Giấy khen Chủ tịch UBND huyện»), one sentence per group of names; ``[]`` when none."""
    pairs = table[["award", "award_written"]].fillna("").astype(str).itertuples(index=False)
    own = {naming.name(a, w) for a, w in pairs}
    return [phrase("award_maybe_same", names=_quoted(names)) for names in naming.doubts_about(own)]


def roll_doubts(naming: AwardNaming, names: Iterable[str] | None = None, chosen: Iterable[str] = ()) -> str:
    """What the Thi đua page says beside its award filter of the roll's awards that may be one
    (:attr:`kpi.domain.award_identity.AwardNaming.doubts` of :func:`kpi.storage.awards.roll_naming`):
    the groups among ``names`` — the awards of the rows on screen (the year and kind chosen, the
    search typed), :meth:`~kpi.domain.award_identity.AwardNaming.doubts_among`; every group when
    ``None`` — and, with awards ``chosen`` in the filter, those naming one of them, in one short
    sentence (the preview's :func:`award_doubts` said it only before saving); ``""`` when none."""
    groups = list(naming.doubts) if names is None else naming.doubts_among(names, chosen)
    if not groups:
        return ""
    return phrase("roll_maybe_same", groups="; ".join(_quoted(g) for g in groups))


def _quoted(names: tuple[str, ...]) -> str:
    """«A», «B» và «C»."""
    quoted = [f"«{n}»" for n in names]
    return ", ".join(quoted[:-1]) + " và " + quoted[-1]
