"""Hostile workbooks, built byte by byte so each test says exactly what the attack is.

Every file here is a small, otherwise valid .xlsx package (content types, relationships, a
workbook with one sheet "Sheet1", shared strings) with one thing wrong:

======================  ========================================================================
builder                 the attack
======================  ========================================================================
``zip_bomb_ratio``      one sheet part of 200 MB of spaces deflated to ~0.9 MB (ratio ~230:1)
``zip_bomb_total``      the same 9 MB part listed 50 times in the central directory (450 MB)
``xfd_used_range``      a value in A1 and one in XFD1048576: a reader lays out 17 billion cells
``xml_bomb``            "billion laughs" entities in the shared strings; ``padded`` hides the
                        DOCTYPE behind a 10 KB comment, past where a naive check looks
``lying_sst_count``     a shared-strings table that declares 4 294 967 295 strings
``shared_strings_bomb`` one 1 MB string referenced by 20 000 cells (20 GB once copied per cell)
``formula_bomb``        layers of formulas each adding up the whole previous layer, no cached
                        results (exponential work for an evaluator without memoisation);
                        ``formula_bomb_report`` hangs one under a real report's value cell
======================  ========================================================================

``sparse_file`` makes a file of any size that takes no disk space (for the 300 MB test).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ' + _NS + b" "
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_HEADER = "Chỉ tiêu".encode()


def sheet_xml(cells: bytes, dimension: bytes = b"A1") -> bytes:
    """A worksheet part around ``cells`` (``<row>`` elements)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
        + _NS
        + b'><dimension ref="'
        + dimension
        + b'"/><sheetData>'
        + cells
        + b"</sheetData></worksheet>"
    )


def sst_xml(strings: list[bytes], declared: int | None = None, prolog: bytes = b"") -> bytes:
    """A shared-strings part; ``declared`` overrides the count it claims."""
    n = str(len(strings) if declared is None else declared).encode()
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + prolog
        + b"<sst "
        + _NS
        + b' count="'
        + n
        + b'" uniqueCount="'
        + n
        + b'">'
        + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings)
        + b"</sst>"
    )


def package(sheet: bytes, sst: bytes) -> bytes:
    """A whole .xlsx around one sheet part and one shared-strings part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sst)
    return buffer.getvalue()


def _one_cell() -> bytes:
    return b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def xfd_used_range() -> bytes:
    """A1 holds a header, XFD1048576 (the last cell of a sheet) holds 1."""
    cells = _one_cell() + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return package(sheet_xml(cells, b"A1:XFD1048576"), sst_xml([_HEADER]))


def lying_sst_count() -> bytes:
    """One real shared string, 4 294 967 295 declared."""
    return package(sheet_xml(_one_cell()), sst_xml([_HEADER], declared=4294967295))


def shared_strings_bomb(cells: int = 20_000, length: int = 1 << 20) -> bytes:
    """One ``length``-character string, referenced by ``cells`` cells of column A."""
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, cells + 1))
    return package(sheet_xml(rows, b"A1:A%d" % cells), sst_xml([b"A" * length]))


def xml_bomb(padded: bool = False) -> bytes:
    """Billion laughs: ten levels of ten entity references in the shared strings' DTD."""
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    )
    prolog = (b"<!--" + b" " * 10_000 + b"-->" if padded else b"") + b"<!DOCTYPE sst [" + entities + b"]>"
    return package(sheet_xml(_one_cell()), sst_xml([b"&lol9;"], prolog=prolog))


def _deflate_spaces(size: int) -> tuple[bytes, int]:
    """``size`` bytes of a sheet part (XML then spaces), raw-deflated; returns (data, crc)."""
    head = sheet_xml(_one_cell())
    comp = zlib.compressobj(1, zlib.DEFLATED, -15)  # fast; spaces still shrink ~230:1
    out = [comp.compress(head)]
    crc = zlib.crc32(head)
    block = b" " * (1 << 20)
    left = size - len(head)
    while left > 0:
        piece = block[: min(left, len(block))]
        out.append(comp.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    out.append(comp.flush())
    return b"".join(out), crc & 0xFFFFFFFF


def zip_bomb_ratio(size: int = 200 * 1024 * 1024) -> bytes:
    """A package whose sheet part inflates ``size`` bytes from a few hundred KB (honest sizes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", sst_xml([_HEADER]))
    return _append_member(buffer.getvalue(), "xl/worksheets/sheet1.xml", *_deflate_spaces(size), size)


def _append_member(archive: bytes, name: str, deflated: bytes, crc: int, size: int, copies: int = 1) -> bytes:
    """Add a pre-deflated member to a finished zip; ``copies`` > 1 lists the same local data
    under several names in the central directory (an overlapping-entries bomb)."""
    zf = zipfile.ZipFile(io.BytesIO(archive))
    end = archive.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", archive[end + 16 : end + 20])[0]
    body, central = archive[:cd_offset], archive[cd_offset:end]
    entries = len(zf.infolist())
    fname = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(deflated), size, len(fname), 0)
    offset = len(body)
    body += local + fname + deflated
    for i in range(copies):
        entry_name = fname if i == 0 else f"xl/worksheets/copy{i}.xml".encode()
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(deflated),
            size,
            len(entry_name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += entry_name
    tail = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + copies, entries + copies, len(central), len(body), 0)
    return body + central + tail


def zip_bomb_total(member: int = 9 * 1024 * 1024, copies: int = 50) -> bytes:
    """One deflated part listed ``copies`` times (an overlapping-entries bomb): ``member × copies``
    bytes declared in total, each entry too small for the per-member ratio check."""
    base = package(sheet_xml(_one_cell()), sst_xml([_HEADER]))
    zf = zipfile.ZipFile(io.BytesIO(base))
    kept = io.BytesIO()
    with zipfile.ZipFile(kept, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zf.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, zf.read(info.filename))
    return _append_member(kept.getvalue(), "xl/worksheets/sheet1.xml", *_deflate_spaces(member), member, copies)


def sparse_file(path: Path, size: int, head: bytes = b"PK\x03\x04") -> Path:
    """A file of ``size`` bytes that starts like a zip and takes (almost) no disk space."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def formula_bomb(layers: int = 8, height: int = 100) -> bytes:
    """Nested ``SUM`` ranges with no cached results: column A holds ``height`` ones, and each of the
    next ``layers`` columns holds ``height`` copies of ``=SUM(<previous column>1:<previous column>H)``.
    Evaluated cell by cell without memoisation, the last column costs ``height ** layers`` cell
    reads (10¹⁶ for the defaults, in a 3 KB file); memoised, ``layers × height²``."""
    from openpyxl.utils import get_column_letter

    rows = []
    for r in range(1, height + 1):
        cells = [b'<c r="A%d"><v>1</v></c>' % r]
        for layer in range(1, layers + 1):
            prev, col = get_column_letter(layer).encode(), get_column_letter(layer + 1).encode()
            cells.append(b'<c r="%s%d"><f>SUM(%s1:%s%d)</f></c>' % (col, r, prev, prev, height))
        rows.append(b'<row r="%d">%s</row>' % (r, b"".join(cells)))
    last = get_column_letter(layers + 1).encode()
    return package(sheet_xml(b"".join(rows), b"A1:%s%d" % (last, height)), sst_xml([_HEADER]))


def formula_bomb_report(layers: int = 8, height: int = 300) -> bytes:
    """The district's Q1 report (openpyxl, formulas without cached results) whose "Thực hiện
    quý" of indicator 2 (E9) is ``=`` the last column of a :func:`formula_bomb` laid below the
    table from row 31 (rows the report reader does not read)."""
    from openpyxl.utils import get_column_letter

    from tests.support.broken import q1_rows
    from tests.support.sheets import xlsx

    rows = q1_rows()
    rows.extend([] for _ in range(30 - len(rows)))
    for _ in range(height):
        row: list = [1]
        for layer in range(1, layers + 1):
            prev = get_column_letter(layer)
            row.append(f"=SUM({prev}31:{prev}{30 + height})")
        rows.append(row)
    rows[8][4] = f"={get_column_letter(layers + 1)}31"
    return xlsx(rows)
