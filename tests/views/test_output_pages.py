"""The pages of the meeting output under AppTest: presentation mode, the print view, the
downloads the overview and the group pages offer, and what they say without a browser."""

from __future__ import annotations

import json

import pytest

from tests.support.apptest import run, texts

#: Each test's app on its own database (conftest).
pytestmark = pytest.mark.usefixtures("app_env")


def downloads(at) -> dict[str, object]:
    return {b.proto.label: b for b in at.get("download_button")}


def plain(text: str) -> str:
    """A page's text with its no-break spaces as spaces (what it says, not where it may wrap)."""
    return text.replace("\u00a0", " ")


def test_presentation_mode_shows_one_group_per_screen_with_its_footer(loaded):
    at = run("views/present.py")
    assert not at.exception
    shown = plain(texts(at))
    assert "Kế hoạch phát động phong trào thi đua yêu nước năm 2024" in shown
    assert "UBND huyện Tam Nông · Quý III/2024 – lũy kế 9 tháng · số liệu cập nhật" in shown
    assert "1/5" in shown

    at.button(key="pt_next").click().run()
    assert at.query_params["man"] == "2"
    shown = plain(texts(at))
    assert "I. Kinh tế" in [t.value.replace("\\", "") for t in at.title]
    assert "3 chỉ tiêu: 3 chậm tiến độ" in shown and "2.438,3" in shown and "tỷ đồng · KH 3.300,9 · 73,87 %" in shown
    assert "73,87\u00a0%" in texts(at)  # «%» never alone on a line (round 10)
    assert "có số liệu ước (ghi «(ước)»)" in shown  # CT03 is judged on an estimate
    (chart,) = at.get("plotly_chart")  # the group's chart with its cards (issue 14)
    # the spec is JSON: plotly escapes non-ASCII unless orjson is installed, so compare it decoded
    spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
    assert "73,87 %" in spec and "Tổng thu ngân sách nhà nước" in spec

    at.query_params["man"] = "4"
    shown = plain(texts(at.run()))
    assert "III. Môi trường" in [t.value.replace("\\", "") for t in at.title]
    assert "2 chỉ tiêu: 1 đúng tiến độ, 1 chậm tiến độ" in shown  # the words inside a sentence
    assert "số liệu ước" not in shown  # neither CT10 nor CT11 is an estimate
    assert at.button(key="pt_next").disabled is False and at.button(key="pt_prev").disabled is False

    at.query_params["man"] = "3"  # Xã hội: the half-year report's year-end estimates say so (not «Quý II»)
    shown = plain(texts(at.run()))
    assert not at.exception and "33,8 % (ước) · 97,63 % · ước cả năm, báo cáo 6 tháng" in shown
    assert "10,4 bác sỹ/vạn dân · 100,00 %" in shown and "10,4 bác sỹ/vạn dân · 100,00 % · Quý" not in shown
    assert "97,63\u00a0%" in texts(at)
    at.query_params["man"] = "5"  # the awards: counts have no quarter (and no NaN reaches the page)
    shown = texts(at.run())
    assert not at.exception and "IV. Thi đua – Khen thưởng" in [plain(t.value).replace("\\", "") for t in at.title]


def test_the_print_view_has_the_title_block_and_every_section(loaded):
    at = run("views/print.py")
    assert not at.exception
    shown = texts(at)
    for heading in ("I. KINH TẾ", "II. XÃ HỘI", "III. MÔI TRƯỜNG", "IV. THI ĐUA – KHEN THƯỞNG"):
        assert heading in shown
    assert "UBND HUYỆN TAM NÔNG" in shown and "Độc lập - Tự do - Hạnh phúc" in shown
    economic = at.table[0].value
    assert list(economic.columns) == [
        "STT",
        "Chỉ tiêu",
        "ĐVT",
        "Kế hoạch năm",
        "Thực hiện kỳ",
        "Lũy kế",
        "% so KH",
        "Ước cả năm",
        "Đánh giá",
    ]
    first = [str(v).replace("\\", "") for v in economic.iloc[0]]
    assert first == [
        "1",
        "Tổng vốn đầu tư toàn xã hội",
        "tỷ đồng",
        "3.300,9",
        "1.012,3",
        "2.438,3",
        "73,87",
        "",  # the six-month report's 3.350,0 is older than Quý III's 2.438,3: named under the table
        "Chậm tiến độ",
    ]
    assert "Tổng vốn đầu tư toàn xã hội (ước 3.350,0 tỷ đồng, báo cáo 6 tháng)" in shown
    assert len(at.get("image")) == 4  # the four group charts, drawn on the server


def test_the_overview_offers_the_annex_the_deck_print_and_presentation(loaded):
    at = run("views/overview.py")
    buttons = downloads(at)
    assert buttons["Tải phụ lục (.xlsx)"].proto.disabled is False
    assert buttons["Tải bài trình chiếu (.pptx)"].proto.disabled is False
    assert buttons["Tải dự thảo báo cáo (.docx)"].proto.disabled is False  # issue 19: needs no browser
    shown = texts(at)
    assert "Bản in (A4 ngang)" in shown and "Chế độ trình chiếu" in shown


def test_each_chart_of_a_group_page_has_its_png_and_the_page_a_zip(loaded):
    at = run("views/economic.py")
    labels = [b.proto.label for b in at.get("download_button")]
    # the group chart, CT01 and CT02; CT03 has no in-year figure: one line of text, no chart
    assert labels == ["Tải mọi biểu đồ của trang (PNG, .zip)"] + ["Tải ảnh PNG"] * 3


def test_without_a_browser_the_pages_say_what_to_install(loaded, monkeypatch):
    monkeypatch.setenv("KPI_CHROMIUM", "")
    at = run("views/overview.py")
    deck = downloads(at)["Tải bài trình chiếu (.pptx)"]
    assert deck.proto.disabled is True and "chưa có trình duyệt Chromium" in deck.proto.help
    assert downloads(at)["Tải phụ lục (.xlsx)"].proto.disabled is False  # the annex needs no browser
    group = run("views/economic.py")
    assert not group.get("download_button")
    assert "Ảnh PNG: Máy chủ chưa có trình duyệt Chromium" in texts(group)


def test_a_cards_percentages_never_break_before_the_percent_sign(loaded):
    """Issue 14, seen at 1366 px (four cards a row): "Kế hoạch: 87,84 % · 99,73 %" wrapped with
    the "%" alone on the next line. The space before each "%" of a card's plan line is a no-break one."""
    from appkit.loaders import overview_cards

    cards = {c.split("**")[1]: c for _group, group_cards in overview_cards(loaded, 1, 2024, None) for c in group_cards}
    plan_line = cards["Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung"].split("\n\n")[2]
    assert plan_line.startswith("Kế hoạch: 87,84\u00a0% · 99,73\u00a0%"), plan_line
    assert " %" not in "".join(cards.values())


@pytest.mark.parametrize("year_end", [False, True], ids=["q3", "year-end"])
def test_status_counts_are_written_in_the_order_of_the_statuses_everywhere(loaded, cfg, year_end):
    """Black-box finding: presentation mode's first screen said «II. Xã hội — 7 chậm tiến độ, 2 đúng
    tiến độ» (most first) and the group's own screen «9 chỉ tiêu: 2 đúng tiến độ, 7 chậm tiến độ»; at
    year end «1 vượt, 1 không đạt, 1 đạt» beside «1 vượt, 1 đạt, 1 không đạt». Every count of
    statuses — the first screen's line per group, each group's screen, the command line's total —
    follows :data:`kpi.domain.rules.STATUSES` (vượt, đạt, không đạt, đúng tiến độ, chậm tiến độ …)."""
    from kpi.domain.rules import STATUSES
    from kpi.output.annex import SECTIONS
    from kpi.reporting.attainment_report import attainment_report
    from kpi.words import GROUP_LABELS, STATUS_IN_SENTENCE
    from tests.support.cli import kpi

    if year_end:
        from tests.output.test_report_draft import _fourth_quarter

        _fourth_quarter(loaded, cfg)
    table = attainment_report(loaded, 2024).table

    def said(statuses) -> str:
        counts = list(statuses)
        return ", ".join(f"{counts.count(s)} {STATUS_IN_SENTENCE[s]}" for s in STATUSES if s in counts)

    economic = said(table.loc[table["group"] == "economic", "status"])
    assert economic == ("1 vượt, 1 đạt, 1 không đạt" if year_end else "3 chậm tiến độ")
    if not year_end:
        assert said(table.loc[table["group"] == "social", "status"]) == "2 đúng tiến độ, 7 chậm tiến độ"
    loaded.close()  # the command line opens the file itself
    out = kpi("report", "--year", "2024", db=cfg.db_path, check=True).stdout
    assert out.splitlines()[-1] == f"{len(table)} chỉ tiêu: {said(table['status'])}"
    at = run("views/present.py")
    cover = plain(texts(at))
    groups = [g for g in GROUP_LABELS if (table["group"] == g).any()]
    for screen, group in enumerate(groups, start=2):
        words = said(table.loc[table["group"] == group, "status"])
        assert f"**{SECTIONS[group]}. {GROUP_LABELS[group]}** — {words}" in cover, (group, cover)
        at.query_params["man"] = str(screen)
        count = (table["group"] == group).sum()
        assert f"{count} chỉ tiêu: {words}" in plain(texts(at.run())), group


def test_the_award_screens_name_the_awards_year_and_estimates_only_where_shown(loaded):
    """Black-box finding: the Thi đua – Khen thưởng page's caption read «Kỳ: Quý III/2024 – lũy kế 9
    tháng · … · có số liệu ước (ghi «(ước)»)» though awards are counted by the year of achievement
    and no figure on the page is an estimate; the print view's award chart said the quarter's span
    too. The award page, its presentation screen and the group's chart name «Năm 2024 (khen thưởng
    theo năm thành tích; …)»; a page says «có số liệu ước» only when one of its figures is one."""
    from kpi.output.export import group_figure
    from kpi.reporting.attainment_report import attainment_report

    period = "Năm 2024 (khen thưởng theo năm thành tích; đăng ký thi đua: Quý III/2024)"
    at = run("views/awards.py")
    assert not at.exception
    (caption,) = [c.value for c in at.caption if c.value.startswith("Kỳ: ")]
    assert caption.startswith(f"Kỳ: {period} · số liệu cập nhật ") and "ước" not in caption
    # the group pages: Kinh tế judges CT03 on an estimate, Môi trường nothing
    for page, estimates in (("views/economic.py", True), ("views/environment.py", False)):
        (caption,) = [c.value for c in run(page).caption if c.value.startswith("Kỳ: ")]
        assert caption.startswith("Kỳ: Quý III/2024 – lũy kế 9 tháng · ") and ("có số liệu ước" in caption) == estimates

    # the chart the print view draws as PNG (appkit.load_group_pngs → group_figure), and the others
    report = attainment_report(loaded, 2024, 3)
    assert group_figure(report, "awards").layout.title.subtitle.text.startswith(period + " · ")
    assert group_figure(report, "social").layout.title.subtitle.text.startswith("Quý III/2024 – lũy kế 9 tháng")

    present = run("views/present.py")
    present.query_params["man"] = "5"
    shown = plain(texts(present.run()))
    assert f"UBND huyện Tam Nông · {period} · số liệu cập nhật" in shown and "Quý III/2024 – lũy kế" not in shown


def test_presentation_mode_keeps_its_phrases_whole_when_a_line_wraps(loaded):
    """Black-box on a 390-px phone (round 10): «Quý III/2024» broke as «Quý / III/2024» under the
    opening screen's title, a group's line inside its status word («…1 đúng tiến / độ»); on the
    projector the footer's last item «(ghi «(ước)»)» went to a second line alone. Every line of the
    screen is written through :func:`kpi.words.keep_phrases`: no-break spaces inside a period's
    name, a status word, a number with its unit or «%», and the footer's short items whole."""
    at = run("views/present.py")
    shown = texts(at)
    assert "Kết quả thực hiện các chỉ tiêu\u00a0— Quý\u00a0III/2024\u00a0– lũy kế 9\u00a0tháng" in shown
    assert "2\u00a0đúng\u00a0tiến\u00a0độ, 7\u00a0chậm\u00a0tiến\u00a0độ" in shown  # Xã hội's line of the cover
    assert " · có\u00a0số\u00a0liệu\u00a0ước\u00a0(ghi\u00a0«(ước)»)" in shown  # the footer's last item whole
    at.query_params["man"] = "5"
    shown = texts(at.run())
    assert "9\u00a0chỉ tiêu: 2\u00a0vượt, 6\u00a0đạt, 1\u00a0đúng\u00a0tiến\u00a0độ" in shown
    assert "2\u00a0tập thể, cá nhân · 100,00\u00a0%" in shown  # a card's figure with its unit and «%»
