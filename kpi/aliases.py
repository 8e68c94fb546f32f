"""Names taught once (issue 13, section 4): "Đây là: …" answered at upload becomes an alias of
this district's data, used at once and for every later file.

An alias is (``kind``, written name, target): ``indicator`` → an indicator key, ``award`` → an
award name of the plan, ``unit`` → a unit of the plan. It is stored in ``learned_aliases`` (who,
when, from which file) and in the lookup table the catalogue reads (``indicator_aliases``,
``award_aliases``, ``unit_aliases``), logged in ``import_log`` (action ``alias``: ``rebuild``
replays it in order, before the files read with it) and in the audit log. An alias that would make
a name match two things (the name already matches another target, or is already taught as
another) is refused with a message. Adding needs the right to upload; removing is an admin's.

Errors: :class:`kpi.errors.PlanError` (refused, Vietnamese message), :class:`kpi.errors.NotFound`
(no such target / alias), :class:`kpi.errors.PermissionDenied`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from kpi.access.audit import record
from kpi.access.auth import require
from kpi.errors import NotFound, PlanError
from kpi.storage.database import bump_plan_version, transaction, write_lock
from kpi.storage.store import next_seq
from kpi.vn import clean_text

__all__ = ["KINDS", "Unmatched", "add_alias", "list_aliases", "remove_alias", "replay_alias_entry", "unmatched_names"]

#: kind → (lookup table, its target column, Vietnamese word)
KINDS = {
    "indicator": ("indicator_aliases", "key", "chỉ tiêu"),
    "award": ("award_aliases", "award", "danh hiệu"),
    "unit": ("unit_aliases", "unit", "đơn vị"),
}


#: kind → the statements that add / remove one alias of the lookup table the catalogue reads.
_INSERT = {
    "indicator": "INSERT INTO indicator_aliases (key, alias) VALUES (?, ?)",
    "award": "INSERT INTO award_aliases (award, alias) VALUES (?, ?)",
    "unit": "INSERT INTO unit_aliases (unit, alias) VALUES (?, ?)",
}
_DELETE = {
    "indicator": "DELETE FROM indicator_aliases WHERE key = ? AND alias = ?",
    "award": "DELETE FROM award_aliases WHERE award = ? AND alias = ?",
    "unit": "DELETE FROM unit_aliases WHERE unit = ? AND alias = ?",
}


def _catalogue(con):
    from kpi.storage.catalogue import load_catalogue, plan_years_in_db

    years = plan_years_in_db(con)
    if not years:
        raise NotFound("Cơ sở dữ liệu chưa có kế hoạch nào.")
    return load_catalogue(con, max(years))


def _targets(catalogue, kind: str) -> dict[str, str]:
    """Target → its label, for ``kind``."""
    if kind == "indicator":
        return {i.key: f"{i.key} — {i.name}" for i in catalogue.indicators}
    if kind == "award":
        return {i.award: i.award for i in catalogue.indicators if i.award}
    return {u: u for u in catalogue.units["unit"]}


def _current_match(catalogue, kind: str, written: str) -> str | None:
    if kind == "indicator":
        m = catalogue.match_indicator(written, by_words=True)
    elif kind == "award":
        m = catalogue.match_award(written, by_words=True)
    else:
        m = catalogue.match_unit(written, by_words=True)
    return m.value if m else None


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise PlanError(f"Loại tên «{kind}» không đúng; hãy dùng indicator, award hoặc unit.")


def add_alias(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    kind: str,
    written: str,
    target: str,
    file_name: str = "",
    sha256: str = "",
    at: dt.datetime | None = None,
    log: bool = True,
) -> str:
    """Teach that ``written`` is ``target``; returns the message said to the user.

    :raises PlanError: the alias would make the name match two things, or is empty.
    :raises NotFound: ``target`` is not an indicator key / award / unit of the plan.
    """
    _check_kind(kind)
    require(con, actor, "upload")
    written = clean_text(written)
    if not written:
        raise PlanError("Tên cần ghi nhớ đang trống.")
    word = KINDS[kind][2]
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        catalogue = _catalogue(con)
        targets = _targets(catalogue, kind)
        if target not in targets:
            raise NotFound(f"Kế hoạch không có {word} «{target}».")
        now = _current_match(catalogue, kind, written)
        if now is not None and now != target:
            raise PlanError(
                f"Không ghi nhớ được: «{written}» đã khớp {word} «{targets.get(now, now)}»; nếu nhận thêm là "
                f"«{targets[target]}» thì một tên sẽ khớp hai {word}. Hãy kiểm tra lại lựa chọn."
            )
        taught = con.execute(
            "SELECT target FROM learned_aliases WHERE kind = ? AND lower(written) = lower(?)", [kind, written]
        ).fetchall()
        if any(t != target for (t,) in taught):
            raise PlanError(f"Không ghi nhớ được: «{written}» đã được ghi nhớ là {word} «{taught[0][0]}».")
        if now == target and taught:
            return f"«{written}» đã được nhận là {word} «{targets[target]}»."
        with transaction(con):
            con.execute(
                "INSERT INTO learned_aliases VALUES (?, ?, ?, ?, ?, ?, ?)",
                [kind, written, target, actor, at, file_name, sha256],
            )
            if now is None:
                con.execute(_INSERT[kind], [target, written])
            if log:
                spec = {"op": "add", "kind": kind, "written": written, "target": target, "sha256": sha256}
                seq = next_seq(con)
                con.execute(
                    "INSERT INTO import_log VALUES (?, ?, 'alias', NULL, ?, ?, ?, ?)",
                    [seq, at, file_name or None, json.dumps(spec, ensure_ascii=False), actor, ""],
                )
            record(con, actor, "alias_add", sha256 or None, file_name or None, f"«{written}» → {word} «{target}»", at)
            bump_plan_version(con)
    return f"Đã ghi nhớ: «{written}» là {word} «{targets[target]}» (dùng cho tệp này và các tệp sau)."


def remove_alias(
    con: duckdb.DuckDBPyConnection, actor: str, kind: str, written: str, at: dt.datetime | None = None, log: bool = True
) -> str:
    """Forget a taught name (an admin's right); returns the message.

    :raises NotFound: no such taught name.
    """
    _check_kind(kind)
    require(con, actor, "manage_aliases")
    written = clean_text(written)
    word = KINDS[kind][2]
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        rows = con.execute(
            "SELECT written, target FROM learned_aliases WHERE kind = ? AND lower(written) = lower(?)", [kind, written]
        ).fetchall()
        if not rows:
            raise NotFound(f"Không có tên đã học «{written}» ({word}).")
        with transaction(con):
            for w, target in rows:
                con.execute(_DELETE[kind], [target, w])
            con.execute("DELETE FROM learned_aliases WHERE kind = ? AND lower(written) = lower(?)", [kind, written])
            if log:
                spec = {"op": "remove", "kind": kind, "written": written}
                seq = next_seq(con)
                con.execute(
                    "INSERT INTO import_log VALUES (?, ?, 'alias', NULL, NULL, ?, ?, ?)",
                    [seq, at, json.dumps(spec, ensure_ascii=False), actor, ""],
                )
            record(con, actor, "alias_remove", detail=f"«{written}» ({word}, từng là «{rows[0][1]}»)", at=at)
            bump_plan_version(con)
    return f"Đã xoá tên đã học «{written}» ({word})."


def list_aliases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Taught names, newest first: ``kind``, ``written``, ``target``, ``added_by``, ``added_at``,
    ``file_name``."""
    return con.execute(
        "SELECT kind, written, target, added_by, added_at, file_name FROM learned_aliases ORDER BY added_at DESC, written"
    ).fetchdf()


def replay_alias_entry(con: duckdb.DuckDBPyConnection, spec: dict, actor: str, at) -> None:
    """Replay one ``import_log`` entry of action ``alias`` (:func:`kpi.rebuild.rebuild`)."""
    try:
        if spec["op"] == "add":
            add_alias(
                con, actor, spec["kind"], spec["written"], spec["target"], "", spec.get("sha256", ""), at, log=True
            )
        else:
            remove_alias(con, actor, spec["kind"], spec["written"], at, log=True)
    except KeyError as exc:
        raise PlanError(f"mục tên đã học không đọc được ({exc})") from exc


# -- what the preview asks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmatched:
    """A written name of a prepared file that counts toward nothing, and the plan's choices for
    it, best guesses first: ``choices`` is a list of (target, label)."""

    kind: str
    written: str
    cells: tuple[str, ...]
    choices: tuple[tuple[str, str], ...]


def _ranked(written: str, targets: dict[str, str], names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    from kpi.domain.abbreviations import content_words, expand

    words = set(content_words(expand(written).text))

    def score(target: str) -> tuple:
        nw = set(content_words(expand(names.get(target, target)).text))
        shared = len(words & nw)
        return (-shared / (len(words | nw) or 1), names.get(target, target))

    return tuple((t, targets[t]) for t in sorted(targets, key=score))


def unmatched_names(prep, catalogue) -> list[Unmatched]:
    """Every name of ``prep`` that counts toward nothing and could be taught: a report's rows not in
    the plan; a register's award names neither of the plan nor of the honour roll; unit names not
    in the catalogue."""
    from kpi.reading.file_kind import award_cell, honour_roll_award, unit_cell

    found: dict[tuple[str, str], list[str]] = {}
    if prep.file_kind == "report" and not prep.rows.empty:
        for r in prep.rows[prep.rows["status"] == "not_in_plan"].itertuples():
            found.setdefault(("indicator", r.label), []).append(f"dòng {r.row}")
    elif prep.file_kind == "awards":
        known = set(catalogue.units["unit"])
        for r in prep.awards.itertuples():
            if not r.award and r.award_written and not honour_roll_award(r.award_written):
                found.setdefault(("award", r.award_written), []).append(award_cell(prep.awards, r))
            if r.unit and r.unit not in known:
                found.setdefault(("unit", r.unit), []).append(unit_cell(prep.awards, r))
    elif prep.file_kind == "registrations":
        for r in prep.registrations.itertuples():
            if r.note == "không có trong danh mục":
                found.setdefault(("unit", r.unit_written), []).append(r.cell)
    out = []
    for (kind, written), cells in found.items():
        targets = _targets(catalogue, kind)
        names = {i.key: i.name for i in catalogue.indicators} if kind == "indicator" else {}
        out.append(Unmatched(kind, written, tuple(cells), _ranked(written, targets, names)))
    return out
