"""The rows a commit writes for one stored file (a step of :func:`kpi.ingest.commit`, split out):
the submission row, its figures and register rows (each a registered Arrow table, one statement,
never row by row), the documents a report says it replaces, the warnings kept with it, and the
layout a user's mapping remembers; the audit row of a refused file (:func:`log_refusal`).

Every function runs inside the caller's transaction, after :func:`kpi.ingest.commit` has checked
the role; ``prep`` is a :class:`kpi.ingest.Prepared` (this module does not import the layer above).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa

from kpi.reading.checks import INFO, WARNING, Issue
from kpi.reading.layout import TableLayout
from kpi.reading.notes import folded_notes
from kpi.storage.database import write_lock
from kpi.storage.replaced import insert_replaced

__all__ = ["insert_submission", "insert_rows", "log_refusal"]


def insert_submission(con, prep, sid: int, seq: int, status: str, note: str, options_json: str, actor, at):
    """The submission row of a stored file (in :func:`kpi.ingest.commit`'s transaction)."""
    con.execute(
        "INSERT INTO submissions (submission_id, sha256, file_name, file_kind, file_format, sheet, sender, "
        "subject, year, quarter, doc_date, doc_number, title, uploaded_at, uploaded_by, seq, status, "
        "status_note, options, layout, n_figures) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            sid,
            prep.sha256,
            prep.file_name,
            prep.file_kind,
            prep.file_format,
            prep.sheet,
            prep.sender,
            prep.subject,
            prep.year,
            prep.quarter if prep.file_kind == "report" else None,
            prep.doc_date,
            prep.doc_number,
            prep.title,
            at,
            actor,
            seq,
            status,
            note,
            options_json,
            _layout_json(prep.layout),
            _n_figures(prep),
        ],
    )


def insert_rows(con, prep, sid: int, note: str, actor: str, at: dt.datetime) -> None:
    """A stored file's figures, register rows, kept issues and remembered layout (in
    :func:`kpi.ingest.commit`'s transaction)."""
    _insert_frame(con, "observations", prep.observations, sid)
    _insert_frame(con, "awards", prep.awards, sid)
    _insert_frame(con, "registrations", prep.registrations, sid)
    if prep.file_kind == "report":  # the documents it says it replaces (kpi.storage.replaced)
        insert_replaced(con, sid, prep.sheet, prep.replaced)
    issues = [i for i in prep.issues if i.severity in (WARNING, INFO)]
    if note:
        issues.append(Issue(WARNING, "older_version", note, prep.sheet))
    if issues:
        fields_ = ("severity", "code", "sheet", "cell", "key", "message")
        frame = pd.DataFrame([{f: getattr(i, f) for f in fields_} for i in issues])
        _insert_frame(con, "issues", frame, sid)
    if prep.layout_signature and prep.options.mapping:
        con.execute("DELETE FROM layouts WHERE signature = ?", [prep.layout_signature])
        con.execute(
            "INSERT INTO layouts VALUES (?, ?, ?, ?, ?)",
            [prep.layout_signature, json.dumps(prep.options.mapping, ensure_ascii=False), at, actor, prep.file_name],
        )


def _n_figures(prep) -> int:
    if prep.file_kind == "report":
        return int(len(prep.observations))
    if prep.file_kind == "awards":
        return int(len(prep.awards))
    return int(len(prep.registrations))


def _layout_json(layout: TableLayout | None) -> str:
    if layout is None:
        return ""
    return json.dumps(
        {
            "header_rows": [r + 1 for r in layout.header_rows],
            "columns": [
                {
                    "col": c.letter,
                    "header": c.header,
                    "role": c.role,
                    "kind": c.kind,
                    "quarter": c.quarter,
                    "vintage": c.vintage,
                    "subject": c.subject,
                }
                for c in layout.columns
                if c.header or c.role != "unknown"
            ],
        },
        ensure_ascii=False,
    )


def _insert_frame(con, table: str, frame: pd.DataFrame, submission_id: int) -> None:
    """Insert a DataFrame into ``table`` by column name, with the submission id (one statement)."""
    if frame is None or frame.empty:
        return
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    arrow = arrow.add_column(0, "submission_id", pa.array([submission_id] * len(frame), type=pa.int64()))
    name = f"_frame_{table}"
    con.register(name, arrow)  # an Arrow table is scanned without copying (pandas strings are Arrow)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
    finally:
        con.unregister(name)


def log_refusal(con, prep, actor: str, said: list[str] | None = None) -> None:
    """Record that a file was refused (its sha256, name and reasons, ≤ 4,000 characters): nothing
    else is stored. The reasons are the lines the clerk was told (``said``, else the refusal's
    issues folded by :func:`kpi.reading.notes.folded_notes`): 100,000 rows in the wrong unit are
    one line with its count, not the first 4,000 characters of 100,000 lines."""
    if said is None:
        said = [note.text for note in folded_notes(prep.refusal_issues, text=Issue.text)]
    reasons = " | ".join(said)[:4000]
    with write_lock:
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, 'refuse', ?, ?, ?)",
            [dt.datetime.now().replace(microsecond=0), actor, prep.sha256, prep.file_name, reasons],
        )
