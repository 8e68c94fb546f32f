"""The xlsx scan for what calamine does not report (issue 17): one streaming parse, linear in the
sheet's size, and the same facts as openpyxl on every workbook we have — percent cells, formulas
and which of them have no cached result, error cells, hidden rows and columns."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from kpi.config import Settings
from kpi.errors import UnreadableFile
from kpi.reading.workbook import _is_percent_format, _scan_xlsx_sheet, read_workbook
from tests.support import broken
from tests.support.paths import TESTS

PROJECT = TESTS.parent
SHARED_CORPUS = Path("/work/shared/samples/corpus")


def _workbooks() -> list:
    """Every .xlsx under tests/ and data/samples, the shared corpus when present, and the broken
    fixtures of tests/support/broken.py (built in memory)."""
    files = sorted({*TESTS.rglob("*.xlsx"), *TESTS.rglob("*.xlsm"), *(PROJECT / "data" / "samples").glob("*.xlsx")})
    cases = [pytest.param(p, id=str(p.relative_to(PROJECT))) for p in files]
    if SHARED_CORPUS.is_dir():
        cases += [pytest.param(p, id=f"shared/{p.name}") for p in sorted(SHARED_CORPUS.glob("*.xlsx"))]
    makers = [m for m in vars(broken).values() if callable(m) and getattr(m, "__module__", "") == broken.__name__]
    cases += [
        pytest.param(m, id=f"generated.{m.__name__.lstrip('_')}") for m in (_openpyxl_written, _xlsxwriter_written)
    ]
    for maker in makers:
        code = getattr(maker, "__code__", None)
        if maker.__name__.startswith("_") or code is None or code.co_argcount > len(maker.__defaults__ or ()):
            continue
        cases.append(pytest.param(maker, id=f"broken.{maker.__name__}"))
    return cases


def _openpyxl_written() -> bytes:
    """300 formulas without cached results (openpyxl writes none), percent formats, hidden rows
    and a hidden column range."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Số", "Gấp đôi", "Tỷ lệ"])
    for r in range(2, 302):
        ws.append([r * 3, f"=A{r}*2", f"=A{r}/1000"])
        ws.cell(r, 3).number_format = "0.0%"
    for r in (5, 9, 120):
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions.group("E", "G", hidden=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsxwriter_written() -> bytes:
    """XlsxWriter's formulas with cached results and fullCalcOnLoad, an error result, a shared
    percent style and a hidden row."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Dữ liệu")
    pct = wb.add_format({"num_format": "0.00%"})
    for r in range(200):
        ws.write_number(r, 0, r + 1)
        ws.write_formula(r, 1, f"=A{r + 1}/200", pct, (r + 1) / 200)
    ws.write_formula(200, 1, "=1/0", None, "#DIV/0!")
    ws.set_row(3, None, None, {"hidden": True})
    wb.close()
    return buf.getvalue()


def _bytes(source) -> bytes | None:
    if isinstance(source, Path):
        return source.read_bytes()
    made = source()
    made = made[0] if isinstance(made, list) else made
    data = made[0] if isinstance(made, tuple) else made
    if not isinstance(data, bytes) or not data.startswith(b"PK") or b"xl/" not in data[:4096] + data[-65536:]:
        return None  # not an xlsx (an .xls, .ods, HTML... maker)
    return data


def _openpyxl_facts(data: bytes) -> dict[str, dict]:
    """The facts as openpyxl reads them, per sheet title; 0-based positions."""
    import openpyxl

    formulas_wb = openpyxl.load_workbook(io.BytesIO(data))
    values_wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    full_calc = bool(formulas_wb.calculation and formulas_wb.calculation.fullCalcOnLoad)
    out = {}
    for ws in formulas_wb.worksheets:
        cached = values_wb[ws.title]
        percent, errors, formulas = set(), {}, {}
        for (r, c), cell in ws._cells.items():  # the cells the file holds, none made up
            pos = (r - 1, c - 1)
            if _is_percent_format(cell.number_format or ""):
                percent.add(pos)
            seen = cached._cells.get((r, c))
            if seen is not None and seen.data_type == "e" and seen.value is not None:
                errors[pos] = str(seen.value).strip()
            if cell.data_type == "f" and pos not in errors:
                text = getattr(cell.value, "text", cell.value)  # ArrayFormula keeps its text apart
                value = seen.value if seen is not None else None
                formulas[pos] = (text, value is None or value == "")
        hidden_cols = set()
        for dim in ws.column_dimensions.values():
            if dim.hidden and dim.min:
                hidden_cols.update(range(dim.min - 1, (dim.max or dim.min)))
        out[ws.title] = {
            "percent": percent,
            "errors": errors,
            "formulas": formulas,
            "full_calc": full_calc,
            "hidden_rows": {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden},
            "hidden_cols": hidden_cols,
        }
    return out


@pytest.mark.parametrize("source", _workbooks())
def test_the_scan_finds_what_openpyxl_finds(source):
    data = _bytes(source)
    if data is None:
        pytest.skip("not an xlsx")
    try:
        theirs = _openpyxl_facts(data)
    except Exception as exc:  # noqa: BLE001 - a file openpyxl itself cannot open is not a reference
        pytest.skip(f"openpyxl cannot open it: {type(exc).__name__}")
    try:
        ours = read_workbook(data, "t.xlsx", Settings())
    except UnreadableFile as exc:
        pytest.skip(f"refused by our reader ({exc.cause}); tests/reading/test_broken.py covers the refusal")
    compared = 0
    for sheet in ours.sheets:
        other = theirs.get(sheet.name)
        if other is None:
            continue
        compared += 1
        where = f"{sheet.name}"
        assert set(sheet.percent) == other["percent"], where
        assert sheet.errors == other["errors"], where
        assert sheet.hidden_rows == other["hidden_rows"], where
        assert sheet.hidden_cols == other["hidden_cols"], where
        expected = {pos for pos, (_, missing) in other["formulas"].items() if missing or other["full_calc"]}
        assert set(sheet.formulas) == expected, where
        for pos in sheet.formulas:
            text = other["formulas"][pos][0]
            if sheet.formulas[pos]:  # "" is a shared formula's copy; openpyxl translates it
                assert "=" + sheet.formulas[pos] == text, (where, pos)
    if not compared and not theirs:
        pytest.skip("openpyxl sees none of its sheets (Strict OOXML)")
    assert compared == len(ours.sheets)


def _recalculated(data: bytes) -> bytes | None:
    """``data`` with its workbook part asking for ``fullCalcOnLoad`` (every cached result then
    distrusted, so every formula cell is named), or ``None`` without a plain workbook part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        found = False
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith("workbook.xml"):
                body, n = re.subn(rb"</((?:\w+:)?)workbook>", rb'<\1calcPr fullCalcOnLoad="1"/></\1workbook>', body)
                found = found or n == 1
            dst.writestr(info, body)
    return out.getvalue() if found else None


@pytest.mark.parametrize("source", _workbooks())
def test_every_formula_found_whatever_its_cached_value(source):
    """With the cache distrusted (``fullCalcOnLoad``), every formula cell openpyxl sees is named
    (bar those holding an error value, named as errors)."""
    data = _bytes(source)
    if data is None:
        pytest.skip("not an xlsx")
    try:
        theirs = _openpyxl_facts(data)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"openpyxl cannot open it: {type(exc).__name__}")
    data = _recalculated(data)
    if data is None:
        pytest.skip("no plain workbook part")
    try:
        ours = read_workbook(data, "t.xlsx", Settings())
    except UnreadableFile as exc:
        pytest.skip(f"refused by our reader ({exc.cause})")
    compared = [sheet for sheet in ours.sheets if sheet.name in theirs]
    for sheet in compared:
        assert set(sheet.formulas) == set(theirs[sheet.name]["formulas"]), sheet.name
    if not compared:
        pytest.skip("openpyxl sees none of its sheets (Strict OOXML)")


def _package(sheet_xml: bytes, styles_xml: bytes | None = None, quote: str = '"') -> bytes:
    """A minimal xlsx around one worksheet part, its structural parts quoted with ``quote``."""
    q = quote
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f"<?xml version='1.0' encoding='UTF-8'?><Types xmlns={q}http://schemas.openxmlformats.org/package/2006/content-types{q}>"
            f"<Default Extension={q}rels{q} ContentType={q}application/vnd.openxmlformats-package.relationships+xml{q}/>"
            f"<Default Extension={q}xml{q} ContentType={q}application/xml{q}/>"
            f"<Override PartName={q}/xl/workbook.xml{q} ContentType={q}application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml{q}/>"
            f"<Override PartName={q}/xl/worksheets/sheet1.xml{q} ContentType={q}application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml{q}/>"
            f"<Override PartName={q}/xl/styles.xml{q} ContentType={q}application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml{q}/>"
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f"<Relationships xmlns={q}http://schemas.openxmlformats.org/package/2006/relationships{q}>"
            f"<Relationship Id={q}rId1{q} Type={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument{q} Target={q}xl/workbook.xml{q}/>"
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f"<workbook xmlns={q}http://schemas.openxmlformats.org/spreadsheetml/2006/main{q} "
            f"xmlns:r={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships{q}>"
            f"<sheets><sheet name={q}Data{q} sheetId={q}1{q} r:id={q}rId1{q}/></sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f"<Relationships xmlns={q}http://schemas.openxmlformats.org/package/2006/relationships{q}>"
            f"<Relationship Id={q}rId1{q} Type={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet{q} Target={q}worksheets/sheet1.xml{q}/>"
            f"<Relationship Id={q}rId2{q} Type={q}http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles{q} Target={q}styles.xml{q}/>"
            "</Relationships>",
        )
        z.writestr(
            "xl/styles.xml",
            styles_xml
            or (
                f"<styleSheet xmlns={q}http://schemas.openxmlformats.org/spreadsheetml/2006/main{q}>"
                f"<numFmts count={q}1{q}><numFmt numFmtId={q}164{q} formatCode={q}0.0%{q}/></numFmts>"
                f"<cellXfs count={q}3{q}><xf numFmtId={q}0{q}/><xf numFmtId={q}164{q}/><xf numFmtId={q}10{q}/></cellXfs>"
                "</styleSheet>"
            ).encode(),
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_single_quoted_attributes_are_read_like_double_quoted_ones():
    """Valid XML may quote attributes with ' (some generators do); the regexes before missed the
    styles, the relationships, the hidden rows and the formulas then."""
    sheet = (
        f"<worksheet xmlns='{_NS}'><cols><col min='3' max='3' hidden='1'/></cols><sheetData>"
        "<row r='1'><c r='A1' s='1'><v>0.5</v></c><c r='B1' s='2'><v>0.25</v></c><c r='C1'><v>3</v></c></row>"
        "<row r='2' hidden='true'><c r='A2'><v>4</v></c><c r='B2'><f>A2*2</f></c>"
        "<c r='C2' t='e'><v>#DIV/0!</v></c></row>"
        "</sheetData></worksheet>"
    ).encode()
    data = _package(sheet, quote="'")
    got = read_workbook(data, "q.xlsx", Settings()).sheets[0]
    assert got.percent == {(0, 0), (0, 1)}
    assert got.hidden_rows == {1}
    assert got.hidden_cols == {2}
    assert got.formulas == {(1, 1): "A2*2"}
    assert got.errors == {(1, 2): "#DIV/0!"}


def test_cells_without_references_take_their_places_in_order():
    sheet = (
        f'<worksheet xmlns="{_NS}"><sheetData>'
        '<row><c s="1"><v>0.5</v></c><c><f>A1*2</f></c></row>'
        '<row hidden="1"/>'
        '<row><c/><c t="e"><v>#N/A</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    got = read_workbook(_package(sheet), "p.xlsx", Settings()).sheets[0]
    assert got.percent == {(0, 0)}
    assert got.formulas == {(0, 1): "A1*2"}
    assert got.hidden_rows == {1}
    assert got.errors == {(2, 1): "#N/A"}


def test_the_percent_shortcut_is_refused_when_it_cannot_be_complete():
    """Without formulas, errors or hidden rows the percent cells come from a literal search; a
    style attribute written another way (after a tab, on a styled row) sends the sheet to the
    parser, with the same answer."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" s="1"><v>0.{i}</v></c><c r="B{i}"><v>{i}</v></c></row>' for i in range(1, 6)
    )
    plain = f'<worksheet xmlns="{_NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    expected = {(i, 0) for i in range(5)}
    assert _scan_xlsx_sheet(plain, {1, 2}, True)["percent"] == expected
    tabbed = plain.replace(b'<c r="A3" s="1">', b'<c\ts="1" r="A3">')
    assert _scan_xlsx_sheet(tabbed, {1, 2}, True)["percent"] == expected
    styled_row = plain.replace(b'<row r="2">', b'<row r="2" s="1" customFormat="1">')
    assert _scan_xlsx_sheet(styled_row, {1, 2}, True)["percent"] == expected


def test_shared_strings_keep_rich_text_and_leave_phonetic_guides_out():
    import kpi.reading.workbook as wbmod

    sst = (
        f'<sst xmlns="{_NS}" count="2" uniqueCount="2">'
        "<si><t>Tỷ lệ</t></si>"
        "<si><r><t>Hộ </t></r><r><rPr><b/></rPr><t xml:space='preserve'>nghèo</t></r><rPh sb='0' eb='1'><t>ホ</t></rPh></si>"
        "</sst>"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/sharedStrings.xml", sst)
    with zipfile.ZipFile(buf) as z:
        assert wbmod._shared_strings(z, {"rId9": "xl/sharedStrings.xml"}) == ["Tỷ lệ", "Hộ nghèo"]


def test_a_malformed_sheet_part_is_refused_as_corrupt():
    sheet = f'<worksheet xmlns="{_NS}"><sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'.encode()
    with pytest.raises(UnreadableFile) as caught:
        _scan_xlsx_sheet(sheet, set(), True, "xl/worksheets/sheet1.xml")
    assert caught.value.cause == "corrupt"
    assert "xl/worksheets/sheet1.xml" in str(caught.value)


def test_a_row_is_read_only_once_the_parser_has_finished_it():
    """The sheet is parsed piece by piece (64 KiB); a formula whose cached value lies in the next
    piece is not taken for one without a value, and comments between rows change nothing."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><f>B{i}*2</f><v>{i}</v></c></row><!-- {i} -->' for i in range(1, 20_000))
    xml = f'<worksheet xmlns="{_NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    assert len(xml) > 10 * 65536
    assert _scan_xlsx_sheet(xml, set(), trust_cache=True)["formulas"] == {}
    every = _scan_xlsx_sheet(xml, set(), trust_cache=False)["formulas"]
    assert len(every) == 19_999 and every[(19_998, 0)] == "B19999*2"


def test_rows_numbered_or_not_place_cells_without_references_across_pieces():
    """Rows whose every child is a numbered row need no Python per row (issue 17); a cell without
    its own reference, in a numbered row or in one without ``r`` (the row after the previous),
    still takes its row's place, in whichever 64 KiB piece it falls."""
    rows, expected, last = [], {}, -1
    for i in range(1, 4000):
        numbered = i % 7 > 2  # runs of three rows without r, so that pieces start with one
        last = 2 * i - 1 if numbered else last + 1
        attribute = f' r="{2 * i}"' if numbered else ""
        if i % 5 == 0 or not numbered:
            cells = f"<c><v>1</v></c><c><f>A1+{i}</f></c>"
        else:
            cells = f'<c r="A{last + 1}"><v>1</v></c><c r="B{last + 1}"><f>A{last + 1}*2</f></c>'
        expected[(last, 1)] = f"A1+{i}" if i % 5 == 0 or not numbered else f"A{last + 1}*2"
        rows.append(f"<row{attribute}>{cells}</row>")
    xml = f'<worksheet xmlns="{_NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()
    assert len(xml) > 3 * 65536
    assert _scan_xlsx_sheet(xml, set(), trust_cache=True)["formulas"] == expected


def test_strict_and_prefixed_sheets_are_read_alike():
    body = '<x:row r="2" hidden="1"><x:c r="C2"><x:f>A2+B2</x:f></x:c><x:c r="D2" t="e"><x:v>#REF!</x:v></x:c></x:row>'
    xml = (
        '<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:sheetData>'
        f"{body}</x:sheetData></x:worksheet>"
    ).encode()
    got = _scan_xlsx_sheet(xml, set(), trust_cache=True)
    assert got["formulas"] == {(1, 2): "A2+B2"}
    assert got["errors"] == {(1, 3): "#REF!"}
    assert got["hidden_rows"] == {1}


def _sheet_parts(data: bytes) -> list[bytes]:
    """The worksheet parts of an xlsx package that unpack (a broken member is skipped)."""
    parts = []
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return parts
    with z:
        for name in z.namelist():
            if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                try:
                    parts.append(z.read(name))
                except Exception:  # noqa: BLE001 - a member that does not unpack: the reader refuses it
                    continue
    return parts


@pytest.mark.parametrize("source", _workbooks())
def test_the_literal_formula_search_finds_what_the_parse_finds(source):
    """Where the literal search says it is complete, it names exactly the formula cells (and
    texts) the streaming parse names, the cache trusted or not (issue 17: the search replaces a
    parse that cost ≈ 6 µs a formula)."""
    from kpi.reading.sheet_literals import formulas_by_literals
    from kpi.reading.workbook import _stream_sheet

    data = _bytes(source)
    if data is None:
        pytest.skip("not an xlsx")
    compared = 0
    for xml in _sheet_parts(data):
        if b"<!DOCTYPE" in xml:
            continue  # refused before any scan
        for trust in (True, False):
            literal = formulas_by_literals(xml, trust)
            if literal is None:
                continue
            try:
                parsed = _stream_sheet(io.BytesIO(xml), set(), trust)
            except UnreadableFile:
                continue  # malformed: the literal path checks it afterwards (next test)
            assert literal == parsed["formulas"]
            compared += 1
    if not compared:
        pytest.skip("no worksheet part the literal search can prove complete")


_PLAIN_ROWS = "".join(
    f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}" s="1"><f>A{i}*2</f></c><c r="C{i}"><f>A{i}+1</f><v>{i + 1}</v></c></row>'
    for i in range(1, 40)
)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda x: x, id="plain"),
        pytest.param(lambda x: x.replace(b'<c r="B7" s="1">', b'<c s="1" r="B7">'), id="reference-after-style"),
        pytest.param(lambda x: x.replace(b"<v>9</v>", b'<v xml:space="preserve">9</v>'), id="value-with-attribute"),
        pytest.param(lambda x: x.replace(b"</row>", b"</row><!-- <c r='Z1'><f>1</f></c> -->", 1), id="comment"),
        pytest.param(lambda x: x.replace(b'<c r="A3">', b'<c r="A3"><f>Q9</f>', 1), id="formula-and-value-cell"),
        pytest.param(
            lambda x: x.replace(b'<c r="A5"><v>5</v></c>', b'<c r="A5"/><f>9</f>'), id="formula-outside-a-cell"
        ),
        pytest.param(
            lambda x: x.replace(b"<f>A4*2</f>", b"<f>IF(A4&gt;0,&quot;a&amp;b&quot;,&#7881;)</f>"), id="entities"
        ),
        pytest.param(lambda x: x.replace(b"<f>A6*2</f>", b'<f t="shared" ref="B6:B8" si="0">A6*2</f>'), id="shared"),
        pytest.param(lambda x: x.replace(b"<f>A7*2</f>", b'<f\nt="array" ref="B7">A7*2</f>'), id="line-break"),
        pytest.param(
            lambda x: x.replace(b"</sheetData>", b'</sheetData><extLst><x14:f xmlns:x14="u">A1</x14:f></extLst>'),
            id="prefixed",
        ),
    ],
)
def test_a_sheet_written_any_way_gives_the_parse_s_answer(variant):
    """The literal search is used only when the counts prove it complete; every other form goes
    to the parse — the answer is the same either way, the cache trusted or not."""
    from kpi.reading.workbook import _stream_sheet

    plain = f'<worksheet xmlns="{_NS}"><sheetData>{_PLAIN_ROWS}</sheetData></worksheet>'.encode()
    xml = variant(plain)
    assert xml != plain or variant(b"x") == b"x"
    for trust in (True, False):
        parsed = _stream_sheet(io.BytesIO(xml), {1}, trust)
        got = _scan_xlsx_sheet(xml, {1}, trust)
        assert got["formulas"] == parsed["formulas"]
        assert got["percent"] == parsed["percent"]


def test_entities_in_a_formula_are_read_as_the_parse_reads_them():
    xml = (
        f'<worksheet xmlns="{_NS}"><sheetData><row r="1"><c r="A1"><f>IF(B1&gt;0,&quot;a&amp;b&quot;,"&#7881;")</f></c>'
        "</row></sheetData></worksheet>"
    ).encode()
    assert _scan_xlsx_sheet(xml, set(), True)["formulas"] == {(0, 0): 'IF(B1>0,"a&b","ỉ")'}
    from kpi.reading.sheet_literals import formulas_by_literals

    assert formulas_by_literals(xml, True) == {(0, 0): 'IF(B1>0,"a&b","ỉ")'}  # found by the search, not the parse


def test_a_malformed_sheet_with_formulas_is_refused_by_the_literal_path_too():
    """The literal search does not read the XML's structure: the part is still checked."""
    from kpi.reading.sheet_literals import formulas_by_literals

    sheet = f'<worksheet xmlns="{_NS}"><sheetData><row r="1"><c r="A1"><f>B1*2</f></c></row></sheetData>'.encode()
    assert formulas_by_literals(sheet, True) == {(0, 0): "B1*2"}  # the search alone would take it
    with pytest.raises(UnreadableFile) as caught:
        _scan_xlsx_sheet(sheet, set(), True, "xl/worksheets/sheet2.xml")
    assert caught.value.cause == "corrupt" and "xl/worksheets/sheet2.xml" in str(caught.value)
