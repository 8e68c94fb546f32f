"""``python -m kpi plan import|show``: the plan commands of the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pandas as pd

from kpi.access.auth import operator
from kpi.plans.source import (
    DIRECTION_WORDS,
    META_FIELDS,
    change_lines,
    confirm_plan,
    plan_meta,
    plan_rows,
    proposal_rows,
    propose_plan,
    records_of_rows,
    target_display,
)
from kpi.plans.text import read_plan_document
from kpi.words import GROUP_LABELS

__all__ = ["cli_plan"]


def _table(rows: list[dict], with_source: bool = False) -> str:
    frame = pd.DataFrame(
        {
            "Mã": [r["key"] or "(mới)" for r in rows],
            "Nhóm": [GROUP_LABELS.get(r["group"], r["group"]) or "? (hãy chọn)" for r in rows],
            "Chỉ tiêu": [r["name"][:52] for r in rows],
            "ĐVT": [r["unit"] for r in rows],
            "Kế hoạch": [target_display(r["target"]) for r in rows],
            # in words, as the plan page names them («tối thiểu (≥)», «trong khoảng»), not «>=», «range»
            "Chiều": [DIRECTION_WORDS.get(r["direction"], r["direction"] or "") for r in rows],
        }
    )
    if with_source:
        frame["Câu trong kế hoạch"] = [r["source_text"][:60] for r in rows]
    return frame.to_string(index=False)


def cli_plan(con: duckdb.DuckDBPyConnection, cfg, args, out) -> int:
    """``python -m kpi plan import|show`` (see :mod:`kpi.cli`; moved here from kpi.plans.source, a command line is the top layer).

    ``import FILE --year Y``: the targets the document proposes, as a table (with what was not
    understood) or, with ``--format json``, a JSON array of objects with ``key`` (catalogue key
    or null), ``name``, ``unit``, ``target`` (number or ``[lo, hi]``), ``direction``, ``group``,
    ``source_text`` and more; ``--confirm`` stores them as the year's plan (with history; the
    differences are printed, to stderr with JSON). ``show --year Y``: the stored plan.

    :param out: prints one line to stdout.
    :returns: 0 done; 1 nothing found, a file that cannot be read, a plan not valid.
    """

    def note(text: str) -> None:
        (sys.stderr.write(text + "\n") if args.format == "json" else out(text))

    if args.plan_command == "show":
        rows = plan_rows(con, args.year)
        if not rows:
            note(f"Chưa có kế hoạch năm {args.year}.")
            return 1
        if args.format == "json":
            out(json.dumps(records_of_rows(rows), ensure_ascii=False, indent=2))
            return 0
        meta = plan_meta(con, args.year)
        number = f" — số {meta['doc_number']}" if meta.get("doc_number") else ""
        date = f" ngày {meta['doc_date']:%d/%m/%Y}" if meta.get("doc_date") else ""
        out(f"{meta.get('title', '')} — {meta.get('authority', '')}{number}{date}")
        out(_table(rows))
        return 0
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        note(f"Không đọc được tệp {args.file}: {exc.strerror or exc}")
        return 1
    document = read_plan_document(data, Path(args.file).name)
    proposal = propose_plan(con, args.year, document, cfg.data_dir)
    rows = proposal_rows(proposal)
    if args.format == "json":
        out(json.dumps(proposal.records(), ensure_ascii=False, indent=2))
    else:
        meta = proposal.meta
        out(f"Tệp: {document.file_name} — {len(rows)} chỉ tiêu đề xuất cho năm {args.year}")
        if meta.get("title"):
            out(f"  Tên: {meta['title']}")
        if meta.get("authority"):
            out(f"  Cơ quan: {meta['authority']}" + (f", {meta['province']}" if meta.get("province") else ""))
        if meta.get("doc_number") or meta.get("doc_date"):
            date = f" ngày {meta['doc_date']:%d/%m/%Y}" if meta.get("doc_date") else ""
            out(f"  Văn bản: số {meta.get('doc_number') or '?'}{date}")
        if rows:
            out(_table(rows, with_source=True))
        for u in proposal.unparsed:
            out(f"  Chưa hiểu (dòng {u.number}): «{u.text}» — {u.why_text}")
    if proposal.meta.get("year") and proposal.meta["year"] != args.year:
        note(f"Chú ý: văn bản ghi năm {proposal.meta['year']} nhưng --year là {args.year}.")
    if not rows:
        note("Không tìm thấy chỉ tiêu nào trong văn bản (cần mục «Mục tiêu cụ thể»/«Chỉ tiêu…» hoặc bảng chỉ tiêu).")
        return 1
    if not args.confirm:
        note("Chưa lưu gì. Thêm --confirm để lưu bảng này làm kế hoạch năm " + str(args.year) + ".")
        return 0
    meta = {k: v for k, v in proposal.meta.items() if k in META_FIELDS and v}
    meta["source"] = document.file_name
    saved = confirm_plan(
        con,
        args.year,
        rows,
        operator(),
        meta=meta,
        reason=f"nạp từ văn bản {document.file_name}",
        document=document,
        data_dir=cfg.data_dir,
    )
    note(saved.message)
    if saved.replaced:
        for line in change_lines(saved.changes):
            note(f"  {line}")
    return 0
