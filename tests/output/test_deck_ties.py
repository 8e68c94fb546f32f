"""The highest and lowest lines of a group slide when several indicators stand at the same % of
plan (blind tester: «Thấp nhất: Tỷ lệ cơ quan, đơn vị đăng ký thi đua — 100,0 %» while six others
also stood at 100 %)."""

from __future__ import annotations

import io

from pptx import Presentation

from kpi.output.annex import annex_rows
from kpi.output.deck import write_deck
from kpi.reporting.attainment_report import attainment_report
from kpi.vn import format_pct


def test_indicators_tied_at_the_lowest_are_said_together(loaded, cfg):
    from tests.output.test_report_draft import _fourth_quarter

    _fourth_quarter(loaded, cfg)
    report = attainment_report(loaded, 2024, 4)
    rows = annex_rows(loaded, report)
    deck = Presentation(io.BytesIO(write_deck(loaded, 2024, 4)))
    (box,) = [s for s in deck.slides[4].shapes if s.has_text_frame and " chỉ tiêu: " in s.text_frame.text]
    lines = [p.text for p in box.text_frame.paragraphs]
    judged = rows[(rows["group"] == report.table.loc[report.table["key"] == "TD01", "group"].iloc[0])]
    judged = judged[judged["attainment_pct"].notna()]
    shown = judged["attainment_pct"].map(format_pct)
    tied = judged[shown == format_pct(judged["attainment_pct"].min())]
    assert len(tied) == 7  # the year-end samples: seven indicators of Thi đua at 100 % of plan
    lowest = lines[-1]
    assert lowest.startswith("Thấp nhất: 7 chỉ tiêu cùng 100,00\u00a0% KH: "), lines
    named = lowest.split(" KH: ", 1)[1]
    assert sum(name[:20] in named for name in tied["name"]) >= 2, lowest  # a few of them, cut when long
    assert not any(name in named for name in judged.loc[~judged.index.isin(tied.index), "name"])
    assert lines[-2].startswith("Cao nhất: ") and " — " in lines[-2]  # the one highest as before
