"""Storage: transactions, the raw archive, supersede and history by sender, subject, period, date."""

from __future__ import annotations

import pytest

from kpi import ingest_rows
from kpi.ingest import ingest, prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.database import raw_path
from kpi.storage.figures import figure_history, submission_changes, submissions
from kpi.submissions import restore_submission, withdraw_submission
from tests.support.ledger import REF, q1_version
from tests.support.samples import ACTOR, load, sample_bytes


def ct01(con, quarter=1):
    table = attainment_report(con, 2024, quarter).table.set_index("key")
    return table.loc["CT01", "actual"]


def test_correction_supersedes_and_keeps_history(con, cfg):
    load(con, cfg, "q1")
    corrected = q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024"))
    _prep, committed = ingest(con, corrected, "bao-cao-quy-1-2024-sua.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active" and committed.superseded_ids == (1,)
    assert "đã điều chỉnh so với báo cáo trước" in committed.message
    assert ct01(con) == pytest.approx(530.4)
    subs = submissions(con).set_index("submission_id")
    assert subs.loc[1, "status"] == "superseded" and subs.loc[2, "status"] == "active"
    changes = submission_changes(con, 2)
    assert set(changes["key"]) == {"CT01"}
    assert sorted(zip(changes["kind"], changes["old_value"], changes["new_value"], strict=True)) == [
        ("quarter", 520.4, 530.4),
        ("ytd", 520.4, 530.4),
    ]
    history = figure_history(con, 2024, "CT01", "UBND huyện Tam Nông")
    assert list(history[history["kind"] == "ytd"]["value"]) == [520.4, 530.4]
    assert list(history[history["kind"] == "ytd"]["status"]) == ["superseded", "active"]


def test_a_correction_is_compared_with_the_version_it_replaced(con, cfg):
    # #1 in use (15/4, 530), #2 an older document arriving late (5/4, 520,4: history only),
    # #3 a correction (20/4, 540): it replaced #1, so its changes are 530 → 540, not 520,4 → 540.
    ingest(con, q1_version(530, 530, REF.format(n=60, d="15/4/2024")), "a.xlsx", ACTOR, ImportOptions(), cfg)
    _p, late = ingest(
        con, q1_version(520.4, 520.4, REF.format(n=52, d="05/4/2024")), "b.xls", ACTOR, ImportOptions(), cfg
    )
    assert late.status == "superseded"
    _p, fix = ingest(con, q1_version(540, 540, REF.format(n=61, d="20/4/2024")), "c.xlsx", ACTOR, ImportOptions(), cfg)
    assert fix.superseded_ids == (1,)
    changes = submission_changes(con, fix.submission_id)
    assert set(changes["previous_id"]) == {1}
    assert sorted(zip(changes["kind"], changes["old_value"], changes["new_value"], strict=True)) == [
        ("quarter", 530, 540),
        ("ytd", 530, 540),
    ]
    # the late older document is compared with what ranks below it: nothing (it is the oldest)
    assert submission_changes(con, late.submission_id).empty


def test_older_version_loaded_late_changes_nothing(con, cfg):
    newer = q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024"))
    ingest(con, newer, "sua.xlsx", ACTOR, ImportOptions(), cfg)
    _prep, committed = ingest(con, sample_bytes("q1"), "bao-cao-quy-1-2024.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "superseded"
    assert "Bản cũ hơn bản đang dùng" in committed.message
    assert ct01(con) == pytest.approx(530.4)
    stored = con.execute("SELECT code FROM issues WHERE submission_id = ?", [committed.submission_id]).fetchall()
    assert ("older_version",) in stored


def test_undated_version_ranks_below_a_dated_one(con, cfg):
    load(con, cfg, "q1")  # dated 05/4/2024
    undated = q1_version(999.9, 999.9, None)
    prep = prepare(con, undated, "khong-ngay.xlsx", ImportOptions(), cfg)
    assert any(i.code == "no_doc_date" for i in prep.warnings)
    _p, committed = ingest(con, undated, "khong-ngay.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "superseded" and ct01(con) == pytest.approx(520.4)


def test_withdraw_and_restore(con, cfg):
    load(con, cfg, "q1")
    ingest(con, q1_version(530.4, 530.4, REF.format(n=60, d="15/4/2024")), "sua.xlsx", ACTOR, ImportOptions(), cfg)
    assert ct01(con) == pytest.approx(530.4)
    restore_submission(con, 1, ACTOR, reason="bản sửa nhầm")
    assert ct01(con) == pytest.approx(520.4)
    withdraw_submission(con, 1, ACTOR)
    assert ct01(con) == pytest.approx(530.4)  # the remaining version is used again
    actions = [a for (a,) in con.execute("SELECT action FROM import_log ORDER BY seq").fetchall()]
    assert actions == ["ingest", "ingest", "restore", "withdraw"]


def test_a_withdrawal_that_must_give_a_reason_is_refused_without_one(con, cfg):
    from kpi.errors import KpiError
    from kpi.storage.database import data_version

    load(con, cfg, "q1")
    version = data_version(con)
    with pytest.raises(KpiError, match="Hãy ghi lý do rút lần tải #1"):
        withdraw_submission(con, 1, ACTOR, reason="   ", require_reason=True)
    assert data_version(con) == version and ct01(con) == pytest.approx(520.4)
    withdraw_submission(con, 1, ACTOR, reason=" số liệu sai ", require_reason=True)
    (note,) = con.execute("SELECT status_note FROM submissions WHERE submission_id = 1").fetchone()
    assert note.endswith(": số liệu sai")
    assert con.execute("SELECT note FROM import_log WHERE action = 'withdraw'").fetchall() == [("số liệu sai",)]


def test_import_is_one_transaction(con, cfg, monkeypatch):
    """A failure after the figures were inserted leaves nothing of the file."""
    real = ingest_rows._insert_frame

    def failing(connection, table, frame, submission_id):
        real(connection, table, frame, submission_id)
        if table == "awards":
            raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_rows, "_insert_frame", failing)
    with pytest.raises(RuntimeError):
        load(con, cfg, "q1")
    counts = con.execute(
        "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM observations), "
        "(SELECT count(*) FROM import_log)"
    ).fetchall()[0]
    assert counts == (0, 0, 0)
    monkeypatch.setattr(ingest_rows, "_insert_frame", real)
    load(con, cfg, "q1")
    assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 30


def test_raw_files_are_archived_by_sha256(con, cfg):
    (committed,) = load(con, cfg, "q1")
    sha = con.execute("SELECT sha256 FROM submissions").fetchall()[0][0]
    assert raw_path(cfg.raw_dir, sha).read_bytes() == sample_bytes("q1")
    assert committed.submission_id == 1


def test_every_figure_knows_its_cell(loaded):
    rows = loaded.execute("""SELECT s.file_name, o.sheet, o.cell, o.written FROM observations o
                             JOIN submissions s USING (submission_id) WHERE o.key = 'CT01' AND o.kind = 'ytd'
                             ORDER BY o.quarter""").fetchall()
    assert rows == [
        ("bao-cao-quy-1-2024.xlsx", "Bieu 01", "F11", "520,4"),
        ("bao-cao-6-thang-2024.xls", "6 thang", "F9", "1.426,0"),
        ("bao-cao-9-thang-2024.ods", "Quy III", "F9", "2.438.300"),
    ]


def test_the_history_says_which_of_two_files_in_use_gives_the_figure(con, cfg):
    """Two senders' reports of one period are both in use (different series), but one figure of a
    period counts: the history says which (the dated document), not «đang dùng» for both."""
    from tests.support.ledger import report_file

    load(con, cfg, "q1")  # Phòng Tài chính - Kế hoạch, dated 05/4/2024: CT01 520,4
    other = report_file(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024",
        ["STT", "Chỉ tiêu", "ĐVT", "Lũy kế quý I"],
        [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 515.0]],
        "02/4/2024",
        sender="CHI CỤC THỐNG KÊ",
    )
    _prep, committed = ingest(con, other, "thong-ke-quy-1.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    history = figure_history(con, 2024, "CT01", "UBND huyện Tam Nông")
    ytd = history[history["kind"] == "ytd"]
    assert sorted(zip(ytd["value"], ytd["status"], ytd["used"], strict=True)) == [
        (515.0, "active", False),  # the earlier document: in use as a file, its figure not chosen
        (520.4, "active", True),
    ]
    assert ct01(con) == 520.4
