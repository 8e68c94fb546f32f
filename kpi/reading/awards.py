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
disagree; none → the row is asked (:mod:`kpi.reading.file_kind`). Two rows are one award by
:func:`kpi.domain.award_identity.award_identity` (honorifics before a name dropped, decision numbers
compared normalised), the rule the registers in use are counted by too. No achievement year in a
column or the title → asked; a year column wins over the title, a title naming a span of years gives none
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

from kpi.domain.award_identity import award_identity, person_key
from kpi.domain.places import other_place_named
from kpi.domain.plan import Catalogue
from kpi.errors import NumberFormatError
from kpi.reading.award_headings import (
    award_heading,
    award_in_heading,
    heading_year,
    section_heading,
    title_award,
    title_award_issue,
)
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.file_kind import name_match_issue, person_name, register_words
from kpi.reading.layout import Vocabulary, header_fold
from kpi.reading.messages import issue, phrase
from kpi.reading.recipient_lists import RecipientLists, award_rows_words
from kpi.reading.register_cells import cell_text, decision_parts, mark_proposals, merged_down
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
from kpi.reading.report_place import plan_names, plan_place
from kpi.reading.workbook import Sheet, cell_ref
from kpi.vn import clean_text, match_key, parse_date

__all__ = ["person_key", "read_awards"]


def read_awards(
    sheet: Sheet,
    catalogue: Catalogue,
    vocab: Vocabulary,
    year: int | None = None,
    date1904: bool = False,
    mapping: dict | None = None,
) -> RegisterRead | None:
    """Read an award register (see the module's docstring); ``None`` if the sheet is not one.

    The steps, in order: open the register (header, columns, title and its year) → the headings
    that give rows their award and kind (title, award heading rows, section rows) → each row to an
    award (:class:`_AwardRows`) → the table, proposals marked → the register's year and the rows of
    other years → the preview's lines.

    :param year: the achievement year to assume for rows without one (else the title's year).
    :param mapping: the register's layout as the clerk described it, for headings not found
        (:func:`kpi.reading.register_open.given_register`).
    """
    opened = open_register(sheet, vocab, "awards", catalogue, mapping)
    if opened is None:
        return None if mapping else _award_column_missing(sheet, vocab)
    header, cols, title, title_year = opened
    # a cell merged down («Số QĐ» A7:A9) is each row's; the rows under a merged name are that person
    sheet, continued = merged_down(sheet, header, cols["recipient"], cols.get("award"))
    headings = _Headings(sheet, catalogue, cols, header)
    rows = _AwardRows(sheet, catalogue, vocab, cols, year or title_year, date1904)
    rows.issues.extend(headings.issues)
    hidden: list[tuple[int, str]] = []
    found = register_rows(sheet, header, vocab, cols["recipient"], headings.at, initial=headings.initial, hidden=hidden)
    lists = RecipientLists(sheet.name, lambda name: _kind_from_recipient(name, catalogue))
    for r, recipient, heading in found:
        if r in continued:
            continue
        for name in lists.names(cell_ref(r, cols["recipient"]), sheet.value(r, cols["recipient"]), recipient):
            rows.read(r, name, *heading)  # a cell listing several recipients: one award each
    issues = rows.issues
    issues.extend(lists.issues())
    if rows.unit_tails:
        listed = "; ".join(rows.unit_tails[:10]) + ("; …" if len(rows.unit_tails) > 10 else "")
        issues.append(issue(INFO, "unit_at_end.award", sheet=sheet.name, count=len(rows.unit_tails), listed=listed))
    if unread := unread_columns(sheet, header, cols, vocab):
        issues.append(issue(INFO, "columns_not_read", sheet=sheet.name, listed=unread))
    if rows.no_year:
        issues.append(_no_year_issue(sheet.name, rows.no_year, title))
    if hidden_issue := hidden_rows_issue(sheet, cols["recipient"], hidden):
        issues.append(hidden_issue)
    table = _award_table(rows.records, cols)
    mark_proposals(sheet, header, cols, table, issues)  # a proposal is not an award
    register_year, year_source = _register_year(
        table, cols, year, title_year, sheet.value(header, cols.get("achievement_year", 0))
    )
    if other_years := _other_years_issue(sheet.name, table, register_year):
        issues.append(other_years)
    inferred = _award_inferred(sheet, header, cols, title, headings.titled, table, register_year, year_source)
    if table.empty and not rows.no_year and not lists.held:
        issues.append(issue(ERROR, "empty_register.awards", sheet=sheet.name))
    return RegisterRead("awards", sheet.name, register_year, title, header, cols, table, issues, inferred)


def unit_at_end(catalogue: Catalogue, written: str) -> str:
    """The plan's unit a «chức vụ, đơn vị công tác» cell names at its end — after the last comma
    («Kế toán, Xã Lam Sơn»), else its last words («Chủ tịch UBND Xã Tề Lễ») — or ``""``. Only a
    whole unit name of the catalogue (or its alias) of at least two words, matched exactly or
    without diacritics, never by similar words: a school «Trường THCS Hưng Hoá» is no commune.
    Black-box (December 2026): such a column was not read and four awards were stored without
    their unit, without a word."""
    text = clean_text(written)
    words = text.split(" ")
    candidates = [text.rsplit(",", 1)[1]] if "," in text else []
    candidates += [" ".join(words[i:]) for i in range(1, len(words) - 1)]
    for candidate in candidates:
        if len(candidate.split()) >= 2 and (found := catalogue.match_unit(candidate)):
            return found.value
    return ""


def unread_columns(sheet: Sheet, header: int, cols: dict[str, int], vocab: Vocabulary) -> str:
    """The header's named columns the reading did not use (the row number's aside, the
    vocabulary's ``stt``): «Ghi chú (H3)», so a clerk sees that a column of the file was left
    out; ``""`` when none was."""
    used = set(cols.values())
    left = []
    for c in range(sheet.width):
        text = cell_text(sheet.value(header, c))
        if c in used or not text or Vocabulary.any(vocab.columns["stt"], header_fold(text)):
            continue
        left.append(f"«{text}» ({cell_ref(header, c)})")
    return "; ".join(left)


class _Headings:
    """What the rows above a register's row say about it: ``(recipient kind of the section, award,
    decision number, decision date)`` — from the title when it names the one award of every row
    and no award heading row follows (black-box a1), from the latest award heading row above
    (black-box a2), and the latest section heading ("I. TẬP THỂ")."""

    def __init__(self, sheet: Sheet, catalogue: Catalogue, cols: dict[str, int], header: int):
        self.sheet, self.catalogue, self.cols = sheet, catalogue, cols
        self.issues: list[Issue] = []
        self.state: list = ["", "", "", None, None]  # kind, award, decision number, date, achievement year
        titled = title_award(sheet, header, catalogue) if "award" not in cols else None
        if titled and not any(award_heading(sheet, r) for r in range(header + 1, sheet.height)):
            self.state[1:4] = titled[:3]  # every row's award and decision, from the title (black-box a1)
            self.issues.append(title_award_issue(sheet.name, *titled))
        else:
            titled = None
        self.titled = titled
        self.default = ("", *self.state[1:])
        self.initial = tuple(self.state)

    def at(self, r: int):
        """A register without an award column may write each award as a heading row above its
        recipients ("1. Bằng khen của Chủ tịch UBND tỉnh"); read before the kind, since "2. Tập thể
        lao động xuất sắc" is an award, not a section of collectives. ``None``: not a heading."""
        if "award" not in self.cols and (named := award_heading(self.sheet, r)):
            self.state[1:4] = award_in_heading(named, self.catalogue)
            # «BẰNG KHEN … (THÀNH TÍCH NĂM 2023)»: the rows under it are of that year (round 12)
            self.state[4] = heading_year(named)
            return tuple(self.state)
        kind = section_heading(self.sheet, r, self.cols)
        if kind is None:
            return None
        self.state[:] = [kind, *self.default[1:]]
        return tuple(self.state)


class _AwardRows:
    """Each data row of an award register to one record of :data:`AWARD_COLUMNS` (:meth:`read`),
    with the issues it raises; rows with no award or a bad year are skipped, rows with no year
    anywhere kept aside in ``no_year`` (the year is asked)."""

    def __init__(self, sheet, catalogue, vocab, cols, default_year, date1904):
        self.sheet, self.catalogue, self.vocab, self.cols = sheet, catalogue, vocab, cols
        self.default_year, self.date1904 = default_year, date1904
        self.issues: list[Issue] = []
        self.records: list[dict] = []
        self.identities: dict[tuple, int] = {}
        self.said: set[str] = set()  # award names whose matching was already explained
        self.no_year: list[str] = []  # cells of rows with no achievement year anywhere
        self.unit_tails: list[str] = []  # units read from the end of a «chức vụ, đơn vị» cell, said
        self.ours, self.ours_said = plan_names(catalogue), plan_place(catalogue)
        self._places: dict[str, str] = {}  # text → the other place it names: a list repeats a few texts

    def _value(self, r: int, role: str):
        return self.sheet.value(r, self.cols[role]) if role in self.cols else ""

    def _cell(self, r: int, role: str) -> str:
        """The cell of ``role`` on row ``r``, else the recipient's."""
        return cell_ref(r, self.cols.get(role, self.cols["recipient"]))

    def read(
        self,
        r: int,
        recipient: str,
        section: str,
        heading_award: str,
        heading_number: str,
        heading_date,
        heading_year: int | None = None,
    ):
        """Row ``r`` (its recipient, and what the headings above it say) → a record, or nothing."""
        award_written = cell_text(self._value(r, "award")) or heading_award
        if not award_written:
            self.issues.append(
                issue(
                    WARNING,
                    "no_award",
                    sheet=self.sheet.name,
                    cell=self._cell(r, "award"),
                    row=r + 1,
                    recipient=recipient,
                )
            )
            return
        award = self._award(r, award_written)
        recipient_kind = self._kind(r, recipient, section, award)
        unit, unit_written = self._unit(r)
        decision_number, decision_date = self._decision(r, heading_number, heading_date)
        achievement_year = self._year(r, heading_year)
        if achievement_year is None:
            return
        key = self.catalogue.award_key(award, recipient_kind) if award and recipient_kind else None
        conferred_by = cell_text(self._value(r, "conferred_by"))
        elsewhere = self._elsewhere(r, key, recipient, award_written, conferred_by)
        key = None if elsewhere else key
        identity = award_identity(
            decision_number, recipient, unit or unit_written, award or award_written, self.catalogue.own_places
        )
        duplicate_of = self._duplicate(r, identity, key, recipient, award_written, decision_number)
        note = f"trùng dòng {duplicate_of}" if duplicate_of is not None else ""
        if elsewhere:
            note = note or phrase("award_elsewhere_note", place=elsewhere)
        if not award:
            note = note or "không thuộc chỉ tiêu của kế hoạch"
        self.records.append(
            {
                "row_number": r + 1,
                "sheet": self.sheet.name,
                "cell": cell_ref(r, self.cols["recipient"]),
                "recipient": recipient,
                "recipient_kind": recipient_kind,
                "unit": unit or unit_written,
                "award_written": award_written,
                "award": award,
                "conferred_by": conferred_by,
                "decision_number": decision_number,
                "decision_date": decision_date,
                "achievement_year": achievement_year,
                "key": key or "",
                "duplicate_of": duplicate_of,
                "note": note,
            }
        )

    def _elsewhere(self, r: int, key, recipient: str, award_written: str, conferred_by: str) -> str:
        """The other district or province (not the plan's) that the row says gave its award — its
        «Cấp khen» cell, else the award's own name («… Chủ tịch UBND huyện Cẩm Khê»), by the rule
        of a title block (:func:`kpi.domain.places.other_place_named`) — or ``""``. Such an award
        is no award of the plan's place: kept on the honour roll, counted toward no target, and
        said by row and cell when it would have counted (round 8 blind finding 2: «Chủ tịch UBND
        huyện Cẩm Khê» counted toward TD09, shown as «Chủ tịch UBND huyện»). Not held: a row the
        reader doubts is counted toward nothing and warned (``award_kind_disagrees``)."""
        for role, text in (("conferred_by", conferred_by), ("award", award_written)):
            if text not in self._places:
                self._places[text] = other_place_named(text, self.ours, self.vocab.places)
            if place := self._places[text]:
                if key:
                    self.issues.append(
                        issue(
                            WARNING,
                            "award_elsewhere",
                            sheet=self.sheet.name,
                            cell=self._cell(r, role),
                            key=key,
                            row=r + 1,
                            recipient=recipient,
                            award=award_written,
                            written=text,
                            place=place,
                            ours=self.ours_said,
                            target=self.catalogue[key].name,
                        )
                    )
                return place
        return ""

    def _award(self, r: int, award_written: str) -> str:
        """The plan's award the row names, or ``""``; a match by similarity or abbreviation said once."""
        match = self.catalogue.match_award(award_written, by_words=True)
        award = match.value if match else ""
        if match is not None and match.how in ("similar", "abbreviation") and award_written not in self.said:
            self.said.add(award_written)
            self.issues.append(
                name_match_issue(match, award_written, award, "", self.sheet.name, self._cell(r, "award"))
            )
        return award

    def _kind(self, r: int, recipient: str, section: str, award: str) -> str:
        """The recipient's kind (:func:`_recipient_kind`), warned when unknown or disputed."""
        written = cell_text(self._value(r, "recipient_kind"))
        kind, said = _recipient_kind(written, section, self.catalogue, award, recipient, self.vocab)
        where = {
            "sheet": self.sheet.name,
            "cell": self._cell(r, "recipient_kind"),
            "row": r + 1,
            "recipient": recipient,
        }
        if said == "unknown":
            self.issues.append(issue(WARNING, "no_recipient_kind", **where))
        elif said and said[0] == "award":
            _award, named, awarded = said
            self.issues.append(
                issue(WARNING, "award_kind_disagrees", named=named, award=award, awarded=awarded, **where)
            )
        elif said:
            source, others = said
            self.issues.append(
                issue(WARNING, "recipient_kind_disagrees", kind=kind, source=source, others=others, **where)
            )
        return kind

    def _unit(self, r: int) -> tuple[str, str]:
        """(the catalogue's unit or ``""``, the unit as written); an unknown unit is warned, kept."""
        unit_written = cell_text(self._value(r, "unit"))
        if not unit_written:
            return "", ""
        um = self.catalogue.match_unit(unit_written, by_words=True)
        if um:
            return um.value, unit_written
        cell = cell_ref(r, self.cols["unit"])
        if tail := unit_at_end(self.catalogue, unit_written):  # «Chủ tịch UBND Xã Tề Lễ», «Kế toán, Xã Lam Sơn»
            self.unit_tails.append(f"{cell} «{unit_written}» → {tail}")
            return tail, unit_written
        self.issues.append(
            issue(WARNING, "unknown_unit.award", sheet=self.sheet.name, cell=cell, written=unit_written, row=r + 1)
        )
        return "", unit_written

    def _decision(self, r: int, heading_number: str, heading_date) -> tuple[str, object]:
        """The decision's number and date: "90/QĐ-UBND ngày 16/01/2025" in one cell (black-box
        finding), else a decision heading row's for the rows below; a date column wins."""
        decision_number, decision_date = decision_parts(cell_text(self._value(r, "decision_number")))
        decision_number = decision_number or heading_number
        decision_date = decision_date or heading_date
        raw = self._value(r, "decision_date")
        if "decision_date" in self.cols and raw not in ("", None):
            try:
                parsed = parse_date(raw, self.date1904)
                decision_date = parsed.value if parsed else decision_date
            except NumberFormatError as exc:
                cell = cell_ref(r, self.cols["decision_date"])
                self.issues.append(
                    issue(WARNING, "bad_date.decision", sheet=self.sheet.name, cell=cell, error=exc.message_vi)
                )
        return decision_number, decision_date

    def _year(self, r: int, heading_year: int | None = None) -> int | None:
        """The row's achievement year: its column's, else its award heading's («… (thành tích năm
        2023)»), else the default; ``None`` skips the row (a bad year is an error; no year anywhere
        is kept in ``no_year`` and asked)."""
        raw_year = self._value(r, "achievement_year")
        if raw_year not in ("", None):
            m = re.search(r"(19|20)\d\d", cell_text(raw_year) if isinstance(raw_year, str) else str(int(raw_year)))
            if m:
                return int(m.group(0))
            cell = cell_ref(r, self.cols["achievement_year"])
            self.issues.append(issue(ERROR, "bad_year", sheet=self.sheet.name, cell=cell, written=raw_year, row=r + 1))
            return None
        if heading_year:
            return heading_year
        if self.default_year:
            return self.default_year
        self.no_year.append(cell_ref(r, self.cols["recipient"]))
        return None

    def _duplicate(self, r, identity, key, recipient, award_written, decision_number) -> int | None:
        """The row number of an earlier row with the same (decision, recipient, unit, award), warned;
        else ``None`` and the row is remembered."""
        duplicate_of = self.identities.get(identity)
        if duplicate_of is None:
            self.identities[identity] = r + 1
            return None
        self.issues.append(
            issue(
                WARNING,
                "duplicate_award",
                sheet=self.sheet.name,
                cell=cell_ref(r, self.cols["recipient"]),
                key=key or "",
                row=r + 1,
                first_row=duplicate_of,
                recipient=recipient,
                award=award_written,
                decision=decision_number or phrase("no_decision_number"),
            )
        )
        return duplicate_of


def _no_year_issue(sheet_name: str, no_year: list[str], title: str) -> Issue:
    """The error asking the achievement year of the rows that have none (their cells)."""
    return issue(
        ERROR,
        "no_achievement_year",
        sheet=sheet_name,
        cell=no_year[0],
        count=len(no_year),
        cells=", ".join(no_year[:10]),
        more=phrase("more") if len(no_year) > 10 else "",
        title_says=phrase("title_spans_years") if title_spans_years(title) else phrase("title_without_year"),
    )


def _award_table(records: list[dict], cols: dict[str, int]) -> pd.DataFrame:
    """The records as :data:`AWARD_COLUMNS` (years and duplicates as Int64); the award and unit
    columns' indexes in ``attrs["award_column"]``, ``attrs["unit_column"]`` when there are ones."""
    table = pd.DataFrame(records, columns=AWARD_COLUMNS)
    table["achievement_year"] = table["achievement_year"].astype("Int64")
    table["duplicate_of"] = table["duplicate_of"].astype("Int64")
    if "award" in cols:  # the award's own cell in lists (file_kind.award_cell); none under award headings
        table.attrs["award_column"] = cols["award"]
    if "unit" in cols:  # the unit's own cell (file_kind.unit_cell): «Đây là đơn vị» cites where it is written
        table.attrs["unit_column"] = cols["unit"]
    return table


def _other_years_issue(sheet_name: str, table: pd.DataFrame, register_year: int | None) -> Issue | None:
    """An info counting the rows of other achievement years (kept, counted toward no target)."""
    other_years = table[(table["achievement_year"] != register_year) & table["achievement_year"].notna()]
    if not len(other_years):
        return None
    per_year = other_years["achievement_year"].value_counts().sort_index()
    return issue(
        INFO,
        "other_year",
        sheet=sheet_name,
        count=len(other_years),
        year=register_year,
        per_year=", ".join(phrase("rows_of_year", year=int(y), count=int(n)) for y, n in per_year.items()),
    )


def _award_inferred(sheet, header, cols, title, titled, table, register_year, year_source) -> list[tuple]:
    """The preview's lines of an award register: (what, value, how it was found)."""
    if "award" in cols:
        found_by = phrase("found_by_column", header=cell_text(sheet.value(header, cols["award"])))
    else:
        found_by = phrase("award_in_title") if titled else phrase("award_in_headings")
    counted = (table["key"] != "") & table["duplicate_of"].isna() & (table["achievement_year"] == register_year)
    year = str(register_year or "?")
    return [
        (phrase("inferred_kind"), phrase("kind_awards"), found_by),
        (phrase("inferred_sheet"), sheet.name, ""),
        (phrase("inferred_title"), title or phrase("none"), ""),
        (phrase("inferred_achievement_year"), year, year_source),
        (phrase("inferred_award_rows"), award_rows_words(table), ""),
        (phrase("inferred_counted_in_year", year=year), str(int(counted.sum())), phrase("counted_once")),
    ]


def _register_year(table: pd.DataFrame, cols: dict, chosen: int | None, title_year: int | None, header) -> tuple:
    """The achievement year a register is stored for and where it comes from (issue 13, black-box
    a3): the year chosen (``--year``); else, when rows carry their own year, the latest of them (a
    per-row year column always wins over the title: a running book "giai đoạn 2022 - 2024" is
    stored for 2024, its older rows kept but counted toward no target of 2024); else the title's.

    :returns: (year or ``None``, the preview's "source" text).
    """
    column_years = table["achievement_year"].dropna() if "achievement_year" in cols else table["achievement_year"][:0]
    if chosen:
        return chosen, phrase("year_chosen")
    if not column_years.empty:
        return int(column_years.max()), phrase("year_column_latest", header=cell_text(header))
    return (title_year, phrase("year_from_title")) if title_year else (None, "")


def _kind_from_award(catalogue: Catalogue, award: str) -> str:
    """The recipient kind an award implies when only one kind can receive it in the plan."""
    kinds = catalogue.award_recipient_kinds(award)
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


def _kind_from_recipient(recipient: str, catalogue: Catalogue) -> str:
    """``tập thể`` for a unit of the plan or a name starting with "Phòng", "Tổ", "Trường", "Xã"…
    (``register_words.toml``); ``cá nhân`` for a person's name (2–6 capitalised words); else ""."""
    if catalogue.match_unit(recipient) is not None or register_words().any("recipients", "collective_words", recipient):
        return "tập thể"
    return "cá nhân" if person_name(clean_text(recipient)) else ""  # an honorific before it, or a name


def _recipient_kind(
    written: str, section: str, catalogue: Catalogue, award: str, recipient: str, vocab
) -> tuple[str, str | tuple[str, str]]:
    """The recipient's kind and, when the signals disagree or none speaks, what to say:
    ``(kind, "")``; ``("", "unknown")`` when nothing tells the kind of a row with an award
    (``no_recipient_kind``); ``(kind, (source, others))`` when other signals disagree with the
    one trusted (``recipient_kind_disagrees``); ``("", ("award", named, awarded))`` when only the
    award tells the kind and the recipient's name says the other one (``award_kind_disagrees``: the
    row is asked, never counted on a guess).

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
    elif not column and not section:  # the award alone: a person's name under a collective's award is asked
        named = _kind_from_recipient(recipient, catalogue)
        if named and named != signals[2][1]:
            # black-box: «Ma Văn Sơn» — «LĐXS», read as «Tập thể lao động xuất sắc», counted as a collective
            return "", ("award", named, signals[2][1])
    spoken = [(where, k) for where, k in signals if k]
    if not spoken:
        return "", ("unknown" if award else "")
    kind = spoken[0][1]
    others = [phrase("kind_signal", source=where, kind=k) for where, k in spoken[1:] if k != kind and where != by_name]
    if others:
        return kind, (spoken[0][0], ", ".join(others))
    return kind, ""
