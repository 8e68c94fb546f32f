"""«Mới nhất có số liệu» is the latest period with figures of the subject the page shows: a
commune's six-month report does not move the district's period (black-box round 8, finding 6:
the overview's header read «Quý II/2024 – lũy kế 6 tháng» over cards of Quý I/2024)."""

from __future__ import annotations

import json

import pytest

from kpi.reporting.attainment_report import attainment_report, indicator_series
from kpi.storage.figures import as_of_quarter
from tests.support.apptest import run, texts
from tests.support.cli import kpi
from tests.support.communes import send_commune_reports
from tests.support.samples import load


@pytest.fixture
def q1_and_a_commune_h1(con, cfg):
    """The district's Q1 report (the sample), then Xã Hiền Quan's own six-month report (CT08 93,2 %)."""
    load(con, cfg, "q1")
    send_commune_reports(con, cfg, ("Xã Hiền Quan", 2, 93.2))
    return con


def test_the_district_keeps_its_own_latest_quarter(q1_and_a_commune_h1):
    con = q1_and_a_commune_h1
    assert as_of_quarter(con, 2024) == 1
    assert as_of_quarter(con, 2024, "Xã Hiền Quan") == 2  # the commune's own: its six months
    district = attainment_report(con, 2024)
    assert (district.as_of, district.period_text) == (1, "Quý I/2024 – lũy kế 3 tháng")
    ct08 = district.table.set_index("key").loc["CT08"]
    assert ct08["period"] == "2024-Q1"  # the district's Q1 figure, of the period the header names
    commune = attainment_report(con, 2024, subject="Xã Hiền Quan")
    assert commune.as_of == 2
    assert commune.table.set_index("key").loc["CT08", "actual"] == 93.2
    # a chart's path stops at the district's quarter, not at the commune's
    assert indicator_series(con, 2024, "CT01")["value"].notna().tolist() == [True, False, False, False]


def test_the_overview_header_and_cards_name_the_same_quarter(q1_and_a_commune_h1, app_env):
    q1_and_a_commune_h1.close()
    at = run("views/overview.py")
    assert not at.exception
    shown = texts(at)
    header = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Kỳ: Quý I/2024" in header and "Quý II" not in header
    cards = " ".join(m.value for m in at.markdown if "Kế hoạch:" in m.value).replace("\\", "")
    assert "Quý I/2024" in cards and "Quý II/2024" not in cards
    assert "6 tháng" not in header and "lũy kế 6 tháng" not in shown


def test_the_group_page_and_the_print_view_take_the_districts_quarter(q1_and_a_commune_h1, app_env):
    q1_and_a_commune_h1.close()
    for page in ("views/economic.py", "views/social.py", "views/print.py"):
        at = run(page)
        assert not at.exception, page
        shown = texts(at)
        assert "Quý I/2024" in shown and "Quý II/2024" not in shown, page


def test_the_command_line_report_takes_the_subjects_own_quarter(q1_and_a_commune_h1, cfg):
    q1_and_a_commune_h1.close()
    out = kpi("report", "--year", "2024", db=cfg.db_path, check=True)
    assert "Quý I/2024" in out.stdout.splitlines()[0] and "Quý II" not in out.stdout
    unit = kpi("report", "--year", "2024", "--unit", "Xã Hiền Quan", "--format", "json", db=cfg.db_path, check=True)
    ct08 = {r["key"]: r for r in json.loads(unit.stdout)}["CT08"]
    assert (ct08["actual"], ct08["period"]) == (93.2, "2024-Q2")
