"""A prepared file against what is stored: the checks against earlier figures and the supersede
decision (steps of :mod:`kpi.ingest`, split out).

:func:`check_against_history` warns where a new figure disagrees with the stored ones (a flow's
year to date, a level far from the previous quarter); :func:`planned_effect` and :func:`decide`
tell which version of a series is used. ``prep`` is a :class:`kpi.ingest.Prepared`; this module
does not import :mod:`kpi.ingest` (the layer above), it only reads the attributes it names.

Supersede rule (design.md): a submission replaces the active one of the same series — same
kind, sender, subject, year and period — unless its document date is earlier; an undated version
ranks below any dated one; among equals the later upload wins. An older version loaded late is
kept as history with a warning and changes nothing.

A correction that lacks figures of the version in use (black-box finding: a Q1 correction holding
only CT01 and CT02 replaced the whole Q1 report, and six indicators read "Chưa có số liệu") is held
for the clerk (``correction_scope_unclear``, :func:`settle_correction`): ``partial`` stores it
beside the version in use — both active, and per figure the later document date wins, then the later
upload (:func:`kpi.domain.rules.winner_number_sql`) — or ``whole`` replaces the version in use as
before, the figures it lacks kept in history only.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import duckdb

from kpi.domain.documents import same_number
from kpi.domain.plan import Catalogue
from kpi.domain.rules import (
    far_from_previous,
    series_key,
    series_where_sql,
    version_rank,
    winner_number_sql,
    within_half_unit,
    written_decimals,
    ytd_from_quarter,
)
from kpi.reading.checks import DECISIONS, ERROR, INFO, WARNING, Issue
from kpi.reading.numbers import own_decimals
from kpi.storage.figures import uploads_named
from kpi.storage.replaced import Links, document_words, series_links
from kpi.vn import format_figure, format_number, int_to_roman, match_key, quarter_words, to_decimal
from kpi.words import YTD_WORDS, kind_words

__all__ = [
    "check_against_history",
    "Effect",
    "planned_effect",
    "decide",
    "series_clause",
    "links_of",
    "correction_gaps",
    "settle_correction",
    "stored_beside",
    "GAPS_SHOWN",
    "ASKED_TOGETHER",
]

#: How many of the figures a correction lacks the held file's message names (then «và N số khác»).
GAPS_SHOWN = 4


class _NewFigure(NamedTuple):
    key: str
    subject: str
    quarter: int
    kind: str
    value: float
    written: str
    cell: str


def check_against_history(con, prep, catalogue: Catalogue) -> list[Issue]:
    """Warnings that need stored figures (design.md, "Periods, senders and subjects…"):

    * a flow's year to date that disagrees with the previous year to date plus the quarter's own
      amount, in whichever order the reports arrive (the new file's figures replace the stored ones
      of the same quarter and kind), beyond half a unit of the written figure's last decimal — the
      warning shows both figures and where they come from (:func:`_flow_sums_disagree`);
    * a level far (more than half again, or less than half) from the subject's previous quarter
      (:func:`_level_far_from_previous`).
    """
    obs = prep.observations
    if obs.empty or not prep.quarter:
        return []
    columns = (obs[c].tolist() for c in ("key", "subject", "quarter", "kind", "value", "written", "cell"))
    # plain lists, not a boolean mask: pandas copies all 15 Arrow-string columns to filter a frame
    new = [_NewFigure(*t) for t in zip(*columns, strict=True) if t[3] in ("quarter", "ytd")]
    if not new:
        return []
    old = _stored_for_check(con, prep.year, new)
    lowest, highest = min(int(r.quarter) for r in new), max(int(r.quarter) for r in new)
    by_series: dict[tuple[str, str], list[_NewFigure]] = {}
    for r in new:
        by_series.setdefault((r.key, r.subject), []).append(r)
    issues: list[Issue] = []
    for (key, subject), mine in by_series.items():
        ind = catalogue.by_key.get(key)
        before = old.get((key, subject), [])
        if ind is None:
            continue
        if ind.over_year == "flow":
            issues += _ytd_decreases(ind, mine, before, prep.sheet)
            issues += _flow_sums_disagree(ind, mine, before, prep.sheet)
        elif before:
            # the quarter before the file's earliest and after its latest, as before the flows
            # needed every stored quarter (:func:`_ytd_decreases`)
            near = [b for b in before if lowest - 1 <= b[0] <= highest + 1]
            issues += _level_far_from_previous(ind, mine, near, prep.sheet) if near else []
    return issues


def _stored_for_check(con, year: int, new: list[_NewFigure]) -> dict[tuple[str, str], list[tuple]]:
    """The winning stored quarter and year-to-date figures of the new figures' keys and subjects,
    of every quarter of ``year`` (a year to date is checked against the nearest stored one, however
    far), per (key, subject): ``[(quarter, kind, value, written, file_name, cell)]``."""
    keys = sorted({r.key for r in new})
    subjects = sorted({r.subject for r in new})
    stored = con.execute(_FIGURES_FOR_CHECK, [year, 1, 4, keys, subjects]).fetchall()
    old: dict[tuple[str, str], list[tuple]] = {}
    for key, subject, quarter, kind, value, written, file_name, cell in stored:
        old.setdefault((key, subject), []).append((int(quarter), kind, value, written, file_name, cell))
    return old


def _ytd_decreases(ind, mine: list[_NewFigure], before: list[tuple], sheet: str) -> list[Issue]:
    """``ytd_decreases``: a flow's year to date lower than the subject's year to date of an earlier
    quarter (the nearest known, stored or in this file), in whichever order the reports arrive —
    a flow's figures cannot be negative (:mod:`kpi.reading.checks`), so the quarter between them
    cannot be derived and one of the two reports is wrong (black-box round 8: another region's
    nine months 5.000,0 stored, then the year's 3.250,0: «Thực hiện kỳ» −1.750,0 in the annex)."""
    ytd = {
        q: (value, f"{file_name}, ô {cell}", str(written))
        for q, kind, value, written, file_name, cell in before
        if kind == "ytd"
    }
    for r in mine:
        if r.kind == "ytd":
            ytd[int(r.quarter)] = (r.value, f"tệp này, ô {r.cell}", str(r.written))
    touched = {int(r.quarter) for r in mine if r.kind == "ytd"}
    quarters = sorted(ytd)
    issues = []
    for earlier, later in zip(quarters, quarters[1:], strict=False):
        if not touched & {earlier, later} or to_decimal(ytd[later][0]) >= to_decimal(ytd[earlier][0]):
            continue
        decimals = max(written_decimals(ytd[later][2]), written_decimals(ytd[earlier][2]))
        unit = f" {ind.unit}" if ind.unit else ""

        def shown(q: int, decimals=decimals, unit=unit) -> str:
            value, where, _written = ytd[q]
            return f"lũy kế {YTD_WORDS[q]} là {format_figure(value, ind.unit, ind.decimals, decimals)}{unit} ({where})"

        text = (
            f"«{ind.name}»: {shown(later)} nhỏ hơn {shown(earlier)}. Lũy kế từ đầu năm của chỉ tiêu cộng dồn "
            f"không thể giảm: một trong hai báo cáo ghi sai, và số của quý {int_to_roman(later)} "
            "không tính được. Hãy kiểm tra; số lũy kế mới nhất được dùng."
        )
        cell = next((r.cell for r in mine if r.kind == "ytd" and int(r.quarter) in (earlier, later)), mine[0].cell)
        issues.append(Issue(WARNING, "ytd_decreases", text, sheet, cell, ind.key))
    return issues


def _flow_sums_disagree(ind, mine: list[_NewFigure], before: list[tuple], sheet: str) -> list[Issue]:
    """``ytd_disagrees``: for each quarter the new file touches, year to date ≠ the previous year to
    date + the quarter's own amount (:func:`kpi.domain.rules.ytd_from_quarter`), beyond half a unit
    of the last decimal written (:func:`kpi.domain.rules.within_half_unit`)."""
    figures = {
        (q, kind): (value, f"{file_name}, ô {cell}", str(written))
        for q, kind, value, written, file_name, cell in before
    }
    for r in mine:
        figures[(int(r.quarter), r.kind)] = (r.value, f"tệp này, ô {r.cell}", str(r.written))
    touched = {(int(r.quarter), r.kind) for r in mine}
    figures[(0, "ytd")] = (0.0, "", "0")  # before the year starts, nothing: Q1's ytd = Q1's own
    issues = []
    for q in range(1, 5):
        ytd, prev, own = figures.get((q, "ytd")), figures.get((q - 1, "ytd")), figures.get((q, "quarter"))
        if not (ytd and prev and own) or not touched & {(q, "ytd"), (q - 1, "ytd"), (q, "quarter")}:
            continue
        expected = ytd_from_quarter(to_decimal(prev[0]), to_decimal(own[0]))
        decimals = max(written_decimals(ytd[2]), written_decimals(prev[2]), written_decimals(own[2]))
        if within_half_unit(expected, ytd[0], decimals):
            continue
        if q == 1:
            text = (
                f"«{ind.name}»: lũy kế quý I là {format_figure(ytd[0], ind.unit, ind.decimals, decimals)} ({ytd[1]}) nhưng số của quý I "
                f"là {format_figure(own[0], ind.unit, ind.decimals, decimals)} ({own[1]}); trong quý I hai số này phải bằng nhau. Hãy "
                "kiểm tra; số lũy kế được dùng."
            )
        else:
            text = (
                f"«{ind.name}»: lũy kế quý {q} là {format_figure(ytd[0], ind.unit, ind.decimals, decimals)} ({ytd[1]}) nhưng lũy kế quý "
                f"{q - 1} ({format_figure(prev[0], ind.unit, ind.decimals, decimals)}, {prev[1]}) cộng số của quý {q} "
                f"({format_figure(own[0], ind.unit, ind.decimals, decimals)}, {own[1]}) là {format_figure(expected, ind.unit, ind.decimals, decimals)}. Hãy kiểm tra; số lũy "
                "kế được dùng."
            )
        issues.append(Issue(WARNING, "ytd_disagrees", text, sheet, mine[0].cell, ind.key))
    return issues


def _level_far_from_previous(ind, mine: list[_NewFigure], before: list[tuple], sheet: str) -> list[Issue]:
    """``far_from_previous``: the first new figure of a level far from the subject's latest earlier
    quarter (:func:`kpi.domain.rules.far_from_previous`)."""
    for r in mine:
        earlier = sorted((q, value) for q, _kind, value, *_rest in before if q < r.quarter)
        if not earlier:
            continue
        last_q, last = earlier[-1]
        if far_from_previous(r.value, last):
            # each figure with its own decimals where they are more than the formatter's (black-box:
            # «0,943 % lệch…» beside «0,9 % khác xa số quý trước» in one preview)
            now, then = (format_figure(v, ind.unit, ind.decimals, own_decimals(v)) for v in (r.value, last))
            text = (
                f"«{ind.name}»: {now} {ind.unit} khác xa số quý trước ({then} {ind.unit}, quý {last_q}). Hãy kiểm tra."
            )
            return [Issue(WARNING, "far_from_previous", text, sheet, r.cell, ind.key)]
    return []


_FIGURES_FOR_CHECK = f"""
SELECT key, subject, quarter, kind, value, written, file_name, cell FROM (
    SELECT o.key, o.subject, o.quarter, o.kind, o.value, o.written, s.file_name, o.cell,
           {winner_number_sql("o", "s")} AS rn
    FROM observations o JOIN submissions s USING (submission_id)
    WHERE s.status = 'active' AND s.file_kind = 'report' AND o.year = ? AND o.quarter BETWEEN ? AND ?
      AND o.kind IN ('quarter', 'ytd') AND list_contains(?, o.key) AND list_contains(?, o.subject)
) WHERE rn = 1"""


def series_clause(prep) -> tuple[str, list]:
    """The SQL condition and values that select ``prep``'s series (:func:`kpi.domain.rules.series_key`)."""
    key = series_key(prep.file_kind, prep.sender, prep.subject, prep.year, prep.quarter, getattr(prep, "part", ""))
    return series_where_sql(), list(key)


def links_of(con, prep) -> Links:
    """How ``prep`` is linked to the stored versions of its series by what the files say they
    replace (:func:`kpi.storage.replaced.series_links`): the versions it names, and those that name
    it — its own number and date — as the report they replace."""
    key = series_key(prep.file_kind, prep.sender, prep.subject, prep.year, prep.quarter, getattr(prep, "part", ""))
    return series_links(con, key, prep.doc_number, prep.doc_date, getattr(prep, "replaced", []))


class Effect(NamedTuple):
    """What storing a prepared file will do to its series (same kind, sender, subject, period).

    :ivar status: ``active`` (it will be used) or ``superseded`` (kept as history only).
    :ivar replaces: the ids of the versions in use it will replace.
    :ivar message: Vietnamese, for the preview ("" when the series is new).
    :ivar alongside: a partial correction (``correction="partial"``): the versions in use it is
        stored beside, each keeping the figures the new file lacks.
    :ivar replaced_by: the versions in use that say they replace this very file (its own number
        and date): the original sent again after its correction, kept as history unless the clerk
        chooses to use it again (``options.reinstate``).
    """

    status: str
    replaces: tuple[int, ...]
    message: str
    alongside: tuple[int, ...] = ()
    replaced_by: tuple[int, ...] = ()


def planned_effect(con: duckdb.DuckDBPyConnection, prep) -> Effect:
    """The rule :func:`commit` applies, told before saving: the version with a document date
    beats one without, a later document date beats an earlier one, and on the same date the
    later upload wins (design.md, "Corrections"); what the files say they replace comes first
    (:func:`decide`)."""
    series_sql, params = series_clause(prep)
    active = con.execute(
        f"SELECT submission_id, doc_date, seq FROM submissions WHERE status = 'active' AND {series_sql}", params
    ).fetchall()
    return decide(prep, active, float("inf"), uploads_named(con, [r[0] for r in active]), links_of(con, prep))


def decide(prep, active: list[tuple], seq, names: dict[int, str], links: Links | None = None) -> Effect:
    """The supersede rule applied to ``prep`` against its series' ``active`` versions
    ``[(submission id, doc_date, seq)]``, ``prep`` being upload number ``seq`` (``inf``: not yet
    stored, the preview). A partial correction (``correction="partial"``) that outranks any of
    them is stored beside all of them (``alongside``), replacing none; one older than all is kept
    as history like any older version. ``names``: ``{id: the upload in words}``
    (:func:`kpi.storage.figures.uploads_named`) — the message names files, not bare numbers.

    What the files say comes before their dates (``links``, :func:`links_of`): a version ``prep``
    says it replaces is replaced whatever its date; a version that says it replaces ``prep`` — the
    original sent again after its correction (black-box: on the same document date the later upload
    won and undid the correction) — keeps ``prep`` in history, unless the clerk chose to use it
    again (``options.reinstate``)."""
    links = links or Links(frozenset(), {})
    reinstate = bool(getattr(prep.options, "reinstate", False))
    above = tuple(i for i, _d, _s in active if i in links.under)
    if above and not reinstate:
        return _replaced_already(prep, [links.under[i] for i in above])
    replaces, older_than = [], None
    new_rank = version_rank(prep.doc_date, seq)
    for old_id, old_date, old_seq in active:
        if old_id in links.over or old_id in above or new_rank >= version_rank(old_date, old_seq):
            replaces.append((old_id, old_date))
        else:
            older_than = (old_id, old_date)
    if replaces and getattr(prep.options, "correction", None) == "partial":
        named = "; ".join(names[i] for i, _d, _s in active)
        said = (
            f"Văn bản khác của cùng cơ quan và kỳ với {named} (số văn bản hoặc tiêu đề khác, không số nào trùng): "
            "lưu bên cạnh, không thay bản đó."
            if any(i.code == "another_document_alongside" for i in prep.issues)
            else f"Chỉ điều chỉnh các số có trong tệp: bản đang dùng {named} vẫn được dùng cho các số tệp này không "
            "có; số có ở cả hai lấy theo bản có ngày văn bản sau."
        )
        return Effect("active", (), said, tuple(i for i, _d, _s in active))
    if older_than is not None:
        old_id, old_date = older_than
        when = f"văn bản ngày {old_date:%d/%m/%Y}" if old_date else "không ghi ngày văn bản"
        return Effect(
            "superseded",
            (),
            f"Bản cũ hơn bản đang dùng {names[old_id]}, {when}: chỉ lưu vào lịch sử, không thay đổi số liệu.",
        )
    if not replaces:
        return Effect("active", (), "")
    parts = []
    for old_id, old_date in replaces:
        if old_id in above:
            parts.append(f"{names[old_id]}, bản sửa thay cho tệp này: bạn đã chọn dùng lại tệp này")
        elif old_date is not None and old_date == prep.doc_date:
            parts.append(f"{names[old_id]}, cùng ngày văn bản {old_date:%d/%m/%Y}: bản tải sau thay bản trước")
        else:
            parts.append(
                names[old_id] + (f", văn bản ngày {old_date:%d/%m/%Y}" if old_date else ", không ghi ngày văn bản")
            )
    return Effect(
        "active",
        tuple(i for i, _d in replaces),
        "Sẽ thay bản đang dùng " + "; ".join(parts) + ". Bản cũ vẫn được giữ trong lịch sử.",
        replaced_by=above,
    )


def _replaced_already(prep, above: list) -> Effect:
    """The original sent again after its correction (:func:`decide`): kept in history, the
    corrections that say they replace it named, and the choice that uses it again."""
    own = document_words("báo cáo", prep.doc_number, prep.doc_date)
    by = "; ".join(f"{v.own_words} ({v.named})" for v in above)
    return Effect(
        "superseded",
        (),
        f"Tệp này là {own}, đã được thay bởi {by}: chỉ lưu vào lịch sử, không thay lại bản sửa. Muốn dùng "
        "lại tệp này thay cho bản sửa: chọn «Dùng lại tệp này thay cho bản sửa» trước khi lưu, hoặc «Khôi phục "
        "làm bản đang dùng» ở trang Dữ liệu.",
        replaced_by=tuple(v.submission_id for v in above),
    )


class _Gap(NamedTuple):
    key: str
    subject: str
    quarter: int
    kind: str
    value: float
    submission_id: int


def correction_gaps(con: duckdb.DuckDBPyConnection, prep, replaces) -> list[_Gap]:
    """The figures in use of the versions ``replaces`` (ids) that ``prep``'s report lacks — same
    (indicator, subject, quarter, kind), :data:`kpi.domain.rules.FIGURE_SERIES` within the year —:
    what replacing them would take out of use. Of a figure several of them give, the winning one
    (:func:`kpi.domain.rules.winner_number_sql`). A file's copy of the plan (kind ``plan``) is not
    counted: targets come from the approved plan, so a correction without that column loses nothing.
    ``[]`` without ``replaces``."""
    ids = [int(i) for i in replaces]
    if not ids:
        return []
    stored = con.execute(
        f"""SELECT key, subject, quarter, kind, value, submission_id FROM (
            SELECT o.key, o.subject, o.quarter, o.kind, o.value, o.submission_id, {winner_number_sql("o", "s")} AS rn
            FROM observations o JOIN submissions s USING (submission_id) WHERE list_contains(?, o.submission_id)
        ) WHERE rn = 1 AND kind <> 'plan' ORDER BY submission_id, key, quarter, kind, subject""",
        [ids],
    ).fetchall()
    obs = prep.observations
    have = set(zip(obs["key"], obs["subject"], (int(q) for q in obs["quarter"]), obs["kind"], strict=True))
    return [_Gap(*r) for r in stored if (r[0], r[1], int(r[2]), r[3]) not in have]


#: The holds whose answer changes no figure's presence (:data:`kpi.reading.checks.DECISIONS`):
#: the correction's question is asked beside them.
ASKED_TOGETHER = ("scale", "accept_unmatched")


def settle_correction(con, prep, catalogue: Catalogue) -> None:
    """Hold a report (``correction_scope_unclear``) that would replace the version in use of its
    series while lacking figures that version has, unless the clerk chose ``partial`` or ``whole``
    (:attr:`kpi.reading.options.ImportOptions.correction`); with ``whole`` (or none needed) the
    figures it lacks are kept on ``prep.correction_gaps`` for the message after saving. Nothing for
    a file refused already or stored already (the same bytes: "đã có"). A file held only for
    choices that change no figure's presence (the scale of some figures, rows that count toward
    nothing) is asked this too, at once: the clerk answers every question in one pass (black-box:
    the scale question, then after it the correction's).

    Source of the rule: design.md, "a correction supersedes and keeps history"."""
    if any(DECISIONS.get(e.code) not in ASKED_TOGETHER for e in prep.errors) or prep.existing_id is not None:
        return
    effect = planned_effect(con, prep)
    gaps = correction_gaps(con, prep, effect.replaces)
    prep.correction_gaps = gaps
    if gaps and stored_beside(con, prep, effect.replaces):
        prep.correction_gaps = []
        return
    if gaps and prep.options.correction is None:
        named = "; ".join(uploads_named(con, effect.replaces).values())
        prep.issues.append(
            Issue(ERROR, "correction_scope_unclear", _gaps_text(prep, catalogue, named, gaps), prep.sheet)
        )


def stored_beside(con, prep, replaces) -> bool:
    """Whether ``prep`` is another report of the same office and period as the versions in use it
    would replace (:func:`_another_document`), and so is stored beside them, never a version of them
    (round 11: an office's labour estimate was asked as a correction of its near-poverty review,
    «Thay cả bản» would have dropped the communes' rates; round 12: two such reports saved in one
    batch, the second replaced the first). Sets ``prep.options.correction`` to ``partial`` and says
    so. Called by the preview's :func:`settle_correction` and again by :func:`kpi.ingest.commit`
    (the other may be stored only in the same batch)."""
    if prep.file_kind != "report" or prep.options.correction is not None:
        return False  # a register's versions are settled by kpi.ingest_registers
    if not (other := _another_document(con, prep, replaces)):
        return False
    prep.options = dataclasses.replace(prep.options, correction="partial")
    if not any(i.code == "another_document_alongside" for i in prep.issues):
        text = f"Văn bản khác của cùng cơ quan và kỳ với {other}: lưu bên cạnh, không thay bản đó."
        prep.issues.append(Issue(INFO, "another_document_alongside", text, prep.sheet))
    return True


def _another_document(con, prep, replaces) -> str:
    """The versions in use ``replaces`` in words when ``prep`` is another document of their series,
    not a version of them: no «thay thế» line, no figure (indicator and unit) in common, and told
    apart from each by its document number (both written, not the same) or, where a number is
    missing, by its title (both written, not the same words); else ``""`` (asked as before)."""
    if not replaces or getattr(prep, "replaced", None):
        return ""
    ids = [int(i) for i in replaces]
    stored_docs = con.execute(
        "SELECT doc_number, title FROM submissions WHERE list_contains(?, submission_id)", [ids]
    ).fetchall()

    def apart(number, title) -> bool:
        if number and prep.doc_number:
            return not same_number(number, prep.doc_number)
        return bool(title and prep.title) and match_key(title) != match_key(prep.title)

    if not all(apart(number, title) for number, title in stored_docs):
        return ""
    stored = set(
        con.execute(
            "SELECT DISTINCT key, subject FROM observations WHERE list_contains(?, submission_id)", [ids]
        ).fetchall()
    )
    if stored & set(zip(prep.observations["key"], prep.observations["subject"], strict=True)):
        return ""
    return "; ".join(uploads_named(con, ids).values())


def _gaps_text(prep, catalogue: Catalogue, named: str, gaps: list[_Gap]) -> str:
    """The question to the clerk (Vietnamese): which figures would disappear (from the versions in
    use ``named``, in words), and the two choices."""
    shown = []
    for g in gaps[:GAPS_SHOWN]:
        ind = catalogue.by_key.get(g.key)
        if ind is None:
            figure, name = format_number(g.value), ""
        elif g.kind == "plan":
            figure, name = format_number(g.value, ind.decimals), f" «{ind.name}»"
        else:
            figure, name = format_figure(g.value, ind.unit, ind.decimals), f" «{ind.name}»"
        unit = f" {ind.unit}" if ind is not None and ind.unit else ""
        where = quarter_words(prep.year, g.quarter) if prep.year else f"quý {g.quarter}"
        who = f", {g.subject}" if g.subject and g.subject != catalogue.district_unit else ""
        shown.append(
            f"{g.key}{name} ({where}, {kind_words(g.kind, ind.over_year if ind else None)}{who}): {figure}{unit}"
        )
    more = f" và {len(gaps) - GAPS_SHOWN} số khác" if len(gaps) > GAPS_SHOWN else ""
    return (
        f"Tệp này sẽ thay bản đang dùng {named} nhưng thiếu {len(gaps)} số mà bản đó có: "
        + "; ".join(shown)
        + f"{more}. Nếu thay cả bản, các số này không còn được dùng (vẫn giữ trong lịch sử). Hãy chọn «Chỉ "
        "điều chỉnh các số có trong tệp» (các số khác vẫn lấy từ bản đang dùng) hoặc «Thay cả bản đang dùng» "
        "(dòng lệnh: --correction partial hoặc --correction whole)."
    )
