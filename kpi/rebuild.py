"""Rebuilding the database from the raw-file archive by replaying the import log.

The import log records, in order, every ingest (file sha256, name, options — period, subject,
sheet, layout mapping), withdrawal and restore, with who did it and when. :func:`rebuild` builds a
fresh database beside the old one — schema, plans from ``data/plans`` — replays the log from the
archive (open, as on the first run: each entry was allowed when it was first done), then copies
the users, remembered layouts and the audit trail across (the replay's own audit rows give way to
the original ones) and swaps the files (the old one kept as ``*.before-rebuild``). Raw files plus
this replay are the last line of defence. Admins only (``cli:*`` is the local operator).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from kpi.config import Settings
from kpi.errors import NotFound, PlanError
from kpi.store import connect, open_database, raw_path

__all__ = ["RebuildResult", "rebuild"]


@dataclass(frozen=True)
class RebuildResult:
    """How a rebuild went: entries replayed, files missing from the archive, the new path."""

    replayed: int
    missing: tuple[str, ...]
    skipped: tuple[str, ...]
    path: Path


def rebuild(cfg: Settings, actor: str) -> RebuildResult:
    """Replay the import log of ``cfg.db_path`` into a new database and swap it in.

    :raises kpi.errors.DatabaseLocked: the app (or another process) holds the file.
    :raises kpi.errors.PermissionDenied: ``actor`` is not an admin.
    """
    from kpi.auth import require
    from kpi.history import restore_submission, withdraw_submission
    from kpi.ingest import commit, prepare
    from kpi.reports import ImportOptions
    from kpi.targets import change_target

    old = connect(cfg.db_path)
    try:
        require(old, actor, "rebuild")
    except BaseException:
        old.close()
        raise
    entries = old.execute(
        "SELECT seq, logged_at, action, sha256, file_name, options, actor, note FROM import_log ORDER BY seq"
    ).fetchall()
    keep = {name: old.execute(f"SELECT * FROM {name}").fetchdf() for name in ("users", "layouts", "audit_log")}
    old.close()
    new_path = cfg.db_path.with_suffix(".rebuild.duckdb")
    for suffix in ("", ".wal"):
        p = Path(str(new_path) + suffix)
        if p.exists():
            p.unlink()
    new_cfg = replace(cfg, db_path=new_path)
    con = open_database(new_cfg)
    replayed, missing, skipped = 0, [], []
    for _seq, at, action, sha, file_name, options, who, note in entries:
        if action == "ingest":
            path = raw_path(cfg.raw_dir, sha)
            if not path.exists():
                missing.append(file_name)
                continue
            data = path.read_bytes()
            prep = prepare(con, data, file_name, ImportOptions.from_dict(json.loads(options or "{}")), new_cfg)
            if prep.refused:
                skipped.append(file_name)
                continue
            commit(con, prep, data, who, new_cfg, at=at)
            replayed += 1
        elif action in ("withdraw", "restore"):
            sid = con.execute(
                "SELECT submission_id FROM submissions WHERE sha256 = ? ORDER BY seq DESC LIMIT 1", [sha]
            ).fetchall()
            if not sid:
                skipped.append(f"{action} {file_name}")
                continue
            fn = withdraw_submission if action == "withdraw" else restore_submission
            fn(con, sid[0][0], who, reason=note or "", at=at)
            replayed += 1
        elif action == "plan":
            from kpi.plansource import replay_plan_entry

            payload = json.loads(options or "{}")
            try:
                replay_plan_entry(con, payload, who, at)
            except PlanError:
                # A plan stored before its rules refused it (a negative target…): not replayed.
                skipped.append(f"plan {payload.get('year')}")
                continue
            replayed += 1
        elif action == "target":
            spec = json.loads(options or "{}")
            try:
                change_target(
                    con,
                    who,
                    spec["year"],
                    spec["key"],
                    spec["target"],
                    note or "(phát lại)",
                    at=at,
                    data_dir=cfg.data_dir,
                )
            except (KeyError, ValueError, NotFound, PlanError):
                skipped.append(f"target {spec.get('year')} {spec.get('key')}")
                continue
            replayed += 1
    for name, frame in keep.items():
        # The replay's rows give way to the originals: the audit trail as it was, the layouts as
        # last remembered (a replayed mapped import remembers its layout again), the users.
        con.execute(f"DELETE FROM {name}")
        if not frame.empty:
            con.register("_keep", frame)
            con.execute(f"INSERT INTO {name} SELECT * FROM _keep")
            con.unregister("_keep")
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, 'rebuild', NULL, NULL, ?)",
        [
            dt.datetime.now().replace(microsecond=0),
            actor,
            f"phát lại {replayed} mục; thiếu tệp: {len(missing)}; bỏ qua: {len(skipped)}",
        ],
    )
    con.execute("CHECKPOINT")
    con.close()
    backup = Path(str(cfg.db_path) + ".before-rebuild")
    if backup.exists():
        backup.unlink()
    os.replace(cfg.db_path, backup)
    os.replace(new_path, cfg.db_path)
    wal = Path(str(new_path) + ".wal")
    if wal.exists():
        os.replace(wal, Path(str(cfg.db_path) + ".wal"))
    return RebuildResult(replayed, tuple(missing), tuple(skipped), cfg.db_path)
