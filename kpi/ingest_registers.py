"""Whether a register replaces the lists in use or is added beside them (a step of
:func:`kpi.ingest.prepare`, split out).

Black-box finding (December 2026): a 4-row "DANH SÁCH KHEN THƯỞNG BỔ SUNG" loaded after the
97-row award register *replaced* it — every award target fell to "Không đạt" — and the preview only
said, in a blue line, "Sẽ thay bản đang dùng #5". The rule now:

* **A supplementary list is added, never a replacement.** A register whose title says it is
  supplementary ("bổ sung", "đợt 2", "bổ sung lần 2": ``data/register_words.toml``
  ``[supplement]``, read by :func:`kpi.reading.register_open.title_scope`) belongs to a part of
  its own (``Prepared.part``: "bổ sung", "đợt 2"), so the series it may replace is only an earlier
  version of that same part (:func:`kpi.domain.rules.series_key`). Its rows count together with the
  lists in use; a row in two lists counts once (:func:`kpi.storage.awards.award_rows`).
* **A list that would replace one in use while looking like a part of it is held.** Nothing in the
  title says "correction" ("thay thế", "đính chính"…) or "supplement", and it has fewer than half
  the rows of the lists it would replace, or fewer than half of its own rows are in them
  (:data:`SMALL_SHARE`): the clerk decides (``register_scope_unclear``, one of
  :data:`kpi.reading.checks.DECISIONS`): replace the list in use (``register_as="replace"``) or add
  it as a supplementary list (``register_as="supplement"``, a part of its own). The question
  names the list in use, its rows and what replacing changes.
* **What saving changes is told before saving**: the award counts per target, old → new
  (:class:`RegisterScope` ``changes``), shown as a warning when the file replaces a list.

``prep`` is a :class:`kpi.ingest.Prepared`; ``effect_of`` is :func:`kpi.ingest_history.planned_effect`
(a sibling this module does not import).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kpi.domain.award_identity import award_identity
from kpi.domain.plan import Catalogue
from kpi.domain.quarters import quarter_end
from kpi.reading.checks import ERROR, INFO, WARNING, Issue
from kpi.reading.messages import phrase
from kpi.reading.register_cells import missing_units_issue
from kpi.reading.register_open import title_scope
from kpi.storage.awards import award_counts_after, new_rows_counted, new_rows_met_before, own_places
from kpi.storage.figures import as_of_quarter, uploads_named
from kpi.vn import format_figure, is_count, quarter_words

__all__ = ["SMALL_SHARE", "RegisterScope", "settle_register_scope", "CHANGE_COLUMNS"]

#: Below this share of the lists in use (rows), or of its own rows found in them, a list that would
#: replace them without saying so looks like a supplement: held for the clerk (the finding: 4 rows
#: against 97, one shared).
SMALL_SHARE = 0.5

#: :attr:`RegisterScope.changes`: the target's key and name, its figure now and once saved, and
#: both as the clerk reads them.
CHANGE_COLUMNS = ["key", "name", "old", "new", "old_written", "new_written"]

_REGISTERS = ("awards", "registrations")


@dataclass
class RegisterScope:
    """What saving a register does to the lists in use (for the preview and the command line).

    :ivar part: "" (the main list) or a supplementary list's label ("bổ sung", "đợt 2").
    :ivar how: ``supplement`` (added beside the lists in use), ``replace`` (replaces ``replaces``),
        ``new`` (the first list of its year).
    :ivar said_by: where ``how`` comes from: ``title``, ``choice`` (the clerk's), ``rows`` (the
        rows mostly the same: a full list again), ``""`` (nothing to replace).
    :ivar replaces: ids of the lists in use it replaces; ``in_use``: ids of every list in use of
        the year and kind.
    :ivar old_rows, new_rows, shared: rows of the replaced lists, of this file, and in both — of a
        registration list, the units registered (a unit said «Chưa đăng ký», a block heading or
        a name not in the catalogue is no registered unit: black-box, a replacement with 3 units
        no longer registered said «0 dòng … không còn được tính, 5 dòng mới»).
    :ivar removed_names, added_names: a registration list's units no longer registered and newly
        registered once saved (empty for awards).
    :ivar changes: DataFrame :data:`CHANGE_COLUMNS` of the counts that change (awards: per TD key;
        registrations: the units registered), old → new.
    :ivar named: ``{id: the list in words}`` of ``replaces`` and ``in_use``
        (:func:`kpi.storage.figures.uploads_named`: «dk-2024.xlsx» (tải lên 05/12/2026, lần tải #4)).
    """

    part: str = ""
    how: str = "new"
    said_by: str = ""
    replaces: tuple[int, ...] = ()
    in_use: tuple[int, ...] = ()
    old_rows: int = 0
    new_rows: int = 0
    shared: int = 0
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    removed_names: tuple[str, ...] = ()
    added_names: tuple[str, ...] = ()
    named: dict[int, str] = field(default_factory=dict)

    def lists(self, ids: tuple[int, ...]) -> str:
        """The lists ``ids`` (of :attr:`replaces` or :attr:`in_use`) in words, as every message names them."""
        return "; ".join(self.named.get(i, f"lần tải #{i}") for i in ids)

    @property
    def removed(self) -> int:
        return self.old_rows - self.shared

    @property
    def added(self) -> int:
        return self.new_rows - self.shared

    def what_changes(self, registrations: bool) -> str:
        """What replacing changes, in Vietnamese: awards "3 dòng của danh sách đang dùng không còn
        được tính, 2 dòng mới được tính"; registrations "3 đơn vị không còn được tính là đã đăng ký
        (Phòng Y tế; Xã Lam Sơn; Xã Quang Húc), không đơn vị nào mới đăng ký" — units, not rows."""
        if not registrations:
            return f"{self.removed} dòng của danh sách đang dùng không còn được tính, {self.added} dòng mới được tính"

        def said(count: int, names: tuple[str, ...], what: str, none: str) -> str:
            if not count:
                return none
            listed = "; ".join(names[:10]) + ("; …" if len(names) > 10 else "")
            return f"{count} đơn vị {what} ({listed})" if listed else f"{count} đơn vị {what}"

        return (
            said(self.removed, self.removed_names, "không còn được tính là đã đăng ký", "không đơn vị nào bị bớt")
            + ", "
            + said(self.added, self.added_names, "mới được tính là đã đăng ký", "không đơn vị nào mới đăng ký")
        )


def settle_register_scope(con, prep, catalogue: Catalogue, effect_of) -> None:
    """Set ``prep.part`` and ``prep.register_scope`` of a register, and hold it
    (``register_scope_unclear``) when it would replace lists in use that it looks like a part of
    (see the module). Only the part for a register refused already or stored already (the same
    bytes again change nothing: "đã có"); nothing for a report.

    :param effect_of: ``planned_effect(con, prep) -> Effect`` (:func:`kpi.ingest_history.planned_effect`).
    """
    if prep.file_kind not in _REGISTERS or prep.year is None:
        return
    title_part, correction = title_scope(prep.title)
    choice = prep.options.register_as
    prep.part = title_part
    if choice == "supplement" and not title_part:
        prep.part = f"bổ sung {prep.sha256[:8]}"  # a list of its own: replaced only by itself
    if prep.errors or prep.existing_id is not None:  # refused already, or the same bytes stored: "đã có"
        return
    scope = RegisterScope(part=prep.part, in_use=_in_use(con, prep))
    effect = effect_of(con, prep)
    old_keys, new_keys = _identities(con, prep, effect.replaces)
    scope.replaces = tuple(effect.replaces) if effect.status == "active" else ()
    scope.named = uploads_named(con, sorted({*scope.in_use, *scope.replaces}))
    scope.old_rows, scope.new_rows, scope.shared = len(old_keys), len(new_keys), len(old_keys & new_keys)
    if prep.file_kind == "registrations":
        scope.removed_names, scope.added_names = tuple(sorted(old_keys - new_keys)), tuple(sorted(new_keys - old_keys))
    if scope.replaces:
        scope.how = "replace"
        scope.said_by = "choice" if choice else "title" if correction else "rows"
    elif prep.part:
        scope.how, scope.said_by = "supplement", "choice" if choice == "supplement" else "title"
    scope.changes = _changes(
        con, prep, catalogue, scope.replaces if effect.status == "active" else None, bool(scope.in_use)
    )
    prep.register_scope = scope
    if prep.file_kind == "registrations" and prep.part and scope.in_use:
        _missing_beside_lists_in_use(con, prep, catalogue, scope.replaces)
    if prep.file_kind == "registrations" and effect.status == "active":
        _registered_after_latest(con, prep)
    if prep.file_kind == "awards" and scope.in_use and effect.status == "active":
        _recount_preview(con, prep, scope.replaces)
        _say_rows_met_before(con, prep, scope.replaces)
    if scope.replaces and scope.said_by == "rows" and _looks_partial(scope):
        prep.issues.append(_held(prep, scope))


def _missing_beside_lists_in_use(con, prep, catalogue: Catalogue, replaces: tuple[int, ...]) -> None:
    """A supplementary registration list names the units it adds: a unit of the blocks it does not
    name is missing only when no list in use (but the ones it replaces) names it either. Black-box
    (December 2026): a 2-unit «danh sách bổ sung» warned «28 đơn vị phải đăng ký thi đua nhưng không
    có trong danh sách — coi là chưa đăng ký», all 28 registered in the list in use."""
    at = next((n for n, i in enumerate(prep.issues) if i.code == "units_missing"), None)
    if at is None:
        return
    named = {m.value for w in prep.registrations["unit_written"] if (m := catalogue.match_unit(w, by_words=True))}
    still = missing_units_issue(catalogue, named | _registered(con, prep.year, replaces), prep.sheet)
    prep.issues[at : at + 1] = [still] if still is not None else []


def _recount_preview(con, prep, replaces: tuple[int, ...]) -> None:
    """The preview's «Tính vào chỉ tiêu năm …» line as saving will count the file's rows: the
    reader sees only its own file, so a row that repeats a row of a list in use (not replaced)
    was counted there too (black-box: «5» of a supplement that added 4). The line says how many
    repeat the lists in use (:func:`kpi.storage.awards.new_rows_counted`)."""
    label = phrase("inferred_counted_in_year", year=str(prep.year))
    for i, (what, value, how) in enumerate(prep.inferred):
        if what != label or not str(value).isdigit():
            continue
        counted = new_rows_counted(con, prep.year, prep.awards, replaces)
        if counted < int(value):
            repeated = f"{int(value) - counted} dòng trùng với danh sách đang dùng, đã tính ở đó"
            prep.inferred[i] = (what, str(counted), f"{how}; {repeated}" if how else repeated)


def _say_rows_met_before(con, prep, replaces: tuple[int, ...]) -> None:
    """Name the file's rows a list in use already has (:func:`kpi.storage.awards.new_rows_met_before`):
    a repeat «đã có trong «f07.xlsx» dòng 7», counted there once; a doubt — the same decision
    number, recipient and award under another unit or date — as a warning naming both rows, never
    merged in silence (black-box round 9: the preview said only «1 → 2» of a repeated Cờ thi đua)."""
    repeats, doubts = new_rows_met_before(con, prep.year, prep.awards, replaces)
    if repeats:
        said = [f"dòng {n['row_number']} ({_row_words(n)}) đã có trong {_where(o)}" for n, o in repeats]
        prep.issues.append(
            Issue(INFO, "award_in_list_in_use", f"D{_listed(said)[1:]}: chỉ tính một lần, ở danh sách đó.", prep.sheet)
        )
    if doubts:
        said = [
            f"dòng {n['row_number']} ({_row_words(n)}) và {_where(o)} ({_row_words(o)}): "
            + ("khác ngày quyết định, tính một lần" if (n, o) in repeats else "khác đơn vị, tính hai lần")
            for n, o in doubts
        ]
        prep.issues.append(
            Issue(
                WARNING,
                "award_maybe_in_list_in_use",
                f"Có thể trùng (cùng quyết định, người/tập thể và danh hiệu): {_listed(said)}. Hãy kiểm tra"
                " và sửa tệp cho đúng rồi tải lại.",
                prep.sheet,
            )
        )


def _row_words(row: dict) -> str:
    """One award row as the clerk finds it: recipient, unit, decision as written, its date."""
    date = pd.to_datetime(row.get("decision_date"), errors="coerce")
    decision = " ".join(
        x for x in (str(row.get("decision_number") or ""), f"ngày {date:%d/%m/%Y}" if pd.notna(date) else "") if x
    )
    recipient, unit = str(row.get("recipient") or ""), str(row.get("unit") or "")
    who = recipient if unit in ("", recipient) else f"{recipient} – {unit}"
    return ", ".join(p for p in (who, str(row.get("award") or row.get("award_written") or ""), decision) if p)


def _where(row: dict) -> str:
    return f"«{row['file_name']}» dòng {row['row_number']}"


def _listed(said: list[str]) -> str:
    return "; ".join(said[:5]) + (f"; và {len(said) - 5} dòng khác" if len(said) > 5 else "")


def _registered_after_latest(con, prep) -> None:
    """Say the units of a registration list registered after the end of the latest quarter with
    reports — the period the pages judge by default — which the share «Khi lưu» (the whole year)
    counts and those pages do not yet (black-box: the preview said 28/30, the overview then 27/30:
    Xã Lam Sơn registered on 15/10/2024). A unit counts from its date on, as
    :func:`kpi.storage.figures.registered_units` counts it (no date: from the year's start)."""
    quarter = as_of_quarter(con, prep.year)
    if not quarter or quarter == 4:
        return
    until = quarter_end(prep.year, quarter)
    table = prep.registrations
    dates = pd.to_datetime(table["registered_on"], errors="coerce").dt.date
    late = [(u, d) for u, d in zip(table["unit"], dates, strict=True) if u and pd.notna(d) and d > until]
    if late:
        named = "; ".join(f"{u} ({d:%d/%m/%Y})" for u, d in late)
        prep.issues.append(
            Issue(
                INFO,
                "registered_after_latest",
                f"{len(late)} đơn vị đăng ký sau ngày {until:%d/%m/%Y} (hết {quarter_words(prep.year, quarter)}, kỳ "
                f"mới nhất có báo cáo): {named}. Tỷ lệ «Khi lưu» ở trên tính cả năm; các trang đánh giá đến hết "
                f"{quarter_words(prep.year, quarter)} chưa tính {'các đơn vị' if len(late) > 1 else 'đơn vị'} này.",
                prep.sheet,
            )
        )


def _looks_partial(scope: RegisterScope) -> bool:
    """Fewer than half the rows of the lists it replaces, or fewer than half of its own rows in them."""
    return scope.new_rows < SMALL_SHARE * scope.old_rows or scope.shared < SMALL_SHARE * scope.new_rows


def _in_use(con, prep) -> tuple[int, ...]:
    rows = con.execute(
        "SELECT submission_id FROM submissions WHERE status = 'active' AND file_kind = ? AND year = ? ORDER BY seq",
        [prep.file_kind, prep.year],
    ).fetchall()
    return tuple(r[0] for r in rows)


def _identities(con, prep, replaces) -> tuple[set, set]:
    """The rows of the replaced lists and of this file, each as what makes it one award (decision,
    recipient, unit, award compared normalised — as :func:`kpi.storage.awards.award_rows` counts
    them once) or one registered unit (the catalogue's name; rows of no registered unit left
    out); duplicates within a list once."""
    ids = [int(i) for i in replaces]
    if prep.file_kind == "awards":
        cols = ["decision_number", "recipient", "unit", "award", "award_written"]
        old = con.execute(
            "SELECT decision_number, recipient, unit, award, award_written FROM awards"
            " WHERE list_contains(?, submission_id) AND duplicate_of IS NULL",
            [ids],
        ).fetchall()
        new = prep.awards.loc[prep.awards["duplicate_of"].isna(), cols].itertuples(index=False, name=None)
        places = own_places(con)
        return {_award_identity(*r, places) for r in old}, {_award_identity(*r, places) for r in new}
    old = con.execute(
        "SELECT unit FROM registrations WHERE list_contains(?, submission_id) AND unit <> ''", [ids]
    ).fetchall()
    return {u for (u,) in old}, {u for u in prep.registrations["unit"] if isinstance(u, str) and u}


def _award_identity(decision, recipient, unit, award, award_written, places: tuple[str, ...]) -> tuple:
    """As :func:`kpi.storage.awards.award_rows` tells rows of two registers apart: the one rule
    :func:`kpi.domain.award_identity.award_identity` over the plan's award, else the award as written."""
    return award_identity(decision or "", recipient or "", unit or "", award or award_written or "", places)


def _changes(con, prep, catalogue: Catalogue, replaces, lists_in_use: bool = True) -> pd.DataFrame:
    """The counts that change once saved, old → new (``replaces`` ``None``: nothing changes, the
    file is kept as history only; ``lists_in_use`` false: no list of its kind and year is in use,
    so every count before is 0 and is not asked of the database)."""
    empty = pd.DataFrame(columns=CHANGE_COLUMNS)
    if replaces is None or prep.year != catalogue.year:  # another year's list counts toward no target here
        return empty
    if prep.file_kind == "awards":
        before = award_counts_after(con, prep.year) if lists_in_use else {}
        after = award_counts_after(con, prep.year, prep.awards, replaces)
        rows = [
            (i.key, i.name, old, new, _in_unit(i, old), _in_unit(i, new))
            for i in catalogue.indicators
            if i.counted_from == "awards" and (old := before.get(i.key, 0)) != (new := after.get(i.key, 0))
        ]
        return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    before = _registered(con, prep.year, ())
    after = _registered(con, prep.year, replaces) | {u for u in prep.registrations["unit"] if u}
    old, new = catalogue.registration_share(before), catalogue.registration_share(after)
    rows = [
        (i.key, i.name, old[0], new[0], _in_unit(i, *old), _in_unit(i, *new))
        for i in catalogue.indicators
        if i.counted_from == "registrations" and old != new
    ]
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _in_unit(indicator, value, counted: int | None = None, total: int | None = None) -> str:
    """A figure counted from a register as the clerk reads it: by the one formatter
    (:func:`kpi.vn.format_figure`) in the indicator's own unit — a count as it is («8»), a share with
    the units it counts («90,0 % (27/30)»: black-box, the registration list's preview counted units,
    «30 → 27», where the plan's target is a share, 100 %)."""
    text = format_figure(value, indicator.unit, indicator.decimals)
    if is_count(indicator.unit, indicator.decimals) or not indicator.unit:
        return text
    return f"{text} {indicator.unit}" + (f" ({counted}/{total})" if total else "")


def _registered(con, year: int, without) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT r.unit FROM registrations r JOIN submissions s USING (submission_id)"
        " WHERE s.status = 'active' AND s.year = ? AND r.unit <> '' AND NOT list_contains(?, s.submission_id)",
        [year, [int(i) for i in without]],
    ).fetchall()
    return {r[0] for r in rows}


def _held(prep, scope: RegisterScope) -> Issue:
    """The question to the clerk (Vietnamese): replace the list in use or add this one beside it."""
    lists = scope.lists(scope.replaces)
    changes = "; ".join(f"{r.name} {r.old_written} → {r.new_written}" for r in scope.changes.head(4).itertuples())
    more = f" và {len(scope.changes) - 4} số khác" if len(scope.changes) > 4 else ""
    row = "đơn vị đã đăng ký" if prep.file_kind == "registrations" else "dòng"
    text = (
        f"Tiêu đề không nói đây là bản sửa (thay cả danh sách) hay danh sách bổ sung, và tệp khác xa danh "
        f"sách đang dùng {lists}: tệp có {scope.new_rows} {row}, danh sách đang dùng có {scope.old_rows} {row}, "
        + (f"chỉ {scope.shared} {row} có ở cả hai" if scope.shared else f"không {row} nào có ở cả hai")
        + f". Nếu thay: {scope.what_changes(prep.file_kind == 'registrations')}"
        + (f" ({changes}{more})" if changes else "")
        + f". Nếu là danh sách bổ sung: {scope.added} {row} mới được tính thêm, danh sách đang dùng giữ "
        "nguyên (dòng có ở cả hai chỉ tính một lần). Hãy chọn «Thay danh sách đang dùng» hoặc «Thêm làm danh "
        "sách bổ sung» (dòng lệnh: --register-as replace hoặc --register-as supplement)."
    )
    return Issue(ERROR, "register_scope_unclear", text, prep.sheet)
