"""Plans as data: a year's targets proposed from its plan document, confirmed with history,
edited, or started from the previous year; the import-log replay and the ``plan`` command.

Nothing is stored unconfirmed. The flow (issue 8):

    plan document ──► :func:`propose_plan` (kpi.plans.parse, matched against the base catalogue)
        ──► rows reviewed and edited by an admin ──► :func:`plan_differences` (shown)
        ──► :func:`confirm_plan` (one transaction: the year's plan replaced, every change in
            ``target_history`` with who, when and why, the document kept in ``plan_documents``,
            an ``import_log`` entry with action ``plan`` that ``rebuild`` replays, the audit log)

A **row** is a plain dict, one per target, the form ``data/plans/<year>/indicators.csv`` writes:
``key`` (str; empty or ``None`` for a new target, given the next free key on confirmation),
``group``, ``name``, ``unit``, ``target`` (text as in indicators.csv — "3300.9", "1-2" — or a
number, or ``[lo, hi]``), ``direction``, ``baseline`` (text or number, for ``decrease_by``),
``over_year``, ``across_units``, ``when_known``, ``parent``, ``plan_no``, ``award``,
``recipient``, ``conferred_by``, ``counted_from``, ``source_text``. How a key's figures
combine (``over_year`` … ``conferred_by``) and its ``plan_no``, left empty, are taken from the
year's current plan for that key, else from the nearest year that has the key, else from the
vocabulary's proposal (:mod:`kpi.plans.parse`).

The **base catalogue** of a year is its own plan, else the nearest earlier year's, else the
nearest later year's: keys are kept across years, so a new year's targets match last year's
keys and charts can compare years.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pandas as pd

from kpi.access.auth import require
from kpi.domain.plan import DIRECTIONS, GROUPS, Catalogue, parse_target, target_problems
from kpi.errors import NumberFormatError, PlanError
from kpi.plans.parse import PlanProposal, PlanVocabulary, parse_plan, plan_groups, plan_vocabulary, proposed_kinds
from kpi.plans.text import PlanDocument
from kpi.storage.catalogue import load_catalogue, plan_years_in_db, store_plan
from kpi.storage.database import bump_version, scalar, transaction, write_lock
from kpi.storage.figures import last_year_path
from kpi.storage.store import next_seq
from kpi.vn import clean_text, format_number, parse_date, parse_number
from kpi.words import ACROSS_UNITS_WORDS, COUNTED_FROM_WORDS, GROUP_LABELS, OVER_YEAR_WORDS, WHEN_KNOWN_WORDS

__all__ = [
    "ROW_FIELDS",
    "Saved",
    "base_catalogue",
    "propose_plan",
    "proposal_rows",
    "plan_rows",
    "plan_meta",
    "plan_differences",
    "confirm_plan",
    "copy_plan",
    "target_history",
    "plan_documents",
    "change_lines",
    "value_words",
    "target_display",
    "read_target_text",
    "editor_frame",
    "rows_from_editor",
    "EDITOR_COLUMNS",
    "replay_plan_entry",
]

ROW_FIELDS = [
    "key",
    "group",
    "name",
    "unit",
    "target",
    "direction",
    "baseline",
    "over_year",
    "across_units",
    "when_known",
    "parent",
    "plan_no",
    "award",
    "recipient",
    "conferred_by",
    "counted_from",
    "source_text",
]
#: Fields an existing key keeps when a row leaves them empty (how its figures combine, its
#: number in the plan); a name, unit, group, target or direction must be given.
_INHERITED = (
    "over_year",
    "across_units",
    "when_known",
    "counted_from",
    "award",
    "recipient",
    "conferred_by",
    "plan_no",
)
#: Fields whose change is a change of the plan (``target_history``); ``source_text`` is not.
COMPARED_FIELDS = [f for f in ROW_FIELDS if f not in ("key", "source_text")]
META_FIELDS = ["title", "doc_number", "doc_date", "district", "authority", "authority_upper", "province", "place"]
_CHOICES = {
    "group": GROUPS,
    "direction": DIRECTIONS,
    "over_year": ("flow", "level", "count"),
    "across_units": ("sum", "none"),
    "when_known": ("quarterly", "year-end"),
    "counted_from": ("reports", "registrations", "awards"),
}
#: Words of the history table for the kinds of change.
FIELD_WORDS = {
    "added": "thêm chỉ tiêu",
    "removed": "bỏ chỉ tiêu",
    "group": "nhóm",
    "name": "tên",
    "unit": "đơn vị tính",
    "target": "kế hoạch",
    "direction": "chiều đánh giá",
    "baseline": "số năm trước (mức gốc)",
    "over_year": "cộng dồn trong năm",
    "across_units": "cộng giữa các đơn vị",
    "when_known": "khi có số",
    "parent": "thuộc chỉ tiêu",
    "plan_no": "số thứ tự",
    "award": "danh hiệu / hình thức",
    "recipient": "đối tượng",
    "conferred_by": "cơ quan tặng thưởng",
    "counted_from": "đếm từ",
    "title": "tên kế hoạch",
    "doc_number": "số văn bản",
    "doc_date": "ngày văn bản",
    "district": "địa bàn",
    "authority": "cơ quan ban hành",
    "authority_upper": "cơ quan ban hành (chữ in)",
    "province": "tỉnh",
    "place": "địa danh",
}
DIRECTION_WORDS = {">=": "tối thiểu (≥)", "<=": "tối đa (≤)", "range": "trong khoảng", "decrease_by": "giảm (điểm %)"}


@dataclass(frozen=True)
class Saved:
    """What :func:`confirm_plan` did.

    :ivar changes: :func:`plan_differences` of the stored version against the one it replaced.
    :ivar replaced: the year had a plan before.
    :ivar keys: the keys of the stored plan (new targets' keys included), in order.
    """

    year: int
    changes: pd.DataFrame
    replaced: bool
    keys: tuple[str, ...]
    message: str


# ---------------------------------------------------------------------------------------------
# Reading what is stored


def base_catalogue(con: duckdb.DuckDBPyConnection, year: int) -> Catalogue | None:
    """The catalogue a plan of ``year`` is matched against (see the module's docstring)."""
    years = plan_years_in_db(con)
    if year in years:
        return load_catalogue(con, year)
    earlier = [y for y in years if y < year]
    later = [y for y in years if y > year]
    if earlier:
        return load_catalogue(con, max(earlier))
    if later:
        return load_catalogue(con, min(later))
    return None


def plan_rows(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """The stored plan of ``year`` as rows (empty list without a plan)."""
    frame = con.execute("SELECT * FROM indicators WHERE year = ? ORDER BY sort", [year]).fetchdf()
    rows = []
    for r in frame.to_dict("records"):
        rows.append(
            {
                "key": r["key"],
                "group": r["grp"],
                "name": r["name"],
                "unit": r["unit"],
                "target": r["target_text"] or "",
                "direction": r["direction"],
                "baseline": _plain_float(r["baseline"]),
                "over_year": r["over_year"],
                "across_units": r["across_units"],
                "when_known": r["when_known"],
                "parent": r["parent"] or "",
                "plan_no": r["plan_no"] or "",
                "award": r["award"] or "",
                "recipient": r["recipient"] or "",
                "conferred_by": r["conferred_by"] or "",
                "counted_from": r["counted_from"] or "reports",
                "source_text": r["source_text"] or "",
            }
        )
    return rows


def plan_meta(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """The stored identity of ``year``'s plan (``{}`` without a plan); ``doc_date`` a date or None."""
    frame = con.execute("SELECT * FROM plans WHERE year = ?", [year]).fetchdf()
    if frame.empty:
        return {}
    row = frame.iloc[0].to_dict()
    meta = {
        k: ("" if row.get(k) is None or (isinstance(row.get(k), float) and pd.isna(row.get(k))) else row[k])
        for k in META_FIELDS
    }
    meta["doc_date"] = _as_date(row.get("doc_date"))
    meta["source"] = row.get("source") or ""
    return meta


def plan_documents(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Every plan document kept for ``year``, newest first: ``version``, ``file_name``,
    ``sha256``, ``text``, ``doc_number``, ``doc_date``, ``stored_at``, ``stored_by``."""
    return con.execute(
        "SELECT version, file_name, sha256, text, doc_number, doc_date, stored_at, stored_by "
        "FROM plan_documents WHERE year = ? ORDER BY version DESC",
        [year],
    ).fetchdf()


def target_history(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Who changed what in the plans, when and why, newest first: ``changed_at``, ``actor``,
    ``year``, ``key``, ``field``, ``old_value``, ``new_value``, ``reason``."""
    extra, params = "", []
    if year is not None:
        extra, params = " WHERE year = ?", [year]
    return con.execute(
        "SELECT changed_at, actor, year, key, field, old_value, new_value, reason FROM target_history"
        f"{extra} ORDER BY changed_at DESC, year, key, field",
        params,
    ).fetchdf()


# ---------------------------------------------------------------------------------------------
# Proposals


def propose_plan(
    con: duckdb.DuckDBPyConnection, year: int, document: PlanDocument, data_dir: Path | None = None
) -> PlanProposal:
    """The targets ``document`` proposes for ``year``, matched against :func:`base_catalogue`.
    Reads only; nothing is stored."""
    return parse_plan(document, base_catalogue(con, year), plan_vocabulary(data_dir))


def proposal_rows(proposal: PlanProposal) -> list[dict]:
    """A proposal's targets as rows (the form :func:`confirm_plan` takes)."""
    rows = []
    for t in proposal.targets:
        rows.append(
            {
                "key": t.key or "",
                "group": t.group,
                "name": t.name,
                "unit": t.unit,
                "target": t.target_text,
                "direction": t.direction,
                "baseline": "" if t.baseline is None else format(t.baseline, "f"),
                "over_year": t.over_year,
                "across_units": t.across_units,
                "when_known": t.when_known,
                "parent": t.parent,
                "plan_no": t.plan_no,
                "award": t.award,
                "recipient": t.recipient,
                "conferred_by": t.conferred_by,
                "counted_from": t.counted_from,
                "source_text": t.source_text,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Targets as text (the editor shows them vi-VN)


def target_display(target_text: str) -> str:
    """indicators.csv's target text shown vi-VN: "3300.9" → "3.300,9", "45-55" → "45–55"."""
    target, lo, hi, decimals = parse_target(target_text or "")
    if lo is not None and hi is not None:
        return f"{format_number(lo, decimals)}–{format_number(hi, decimals)}"
    return format_number(target, decimals) if target is not None else ""


_RANGE_SPLIT = re.compile(r"\s*(?:–|—|\bđến\b|\btới\b|(?<=\d)\s*-\s*(?=\d))\s*")


def read_target_text(text: object) -> str:
    """A target typed the Vietnamese way ("3.300,9", "45–55", "45 đến 55", "0,17") → the
    indicators.csv form ("3300.9", "45-55", "0.17"). Numbers and ``[lo, hi]`` are accepted too.

    :raises PlanError: not a number or a range of two numbers.
    """
    if isinstance(text, (list, tuple)):
        if len(text) != 2:
            raise PlanError(f"Khoảng kế hoạch «{text}» phải có hai số.")
        return f"{_csv_number(text[0])}-{_csv_number(text[1])}"
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return _csv_number(text)
    raw = clean_text(text).replace("%", "").strip()
    if not raw:
        return ""
    parts = [p for p in _RANGE_SPLIT.split(raw) if p]
    try:
        values = [parse_number(p, "vi").value for p in parts]
    except NumberFormatError as exc:
        raise PlanError(f"Kế hoạch «{raw}» không phải là một số hay một khoảng (ví dụ 3.300,9 hoặc 45–55).") from exc
    if len(values) == 1 and values[0] is not None:
        return format(values[0], "f")
    if len(values) == 2 and None not in values:
        return f"{format(values[0], 'f')}-{format(values[1], 'f')}"
    raise PlanError(f"Kế hoạch «{raw}» không phải là một số hay một khoảng (ví dụ 3.300,9 hoặc 45–55).")


def _csv_number(value) -> str:
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return format(Decimal(str(value)), "f")


def _plain_float(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return _csv_number(float(value))


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        try:
            parsed = parse_date(text)
        except NumberFormatError as exc:
            raise PlanError(f"Ngày văn bản «{text}» không đúng (hãy viết ngày/tháng/năm).") from exc
        return parsed.value if parsed else None


# ---------------------------------------------------------------------------------------------
# The targets editor's table

#: Columns of the editor's table (:func:`editor_frame`), in order; the last four only describe
#: a proposal and are never stored.
EDITOR_COLUMNS = [*ROW_FIELDS, "direction_from", "match", "note", "line"]


def editor_frame(rows: list[dict], proposal: PlanProposal | None = None) -> pd.DataFrame:
    """Rows as the targets editor shows them: every column text, ``target`` and ``baseline``
    written the Vietnamese way ("3.300,9", "45–55"); with a proposal, why each direction was
    chosen, how each key was matched, the notes and the document's line.

    :returns: DataFrame with :data:`EDITOR_COLUMNS` (all ``str``).
    """
    records = []
    extras = list(proposal.targets) if proposal is not None else [None] * len(rows)
    for row, t in zip(rows, extras, strict=True):
        record = {f: "" if row.get(f) is None else str(row.get(f)) for f in ROW_FIELDS}
        record["target"] = target_display(record["target"]) if record["target"] else ""
        record["baseline"] = target_display(record["baseline"]) if record["baseline"] else ""
        record["direction_from"] = t.direction_from if t is not None else ""
        record["match"] = t.match if t is not None else ""
        record["note"] = t.note if t is not None else ""
        record["line"] = str(t.number) if t is not None else ""
        records.append(record)
    return pd.DataFrame(records, columns=EDITOR_COLUMNS).astype(str)


def rows_from_editor(frame: pd.DataFrame) -> list[dict]:
    """The editor's table (as edited: rows added, removed, cells changed) back to rows.
    Empty rows are dropped; ``target`` and ``baseline`` are read the Vietnamese way
    (:func:`read_target_text`) into indicators.csv's form."""
    rows = []
    for record in frame.to_dict("records"):
        row = {f: _text(record.get(f)) for f in ROW_FIELDS}
        if not any(row[f] for f in ("key", "name", "target")):
            continue
        for f in ("target", "baseline"):
            try:
                row[f] = read_target_text(row[f])
            except PlanError:
                pass  # kept as typed: the confirmation lists it with every other problem
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Normalising and checking rows


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return clean_text(value)


def _known_indicators(con, year: int) -> dict[str, dict]:
    """Rows by key from the year's own plan, then every other year nearest first (a key keeps
    its attributes across years)."""
    years = plan_years_in_db(con)
    order = sorted(years, key=lambda y: (y != year, abs(y - year), -y))
    known: dict[str, dict] = {}
    for y in order:
        for row in plan_rows(con, y):
            known.setdefault(row["key"], row)
    return known


def _key_prefix(group: str, rows: list[dict], con, vocab_keys: dict) -> str:
    existing = [re.match(r"[A-Za-z]+", str(r["key"])) for r in rows if r.get("key") and r.get("group") == group]
    prefixes = Counter(m.group(0) for m in existing if m)
    if not prefixes:
        stored = con.execute("SELECT key FROM indicators WHERE grp = ?", [group]).fetchall()
        prefixes = Counter(m.group(0) for (k,) in stored if (m := re.match(r"[A-Za-z]+", k)))
    if prefixes:
        return prefixes.most_common(1)[0][0]
    return vocab_keys.get(group, "K")


def _normalise(con, year: int, rows: list[dict], data_dir: Path | None) -> list[dict]:
    """Rows completed (inherited fields, new keys) and checked.

    :raises PlanError: listing every problem (empty name, bad target, unknown direction …).
    """
    known = _known_indicators(con, year)
    vocab = plan_vocabulary(data_dir)
    out: list[dict] = []
    problems: list[str] = []
    for number, raw in enumerate(rows, start=1):
        row = {f: _text(raw.get(f)) if f not in ("target", "baseline") else raw.get(f) for f in ROW_FIELDS}
        key = row["key"]
        inherited = known.get(key, {}) if key else {}
        for f in _INHERITED:
            if not row[f] and inherited.get(f):
                row[f] = inherited[f]
        # a row of the grid, named «hàng … của bảng»: «dòng N» is a line of the plan's text on the
        # same screen (black-box round 7: «Dòng 16: …» and «dòng 16 «…»» were two different things)
        label = f"hàng {number} của bảng" + (f" ({key})" if key else "") + (f" «{row['name']}»" if row["name"] else "")
        _read_numbers(row, label, problems)
        _propose_kinds(row, vocab)
        _check_row(row, label, vocab, data_dir, problems)
        out.append(row)
    keys = [r["key"] for r in out if r["key"]]
    duplicates = sorted(k for k, n in Counter(keys).items() if n > 1)
    if duplicates:
        problems.append("trùng mã chỉ tiêu: " + ", ".join(duplicates))
    if not out:
        problems.append("bảng chỉ tiêu trống")
    _new_keys(con, out, keys, vocab)
    _cut_baselines(con, year, out)
    all_keys = {r["key"] for r in out}
    for row in out:
        if row["parent"] and row["parent"] not in all_keys:
            problems.append(f"{row['key']}: thuộc chỉ tiêu «{row['parent']}» không có trong kế hoạch")
    if problems:
        raise PlanError("Bảng chỉ tiêu chưa lưu được:\n" + "\n".join(f"  - {p}" for p in problems))
    return out


def _read_numbers(row: dict, label: str, problems: list[str]) -> None:
    """The row's target and last year's figure as ``indicators.csv`` writes them (a number from
    the editor, or Vietnamese or CSV text); one that is not a number becomes "" with a problem."""
    try:
        row["target"] = (
            read_target_text(row["target"]) if not isinstance(row["target"], str) else _csv_or_vi(row["target"])
        )
    except PlanError as exc:
        problems.append(f"{label}: {exc.message_vi}")
        row["target"] = ""
    baseline = row["baseline"]
    try:
        row["baseline"] = (
            ""
            if baseline in (None, "") or (isinstance(baseline, float) and pd.isna(baseline))
            else (read_target_text(baseline) if not isinstance(baseline, str) else _csv_or_vi(baseline))
        )
    except PlanError:
        problems.append(f"{label}: số năm trước «{baseline}» không phải là một số")
        row["baseline"] = ""


def _propose_kinds(row: dict, vocab: PlanVocabulary) -> None:
    """How a row without ``over_year`` combines: its empty fields from :func:`proposed_kinds`."""
    if not row["over_year"]:
        kinds = proposed_kinds(row["name"], row["unit"], row["group"], vocab)
        for f in ("over_year", "across_units", "when_known", "counted_from", "award", "recipient", "conferred_by"):
            if not row[f]:
                row[f] = kinds[f]


def _check_row(row: dict, label: str, vocab: PlanVocabulary, data_dir: Path | None, problems: list[str]) -> None:
    """One row's problems: no name, no group, a field outside its choices, a target the plan's
    rules refuse or whose shape does not fit the direction, a key with other characters."""
    if not row["name"]:
        problems.append(f"{label}: thiếu tên chỉ tiêu")
    groups = plan_groups(vocab)
    if not row["group"]:
        problems.append(f"{label}: chưa rõ thuộc nhóm nào — hãy chọn nhóm ({', '.join(groups.values())})")
    for f, allowed in {**_CHOICES, "group": tuple(groups)}.items():
        if row[f] not in allowed and not (f == "group" and not row[f]):
            problems.append(
                f"{label}: {FIELD_WORDS.get(f, f)} «{row[f]}» không hợp lệ (chọn một trong: {', '.join(allowed)})"
            )
    # Negative, a share above 100, a range upside down, a count not whole: the plan's rules.
    wrong = target_problems(row["target"], row["unit"], data_dir)
    problems += [f"{label}: {p}" for p in wrong]
    try:
        target, lo, hi, _d = parse_target(row["target"]) if row["target"] else (None, None, None, 0)
    except InvalidOperation:
        target, lo, hi = None, None, None  # said by target_problems
    if not wrong and row["direction"] == "range":
        if lo is None or hi is None:
            problems.append(f"{label}: chiều «trong khoảng» cần kế hoạch dạng «thấp–cao» (ví dụ 45–55)")
    elif not wrong and row["direction"] in DIRECTIONS and target is None:
        problems.append(
            f"{label}: thiếu số kế hoạch"
            + (" (một khoảng chỉ dùng với chiều «trong khoảng»)" if lo is not None else "")
        )
    if row["key"] and not re.fullmatch(r"[A-Za-z0-9_.\-]+", row["key"]):
        problems.append(f"{label}: mã «{row['key']}» chỉ được có chữ không dấu, số, «_», «-», «.»")


def _new_keys(con, out: list[dict], keys: list[str], vocab: PlanVocabulary) -> None:
    """New keys: the group's usual prefix and the next free number across every year."""
    taken = set(keys) | {k for (k,) in con.execute("SELECT DISTINCT key FROM indicators").fetchall()}
    for row in out:
        if row["key"]:
            continue
        prefix = _key_prefix(row["group"], out, con, vocab.raw.get("keys", {}))
        numbers = [int(m.group(1)) for k in taken if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)[a-z]?", k))]
        row["key"] = f"{prefix}{(max(numbers) + 1 if numbers else 1):02d}"
        taken.add(row["key"])


def _cut_baselines(con, year: int, out: list[dict]) -> None:
    """A cut is measured from last year's year-end figure (issue 8): the previous year's stored
    Q4 figure, or a "TH cùng kỳ" of this year's year report, when known."""
    for row in out:
        if row["direction"] == "decrease_by" and not row["baseline"]:
            last = last_year_path(con, year, row["key"]).get(4)
            if last is not None:
                row["baseline"] = format(last, "f")


def _csv_or_vi(text: str) -> str:
    """A target text from a row: indicators.csv's form ("3300.9", "1-2", "1.250" = 1,25) when it
    is written so, else read the Vietnamese way ("3.300,9", "45–55"): rows from the editor are
    converted by :func:`rows_from_editor` before they get here."""
    text = clean_text(text)
    if not text:
        return ""
    if re.fullmatch(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?", text):
        return text  # "1.250" here is 1,25 written the indicators.csv way
    return read_target_text(text)


def _meta_for(con, year: int, given: dict | None, data_dir: Path | None = None) -> dict:
    """The identity to store: the year's own, else the data folder's ``plans/<year>/plan.toml``,
    else the base year's with its year replaced in the title (number and date cleared: a new
    plan has its own), then what is ``given``."""
    meta = plan_meta(con, year)
    toml_path = Path(data_dir) / "plans" / str(year) / "plan.toml" if data_dir is not None else None
    if not meta and toml_path is not None and toml_path.exists():
        written = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        meta = {f: written.get(f, "") for f in [*META_FIELDS, "source"]}
        meta["doc_date"] = _as_date(written.get("doc_date"))
    if not meta:
        base = base_catalogue(con, year)
        if base is not None:
            meta = plan_meta(con, base.year)
            meta["title"] = str(meta.get("title", "")).replace(str(base.year), str(year))
            meta["doc_number"], meta["doc_date"], meta["source"] = "", None, ""
        else:
            meta = {f: "" for f in META_FIELDS}
            meta["doc_date"] = None
    for k, v in (given or {}).items():
        if k in META_FIELDS + ["source"] and v not in (None, ""):
            meta[k] = _as_date(v) if k == "doc_date" else clean_text(v)
    return meta


def _units_for(con, year: int, units_year: int | None, data_dir: Path | None) -> pd.DataFrame:
    """The reporting units of ``year``: its own, else ``units_year``'s, else the nearest year's,
    else the data folder's ``plans/<year>/units.csv``.

    :raises PlanError: none anywhere.
    """
    candidates = [year] + ([units_year] if units_year else [])
    years = plan_years_in_db(con)
    candidates += sorted(years, key=lambda y: (abs(y - year), -y))
    for y in candidates:
        frame = con.execute(
            "SELECT unit, coalesce(block, '') AS block, kind FROM units WHERE year = ? ORDER BY sort", [y]
        ).fetchdf()
        if not frame.empty:
            return frame
    if data_dir is not None:
        path = Path(data_dir) / "plans" / str(year) / "units.csv"
        if path.exists():
            return pd.read_csv(path, dtype=str, keep_default_na=False)
    raise PlanError(f"Chưa có danh mục đơn vị báo cáo cho năm {year}: hãy thêm tệp plans/{year}/units.csv.")


# ---------------------------------------------------------------------------------------------
# Differences


def value_words(field: str, value) -> str:
    """A plan field's stored value as the plan page shows it: a target «805», a group «Kinh tế», a
    direction «tối thiểu (≥)», how it adds up «cộng dồn (lũy kế)» / «không cộng (tỷ lệ, bình quân)»,
    a date dd/mm/yyyy — never a stored code («sum → none», «>=»: black-box, the change history)."""
    return _display(field, value)


_CODE_WORDS = {
    "over_year": OVER_YEAR_WORDS,
    "across_units": ACROSS_UNITS_WORDS,
    "when_known": WHEN_KNOWN_WORDS,
    "counted_from": COUNTED_FROM_WORDS,
}


def _display(field: str, value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return ""
    if field in _CODE_WORDS:
        return _CODE_WORDS[field].get(str(value), str(value))
    if field in ("target", "baseline"):
        return target_display(str(value))
    if field == "group":
        return GROUP_LABELS.get(str(value), str(value))
    if field == "direction":
        return DIRECTION_WORDS.get(str(value), str(value))
    if field == "doc_date":
        d = _as_date(value)
        return d.strftime("%d/%m/%Y") if d else ""
    return str(value)


def _summary(row: dict) -> str:
    return f"{row['name']}: {_display('target', row['target'])} {row['unit']} ({_display('direction', row['direction'])})".strip()


def _differences(old_rows: list[dict], new_rows: list[dict], old_meta: dict, new_meta: dict) -> pd.DataFrame:
    old = {r["key"]: r for r in old_rows}
    new = {r["key"]: r for r in new_rows}
    records = []
    for key, row in new.items():
        if key not in old:
            records.append((key, row["name"], "added", "", _summary(row)))
            continue
        before = old[key]
        for f in COMPARED_FIELDS:
            a, b = _comparable(f, before.get(f)), _comparable(f, row.get(f))
            if a != b:
                records.append((key, row["name"], f, a, b))
    for key, row in old.items():
        if key not in new:
            records.append((key, row["name"], "removed", _summary(row), ""))
    if old_meta:
        for f in META_FIELDS:
            a, b = _comparable(f, old_meta.get(f)), _comparable(f, new_meta.get(f))
            if a != b:
                records.append(("", "", f, a, b))
    frame = pd.DataFrame(records, columns=["key", "name", "field", "old_value", "new_value"])
    frame["change"] = frame["field"].map(lambda f: f if f in ("added", "removed") else "changed")
    frame["field_text"] = frame["field"].map(lambda f: FIELD_WORDS.get(f, f))
    frame["old_text"] = [
        _display(f, v) if f not in ("added", "removed") else v
        for f, v in zip(frame["field"], frame["old_value"], strict=True)
    ]
    frame["new_text"] = [
        _display(f, v) if f not in ("added", "removed") else v
        for f, v in zip(frame["field"], frame["new_value"], strict=True)
    ]
    return frame


def _comparable(field: str, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if field == "doc_date":
        d = _as_date(value)
        return d.isoformat() if d else ""
    if field in ("target", "baseline") and value != "":
        return _csv_or_vi(str(value)) if isinstance(value, str) else read_target_text(value)
    return clean_text(value)


def plan_differences(
    con: duckdb.DuckDBPyConnection,
    year: int,
    rows: list[dict],
    meta: dict | None = None,
    data_dir: Path | None = None,
) -> pd.DataFrame:
    """What confirming ``rows`` (and ``meta``) for ``year`` would change in the stored plan.

    :returns: DataFrame ``key``, ``name``, ``field`` (a row field, a meta field, ``added`` or
        ``removed``), ``old_value``, ``new_value`` (stored forms), ``change``
        (``added``/``removed``/``changed``), ``field_text``, ``old_text``, ``new_text``
        (Vietnamese, vi-VN numbers). For a year without a plan every target is ``added``;
        empty when nothing would change.
    :raises PlanError: the rows are not valid (every problem listed).
    """
    new_rows = _normalise(con, year, rows, data_dir)
    new_meta = _meta_for(con, year, meta, data_dir)
    return _differences(plan_rows(con, year), new_rows, plan_meta(con, year), new_meta)


# ---------------------------------------------------------------------------------------------
# Confirming


def _doc_payload(document: PlanDocument | dict | None) -> dict | None:
    if document is None:
        return None
    if isinstance(document, dict):
        return document
    return {"file_name": document.file_name, "sha256": document.sha256, "text": document.text}


def confirm_plan(
    con: duckdb.DuckDBPyConnection,
    year: int,
    rows: list[dict],
    actor: str,
    *,
    meta: dict | None = None,
    reason: str = "",
    document: PlanDocument | dict | None = None,
    action: str = "confirm",
    units_year: int | None = None,
    data_dir: Path | None = None,
    at: dt.datetime | None = None,
) -> Saved:
    """Store ``rows`` as ``year``'s plan, replacing any earlier version, with history.

    In one transaction: the plan (identity, targets, units) replaced; one ``target_history``
    row per change (:func:`plan_differences`) with ``actor``, ``at`` and ``reason``; the
    document (if given) kept as the year's next ``plan_documents`` version; an ``import_log``
    entry with action ``plan`` (replayed by ``rebuild``); the audit log; the data version bumped.

    :param action: ``confirm`` (from a document), ``edit`` (the targets editor) or ``copy``
        (a new year from another) — recorded in the logs.
    :param units_year: the year whose reporting units a new year takes (default: the nearest).
    :raises PermissionDenied: ``actor`` may not edit targets (admins only).
    :raises PlanError: the rows are not valid (every problem listed); nothing is stored.
    """
    require(con, actor, "edit_targets")
    return _save(con, year, rows, actor, meta, reason, _doc_payload(document), action, units_year, data_dir, at, True)


def _save(con, year, rows, actor, meta, reason, document, action, units_year, data_dir, at, audit, units=None) -> Saved:
    """Check the rows, then in one transaction: the plan, its history, the document, the import
    log's record (replayed by :func:`replay_plan_entry`) and the audit row."""
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_lock:
        new_rows = _normalise(con, year, rows, data_dir)
        new_meta = _meta_for(con, year, meta, data_dir)
        if document and not new_meta.get("source"):
            new_meta["source"] = document.get("file_name", "")
        old_rows, old_meta = plan_rows(con, year), plan_meta(con, year)
        changes = _differences(old_rows, new_rows, old_meta, new_meta)
        units = _plan_units(con, year, units, units_year, data_dir)
        payload = _journal_payload(action, year, new_rows, new_meta, reason, units_year, units, document)
        with transaction(con):
            _store_rows(con, year, new_rows, new_meta, units, actor)
            _write_history(con, at, actor, year, changes, reason)
            if document:
                version = (scalar(con, "SELECT max(version) FROM plan_documents WHERE year = ?", [year]) or 0) + 1
                con.execute(
                    "INSERT INTO plan_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        year,
                        version,
                        document.get("file_name", ""),
                        document.get("sha256", ""),
                        document.get("text", ""),
                        new_meta.get("doc_number", ""),
                        new_meta.get("doc_date"),
                        at,
                        actor,
                    ],
                )
            seq = next_seq(con)
            con.execute(
                "INSERT INTO import_log VALUES (?, ?, 'plan', ?, ?, ?, ?, ?)",
                [
                    seq,
                    at,
                    (document or {}).get("sha256"),
                    (document or {}).get("file_name"),
                    json.dumps(payload, ensure_ascii=False, default=str),
                    actor,
                    reason,
                ],
            )
            summary = f"kế hoạch năm {year}: {len(new_rows)} chỉ tiêu, {len(changes)} thay đổi"
            if audit:
                con.execute(
                    "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        at,
                        actor,
                        f"plan_{action}",
                        (document or {}).get("sha256"),
                        (document or {}).get("file_name"),
                        summary + (f" — {reason}" if reason else ""),
                    ],
                )
            bump_version(con, figures_of=())  # plans and units; no stored figure changed
    return _saved(year, new_rows, changes, replaced=bool(old_rows))


def _plan_units(con, year: int, units, units_year: int | None, data_dir: Path | None) -> pd.DataFrame:
    """The plan's reporting units: those given (rows of unit, block, kind), else
    :func:`_units_for` the year (or ``units_year``'s)."""
    if units is None:
        return _units_for(con, year, units_year, data_dir)
    return pd.DataFrame(units, columns=["unit", "block", "kind"]).fillna("")


def _journal_payload(
    action: str,
    year: int,
    new_rows: list[dict],
    new_meta: dict,
    reason: str,
    units_year: int | None,
    units: pd.DataFrame,
    document: dict | None,
) -> dict:
    """The import log's record of a saved plan: what :func:`replay_plan_entry` saves again."""
    return {
        "kind": action,
        "year": year,
        "rows": new_rows,
        "meta": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in new_meta.items()},
        "reason": reason,
        "units_year": units_year,
        "units": units[["unit", "block", "kind"]].to_dict("records"),
        "document": document,
    }


def _store_rows(con, year: int, new_rows: list[dict], new_meta: dict, units: pd.DataFrame, actor: str) -> None:
    """The year's plan in DuckDB (:func:`store_plan`), the document's date as ISO text."""
    frame = pd.DataFrame(new_rows)
    frame["baseline"] = frame["baseline"].fillna("")
    store_meta = dict(new_meta)
    store_meta["doc_date"] = new_meta["doc_date"].isoformat() if new_meta.get("doc_date") else ""
    store_plan(con, year, store_meta, frame, units, actor)


def _write_history(con, at: dt.datetime, actor: str, year: int, changes: pd.DataFrame, reason: str) -> None:
    """One ``target_history`` row per change (:func:`_differences`)."""
    for r in changes.itertuples():
        con.execute(
            "INSERT INTO target_history VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [at, actor, year, r.key or None, r.field, r.old_value or None, r.new_value or None, reason],
        )


def _saved(year: int, new_rows: list[dict], changes: pd.DataFrame, replaced: bool) -> Saved:
    """What was saved, with the message that says so: a first plan, the same again, or a new one."""
    if not replaced:
        message = f"Đã lưu kế hoạch năm {year}: {len(new_rows)} chỉ tiêu."
    elif changes.empty:
        message = f"Đã lưu lại kế hoạch năm {year}: {len(new_rows)} chỉ tiêu, không có thay đổi nào."
    else:
        message = f"Đã thay kế hoạch năm {year}: {len(new_rows)} chỉ tiêu, {len(changes)} thay đổi (ghi vào lịch sử)."
    return Saved(year, changes, replaced, tuple(r["key"] for r in new_rows), message)


def copy_plan(con: duckdb.DuckDBPyConnection, from_year: int, to_year: int, actor: str, reason: str = "") -> Saved:
    """Start ``to_year``'s plan as a copy of ``from_year``'s (same keys, targets, units; the
    title's year replaced; number and date left for the new document), to be edited next.

    :raises PlanError: ``to_year`` already has a plan, or ``from_year`` has none.
    :raises PermissionDenied: not an admin.
    """
    require(con, actor, "edit_targets")
    years = plan_years_in_db(con)
    if to_year in years:
        raise PlanError(f"Năm {to_year} đã có kế hoạch; hãy sửa trực tiếp kế hoạch đó.")
    if from_year not in years:
        raise PlanError(f"Chưa có kế hoạch năm {from_year} để sao chép.")
    meta = plan_meta(con, from_year)
    meta["title"] = str(meta.get("title", "")).replace(str(from_year), str(to_year))
    meta["doc_number"], meta["doc_date"] = "", None
    meta["source"] = f"sao chép từ kế hoạch năm {from_year}"
    rows = plan_rows(con, from_year)
    for row in rows:
        row["source_text"] = ""
        if row["direction"] == "decrease_by":
            row["baseline"] = ""  # last year's figure of the new year is another one
    return _save(
        con,
        to_year,
        rows,
        actor,
        meta,
        reason or f"tạo từ kế hoạch năm {from_year}",
        None,
        "copy",
        from_year,
        None,
        None,
        True,
    )


def replay_plan_entry(con: duckdb.DuckDBPyConnection, payload: dict, actor: str, at: dt.datetime) -> Saved:
    """Replay an import-log entry with action ``plan`` (called by :func:`kpi.rebuild.rebuild`).

    The entry was checked when it was logged (its actor was an admin then), so the role is not
    asked again — a user removed since must not stop a rebuild. The audit log is not written
    again (rebuild copies it); the import log is, so a later rebuild replays it too.

    :param payload: the entry's ``options`` (JSON): ``kind``, ``year``, ``rows`` (as stored),
        ``meta``, ``reason``, ``units`` (the reporting units stored with the plan, so a replay
        needs no data folder), ``units_year``, ``document``.
    """
    return _save(
        con,
        int(payload["year"]),
        payload["rows"],
        actor,
        payload.get("meta") or {},
        payload.get("reason", ""),
        payload.get("document"),
        payload.get("kind", "confirm"),
        payload.get("units_year"),
        None,
        at,
        False,
        payload.get("units"),
    )


# ---------------------------------------------------------------------------------------------
# The command line: python -m kpi plan import FILE --year Y [--format …] [--confirm] | show


def records_of_rows(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        target, lo, hi, _d = parse_target(r["target"])
        value = [_json_num(lo), _json_num(hi)] if r["direction"] == "range" else _json_num(target)
        out.append(
            {
                "key": r["key"] or None,
                "name": r["name"],
                "unit": r["unit"],
                "target": value,
                "direction": r["direction"],
                "group": r["group"],
                "source_text": r["source_text"],
                "baseline": _json_num(parse_target(r["baseline"])[0]) if r["baseline"] else None,
                "over_year": r["over_year"],
                "across_units": r["across_units"],
                "when_known": r["when_known"],
                "counted_from": r["counted_from"],
                "parent": r["parent"] or None,
            }
        )
    return out


def _json_num(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def change_lines(changes: pd.DataFrame) -> list[str]:
    """:func:`plan_differences` in words, one line each: "CT02 kế hoạch: 805 → 850",
    "CT12 thêm chỉ tiêu: …", "số văn bản: (trống) → 15/KH-UBND"."""
    lines = []
    for r in changes.itertuples():
        what = f"{r.key} " if r.key else ""
        if r.change == "added":
            lines.append(f"{what}thêm chỉ tiêu: {r.new_text}")
        elif r.change == "removed":
            lines.append(f"{what}bỏ chỉ tiêu: {r.old_text}")
        else:
            lines.append(f"{what}{r.field_text}: {r.old_text or '(trống)'} → {r.new_text or '(trống)'}")
    return lines
