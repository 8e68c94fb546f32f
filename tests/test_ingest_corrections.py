"""A correction that lacks figures of the version in use is held; a figure ~100× its target is held.

Black-box findings (bb19):

1. A Q1 correction from the same sender holding only CT01 and CT02 replaced the whole Q1 report:
   six indicators then read "Chưa có số liệu", and ``ingest`` said only "đã điều chỉnh". Now the
   file waits for the clerk (``correction_scope_unclear``): «Chỉ điều chỉnh các số có trong tệp»
   (``--correction partial``: stored beside the version in use; per figure the later document date
   wins) or «Thay cả bản đang dùng» (``--correction whole``: as before, the missing figures kept in
   history only). A full correction and an older version behave as before.
2. 0,95 in a "%" row without a % format (target 94,5 %) was stored with only a warning. Now the
   file waits (``scale_unclear``): ``--scale fraction`` reads it as 95 % (as a %-formatted cell),
   ``--scale as-written`` keeps 0,95. A genuinely small rate (0,15 % against 0,17 %) is not asked.

Every workbook is written here (openpyxl), in layouts unlike the samples'.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.cli import main
from kpi.ingest import commit, ingest, prepare
from kpi.preview import planned_changes
from kpi.reading.checks import scale_offered
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.catalogue import load_catalogue
from kpi.storage.figures import current_figures
from tests.support.apptest import XLSX, texts
from tests.support.cli import kpi
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

pytestmark = pytest.mark.usefixtures("server_machine")

HEADER = ["TT", "Tên chỉ tiêu", "ĐVT", "Quý {q}/2024", "Cộng dồn từ đầu năm"]
NAMES = {
    "CT01": ("Tổng vốn đầu tư toàn xã hội", "Tỷ đồng"),
    "CT02": ("Tổng thu ngân sách nhà nước", "Tỷ đồng"),
    "CT08": ("Tỷ lệ dân số tham gia bảo hiểm y tế", "%"),
    "CT09": ("Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu"),
    "CT07b": ("Số giường bệnh/1 vạn dân", "Giường bệnh/vạn dân"),
}
FULL = {"CT01": (530.0, 530.0), "CT02": (170.5, 170.5), "CT08": (93.1, 93.1), "CT09": (18, 18)}
FULL_MONEY = {"CT01": (530.0, 530.0), "CT02": (170.5, 170.5)}
DISTRICT_ADMIN = ("UBND HUYỆN TAM NÔNG", "PHÒNG TÀI CHÍNH - KẾ HOẠCH")
COMMUNE_ADMIN = ("UBND XÃ DÂN QUYỀN", "VĂN PHÒNG HĐND - UBND")


def report(date: str, figures: dict, *, quarter: int = 1, commune: bool = False) -> bytes:
    """A report of ``quarter`` dated ``date``: one row per key → (quarter's own, year to date);
    ``None`` leaves the cell empty."""
    roman = "I II III IV".split()[quarter - 1]
    who = "UBND xã Dân Quyền" if commune else "Phòng Tài chính - Kế hoạch"
    body = [[n, NAMES[k][0], NAMES[k][1], *v] for n, (k, v) in enumerate(figures.items(), start=1)]
    rows = report_rows(
        f"BÁO CÁO TÌNH HÌNH THỰC HIỆN CHỈ TIÊU QUÝ {roman} NĂM 2024",
        [h.format(q=roman) for h in HEADER],
        body,
        admin=COMMUNE_ADMIN if commune else DISTRICT_ADMIN,
        reference=f"(Kèm theo Báo cáo số 7/BC ngày {date} của {who})",
    )
    return xlsx(rows, sheet="Bieu")


def put(con, cfg, data: bytes, name: str, **options):
    return ingest(con, data, name, ACTOR, ImportOptions(**options), cfg)


def actual(con, key: str, quarter: int = 1, subject: str | None = None) -> tuple:
    """(the judged figure, its source) of ``key`` in the attainment report — what ``report``,
    the overview and «Số liệu này lấy từ đâu?» show."""
    table = attainment_report(con, 2024, quarter, subject).table.set_index("key")
    return table.loc[key, "actual"], table.loc[key, "source"]


def active(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT file_name FROM submissions WHERE status = 'active' ORDER BY submission_id"
        ).fetchall()
    ]


def test_a_partial_correction_is_held_and_names_what_would_disappear(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    prep = prepare(con, report("20/4/2024", {"CT01": (555.5, 555.5)}), "dc.xlsx", ImportOptions(), cfg)
    assert prep.awaiting_decision and prep.needs("correction")
    [held] = prep.held
    assert held.code == "correction_scope_unclear" and "thiếu 6 số" in held.message
    # the plan's order is not promised, each missing figure is: key, name, period, kind, old figure
    assert "CT02 «Tổng thu ngân sách nhà nước» (Quý I/2024, số của quý): 170,5 tỷ đồng" in held.message
    assert "và 2 số khác" in held.message and "--correction partial hoặc --correction whole" in held.message
    assert "«Chỉ điều chỉnh các số có trong tệp»" in held.message and "«Thay cả bản đang dùng»" in held.message


def _office_report(number: str, title: str, figures: dict) -> bytes:
    body = [[n, NAMES[k][0], NAMES[k][1], *v] for n, (k, v) in enumerate(figures.items(), start=1)]
    rows = report_rows(
        title,
        [h.format(q="I") for h in HEADER],
        body,
        admin=DISTRICT_ADMIN,
        reference=f"(Kèm theo Báo cáo số {number} ngày 10/4/2024 của Phòng Tài chính - Kế hoạch)",
    )
    return xlsx(rows, sheet="Bieu")


def test_another_document_of_the_office_with_no_figure_in_common_is_stored_beside(con, cfg):
    """Round 11: an office's second report of the quarter (its own number, its own title, other
    indicators) was asked as a correction of the first, «Thay cả bản đang dùng» dropping the
    first's figures. It is stored beside it, said so; one sharing a figure is still asked."""
    put(con, cfg, _office_report("7/BC-TCKH", "BÁO CÁO THU CHI NGÂN SÁCH QUÝ I NĂM 2024", FULL_MONEY), "a.xlsx")
    other = _office_report("9/BC-TCKH", "BÁO CÁO CHỈ TIÊU XÃ HỘI QUÝ I NĂM 2024", {"CT08": (93.1, 93.1)})
    prep = prepare(con, other, "b.xlsx", ImportOptions(), cfg)
    assert not prep.awaiting_decision, [i.text() for i in prep.errors]
    prep, done = put(con, cfg, other, "b.xlsx")
    assert done.status == "active" and "lưu bên cạnh «a.xlsx»" in done.message
    assert active(con) == ["a.xlsx", "b.xlsx"]
    assert actual(con, "CT01")[0] == pytest.approx(530.0) and actual(con, "CT08")[0] == pytest.approx(93.1)
    sharing = _office_report("11/BC-TCKH", "BÁO CÁO KHÁC QUÝ I NĂM 2024", {"CT01": (540.0, 540.0)})
    assert prepare(con, sharing, "c.xlsx", ImportOptions(), cfg).needs("correction")


def test_two_documents_of_the_office_saved_in_one_batch_are_both_in_use(con, cfg):
    """Round 12: previewed together (neither stored yet), then «Lưu tất cả»: the second replaced
    the first («thay cho bản trước … đã điều chỉnh»). Saving checks again what is stored by then."""
    first = _office_report("101/BC-PYT", "BÁO CÁO CHỈ TIÊU Y TẾ QUÝ I NĂM 2024", {"CT07b": (53.6, 53.6)})
    second = _office_report("105/BC-PYT", "BÁO CÁO BẢO HIỂM Y TẾ QUÝ I NĂM 2024", {"CT08": (94.3, 94.3)})
    preps = [prepare(con, data, name, ImportOptions(), cfg) for name, data in (("a.xlsx", first), ("b.xlsx", second))]
    assert not any(p.awaiting_decision for p in preps)
    for prep, data in zip(preps, (first, second), strict=True):
        done = commit(con, prep, data, ACTOR, cfg)
        assert done.status == "active" and done.superseded_ids == ()
    assert active(con) == ["a.xlsx", "b.xlsx"]
    assert actual(con, "CT07b")[0] == pytest.approx(53.6) and actual(con, "CT08")[0] == pytest.approx(94.3)


def test_partial_keeps_the_figures_the_file_lacks_and_the_later_date_wins(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    prep, done = put(con, cfg, report("20/4/2024", {"CT01": (555.5, 555.5)}), "dc.xlsx", correction="partial")
    assert done.status == "active" and done.superseded_ids == ()
    assert "chỉ điều chỉnh các số có trong tệp" in done.message and "bản đang dùng «goc.xlsx» (tải lên" in done.message
    assert active(con) == ["goc.xlsx", "dc.xlsx"]
    assert actual(con, "CT01")[0] == pytest.approx(555.5) and actual(con, "CT01")[1].startswith("dc.xlsx")
    for key, value in (("CT02", 170.5), ("CT08", 93.1), ("CT09", 18)):
        figure, source = actual(con, key)
        assert figure == pytest.approx(value) and source.startswith("goc.xlsx"), key


def test_an_older_partial_file_never_outranks_the_figures_of_a_later_report(con, cfg):
    # partial beside a version in use dated later: that version's figures win where both have one
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    put(con, cfg, report("20/4/2024", {"CT01": (555.5, 555.5)}), "dc1.xlsx", correction="partial")
    put(
        con,
        cfg,
        report("10/4/2024", {"CT01": (540.0, 540.0), "CT02": (171.0, 171.0)}),
        "dc0.xlsx",
        correction="partial",
    )
    # dc0 is later than goc but earlier than dc1: it is stored beside them (kept active) …
    assert actual(con, "CT01")[0] == pytest.approx(555.5)  # … dc1 (20/4) beats dc0 (10/4)
    assert actual(con, "CT02")[0] == pytest.approx(171.0)  # dc0 (10/4) beats goc (5/4)


def test_a_commune_partial_correction_changes_only_its_figure(con, cfg):
    commune = {"CT08": (91.0, 91.0), "CT09": (2, 2)}
    put(con, cfg, report("03/4/2024", commune, commune=True), "xa.xlsx")
    prep = prepare(con, report("15/4/2024", {"CT08": (92.4, 92.4)}, commune=True), "xa-dc.xlsx", ImportOptions(), cfg)
    assert prep.subject == "Xã Dân Quyền" and prep.needs("correction")
    assert "CT09" in prep.held[0].message and ", Xã Dân Quyền)" in prep.held[0].message
    put(con, cfg, report("15/4/2024", {"CT08": (92.4, 92.4)}, commune=True), "xa-dc.xlsx", correction="partial")
    figures = current_figures(con, 2024, "Xã Dân Quyền").set_index(["key", "kind"])
    assert figures.loc[("CT08", "ytd"), "value"] == pytest.approx(92.4)
    assert figures.loc[("CT08", "ytd"), "file_name"] == "xa-dc.xlsx"
    assert figures.loc[("CT09", "ytd"), "value"] == 2 and figures.loc[("CT09", "ytd"), "file_name"] == "xa.xlsx"


def test_a_correction_adding_an_indicator_replaces_as_before(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    more = {**FULL, "CT01": (531.0, 531.0), "CT07b": (53.9, 53.9)}
    prep, done = put(con, cfg, report("20/4/2024", more), "them.xlsx")
    assert not prep.held and done.superseded_ids == (1,) and active(con) == ["them.xlsx"]
    assert "thay cho bản trước «goc.xlsx» (tải lên" in done.message and "thay cả bản" not in done.message
    assert actual(con, "CT07b")[0] == pytest.approx(53.9)


def test_a_file_held_for_its_scale_and_its_correction_asks_both_at_once(con, cfg):
    """Black-box finding: a correction lacking a figure and writing money in triệu was asked the
    scale question, then — only after it was answered — the correction's. Both are asked in one
    pass; answering both stores it."""
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    both = {**FULL, "CT01": (540_000.0, 540_000.0), "CT09": (18, None)}
    prep = prepare(con, report("20/4/2024", both), "sua.xlsx", ImportOptions(), cfg)
    assert prep.needs("scale") and prep.needs("correction") and prep.awaiting_decision
    prep = prepare(con, report("20/4/2024", both), "sua.xlsx", ImportOptions(scale="divide_1000"), cfg)
    assert not prep.needs("scale") and prep.needs("correction")
    _prep, done = put(con, cfg, report("20/4/2024", both), "sua.xlsx", scale="divide_1000", correction="partial")
    assert done is not None and actual(con, "CT01")[0] == pytest.approx(540.0)
    assert actual(con, "CT09")[0] == 18  # the partial correction lacks it: the first report's stands


def test_a_correction_lacking_one_figure_of_one_quarter_names_only_it(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    lacking = {**FULL, "CT09": (18, None)}
    prep = prepare(con, report("20/4/2024", lacking), "thieu.xlsx", ImportOptions(), cfg)
    [held] = prep.held
    assert (
        "thiếu 1 số" in held.message
        and "CT09" in held.message
        and "(Quý I/2024, số tại thời điểm cuối kỳ): 18 khu" in held.message
    )
    assert " và " not in held.message.split(". ")[0]
    # the whole correction: the year to date gone from use, kept in history
    _prep, done = put(con, cfg, report("20/4/2024", lacking), "thieu.xlsx", correction="whole")
    assert done.superseded_ids == (1,) and "thay cả bản đang dùng: 1 số" in done.message
    assert active(con) == ["thieu.xlsx"]
    kept = con.execute(
        "SELECT count(*) FROM observations WHERE submission_id = 1 AND key = 'CT09' AND kind = 'ytd'"
    ).fetchone()[0]
    assert kept == 1


def test_two_partial_corrections_then_a_whole_one_supersedes_all(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    put(con, cfg, report("12/4/2024", {"CT01": (540.0, 540.0)}), "dc1.xlsx", correction="partial")
    prep = prepare(con, report("19/4/2024", {"CT02": (175.0, 175.0)}), "dc2.xlsx", ImportOptions(), cfg)
    assert prep.needs("correction") and "lần tải #1); «dc1.xlsx» (tải lên" in prep.held[0].message
    put(con, cfg, report("19/4/2024", {"CT02": (175.0, 175.0)}), "dc2.xlsx", correction="partial")
    assert active(con) == ["goc.xlsx", "dc1.xlsx", "dc2.xlsx"]
    assert [actual(con, k)[0] for k in ("CT01", "CT02", "CT08")] == pytest.approx([540.0, 175.0, 93.1])
    # the preview of a full report: compared with the figures in use of all three
    full = {**FULL, "CT01": (541.0, 541.0)}
    prep = prepare(con, report("30/4/2024", full), "moi.xlsx", ImportOptions(), cfg)
    assert not prep.held
    changes = planned_changes(con, prep).set_index(["key", "kind"])
    assert changes.loc[("CT01", "ytd"), "old_value"] == pytest.approx(540.0)
    assert changes.loc[("CT02", "ytd"), "old_value"] == pytest.approx(175.0)
    _prep, done = put(con, cfg, report("30/4/2024", full), "moi.xlsx")
    assert sorted(done.superseded_ids) == [1, 2, 3] and active(con) == ["moi.xlsx"]
    assert actual(con, "CT02")[0] == pytest.approx(170.5)


def test_a_whole_correction_after_a_partial_one_leaves_what_it_lacks_out(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    put(con, cfg, report("12/4/2024", {"CT01": (540.0, 540.0)}), "dc1.xlsx", correction="partial")
    _prep, done = put(con, cfg, report("19/4/2024", {"CT01": (545.0, 545.0)}), "dc2.xlsx", correction="whole")
    assert sorted(done.superseded_ids) == [1, 2] and active(con) == ["dc2.xlsx"]
    assert actual(con, "CT01")[0] == pytest.approx(545.0)
    assert pd_isna(actual(con, "CT08")[0])


def pd_isna(value) -> bool:
    return value is None or value != value


def test_an_older_version_is_kept_as_history_without_asking(con, cfg):
    put(con, cfg, report("20/4/2024", FULL), "moi.xlsx")
    prep, done = put(con, cfg, report("05/4/2024", {"CT01": (500.0, 500.0)}), "cu.xlsx")
    assert not prep.held and done.status == "superseded" and active(con) == ["moi.xlsx"]


def test_the_partial_preview_shows_changes_but_removes_nothing(con, cfg):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    data = report("20/4/2024", {"CT01": (555.5, 555.5)})
    prep = prepare(con, data, "dc.xlsx", ImportOptions(correction="partial"), cfg)
    changes = planned_changes(con, prep)
    assert set(changes["change"]) == {"changed"} and set(changes["key"]) == {"CT01"}


def test_cli_correction_flag(con, cfg, tmp_path):
    con.close()
    db = cfg.db_path
    (tmp_path / "goc.xlsx").write_bytes(report("05/4/2024", FULL))
    (tmp_path / "dc.xlsx").write_bytes(report("20/4/2024", {"CT01": (555.5, 555.5)}))
    assert kpi("ingest", tmp_path / "goc.xlsx", db=db).returncode == 0
    held = kpi("ingest", tmp_path / "dc.xlsx", db=db)
    assert held.returncode == 1 and "--correction partial hoặc --correction whole" in held.stderr + held.stdout
    done = kpi("ingest", tmp_path / "dc.xlsx", "--correction", "partial", db=db)
    assert done.returncode == 0 and "chỉ điều chỉnh các số có trong tệp" in done.stdout
    shown = kpi("report", "--year", "2024", "--quarter", "1", db=db).stdout
    assert "555,5" in shown and "170,5" in shown and "93,1" in shown
    assert "--correction {partial,whole}" in kpi("ingest", "--help", db=db).stdout


def open_upload(con, monkeypatch, cfg) -> AppTest:
    import streamlit as st

    con.close()
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=120).run()


def reopened(cfg):
    from kpi.bootstrap import open_database

    return open_database(cfg)


def save(at: AppTest) -> None:
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("up_save_"))).click().run()
    assert not at.exception


def test_upload_page_asks_partial_or_whole(con, cfg, monkeypatch):
    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    at = open_upload(con, monkeypatch, cfg)
    at.file_uploader(key="up_files").set_value([("dc.xlsx", report("20/4/2024", {"CT01": (555.5, 555.5)}), XLSX)])
    at.run()
    shown = texts(at)
    assert "Chờ bạn quyết định" in shown and "thiếu 6 số" in shown
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_correction_"))
    radio.set_value("partial").run()
    assert "Chỉ điều chỉnh các số có trong tệp" in " ".join(i.value for i in at.info)
    save(at)
    con = reopened(cfg)
    try:
        assert active(con) == ["goc.xlsx", "dc.xlsx"]
    finally:
        con.close()


# -- 2. a rate 100 times too small -----------------------------------------------------------------


def rate_file(ct08: float = 0.95) -> bytes:
    rows = report_rows(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ III",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý III"],
        [[1, NAMES["CT08"][0], "%", ct08], [2, "Tỷ lệ hộ nghèo", "%", 0.15]],
        admin=COMMUNE_ADMIN,
        reference="(Kèm theo Báo cáo số 9/BC-UBND ngày 02/10/2024 của UBND xã Dân Quyền)",
    )
    return xlsx(rows)


def stored(con, key: str) -> float:
    return con.execute(
        "SELECT value FROM observations o JOIN submissions s USING (submission_id) WHERE s.status = 'active' AND key = ?",
        [key],
    ).fetchone()[0]


def test_a_rate_written_as_a_fraction_is_held_not_stored(con, cfg):
    prep = prepare(con, rate_file(), "xa.xlsx", ImportOptions(period="2024-Q3"), cfg)
    assert prep.awaiting_decision and prep.needs("scale")
    [held] = prep.held
    assert held.code == "scale_unclear" and held.cell == "D8"
    assert "0,95 %" in held.message and "--scale fraction hoặc --scale as-written" in held.message
    # a small rate whose target is small too (hộ nghèo 0,15 % against 0,17 %) is not asked about
    assert not [i for i in prep.issues if i.key == "CT06a"]


def test_the_fraction_choice_reads_it_as_a_percent_format_would(con, cfg):
    prep, done = put(con, cfg, rate_file(), "xa.xlsx", period="2024-Q3", scale="fraction")
    assert done.status == "active" and stored(con, "CT08") == pytest.approx(95.0)
    assert stored(con, "CT06a") == pytest.approx(0.15)
    note = con.execute("SELECT note FROM observations WHERE key = 'CT08'").fetchone()[0]
    assert "nhân 100" in note


def test_as_written_keeps_the_figure_with_a_warning(con, cfg):
    prep, _done = put(con, cfg, rate_file(), "xa.xlsx", period="2024-Q3", scale="as_written")
    assert stored(con, "CT08") == pytest.approx(0.95) and [i.code for i in prep.warnings if i.key == "CT08"] == [
        "scale"
    ]


def test_a_money_figure_thousand_times_off_is_held_and_fraction_does_not_lift_it(con, cfg):
    data = report("05/4/2024", {**FULL, "CT01": (530_000.0, 530_000.0)})
    prep = prepare(con, data, "trieu.xlsx", ImportOptions(scale="fraction"), cfg)
    assert prep.needs("scale") and "--scale as-written" in prep.held[0].message
    assert "phân số" not in prep.held[0].message


def test_money_written_in_trieu_under_ty_is_offered_divide_1000_and_stored_divided(con, cfg, tmp_path):
    """Black-box finding: money about 1000× its target (530.000 under «tỷ đồng»: triệu đồng) had
    no way but «Số đúng như tệp ghi» or fixing the file; «chia 1000» (``--scale divide-1000``)
    divides every figure written so — the file's copy of the plan too — and says so."""
    data = report("05/4/2024", {**FULL, "CT01": (530_000.0, 530_000.0)})
    prep = prepare(con, data, "trieu.xlsx", None, cfg)
    held = next(i for i in prep.held if i.key == "CT01")  # the quarter's and the year to date's
    assert "lệch khoảng 160 lần" in held.message  # 530.000 ÷ 3.300,9, not «100»
    assert "chia 1000" in held.message and "--scale divide-1000" in held.message
    catalogue = load_catalogue(con, 2024)
    assert scale_offered(prep.observations, catalogue, "divide_1000")
    assert not scale_offered(prep.observations, catalogue, "fraction")  # no share is a fraction here
    prep, done = put(con, cfg, data, "trieu.xlsx", scale="divide_1000")
    assert done is not None and stored(con, "CT01") == pytest.approx(530.0)
    ct01 = prep.observations[(prep.observations["key"] == "CT01") & (prep.observations["kind"] != "plan")]
    assert set(ct01["written"]) == {"530.000"} and all("đã chia 1000" in n for n in ct01["note"])
    # a figure near its target is never divided (CT02, 160,2 tỷ đồng)
    assert stored(con, "CT02") == pytest.approx(FULL["CT02"][1])
    con.close()
    path = tmp_path / "trieu.xlsx"
    path.write_bytes(data)
    args = ["ingest", str(path), "--db", str(cfg.db_path), "--scale", "divide-1000"]
    assert main(args) == 0  # the same file again: already stored, nothing to decide


def test_a_communes_money_in_trieu_under_ty_is_held_though_its_part_may_be_small(con, cfg):
    """Round 11: a town's «152.300 | Tỷ đồng» (triệu written for tỷ) was stored, 46× the whole
    district's target, and led the unit comparison chart; a commune's part of a summed indicator was
    never compared with the district's target. It may be far below it, never 30× above it."""
    data = report("05/4/2024", {"CT01": (152_300.0, 152_300.0), "CT02": (41.2, 41.2)}, commune=True)
    prep = prepare(con, data, "xa-trieu.xlsx", None, cfg)
    assert set(prep.observations["subject"]) == {"Xã Dân Quyền"}
    held = next(i for i in prep.held if i.key == "CT01")
    assert "lệch khoảng 46 lần" in held.message and "chia 1000" in held.message  # 152.300 ÷ 3.300,9
    assert not [i for i in prep.held if i.key == "CT02"]  # a small part is no slip
    prep, done = put(con, cfg, data, "xa-trieu.xlsx", scale="divide_1000")
    assert done is not None and stored(con, "CT01") == pytest.approx(152.3)


def test_a_file_with_a_fraction_and_money_in_trieu_is_lifted_by_both_ways_at_once(con, cfg, monkeypatch):
    """Black-box finding: a rate written 0,931 and money in triệu under «tỷ đồng» in one file could
    not be saved with both fixed — one way lifted one slip and the other brought it back. «Cả hai»
    (``fraction+divide_1000``) applies each way to the figures it fits."""
    data = report("05/4/2024", {**FULL, "CT01": (530_000.0, 530_000.0), "CT08": (0.931, 0.931)})
    for one in ("fraction", "divide_1000"):
        assert prepare(con, data, "hai.xlsx", ImportOptions(scale=one), cfg).needs("scale"), one
    at = open_upload(con, monkeypatch, cfg)
    at.file_uploader(key="up_files").set_value([("hai.xlsx", data, XLSX)]).run()
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_scale_"))
    assert radio.options[-1] == "Cả hai: tỷ lệ nhân 100, số tiền chia 1000"
    radio.set_value("fraction+divide_1000").run()
    assert not at.exception and "Sẵn sàng lưu" in texts(at)
    con = reopened(cfg)
    try:
        _prep, done = put(con, cfg, data, "hai.xlsx", scale="fraction+divide_1000")
        assert done is not None and stored(con, "CT01") == pytest.approx(530.0)
        assert stored(con, "CT08") == pytest.approx(93.1) and stored(con, "CT02") == pytest.approx(170.5)
    finally:
        con.close()


def test_a_figure_is_quoted_one_way_in_every_message_of_a_preview(con, cfg):
    """Black-box finding: «0,943 % lệch khoảng …» beside «0,9 % khác xa số quý trước» for one cell:
    every message quotes a figure with its own decimals where the formatter's are fewer."""
    put(con, cfg, report("05/4/2024", FULL), "q1.xlsx")
    q2 = report("05/7/2024", {**FULL, "CT08": (0.943, 0.943)}, quarter=2)
    prep = prepare(con, q2, "q2.xlsx", ImportOptions(scale="as_written"), cfg)
    said = [i.message for i in prep.warnings if i.key == "CT08"]
    assert len(said) >= 2 and all("0,943 %" in m for m in said) and not any("0,9 %" in m for m in said), said


def test_cli_scale_flag(con, cfg, tmp_path):
    con.close()
    path = tmp_path / "xa.xlsx"
    path.write_bytes(rate_file())
    args = ["ingest", str(path), "--period", "2024-Q3", "--db", str(cfg.db_path)]
    assert main(args) == 1
    assert main([*args, "--scale", "fraction"]) == 0
    from kpi.bootstrap import open_database

    con = open_database(cfg)
    try:
        assert stored(con, "CT08") == pytest.approx(95.0)
    finally:
        con.close()


def test_upload_page_asks_about_the_scale(con, cfg, monkeypatch):
    at = open_upload(con, monkeypatch, cfg)
    at.file_uploader(key="up_files").set_value([("xa.xlsx", rate_file(), XLSX)]).run()
    period = next(s for s in at.selectbox if s.key and s.key.startswith("up_period_"))
    period.set_value("2024-Q3").run()
    assert "Chờ bạn quyết định" in texts(at)
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_scale_"))
    radio.set_value("fraction").run()
    save(at)
    con = reopened(cfg)
    try:
        assert stored(con, "CT08") == pytest.approx(95.0)
    finally:
        con.close()


def test_a_small_rate_written_as_a_fraction_is_offered_times_100_and_quoted_as_written(con, cfg):
    """Black-box (December 2026): a poverty rate written 0,0015 (0,15 %) against 0,17 % was held,
    quoted «0 %», offered «nhân 100» on screen and then refused it; stored as written it scored
    11.333 % «Vượt». It reads as a fraction (× 100 is near its target); 0,15 itself does not."""
    rows = report_rows(
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ III",
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện quý III"],
        [[1, "Tỷ lệ hộ nghèo", "%", 0.0015], [2, NAMES["CT08"][0], "%", 94.1]],
        admin=COMMUNE_ADMIN,
        reference="(Kèm theo Báo cáo số 9/BC-UBND ngày 02/10/2024 của UBND xã Dân Quyền)",
    )
    prep = prepare(con, xlsx(rows), "ngheo.xlsx", ImportOptions(period="2024-Q3"), cfg)
    [held] = prep.held
    assert held.key == "CT06a" and "0,0015 %" in held.message and "--scale fraction" in held.message
    assert scale_offered(prep.observations, load_catalogue(con, 2024), "fraction")
    _prep, done = put(con, cfg, xlsx(rows), "ngheo.xlsx", period="2024-Q3", scale="fraction")
    assert done.status == "active" and stored(con, "CT06a") == pytest.approx(0.15)
    assert stored(con, "CT08") == pytest.approx(94.1)  # a percent already: untouched


def test_the_upload_page_offers_times_100_only_where_a_share_reads_as_a_fraction(con, cfg, monkeypatch):
    """Money a thousand times off its target: «nhân 100» means nothing there and is not offered;
    «chia 1000» is (triệu đồng under «tỷ đồng»), and choosing it makes the file ready to save."""
    at = open_upload(con, monkeypatch, cfg)
    data = report("05/4/2024", {**FULL, "CT01": (530_000.0, 530_000.0)})
    at.file_uploader(key="up_files").set_value([("trieu.xlsx", data, XLSX)]).run()
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_scale_"))
    # no «Tỷ lệ ghi dạng phân số: nhân 100»
    assert radio.options == ["Chọn…", "Số đúng như tệp ghi", "Tệp ghi theo đơn vị nhỏ hơn 1000 lần: chia 1000"]
    radio.set_value("divide_1000").run()
    assert not at.exception and "Sẵn sàng lưu" in texts(at)


def test_the_stored_history_of_a_partial_correction_compares_with_the_figures_in_use(con, cfg):
    """Black-box (December 2026): after two partial corrections the Dữ liệu page's history of the
    second listed «CT02 161 → – bỏ» (still in use) and «CT08 – → 93 thêm» (it replaced 92,8 of
    the first report): it compared with the previous file only. Now with the figures in use below
    it, each from the highest version; a partial correction removes nothing."""
    from kpi.preview import labelled_stored_changes
    from kpi.storage.figures import submission_changes

    put(con, cfg, report("05/4/2024", FULL), "goc.xlsx")
    put(
        con,
        cfg,
        report("12/4/2024", {"CT01": (540.0, 540.0), "CT02": (171.0, 171.0)}),
        "dc1.xlsx",
        correction="partial",
    )
    _p, third = put(
        con, cfg, report("19/4/2024", {"CT01": (545.0, 545.0), "CT08": (93.6, 93.6)}), "dc2.xlsx", correction="partial"
    )
    changes = submission_changes(con, third.submission_id).set_index(["key", "kind"])
    assert set(changes["change"]) == {"changed"}  # nothing removed, nothing "added"
    assert changes.loc[("CT01", "ytd"), ["old_value", "new_value"]].tolist() == pytest.approx([540.0, 545.0])
    assert changes.loc[("CT08", "ytd"), ["old_value", "new_value"]].tolist() == pytest.approx([93.1, 93.6])
    assert "CT02" not in changes.index.get_level_values("key")
    shown = labelled_stored_changes(con, submission_changes(con, third.submission_id), 2024)
    assert shown.iloc[0].to_dict() == {
        "Chỉ tiêu": "CT01 · Tổng vốn đầu tư toàn xã hội",
        "Kỳ": "Quý I/2024 · số của quý",
        "Số đang dùng → số mới": "540,0 → 545,0",
        "Thay đổi": "sửa",
    }
    # a whole correction after them lists what it drops, against the figures in use
    _p, whole = put(con, cfg, report("26/4/2024", {"CT01": (550.0, 550.0)}), "dc3.xlsx", correction="whole")
    dropped = submission_changes(con, whole.submission_id).set_index(["key", "kind"])
    assert dropped.loc[("CT02", "ytd"), ["old_value", "change"]].tolist() == [171.0, "removed"]


def test_the_command_line_says_a_held_file_waits_for_a_decision_not_refused(con, cfg, tmp_path, capsys):
    """Black-box (December 2026): the command line headed every held file «bị từ chối, không lưu
    gì», though a flag lifts the hold; a file refused for good still says so."""
    con.close()
    held, bad = tmp_path / "xa.xlsx", tmp_path / "xau.xlsx"
    held.write_bytes(rate_file())
    bad.write_bytes(xlsx([["Bảng không có chỉ tiêu nào"], ["a", "b"], [1, 2]]))
    assert main(["ingest", str(held), "--period", "2024-Q3", "--db", str(cfg.db_path)]) == 1
    said = capsys.readouterr()
    assert "Tệp «xa.xlsx» đang chờ bạn quyết định, chưa lưu gì:" in said.out + said.err
    assert "bị từ chối" not in said.out + said.err
    assert main(["ingest", str(bad), "--db", str(cfg.db_path)]) == 1
    said = capsys.readouterr()
    assert "Tệp «xau.xlsx» bị từ chối, không lưu gì:" in said.out + said.err


def test_the_files_copy_of_a_target_is_never_rounded_away_in_the_preview(con, cfg):
    """Black-box (December 2026): a commune's plan column «8.500» triệu đồng, read as 8,5 tỷ
    đồng, was written «9» in «Số (đơn vị kế hoạch)» (the plan's CT02 805 has no decimals)."""
    from kpi.preview import figure_formats, written

    formats = figure_formats(con, 2024)
    assert written(8.5, "CT02", "plan", formats) == "8,5"
    # in the one formatter's decimals, as the other plan figures of the unit (blind tester: «120,0»
    # tỷ đồng beside «15» tỷ đồng; tests/reading/test_software_report.py)
    assert written(805.0, "CT02", "plan", formats) == "805,0"
    assert written(8.5, "CT02", "ytd", formats) == "8,5"  # a measured figure: max(1, its target's decimals)
    assert written(118.4505, "CT01", "plan", formats) == "118,4505"
    # any other figure as every output writes it (black-box: a commune's «19,95» in the preview and
    # «20,0» on the ranking of units); the file's own writing is in «Ghi trong tệp» beside it
    assert written(19.95, "CT02", "ytd", formats) == "20,0"
    assert written(0.936, "CT08", "ytd", formats) == "0,9"
    assert written(566.4999999999999, "CT02", "ytd", formats) == "566,5"
    assert written(1426.0, "CT01", "ytd", formats) == "1.426,0"


def test_a_file_held_for_its_scale_is_not_checked_against_the_stored_figures_unscaled(con, cfg):
    """Black-box round 2 (December 2026): a Q2 report in triệu đồng under «tỷ đồng», held for its
    scale, also warned «lũy kế quý 2 là 900.000,0 … cộng số của quý 2 … là 370.530,0»: the stored
    Q1 in tỷ added to the file's unscaled triệu. The sums against the stored figures are checked
    once the scale is decided (choosing re-reads the file), never on figures 1000× off."""
    put(con, cfg, report("05/4/2024", FULL), "quy-1.xlsx")
    q2 = report("05/7/2024", {**FULL, "CT01": (370_000.0, 900_000.0)}, quarter=2)
    prep = prepare(con, q2, "quy-2-trieu.xlsx", None, cfg)
    assert prep.needs("scale")
    assert not [i for i in prep.issues if i.code == "ytd_disagrees" and i.key == "CT01"]
    # decided: divided by 1000, the sum is checked on the figures that will be stored (530 + 370
    # = 900: nothing to say), and a real disagreement is still found
    prep = prepare(con, q2, "quy-2-trieu.xlsx", ImportOptions(scale="divide_1000"), cfg)
    assert not prep.needs("scale") and not [i for i in prep.issues if i.code == "ytd_disagrees" and i.key == "CT01"]
    wrong = report("05/7/2024", {**FULL, "CT01": (370_000.0, 950_000.0)}, quarter=2)
    prep = prepare(con, wrong, "quy-2-trieu.xlsx", ImportOptions(scale="divide_1000"), cfg)
    [disagrees] = [i for i in prep.issues if i.code == "ytd_disagrees" and i.key == "CT01"]
    assert "950,0" in disagrees.message and "900,0" in disagrees.message


def test_another_offices_report_says_which_figures_in_use_it_overtakes(con, cfg):
    """Black-box round 3 (December 2026): a sector office's nine-month report with one row changed
    the district's waste-collection rate (CT10) from the statistics office's 87,60 to 87,70 under
    «Sẵn sàng lưu», with no «Khi lưu, … số sẽ thay đổi»: a file of another sender starts a series
    of its own, and only corrections were compared. Now its figures are compared with the figures
    in use it will overtake (the winner rule: vintage, then the later dated document, then the
    latest upload); an older-dated one, which overtakes nothing, lists nothing."""
    from tests.support.ledger import report_file, stored
    from tests.support.samples import load

    load(con, cfg, "q1", "h1", "q3")
    kind = "ytd" if stored(con, "CT10", "ytd", 3) is not None else "quarter"
    before = stored(con, "CT10", kind, 3)
    assert before is not None and round(before, 2) != 87.7
    body = [[1, "Tỷ lệ thu gom, xử lý chất thải rắn sinh hoạt", "%", 87.7]]
    header = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện 9 tháng"]
    sender = "PHÒNG KINH TẾ VÀ HẠ TẦNG"
    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 9 THÁNG NĂM 2024"
    later = report_file(title, header, body, "28/10/2024", sender=sender)
    prep = prepare(con, later, "kt-ht-9-thang.xlsx", ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    changes = planned_changes(con, prep)
    assert changes[["key", "quarter", "change"]].values.tolist() == [["CT10", 3, "changed"]], changes
    assert (round(changes["old_value"].iloc[0], 2), changes["new_value"].iloc[0]) == (round(before, 2), 87.7)
    # what the preview lists is what saving changes
    ingest(con, later, "kt-ht-9-thang.xlsx", ACTOR, ImportOptions(), cfg)
    assert stored(con, "CT10", kind, 3) == 87.7
    # a file dated before the one now in use overtakes nothing, and its preview says nothing changes
    earlier = report_file(title, header, [[1, "Tỷ lệ thu gom, xử lý chất thải rắn sinh hoạt", "%", 88.0]], "01/10/2024")
    prep = prepare(con, earlier, "tckh-cu.xlsx", ImportOptions(), cfg)
    assert planned_changes(con, prep).empty
    ingest(con, earlier, "tckh-cu.xlsx", ACTOR, ImportOptions(), cfg)
    assert stored(con, "CT10", kind, 3) == 87.7
