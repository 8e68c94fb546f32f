"""Reading the two registers: the award register (TD02–TD09) and the registration list (TD01).

Award register — one row per award::

    STT | Tên tập thể / Họ và tên | Tập thể/Cá nhân | Cơ quan, đơn vị | Danh hiệu / Hình thức khen
    thưởng | Cấp khen | Số quyết định | Ngày quyết định | Năm thành tích

Each row becomes one award: the legal award name is mapped to the plan's words
(``data/awards.csv``: "Chiến sĩ thi đua cơ sở" is what the plan calls "CSTĐ cấp huyện",
Luật Thi đua, khen thưởng 2022, art. 80), the (award, recipient kind) pair to its TD key
(``indicators.csv``: award, recipient). An award counts toward its **achievement year**
("Năm thành tích"), not the year of the decision (indicators-2024.md). The same (decision,
recipient, unit, award) twice is one award, warned about. Awards of other years and of other
kinds (Giấy khen, Lao động tiên tiến…) are kept for the honour roll but count toward no target.

The recipient's kind (issue 13): a kind column (words or "TT"/"CN"), else a section heading row
("I. TẬP THỂ"), else an award only one kind can receive, else the recipient (a unit of the plan or
"Phòng", "Tổ", "Trường", "Xã"… → collective; a person's name → individual), warned when they
disagree; none → the row is asked (:mod:`kpi.file_kind`). Honorifics before a name are dropped in
duplicate detection (:func:`person_key`). No achievement year in a column or the title → asked; a
year column wins over the title, a title naming a span of years gives none (:func:`_register_year`).
An award heading row's award is the plan's award named inside it, with its decision
(:func:`_award_in_heading`); with no award column nor heading, a title naming one award gives it to
every row (:func:`_title_award`). Hidden rows count toward nothing and are said
(:func:`_hidden_rows_issue`) — black-box findings a1–a3, r2 of issue 13.

Registration list — one row per unit: its block (a column, or a heading row above its units),
name, registration date, document, tick/status and note columns. A unit is registered only when the
list says so (a date; a document number or a mark — ``x``, ``✓``, "Có", "Đã đăng ký" — counting from
the list's own date); "Chưa", "Không", "Chưa đăng ký" in any of them → not registered; no sign →
not registered, warned. A unit counts at a period when its date is on or before the period's end;
names not in the units catalogue are warned about, never added. Words: ``data/register_words.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass

import pandas as pd

from kpi.config import data_file
from kpi.domain.plan import Catalogue
from kpi.errors import NumberFormatError
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.file_kind import name_match_issue, register_words
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import decision_parts, mark_proposals, missing_units_issue
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, fold, match_key, parse_date

__all__ = ["COLUMN_LABELS", "RegisterRead", "find_register", "labelled_register", "read_awards", "read_registrations"]

_AWARD_ROLES = (
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
_REGISTRATION_ROLES = ("stt", "block", "unit", "registration_doc", "registered_on", "mark", "note")
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
#: The Vietnamese heading of each register column, as the clerk's preview shows it (issue 14, item
#: 8: no code name reaches the clerk). ``sheet`` is not shown: a register is read from one sheet.
#: The preview's Vietnamese heading of each register column (data/output.toml, [register_preview]):
#: the clerk never sees a code name such as ``recipient_kind`` (issue 14, item 8).
COLUMN_LABELS: dict[str, str] = tomllib.loads(data_file(None, "output.toml").read_text(encoding="utf-8"))[
    "register_preview"
]["columns"]
_DATE_COLUMNS = ("registered_on", "decision_date")


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


def _text(value) -> str:
    return clean_text(value) if isinstance(value, str) else ("" if value is None else clean_text(str(value)))


def _role(text: str, vocab: Vocabulary, roles) -> str | None:
    """The role of a register's header cell, as written or with its abbreviations written out
    ("Ngày ĐK" → "Ngày đăng ký", :func:`kpi.abbreviations.expand`)."""
    from kpi.domain.abbreviations import expand

    role = _role_as_written(text, vocab, roles)
    if role is None:
        expanded = expand(text, "header")
        if expanded.used:
            role = _role_as_written(expanded.text, vocab, roles)
    return role


def _role_as_written(text: str, vocab: Vocabulary, roles) -> str | None:
    h = fold(text)
    if not h:
        return None
    for role in roles:
        if role in ("mark", "note"):  # data/register_words.toml (issue 13)
            if register_words().any("columns", role, text):
                return role
            continue
        if role in ("recipient", "award") and register_words().any("columns", role, text):
            return role  # more header synonyms (issue 13)
        patterns = vocab.columns["stt"] if role == "stt" else vocab.registers.get(role, [])
        if Vocabulary.any(patterns, h):
            return role
    return None


def find_register(sheet: Sheet, vocab: Vocabulary, kind: str, scan_rows: int = 60, catalogue: Catalogue | None = None):
    """The header row and column roles of an award register (``kind="awards"``) or a
    registration list (``"registrations"``), or ``None``.

    An award register needs a recipient and an award column, or award heading rows above its
    recipients (:func:`_award_heading`), or (given the ``catalogue``) a title naming exactly one
    award for all its rows (:func:`_title_award`); a registration list needs a unit column and a
    registration date or document column.
    """
    roles_order = _AWARD_ROLES if kind == "awards" else _REGISTRATION_ROLES
    for r in range(min(sheet.height, scan_rows)):
        columns: dict[str, int] = {}
        recipients: list[int] = []
        for c, value in enumerate(sheet.rows[r]):
            role = _role(_text(value) if isinstance(value, str) else "", vocab, roles_order)
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
            and any(_award_heading(sheet, below) for below in range(r + 1, min(sheet.height, r + 1 + scan_rows)))
        ):
            return r, columns  # no award column: each award is a heading row above its recipients
        if kind == "awards" and "recipient" in columns and catalogue is not None and _title_award(sheet, r, catalogue):
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
    header reads so ("Tên tập thể, cá nhân"). Without this, "tt" was read as every collective's
    name and distinct recipients of one decision were taken for duplicates (issue 13)."""
    if len(recipients) < 2:
        return
    values = [_text(sheet.value(r, recipients[0])) for r in range(header + 1, min(sheet.height, header + 1 + rows))]
    values = [v for v in values if v]
    kinds = sum(1 for v in values if _kind_word(v, vocab))
    if values and 2 * kinds > len(values):
        columns.setdefault("recipient_kind", recipients[0])
        columns["recipient"] = recipients[1]


def _kind_word(written: str, vocab: Vocabulary) -> str:
    """``tập thể`` or ``cá nhân`` when ``written`` is a recipient kind (words or "TT"/"CN"), else ``""``."""
    from kpi.domain.abbreviations import expand

    kind_written = fold(expand(written, "recipient").text)
    if Vocabulary.any(vocab.registers["collective"], kind_written):
        return "tập thể"
    if Vocabulary.any(vocab.registers["individual"], kind_written):
        return "cá nhân"
    return ""


def _title_and_year(sheet: Sheet, header_row: int) -> tuple[str, int | None]:
    lines = []
    for r in range(header_row):
        for value in sheet.rows[r]:
            t = _text(value) if isinstance(value, str) else ""
            if t:
                lines.append(t)
    title = " ".join(lines)
    if _title_spans_years(title):
        return title, None  # "Giai đoạn 2022 - 2024": no single year (each row's, else asked)
    m = re.search(r"\b(20\d\d)\b", title)
    return title, int(m.group(1)) if m else None


def _title_spans_years(title: str) -> bool:
    """Whether a register's title names a span of years ("Giai đoạn 2022 - 2024", "2022-2024",
    "từ năm 2022 đến năm 2024"; ``register_words.toml`` ``[title_year]``), so that it gives no
    single achievement year (issue 13, black-box register a3)."""
    return register_words().any("title_year", "span", title)


def _footer(text: str, vocab: Vocabulary) -> bool:
    f = fold(text)
    return Vocabulary.any(vocab.footer, f) or bool(vocab.signature_date.search(f))


def _open_register(
    sheet: Sheet, vocab: Vocabulary, kind: str, catalogue: Catalogue | None = None
) -> tuple[int, dict, str, int | None] | None:
    """The opening both registers share: the header row and its columns (:func:`find_register`),
    then the title above it and the year the title names; ``None`` if the sheet is not a ``kind``."""
    found = find_register(sheet, vocab, kind, catalogue=catalogue)
    if found is None:
        return None
    header, cols = found
    return (header, cols, *_title_and_year(sheet, header))


def _register_rows(sheet: Sheet, header: int, vocab: Vocabulary, column: int, heading, initial="", hidden=None):
    """The data rows under a register's header, up to its footer: ``(row, text of the named
    column, the latest heading row's value)``; blank and hidden rows are skipped.

    :param heading: ``row → value or None``: a section heading (awards: the recipient kind; a
        registration list: the block), which the rows below it inherit.
    :param hidden: a list that receives ``(row, text)`` of each hidden row skipped, to be said
        (:func:`_hidden_rows_issue`).
    """
    current = initial
    for r in range(header + 1, sheet.height):
        found = heading(r)
        if found is not None:
            current = found
            continue
        text = _text(sheet.value(r, column))
        if not text:
            continue
        if _footer(text, vocab):
            break
        if r in sheet.hidden_rows:
            if hidden is not None:
                hidden.append((r, text))
            continue
        yield r, text, current


def _hidden_rows_issue(sheet: Sheet, column: int, hidden: list[tuple[int, str]]) -> Issue | None:
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


def read_awards(
    sheet: Sheet, catalogue: Catalogue, vocab: Vocabulary, year: int | None = None, date1904: bool = False
) -> RegisterRead | None:
    """Read an award register (see the module's docstring); ``None`` if the sheet is not one.

    :param year: the achievement year to assume for rows without one (else the title's year).
    """
    opened = _open_register(sheet, vocab, "awards", catalogue)
    if opened is None:
        return _award_column_missing(sheet, vocab)
    header, cols, title, title_year = opened
    issues: list[Issue] = []
    records = []
    identities: dict[tuple, int] = {}
    default_year = year or title_year
    said: set[str] = set()  # award names whose matching was already explained
    no_year: list[str] = []  # rows with no achievement year anywhere: the year is asked
    # the recipient kind of the section; the award, decision number and date of an award heading row
    headings: list = ["", "", "", None]
    titled = _title_award(sheet, header, catalogue) if "award" not in cols else None
    if titled and not any(_award_heading(sheet, r) for r in range(header + 1, sheet.height)):
        headings[1:] = titled[:3]  # every row's award and decision, from the title (black-box a1)
        issues.append(_title_award_issue(sheet.name, *titled))
    else:
        titled = None
    default = ("", *headings[1:])

    def heading(r: int):
        """A register without an award column may write each award as a heading row above its
        recipients ("1. Bằng khen của Chủ tịch UBND tỉnh"); read before the kind, since "2. Tập thể
        lao động xuất sắc" is an award, not a section of collectives."""
        if "award" not in cols and (named := _award_heading(sheet, r)):
            headings[1:] = _award_in_heading(named, catalogue)
            return tuple(headings)
        kind = _section_heading(sheet, r, cols)
        if kind is None:
            return None
        headings[:] = [kind, *default[1:]]
        return tuple(headings)

    hidden: list[tuple[int, str]] = []
    initial = tuple(headings)
    rows = _register_rows(sheet, header, vocab, cols["recipient"], heading, initial=initial, hidden=hidden)
    for r, recipient, (section, heading_award, heading_number, heading_date) in rows:

        def get(role, r=r):
            return sheet.value(r, cols[role]) if role in cols else ""

        award_written = _text(get("award")) or heading_award
        if not award_written:
            issues.append(
                issue(
                    WARNING,
                    "no_award",
                    sheet=sheet.name,
                    cell=cell_ref(r, cols.get("award", cols["recipient"])),
                    row=r + 1,
                    recipient=recipient,
                )
            )
            continue
        match = catalogue.match_award(award_written, by_words=True)
        award = match.value if match else ""
        if match is not None and match.how in ("similar", "abbreviation") and award_written not in said:
            said.add(award_written)
            issues.append(
                name_match_issue(
                    match, award_written, award, "", sheet.name, cell_ref(r, cols.get("award", cols["recipient"]))
                )
            )
        recipient_kind, kind_said = _recipient_kind(
            _text(get("recipient_kind")), section, catalogue, award, recipient, vocab
        )
        kind_cell = cell_ref(r, cols.get("recipient_kind", cols["recipient"]))
        if kind_said == "unknown":
            issues.append(
                issue(WARNING, "no_recipient_kind", sheet=sheet.name, cell=kind_cell, row=r + 1, recipient=recipient)
            )
        elif kind_said:
            source, others = kind_said
            issues.append(
                issue(
                    WARNING,
                    "recipient_kind_disagrees",
                    sheet=sheet.name,
                    cell=kind_cell,
                    row=r + 1,
                    recipient=recipient,
                    kind=recipient_kind,
                    source=source,
                    others=others,
                )
            )
        unit_written = _text(get("unit"))
        unit = ""
        if unit_written:
            um = catalogue.match_unit(unit_written, by_words=True)
            if um:
                unit = um.value
            else:
                issues.append(
                    issue(
                        WARNING,
                        "unknown_unit.award",
                        sheet=sheet.name,
                        cell=cell_ref(r, cols["unit"]),
                        written=unit_written,
                        row=r + 1,
                    )
                )
        # "90/QĐ-UBND ngày 16/01/2025" in one cell: number and date (black-box finding)
        decision_number, decision_date = decision_parts(_text(get("decision_number")))
        decision_number = decision_number or heading_number  # a decision heading row's, for the rows below
        decision_date = decision_date or heading_date
        if "decision_date" in cols and get("decision_date") not in ("", None):
            try:
                parsed = parse_date(get("decision_date"), date1904)
                decision_date = parsed.value if parsed else decision_date
            except NumberFormatError as exc:
                issues.append(
                    issue(
                        WARNING,
                        "bad_date.decision",
                        sheet=sheet.name,
                        cell=cell_ref(r, cols["decision_date"]),
                        error=exc.message_vi,
                    )
                )
        achievement_year = None
        raw_year = get("achievement_year")
        if raw_year not in ("", None):
            m = re.search(r"(19|20)\d\d", _text(raw_year) if isinstance(raw_year, str) else str(int(raw_year)))
            if m:
                achievement_year = int(m.group(0))
            else:
                issues.append(
                    issue(
                        ERROR,
                        "bad_year",
                        sheet=sheet.name,
                        cell=cell_ref(r, cols["achievement_year"]),
                        written=raw_year,
                        row=r + 1,
                    )
                )
                continue
        elif default_year:
            achievement_year = default_year
        else:
            no_year.append(cell_ref(r, cols["recipient"]))
            continue
        key = catalogue.award_key(award, recipient_kind) if award and recipient_kind else None
        identity = (
            decision_number.casefold(),
            person_key(recipient),
            unit or match_key(unit_written),
            award or match_key(award_written),
        )
        duplicate_of = identities.get(identity)
        note = ""
        if duplicate_of is not None:
            note = f"trùng dòng {duplicate_of}"
            issues.append(
                issue(
                    WARNING,
                    "duplicate_award",
                    sheet=sheet.name,
                    cell=cell_ref(r, cols["recipient"]),
                    key=key or "",
                    row=r + 1,
                    first_row=duplicate_of,
                    recipient=recipient,
                    award=award_written,
                    decision=decision_number or phrase("no_decision_number"),
                )
            )
        else:
            identities[identity] = r + 1
        if not award:
            note = note or "không thuộc chỉ tiêu của kế hoạch"
        records.append(
            {
                "row_number": r + 1,
                "sheet": sheet.name,
                "cell": cell_ref(r, cols["recipient"]),
                "recipient": recipient,
                "recipient_kind": recipient_kind,
                "unit": unit or unit_written,
                "award_written": award_written,
                "award": award,
                "conferred_by": _text(get("conferred_by")),
                "decision_number": decision_number,
                "decision_date": decision_date,
                "achievement_year": achievement_year,
                "key": key or "",
                "duplicate_of": duplicate_of,
                "note": note,
            }
        )
    if no_year:
        issues.append(
            issue(
                ERROR,
                "no_achievement_year",
                sheet=sheet.name,
                cell=no_year[0],
                count=len(no_year),
                cells=", ".join(no_year[:10]),
                more=phrase("more") if len(no_year) > 10 else "",
                title_says=phrase("title_spans_years") if _title_spans_years(title) else phrase("title_without_year"),
            )
        )
    if hidden_issue := _hidden_rows_issue(sheet, cols["recipient"], hidden):
        issues.append(hidden_issue)
    table = pd.DataFrame(records, columns=AWARD_COLUMNS)
    table["achievement_year"] = table["achievement_year"].astype("Int64")
    table["duplicate_of"] = table["duplicate_of"].astype("Int64")
    if "award" in cols:  # the award's own cell in lists (file_kind.award_cell); none under award headings
        table.attrs["award_column"] = cols["award"]
    mark_proposals(sheet, header, cols, table, issues)  # a proposal is not an award
    register_year, year_source = _register_year(
        table, cols, year, title_year, sheet.value(header, cols.get("achievement_year", 0))
    )
    other_years = table[(table["achievement_year"] != register_year) & table["achievement_year"].notna()]
    if len(other_years):
        per_year = other_years["achievement_year"].value_counts().sort_index()
        issues.append(
            issue(
                INFO,
                "other_year",
                sheet=sheet.name,
                count=len(other_years),
                year=register_year,
                per_year=", ".join(phrase("rows_of_year", year=int(y), count=int(n)) for y, n in per_year.items()),
            )
        )
    inferred = [
        (
            "Loại tệp",
            "Danh sách khen thưởng",
            f"cột «{_text(sheet.value(header, cols['award']))}»"
            if "award" in cols
            else ("danh hiệu ở tiêu đề" if titled else "danh hiệu ở dòng đề mục"),
        ),
        ("Trang tính", sheet.name, ""),
        ("Tiêu đề", title or "(không có)", ""),
        ("Năm thành tích", str(register_year or "?"), year_source),
        ("Số dòng khen thưởng", str(len(table)), ""),
        (
            "Tính vào chỉ tiêu năm " + str(register_year or "?"),
            str(
                int(
                    (
                        (table["key"] != "")
                        & table["duplicate_of"].isna()
                        & (table["achievement_year"] == register_year)
                    ).sum()
                )
            ),
            "mỗi (quyết định, người/tập thể, đơn vị, danh hiệu) một lần",
        ),
    ]
    if table.empty and not no_year:
        issues.append(issue(ERROR, "empty_register.awards", sheet=sheet.name))
    return RegisterRead("awards", sheet.name, register_year, title, header, cols, table, issues, inferred)


def _register_year(table: pd.DataFrame, cols: dict, chosen: int | None, title_year: int | None, header) -> tuple:
    """The achievement year a register is stored for and where it comes from (issue 13, black-box
    a3): the year chosen (``--year``); else, when rows carry their own year, the latest of them (a
    per-row year column always wins over the title: a running book "giai đoạn 2022 - 2024" is
    stored for 2024, its older rows kept but counted toward no target of 2024); else the title's.

    :returns: (year or ``None``, the preview's "source" text).
    """
    column_years = table["achievement_year"].dropna() if "achievement_year" in cols else table["achievement_year"][:0]
    if chosen:
        return chosen, "năm đã chọn"
    if not column_years.empty:
        return int(column_years.max()), f"cột «{_text(header)}» (năm gần nhất)"
    return (title_year, "tiêu đề") if title_year else (None, "")


def _kind_from_award(catalogue: Catalogue, award: str) -> str:
    """The recipient kind an award implies when only one kind can receive it in the plan."""
    kinds = set()
    for ind in catalogue.indicators:
        if ind.award and match_key(ind.award) == match_key(award):
            kinds.update(match_key(k) for k in ind.recipient.split(","))
    if len(kinds) == 1:
        return "tập thể" if kinds == {match_key("tập thể")} else "cá nhân"
    return ""


def read_registrations(
    sheet: Sheet, catalogue: Catalogue, vocab: Vocabulary, date1904: bool = False
) -> RegisterRead | None:
    """Read a registration list (see the module's docstring); ``None`` if the sheet is not one."""
    opened = _open_register(sheet, vocab, "registrations")
    if opened is None:
        return None
    header, cols, title, title_year = opened
    issues: list[Issue] = []
    records = []
    seen: dict[str, int] = {}
    not_registered: list[tuple[str, str, str]] = []
    unsigned: list[tuple[str, str]] = []
    undated: list[tuple[str, str, str]] = []
    hidden: list[tuple[int, str]] = []
    rows = _register_rows(
        sheet, header, vocab, cols["unit"], lambda r: _block_heading(sheet, r, cols, catalogue), hidden=hidden
    )
    for r, written, heading_block in rows:
        ref = cell_ref(r, cols["unit"])
        m = catalogue.match_unit(written, by_words=True)
        unit = m.value if m and m.value != catalogue.district_unit else ""
        if unit and m.how in ("similar", "abbreviation"):
            issues.append(name_match_issue(m, written, unit, "", sheet.name, ref))
        note = ""
        if not unit:
            issues.append(
                issue(WARNING, "unknown_unit.registration", sheet=sheet.name, cell=ref, written=written, row=r + 1)
            )
            note = "không có trong danh mục"
        elif unit in seen:
            issues.append(
                issue(
                    WARNING,
                    "duplicate_registration",
                    sheet=sheet.name,
                    cell=ref,
                    written=written,
                    first_row=seen[unit],
                    row=r + 1,
                )
            )
            note = f"trùng dòng {seen[unit]}"
        else:
            seen[unit] = r + 1
        block_written = (_text(sheet.value(r, cols["block"])) if "block" in cols else "") or heading_block
        if unit and block_written and match_key(block_written) != match_key(catalogue.block_of(unit)):
            issues.append(
                issue(
                    WARNING,
                    "block_differs",
                    sheet=sheet.name,
                    cell=cell_ref(r, cols["block"]),
                    unit=unit,
                    block=catalogue.block_of(unit),
                    written=block_written,
                )
            )
        sign = _registration_sign(sheet, r, cols, date1904)
        issues.extend(sign.issues)
        if sign.refused:
            continue
        registered_on = sign.date
        if unit and sign.state == "no":
            note, unit_named = "chưa đăng ký", unit
            unit = ""
            not_registered.append((unit_named, ref, sign.said))
        elif unit and sign.state == "none":
            note, unit_named = "không có dấu hiệu đăng ký", unit
            unit = ""
            unsigned.append((unit_named, ref))
        elif unit and sign.state == "mark" and registered_on is None:
            undated.append((unit, ref, sign.said))
        records.append(
            {
                "row_number": r + 1,
                "sheet": sheet.name,
                "cell": ref,
                "unit": unit,
                "unit_written": written,
                "block": catalogue.block_of(unit) if unit else block_written,
                "registered_on": registered_on,
                "doc_number": _text(sheet.value(r, cols["registration_doc"])) if "registration_doc" in cols else "",
                "note": note,
            }
        )
    table = pd.DataFrame(records, columns=REGISTRATION_COLUMNS)
    dates = [d for d in table["registered_on"] if d is not None]
    year = title_year or (max(d.year for d in dates) if dates else None)
    doc_date = _document_date(sheet, vocab)
    _registration_warnings(table, issues, sheet.name, not_registered, unsigned, undated, doc_date)
    if hidden_issue := _hidden_rows_issue(sheet, cols["unit"], hidden):
        issues.append(hidden_issue)
    hidden_units = {}  # a unit named only in a hidden row is not "missing from the list": it is hidden
    for r, written in hidden:
        m = catalogue.match_unit(written, by_words=True)
        if m and m.value not in seen:
            hidden_units.setdefault(m.value, cell_ref(r, cols["unit"]))
    missing = missing_units_issue(catalogue, set(seen), sheet.name, hidden_units)  # units the list does not name
    if missing is not None:
        issues.append(missing)
    counted = int(((table["unit"] != "") & ~table["note"].str.startswith("trùng")).sum()) if len(table) else 0
    inferred = [
        ("Loại tệp", "Danh sách đăng ký thi đua", f"cột «{_text(sheet.value(header, cols['unit']))}»"),
        ("Trang tính", sheet.name, ""),
        ("Tiêu đề", title or "(không có)", ""),
        ("Năm", str(year or "?"), "tiêu đề" if title_year else "ngày đăng ký"),
        ("Đơn vị đã đăng ký (trong danh mục)", f"{counted}/{len(catalogue.block_units)}", ""),
        ("Ngày văn bản của danh sách", f"{doc_date:%d/%m/%Y}" if doc_date else "(không ghi)", ""),
    ]
    if table.empty:
        issues.append(issue(ERROR, "empty_register.registrations", sheet=sheet.name))
    if year is None:
        issues.append(issue(ERROR, "no_year.registrations", sheet=sheet.name))
    return RegisterRead("registrations", sheet.name, year, title, header, cols, table, issues, inferred)


def labelled_register(table: pd.DataFrame) -> pd.DataFrame:
    """A register as the clerk reads it: the columns of :data:`COLUMN_LABELS` under their
    Vietnamese headings (in the register's order, ``sheet`` left out), dates as dd/mm/yyyy, whole
    numbers without decimals and missing values as "".

    :param table: :data:`AWARD_COLUMNS` or :data:`REGISTRATION_COLUMNS` rows (``read_*().table``).
    :returns: DataFrame of text, one row per register row.
    """
    from kpi.vn import format_date

    shown = pd.DataFrame(index=table.index)
    for column in (c for c in table.columns if c in COLUMN_LABELS):
        values = table[column]
        if column in _DATE_COLUMNS:
            shown[COLUMN_LABELS[column]] = [format_date(v) if isinstance(v, dt.date) else "" for v in values]
        else:
            shown[COLUMN_LABELS[column]] = ["" if pd.isna(v) else str(v) for v in values]
    return shown.reset_index(drop=True)


@dataclass
class _Sign:
    """What a registration row says: ``state`` ``date`` (a date), ``mark`` (a mark or document
    number, no date), ``no`` (says not registered) or ``none`` (no sign either way)."""

    state: str
    date: object = None
    said: str = ""
    issues: list = None  # type: ignore[assignment]
    refused: bool = False


#: A date written inside a document's reference ("Số 12/ĐK-UBND ngày 10/01/2024").
_DATE_IN_TEXT = re.compile(r"\bngày\s+(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})\b", re.IGNORECASE)


def _registration_sign(sheet: Sheet, r: int, cols: dict[str, int], date1904: bool) -> _Sign:
    """Read one registration row's date, document, mark, status and note (issue 13): "Chưa",
    "Không", "Chưa đăng ký" in any of them → not registered; a date → registered on it; a
    document number or a mark (x, ✓, Có, Đã đăng ký) → registered, date unknown (a document
    reference with its date, "Số 12/ĐK-UBND ngày 10/01/2024", → registered on that date)."""
    words = register_words()
    issues: list[Issue] = []
    texts = {role: _text(sheet.value(r, cols[role])) for role in ("mark", "note", "registration_doc") if role in cols}
    raw_date = sheet.value(r, cols["registered_on"]) if "registered_on" in cols else None
    date_text = _text(raw_date) if isinstance(raw_date, str) else ""
    for said in [date_text, *texts.values()]:
        if said and words.any("marks", "no", said):
            return _Sign("no", None, said, issues)
    date = None
    if raw_date not in (None, "") and not (date_text and words.any("marks", "yes", date_text)):
        try:
            parsed = parse_date(raw_date, date1904)
            date = parsed.value if parsed else None
            if parsed and parsed.ambiguous:
                issues.append(
                    issue(
                        INFO,
                        "ambiguous_date",
                        sheet=sheet.name,
                        cell=cell_ref(r, cols["registered_on"]),
                        written=raw_date,
                        date=parsed.value,
                    )
                )
        except NumberFormatError as exc:
            issues.append(
                issue(
                    ERROR,
                    "bad_date.registration",
                    sheet=sheet.name,
                    cell=cell_ref(r, cols["registered_on"]),
                    error=exc.message_vi,
                )
            )
            return _Sign("none", None, "", issues, refused=True)
    if date is not None:
        return _Sign("date", date, "", issues)
    mark = texts.get("mark", "")
    if (mark and words.any("marks", "yes", mark)) or (date_text and words.any("marks", "yes", date_text)):
        return _Sign("mark", None, mark or date_text, issues)
    if texts.get("registration_doc"):
        dated = _DATE_IN_TEXT.search(texts["registration_doc"])  # "Số 12/ĐK-UBND ngày 10/01/2024"
        try:
            parsed = parse_date(dated.group(1), date1904) if dated else None
        except NumberFormatError:
            parsed = None
        if parsed is not None:
            return _Sign("date", parsed.value, "", issues)
        return _Sign("mark", None, f"văn bản {texts['registration_doc']}", issues)
    if texts.get("note") and words.any("marks", "yes", texts["note"]):
        return _Sign("mark", None, texts["note"], issues)
    return _Sign("none", None, "", issues)


def _block_heading(sheet: Sheet, r: int, cols: dict[str, int], catalogue: Catalogue) -> str | None:
    """The block a heading row names ("Khối các xã, thị trấn số 1" alone on its row, above its
    units), or ``None`` when the row is not such a heading."""
    texts = [_text(v) for v in sheet.rows[r] if isinstance(v, str) and _text(v)]
    others = [v for c, v in enumerate(sheet.rows[r]) if v not in (None, "") and not isinstance(v, str)]
    if len(texts) != 1 or len(others) > 1:
        return None
    text = re.sub(r"^([IVXLC]+|[A-Z]|\d+)\s*[.)/-]\s*", "", texts[0])
    blocks = {match_key(b): b for b in catalogue.units["block"] if b}
    if match_key(text) in blocks:
        return blocks[match_key(text)]
    if fold(text).startswith("khoi ") and catalogue.match_unit(text) is None:
        return text
    return None


def _document_date(sheet: Sheet, vocab: Vocabulary):
    """The list's own date ("…, ngày 15 tháng 01 năm 2024" above or below the table; else the date
    of the document it is attached to, "(Kèm theo Thông báo số 05/TB-HĐTĐKT ngày 20/01/2024)"),
    or ``None``."""
    import datetime as dt

    attached = None
    for row in sheet.rows:
        for value in row:
            if isinstance(value, str):
                folded = fold(value)
                m = vocab.signature_date.search(folded) or (
                    _ATTACHED_DATE.search(folded) if Vocabulary.any(vocab.reference, folded) else None
                )
                if m:
                    try:
                        found = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    except ValueError:
                        continue
                    if m.re is vocab.signature_date:
                        return found
                    attached = attached or found
    return attached


_ATTACHED_DATE = re.compile(r"\bngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


def _registration_warnings(table, issues, sheet_name, not_registered, unsigned, undated, doc_date) -> None:
    """The warnings of a registration list's signs (issue 13): units that said no, units with no
    sign (not registered), and marks without a date (counted from the list's date)."""
    if not_registered:
        listed = "; ".join(phrase("unit_said_at", unit=u, cell=ref, said=said) for u, ref, said in not_registered)
        issues.append(issue(WARNING, "not_registered", sheet=sheet_name, count=len(not_registered), listed=listed))
    if unsigned:
        listed = "; ".join(phrase("unit_at", unit=u, cell=ref) for u, ref in unsigned)
        issues.append(issue(WARNING, "no_registration_sign", sheet=sheet_name, count=len(unsigned), listed=listed))
    if undated:
        when = phrase("from_list_date", date=doc_date) if doc_date else phrase("from_year_start")
        for _unit, ref, _said in undated:
            table.loc[table["cell"] == ref, "registered_on"] = doc_date
        listed = "; ".join(phrase("unit_at", unit=u, cell=ref) for u, ref, _s in undated)
        issues.append(
            issue(WARNING, "mark_without_date", sheet=sheet_name, count=len(undated), when=when, listed=listed)
        )


def _section_heading(sheet: Sheet, r: int, cols: dict[str, int]) -> str | None:
    """``tập thể`` / ``cá nhân`` when row ``r`` is a section heading of an award register ("I. TẬP
    THỂ", "B. Khen thưởng cá nhân": one text, no award), else ``None``."""
    texts = [_text(v) for v in sheet.rows[r] if isinstance(v, str) and _text(v)]
    if not texts or len(texts) > 2 or ("award" in cols and _text(sheet.value(r, cols["award"]))):
        return None
    text = " ".join(texts)
    words = register_words()
    if words.any("recipients", "collective_heading", text):
        return "tập thể"
    if words.any("recipients", "individual_heading", text):
        return "cá nhân"
    return None


def _award_heading(sheet: Sheet, r: int) -> str:
    """The award row ``r`` names when it is an award heading of a register without an award
    column ("1. Bằng khen của Chủ tịch UBND tỉnh" alone on its row, above the recipients who
    received it), else ``""``."""
    from kpi.domain.abbreviations import expand

    texts = [_text(v) for v in sheet.rows[r] if isinstance(v, str) and _text(v)]
    if not texts or len(texts) > 2 or sum(1 for v in sheet.rows[r] if v not in (None, "")) > 2:
        return ""
    text = re.sub(r"^(?:[ivxIVX]+|[a-zA-Z]|\d+)\s*[.)/-]\s*", "", texts[-1])
    return text if register_words().any("awards", "words", expand(text, "award").text) else ""


def _awards_named(text: str, catalogue: Catalogue) -> list[str]:
    """The plan's awards named inside ``text`` (their names or aliases, abbreviations written out on
    both sides, whole words), longest first; a name inside a longer one found is not counted again."""
    from kpi.domain.abbreviations import expand

    written = fold(expand(text, "award").text)
    names = [(ind.award, ind.award) for ind in catalogue.indicators if ind.award]
    names += list(catalogue.award_aliases.items())
    spans = []
    for name, award in names:
        folded = fold(expand(name, "award").text)
        if folded:
            pattern = r"(?<!\w)" + re.escape(folded) + r"(?!\w)"
            spans += [(m.start(), m.end(), award) for m in re.finditer(pattern, written)]
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, award in spans:
        if all(end <= k[0] or start >= k[1] for k in kept):
            kept.append((start, end, award))
    return [award for _s, _e, award in kept]


def _honour_roll_named(text: str) -> list[str]:
    """The honour-roll awards (``[awards] honour_roll``) named inside ``text``, as written from the
    name on (abbreviations written out); ``[]`` when folding moved the text's positions."""
    from kpi.domain.abbreviations import expand

    expanded = expand(text, "award").text
    written = fold(expanded)
    if len(expanded) != len(written):
        return []
    found = (pattern.search(written) for pattern in register_words().pats("awards", "honour_roll"))
    return [expanded[m.start() :].strip(" .,:;") for m in found if m]


def _decision_in(text: str) -> tuple[str, dt.date | None]:
    """The decision number and date written in a heading or title line, or ``("", date)``."""
    number, date = decision_parts(text)
    return (number if re.search(r"\d\s*/", number) else ""), date


def _title_award(sheet: Sheet, header: int, catalogue: Catalogue) -> tuple[str, str, dt.date | None, str] | None:
    """(award, decision number, decision date, cell) when the lines above a register's header name
    exactly one award of the plan (else exactly one of the honour roll): "DANH SÁCH Tập thể, cá nhân
    được tặng Bằng khen của Chủ tịch UBND tỉnh … (Kèm theo Quyết định số 247/QĐ-UBND ngày 24 tháng 01
    năm 2025 …)" → every row's award and decision (black-box a1); else ``None``."""
    lines = [
        (cell_ref(r, c), _text(v)) for r in range(header) for c, v in enumerate(sheet.rows[r]) if isinstance(v, str)
    ]
    lines = [(cell, t) for cell, t in lines if t]
    for named in (lambda t: _awards_named(t, catalogue), _honour_roll_named):
        found = [(cell, award) for cell, t in lines for award in named(t)]
        awards = {match_key(a) for _c, a in found}
        if len(awards) == 1:
            break
    else:
        return None
    number, date = "", None
    for _cell, t in lines:
        if re.search(r"\b(quyet dinh|qd)\b", fold(t)) and (decision := _decision_in(t))[0]:
            number, date = decision
            break
    return found[0][1], number, date, found[0][0]


def _title_award_issue(sheet_name: str, award: str, number: str, date, cell: str) -> Issue:
    if not number:
        decision = ""
    elif date:
        decision = phrase("by_decision_dated", number=number, date=date)
    else:
        decision = phrase("by_decision", number=number)
    return issue(INFO, "award_from_title", sheet=sheet_name, cell=cell, award=award, decision=decision)


def _award_column_missing(sheet: Sheet, vocab: Vocabulary, scan_rows: int = 60) -> RegisterRead | None:
    """A refusal that names what is missing when a table reads as an award register — a recipient
    column («Tên tập thể, cá nhân»), no registration column — but has no award column, no award
    heading row and no title naming one award; ``None`` when the sheet is no such table."""
    for r in range(min(sheet.height, scan_rows)):
        roles = {}
        for c, value in enumerate(sheet.rows[r]):
            role = _role(_text(value) if isinstance(value, str) else "", vocab, (*_AWARD_ROLES, *_REGISTRATION_ROLES))
            roles.setdefault(role, c)
        if "recipient" in roles and not {"award", "registered_on", "registration_doc", "mark"} & roles.keys():
            header = _text(sheet.value(r, roles["recipient"]))
            refusal = issue(
                ERROR,
                "award_column_missing",
                sheet=sheet.name,
                cell=cell_ref(r, roles["recipient"]),
                row=r + 1,
                header=header,
            )
            title, year = _title_and_year(sheet, r)
            empty = pd.DataFrame([], columns=AWARD_COLUMNS)
            return RegisterRead("awards", sheet.name, year, title, r, {}, empty, [refusal], [])
    return None


def _award_in_heading(heading: str, catalogue: Catalogue) -> tuple[str, str, dt.date | None]:
    """What an award heading row says: (award name, decision number, decision date).

    The award is the plan's award (or an alias of one) named **inside** the heading, the longest
    found once abbreviations are written out on both sides ("Quyết định số 512/QĐ-TTg … tặng Cờ thi
    đua của Chính phủ" → "Cờ thi đua của Chính phủ"); else a known award of the honour roll named in
    it (``register_words.toml`` ``[awards] honour_roll``: "… công nhận danh hiệu Lao động tiên
    tiến" → "Lao động tiên tiến"); else the heading as written (an award name not understood, asked).
    The decision number and date written in the heading apply to the rows below it (black-box a2).
    """
    number, date = _decision_in(heading)
    named = _awards_named(heading, catalogue) or _honour_roll_named(heading)
    return (named[0] if named else heading), number, date


def person_key(recipient: str) -> str:
    """The key one recipient is known by in duplicate detection: honorifics and titles before a
    name ("Ông", "Bà", "Đ/c", "ThS.", "Đại úy") dropped, then :func:`match_key`."""
    text = clean_text(recipient)
    honorifics = register_words().honorifics
    changed = True
    while changed:
        changed = False
        f = fold(text)
        for h in honorifics:
            if f.startswith(h) and len(f) > len(h) and not f[len(h)].isalnum():
                text = text[len(h) :].lstrip(" .:,")
                changed = True
                break
    return match_key(text)


_PERSON = re.compile(r"^(?:[A-ZÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZÀ-Ỹ][\wÀ-ỹ]*){1,5}$")


def _kind_from_recipient(recipient: str, catalogue: Catalogue) -> str:
    """``tập thể`` for a unit of the plan or a name starting with "Phòng", "Tổ", "Trường", "Xã"…
    (``register_words.toml``); ``cá nhân`` for a person's name (2–6 capitalised words); else ""."""
    if catalogue.match_unit(recipient) is not None or register_words().any("recipients", "collective_words", recipient):
        return "tập thể"
    name = clean_text(recipient)
    key = person_key(name)
    if key != match_key(name):
        return "cá nhân"  # an honorific before it: a person
    if _PERSON.match(name) and not any(ch.isdigit() for ch in name):
        return "cá nhân"
    return ""


def _recipient_kind(
    written: str, section: str, catalogue: Catalogue, award: str, recipient: str, vocab
) -> tuple[str, str | tuple[str, str]]:
    """The recipient's kind and, when the signals disagree or none speaks, what to say:
    ``(kind, "")``; ``("", "unknown")`` when nothing tells the kind of a row with an award
    (``no_recipient_kind``); ``(kind, (source, others))`` when other signals disagree with the
    one trusted (``recipient_kind_disagrees``).

    Order of trust (issue 13): the kind column (words or "TT"/"CN"), the section heading, the
    award when only one kind can receive it, the recipient itself."""
    column = _kind_word(written, vocab)
    signals = [
        (phrase("kind_by_column"), column),
        (phrase("kind_by_heading"), section),
        (phrase("kind_by_award"), _kind_from_award(catalogue, award) if award else ""),
    ]
    by_name = phrase("kind_by_name")
    if not any(k for _w, k in signals):  # the recipient's own words only when nothing else speaks
        signals.append((by_name, _kind_from_recipient(recipient, catalogue)))
    spoken = [(where, k) for where, k in signals if k]
    if not spoken:
        return "", ("unknown" if award else "")
    kind = spoken[0][1]
    others = [phrase("kind_signal", source=where, kind=k) for where, k in spoken[1:] if k != kind and where != by_name]
    if others:
        return kind, (spoken[0][0], ", ".join(others))
    return kind, ""
