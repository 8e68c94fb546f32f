"""Any district: a second, invented district (huyện Thanh Vân) runs on the same code from its own
data folder — its plan, units and blocks load, its report is read and judged, its name is in the
titles — and no district's name is written in the code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st

from kpi.bootstrap import open_database
from kpi.config import DATA_DIR, settings
from kpi.ingest import ingest
from kpi.output.template import write_template
from kpi.plans.source import propose_plan
from kpi.plans.text import read_plan_document, text_document
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_records
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR
from tests.support.sheets import report_rows, xlsx

DISTRICT = PROJECT / "tests" / "data" / "district-thanh-van"
PLAN_TEXT = PROJECT / "tests" / "data" / "ke-hoach-thanh-van-2025.md"


@pytest.fixture
def district(tmp_path):
    """Settings and a database of the second district (its data folder, its own file)."""
    cfg = settings(db_path=tmp_path / "thanh-van.duckdb", data_dir=DISTRICT)
    con = open_database(cfg)
    yield cfg, con
    con.close()


def q1_report() -> bytes:
    return xlsx(
        report_rows(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2025 TOÀN HUYỆN",
            ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện Quý I/2025"],
            [
                [1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 230],
                [2, "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "%", 1.9],
                [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93.5],
                [4, "Số bác sỹ/vạn dân", "Bác sỹ", 10.8],
                [5, "Số lượt khách du lịch", "Lượt", 12000],
            ],
            admin=("UBND HUYỆN THANH VÂN", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"),
            reference="(Kèm theo Báo cáo số 20/BC-TCKH ngày 08/4/2025 của Phòng Tài chính - Kế hoạch)",
        )
    )


def test_the_second_districts_plan_and_units_load_from_its_folder(district):
    _cfg, con = district
    assert plan_years_in_db(con) == [2025]
    catalogue = load_catalogue(con, 2025)
    assert catalogue.district_unit == "UBND huyện Thanh Vân"
    assert [i.key for i in catalogue.indicators][:3] == ["KT01", "KT02", "KT03"]
    assert catalogue["XH01"].threshold == Decimal("1.6")  # 2,1 − 0,5
    assert list(dict.fromkeys(catalogue.block_units["block"])) == ["Khối các xã, thị trấn", "Khối cơ quan huyện"]
    # Shared alias files name Tam Nông's units: they never count for Thanh Vân's.
    assert catalogue.match_unit("Toàn huyện") is None
    assert catalogue.match_unit("UBND huyện Thanh Vân").value == "UBND huyện Thanh Vân"
    assert catalogue.match_unit("Phòng TC-KH").value == "Phòng Tài chính - Kế hoạch"  # a shared alias of its unit
    assert catalogue.match_indicator("Tổng thu ngân sách nhà nước").value == "KT01"  # its own aliases.csv


def test_a_report_of_the_second_district_is_read_and_judged(district):
    cfg, con = district
    prep, committed = ingest(con, q1_report(), "bao-cao-quy-1-2025.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active", [i.text() for i in prep.issues]
    assert (prep.sender, prep.subject, prep.year, prep.quarter) == (
        "Phòng Tài chính - Kế hoạch",
        "UBND huyện Thanh Vân",
        2025,
        1,
    )
    records = {r["key"]: r for r in report_records(attainment_report(con, 2025, 1))}
    # 230 / 910 = 25,27 %, against the pro-rata 227,5: on track.
    assert (records["KT01"]["actual"], records["KT01"]["attainment_pct"], records["KT01"]["status"]) == (
        230,
        25.27,
        "on_track",
    )
    # A cut of 0,5 point from 2,1: 1,9 is (2,1 − 1,9) / 0,5 = 40 % of the way, above 1,6: behind.
    assert (records["XH01"]["actual"], records["XH01"]["attainment_pct"], records["XH01"]["status"]) == (
        1.9,
        40.0,
        "behind",
    )
    assert (records["XH02"]["attainment_pct"], records["XH03"]["attainment_pct"]) == (98.42, 98.18)
    assert records["KT03"]["status"] == "not_due" and records["TD09"]["status"] == "not_due"
    assert "Số lượt khách du lịch" in " ".join(i.message for i in prep.issues)  # not in its plan: listed


def test_the_second_districts_name_is_in_its_titles(district, monkeypatch):
    cfg, con = district
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(write_template(load_catalogue(con, 2025)))).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows(max_row=8) for c in row if c.value)
    assert "THANH VÂN" in cells.upper() and "TAM NÔNG" not in cells.upper()
    con.close()
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.setenv("KPI_DATA_DIR", str(DISTRICT))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(PROJECT / "views" / "overview.py"), default_timeout=90).run()
        assert not at.exception
        captions = " ".join(c.value for c in at.caption).replace("\\", "")
        assert "UBND huyện Thanh Vân" in captions
        assert "Bảng tổng hợp 10 chỉ tiêu" in " ".join(s.value for s in at.subheader)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_the_second_districts_plan_text_maps_to_its_own_keys(district):
    cfg, con = district
    proposal = propose_plan(con, 2025, read_plan_document(PLAN_TEXT.read_bytes(), PLAN_TEXT.name), cfg.data_dir)
    keys = {t.key for t in proposal.targets if t.key}
    assert keys == {"KT01", "KT02", "KT03", "XH01", "XH02", "XH03", "MT01", "TD01", "TD02", "TD09"}
    assert len(proposal.targets) == 27  # the others are new to its catalogue (key None)


def _code(path: Path) -> str:
    """A source file without docstrings and comments (they may cite examples)."""
    text = re.sub(r'"""(?:.|\n)*?"""', "", path.read_text(encoding="utf-8"))
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_no_district_name_is_written_in_the_code():
    names = set()
    for folder in (DATA_DIR, DISTRICT):
        for toml in folder.glob("plans/*/plan.toml"):
            meta = tomllib.loads(toml.read_text(encoding="utf-8"))
            names |= {meta["place"], meta["province"].removeprefix("tỉnh ").strip()}
    assert names == {"Tam Nông", "Phú Thọ", "Thanh Vân", "Bình Sơn"}
    files = [
        *PROJECT.glob("kpi/**/*.py"),
        *PROJECT.glob("views/*.py"),
        PROJECT / "app.py",
        *PROJECT.glob("appkit/*.py"),
    ]
    offenders = [f"{p.name}: {n}" for p in files for n in names if n.lower() in _code(p).lower()]
    assert offenders == []


def test_a_district_starts_from_its_units_and_its_plan_document(tmp_path, monkeypatch):
    """A data folder with only units.csv and plan.toml: the first plan is read from its document."""
    import shutil

    from tests.support.cli import kpi

    folder = tmp_path / "data" / "plans" / "2025"
    folder.mkdir(parents=True)
    for name in ("units.csv", "plan.toml"):
        shutil.copy(DISTRICT / "plans" / "2025" / name, folder / name)
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path / "data"))
    db = tmp_path / "new.duckdb"
    assert kpi("plan", "show", "--year", "2025", db=db).returncode == 1  # nothing until confirmed
    done = kpi("plan", "import", PLAN_TEXT, "--year", "2025", "--confirm", db=db)
    assert done.returncode == 0, done.stderr
    assert "Đã lưu kế hoạch năm 2025: 27 chỉ tiêu." in done.stdout
    con = open_database(settings(db_path=db, data_dir=tmp_path / "data"))
    try:
        catalogue = load_catalogue(con, 2025)
        assert catalogue.district_unit == "UBND huyện Thanh Vân" and len(catalogue.block_units) == 8
        assert catalogue.meta["authority"] == "UBND huyện Thanh Vân"
        assert [i.key for i in catalogue.indicators][:3] == ["CT01", "CT02", "CT03"]  # the vocabulary's prefixes
    finally:
        con.close()


def test_rebuild_of_a_district_started_from_its_document_needs_no_data_folder(tmp_path, monkeypatch):
    import shutil

    from kpi.access.auth import operator
    from kpi.plans.source import confirm_plan, proposal_rows
    from kpi.rebuild import rebuild

    folder = tmp_path / "data" / "plans" / "2025"
    folder.mkdir(parents=True)
    shutil.copy(DISTRICT / "plans" / "2025" / "units.csv", folder / "units.csv")
    cfg = settings(db_path=tmp_path / "new.duckdb", data_dir=tmp_path / "data")
    con = open_database(cfg)
    document = read_plan_document(PLAN_TEXT.read_bytes(), PLAN_TEXT.name)
    proposal = propose_plan(con, 2025, document, cfg.data_dir)
    confirm_plan(
        con, 2025, proposal_rows(proposal), ACTOR, meta=proposal.meta, document=document, data_dir=cfg.data_dir
    )
    con.close()
    shutil.rmtree(tmp_path / "data")  # the folder is gone: the log entry carries the units
    monkeypatch.delenv("KPI_DATA_DIR", raising=False)
    result = rebuild(settings(db_path=cfg.db_path), operator())
    assert result.replayed == 1
    again = open_database(settings(db_path=cfg.db_path))
    try:
        catalogue = load_catalogue(again, 2025)
        assert catalogue.district_unit == "UBND huyện Thanh Vân" and len(catalogue.indicators) == 27
    finally:
        again.close()


@pytest.mark.parametrize(
    "line",
    [
        "Thu nhập bình quân đầu người đạt 65 triệu đồng",  # per head by its name: «triệu đồng/người»
        "Thu nhập bình quân đầu người: 65 triệu đồng/người",
        "Thu nhập bình quân đầu người đạt 65 triệu đồng/người/năm",
    ],
)
def test_a_per_head_income_is_in_the_catalogues_own_unit(district, line):
    """KT03 «Thu nhập bình quân đầu người» is counted in «triệu đồng»: a plan writing it per head
    is the same measure (measures.csv), not «ĐVT khác» (the tester's note on the 2025 plan)."""
    cfg, con = district
    (t,) = propose_plan(con, 2025, text_document(line), cfg.data_dir).targets
    assert (t.key, t.unit, t.target_value, t.note) == ("KT03", "triệu đồng", 65, "")


def test_a_per_head_unit_reads_a_report_in_millions(con):
    """The other way: an indicator kept «triệu đồng/người» reads a report's «Triệu đồng» as it is,
    while «Triệu đồng» stays 0,001 «tỷ đồng» for the indicators counted in billions."""
    catalogue = load_catalogue(con, 2024)
    income = replace(catalogue["CT01"], key="X1", name="Thu nhập bình quân đầu người", unit="triệu đồng/người")
    assert catalogue.measure("Triệu đồng", income) == 1
    assert catalogue.measure("tr.đ/người", income) == 1
    assert catalogue.measure("Triệu đồng", catalogue["CT01"]) == Decimal("0.001")
    assert catalogue.measure("Triệu đồng/người", catalogue["CT01"]) is None
