"""What the upload preview tells the clerk before saving (issue 14, item 8).

* :func:`warnings_heading` — the heading over a file's warnings: a refused (or held) file is never
  said to be savable;
* :func:`planned_changes` / :func:`labelled_changes` — a correction's figures against the version in
  use of the same series (same sender, subject, period: the rule of :func:`kpi.ingest.commit`,
  told by :func:`kpi.ingest.planned_effect`), so the clerk sees "old → new" before saving, the way
  :func:`kpi.storage.figures.submission_changes` (written by :func:`labelled_stored_changes`) shows it after.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd

from kpi.domain.rules import version_rank, vintage_rank, winner_number_sql
from kpi.ingest import Prepared, planned_effect
from kpi.reading.numbers import figure_text
from kpi.storage.database import data_version
from kpi.storage.figures import uploads_named
from kpi.vn import format_number, quarter_words
from kpi.words import FILE_KIND_WORDS, HISTORY_ONLY_NOTE, VINTAGE_WORDS, kind_words, report_period_words

__all__ = [
    "CHANGE_COLUMNS",
    "figure_formats",
    "history_differences",
    "stored_state_words",
    "labelled_differences",
    "history_only",
    "labelled_changes",
    "labelled_stored_changes",
    "labelled_observations",
    "plan_names",
    "planned_changes",
    "preview_effect",
    "register_effect",
    "RegisterEffect",
    "file_kind_label",
    "period_badge_words",
    "report_sheet_choices",
    "warnings_heading",
]

CHANGE_COLUMNS = ["key", "name", "subject", "quarter", "kind", "old_value", "new_value", "change", "replaces"]
_CHANGE_WORDS = {"changed": "sửa", "added": "thêm", "removed": "bỏ"}


def file_kind_label(prep: Prepared) -> str:
    """The file's kind as the preview's badge says it: the kind read; else the register kind its
    signs settle though its columns were not found («Danh sách khen thưởng — chưa tìm thấy cột cần
    thiết», the kind the refusal names: round 9 blind finding f06 had «không rõ loại» beside «danh
    sách khen thưởng: 8 trong 8 dấu hiệu»); else «không rõ loại»."""
    if prep.file_kind in FILE_KIND_WORDS:
        return FILE_KIND_WORDS[prep.file_kind]
    settled = [s["register"] for s in prep.suggestions.values() if s.get("register") in FILE_KIND_WORDS]
    if settled:
        return f"{FILE_KIND_WORDS[settled[0]]} — chưa tìm thấy cột cần thiết"
    return "không rõ loại"


def period_badge_words(prep: Prepared) -> str:
    """The file's period as the preview's badge says it: the quarter read («Quý III/2024 (báo cáo 9
    tháng)»); while the file is held for its period, never a quarter — what the file says and what to
    do («Kỳ: chưa rõ (tháng 10 — chọn quý)»; black-box: a month report held as no quarter's was
    badged «Quý IV/2024 (báo cáo cả năm)»); ``""`` without a period (a register)."""
    if prep.needs("period"):
        written = [dict(i.facts).get("what", "") for i in prep.held if i.code == "period_not_quarter"]
        what = written[0] if written else ""
        what = what.lower() if what.isupper() else what  # «THÁNG 10» of a title, said in a sentence
        return f"Kỳ: chưa rõ ({what} — chọn quý)" if what else "Kỳ: chưa rõ — chọn quý"
    return report_period_words(prep.year, prep.quarter) if prep.period else ""


def report_sheet_choices(prep: Prepared) -> list[str]:
    """The sheets of a workbook that are each a report of the plan, in the workbook's order — the
    one read and those said to be unread (``other_report_sheet``: a report per quarter on its own
    sheet, «Quý I», «Quý II», «Quý III») — for the clerk to choose which one an upload reads
    (:attr:`kpi.reading.report_sheets.ImportOptions.sheet`); ``[]`` when one sheet is a report."""
    others = {i.sheet for i in prep.warnings if i.code == "other_report_sheet"}
    if prep.file_kind != "report" or not others:
        return []
    return [name for name in prep.sheet_names if name == prep.sheet or name in others]


def warnings_heading(prep: Prepared, count: int) -> str:
    """The heading (Markdown) over ``count`` warnings of a prepared file.

    Only a file that will be saved as it is may be told "tệp vẫn lưu được"; a refused file is
    told to fix the file, a held one (waiting for the clerk's choice) to decide first, and one
    already stored (``existing_id``: the same bytes uploaded again, not saved a second time) what
    it is, without a word of saving (black-box: «tệp vẫn lưu được» under «Đã có (lần tải #5)»).
    """
    if prep.existing_id is not None:
        return (
            f"**{count} cảnh báo** — tệp này đã được lưu ở lần tải số {prep.existing_id}; các điểm đã thấy khi đọc tệp:"
        )
    if not prep.refused:
        return f"**{count} cảnh báo** — tệp vẫn lưu được; hãy kiểm tra trước khi lưu:"
    if prep.awaiting_decision:
        return f"**{count} cảnh báo** — hãy xem cả những điểm này khi quyết định ở các ô bên dưới:"
    return f"**{count} cảnh báo** — tệp chưa được lưu vì các lỗi ở trên; hãy xem cả những điểm này khi sửa tệp:"


def preview_effect(con: duckdb.DuckDBPyConnection, prep: Prepared):
    """:func:`kpi.ingest.planned_effect` of ``prep``, worked out once per data version
    (:func:`kpi.storage.database.data_version`) and kept on the prepared file: the preview's badge
    (:func:`history_only`), its message and its list of changes (:func:`planned_changes`) each ask
    for it on every rerun of the page (it was worked out three times a rerun). A save, a withdrawal
    or a restore bumps the version, so the next rerun works it out again."""
    version = data_version(con)
    if prep.effect_seen is None or prep.effect_seen[0] != version:
        prep.effect_seen = (version, planned_effect(con, prep))
    return prep.effect_seen[1]


def planned_changes(con: duckdb.DuckDBPyConnection, prep: Prepared) -> pd.DataFrame:
    """The figures a correction will change, before it is saved.

    Compares the prepared report's figures with those of the active version(s) it will replace
    (:func:`kpi.ingest.planned_effect`), figure by figure on (indicator, subject, quarter, kind).
    Nothing changes — an empty frame — when the file is refused, is not a report, starts a new
    series, or is older than the version in use (kept as history only). A partial correction
    (``correction="partial"``, stored beside the versions in use) is compared with the figure in
    use of each of them and removes nothing.

    :returns: DataFrame :data:`CHANGE_COLUMNS`: ``key`` str, ``name`` str (the plan's name),
        ``subject`` str, ``quarter`` int, ``kind`` str, ``old_value``/``new_value`` float (NaN when
        absent on that side; plan units), ``change`` (``changed``/``added``/``removed``),
        ``replaces`` int (the id of the version in use), sorted by the plan's order.
    """
    empty = pd.DataFrame(columns=CHANGE_COLUMNS)
    if prep.refused or prep.file_kind != "report" or prep.existing_id is not None:
        return empty
    effect = preview_effect(con, prep)
    ids = list(effect.replaces or effect.alongside)
    if effect.status != "active":
        return empty
    if not ids:  # a series of its own: the figures in use of other files it overtakes
        return _overtaken(con, prep)
    old = con.execute(
        f"""SELECT key, subject, quarter, kind, value AS old_value, submission_id AS replaces FROM (
            SELECT o.*, {winner_number_sql("o", "s")} AS rn FROM observations o JOIN submissions s USING (submission_id)
            WHERE list_contains(?, o.submission_id)) WHERE rn = 1""",
        [ids],
    ).fetchdf()
    new = prep.observations[["key", "subject", "quarter", "kind", "value"]].rename(columns={"value": "new_value"})
    new = new.astype({"quarter": "int64"})
    old = old.astype({"quarter": "int64"})
    both = old.merge(new, on=["key", "subject", "quarter", "kind"], how="outer")
    both["old_value"] = pd.to_numeric(both["old_value"], errors="coerce")
    both["new_value"] = pd.to_numeric(both["new_value"], errors="coerce")
    same = (both["old_value"].round(9) == both["new_value"].round(9)) | (
        both["old_value"].isna() & both["new_value"].isna()
    )
    if effect.alongside:  # beside the versions in use: what the file lacks stays in use
        same |= both["new_value"].isna()
    both = both[~same].copy()
    if both.empty:
        return empty
    return _in_plan_order(con, prep, both, ids[0])


def _overtaken(con: duckdb.DuckDBPyConnection, prep: Prepared) -> pd.DataFrame:
    """:func:`planned_changes` of a file that starts a series of its own (another sender, another
    report): the figures in use of other files that its figures will overtake — the rule of
    :func:`kpi.domain.rules.winner_number_sql` (the better vintage, then the later dated
    document, then the later upload: the file, saved now, is the latest). Black-box (December
    2026): a sector office's report changed the district's waste-collection rate from the
    statistics office's 87,60 to 87,70 under «Sẵn sàng lưu», with no list of what would change."""
    both = _against_stored(con, prep)
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    both = both[both["overtakes"] & (both["old_value"].round(9) != both["new_value"].round(9))]
    return _in_plan_order(con, prep, both.drop(columns="overtakes").copy(), None)


def _against_stored(con: duckdb.DuckDBPyConnection, prep: Prepared) -> pd.DataFrame:
    """Each figure of ``prep`` that has a figure in use (of any file), the two values side by side
    and ``overtakes``: whether the file's, saved now, would win (:func:`_overtaken`)."""
    new = prep.observations[["key", "subject", "quarter", "kind", "vintage", "value"]]
    if new.empty:
        return pd.DataFrame(columns=[*CHANGE_COLUMNS, "overtakes"])
    old = con.execute(
        f"""SELECT key, subject, quarter, kind, value AS old_value, vintage AS old_vintage,
                   doc_date AS old_doc_date, submission_id AS replaces FROM (
            SELECT o.*, s.doc_date, {winner_number_sql("o", "s")} AS rn
            FROM observations o JOIN submissions s USING (submission_id)
            WHERE s.status = 'active' AND o.year = ? AND list_contains(?, o.key)) WHERE rn = 1""",
        [prep.year, sorted(set(new["key"]))],
    ).fetchdf()
    new = new.rename(columns={"value": "new_value"}).astype({"quarter": "int64"})
    both = old.astype({"quarter": "int64"}).merge(new, on=["key", "subject", "quarter", "kind"], how="inner")

    def wins(r) -> bool:  # the saved file is the latest upload: a tie on vintage and date goes to it
        mine = (vintage_rank(r.vintage), *version_rank(prep.doc_date, 1)[:2])
        theirs = (vintage_rank(r.old_vintage), *version_rank(_date(r.old_doc_date), 0)[:2])
        return mine >= theirs

    both["old_value"] = pd.to_numeric(both["old_value"], errors="coerce")
    both["new_value"] = pd.to_numeric(both["new_value"], errors="coerce")
    both["overtakes"] = pd.Series([wins(r) for r in both.itertuples()], index=both.index, dtype=bool)
    return both


def history_only(con: duckdb.DuckDBPyConnection, prep: Prepared) -> str | None:
    """Whether saving ``prep`` only adds it to history, changing no figure in use: ``None`` when
    it changes figures (or is not to be saved); else what to say of it — ``""`` when
    :func:`kpi.ingest.planned_effect` says it already (a version older than the one in use, or
    the original sent again after its correction: stored ``superseded``), else
    :data:`kpi.words.HISTORY_ONLY_NOTE` (a report of a series of its own whose every figure loses
    to one in use: a later dated document, a better vintage). Black-box: such a file showed
    «Sẵn sàng lưu» like a file that changes figures."""
    if prep.refused or prep.existing_id is not None or not prep.file_kind:
        return None
    effect = preview_effect(con, prep)
    if effect.status == "superseded":
        return ""
    if prep.file_kind != "report" or effect.replaces or effect.alongside or prep.observations.empty:
        return None
    both = _against_stored(con, prep)
    figures = prep.observations[["key", "subject", "quarter", "kind"]].drop_duplicates()
    if len(both.drop_duplicates(["key", "subject", "quarter", "kind"])) < len(figures) or both["overtakes"].any():
        return None  # a figure new to the district, or one that wins: saving changes what is shown
    named = uploads_named(con, sorted(set(both["replaces"].astype("int64"))))
    return HISTORY_ONLY_NOTE.format(files="; ".join(named.values()))


def labelled_differences(differ: pd.DataFrame, year: int | None, formats: dict | None = None) -> pd.DataFrame:
    """:func:`history_differences` as the clerk reads it: :func:`labelled_changes`' «Chỉ tiêu»,
    «Kỳ» and «Số đang dùng → số của tệp» (nothing changes, so no «Thay đổi»)."""
    shown = labelled_changes(differ, year, formats).drop(columns="Thay đổi")
    return shown.rename(columns={"Số đang dùng → số mới": "Số đang dùng → số của tệp"})


def stored_state_words(con: duckdb.DuckDBPyConnection, submission_id: int | None) -> str:
    """What the preview of a file already stored (the same bytes, ``submission_id``) says when that
    upload is not in use, ``""`` when it is: replaced by a correction (its ``status_note`` names
    the file that replaced it) or withdrawn. Round 11: the original sent again after its
    correction read «Đã có (lần tải #1)» and nothing else, and the clerk believed its 2.450,3 was
    the figure shown (the correction's 2.480,0 was)."""
    if submission_id is None:
        return ""
    row = con.execute("SELECT status, status_note FROM submissions WHERE submission_id = ?", [submission_id]).fetchone()
    if row is None or row[0] == "active":
        return ""
    status, note = row
    state = "đã bị rút" if status == "withdrawn" else "không còn được dùng"
    why = f" ({note.rstrip('.')})" if note else ""
    return f"Lần tải #{submission_id} của tệp này {state}{why}: số đang hiển thị không lấy từ tệp này."


def history_differences(con: duckdb.DuckDBPyConnection, prep: Prepared) -> pd.DataFrame:
    """The figures of a file that only goes to history (:func:`history_only`) that differ from
    those in use, which stay: another office's figure for the same indicator and period, set aside
    because the one in use has a later document or a better vintage. Round 11: a statistics
    office's CT01 2.390,5 beside the 2.480,0 in use went to history under «không thay đổi số liệu»,
    never saying the two disagreed — the one fact a clerk needs before the meeting.

    :returns: DataFrame :data:`CHANGE_COLUMNS` (``old_value`` the figure in use, ``new_value`` the
        file's), in the plan's order; empty when every figure agrees or the file is no such file.
    """
    if history_only(con, prep) is None:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    both = _against_stored(con, prep)
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    differ = both[both["old_value"].round(9) != both["new_value"].round(9)]
    return _in_plan_order(con, prep, differ.drop(columns="overtakes").copy(), None)


def _date(value):
    """A stored document date as a ``datetime.date`` (None when there is none)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _in_plan_order(con, prep: Prepared, both: pd.DataFrame, replaces: int | None) -> pd.DataFrame:
    """``both`` (old and new values per figure) as :data:`CHANGE_COLUMNS`, in the plan's order."""
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    both["change"] = [
        "added" if pd.isna(o) else "removed" if pd.isna(n) else "changed"
        for o, n in zip(both["old_value"], both["new_value"], strict=True)
    ]
    both["replaces"] = both["replaces"].fillna(replaces).astype("int64")
    order = {k: n for n, k in enumerate(_plan_keys(con, prep.year))}
    names = plan_names(con, prep.year)
    both["name"] = both["key"].map(names).fillna("")
    both["sort"] = both["key"].map(order).fillna(len(order))
    both = both.sort_values(["sort", "quarter", "kind", "subject"]).reset_index(drop=True)
    return both[CHANGE_COLUMNS]


class RegisterEffect(NamedTuple):
    """What saving a register does to the lists in use, for the preview (:func:`register_effect`).

    :ivar level: ``warning`` when it replaces a list (the counts of the targets change: a black-box
        finding was a supplement that replaced the register under a blue line), ``info`` when it is
        added beside them.
    :ivar lead: the line's opening words, said in bold; ``text`` the rest (plain text, names of
        files and units in it as read: the page escapes them).
    :ivar counted: the heading over ``table`` ("" when nothing changes); ``table`` the figures
        that change, «Chỉ tiêu | Số đang dùng | Khi lưu», each in its indicator's unit.
    """

    level: str
    lead: str
    text: str
    counted: str
    table: pd.DataFrame

    def markdown(self, escape) -> str:
        """The line as Markdown, data escaped by ``escape`` (the page's ``appkit.md``)."""
        counted = f"\n\n**{escape(self.counted)}**" if self.counted else ""
        return f"**{escape(self.lead)}** {escape(self.text)}{counted}"


def register_effect(prep: Prepared) -> RegisterEffect | None:
    """What saving a register does to the lists in use (:class:`RegisterEffect`), the lists named
    by their files (:meth:`kpi.ingest_registers.RegisterScope.lists`). ``None`` for a report, a
    refused file or a first list."""
    scope = prep.register_scope
    if scope is None or prep.refused or prep.existing_id is not None or scope.how == "new":
        return None
    table = pd.DataFrame(
        {
            "Chỉ tiêu": scope.changes["name"],
            "Số đang dùng": scope.changes["old_written"],
            "Khi lưu": scope.changes["new_written"],
        }
    )
    counted = f"Khi lưu, {len(table)} số sẽ thay đổi (số đang dùng → số mới):" if len(table) else ""
    if scope.how == "replace":
        # a registration list counts units registered, not rows (black-box: block headings were
        # «5 dòng mới» and 3 units no longer registered «0 dòng … không còn được tính»)
        row = "đơn vị đã đăng ký" if prep.file_kind == "registrations" else "dòng"
        why = {
            "title": "tiêu đề nói đây là bản sửa, thay thế",
            "choice": "bạn đã chọn thay danh sách đang dùng",
            "rows": f"{scope.shared}/{scope.new_rows} {row} của tệp có trong danh sách đang dùng: bản sửa cả danh sách",
        }[scope.said_by]
        text = (
            f"{scope.lists(scope.replaces)}, có {scope.old_rows} {row} ({why}). Khi lưu: "
            f"{scope.what_changes(prep.file_kind == 'registrations')}; bản cũ vẫn được giữ trong lịch sử."
        )
        return RegisterEffect("warning", "Sẽ thay danh sách đang dùng", text, counted, table)
    why = "bạn đã chọn" if scope.said_by == "choice" else f"tiêu đề ghi «{scope.part}»"
    text = f"({why}): được tính cùng " + (
        f"danh sách đang dùng {scope.lists(scope.in_use)}; dòng có ở cả hai chỉ tính một lần."
        if scope.in_use
        else "các danh sách khác."
    )
    return RegisterEffect("info", "Danh sách bổ sung", text, counted, table)


def figure_formats(
    con: duckdb.DuckDBPyConnection, year: int | None
) -> dict[str, tuple[str | None, int | None, str | None, tuple[float, ...]]]:
    """``{key: (unit, decimals, over_year, targets)}`` of the plan of ``year`` (empty without one):
    how each indicator's figures are written (:func:`written`: never rounded into one of its
    ``targets`` — the target, a range's bounds, a cut's threshold) and named (:func:`kpi.words.kind_words`)."""
    rows = con.execute(
        "SELECT key, unit, decimals, over_year, [target, target_lo, target_hi, "
        "CASE WHEN direction = 'decrease_by' THEN baseline - target END] FROM indicators WHERE year = ?",
        [year],
    ).fetchall()
    return {
        key: (unit, decimals, over_year, tuple(t for t in targets if t is not None))
        for key, unit, decimals, over_year, targets in rows
    }


def _kind_of(kind: str, key: str, formats: dict) -> str:
    """The kind of a figure of ``key`` in words (a level's «lũy kế» is its figure at the period's end)."""
    return kind_words(kind, formats[key][2] if key in formats else None)


def written(value, key: str, kind: str, formats: dict, against: tuple = ()) -> str:
    """A figure of the preview as every other output writes it (issue 14, "one formatter"): a
    figure by :func:`kpi.reading.numbers.figure_text` (566,5; 33,8; 600,0; a count 14; a target
    never below its own decimals; never rounded into the plan's targets nor into ``against`` —
    the file's plan of the row, the figure a correction replaces: 94,499 beside 94,5, 99,996
    beside 100); an indicator outside the plan as read; none "–"."""
    if key not in formats:
        return format_number(value, None)
    unit, decimals, _over_year, targets = formats[key]
    # as the pages, the ranking of units and the annex write it (black-box: «19,95» here and «20,0»
    # on the ranking), the file's copy of a target never rounded away and in the same decimals as
    # the others of its unit («120,0» beside «15,0», never «15»); the file's own writing is in
    # «Ghi trong tệp» beside it
    return figure_text(value, unit, decimals, kind, (*targets, *against))


def labelled_changes(changes: pd.DataFrame, year: int | None, formats: dict | None = None) -> pd.DataFrame:
    """:func:`planned_changes` as the clerk reads it, in four columns that a phone shows whole
    (black-box: a table led by bare codes «CT01, CT01, CT02…» with its fifth column cut at 390 px):
    «Chỉ tiêu» (the key and the plan's name), «Kỳ» (the period in words and the kind of figure,
    "Quý I/2024 · lũy kế"), «Số đang dùng → số mới» (written as everywhere else, :func:`written`,
    with ``formats`` from :func:`figure_formats`; without them as read; "–" where absent) and
    «Thay đổi» ("sửa"/"thêm"/"bỏ"); «Số liệu của» only when a change is of a unit other than the
    district's (a per-unit file).

    :returns: DataFrame of text, one row per change, in ``changes``' order.
    """
    formats = formats or {}

    def either(value, key, kind, other) -> str:
        # old and new never rounded into each other (94,5 → 94,499 is no «94,5 → 94,5»)
        return "–" if pd.isna(value) else written(value, key, kind, formats, () if pd.isna(other) else (other,))

    out = pd.DataFrame(
        {
            "Chỉ tiêu": [f"{k} · {n}" if n else k for k, n in zip(changes["key"], changes["name"], strict=True)],
            "Kỳ": [
                " · ".join(p for p in (quarter_words(year, q) if year else "", _kind_of(c, k, formats)) if p)
                for q, c, k in zip(changes["quarter"], changes["kind"], changes["key"], strict=True)
            ],
            "Số đang dùng → số mới": [
                f"{either(o, k, c, n)} → {either(n, k, c, o)}"
                for o, n, k, c in zip(
                    changes["old_value"], changes["new_value"], changes["key"], changes["kind"], strict=True
                )
            ],
            "Thay đổi": changes["change"].map(_CHANGE_WORDS),
        }
    )
    if changes["subject"].nunique() > 1:
        out["Số liệu của"] = changes["subject"].to_numpy()
    return out


def labelled_stored_changes(con: duckdb.DuckDBPyConnection, changes: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """What a stored submission changed (``changes``: :func:`kpi.storage.figures.submission_changes`),
    written as the preview wrote it before saving (:func:`labelled_changes`: the indicator with its
    name, the period in words, old → new through the one formatter) — the Dữ liệu page's history."""
    changes = changes.assign(name=changes["key"].map(plan_names(con, year)).fillna("") if year else "")
    return labelled_changes(changes, year, figure_formats(con, year) if year else {})


def labelled_observations(
    obs: pd.DataFrame, year: int | None, formats: dict, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """A prepared report's figures (:attr:`kpi.ingest.Prepared.observations`) as the preview shows
    them: the indicator by its plan's name (``names``: ``{key: name}``, :func:`plan_names`; the key
    where the plan has none — a clerk reads «Tổng vốn đầu tư toàn xã hội», not «CT01»: black-box,
    December 2026), the period in words, the kind and the estimate in words, the figure in the
    plan's unit written as everywhere else (:func:`written`) beside what the cell said and its unit.
    Column ``Mã`` keeps the key for the lookups of the screen."""
    names = names or {}
    # each figure beside its row's plan in the file: never rounded into it (94,499 beside 94,5)
    planned = obs[obs["kind"] == "plan"].groupby(["key", "subject"])["value"].agg(tuple).to_dict()
    return pd.DataFrame(
        {
            "Mã": obs["key"],
            "Chỉ tiêu": [names.get(k) or k for k in obs["key"]],
            "Kỳ": [quarter_words(year, q) if year else "" for q in obs["quarter"]],
            "Loại số": [_kind_of(c, k, formats) for c, k in zip(obs["kind"], obs["key"], strict=True)],
            "Số ước": obs["vintage"].map(VINTAGE_WORDS).fillna(""),
            "Số (đơn vị kế hoạch)": [
                written(v, k, c, formats, planned.get((k, s), ()))
                for v, k, c, s in zip(obs["value"], obs["key"], obs["kind"], obs["subject"], strict=True)
            ],
            "Ghi trong tệp": obs["written"],
            "Đơn vị ghi": obs["written_unit"],
            "Ô": obs["cell"],
            "Đối tượng": obs["subject"],
        }
    )


def _plan_keys(con: duckdb.DuckDBPyConnection, year: int | None) -> list[str]:
    return [k for (k,) in con.execute("SELECT key FROM indicators WHERE year = ? ORDER BY sort", [year]).fetchall()]


def plan_names(con: duckdb.DuckDBPyConnection, year: int | None) -> dict[str, str]:
    """``{key: name}`` of the plan of ``year`` (empty without one)."""
    return dict(con.execute("SELECT key, name FROM indicators WHERE year = ?", [year]).fetchall())
