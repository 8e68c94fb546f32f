"""Reading the award register (TD02–TD09) — one row per award::

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
disagree; none → the row is asked (:mod:`kpi.reading.file_kind`). Honorifics before a name are
dropped in duplicate detection (:func:`person_key`). No achievement year in a column or the title →
asked; a year column wins over the title, a title naming a span of years gives none
(:func:`_register_year`). An award heading row's award is the plan's award named inside it, with
its decision (:func:`kpi.reading.award_headings.award_in_heading`); with no award column nor
heading, a title naming one award gives it to every row
(:func:`kpi.reading.award_headings.title_award`). Hidden rows count toward nothing and are said
(:func:`kpi.reading.register_open.hidden_rows_issue`) — black-box findings a1–a3, r2 of issue 13.
The messages' words are in :mod:`kpi.reading.messages`.
"""

from __future__ import annotations

import re

import pandas as pd

from kpi.domain.plan import Catalogue
from kpi.errors import NumberFormatError
from kpi.reading.award_headings import award_heading, award_in_heading, section_heading, title_award, title_award_issue
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.file_kind import name_match_issue, register_words
from kpi.reading.layout import Vocabulary
from kpi.reading.messages import issue, phrase
from kpi.reading.register_cells import cell_text, decision_parts, mark_proposals
from kpi.reading.register_open import (
    AWARD_COLUMNS,
    AWARD_ROLES,
    REGISTRATION_ROLES,
    RegisterRead,
    column_role,
    hidden_rows_issue,
    kind_word,
    open_register,
    register_rows,
    title_and_year,
    title_spans_years,
)
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, fold, match_key, parse_date

__all__ = ["person_key", "read_awards"]


def read_awards(
    sheet: Sheet, catalogue: Catalogue, vocab: Vocabulary, year: int | None = None, date1904: bool = False
) -> RegisterRead | None:
    """Read an award register (see the module's docstring); ``None`` if the sheet is not one.

    :param year: the achievement year to assume for rows without one (else the title's year).
    """
    opened = open_register(sheet, vocab, "awards", catalogue)
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
    titled = title_award(sheet, header, catalogue) if "award" not in cols else None
    if titled and not any(award_heading(sheet, r) for r in range(header + 1, sheet.height)):
        headings[1:] = titled[:3]  # every row's award and decision, from the title (black-box a1)
        issues.append(title_award_issue(sheet.name, *titled))
    else:
        titled = None
    default = ("", *headings[1:])

    def heading(r: int):
        """A register without an award column may write each award as a heading row above its
        recipients ("1. Bằng khen của Chủ tịch UBND tỉnh"); read before the kind, since "2. Tập thể
        lao động xuất sắc" is an award, not a section of collectives."""
        if "award" not in cols and (named := award_heading(sheet, r)):
            headings[1:] = award_in_heading(named, catalogue)
            return tuple(headings)
        kind = section_heading(sheet, r, cols)
        if kind is None:
            return None
        headings[:] = [kind, *default[1:]]
        return tuple(headings)

    hidden: list[tuple[int, str]] = []
    initial = tuple(headings)
    rows = register_rows(sheet, header, vocab, cols["recipient"], heading, initial=initial, hidden=hidden)
    for r, recipient, (section, heading_award, heading_number, heading_date) in rows:

        def get(role, r=r):
            return sheet.value(r, cols[role]) if role in cols else ""

        award_written = cell_text(get("award")) or heading_award
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
            cell_text(get("recipient_kind")), section, catalogue, award, recipient, vocab
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
        unit_written = cell_text(get("unit"))
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
        decision_number, decision_date = decision_parts(cell_text(get("decision_number")))
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
            m = re.search(r"(19|20)\d\d", cell_text(raw_year) if isinstance(raw_year, str) else str(int(raw_year)))
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
                "conferred_by": cell_text(get("conferred_by")),
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
                title_says=phrase("title_spans_years") if title_spans_years(title) else phrase("title_without_year"),
            )
        )
    if hidden_issue := hidden_rows_issue(sheet, cols["recipient"], hidden):
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
            f"cột «{cell_text(sheet.value(header, cols['award']))}»"
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
        return int(column_years.max()), f"cột «{cell_text(header)}» (năm gần nhất)"
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


def _award_column_missing(sheet: Sheet, vocab: Vocabulary, scan_rows: int = 60) -> RegisterRead | None:
    """A refusal that names what is missing when a table reads as an award register — a recipient
    column («Tên tập thể, cá nhân»), no registration column — but has no award column, no award
    heading row and no title naming one award; ``None`` when the sheet is no such table."""
    for r in range(min(sheet.height, scan_rows)):
        roles = {}
        for c, value in enumerate(sheet.rows[r]):
            role = column_role(
                cell_text(value) if isinstance(value, str) else "", vocab, (*AWARD_ROLES, *REGISTRATION_ROLES)
            )
            roles.setdefault(role, c)
        if "recipient" in roles and not {"award", "registered_on", "registration_doc", "mark"} & roles.keys():
            header = cell_text(sheet.value(r, roles["recipient"]))
            refusal = issue(
                ERROR,
                "award_column_missing",
                sheet=sheet.name,
                cell=cell_ref(r, roles["recipient"]),
                row=r + 1,
                header=header,
            )
            title, year = title_and_year(sheet, r)
            empty = pd.DataFrame([], columns=AWARD_COLUMNS)
            return RegisterRead("awards", sheet.name, year, title, r, {}, empty, [refusal], [])
    return None


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
    column = kind_word(written, vocab)
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
