"""The award registers as counted (issue 13): the honour roll of the lists in use, and the counts of
the award targets — one award (decision, recipient, unit, award compared normalised,
:mod:`kpi.domain.award_identity`) counted once, in the first list that has it, however many
lists repeat it; what the counts would be once a list not yet stored is saved."""

from __future__ import annotations

import duckdb
import pandas as pd

from kpi.domain.award_identity import (
    AwardNaming,
    award_identity,
    award_level,
    award_naming,
    decision_key,
    first_of_award,
    title_and_organisation,
)

__all__ = [
    "award_rows",
    "award_counts",
    "award_counts_after",
    "new_rows_counted",
    "new_rows_met_before",
    "own_places",
    "roll_naming",
]


def award_rows(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """The honour roll: every award row of active registers (of achievement ``year`` if given), in
    upload order, then row order.

    :returns: DataFrame with the register columns of :data:`kpi.reading.registers.AWARD_COLUMNS` plus
        ``submission_id``, ``file_name``, ``uploaded_at``, ``uploaded_by``, ``counted`` (bool: counts
        toward its key, :func:`_mark_counted`), ``decision_number`` as the first row of that decision
        wrote it (:func:`_first_spellings`; ``decision_written`` as this row's list did), ``repeats`` (for a row that repeats another: "dòng
        47 của khen-thuong-2024.xlsx" across lists, "dòng 7" within its own; else None) and ``award_level`` (who confers the award,
        «Cấp khen», :func:`kpi.domain.award_identity.award_level`: the same rule for every list's
        rows, a list without a «Cấp khen» column too; ``conferred_by`` stays as the file wrote it),
        ``award_name`` (the name the award is shown, filtered and searched by everywhere:
        :func:`kpi.domain.award_identity.award_name`, the plan's award the reader resolved, so
        «CSTĐCS» is «Chiến sĩ thi đua cơ sở» like the main list's rows), ``award_aside`` (how
        the list wrote it when that differs, «CSTĐCS», else ``""``), and of a person's unit written
        with a title («Giáo viên Trường TH Thọ Văn») ``title`` and ``organisation`` apart
        (:func:`kpi.domain.award_identity.title_and_organisation`; a collective's: no title, its unit).
    """
    extra, params = "", []
    if year is not None:
        extra = " AND a.achievement_year = ?"
        params.append(year)
    frame = con.execute(
        f"""
        SELECT a.*, s.file_name, s.uploaded_at, s.uploaded_by, s.seq
        FROM awards a JOIN submissions s USING (submission_id)
        WHERE s.status = 'active'{extra} ORDER BY s.seq, a.row_number""",
        params,
    ).fetchdf()
    places = own_places(con)
    first = _first_of_award(frame, places)
    frame["counted"] = _mark_counted(frame, first)
    # a row not counted because it repeats another: which one (the honour roll's «trùng»)
    frame["repeats"] = pd.Series(
        [
            f"dòng {frame['row_number'].iloc[j]} của {frame['file_name'].iloc[j]}"
            if j is not None
            else None
            if pd.isna(dup)
            else f"dòng {int(dup)}"
            for j, dup in zip(first, frame["duplicate_of"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )
    frame["decision_written"] = frame["decision_number"]
    frame["decision_number"] = _first_spellings(frame["decision_number"])
    frame["award_level"] = [
        award_level(a, w, c, places) for a, w, c in _texts(frame, ("award", "award_written", "conferred_by"))
    ]
    naming = roll_naming(con)  # of every year's rows: the page's roll and a year's annex name alike
    pairs = _texts(frame, ("award", "award_written"))
    frame["award_name"] = [naming.name(a, w) for a, w in pairs]
    frame["award_aside"] = [naming.aside(a, w) for a, w in pairs]
    # a person's «Chức vụ, đơn vị công tác» kept as written («Giáo viên Trường TH Thọ Văn»): the
    # body under «Cơ quan, đơn vị», the title beside the person (round 7 blind finding 15)
    parts = [
        title_and_organisation(u) if k != "tập thể" else ("", u) for k, u in _texts(frame, ("recipient_kind", "unit"))
    ]
    frame["title"] = [t for t, _o in parts]
    frame["organisation"] = [o for _t, o in parts]
    return frame.drop(columns=["seq"])


def _first_spellings(numbers: pd.Series) -> list:
    """Each decision number as the first row (upload order, then row order) wrote that decision
    (:func:`kpi.domain.award_identity.decision_key`): the draft and the annex cite one decision
    once, as the first list wrote it (black-box round 9: «91/QĐ-UBND; 091/QĐ-UBND»)."""
    first: dict[str, str] = {}
    out = []
    for number in numbers:
        text = "" if number is None or (isinstance(number, float) and pd.isna(number)) else str(number)
        key = decision_key(text)
        out.append(first.setdefault(key, text) if key else number)
    return out


def roll_naming(
    con: duckdb.DuckDBPyConnection, new_rows: pd.DataFrame | None = None, replaced: list[int] | tuple[int, ...] = ()
) -> AwardNaming:
    """The names the honour roll shows its awards by (:func:`kpi.domain.award_identity.award_naming`)
    over the award rows of the lists in use, of every year — but the ``replaced`` ones, and with
    ``new_rows`` (a register not yet stored, :data:`kpi.reading.registers.AWARD_COLUMNS`): the
    upload preview asks it of the file, so it names each award as the roll will once saved."""
    rows = con.execute(
        """
        SELECT coalesce(a.award, ''), coalesce(a.award_written, '')
        FROM awards a JOIN submissions s USING (submission_id)
        WHERE s.status = 'active' AND NOT list_contains(?, s.submission_id)""",
        [[int(i) for i in replaced]],
    ).fetchall()
    if new_rows is not None and len(new_rows):
        rows += _texts(new_rows, ("award", "award_written"))
    return award_naming(rows, _plan_awards(con), own_places(con))


def own_places(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The plans' own province and district (``plans``: every year's, as the roll is of every
    year's lists): an award naming them is the plan's award of that kind («Giấy khen Chủ tịch UBND
    huyện Tam Nông» in Tam Nông's list is «… UBND huyện»; :func:`kpi.domain.award_identity.award_key`)."""
    rows = con.execute("SELECT province, district FROM plans ORDER BY year").fetchall()
    return tuple(dict.fromkeys(p for row in rows for p in row if p and str(p).strip()))


def _plan_awards(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The award names the plans' indicators count (the names the honour roll writes as the plan does)."""
    rows = con.execute("SELECT DISTINCT award FROM indicators WHERE award IS NOT NULL AND award <> ''").fetchall()
    return sorted(str(a) for (a,) in rows)


def _texts(frame: pd.DataFrame, columns) -> list[tuple[str, ...]]:
    """The rows of ``columns`` as tuples of text (a missing value ``""``)."""
    return list(frame[list(columns)].fillna("").astype(str).itertuples(index=False, name=None))


def _first_of_award(frame: pd.DataFrame, places: tuple[str, ...]) -> list[int | None]:
    """:func:`kpi.domain.award_identity.first_of_award` of ``frame``'s rows (positions)."""
    own = frame["duplicate_of"].isna().tolist()
    parts = ("decision_number", "recipient", "unit", "award", "award_written")
    rows = [(d, r, u, a or w, o) for (d, r, u, a, w), o in zip(_texts(frame, parts), own, strict=True)]
    return first_of_award(rows, places)


def _mark_counted(
    frame: pd.DataFrame, first: list[int | None] | None = None, places: tuple[str, ...] = ()
) -> pd.Series:
    """Whether each award row (``frame`` in upload order, then row order) counts toward its key: it
    has a key, is no duplicate within its register and is the first of its award across the
    registers in use (``first``: :func:`_first_of_award`, worked out when not given) — a row in two
    registers counts once. One award is one :func:`kpi.domain.award_identity.award_identity`
    (decision, recipient, unit, award compared normalised: «Ông Lê Văn A» in a supplement is «Lê
    Văn A» of the main list; «Lê Văn Á» is not).

    :returns: bool Series on ``frame``'s index.
    """
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    first = _first_of_award(frame, places) if first is None else first
    own = frame["duplicate_of"].isna()
    keyed = frame["key"].fillna("").astype(str) != ""
    firsts = pd.Series([j is None for j in first], index=frame.index)
    return (keyed & own & firsts).astype(bool)


def award_counts_after(
    con: duckdb.DuckDBPyConnection,
    year: int,
    new_rows: pd.DataFrame | None = None,
    replaced: list[int] | tuple[int, ...] = (),
) -> dict[str, int]:
    """:func:`award_counts` as they would be once a register not yet stored is saved: the award
    rows of the active registers but the ``replaced`` ones, and ``new_rows`` (its rows,
    :data:`kpi.reading.registers.AWARD_COLUMNS`) as the latest upload — the same counting rule
    (:func:`_mark_counted`). Without ``new_rows`` nor ``replaced``: the counts now.

    :returns: ``{TD key: count}`` of achievement ``year``.
    """
    frame = _awards_after(con, year, new_rows, replaced)
    counted = frame[_mark_counted(frame, places=own_places(con))]
    return {str(k): int(n) for k, n in counted.groupby("key").size().items()}


def new_rows_counted(
    con: duckdb.DuckDBPyConnection, year: int, new_rows: pd.DataFrame, replaced: list[int] | tuple[int, ...] = ()
) -> int:
    """How many of ``new_rows`` (a register not yet stored, :data:`kpi.reading.registers.AWARD_COLUMNS`)
    count toward a target of achievement ``year`` once saved beside the active registers but the
    ``replaced`` ones — the counting rule of :func:`award_counts_after`: a row that repeats a row
    of a list in use counts there, not again (black-box: a supplement's preview said «Tính vào chỉ
    tiêu năm 2024: 5» of a file whose fifth row repeated the main list's; saving added 4)."""
    frame = _awards_after(con, year, new_rows, replaced)
    return int((_mark_counted(frame, places=own_places(con)) & frame["new"]).sum())


def new_rows_met_before(
    con: duckdb.DuckDBPyConnection, year: int, new_rows: pd.DataFrame, replaced: list[int] | tuple[int, ...] = ()
) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """The rows of ``new_rows`` (a register not yet stored) a list in use already has, as
    ``(new row, stored row)`` pairs of dicts (``row_number``, ``decision_number``, ``decision_date``,
    ``file_name``…), in two kinds: **repeats** — one award (:func:`kpi.domain.award_identity.award_identity`),
    counted there and not again; **doubts** — the same decision number, recipient and award where
    the unit differs or the decision's date does: not merged (or, one award, counted once), said to
    the clerk naming both rows (black-box round 9: a supplement's repeat counted twice with nothing
    said)."""
    frame = _awards_after(con, year, new_rows, replaced)
    places = own_places(con)
    first = _first_of_award(frame, places)
    rows = frame.to_dict("records")
    repeats, doubts = [], []
    by_award: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        identity = award_identity(
            *(_text(row[c]) for c in ("decision_number", "recipient", "unit")),
            _text(row["award"]) or _text(row["award_written"]),
            places,
        )
        loose = (identity[0], identity[1], identity[3])
        if not row["new"]:
            if pd.isna(row["duplicate_of"]):
                by_award.setdefault(loose, i)
            continue
        if first[i] is not None and not rows[first[i]]["new"]:
            old = rows[first[i]]
            repeats.append((row, old))
            if _date(row) and _date(old) and _date(row) != _date(old):
                doubts.append((row, old))
        elif first[i] is None and pd.isna(row["duplicate_of"]) and (j := by_award.get(loose)) is not None:
            doubts.append((row, rows[j]))
    return repeats, doubts


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _date(row: dict):
    value = row.get("decision_date")
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _awards_after(con, year: int, new_rows: pd.DataFrame | None, replaced) -> pd.DataFrame:
    """The award rows :func:`award_counts_after` counts, in counting order, ``new`` true for
    ``new_rows``'s (the latest upload: after every stored row)."""
    wanted = [
        "key",
        "decision_number",
        "decision_date",
        "recipient",
        "unit",
        "award",
        "award_written",
        "duplicate_of",
        "row_number",
    ]
    frame = con.execute(
        """
        SELECT a.key, a.decision_number, a.decision_date, a.recipient, a.unit, a.award, a.award_written,
               a.duplicate_of, a.row_number, s.file_name
        FROM awards a JOIN submissions s USING (submission_id)
        WHERE s.status = 'active' AND a.achievement_year = ? AND NOT list_contains(?, s.submission_id)
        ORDER BY s.seq, a.row_number""",
        [year, [int(i) for i in replaced]],
    ).fetchdf()
    frame["new"] = False
    if new_rows is not None and len(new_rows):
        new = new_rows.loc[new_rows["achievement_year"] == year, wanted].sort_values("row_number", kind="stable")
        new = new.astype({"duplicate_of": "float64"}).assign(new=True)  # the latest upload: after every stored row
        frame = new if frame.empty else pd.concat([frame.astype({"duplicate_of": "float64"}), new])
        frame = frame.reset_index(drop=True)
    return frame


def award_counts(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    """Awards of achievement ``year`` per TD key, each (decision, recipient, unit, award) once."""
    rows = award_rows(con, year)
    if rows.empty:
        return {}
    counted = rows[rows["counted"]]
    return {k: int(v) for k, v in counted.groupby("key").size().items()}
