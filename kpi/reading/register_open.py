"""Opening a register, what the award register and the registration list share: the header row
and its columns' roles (:func:`find_register`, header words in ``data/vocabulary.toml`` and
``data/register_words.toml``, abbreviations written out), the title above it and the year it names
(:func:`title_and_year`; a span of years names none), the data rows under the header up to the
footer with the section heading each row falls under (:func:`register_rows`), and the warning that
lists hidden rows, which count toward nothing (:func:`hidden_rows_issue`, black-box r2 of issue 13).

The two registers are read by :mod:`kpi.reading.awards` and :mod:`kpi.reading.registrations`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from kpi.config import data_file
from kpi.domain.plan import Catalogue
from kpi.reading.award_headings import award_heading, title_award
from kpi.reading.checks import WARNING, Issue
from kpi.reading.file_kind import register_words
from kpi.reading.layout import Vocabulary, vocabulary
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import cell_text
from kpi.reading.report_context import title_candidate
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import fold

__all__ = [
    "AWARD_COLUMNS",
    "AWARD_ROLES",
    "REGISTRATION_COLUMNS",
    "REGISTRATION_ROLES",
    "REGISTER_COLUMN_WORDS",
    "REGISTER_NEEDS",
    "RegisterRead",
    "column_role",
    "find_register",
    "given_register",
    "hidden_rows_issue",
    "kind_word",
    "open_register",
    "register_mapping_complete",
    "register_mapping_kind",
    "register_rows",
    "suggest_register",
    "title_and_year",
    "title_scope",
    "title_spans_years",
]


AWARD_ROLES = (
    "stt",
    "recipient_kind",
    "recipient",
    "unit",
    "award",
    "conferred_by",
    "decision_number",
    "decision_date",
    "achievement_year",
    "note",
)


REGISTRATION_ROLES = ("stt", "block", "unit", "registration_doc", "registered_on", "mark", "note")


AWARD_COLUMNS = [
    "row_number",
    "sheet",
    "cell",
    "recipient",
    "recipient_kind",
    "unit",
    "award_written",
    "award",
    "conferred_by",
    "decision_number",
    "decision_date",
    "achievement_year",
    "key",
    "duplicate_of",
    "note",
]


REGISTRATION_COLUMNS = [
    "row_number",
    "sheet",
    "cell",
    "unit",
    "unit_written",
    "block",
    "registered_on",
    "doc_number",
    "note",
]


@dataclass
class RegisterRead:
    """A register read from one sheet.

    :ivar kind: ``awards`` or ``registrations``.
    :ivar table: for awards, columns :data:`AWARD_COLUMNS` (``achievement_year`` Int64,
        ``decision_date`` date); for registrations :data:`REGISTRATION_COLUMNS`.
    """

    kind: str
    sheet: str
    year: int | None
    title: str
    header_row: int
    columns: dict[str, int]
    table: pd.DataFrame
    issues: list[Issue]
    inferred: list[tuple[str, str, str]]


def column_role(text: str, vocab: Vocabulary, roles) -> str | None:
    """The first of ``roles`` that a register's header cell reads as, as written or else with its
    abbreviations written out ("Ngày ĐK" → "Ngày đăng ký", :func:`kpi.abbreviations.expand`).

    Every header cell of a sheet's first rows is asked about three times — as an award register's,
    as a registration list's, and for the refusal naming a missing award column — so the roles a
    text reads as are worked out once, for all the roles of both registers (:func:`_roles_read`).
    """
    if not text:  # a number, or an empty cell
        return None
    if not _ALL_ROLES.issuperset(roles):  # a role of no register: asked as written
        return _first_role(_roles_of(text, vocab, roles), roles) or _first_role(
            _roles_of(_expanded_text(text), vocab, roles), roles
        )
    as_written, expanded = _roles_read(text, vocab)
    return _first_role(as_written, roles) or _first_role(expanded, roles)


#: The roles of both registers' header cells, in no particular order (:func:`_roles_read`).
_ALL_ROLES = frozenset((*AWARD_ROLES, *REGISTRATION_ROLES))


def _first_role(matched, roles) -> str | None:
    return next((role for role in roles if role in matched), None) if matched else None


def _expanded_text(text: str) -> str:
    """``text`` with its header abbreviations written out, or ``""`` when it has none."""
    from kpi.domain.abbreviations import expand

    expanded = expand(text, "header")
    return expanded.text if expanded.used else ""


@lru_cache(maxsize=8192)
def _roles_read(text: str, vocab: Vocabulary) -> tuple[frozenset[str], frozenset[str]]:
    """The roles of both registers that ``text`` reads as written, and those its abbreviations
    written out read as (empty when it has none) — memoized per vocabulary."""
    return _roles_of(text, vocab, _ALL_ROLES), _roles_of(_expanded_text(text), vocab, _ALL_ROLES)


def _roles_of(text: str, vocab: Vocabulary, roles) -> frozenset[str]:
    """Each of ``roles`` whose header words ``text`` holds (``data/vocabulary.toml``; for a
    register's mark, note, recipient and award also ``data/register_words.toml``)."""
    h = fold(text)
    if not h:
        return frozenset()
    return frozenset(role for role in roles if _reads_as(role, text, h, vocab))


def _reads_as(role: str, text: str, folded: str, vocab: Vocabulary) -> bool:
    if role in ("mark", "note"):  # data/register_words.toml (issue 13)
        return register_words().any("columns", role, text)
    if role in ("recipient", "award") and register_words().any("columns", role, text):
        return True  # more header synonyms (issue 13)
    patterns = vocab.columns["stt"] if role == "stt" else vocab.registers.get(role, [])
    return Vocabulary.any(patterns, folded)


def find_register(sheet: Sheet, vocab: Vocabulary, kind: str, scan_rows: int = 60, catalogue: Catalogue | None = None):
    """The header row and column roles of an award register (``kind="awards"``) or a
    registration list (``"registrations"``), or ``None``.

    An award register needs a recipient and an award column, or award heading rows above its
    recipients (:func:`award_heading`), or (given the ``catalogue``) a title naming exactly one
    award for all its rows (:func:`title_award`); a registration list needs a unit column and a
    registration date or document column.
    """
    roles_order = AWARD_ROLES if kind == "awards" else REGISTRATION_ROLES
    for r in range(min(sheet.height, scan_rows)):
        columns: dict[str, int] = {}
        recipients: list[int] = []
        for c, value in enumerate(sheet.rows[r]):
            role = column_role(cell_text(value) if isinstance(value, str) else "", vocab, roles_order)
            if role == "recipient":
                recipients.append(c)
            if role and role not in columns:
                columns[role] = c
        if kind == "awards" and {"recipient", "award"} <= columns.keys():
            _kind_column_named_as_recipient(sheet, r, columns, recipients, vocab)
            return r, columns
        if (
            kind == "awards"
            and "recipient" in columns
            and any(award_heading(sheet, below) for below in range(r + 1, min(sheet.height, r + 1 + scan_rows)))
        ):
            return r, columns  # no award column: each award is a heading row above its recipients
        if kind == "awards" and "recipient" in columns and catalogue is not None and title_award(sheet, r, catalogue):
            return r, columns  # no award column nor heading: the title names the one award of every row
        if (
            kind == "registrations"
            and "unit" in columns
            and ("registered_on" in columns or "registration_doc" in columns or "mark" in columns)
            and "award" not in columns
        ):
            return r, columns
    return None


def _kind_column_named_as_recipient(
    sheet: Sheet, header: int, columns: dict[str, int], recipients: list[int], vocab: Vocabulary, rows: int = 40
) -> None:
    """A column whose header reads as the recipient's ("Đối tượng") but whose cells are kinds
    ("tt", "cn", "Tập thể", "Cá nhân") is the kind column: the recipient is the next column whose
    header reads so ("Tên tập thể, cá nhân"), before or after it. Without this, "tt" was read as every collective's
    name and distinct recipients of one decision were taken for duplicates (issue 13)."""
    if len(recipients) < 2:
        return
    for c in recipients:  # whichever of them holds kinds (black-box: «Họ tên / Tập thể» then «Đối tượng»)
        values = [cell_text(sheet.value(r, c)) for r in range(header + 1, min(sheet.height, header + 1 + rows))]
        values = [v for v in values if v]
        kinds = sum(1 for v in values if kind_word(v, vocab))
        if values and 2 * kinds > len(values):
            columns.setdefault("recipient_kind", c)
            columns["recipient"] = next(other for other in recipients if other != c)
            return


def kind_word(written: str, vocab: Vocabulary) -> str:
    """``tập thể`` or ``cá nhân`` when ``written`` is a recipient kind (words or "TT"/"CN"), else ``""``."""
    from kpi.domain.abbreviations import expand

    kind_written = fold(expand(written, "recipient").text)
    if Vocabulary.any(vocab.registers["collective"], kind_written):
        return "tập thể"
    if Vocabulary.any(vocab.registers["individual"], kind_written):
        return "cá nhân"
    return ""


def title_and_year(sheet: Sheet, header_row: int) -> tuple[str, int | None]:
    """A register's title — the lines above its header that may be one (not the issuing body's
    name, a "Label: value" line or the "…, ngày … tháng … năm …" place and date line: the rule of
    a report's title, :func:`kpi.reading.report_context.title_candidate`; black-box: a list's
    title read «HỘI ĐỒNG THI ĐUA … Tam Nông, ngày 15 tháng 01 năm 2024») — and the year it names.
    The year is looked for in the title, then, as before, in every line above the header.

    :returns: ``(title, year or None)``; ``None`` too when the title spans years.
    """
    vocab = vocabulary()
    lines = []
    for r in range(header_row):
        for value in sheet.rows[r]:
            t = cell_text(value) if isinstance(value, str) else ""
            if t:
                lines.append(t)
    kept = [
        t
        for t in lines
        if title_candidate(t, vocab) and not (vocab.signature_date.search(fold(t)) or vocab.date_line.match(fold(t)))
    ]
    title = " ".join(kept or lines)
    everything = " ".join(lines)
    if title_spans_years(title) or title_spans_years(everything):
        return title, None  # "Giai đoạn 2022 - 2024": no single year (each row's, else asked)
    m = re.search(r"\b(20\d\d)\b", title) or re.search(r"\b(20\d\d)\b", everything)
    return title, int(m.group(1)) if m else None


def title_spans_years(title: str) -> bool:
    """Whether a register's title names a span of years ("Giai đoạn 2022 - 2024", "2022-2024",
    "từ năm 2022 đến năm 2024"; ``register_words.toml`` ``[title_year]``), so that it gives no
    single achievement year (issue 13, black-box register a3)."""
    return register_words().any("title_year", "span", title)


_BATCH_WORDS = {"hai": 2, "ba": 3, "bon": 4, "tu": 4}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def title_scope(title: str) -> tuple[str, bool]:
    """What a register's title says of its scope: ``(part, correction)``.

    ``part`` is "" for the main list of the year, else the label of a supplementary list — "đợt 2"
    when the title names its batch ("Bổ sung đợt 2", "Khen thưởng đợt II", "bổ sung lần 2"), else
    "bổ sung" ("Danh sách khen thưởng bổ sung"); ``correction`` is whether the title says it
    corrects or replaces an earlier list ("thay thế", "đính chính", "sửa đổi, bổ sung" — an
    amendment, never a supplement). Words: ``data/register_words.toml`` ``[supplement]``.
    """
    words = register_words()
    folded = fold(title)
    for pattern in words.pats("supplement", "amendment"):
        folded = pattern.sub(" ", folded)
    correction = words.any("supplement", "correction", title)
    if not any(p.search(folded) for p in words.pats("supplement", "title")):
        return "", correction
    for pattern in words.pats("supplement", "batch"):
        m = pattern.search(folded)
        if m:
            raw = m.group(1)
            number = int(raw) if raw.isdigit() else _BATCH_WORDS.get(raw) or _ROMAN.get(raw)
            if number and number > 1:
                return f"đợt {number}", correction
    return "bổ sung", correction


def _footer(text: str, vocab: Vocabulary) -> bool:
    f = fold(text)
    return Vocabulary.any(vocab.footer, f) or bool(vocab.signature_date.search(f))


#: The columns a register's layout must name when the clerk describes it (the upload page's form,
#: :func:`given_register`): an award register its recipients and awards; a registration list its
#: units and one sign of registration (a date, a document or a mark).
REGISTER_NEEDS = {
    "awards": (("recipient",), ("award",)),
    "registrations": (("unit",), ("registered_on", "registration_doc", "mark")),
}


#: A register's columns as the upload page's layout form names them, per register, in the form's
#: order (``data/output.toml`` ``[register_layout_form]``; keys: :data:`AWARD_ROLES`,
#: :data:`REGISTRATION_ROLES`).
REGISTER_COLUMN_WORDS: dict[str, dict[str, str]] = tomllib.loads(
    data_file(None, "output.toml").read_text(encoding="utf-8")
)["register_layout_form"]


def register_mapping_kind(mapping: dict | None) -> str | None:
    """The register a clerk's layout describes (``{"register": "registrations", "header_row": 5,
    "columns": {"unit": "B", "registration_doc": "C"}}``), ``None`` for a report's layout or none."""
    kind = (mapping or {}).get("register")
    return kind if kind in REGISTER_NEEDS else None


def register_mapping_complete(mapping: dict | None) -> bool:
    """Whether a register layout names its header row and, of each group of
    :data:`REGISTER_NEEDS`, a column (the form's button is enabled only then)."""
    kind = register_mapping_kind(mapping)
    if kind is None or not isinstance(mapping.get("header_row"), int) or mapping["header_row"] < 1:
        return False
    named = {role for role, letter in (mapping.get("columns") or {}).items() if letter}
    return all(named & set(group) for group in REGISTER_NEEDS[kind])


def given_register(sheet: Sheet, mapping: dict | None, kind: str) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the columns of a ``kind`` register as the clerk described
    them (:func:`register_mapping_kind`), or ``None`` when the layout is another's or incomplete:
    the form was the indicator report's for a register whose headings were not found, and no
    layout of a register could be given (round 7 blind finding 5)."""
    if register_mapping_kind(mapping) != kind or not register_mapping_complete(mapping):
        return None
    from kpi.reading.workbook import parse_ref

    header = int(mapping["header_row"]) - 1
    columns = {
        role: parse_ref(f"{str(letter).strip().upper()}1")[1]
        for role, letter in mapping["columns"].items()
        if letter and role in (AWARD_ROLES if kind == "awards" else REGISTRATION_ROLES)
    }
    return (header, columns) if header < sheet.height else None


def suggest_register(grid: list[list[str]], kind: str, vocab: Vocabulary) -> dict:
    """A first guess of a ``kind`` register's layout from a sheet's first rows as text (the
    layout form's grid, :func:`kpi.ingest_sheets.preview`): the row whose cells read as most of
    the register's columns, one of them needed (:data:`REGISTER_NEEDS`), and those columns by
    letter. ``header_row`` is ``None`` when no row reads so: the clerk says it; never row 1 by
    default (round 7 blind finding 5: a form started at «1»)."""
    from kpi.reading.workbook import col_letter

    roles = AWARD_ROLES if kind == "awards" else REGISTRATION_ROLES
    needed = {role for group in REGISTER_NEEDS[kind] for role in group}
    best: tuple[int, dict[str, str]] | None = None
    for r, row in enumerate(grid):
        found: dict[str, str] = {}
        for c, text in enumerate(row):
            role = column_role(text, vocab, roles) if text else None
            if role and role != "stt" and role not in found:
                found[role] = col_letter(c)
        if needed & found.keys() and (best is None or len(found) > len(best[1])):
            best = (r + 1, found)
    header_row, columns = best or (None, {})
    return {"register": kind, "header_row": header_row, "columns": columns}


def open_register(
    sheet: Sheet, vocab: Vocabulary, kind: str, catalogue: Catalogue | None = None, mapping: dict | None = None
) -> tuple[int, dict, str, int | None] | None:
    """The opening both registers share: the header row and its columns (:func:`find_register`;
    with a register layout the clerk described, ``mapping``, :func:`given_register`), then the
    title above it and the year the title names; ``None`` if the sheet is not a ``kind``."""
    if register_mapping_kind(mapping):
        found = given_register(sheet, mapping, kind)
    else:
        found = find_register(sheet, vocab, kind, catalogue=catalogue)
    if found is None:
        return None
    header, cols = found
    return (header, cols, *title_and_year(sheet, header))


def register_rows(sheet: Sheet, header: int, vocab: Vocabulary, column: int, heading, initial="", hidden=None):
    """The data rows under a register's header, up to its footer: ``(row, text of the named
    column, the latest heading row's value)``; blank and hidden rows are skipped.

    :param heading: ``row → value or None``: a section heading (awards: the recipient kind; a
        registration list: the block), which the rows below it inherit.
    :param hidden: a list that receives ``(row, text)`` of each hidden row skipped, to be said
        (:func:`hidden_rows_issue`).
    """
    current = initial
    for r in range(header + 1, sheet.height):
        found = heading(r)
        if found is not None:
            current = found
            continue
        text = cell_text(sheet.value(r, column))
        if not text:
            continue
        if _footer(text, vocab):
            break
        if r in sheet.hidden_rows:
            if hidden is not None:
                hidden.append((r, text))
            continue
        yield r, text, current


def hidden_rows_issue(sheet: Sheet, column: int, hidden: list[tuple[int, str]]) -> Issue | None:
    """A warning listing a register's hidden rows by cell, or ``None`` when there are none.

    A hidden row is never used, as in a report (README "hidden sheets and rows (said, not used)";
    :meth:`kpi.reading.report_rows.RowReader._hidden`: it usually keeps old data): it counts toward
    nothing and is said, so that a clerk who hid a row by mistake unhides it (black-box a3, r2)."""
    if not hidden:
        return None
    listed = "; ".join(
        phrase("hidden_row_listed", row=r + 1, cell=cell_ref(r, column), text=text) for r, text in hidden[:12]
    )
    return issue(
        WARNING,
        "hidden_register_rows",
        sheet=sheet.name,
        cell=cell_ref(hidden[0][0], column),
        count=len(hidden),
        listed=listed,
        more=phrase("more") if len(hidden) > 12 else "",
    )
