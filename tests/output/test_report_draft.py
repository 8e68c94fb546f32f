"""The draft report (.docx) written from the figures (issue 19): its sentences with the samples'
figures, every figure equal to the JSON report, the year end in the past tense, the words as data,
the page as Nghị định 30/2020 lays it out, and LibreOffice's rendering of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm

from kpi.domain.plan import Indicator
from kpi.domain.rules import progress_target
from kpi.ingest import ingest
from kpi.output.report_draft import PHRASES_FILE, indicator_sentence, load_phrases, write_draft
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report, report_json
from kpi.vn import parse_number
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

TODAY = dt.date(2024, 10, 15)

# ------------------------------------------------------------------------------------------------
# helpers


def _doc(data: bytes):
    return Document(io.BytesIO(data))


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ")


def body(doc) -> list[str]:
    """Every paragraph's text: the body, then the cells of every table (heading, signature, annex)."""
    out = [_clean(p.text) for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [_clean(p.text) for p in cell.paragraphs]
    return out


def text_of(doc) -> str:
    return "\n".join(body(doc))


_NUMBER = re.compile(r"(?<![\d/.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d/])|(?<![\d/.,])\d+(?:,\d+)?(?![\d/.])")
_DECISION = re.compile(r"Quyết định số \S+ ngày \d{2}/\d{2}/\d{4}")


def numbers(text: str) -> list[Decimal]:
    """Every figure of a sentence read the Vietnamese way (kpi.vn.parse_number), decisions left out."""
    return [parse_number(m).value for m in _NUMBER.findall(_DECISION.sub("", text))]


def paragraph_of(doc, name: str) -> str:
    hits = [p for p in body(doc) if p.startswith(name) or p.startswith(f"- {name}")]
    assert hits, name
    return hits[0]


@pytest.fixture
def q3(loaded):
    return _doc(write_draft(loaded, 2024, 3, today=TODAY))


# ------------------------------------------------------------------------------------------------
# Q3 2024 with the five samples


def test_the_q3_draft_holds_the_issues_sentences_with_the_samples_figures(q3):
    text = text_of(q3)
    for sentence in [
        "Trong 23 chỉ tiêu: 2 vượt, 6 đạt, 4 đúng tiến độ, 11 chậm tiến độ.",
        "Tổng vốn đầu tư toàn xã hội 9 tháng đạt 2.438,3 tỷ đồng, bằng 73,87 % kế hoạch năm, thấp hơn tiến độ "
        "kế hoạch đến hết quý III (2.475,7 tỷ đồng).",
        "Tỷ lệ hộ nghèo cả năm ước còn 0,18 %, cao hơn mục tiêu 0,17 %.",  # an estimate, a ceiling
        "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện: kế hoạch 45 đến 55 cá nhân, đạt 52 (Quyết định số "
        "1985/QĐ-UBND ngày 27/12/2024), trong khoảng kế hoạch.",
        "Số tập thể được Chủ tịch UBND tỉnh tặng Bằng khen: 6 tập thể (Quyết định số 247/QĐ-UBND ngày 24/01/2025), "
        "vượt kế hoạch (5 tập thể), đạt 120,00 % kế hoạch.",
        "Có 30/30 cơ quan, đơn vị đăng ký thi đua, đạt 100,0 %.",
        "Tất cả cơ quan, đơn vị trong các khối thi đua đã đăng ký.",
        # the heading block, from the plan's data
        "UBND TỈNH PHÚ THỌ",
        "UBND HUYỆN TAM NÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tam Nông, ngày      tháng      năm 2024",  # the day and month left for the signer
        "BÁO CÁO",
        "Kết quả thực hiện các chỉ tiêu thi đua Quý III/2024",
        # behind: the gap to the pro-rata target
        "II. NHỮNG CHỈ TIÊU CHẬM TIẾN ĐỘ",
        "- Tổng vốn đầu tư toàn xã hội 9 tháng đạt 2.438,3 tỷ đồng, thấp hơn tiến độ kế hoạch đến hết quý III "
        "(2.475,7 tỷ đồng) 37,4 tỷ đồng.",
        # recipients and signer, from plan.toml
        "Nơi nhận:",
        "- Ban TĐKT tỉnh (B/c);",
        "- Lưu: VT, NV.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Quách Hải Lý",
        "PHỤ LỤC",
    ]:
        assert sentence in text, sentence
    assert re.search(r"^Số: +/BC-UBND$", text, re.M)  # the number left for the clerk
    groups = [p for p in q3.paragraphs if re.match(r"\d\. ", p.text)]
    assert [p.text for p in groups] == ["1. Kinh tế", "2. Xã hội", "3. Môi trường", "4. Thi đua – Khen thưởng"]


def test_every_figure_in_the_text_equals_the_json_report(loaded, q3):
    """The JSON of ``python -m kpi report --format json`` (kpi.reporting.attainment_report.report_json); every figure of
    an indicator's sentence is its figure, its percentage, its target (or band), its progress target
    or the gap to one of them, read back the Vietnamese way."""
    report = attainment_report(loaded, 2024, 3)
    records = json.loads(report_json(report))
    checked = 0
    for r in records:
        ind = report.catalogue[r["key"]]
        if ind.counted_from == "registrations":
            line = next(p for p in body(q3) if "đăng ký thi đua, đạt" in p)
            assert re.search(r"Có (\d+)/(\d+) cơ quan", line).groups() == ("30", "30")
            assert numbers(line) == [Decimal(str(r["actual"]))]
            continue
        line = paragraph_of(q3, r["name"])
        # "… trên 1 ha …" is part of a name, "9 tháng" the period
        found = numbers(re.sub(r"\b\d+ tháng\b", "", line.replace(r["name"], "")))
        actual = Decimal(str(r["actual"]))
        pct = Decimal(str(r["attainment_pct"]))
        targets = [Decimal(str(t)) for t in (r["target"] if isinstance(r["target"], list) else [r["target"]])]
        progress = progress_target(ind, 3)
        allowed = {actual, pct, *targets, progress, abs(progress - actual), abs(ind.threshold - actual)}
        assert actual in found, line
        assert set(found) <= allowed, (line, found, allowed)
        if ind.direction == ">=" and not (ind.over_year == "count" and r["status"] == "met"):
            assert pct in found, line  # "bằng 73,87 % kế hoạch năm", "đạt 120,00 % kế hoạch"
        checked += 1
    assert checked == 22
    # the summary counts the JSON's statuses
    summary = next(p for p in body(q3) if p.startswith("Trong 23 chỉ tiêu"))
    words = load_phrases()["summary"]
    said = dict((w, int(n)) for n, w in re.findall(r"(\d+) ([^,.]+)", summary.split(": ", 1)[1]))
    assert said == {words[s]: n for s, n in Counter(r["status"] for r in records).items()}
    # the annex: column "Lũy kế" and "% so KH" of each row are the JSON's actual and percentage
    annex = q3.tables[-1]
    rows = [[_clean(c.text) for c in row.cells] for row in annex.rows[2:]]
    rows = [row for row in rows if row[0].isdigit()]
    assert len(rows) == 23
    for row, r in zip(rows, records, strict=True):
        assert row[1] == r["name"]
        # a figure judged on the year-end estimate alone is the «Ước cả năm» column's, «Lũy kế» empty
        judged = row[7] if r["kind"] == "year_estimate" else row[5]
        assert row[5] == "" or r["kind"] != "year_estimate"
        assert parse_number(judged.replace("(ước)", "").strip()).value == Decimal(str(r["actual"]))
        assert parse_number(row[6]).value == Decimal(str(r["attainment_pct"]))


def _health_insurance_line(con) -> str:
    doc = _doc(write_draft(con, 2024, 3, today=TODAY))
    return next(p for p in body(doc) if p.startswith("- Tỷ lệ dân số tham gia bảo hiểm y tế"))


def test_the_units_furthest_behind_are_named_where_units_report_their_own(loaded, cfg):
    from tests.support.communes import send_commune_reports
    from tests.support.ledger import FOURTH

    _prep, committed = ingest(loaded, FOURTH.read_bytes(), FOURTH.name, ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    send_commune_reports(loaded, cfg, ("Xã Lam Sơn", 2, 94.0))
    # two communes' figures of the second quarter, none of the third: both under the plan's 94,5 %
    assert _health_insurance_line(loaded).endswith(
        "Đơn vị có số liệu thấp nhất: Xã Hiền Quan (93,6 %, số liệu quý II), Xã Lam Sơn (94,0 %, số liệu quý II)."
    )


def test_no_unit_is_lowest_without_another_of_the_same_quarter_to_compare(loaded, cfg):
    # black-box: «Đơn vị có số liệu thấp nhất: Xã Hiền Quan (93,2 %)» when it alone sent that quarter
    from tests.support.communes import send_commune_reports

    send_commune_reports(loaded, cfg, ("Xã Hiền Quan", 3, 93.2))
    assert "Đơn vị có số liệu" not in _health_insurance_line(loaded)
    send_commune_reports(loaded, cfg, ("Xã Lam Sơn", 2, 92.0))  # lower, but of another quarter: not alike
    assert "Đơn vị có số liệu" not in _health_insurance_line(loaded)
    send_commune_reports(loaded, cfg, ("Xã Dân Quyền", 3, 95.0))  # a second figure of the third quarter
    assert _health_insurance_line(loaded).endswith("Đơn vị có số liệu thấp nhất: Xã Hiền Quan (93,2 %).")


# ------------------------------------------------------------------------------------------------
# Year end


def _fourth_quarter(con, cfg, **figures):
    """A year-end report of the district: every indicator read from reports, final figures, with
    last year's figures for some; ``figures`` replace a row's figure by its STT (``n3=126.79``)."""
    rows = [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024", "TH cùng kỳ"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3350, 3000],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, None],
        [3, "Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản", "Triệu đồng/ha", 125.5, None],
        [4, "Tỷ trọng lao động nông nghiệp trong tổng lao động xã hội", "%", 33, None],
        [5, "Tỷ lệ lao động đang làm việc đã qua đào tạo và truyền nghề", "%", 73, None],
        [6, "Tỷ lệ lao động đã qua đào tạo có bằng cấp, chứng chỉ", "%", 28.62, None],
        [7, "Tỷ lệ hộ nghèo", "%", 0.16, 0.2],
        [8, "Tỷ lệ hộ cận nghèo", "%", 0.25, None],
        [9, "Số bác sỹ/1 vạn dân", "Bác sỹ/vạn dân", 10.4, None],
        [10, "Số giường bệnh/1 vạn dân", "Giường bệnh/vạn dân", 53.4, None],
        [11, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.1, 93.5],
        [12, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu", "Khu", 20, 17],
        [13, "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung", "%", 88, None],
        [14, "Tỷ lệ dân cư nông thôn, thành thị được sử dụng nước sạch, nước hợp vệ sinh", "%", 100, None],
    ]
    for row in rows[3:]:
        row[3] = figures.get(f"n{row[0]}", row[3])
    prep, committed = ingest(con, xlsx(rows), "bao-cao-nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    assert not prep.refused, [i.text() for i in prep.errors]
    assert (prep.year, prep.quarter, committed.status) == (2024, 4, "active")


def test_a_year_end_draft_reads_in_the_past_tense_with_the_final_words(loaded, cfg):
    _fourth_quarter(loaded, cfg)
    doc = _doc(write_draft(loaded, 2024, 4, today=dt.date(2025, 1, 10)))
    text = text_of(doc)
    for sentence in [
        "Kết quả thực hiện các chỉ tiêu thi đua năm 2024",
        "Tổng vốn đầu tư toàn xã hội năm 2024 đã đạt 3.350,0 tỷ đồng, bằng 101,49 % kế hoạch (3.300,9 tỷ đồng), vượt "
        "kế hoạch, tăng 11,7 % so với cùng kỳ.",
        "Tổng thu ngân sách nhà nước năm 2024 đã đạt 805,0 tỷ đồng, bằng kế hoạch (805 tỷ đồng), hoàn thành kế hoạch.",
        "Tỷ lệ hộ nghèo năm 2024 đã giảm còn 0,16 %, thấp hơn mục tiêu 0,17 %, vượt kế hoạch, giảm 0,04 điểm phần "
        "trăm so với cùng kỳ.",
        "Tỷ lệ hộ cận nghèo năm 2024 còn 0,25 %, cao hơn mục tiêu 0,22 %, không đạt kế hoạch.",
        "Tỷ lệ dân số tham gia bảo hiểm y tế năm 2024 chỉ đạt 94,1 %, bằng 99,58 % kế hoạch (94,5 %), không đạt kế "
        "hoạch, tăng 0,6 điểm phần trăm so với cùng kỳ.",
        "II. NHỮNG CHỈ TIÊU KHÔNG ĐẠT KẾ HOẠCH",
        "Tam Nông, ngày      tháng      năm 2025",  # a year-end report, written in January: signed in 2025
    ]:
        assert sentence in text, sentence
    start = text.index("1. Kinh tế")
    results = text[start : text.index("4. Thi đua")]
    assert "tiến độ" not in results and not re.search(r"\bước\b", results)  # every figure is final
    assert "Trong 23 chỉ tiêu: " in text and "chậm tiến độ" not in text.split("II.")[0]


@pytest.mark.parametrize(
    ("year", "quarter", "written", "dated", "attached"),
    [
        (2024, 3, dt.date(2024, 10, 15), "Tam Nông, ngày      tháng      năm 2024", "/     /2024 của"),
        (2024, 4, dt.date(2025, 1, 31), "Tam Nông, ngày      tháng      năm 2025", "/     /2025 của"),
        (2024, 3, dt.date(2026, 12, 8), "Tam Nông, ngày      tháng      năm 20…", "/     /20… của"),
        (2024, 4, dt.date(2025, 2, 1), "Tam Nông, ngày      tháng      năm 20…", "/     /20… của"),
    ],
)
def test_a_draft_leaves_its_signing_date_to_the_signer(loaded, year, quarter, written, dated, attached):
    """Black-box: a draft of 2024 made in 2026 was dated «ngày 08 tháng 12 năm 2026» by the machine's
    clock. A draft (dự thảo) is dated when signed: the place (the plan's), the day and month blank, the
    year only while the draft is written in the report's year or the next January."""
    text = text_of(_doc(write_draft(loaded, year, quarter, today=written)))
    lines = text.splitlines()
    assert dated in lines
    assert not [line for line in lines if re.search(r"ngày \d", line) and "Tam Nông" in line]
    [annex] = [line for line in lines if line.startswith("(Kèm theo Báo cáo số")]
    assert attached in annex
    if written.year > 2025:
        assert str(written.year) not in text and "08 tháng 12" not in text


def test_a_year_end_draft_tells_figures_not_met_from_those_without_a_year_figure(loaded, cfg):
    """Black-box (December 2026): after a year report of a few indicators, the draft's «II. NHỮNG CHỈ
    TIÊU KHÔNG ĐẠT KẾ HOẠCH» listed nine indicators the pages call «Chậm tiến độ» (their latest figure
    is of Quý III), and «Số bác sỹ/1 vạn dân đạt 10,4 …, đúng tiến độ» read as the year's figure.
    Part II now lists those not met, then those without a year figure still behind, each under its
    words; a figure of another quarter than the report's says which."""
    rows = [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024"],
        [],
        ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024"],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3350],
        [2, "Tỷ lệ hộ cận nghèo", "%", 0.25],
    ]
    prep, committed = ingest(loaded, xlsx(rows), "nam-2024-mot-phan.xlsx", ACTOR, ImportOptions(), cfg)
    assert (prep.quarter, committed.status) == (4, "active")
    text = text_of(_doc(write_draft(loaded, 2024, 4, today=dt.date(2025, 1, 10))))
    assert "Số bác sỹ/1 vạn dân đạt 10,4 bác sỹ/vạn dân (số liệu Quý III/2024), bằng 100,00 %" in text
    part = text[text.index("II. NHỮNG CHỈ TIÊU KHÔNG ĐẠT KẾ HOẠCH, CHẬM TIẾN ĐỘ") : text.index("Trên đây")]
    not_met, behind = part.split("Các chỉ tiêu chưa có số liệu cả năm, theo số liệu mới nhất còn chậm tiến độ:")
    assert "Các chỉ tiêu không đạt kế hoạch:" in not_met and "Tỷ lệ hộ cận nghèo năm 2024" not in not_met
    assert "- Tỷ lệ hộ cận nghèo" in not_met and "bảo hiểm y tế" not in not_met
    # 94,1 % of Quý III (plan 94,5 %): behind, not «không đạt», and of which quarter it is said
    assert "- Tỷ lệ dân số tham gia bảo hiểm y tế đạt 94,1 % (số liệu Quý III/2024), thấp hơn mục tiêu" in behind


# ------------------------------------------------------------------------------------------------
# The words are data


def test_the_template_file_changes_a_sentence_without_code(loaded, tmp_path):
    changed = PHRASES_FILE.read_text(encoding="utf-8").replace(
        'flow_higher_behind = "{name} {span} {verb} {actual}, bằng {pct} kế hoạch năm, thấp hơn tiến độ kế hoạch đến '
        'hết {until} ({progress})."',
        'flow_higher_behind = "Lũy kế {span}, {name} {verb} {actual} ({pct} kế hoạch năm); tiến độ đến hết {until} '
        'là {progress}."',
    )
    assert changed != PHRASES_FILE.read_text(encoding="utf-8")
    path = tmp_path / "report_draft.toml"
    path.write_text(changed, encoding="utf-8")
    text = text_of(_doc(write_draft(loaded, 2024, 3, today=TODAY, phrases=path)))
    assert (
        "Lũy kế 9 tháng, Tổng vốn đầu tư toàn xã hội đạt 2.438,3 tỷ đồng (73,87 % kế hoạch năm); tiến độ đến hết "
        "quý III là 2.475,7 tỷ đồng." in text
    )
    assert "thấp hơn tiến độ kế hoạch đến hết quý III (2.475,7 tỷ đồng)." not in text


# ------------------------------------------------------------------------------------------------
# The page


def _within(length, lo_mm: float, hi_mm: float) -> bool:
    return Mm(lo_mm) - Mm(0.1) <= length <= Mm(hi_mm) + Mm(0.1)  # Word stores twips: 210 mm is 11906 twips


def test_the_docx_says_vietnamese_and_its_own_date(q3):
    """Word spell-checks by the document's default language; python-docx's template says en-US,
    2013 and "python-docx" (found by a reviewer of the draft)."""
    from docx.oxml.ns import qn

    lang = q3.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}").find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "vi-VN"
    props = q3.core_properties
    assert props.created.date() == TODAY and props.language == "vi-VN"
    assert "python-docx" not in f"{props.author} {props.last_modified_by} {props.comments}"


def test_page_size_margins_fonts_and_headers_in_the_docx(q3):
    sections = q3.sections
    assert len(sections) == 2
    first, annex = sections
    assert _within(first.page_width, 210, 210) and _within(first.page_height, 297, 297)  # A4 portrait
    assert _within(annex.page_width, 297, 297) and _within(annex.page_height, 210, 210)  # A4 landscape
    assert annex.orientation == 1  # WD_ORIENT.LANDSCAPE
    for section in sections:  # Nghị định 30/2020: top/bottom 20–25, left 30–35, right 15–20 mm
        assert _within(section.top_margin, 20, 25) and _within(section.bottom_margin, 20, 25)
        assert _within(section.left_margin, 30, 35) and _within(section.right_margin, 15, 20)
    normal = q3.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    runs = [r for p in q3.paragraphs for r in p.runs]
    runs += [r for t in q3.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} <= {None, "Times New Roman"}
    # the page number in the top margin, centred, not on the first page; "DỰ THẢO" on every page
    assert first.different_first_page_header_footer is True
    assert (
        "PAGE" not in first.first_page_header._element.xml and "DỰ THẢO" in first.first_page_header.paragraphs[0].text
    )
    for section in sections:
        header = section.header._element.xml
        assert "PAGE" in header and "DỰ THẢO" in section.header.paragraphs[0].text
        stops = section.header.paragraphs[0].paragraph_format.tab_stops
        width = section.page_width - section.left_margin - section.right_margin
        assert abs(stops[0].position - width / 2) < Mm(1) and stops[0].alignment == WD_TAB_ALIGNMENT.CENTER


# words the plan itself abbreviates, Roman numerals and the units of measure
_ABBREVIATIONS = {
    "TM",
    "UBND",
    "BC",
    "QĐ",
    "TTg",
    "TĐKT",
    "HU",
    "HĐND",
    "PCT",
    "HĐTĐKT",
    "VT",
    "NV",
    "STT",
    "ĐVT",
    "KH",
}
_ABBREVIATIONS |= {"I", "II", "III", "IV", "B/c"}
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|oai|oay|uay|ieu|yeu|uou|ai|ao|au|ay|eo|ia|iu|oa|oe|oi|ua|ui|uy|uo|ie|a|e|i|o|u|y)(ch|ng|nh|[cmnpt])?$",
    re.I,
)
_ENGLISH = {"none", "nan", "null", "the", "and", "of", "to", "on", "track", "behind", "met", "not", "true", "false"}


def _foreign(text: str) -> list[str]:
    """Words that are neither Vietnamese syllables nor the plan's abbreviations."""
    out = []
    for word in re.findall(r"[^\W\d_]+(?:/[^\W\d_]+)?", text):
        if word in _ABBREVIATIONS or word.lower() in {"sỹ"}:
            continue
        if word.lower() in _ENGLISH:
            out.append(word)
        elif word.isascii() and not _SYLLABLE.match(word):
            out.append(word)
    return out


@pytest.mark.parametrize("quarter", [1, 2, 3])
def test_no_paragraph_holds_none_nan_a_decimal_point_or_a_foreign_word(loaded, quarter):
    doc = _doc(write_draft(loaded, 2024, quarter, today=TODAY))
    paragraphs = [p for p in body(doc) if p]
    assert len(paragraphs) > 60
    for p in paragraphs:
        assert "None" not in p and not re.search(r"\bnan\b", p, re.I), p
        assert not re.search(r"\d\.\d{1,2}\b(?!\d)", p), p  # 2438.3 — "2.438,3" has three digits after "."
        assert not _foreign(p), (p, _foreign(p))
        assert "{" not in p and "}" not in p, p  # every field of the template filled


def test_the_word_check_catches_english_and_decimal_points():
    assert _foreign("Tổng vốn đầu tư status behind") == ["status", "behind"]
    assert not _foreign("Quyết định số 247/QĐ-UBND; Ban TĐKT tỉnh (B/c); bác sỹ/vạn dân")
    assert re.search(r"\d\.\d{1,2}\b(?!\d)", "đạt 2438.3 tỷ đồng")
    assert not re.search(r"\d\.\d{1,2}\b(?!\d)", "đạt 2.438,3 tỷ đồng")


# ------------------------------------------------------------------------------------------------
# The grammar of every state


def _indicator(direction: str, over_year: str, unit: str = "tỷ đồng") -> Indicator:
    if direction == "range":
        return Indicator(
            "X", "Chỉ tiêu X", unit, "awards", "range", over_year, "sum", "year-end", None, Decimal(45), Decimal(55)
        )
    target = Decimal("3300.9") if direction == ">=" else Decimal("0.17")
    decimals = 1 if direction == ">=" else 2  # as the target is written: 3.300,9; 0,17
    return Indicator(
        "X", "Chỉ tiêu X", unit, "economic", direction, over_year, "sum", "quarterly", target, decimals=decimals
    )


# direction, over_year, state, basis, kind, actual, pct, what the sentence says, what it must not say
GRAMMAR = [
    (
        ">=",
        "flow",
        "behind",
        "actual",
        "ytd",
        2438.3,
        73.87,
        [
            "9 tháng đạt 2.438,3 tỷ đồng",
            "bằng 73,87 % kế hoạch năm",
            "thấp hơn tiến độ kế hoạch đến hết quý III (2.475,7 tỷ đồng)",
        ],
        ["ước", "đã"],
    ),
    (
        ">=",
        "flow",
        "behind",
        "estimate",
        "ytd",
        2438.3,
        73.87,
        ["9 tháng ước đạt 2.438,3 tỷ đồng", "thấp hơn tiến độ"],
        ["đã"],
    ),
    (
        ">=",
        "flow",
        "on_track",
        "actual",
        "ytd",
        2500,
        75.74,
        [
            "9 tháng đạt 2.500,0 tỷ đồng",
            "bằng 75,74 % kế hoạch năm",
            "đạt tiến độ kế hoạch đến hết quý III (2.475,7 tỷ đồng)",
        ],
        ["thấp hơn"],
    ),
    (
        ">=",
        "flow",
        "exceeded",
        "actual",
        "ytd",
        3350,
        101.49,
        ["năm 2024 đã đạt 3.350,0 tỷ đồng", "bằng 101,49 % kế hoạch (3.300,9 tỷ đồng)", "vượt kế hoạch"],
        ["tiến độ", "ước"],
    ),
    (
        ">=",
        "level",
        "met",
        "actual",
        "ytd",
        3300.9,
        100,
        ["năm 2024 đã đạt 3.300,9 tỷ đồng", "bằng kế hoạch", "hoàn thành kế hoạch"],
        ["tiến độ"],
    ),
    (
        ">=",
        "level",
        "not_met",
        "actual",
        "ytd",
        3000,
        90.88,
        ["năm 2024 chỉ đạt 3.000,0 tỷ đồng", "bằng 90,88 % kế hoạch", "không đạt kế hoạch"],
        ["tiến độ", "vượt"],
    ),
    (
        ">=",
        "level",
        "behind",
        "estimate",
        "year_estimate",
        3000,
        90.88,
        ["cả năm ước đạt 3.000,0 tỷ đồng", "bằng 90,88 % kế hoạch năm", "thấp hơn mục tiêu 300,9 tỷ đồng"],
        ["đã"],
    ),
    (
        ">=",
        "level",
        "on_track",
        "actual",
        "ytd",
        3300.9,
        100,
        ["đạt 3.300,9 tỷ đồng", "đúng tiến độ"],
        ["thấp hơn", "đã"],
    ),
    (
        "<=",
        "level",
        "behind",
        "estimate",
        "year_estimate",
        0.18,
        94.44,
        ["cả năm ước còn 0,18 %", "cao hơn mục tiêu 0,17 %"],
        ["bằng", "thấp hơn", "đạt"],
    ),
    (
        "<=",
        "level",
        "on_track",
        "actual",
        "ytd",
        0.16,
        106.25,
        ["còn 0,16 %", "không cao hơn mục tiêu 0,17 %", "đúng tiến độ"],
        ["bằng", "ước"],
    ),
    (
        "<=",
        "level",
        "exceeded",
        "actual",
        "ytd",
        0.16,
        106.25,
        ["năm 2024 đã giảm còn 0,16 %", "thấp hơn mục tiêu 0,17 %", "vượt kế hoạch"],
        ["bằng", "cao hơn"],
    ),
    (
        "<=",
        "level",
        "met",
        "actual",
        "ytd",
        0.17,
        100,
        ["năm 2024 đã giảm còn 0,17 %", "bằng mục tiêu", "hoàn thành kế hoạch"],
        ["cao hơn"],
    ),
    (
        "<=",
        "level",
        "not_met",
        "actual",
        "ytd",
        0.25,
        68,
        ["năm 2024 còn 0,25 %", "cao hơn mục tiêu 0,17 %", "không đạt kế hoạch"],
        ["bằng", "đã"],
    ),
    (
        "<=",
        "flow",
        "behind",
        "actual",
        "ytd",
        0.18,
        94.44,
        ["9 tháng còn 0,18 %", "cao hơn tiến độ kế hoạch đến hết quý III"],
        ["bằng"],
    ),
    (
        "range",
        "level",
        "on_track",
        "actual",
        "ytd",
        50,
        100,
        ["đạt 50 cá nhân", "trong khoảng kế hoạch (45 đến 55 cá nhân)"],
        ["vượt"],
    ),
    (
        "range",
        "level",
        "behind",
        "actual",
        "ytd",
        40,
        88.89,
        ["đạt 40 cá nhân", "thấp hơn mức tối thiểu của kế hoạch (45 đến 55 cá nhân)"],
        ["trong khoảng"],
    ),
    (
        "range",
        "level",
        "met",
        "actual",
        "ytd",
        52,
        100,
        ["năm 2024 đạt 52 cá nhân", "trong khoảng kế hoạch", "hoàn thành kế hoạch"],
        ["tiến độ"],
    ),
    (
        "range",
        "level",
        "exceeded",
        "actual",
        "ytd",
        60,
        109.09,
        ["năm 2024 đạt 60 cá nhân", "vượt mức tối đa của kế hoạch"],
        ["tiến độ"],
    ),
    (
        "range",
        "level",
        "not_met",
        "actual",
        "ytd",
        40,
        88.89,
        ["năm 2024 chỉ đạt 40 cá nhân", "thấp hơn mức tối thiểu", "không đạt kế hoạch"],
        ["tiến độ"],
    ),
    (
        "range",
        "count",
        "met",
        "actual",
        "count",
        52,
        100,
        ["kế hoạch 45 đến 55 cá nhân, đạt 52 (QĐ)", "trong khoảng kế hoạch"],
        ["vượt"],
    ),
    (
        "range",
        "count",
        "exceeded",
        "actual",
        "count",
        60,
        109.09,
        ["kế hoạch 45 đến 55 cá nhân, đạt 60 (QĐ)", "vượt mức tối đa của kế hoạch"],
        ["trong khoảng"],
    ),
    (
        "range",
        "count",
        "not_met",
        "actual",
        "count",
        40,
        88.89,
        ["đạt 40, chưa đạt mức tối thiểu của kế hoạch"],
        ["(QĐ)"],
    ),
    (
        ">=",
        "count",
        "exceeded",
        "actual",
        "count",
        6,
        120,
        ["Chỉ tiêu X: 6 tập thể (QĐ), vượt kế hoạch (5 tập thể), đạt 120,00 % kế hoạch"],
        ["bằng"],
    ),
    (
        ">=",
        "count",
        "met",
        "actual",
        "count",
        5,
        100,
        ["Chỉ tiêu X: 5 tập thể (QĐ), đạt kế hoạch (5 tập thể)"],
        ["vượt"],
    ),
    (
        ">=",
        "count",
        "not_met",
        "actual",
        "count",
        3,
        60,
        ["Chỉ tiêu X: 3 tập thể, chưa đạt kế hoạch (5 tập thể)"],
        ["vượt"],
    ),
    (
        ">=",
        "count",
        "not_due",
        None,
        None,
        None,
        None,
        ["Chỉ tiêu X: chưa có danh sách khen thưởng, đánh giá vào cuối năm."],
        [],
    ),
    (">=", "level", "not_due", None, None, None, None, ["Chỉ tiêu X: chưa có số liệu, đánh giá vào cuối năm."], []),
    (">=", "flow", "no_data", None, None, None, None, ["Chỉ tiêu X: chưa có số liệu."], ["cuối năm"]),
]


@pytest.mark.parametrize(
    "direction,over,state,basis,kind,actual,pct,says,never",
    GRAMMAR,
    ids=[f"{g[0]}-{g[1]}-{g[2]}-{g[3]}" for g in GRAMMAR],
)
def test_the_grammar_of_every_state(direction, over, state, basis, kind, actual, pct, says, never):
    unit = {"range": "cá nhân", "<=": "%"}.get(direction, "tập thể" if over == "count" else "tỷ đồng")
    ind = _indicator(direction, over, unit)
    if over == "count" and direction == ">=":
        ind = Indicator("X", "Chỉ tiêu X", unit, "awards", ">=", "count", "sum", "year-end", Decimal(5))
    row = {"name": ind.name, "actual": actual, "attainment_pct": pct, "basis": basis, "kind": kind, "status": state}
    final = state in ("exceeded", "met", "not_met")
    text = _clean(indicator_sentence(row, ind, 4 if final else 3, 2024, load_phrases(), decisions="QĐ"))
    assert text.startswith("Chỉ tiêu X") and text.endswith(".")
    for phrase in says:
        assert phrase in text, (phrase, text)
    for phrase in never:
        assert phrase not in text, (phrase, text)
    assert "  " not in text and " ," not in text


@pytest.mark.parametrize(
    "unit,decimals,actual,last_year,says",
    [
        ("tỷ đồng", 1, 3368.7, 3000, "tăng 12,3 % so với cùng kỳ"),
        ("tỷ đồng", 1, 2700, 3000, "giảm 10,0 % so với cùng kỳ"),  # a growth rate: one decimal
        ("tỷ đồng", 1, 3000, 3000, "bằng cùng kỳ"),
        ("%", 1, 94.1, 93.6, "tăng 0,5 điểm phần trăm so với cùng kỳ"),  # a rate changes in points
        ("%", 2, 0.18, 0.2, "giảm 0,02 điểm phần trăm so với cùng kỳ"),  # with the figure's decimals
        ("%", 2, 72.5, 71.5, "tăng 1,00 điểm phần trăm so với cùng kỳ"),
    ],
)
def test_the_change_against_the_same_period_of_last_year(unit, decimals, actual, last_year, says):
    ind = dataclasses.replace(_indicator(">=", "flow", unit), decimals=decimals)
    row = {"name": ind.name, "actual": actual, "attainment_pct": 80, "basis": "actual", "kind": "ytd"}
    row.update(status="behind", last_year=last_year)
    text = _clean(indicator_sentence(row, ind, 3, 2024, load_phrases()))
    assert text.endswith(f", {says}."), text


# ------------------------------------------------------------------------------------------------
# One command, one click


def test_the_export_command_writes_the_docx(loaded, cfg, tmp_path):
    from kpi.cli import main

    target = tmp_path / "bao-cao.docx"
    loaded.close()  # the command opens the database itself
    db = cfg.db_path
    assert main(["export", "--year", "2024", "--quarter", "3", "--to", str(target), "--db", str(db)]) == 0
    text = text_of(_doc(target.read_bytes()))
    assert "Kết quả thực hiện các chỉ tiêu thi đua Quý III/2024" in text and "2.438,3 tỷ đồng" in text
    assert main(["export", "--year", "2024", "--to", str(tmp_path / "x.odt"), "--db", str(db)]) == 1


# ------------------------------------------------------------------------------------------------
# Rendered by LibreOffice


def test_libreoffice_renders_the_draft_with_the_annex_on_landscape_pages(q3, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs libreoffice-writer-nogui (.ci/run); soffice is missing")
        pytest.skip("LibreOffice (soffice) is not installed here")
    from pypdf import PdfReader

    source = tmp_path / "du-thao.docx"
    q3.save(source)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = PdfReader(tmp_path / "du-thao.pdf")
    pages = [(float(p.mediabox.width), float(p.mediabox.height), _clean(p.extract_text())) for p in pdf.pages]
    assert 4 <= len(pages) <= 7, len(pages)
    portrait = [i for i, (w, h, _) in enumerate(pages) if w < h]
    landscape = [i for i, (w, h, _) in enumerate(pages) if w > h]
    assert portrait == list(range(len(portrait))) and landscape and landscape[-1] == len(pages) - 1
    assert "PHỤ LỤC" in pages[landscape[0]][2] and "Quách Hải Lý" in pages[portrait[-1]][2]
    annex = "\n".join(pages[i][2] for i in landscape)
    for name in ("Tổng vốn đầu tư toàn xã hội", "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện"):
        assert name in re.sub(r"\s+", " ", annex)  # the table's first and last row on landscape pages
    assert "PHỤ LỤC" not in "\n".join(pages[i][2] for i in portrait)
    assert all("DỰ THẢO" in text for _w, _h, text in pages)


def test_a_figure_that_would_read_as_its_target_keeps_the_decimals_the_report_shows():
    """Year end, 126,79 triệu đồng/ha against a target of 126,8 (one decimal) is "không đạt": written
    126,8 it would read as the target beside that word. The report table's ``shown_decimals`` (the
    lead's column) says how many decimals keep it apart; the draft writes the figure and the gap with
    them, and with the one formatter's decimals when the row has none."""
    ind = Indicator(
        "X", "Chỉ tiêu X", "triệu đồng/ha", "economic", ">=", "level", "mean", "year-end", Decimal("126.8"), decimals=1
    )
    row = {"name": ind.name, "actual": 126.79, "attainment_pct": 99.99, "basis": "actual", "kind": "ytd"}
    row.update(status="not_met", shown_decimals=2)
    text = _clean(indicator_sentence(row, ind, 4, 2024, load_phrases()))
    assert "chỉ đạt 126,79 triệu đồng/ha, bằng 99,99 % kế hoạch (126,8 triệu đồng/ha)" in text, text
    row = {**row, "actual": 125.0, "attainment_pct": 98.58, "shown_decimals": None}
    text = _clean(indicator_sentence(row, ind, 4, 2024, load_phrases()))
    assert "chỉ đạt 125,0 triệu đồng/ha, bằng 98,58 % kế hoạch (126,8 triệu đồng/ha)" in text, text


def test_a_year_end_figure_a_hair_under_its_target_reads_as_not_met_everywhere_in_the_draft(loaded, cfg):
    """The black-box year end: 126,79 triệu đồng/ha against 126,8 is "Không đạt"; the draft wrote it
    126,79 in its sentences but the one formatter would round it to 126,8, the target. With the report
    table's shown_decimals the sentence, the gap, the part II line and the annex all say 126,79, and
    the % KH is 99,99, never 100,00."""
    _fourth_quarter(loaded, cfg, n3=126.79)
    doc = _doc(write_draft(loaded, 2024, 4, today=dt.date(2025, 1, 10)))
    text = text_of(doc)
    name = "Giá trị sản phẩm bình quân trên 1 ha đất canh tác và nuôi trồng thủy sản"
    assert f"{name} năm 2024 chỉ đạt 126,79 triệu đồng/ha, bằng 99,99 % kế hoạch (126,8 triệu đồng/ha)" in text
    assert f"- {name} đạt 126,79 triệu đồng/ha, thấp hơn mục tiêu (126,8 triệu đồng/ha) 0,01 triệu đồng/ha." in text
    (row,) = [[_clean(c.text) for c in r.cells] for r in doc.tables[-1].rows if r.cells[1].text == name]
    assert row[5] == "126,79" and row[6] == "99,99", row
