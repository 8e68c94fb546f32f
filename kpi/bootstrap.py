"""First start and every start: open the database, seed the plans it does not hold yet, and audit
what :func:`kpi.storage.database.open_checked` found to recover (a WAL set aside, uploads lost);
an admin's acknowledgement of the recovery notice.

Storage opens and checks; this module decides what to do about it, because it may use every layer
below it: the plan files (:mod:`kpi.storage.catalogue`), the audit log and roles (:mod:`kpi.access`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from kpi.access.audit import record
from kpi.access.auth import require
from kpi.config import Settings
from kpi.errors import database_damage
from kpi.plans.sentences import fill_source_texts
from kpi.storage.catalogue import seed_plans
from kpi.storage.database import (
    bump_version,
    clear_recovery_notice,
    connect,
    raw_path,
    recovery_notice,
    set_recovery_notice,
    transaction,
    write_lock,
)
from kpi.storage.lake import retrying
from kpi.storage.store import claim, open_for_writing, open_store
from kpi.vn import quarter_words

__all__ = ["open_database", "acknowledge_recovery"]


def open_database(cfg: Settings, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first start create) the database of ``cfg``: schema, then every plan under
    ``data/plans`` that it does not hold yet, each target given its sentence from the plan's own text
    (:func:`kpi.plans.sentences.fill_source_texts`); then the recovery checks of
    :mod:`kpi.storage.database` and their audit rows and notice. Read-only opens check nothing.

    :raises DatabaseLocked: another process holds the file.
    :raises DatabaseCorrupt: the file is damaged — at its header, or in a data block that the
        schema, the seeding or the recovery checks read (DuckDB checks a block only when it reads
        it: :func:`kpi.errors.database_damage`).
    """
    if read_only:
        return open_store(cfg) if cfg.store else connect(cfg.db_path, read_only=True)
    con = None
    try:
        with write_lock:
            con, recovery = open_for_writing(cfg)

            def seed() -> None:
                with transaction(con):
                    if seed_plans(con, cfg.data_dir):
                        claim(con)  # two servers seeding an empty shared store at once: one wins
                        bump_version(con, figures_of=())
                    # each target's sentence from the plan's own text, which a data folder's plan lacks
                    fill_source_texts(con, cfg.data_dir)

            retrying(seed)
            if recovery.set_aside is not None:
                _record_set_aside(con, *recovery.set_aside)
            if recovery.lost:
                _record_lost(con, recovery.lost, recovery.kept_wal, recovery.raw_dir)
    except duckdb.Error as exc:
        if con is not None:
            con.close()  # the file is not held by a half-opened connection
        damage = database_damage(exc, str(cfg.db_path))
        if damage is None:
            raise
        raise damage from exc
    return con


def _record_set_aside(con: duckdb.DuckDBPyConnection, aside: Path, error: str) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    notice = {"at": now.isoformat(sep=" "), "wal": str(aside), "error": error[:500]}
    with transaction(con):
        set_recovery_notice(con, notice)
        record(
            con,
            "system",
            "wal_set_aside",
            file_name=aside.name,
            detail=f"Nhật ký WAL không phát lại được, đã để riêng tại {aside}; mở trạng thái tốt gần nhất. "
            f"Lỗi: {error[:300]}",
            at=now,
        )
        bump_version(con, figures_of=())


def acknowledge_recovery(con: duckdb.DuckDBPyConnection, actor: str) -> None:
    """An admin has seen the recovery notice: it is cleared (and the acknowledgement audited).

    :raises kpi.errors.PermissionDenied: ``actor`` is not an admin.
    """
    require(con, actor, "backup")
    with write_lock, transaction(con):
        notice = recovery_notice(con)
        clear_recovery_notice(con)
        record(con, actor, "recovery_acknowledged", detail=(notice or {}).get("wal", ""))


def _record_lost(con: duckdb.DuckDBPyConnection, lost: list[dict], wal: Path | None, raw_dir: Path) -> None:
    """Audit each lost upload (``commit_lost``) and raise (or extend) the recovery notice."""
    now = dt.datetime.now().replace(microsecond=0)
    items = [
        {
            "file_name": str(e.get("file_name") or ""),
            "sha256": e["sha256"],
            "kind": e.get("kind") or "",
            "year": e.get("year"),
            "quarter": e.get("quarter"),
            "uploaded_at": str(e.get("uploaded_at") or ""),
            "actor": str(e.get("actor") or ""),
            "raw": str(raw_path(raw_dir, e["sha256"])),
        }
        for e in lost
    ]
    with transaction(con):
        notice = recovery_notice(con) or {"at": now.isoformat(sep=" "), "wal": "", "error": ""}
        notice["at"] = now.isoformat(sep=" ")
        if wal is not None:
            notice["wal"] = str(wal)
        notice["lost"] = list(notice.get("lost") or []) + items
        set_recovery_notice(con, notice)
        for item in items:
            period = quarter_words(item["year"], item["quarter"]) if item["year"] else "không rõ kỳ"
            try:
                when = dt.datetime.fromisoformat(item["uploaded_at"]).strftime("%H:%M ngày %d/%m/%Y")
            except ValueError:
                when = item["uploaded_at"] or "không rõ lúc nào"
            raw = Path(item["raw"])
            record(
                con,
                "system",
                "commit_lost",
                sha256=item["sha256"],
                file_name=item["file_name"],
                detail=f"Lần tải «{item['file_name']}» ({period}), lưu lúc {when} bởi {item['actor']}, "
                "không còn trong cơ sở dữ liệu (nhật ký WAL bị cắt cụt hoặc đã khôi phục bản sao lưu cũ hơn). "
                + (
                    f"Tệp gốc còn tại {raw}: hãy tải lại tệp này."
                    if raw.exists()
                    else f"Tệp gốc cũng không còn tại {raw}: hãy lấy lại tệp từ người gửi hoặc bản sao lưu."
                )
                + (f" Nhật ký WAL được giữ tại {wal}." if wal is not None else ""),
                at=now,
            )
        bump_version(con, figures_of=())
