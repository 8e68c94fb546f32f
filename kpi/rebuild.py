"""Rebuilding the database from the raw-file archive by replaying the import log.

The import log records, in order, every ingest (file sha256, name, options — period, subject,
sheet, layout mapping), withdrawal and restore, plan and target change, with who did it and when.
:func:`rebuild` builds a fresh database beside the old one — schema, plans from ``data/plans`` —
replays the log from the archive (open, as on the first run: each entry was allowed when it was
first done), then copies the users, remembered layouts, the audit trail, a recovery notice not yet
acknowledged and the database's identity (``meta.db_id``, which the import journal is keyed by)
across (the replay's own audit rows give way to the original ones) and swaps the files. The old
database is opened with :func:`kpi.bootstrap.open_database`, so its recovery checks run first. Raw files plus this replay are the last line of
defence, so a rebuild **keeps every entry or changes nothing** (issue 16):

* before anything is created, every ingest entry's raw file must be in the archive with the right
  sha256; any missing or damaged one stops the rebuild (:class:`RebuildStopped`, listing each with
  its file name, sha256, when and by whom it was uploaded, where the file must be put back);
* an entry refused on replay (a file the current rules refuse, a withdrawal whose upload is not
  there, a plan or target a later rule refuses) stops it too, after the replay, with the list; the
  half-built new file is removed and the database is untouched;
* the old file is kept as ``kpi.duckdb.before-rebuild.1``, ``.2``, … — a new number each time,
  never overwritten, never deleted (an older unnumbered ``kpi.duckdb.before-rebuild`` stays too).

Admins only (``cli:*`` is the local operator).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kpi.access.auth import require
from kpi.backup import restore_from_file
from kpi.bootstrap import open_database
from kpi.config import Settings
from kpi.errors import DatabaseTooNew, KpiError, PermissionDenied
from kpi.ingest import commit, prepare
from kpi.plans.source import replay_plan_entry
from kpi.plans.targets import change_target
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.database import journal_path, raw_path, scalar, sha256_of
from kpi.submissions import restore_submission, withdraw_submission

__all__ = ["RebuildResult", "RebuildStopped", "Unreplayable", "rebuild", "kept_copy_path"]


@dataclass(frozen=True)
class RebuildResult:
    """How a rebuild went: entries replayed, the new database's path, where the old one is kept.
    ``missing`` and ``skipped`` are always empty (a rebuild that would leave an entry out stops
    instead); they stay for callers that check them."""

    replayed: int
    missing: tuple[str, ...]
    skipped: tuple[str, ...]
    path: Path
    kept_as: Path | None = None


@dataclass(frozen=True)
class Unreplayable:
    """One import-log entry a rebuild cannot replay.

    :ivar seq: its number in the log; :ivar action: ``ingest``, ``withdraw``, ``restore``,
        ``plan`` or ``target``; :ivar file_name, sha256: the file (``None`` for plans and targets);
    :ivar logged_at: when it was done; :ivar actor: who did it; :ivar raw: where its raw file must
        be (ingest only); :ivar reason: what is wrong, in Vietnamese.
    """

    seq: int
    action: str
    file_name: str | None
    sha256: str | None
    logged_at: dt.datetime | None
    actor: str | None
    raw: Path | None
    reason: str

    def text(self) -> str:
        """One line for the list (Vietnamese)."""
        when = self.logged_at.strftime("%H:%M ngày %d/%m/%Y") if self.logged_at else "không rõ lúc nào"
        what = {
            "ingest": "tải lên",
            "withdraw": "rút báo cáo",
            "restore": "khôi phục phiên bản",
            "plan": "nạp kế hoạch",
            "target": "sửa chỉ tiêu",
        }.get(self.action, self.action)
        name = f"«{self.file_name}»" if self.file_name else "(không có tệp)"
        sha = f", sha256 {self.sha256}" if self.sha256 else ""
        where = f"; cần có tại {self.raw}" if self.raw else ""
        return f"mục #{self.seq} ({what}) {name}{sha}, lúc {when} bởi {self.actor or 'không rõ'}: {self.reason}{where}"


class RebuildStopped(KpiError):
    """A rebuild would leave import-log entries out, so it did nothing (the database, its kept
    copies and the archive are untouched).

    :ivar missing: :class:`Unreplayable` entries whose raw file is absent or damaged;
    :ivar refused: :class:`Unreplayable` entries refused on replay.
    """

    def __init__(self, missing: list[Unreplayable], refused: list[Unreplayable]):
        lines = [
            f"Chưa dựng lại cơ sở dữ liệu: {len(missing) + len(refused)} mục trong nhật ký nạp không phát lại được. "
            "Cơ sở dữ liệu hiện tại giữ nguyên — không có gì bị thay đổi hay bị xoá."
        ]
        if missing:
            lines.append("Thiếu tệp gốc trong kho (hoặc tệp gốc bị hỏng):")
            lines += [f"  - {m.text()}" for m in missing]
        if refused:
            lines.append("Bị từ chối khi phát lại:")
            lines += [f"  - {r.text()}" for r in refused]
        lines.append(
            "Cách xử lý: đặt lại đúng tệp gốc vào chỗ đã nêu (lấy từ bản sao của thư mục data/raw/ trong bản sao "
            "lưu, hoặc xin lại người gửi: tên tệp là mã sha256 của nội dung, đuôi .bin) rồi chạy lại "
            "«python -m kpi rebuild»; hoặc khôi phục bản sao lưu gần nhất: python -m kpi restore --from TỆP_SAO_LƯU "
            "(xem docs/README-office.md)."
        )
        super().__init__("\n".join(lines))
        self.missing = list(missing)
        self.refused = list(refused)


_KEPT_RE = re.compile(r"\.before-rebuild\.(\d+)$")


def kept_copy_path(db_path: Path) -> Path:
    """The next free ``<db>.before-rebuild.N`` (N one above the highest present, from 1)."""
    db_path = Path(db_path)
    numbers = [
        int(m.group(1))
        for p in db_path.parent.glob(db_path.name + ".before-rebuild.*")
        if (m := _KEPT_RE.search(p.name)) and p.name == f"{db_path.name}.before-rebuild.{m.group(1)}"
    ]
    return db_path.with_name(f"{db_path.name}.before-rebuild.{max(numbers, default=0) + 1}")


def _remove_temp(path: Path) -> None:
    """Remove the rebuild's own half-built file (and its WAL and journal)."""
    for p in (path, Path(str(path) + ".wal"), journal_path(path)):
        if p.exists():
            p.unlink()


def _journal_entries(db_path: Path) -> list[tuple]:
    """The uploads of the import journal beside ``db_path`` (``kpi.duckdb.imports.jsonl``, plain
    JSON that any version reads) as import-log entries, in journal order, once per file: what a
    rebuild replays when the database itself was written by a newer DuckDB (:class:`DatabaseTooNew`).
    Withdrawals, plan and target changes, users and the audit trail are only in the unreadable
    file, which is kept (``before-rebuild``) for the DuckDB version that wrote it.

    :raises KpiError: there is no journal to replay.
    """
    path = journal_path(db_path)
    if not path.is_file():
        raise KpiError(
            f"Tệp «{db_path}» do phiên bản DuckDB mới hơn ghi và không có nhật ký nhập «{path.name}» bên cạnh "
            "để dựng lại; hãy khôi phục một bản sao lưu do phiên bản này tạo (python -m kpi restore --from TỆP)."
        )
    entries, seen = [], set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line torn by a crash
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or sha in seen:
            continue
        seen.add(sha)
        at = dt.datetime.fromisoformat(entry["uploaded_at"]) if entry.get("uploaded_at") else None
        entries.append(
            (len(entries) + 1, at, "ingest", sha, entry.get("file_name"), entry.get("options"), entry.get("actor"), "")
        )
    return entries


def rebuild(cfg: Settings, actor: str) -> RebuildResult:
    """Replay the import log of ``cfg.db_path`` into a new database and swap it in (see the
    module docstring). The steps: read the old database once ``actor`` is checked as an admin there
    (:func:`_old_contents`; the import journal when a newer DuckDB wrote it) → check the archive
    (:func:`_check_archive`) → replay into a new file (:func:`_replay`) → copy users, layouts,
    audit trail and identity across (:func:`_carry_over`) → swap the files (:func:`_swap`), or on
    the shared store fill the lake from the new file (:func:`kpi.backup.restore_from_file`).

    :returns: a :class:`RebuildResult` (``kept_as``: where the old file now is).
    :raises RebuildStopped: an entry's raw file is missing or damaged, or an entry is refused on
        replay; nothing was changed.
    :raises kpi.errors.DatabaseLocked: the app (or another process) holds the file.
    :raises kpi.errors.PermissionDenied: ``actor`` is not an admin.
    """
    try:
        old = open_database(cfg)  # its recovery checks first: a cut WAL is named and kept, not folded away
    except DatabaseTooNew:
        old = None  # written by a newer DuckDB: its import log cannot be read, the import journal can
    if old is None:
        if not actor.startswith("cli:"):  # no users to check against: the machine's own operator only
            raise PermissionDenied(actor, "dựng lại cơ sở dữ liệu", "người vận hành trên máy chủ (dòng lệnh)")
        entries, keep, db_id, notice = _journal_entries(cfg.db_path), {}, None, None
    else:
        try:
            require(old, actor, "rebuild")
            entries, keep, db_id, notice = _old_contents(old)
        finally:
            old.close()
    _check_archive(cfg, entries)

    # 2. Replay into a new file beside the old one; any entry refused stops it all.
    # On the shared store the replay goes into a file in its folder (the same raw archive), which
    # then fills the lake in one transaction, the lake as it was kept first (kpi.backup).
    new_path = (cfg.store_folder / "rebuild.duckdb") if cfg.store else cfg.db_path.with_suffix(".rebuild.duckdb")
    _remove_temp(new_path)
    new_cfg = replace(cfg, db_path=new_path, store="")
    con = open_database(new_cfg)
    try:
        replayed, refused = _replay(con, cfg, new_cfg, entries)
        if refused:
            raise RebuildStopped([], refused)
        _carry_over(con, keep, db_id, notice)
        kept = None if cfg.store else kept_copy_path(cfg.db_path)
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, 'rebuild', NULL, NULL, ?)",
            [
                dt.datetime.now().replace(microsecond=0),
                actor,
                f"phát lại {replayed} mục của nhật ký nạp, không bỏ mục nào; bản cũ giữ tại {kept or 'backups/'}",
            ],
        )
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove_temp(new_path)
        raise
    con.close()

    if cfg.store:
        restored = restore_from_file(cfg, new_path, actor)
        _remove_temp(new_path)
        return RebuildResult(replayed, (), (), Path(cfg.store), restored.kept_as)
    _swap(cfg, new_path, kept)
    return RebuildResult(replayed, (), (), cfg.db_path, kept)


def _old_contents(old) -> tuple[list[tuple], dict, str | None, str | None]:
    """``(import-log entries, the tables to keep by name, db_id, recovery notice)`` of the old
    database (its users, layouts and audit trail as DataFrames)."""
    entries = old.execute(
        "SELECT seq, logged_at, action, sha256, file_name, options, actor, note FROM import_log ORDER BY seq"
    ).fetchall()
    keep = {name: old.execute(f"SELECT * FROM {name}").fetchdf() for name in ("users", "layouts", "audit_log")}
    db_id = scalar(old, "SELECT value FROM meta WHERE key = 'db_id'")
    notice = scalar(old, "SELECT value FROM meta WHERE key = 'recovery_notice'")
    return entries, keep, db_id, notice


def _check_archive(cfg: Settings, entries: list[tuple]) -> None:
    """Step 1: every ingest entry's raw file there and whole, before anything is created.

    :raises RebuildStopped: listing each raw file missing or damaged.
    """
    missing = []
    for seq, at, action, sha, file_name, _options, who, _note in entries:
        if action != "ingest":
            continue
        path = raw_path(cfg.raw_dir, sha)
        if not path.is_file():
            reason = "không có tệp gốc trong kho"
        elif sha256_of(path.read_bytes()) != sha:
            reason = "tệp gốc trong kho đã bị hỏng (nội dung không khớp mã sha256)"
        else:
            continue
        missing.append(Unreplayable(seq, action, file_name, sha, at, who, path, reason))
    if missing:
        raise RebuildStopped(missing, [])


def _replay(con, cfg: Settings, new_cfg: Settings, entries: list[tuple]) -> tuple[int, list[Unreplayable]]:
    """Step 2: every entry replayed into ``con`` (the new file): ``(entries replayed, entries
    refused)``; an entry of an unknown action is skipped, neither."""
    replayed, refused = 0, []
    for entry in entries:
        seq, at, action, sha, file_name, _options, who, _note = entry
        try:
            outcome = _replay_entry(con, cfg, new_cfg, entry)
        except KpiError as exc:
            outcome = exc.message_vi.replace("\n", " ")
        if isinstance(outcome, str):
            refused.append(Unreplayable(seq, action, file_name, sha, at, who, None, outcome))
        elif outcome:
            replayed += 1
    return replayed, refused


#: Holds newer than some logged imports → the choice that stores the file as it was stored then.
_HELD_SINCE = ("register_scope_unclear", "correction_scope_unclear", "scale_unclear", "ratio_mismatch")
_HELD_SINCE_AS_STORED = {"register_as": "replace", "correction": "whole", "scale": "as_written", "ratios": "as_written"}


def _replay_entry(con, cfg: Settings, new_cfg: Settings, entry: tuple) -> bool | str:
    """One import-log entry done again, as its actor at its time: ``True`` when replayed,
    ``False`` for an action this version does not know, or why it is refused (Vietnamese).

    :raises kpi.errors.KpiError: the replayed action refused it (the caller lists it).
    """
    _seq, at, action, sha, file_name, options, who, note = entry
    if action == "ingest":
        data = raw_path(cfg.raw_dir, sha).read_bytes()
        chosen = ImportOptions.from_dict(json.loads(options or "{}"))
        prep = prepare(con, data, file_name, chosen, new_cfg)
        if prep.refused and {i.code for i in prep.refusal_issues} <= set(_HELD_SINCE):
            # logged before such files were held (a register's scope, a correction lacking figures, a
            # figure ~100× its target, the file's ratios against its figures): stored then as every
            # such file was; replayed as it was stored
            prep = prepare(con, data, file_name, replace(chosen, **_HELD_SINCE_AS_STORED), new_cfg)
        if prep.refused:
            return "các quy tắc hiện nay từ chối tệp: " + " | ".join(i.text() for i in prep.refusal_issues)
        commit(con, prep, data, who, new_cfg, at=at)
    elif action in ("withdraw", "restore"):
        sid = con.execute(
            "SELECT submission_id FROM submissions WHERE sha256 = ? ORDER BY seq DESC LIMIT 1", [sha]
        ).fetchall()
        if not sid:
            return "không có lần tải của tệp này để phát lại thao tác"
        fn = withdraw_submission if action == "withdraw" else restore_submission
        fn(con, sid[0][0], who, reason=note or "", at=at)
    elif action == "alias":  # a name taught at upload (kpi.aliases, issue 13)
        from kpi.aliases import replay_alias_entry

        replay_alias_entry(con, json.loads(options or "{}"), who, at)
    elif action == "plan":
        replay_plan_entry(con, json.loads(options or "{}"), who, at)
    elif action == "target":
        spec = json.loads(options or "{}")
        try:
            change_target(
                con, who, spec["year"], spec["key"], spec["target"], note or "(phát lại)", at=at, data_dir=cfg.data_dir
            )
        except (KeyError, ValueError) as exc:
            raise KpiError(f"chỉ tiêu {spec.get('year')} {spec.get('key')} không đọc được ({exc})") from exc
    else:
        return False
    return True


def _carry_over(con, keep: dict, db_id: str | None, notice: str | None) -> None:
    """Copy across what the replay does not make: the replay's rows give way to the originals —
    the audit trail as it was, the layouts as last remembered (a replayed mapped import remembers
    its layout again), the users —, the database's identity (the same database to the import
    journal) and a recovery notice not yet acknowledged (it stays until an admin has seen it)."""
    for name, frame in keep.items():
        con.execute(f"DELETE FROM {name}")
        if not frame.empty:
            con.register("_keep", frame)
            con.execute(f"INSERT INTO {name} SELECT * FROM _keep")
            con.unregister("_keep")
    if db_id:
        con.execute("UPDATE meta SET value = ? WHERE key = 'db_id'", [db_id])
    if notice:
        con.execute("INSERT INTO meta VALUES ('recovery_notice', ?)", [notice])


def _swap(cfg: Settings, new_path: Path, kept: Path) -> None:
    """Step 3: the old file (and a WAL, if any) kept under a new number, never overwritten; the
    new one (and its WAL) in its place; the replay's own journal removed."""
    os.replace(cfg.db_path, kept)
    old_wal = Path(str(cfg.db_path) + ".wal")
    if old_wal.exists():
        os.replace(old_wal, Path(str(kept) + ".wal"))
    os.replace(new_path, cfg.db_path)
    wal = Path(str(new_path) + ".wal")
    if wal.exists():
        os.replace(wal, Path(str(cfg.db_path) + ".wal"))
    _remove_temp(new_path)  # the replay's own journal
