"""Who may withdraw which upload (issue 16, finding 12): an editor only their own, an admin any; a
refusal leaves its audit row, and the data page offers the button only where the rule allows."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi.access.auth import add_user
from kpi.errors import PermissionDenied
from kpi.ingest import ingest
from kpi.submissions import withdraw_submission
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR, SAMPLE_FILES, sample_bytes


@pytest.fixture
def office(con, cfg):
    """Two editors and an admin; editor "an" uploaded the Q1 report (#1)."""
    add_user(con, ACTOR, "quantri", "admin", "mat-khau-quan-tri")
    add_user(con, ACTOR, "an", "editor", "mat-khau-cua-an")
    add_user(con, ACTOR, "binh", "editor", "mat-khau-cua-binh")
    ingest(con, sample_bytes("q1"), SAMPLE_FILES["q1"], "an", cfg=cfg)
    return con


def _denied(con) -> list[tuple]:
    return con.execute("SELECT actor, file_name, detail FROM audit_log WHERE action = 'denied'").fetchall()


def test_the_rule_an_editor_withdraws_only_their_own(office):
    from kpi.submissions import can_withdraw

    assert can_withdraw(office, "an", 1) and can_withdraw(office, "quantri", 1)
    assert not can_withdraw(office, "binh", 1)
    assert not can_withdraw(office, "khách", 1)
    assert not can_withdraw(office, "an", 999)


def test_an_editor_refused_a_withdrawal_leaves_an_audit_row(office):
    with pytest.raises(PermissionDenied):
        withdraw_submission(office, 1, "binh", reason="thử rút bản của người khác")
    assert office.execute("SELECT status FROM submissions WHERE submission_id = 1").fetchall() == [("active",)]
    [(actor, file_name, detail)] = _denied(office)
    assert actor == "binh" and file_name == SAMPLE_FILES["q1"]
    assert detail.startswith("withdraw #1") and "an" in detail


@pytest.mark.parametrize(("user", "offered"), [("an", True), ("quantri", True), ("binh", False)])
def test_the_data_page_offers_the_button_only_where_the_rule_allows(office, cfg, monkeypatch, user, offered):
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT / "views/data.py"), default_timeout=90)
    at.session_state["kpi_user"] = user
    at.run()
    assert not at.exception
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert labels == (["Rút lần tải này"] if offered else [])
    st.cache_resource.clear()
