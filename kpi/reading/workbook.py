"""Reading a workbook's bytes into plain cells plus the facts cell values alone do not carry.

One entry point, :func:`read_workbook`, takes **bytes** (the uploader, the command line and
tests share it) and returns a :class:`Workbook`: for each sheet, its cell values at absolute
positions (row 0 is the sheet's row 1) from python-calamine, plus what only the file format
knows: which cells have a percent number format, which hold error values, which formulas have
no trustworthy cached result, merged ranges, hidden rows, columns and sheets.

The format is decided by the file's first bytes, never by its name:

====================  =======================================================================
first bytes           reader
====================  =======================================================================
``PK\\x03\\x04`` (zip)  .xlsx (also Strict OOXML) or .ods; calamine for values, one streaming
                      lxml parse (linear) of the styles, relationships and each sheet's XML for
                      formats, errors, formulas and hidden rows (no openpyxl: slow on big sheets)
``D0 CF 11 E0`` (OLE)   .xls (calamine for values; xlrd with ``formatting_info`` for formats,
                      errors, hidden rows and merges); an OLE file holding ``EncryptedPackage``
                      is a password-protected .xlsx
``<?xml`` + ss ns      SpreadsheetML 2003 (".xls" saved as XML), read with defusedxml
``<html``/``<table``   an HTML table saved as ".xls" (web portals), read with lxml
====================  =======================================================================

Hostile files are refused before parsing: size limit, zip bombs (total uncompressed size and
compression ratio), XML with a DTD (entity expansion) wherever it hides in the prolog, a
shared-strings table declaring more strings than it can hold; too many cells after reading.
What only shows by running out of memory (a value at XFD1048576, a long string repeated in every
cell) kills the parsing worker (:mod:`kpi.reading.worker`), and :func:`diagnose` then names the cause. Every refusal is an
:class:`~kpi.errors.UnreadableFile` with a short Vietnamese message naming the real cause.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from kpi.config import Settings
from kpi.errors import UnreadableFile
from kpi.reading.beside import Beside
from kpi.reading.collector import collector_paused
from kpi.reading.sheet_literals import (
    formulas_by_literals,
    percent_by_literals,
    xml_unescape,
)

__all__ = [
    "Sheet",
    "Workbook",
    "read_workbook",
    "check_size",
    "diagnose",
    "cell_ref",
    "col_letter",
    "parse_ref",
    "sniff",
    "sheet_rows",
]

Cell = tuple[int, int]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ERROR_TEXTS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA")


def col_letter(col: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A cell's A1 name from 0-based row and column: (11, 4) → "E12"."""
    return f"{col_letter(col)}{row + 1}"


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_ref(ref: str) -> Cell:
    """ "E12" → (11, 4) (0-based row, column)."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)) - 1, col - 1


@dataclass
class Sheet:
    """One worksheet's cells and the format facts about them.

    :ivar rows: cell values at absolute positions: ``rows[r][c]`` is the cell at row ``r + 1``,
        column ``c`` (0 = A). Values are ``str`` (``""`` for empty), ``float``, ``int``, ``bool``,
        ``datetime.date``/``datetime``/``time``/``timedelta``.
    :ivar state: ``"visible"``, ``"hidden"`` or ``"veryHidden"``.
    :ivar percent: cells whose number format shows a percentage (0.7289 shown as 72,89 %).
    :ivar errors: cells holding an error value ("#DIV/0!", "#N/A"...), by position.
    :ivar formulas: formula cells whose cached result is missing or not trusted
        (``fullCalcOnLoad``), position → formula text (``""`` when the formula is shared).
    :ivar merged: merged ranges ``(r0, c0, r1, c1)`` inclusive, or ``None`` when the format does
        not tell (then callers may not assume anything about merges).
    :ivar hidden_rows: 0-based rows hidden by the user; ``hidden_cols`` likewise.
    :ivar formula_values: each of ``formulas`` evaluated by :mod:`kpi.reading.formula` (in the parsing
        worker, by :func:`read_workbook`): position → ``Decimal``, or why it has no value
        (``"unsupported"``, ``"circular"``, ``"budget"``); ``None`` until evaluated.
    :ivar values_source: for a sheet read in a worker whose formulas are evaluated on first use
        (:class:`kpi.reading.formula_values.Deferred`): called, it fills ``formula_values`` of every
        sheet of the workbook; ``None`` otherwise.
    """

    name: str
    rows: list[list]
    state: str = "visible"
    percent: frozenset[Cell] = frozenset()
    errors: dict[Cell, str] = field(default_factory=dict)
    formulas: dict[Cell, str] = field(default_factory=dict)
    merged: tuple[tuple[int, int, int, int], ...] | None = ()
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    formula_values: dict | None = None
    values_source: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    @property
    def height(self) -> int:
        """Number of rows (the last used row's number)."""
        return len(self.rows)

    @property
    def width(self) -> int:
        """Number of columns (the last used column's index + 1)."""
        return max(map(len, self.rows), default=0)

    def value(self, row: int, col: int):
        """The value at (row, col), ``""`` outside the used range."""
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return ""


@dataclass
class Workbook:
    """A workbook read from bytes.

    :ivar format: ``"xlsx"``, ``"xls"``, ``"ods"``, ``"xml2003"`` or ``"html"``.
    :ivar sheets: in the workbook's order.
    :ivar date1904: the workbook counts date serials from 1904 (old Mac Excel).
    :ivar notes: facts worth telling the user ("tệp .xls thật mang đuôi .xlsx").
    :ivar legacy: ``"tcvn3"``/``"vni"`` when the texts were converted from a legacy encoding.
    :ivar values_token: set by the parsing worker that read the workbook without evaluating its
        formulas and keeps it to evaluate them on request (:mod:`kpi.reading.formula_values`).
    :ivar pictures: how many pictures it holds (:func:`kpi.reading.pictures.pictures_in`).
    """

    format: str
    sheets: list[Sheet]
    date1904: bool = False
    notes: list[str] = field(default_factory=list)
    legacy: str | None = None
    values_token: str | None = None
    pictures: int = 0


def sniff(data: bytes) -> str:
    """Name the format of ``data`` from its first bytes: ``xlsx``, ``ods``, ``zip``, ``xls``,
    ``encrypted``, ``ole``, ``xml2003``, ``html``, ``empty`` or ``unknown``."""
    if not data:
        return "empty"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if data[:8] == _OLE_MAGIC:
        return "ole"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        try:
            head = data[:8192].decode("utf-16").encode("utf-8").lstrip().lower()
        except UnicodeDecodeError:
            return "unknown"
    if head.startswith(b"<?xml") or head.startswith(b"<workbook") or head.startswith(b"<ss:workbook"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
            return "xml2003"
        if b"<html" in head or b"<table" in head:
            return "html"
        return "xml"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return "html"
    if b"<table" in head and b"<" == head[:1]:
        return "html"
    if data[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08"):
        return "xls"  # BIFF2-4 worksheet stream without an OLE container
    return "unknown"


def check_size(size_bytes: int, cfg: Settings) -> None:
    """Refuse a file over the size limit (before anything of it is read).

    :raises UnreadableFile: cause ``too_large``, with the size and the limit in MB and in bytes
        (one byte over must read as over: "20,0 MB (20.971.521 byte)").
    """
    if size_bytes > cfg.max_upload_bytes:
        from kpi.vn import format_bytes

        raise UnreadableFile(
            "too_large",
            f"Tệp quá lớn: {format_bytes(size_bytes)}; giới hạn là {format_bytes(cfg.max_upload_bytes)}. "
            "Hãy xoá các trang tính không cần thiết hoặc tách tệp rồi tải lên lại.",
        )


def read_workbook(data: bytes, file_name: str = "", cfg: Settings | None = None, evaluate: bool = True) -> Workbook:
    """Read a workbook from its bytes, whatever its name says.

    :param data: the file's bytes (an upload's ``getvalue()``, a file read whole).
    :param file_name: only used in messages ("đuôi .xlsx nhưng là tệp .xls").
    :param cfg: limits (size, zip bomb, cells); defaults to :class:`~kpi.config.Settings`.
    :param evaluate: evaluate the formulas without a trusted result now (:mod:`kpi.reading.formula`);
        the parsing worker says ``False`` and evaluates them when asked (:mod:`kpi.reading.formula_values`).
    :returns: a :class:`Workbook`.
    :raises UnreadableFile: empty, truncated, encrypted, not a spreadsheet, or over a limit;
        the message names the cause in Vietnamese.
    """
    cfg = cfg or Settings()
    check_size(len(data), cfg)
    with collector_paused():  # rows and cells without cycles (kpi.reading.collector)
        wb = _read_any(data, file_name, cfg)
    if evaluate:
        from kpi.reading.formula import evaluate_workbook

        evaluate_workbook(wb)
    return wb


def _read_any(data: bytes, file_name: str, cfg: Settings) -> Workbook:
    """:func:`read_workbook` before formulas are evaluated: the format sniffed, its reader, the
    notes on the file's name, the legacy fonts fixed, the pictures and the cell limit."""
    kind = sniff(data)
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if kind == "empty":
        raise UnreadableFile(
            "empty",
            "Tệp rỗng (0 byte): có thể tải lên hoặc sao chép chưa xong. "
            "Hãy mở tệp gốc trong Excel, lưu lại rồi tải lên lại.",
        )
    if kind == "zip":
        wb = _read_zip(data, cfg)
    elif kind == "ole":
        wb = _read_ole(data, cfg)
    elif kind == "xls":
        wb = _read_xls(data, cfg)
    elif kind == "xml2003":
        from kpi.reading.formats import read_xml2003

        wb = read_xml2003(data, cfg)
    elif kind == "html":
        from kpi.reading.formats import read_html_table

        wb = read_html_table(data, cfg)
    else:
        raise UnreadableFile(
            "not_spreadsheet",
            "Tệp không phải là bảng tính Excel (.xlsx, .xls) hay LibreOffice (.ods). "
            "Hãy mở tệp bằng Excel và lưu dưới dạng «Excel Workbook (.xlsx)».",
        )
    expected = {"xlsx": {"xlsx", "xlsm"}, "xls": {"xls"}, "ods": {"ods"}}.get(wb.format, set())
    if ext and expected and ext not in expected:
        wb.notes.append(f"Tệp mang đuôi .{ext} nhưng nội dung là định dạng .{wb.format}; đã đọc theo nội dung.")
    elif ext and wb.format in {"xml2003", "html"}:
        label = "XML Spreadsheet 2003" if wb.format == "xml2003" else "trang HTML"
        wb.notes.append(f"Tệp mang đuôi .{ext} nhưng thực ra là {label}; đã đọc bảng trong đó.")
    from kpi.reading.legacy import fix_workbook
    from kpi.reading.pictures import pictures_in

    wb.legacy = fix_workbook(wb)
    wb.pictures = pictures_in(data, wb.format)
    total = sum(len(r) for s in wb.sheets for r in s.rows)
    if total > cfg.max_cells:
        raise UnreadableFile(
            "too_many_cells",
            f"Tệp có quá nhiều ô ({_n(total)} ô; giới hạn {_n(cfg.max_cells)}). Hãy xoá các dòng, cột "
            "trống đã định dạng hoặc tách tệp.",
        )
    return wb


# --------------------------------------------------------------------------------------------
# zip containers: .xlsx and .ods


def _open_zip(data: bytes, cfg: Settings) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except UnicodeDecodeError as exc:  # a damaged byte in a part's name in the central directory
        raise _corrupt_part("(mục lục của tệp nén)") from exc
    except zipfile.BadZipFile as exc:
        # A zip whose end-of-central-directory record is missing was cut short.
        raise UnreadableFile(
            "truncated",
            "Tệp bị cắt cụt hoặc hỏng (thiếu phần cuối của tệp nén): có thể tải lên hoặc sao "
            "chép chưa xong. Hãy lấy lại tệp gốc, mở trong Excel, lưu rồi tải lên lại.",
        ) from exc
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > cfg.max_uncompressed_bytes:
        raise UnreadableFile(
            "zip_bomb",
            f"Tệp giải nén ra quá lớn ({total / 1048576:.0f} MB; giới hạn "
            f"{cfg.max_uncompressed_bytes // 1048576} MB) nên bị từ chối để bảo vệ máy chủ. "
            "Hãy xoá dữ liệu thừa hoặc tách tệp.",
        )
    for info in infos:
        if (
            info.file_size > 10 * 1024 * 1024
            and info.compress_size
            and (info.file_size / info.compress_size > cfg.max_compression_ratio)
        ):
            raise UnreadableFile(
                "zip_bomb",
                f"Phần «{info.filename}» của tệp có tỷ lệ nén bất thường "
                f"({_n(info.file_size // max(info.compress_size, 1))}:1), dấu hiệu của tệp độc hại "
                "(«zip bomb»). Tệp bị từ chối.",
            )
    return zf


def _zip_read(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, EOFError, OSError, zlib_error, NotImplementedError, ValueError) as exc:
        # NotImplementedError: a damaged byte names a compression method that does not exist
        raise _corrupt_part(name) from exc


def _malformed_part(name: str, exc) -> UnreadableFile:
    """The refusal of an xlsx part that is not well-formed XML (``exc``: lxml's XMLSyntaxError)."""
    return UnreadableFile(
        "corrupt",
        f"Tệp .xlsx bị hỏng: phần «{name}» không phải XML hợp lệ (lỗi ở dòng {exc.lineno}; tệp bị sửa "
        "hoặc ghi dở). Hãy mở tệp gốc trong Excel, lưu lại rồi tải lên lại.",
    )


def _corrupt_part(name: str) -> UnreadableFile:
    """The refusal of a zip member that does not unpack (bad CRC, unknown method, cut short)."""
    return UnreadableFile(
        "corrupt",
        f"Tệp bị hỏng: không giải nén được phần «{name}». Hãy mở tệp gốc trong Excel, lưu lại rồi tải lên lại.",
    )


try:  # zlib.error is what a truncated deflate stream raises
    from zlib import error as zlib_error
except ImportError:  # pragma: no cover
    zlib_error = OSError


_DTD_MESSAGE = (
    "Phần «{name}» của tệp chứa khai báo DTD/thực thể XML — Excel không bao giờ ghi như vậy; đây là "
    "dấu hiệu tệp độc hại («XML bomb»). Tệp bị từ chối."
)


_MAX_PROLOG_BYTES = 1 << 20


def _prolog_has_dtd(chunks) -> bool:
    """Whether the XML read from ``chunks`` (an iterable of bytes) declares a DTD — a
    ``<!DOCTYPE`` (where entities live) before its root element, however long the comments and
    processing instructions before it. Reads only as far as the root element's start; a prolog
    longer than 1 MiB (Excel writes ~60 bytes) counts as hostile too."""
    buf = b""
    i = 0
    for chunk in chunks:
        buf += chunk
        if len(buf) > _MAX_PROLOG_BYTES:
            return True
        if buf[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):  # UTF-16: never from Excel; be strict
            return b"<!" in buf.replace(b"\x00", b"")
        while True:
            j = buf.find(b"<", i)
            if j < 0 or len(buf) - j < 4:
                break  # need more bytes
            if buf.startswith(b"<!--", j):
                k = buf.find(b"-->", j + 4)
                if k < 0:
                    break
                i = k + 3
            elif buf.startswith(b"<?", j):
                k = buf.find(b"?>", j + 2)
                if k < 0:
                    break
                i = k + 2
            elif buf.startswith(b"<!", j):
                return True  # <!DOCTYPE (or <!ENTITY, <![CDATA[ …) before the root: never from Excel
            else:
                return False  # the root element: no DTD
    return b"<!" in buf[i:]


def _refuse_dtd(part: bytes, name: str) -> None:
    """Refuse an XML part that declares a DTD (entity expansion, "billion laughs")."""
    if _prolog_has_dtd(part[k : k + 65536] for k in range(0, max(len(part), 1), 65536)):
        raise UnreadableFile("xml_bomb", _DTD_MESSAGE.format(name=name))


def _refuse_dtd_member(zf: zipfile.ZipFile, name: str) -> None:
    """:func:`_refuse_dtd` on a zip member, decompressing only as far as its root element."""
    try:
        with zf.open(name) as fh:
            found = _prolog_has_dtd(iter(lambda: fh.read(65536), b""))
    except (zipfile.BadZipFile, EOFError, OSError, zlib_error, NotImplementedError, ValueError) as exc:
        raise _corrupt_part(name) from exc
    if found:
        raise UnreadableFile("xml_bomb", _DTD_MESSAGE.format(name=name))


_COUNT_ATTR = re.compile(rb'\b(?:uniqueCount|count)\s*=\s*"(\d+)"')
#: The fewest bytes one shared string can take (``<si/>``): a declared count beyond the part's
#: size divided by this is a lie meant to make the reader reserve memory for it.
_MIN_SI_BYTES = 5


def _refuse_lying_counts(zf: zipfile.ZipFile, targets: dict[str, str]) -> None:
    """Refuse a shared-strings table that declares more strings than its size can hold (a reader
    reserves memory for the declared count up front: 4 billion strings ask for ~100 GB)."""
    names = set(zf.namelist())
    for path in {p for p in targets.values() if p.endswith("sharedStrings.xml")} | {"xl/sharedStrings.xml"}:
        if path not in names:
            continue
        info = zf.getinfo(path)
        try:
            with zf.open(path) as fh:
                head = fh.read(4096)
        except (zipfile.BadZipFile, EOFError, OSError, zlib_error, NotImplementedError, ValueError) as exc:
            raise _corrupt_part(path) from exc
        root = re.search(_TAG + rb"sst\b[^>]*>", head)
        declared = max((int(n) for n in _COUNT_ATTR.findall(root.group(0))), default=0) if root else 0
        if declared > info.file_size // _MIN_SI_BYTES + 1:
            raise UnreadableFile(
                "memory_bomb",
                f"Phần «{path}» khai báo {_n(declared)} chuỗi văn bản nhưng chỉ dài {_n(info.file_size)} byte — "
                "khai báo sai để buộc máy chủ giữ chỗ bộ nhớ khổng lồ (tệp độc hại hoặc bị sửa). "
                "Tệp bị từ chối; hãy mở tệp gốc trong Excel, lưu lại rồi tải lên.",
            )


def _check_well_formed(xml: bytes, name: str) -> None:
    """Refuse a package whose small structural part is not XML (calamine only says it cannot
    detect the format)."""
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(xml, forbid_dtd=True)
    except Exception as exc:  # ParseError or a defusedxml refusal
        raise UnreadableFile(
            "corrupt",
            f"Tệp .xlsx bị hỏng: phần cấu trúc «{name}» không phải XML hợp lệ (tệp bị sửa hoặc "
            "ghi dở). Hãy mở tệp gốc trong Excel, lưu lại rồi tải lên lại.",
        ) from exc


def _read_zip(data: bytes, cfg: Settings) -> Workbook:
    zf = _open_zip(data, cfg)
    names = set(zf.namelist())
    if "mimetype" in names:
        mime = _zip_read(zf, "mimetype")[:100]
        if b"opendocument.spreadsheet" in mime:
            return _read_ods(data, zf, cfg)
        if b"opendocument" in mime:
            raise UnreadableFile(
                "not_spreadsheet",
                "Đây là văn bản OpenDocument (không phải bảng tính .ods). Hãy tải lên bảng tính.",
            )
    if "content.xml" in names and not any(n.endswith("workbook.xml") for n in names):
        return _read_ods(data, zf, cfg)
    if any(n.startswith("word/") for n in names):
        raise UnreadableFile(
            "not_spreadsheet",
            "Đây là văn bản Word (.docx), không phải bảng tính. Hãy tải lên tệp Excel của báo cáo.",
        )
    if any(n.startswith("ppt/") for n in names):
        raise UnreadableFile("not_spreadsheet", "Đây là tệp PowerPoint, không phải bảng tính.")
    if "[Content_Types].xml" in names or any(n.endswith("workbook.xml") for n in names):
        return _read_xlsx(data, zf, cfg)
    raise UnreadableFile(
        "not_spreadsheet",
        "Tệp là một tệp nén (.zip) nhưng không chứa bảng tính Excel hay ODS.",
    )


# -- xlsx ------------------------------------------------------------------------------------

_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    """Attributes of one start tag by local name (prefixes dropped), in double or single quotes."""
    return {k.split(b":")[-1]: double or single for k, double, single in _ATTR.findall(tag)}


def _n(number: int) -> str:
    """An integer with vi-VN thousands dots, for messages."""
    return f"{number:,}".replace(",", ".")


def _is_percent_format(code: str) -> bool:
    """A number format shows a percentage when it has a % outside quotes and escapes."""
    code = re.sub(r'"[^"]*"', "", code)
    code = re.sub(r"\\.", "", code)
    return "%" in code


_BUILTIN_PERCENT = {9, 10}
_TAG = rb"<(?:\w+:)?"


def _xlsx_parts(zf: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    """The workbook part's path and its relationship targets (rId → part path)."""
    names = set(zf.namelist())
    wb_path = "xl/workbook.xml"
    if "_rels/.rels" in names:
        rels = _zip_read(zf, "_rels/.rels")
        _refuse_dtd(rels, "_rels/.rels")
        for _, rel in _relationships(rels, "_rels/.rels"):
            if rel.get("Type", "").strip().endswith("/officeDocument"):
                wb_path = normpath(rel.get("Target", "").strip().lstrip("/"))
    if wb_path not in names:
        candidates = [n for n in names if n.endswith("workbook.xml")]
        if not candidates:
            raise UnreadableFile(
                "corrupt",
                "Tệp .xlsx bị hỏng: không tìm thấy phần «workbook». Hãy mở trong Excel, lưu lại.",
            )
        wb_path = candidates[0]
    rels_path = join(dirname(wb_path), "_rels", wb_path.rsplit("/", 1)[-1] + ".rels")
    targets: dict[str, str] = {}
    if rels_path in names:
        rels = _zip_read(zf, rels_path)
        _refuse_dtd(rels, rels_path)
        for _, rel in _relationships(rels, rels_path):
            if rel.get("TargetMode", "").strip() == "External":
                continue  # a link to another file or a web address, not a part of this package
            target = rel.get("Target", "").strip()
            path = target.lstrip("/") if target.startswith("/") else join(dirname(wb_path), target)
            targets[rel.get("Id", "").strip()] = normpath(path)
    return wb_path, targets


def _relationships(rels: bytes, name: str):
    """The ``Relationship`` elements of a ``.rels`` part, parsed (any quoting, any prefix)."""
    yield from _iter_part(rels, name, "{*}Relationship")


_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))


def _is_date_format(code: str) -> bool:
    """A number format that shows a date or time (d, m, y, h, s outside quotes and [colour])."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code).lower()
    return bool(re.search(r"[dmyhs]", code)) and not re.search(r"[0#?]", code.split(";")[0].replace("0:", ""))


def _xlsx_styles(zf: zipfile.ZipFile, targets: dict[str, str]) -> tuple[set[int], set[int]]:
    """Indices of cellXfs whose number format is a percentage, and of those showing a date.

    One streaming parse of the styles part: custom formats from ``numFmts/numFmt`` (``numFmtId``,
    ``formatCode``), then each ``cellXfs/xf`` in order (its index is what a cell's ``s`` names);
    built-in ids 9 and 10 are percentages (ECMA-376 §18.8.30)."""
    path = next((p for p in targets.values() if p.endswith("styles.xml")), None)
    if path is None or path not in zf.namelist():
        return set(), set()
    xml = _zip_read(zf, path)
    _refuse_dtd(xml, path)
    custom: dict[int, str] = {}
    percent, dates = set(), set()
    index = 0
    for _, el in _iter_part(xml, path, ("{*}numFmt", "{*}xf")):
        parent = _local(el.getparent().tag) if el.getparent() is not None else ""
        if _local(el.tag) == "numFmt":
            try:
                custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
            except ValueError:
                pass
            continue
        if parent != "cellXfs":
            continue
        try:
            fmt = int(el.get("numFmtId", "0"))
        except ValueError:
            fmt = -1
        if fmt in _BUILTIN_PERCENT or (fmt in custom and _is_percent_format(custom[fmt])):
            percent.add(index)
        if fmt in _BUILTIN_DATES or (fmt in custom and _is_date_format(custom[fmt])):
            dates.add(index)
        index += 1
    return percent, dates


_V_CONTENT = re.compile(_TAG + rb"v>([^<]*)<", re.S)


def _ref_of(tag: bytes) -> Cell | None:
    a = _attrs(tag)
    ref = a.get(b"r")
    if not ref:
        return None
    try:
        return parse_ref(ref.decode())
    except ValueError:
        return None


#: How lxml parses every xlsx part here: no DTD loaded, no entity resolved, nothing fetched from
#: the network, libxml2's size limits kept (``huge_tree`` off). DTDs are refused before any part is
#: parsed (:func:`_refuse_dtd_member`); these options are the second wall.
_LXML_OPTIONS = {"huge_tree": False, "resolve_entities": False, "no_network": True, "load_dtd": False}


def _iter_part(source, name: str, tag, events=("end",)):
    """``lxml.etree.iterparse`` over one xlsx part (a file object or bytes), yielding
    ``(event, element)`` for the elements named ``tag`` (``"{*}c"`` style, any namespace, so
    Strict OOXML and prefixed parts are read alike).

    :raises UnreadableFile: cause ``corrupt`` when the part is not well-formed XML.
    """
    from lxml import etree

    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        yield from etree.iterparse(source, events=events, tag=tag, **_LXML_OPTIONS)
    except etree.XMLSyntaxError as exc:
        raise _malformed_part(name, exc) from exc


def _local(tag) -> str:
    """An element's name without its namespace (``"{ns}c"`` → ``"c"``); comments give ``""``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _forget(el) -> None:
    """Free a processed element and the siblings before it (keeps a streaming parse's memory flat)."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


_LETTERS = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


class _Refs:
    """Cell references → (row, col), 0-based, with the column letters' values remembered (a sheet
    names a few dozen columns over its whole length)."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}

    def __call__(self, ref: str) -> Cell | None:
        letters = ref.rstrip("0123456789")
        col = self.columns.get(letters)
        if col is not None and len(letters) < len(ref):  # the usual "B7": no regex
            return int(ref[len(letters) :]) - 1, col
        m = _LETTERS.match(ref.strip())
        if m is None:
            return None
        letters = m.group(1).upper()
        col = 0
        for ch in letters:
            col = col * 26 + (ord(ch) - 64)
        self.columns[ref.rstrip("0123456789")] = col - 1
        return int(m.group(2)) - 1, col - 1


_TRUE = ("1", "true")
#: A formula element's opening, with or without a prefix: a sheet without it has no formula.
_FORMULA_TOKENS = (b"<f", b":f")


def _scan_xlsx_sheet(xml: bytes, percent_xfs: set[int], trust_cache: bool, name: str = "sheet") -> dict:
    """What calamine does not report about a sheet, from its XML part.

    :param xml: the worksheet part's bytes (DTD already refused).
    :param percent_xfs: indices of cellXfs whose number format is a percentage.
    :param trust_cache: ``False`` when the workbook asks for ``fullCalcOnLoad`` (every formula's
        cached result is then distrusted).
    :returns: ``{"percent": set[(r, c)], "errors": {(r, c): "#DIV/0!"}, "formulas": {(r, c):
        formula text without "=" ("" for a shared formula's copies)}, "hidden_rows": set[int],
        "hidden_cols": set[int]}``, 0-based positions.

    One streaming parse (:func:`_stream_sheet`) in time linear in the part's size, unless byte
    tests prove a literal search complete (:mod:`kpi.reading.sheet_literals`): with no error cell
    and nothing hidden, the formulas and the percent cells come from regular expressions over the
    bytes when their counts prove nothing was missed, and the part is then only checked to be
    well-formed (libxml2 with no Python per element, ≈ 45 ms for a 64,000-formula sheet where the
    parse took 0.4 s). Issue 17: the regexes before searched backwards from every formula,
    quadratic.

    :raises UnreadableFile: cause ``corrupt`` when the part is not well-formed XML (the literal
        path checks it as the parse does; a sheet with no formula is left to calamine).
    """
    out = _no_scan()
    has_formulas = any(token in xml for token in _FORMULA_TOKENS)
    # an attribute valued e: t="e" (an error cell) among them
    needs_parse = b"hidden" in xml or b'"e"' in xml or b"'e'" in xml
    if not needs_parse:
        # libxml2's check runs beside the literal search (it releases the interpreter's lock)
        check = Beside(lambda: _check_part_well_formed(xml, name)) if has_formulas else None
        try:
            formulas = formulas_by_literals(xml, trust_cache) if has_formulas else {}
            percent = percent_by_literals(xml, percent_xfs) if formulas is not None else None
        finally:
            if check is not None:
                check.wait()
        if percent is not None:
            if check is not None:
                check.result()  # raises when the part is not well-formed
            out["formulas"], out["percent"] = formulas, percent
            return out
    return _stream_sheet(io.BytesIO(xml), percent_xfs, trust_cache, name)


class _NoEvents:
    """A parser target that keeps nothing: libxml2 checks the part and calls no Python."""

    def close(self) -> None:
        return None


def _check_part_well_formed(xml: bytes, name: str) -> None:
    """:raises UnreadableFile: cause ``corrupt`` when ``xml`` is not well-formed (the parse's own
    options: no entities, no network, no huge trees)."""
    from lxml import etree

    try:
        etree.fromstring(xml, etree.XMLParser(target=_NoEvents(), **_LXML_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise _malformed_part(name, exc) from exc


def _stream_sheet(source, percent_xfs: set[int], trust_cache: bool, name: str = "sheet") -> dict:
    """:func:`_scan_xlsx_sheet`'s facts by one streaming lxml parse of a worksheet part (a binary
    file object), fed 64 KiB at a time (``XMLPullParser``, iterparse's feeding form, same
    options); the rows parsed so far are read and freed after each piece, so memory stays flat.

    After each piece one compiled XPath (run in libxml2, not in Python) picks the finished rows'
    cells worth a look — a formula child, ``t="e"`` or a percent style — so the Python work
    follows those cells and the rows, not every cell. Positions follow the cells' ``r`` and,
    where it is missing, the order of rows and cells (the rule of Excel, calamine and openpyxl).
    A cell's style ``s`` is the cellXfs index; ``t="e"`` with a ``<v>`` is an error; a cell
    with ``<f>`` whose ``<v>`` is missing or blank (or any formula cell when ``trust_cache`` is
    false) is a formula without a trusted result — error cells are named as errors only.

    :raises UnreadableFile: cause ``corrupt`` when the part is not well-formed XML.
    """
    from lxml import etree

    out = _no_scan()
    percent, errors, formulas, hidden_rows = out["percent"], out["errors"], out["formulas"], out["hidden_rows"]
    styles = "".join(f" or number(@s)={i}" for i in sorted(percent_xfs))
    worth_a_look = plain_rows = None  # compiled for the sheet's namespace once sheetData is seen
    is_percent: dict[str | None, bool] = {None: False}
    kinds: dict[str, str] = {}  # a child's tag (with its namespace) → its local name
    refs = _Refs()
    last_row = -1  # the index of the last row read

    def index_rows(rows) -> dict:
        """Each row element of ``rows`` → its 0-based index (its ``r``, else the one after the
        previous row's); the hidden ones noted."""
        nonlocal last_row
        index = {}
        for row in rows:
            tag = row.tag
            kind = kinds.get(tag) if isinstance(tag, str) else ""
            if kind is None:
                kind = kinds[tag] = _local(tag)
            if kind != "row":
                continue  # a comment or processing instruction
            number = row.get("r", "").strip()
            last_row = index[row] = int(number) - 1 if number.isdigit() else last_row + 1
            if row.get("hidden", "").strip() in _TRUE:
                hidden_rows.add(last_row)
        return index

    def read_rows(sheet_data, n: int) -> None:
        """Read and free the first ``n`` rows of ``sheet_data`` (all finished)."""
        nonlocal last_row
        nonlocal worth_a_look, plain_rows
        if worth_a_look is None:
            namespace = sheet_data.tag[1:].split("}", 1)[0] if sheet_data.tag.startswith("{") else None
            p = "m:" if namespace else ""
            # With the cache trusted, a formula with a cached result is no concern: Excel saves one
            # for every formula, so only a program's file sends its formulas to Python.
            formula = f"{p}f[not(../{p}v) or normalize-space(../{p}v) = '']" if trust_cache else f"{p}f"
            worth_a_look = etree.XPath(
                f"{p}row[position() <= $n]/{p}c[{formula} or @t='e'{styles}]",
                namespaces={"m": namespace} if p else None,
            )
            plain_rows = etree.XPath(
                f"count({p}row) = count(*|comment()|processing-instruction()) and not({p}row[position() <= $n][@hidden])",
                namespaces={"m": namespace} if p else None,
            )
        look = worth_a_look
        first_row = last_row
        # Every child a row, none with a hidden attribute, the last one numbered (as every writer
        # does): the rows need no Python at all, unless a cell below has no reference (issue 17:
        # ≈ 1 µs a row).
        number = sheet_data[n - 1].get("r", "").strip() if n and plain_rows(sheet_data, n=n) else ""
        if number.isdigit():
            index = None
            last_row = int(number) - 1
            counted = n
        else:
            index = index_rows(sheet_data[:n])
            counted = len(index)
        places = {}
        for cell in look(sheet_data, n=counted):  # the XPath counts rows only
            ref = cell.get("r")
            pos = refs(ref) if ref else None
            if pos is None:  # no reference: its place in its row, counted once per row
                if index is None:
                    last_row = first_row
                    index = index_rows(sheet_data[:n])
                row = cell.getparent()
                if row not in places:
                    places[row] = _row_places(row, index[row], refs)
                pos = places[row][cell]
            style = cell.get("s") if percent_xfs else None  # no percent style: no need to look
            hit = is_percent.get(style)
            if hit is None:
                try:
                    hit = is_percent[style] = int(style) in percent_xfs
                except ValueError:
                    hit = is_percent[style] = False
            if hit:
                percent.add(pos)
            formula = value = None
            for child in cell:
                part = kinds.get(child.tag)
                if part is None:
                    part = kinds[child.tag] = _local(child.tag)
                if part == "f":
                    formula = child.text or ""
                elif part == "v":
                    value = child.text or ""
            if value is not None and cell.get("t") == "e":
                errors[pos] = value.strip() or "#ERROR"
            elif formula is not None and (not trust_cache or not value or not value.strip()):
                formulas[pos] = formula
        del sheet_data[:n]

    parser = etree.XMLPullParser(events=("start",), tag="{*}sheetData", **_LXML_OPTIONS)
    sheet_data = None
    # The scan makes no reference cycles, only results that live on: read_workbook pauses the
    # cyclic collector (kpi.reading.collector), which walked them again and again as they grew.
    try:
        for piece in iter(lambda: source.read(1 << 16), b""):
            parser.feed(piece)
            for _, el in parser.read_events():
                sheet_data = el
            if sheet_data is not None and len(sheet_data) > 1:
                read_rows(sheet_data, len(sheet_data) - 1)  # the last row may still be open
        root = parser.close()
        if sheet_data is not None:
            read_rows(sheet_data, len(sheet_data))
    except etree.XMLSyntaxError as exc:
        raise _malformed_part(name, exc) from exc
    for col in root.iterfind("{*}cols/{*}col"):
        if col.get("hidden", "").strip() in _TRUE:
            try:
                lo, hi = int(col.get("min", "1")), int(col.get("max", "1"))
            except ValueError:
                continue
            out["hidden_cols"].update(range(max(lo, 1) - 1, min(hi, 16384)))
    return out


def _row_places(row_el, row: int, refs: _Refs) -> dict:
    """Every cell of a row → (row, col): its ``r``, or the column after the previous cell's."""
    places = {}
    col = -1
    for cell in row_el:
        if _local(cell.tag) != "c":
            continue
        ref = cell.get("r")
        pos = refs(ref) if ref else None
        col = pos[1] if pos is not None else col + 1
        places[cell] = (pos[0] if pos is not None else row, col)
    return places


_DENSE_LIMIT = 20_000_000  # cells of a sheet's bounding box that calamine may allocate densely
_ROW_TAG = re.compile(_TAG + rb'row\b[^>]*?\br="(\d+)"')
_WIDE_COL = re.compile(rb'r="([A-Z]{2,3})\d')  # a literal first: fast


def _sheet_extent(xml: bytes) -> tuple[int, int]:
    """The sheet's bounding box (rows, columns) as its cells' references say, cheaply: the last
    row tag, and the widest column named with two or three letters."""
    if not xml:
        return 0, 0
    last = xml.rfind(b"<row")
    if last < 0:
        last = xml.rfind(b":row ")
    n_rows = 0
    if last >= 0:
        m = _ROW_TAG.match(xml, xml.rfind(b"<", 0, last + 1))
        n_rows = int(m.group(1)) if m else 0
    n_rows = max(n_rows, xml.count(b"<row") + xml.count(b":row "))
    n_cols = 26
    for letters in set(_WIDE_COL.findall(xml)):
        col = 0
        for ch in letters.decode():
            col = col * 26 + (ord(ch) - 64)
        n_cols = max(n_cols, col)
    return n_rows, n_cols


def _shared_strings(zf: zipfile.ZipFile, targets: dict[str, str]) -> list[str]:
    """The shared-strings table, in order: each ``si``'s text (its ``t``, or its rich-text runs'
    ``r/t`` joined; phonetic guides ``rPh`` left out, as Excel shows the cell), by one streaming
    parse of the part."""
    path = next((p for p in targets.values() if p.endswith("sharedStrings.xml")), None)
    if path is None or path not in zf.namelist():
        return []
    out = []
    with zf.open(path) as fh:
        for _, si in _iter_part(fh, path, "{*}si"):
            texts = []
            for child in si:
                part = _local(child.tag)
                if part == "t":
                    texts.append(child.text or "")
                elif part == "r":
                    texts.extend(t.text or "" for t in child if _local(t.tag) == "t")
            out.append("".join(texts))
            _forget(si)
    return out


_CELL = re.compile(_TAG + rb"c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
#: A cell with no content (``<c r="XFD1048576" s="3"/>``): formatted and blank.
_BLANK_CELL = re.compile(_TAG + rb"c\b[^>]*/>")


def _sparse_rows(
    xml: bytes, shared: list[str], date_xfs: set[int], date1904: bool, max_cells: int, name: str
) -> tuple[list[list], tuple]:
    """Read a sheet's non-blank cells from its XML (used when its bounding box is absurd).

    :raises UnreadableFile: the *non-blank* cells still span more than ``max_cells``.
    """
    cells: dict[tuple[int, int], object] = {}
    # the formatted blank cells, the bulk of an absurd box, dropped in one pass (49,152 of them in
    # calamine’s issue_174 test file: 26 → 13 ms), not matched and skipped one by one
    for m in _CELL.finditer(_BLANK_CELL.sub(b"", xml)):
        if not m.group(2):  # <c r="…"></c>: blank too
            continue
        attrs = _attrs(b"<c" + m.group(1))
        ref = attrs.get(b"r")
        if not ref:
            continue
        try:
            r, c = parse_ref(ref.decode())
        except ValueError:
            continue
        inner = m.group(2) or b""
        kind = attrs.get(b"t", b"n")
        v = _V_CONTENT.search(inner)
        raw = v.group(1) if v else b""
        if kind == b"s":
            try:
                value: object = shared[int(raw)]
            except (ValueError, IndexError):
                continue
        elif kind == b"inlineStr":
            value = xml_unescape(b"".join(re.findall(_TAG + rb"t\b[^>]*>([^<]*)<", inner)))
        elif kind in (b"str", b"e"):
            value = xml_unescape(raw) if kind == b"str" else ""
        elif kind == b"b":
            value = raw.strip() == b"1"
        else:
            if not raw.strip():
                continue
            try:
                number = float(raw)
            except ValueError:
                continue
            style = attrs.get(b"s")
            if style is not None and style.isdigit() and int(style) in date_xfs:
                value = excel_serial_to_date(number, date1904)
            else:
                value = number
        if isinstance(value, str) and not value.strip():
            continue
        cells[(r, c)] = value
    if not cells:
        return [], ()
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    if height * width > max_cells:
        far = max(cells, key=lambda rc: rc[0] * 16384 + rc[1])
        raise UnreadableFile(
            "too_many_cells",
            f"Trang «{name}» có số liệu ở ô {cell_ref(*far)}, rất xa bảng chính, khiến vùng dữ liệu quá lớn "
            f"({_n(height)} dòng × {_n(width)} cột). Hãy xoá nội dung các ô thừa ở cuối trang (trong Excel, "
            "Ctrl+End cho thấy ô cuối) rồi lưu lại.",
        )
    rows = [[""] * width for _ in range(height)]
    for (r, c), value in cells.items():
        rows[r][c] = value
    merged = tuple(
        (*parse_ref(a.decode()), *parse_ref(b.decode()))
        for a, b in re.findall(_TAG + rb'mergeCell\b[^>]*?ref="([A-Z]+\d+):([A-Z]+\d+)"', xml)
    )
    return rows, merged


def _calamine(data: bytes):
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def _calamine_rows(wb, name: str) -> list[list]:
    return sheet_rows(wb.get_sheet_by_name(name))


def sheet_rows(sheet) -> list[list]:
    """A calamine sheet's cells at absolute positions, as ``to_python(skip_empty_area=False)``
    gives them, with equal texts shared as one object.

    Rows come from ``iter_rows()`` and each text goes through a dict as it arrives: a register's
    unit, indicator and ĐVT columns repeat a few dozen texts over 100 000 rows, and holding them
    once keeps the peak memory ~35 MB (≈ 20 %) under ``to_python``'s, at no cost in time
    (bench/run.py, big_sheet). ``iter_rows()`` yields rows from the first row but columns from
    the used range's first column; both offsets are checked, not assumed.
    """
    if sheet.start is None:
        return []
    r0, c0 = sheet.start
    seen: dict[str, str] = {}
    share = seen.setdefault
    rows = [[share(v, v) if type(v) is str else v for v in row] for row in sheet.iter_rows()]
    if c0 and rows and len(rows[0]) == sheet.width:  # columns relative to the used range
        pad = [""] * c0
        rows = [pad + row for row in rows]
    if r0 and len(rows) == sheet.height:  # rows relative to the used range
        width = c0 + sheet.width
        rows = [[""] * width for _ in range(r0)] + rows
    return rows


#: A worksheet part up to this size is scanned beside calamine's parse of it (issue 17); a larger
#: one before it, so that the two are not in memory at once.
_BESIDE_MAX_BYTES = 16 * 1024 * 1024


def _no_scan() -> dict:
    """An empty scan: what :func:`_scan_xlsx_sheet` returns for a part with nothing to say."""
    return {"percent": set(), "errors": {}, "formulas": {}, "hidden_rows": set(), "hidden_cols": set()}


def _dense_cells(cwb, name: str) -> tuple[list[list], tuple]:
    """A sheet's rows (:func:`sheet_rows`) and merged ranges ``(r0, c0, r1, c1)`` from calamine.

    :raises UnreadableFile: what :func:`_diagnose_calamine` makes of calamine's error."""
    try:
        sheet_obj = cwb.get_sheet_by_name(name)
        rows = sheet_rows(sheet_obj)
        merged_raw = sheet_obj.merged_cell_ranges
    except Exception as exc:
        raise _diagnose_calamine(exc, "xlsx") from exc
    return rows, tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in (merged_raw or []))


def _read_xlsx(data: bytes, zf: zipfile.ZipFile, cfg: Settings) -> Workbook:
    names = set(zf.namelist())
    if "xl/encryption" in names or "EncryptionInfo" in names:
        raise _password_error()
    wb_path, targets = _xlsx_parts(zf)
    wb_xml = _zip_read(zf, wb_path)
    _refuse_dtd(wb_xml, wb_path)
    date1904 = re.search(_TAG + rb'workbookPr\b[^>]*\bdate1904="(?:1|true)"', wb_xml) is not None
    trust_cache = re.search(rb'fullCalcOnLoad="(?:1|true)"', wb_xml) is None
    sheet_tags = re.findall(_TAG + rb"sheet\b[^>]*>", wb_xml)
    for part in sorted(names):
        if part.endswith((".xml", ".rels", ".vml")):
            _refuse_dtd_member(zf, part)
    for part in ("[Content_Types].xml", "_rels/.rels", wb_path):
        if part in names:
            _check_well_formed(_zip_read(zf, part), part)
    _refuse_lying_counts(zf, targets)
    percent_xfs, date_xfs = _xlsx_styles(zf, targets)
    shared: list[str] | None = None
    try:
        cwb = _calamine(data)
    except Exception as exc:  # calamine says only "Cannot detect file format" or a parse error
        raise _diagnose_calamine(exc, "xlsx") from exc
    sheets: list[Sheet] = []
    meta = {m.name: m for m in cwb.sheets_metadata}
    for tag in sheet_tags:
        a = _attrs(tag)
        name = xml_unescape(a.get(b"name", b""))
        if name not in meta:
            continue
        m = meta[name]
        if str(m.typ).rsplit(".", 1)[-1] not in ("WorkSheet", "Worksheet"):
            continue
        state = a.get(b"state", b"visible").decode()
        path = targets.get(a.get(b"id", b"").decode())
        xml = _zip_read(zf, path) if path and path in names else b""
        n_rows, n_cols = _sheet_extent(xml)
        if n_rows * n_cols > _DENSE_LIMIT:
            # One non-blank cell far away (XFD1048576) makes calamine allocate the whole grid and
            # abort the process: read such a sheet sparsely, keeping its real cells.
            scan = _scan_xlsx_sheet(xml, percent_xfs, trust_cache, path)
            if shared is None:
                shared = _shared_strings(zf, targets)
            rows, merged = _sparse_rows(xml, shared, date_xfs, date1904, cfg.max_cells, name)
        elif len(xml) > _BESIDE_MAX_BYTES:
            # scanned first and let go before calamine parses: the part and calamine's cells at once
            # would lift a 100,000-row sheet's peak memory over openpyxl's (bench/run.py, big_sheet)
            scan = _scan_xlsx_sheet(xml, percent_xfs, trust_cache, path)
            xml = b""
            rows, merged = _dense_cells(cwb, name)
        else:
            # The scan runs beside calamine's parse (kpi.reading.beside), which releases the
            # interpreter's lock; a fault of the part is said first.
            scan_job = Beside(functools.partial(_scan_xlsx_sheet, xml, percent_xfs, trust_cache, path)) if xml else None
            xml = b""
            try:
                rows, merged = _dense_cells(cwb, name)
            except UnreadableFile:
                if scan_job is not None:
                    scan_job.result()  # the part's own fault, when it has one, is the one said
                raise
            scan = scan_job.result() if scan_job is not None else _no_scan()
        sheets.append(
            Sheet(
                name=name,
                rows=rows,
                state={"hidden": "hidden", "veryHidden": "veryHidden"}.get(state, "visible"),
                percent=frozenset(scan["percent"]),
                errors=scan["errors"],
                formulas=scan["formulas"],
                merged=merged,
                hidden_rows=frozenset(scan["hidden_rows"]),
                hidden_cols=frozenset(scan["hidden_cols"]),
            )
        )
    notes = [_RECALCULATED] if not trust_cache and any(s.formulas for s in sheets) else []
    return Workbook("xlsx", sheets, date1904=date1904, notes=notes)


#: The workbook's fullCalcOnLoad flag, said in the clerk's words (issue 14, item 8).
_RECALCULATED = (
    "Tệp được lưu kèm yêu cầu Excel tự tính lại mọi công thức khi mở, nên kết quả công thức lưu sẵn "
    "trong tệp có thể đã cũ hoặc bị thiếu: chương trình không dùng các kết quả đó mà tự tính lại những "
    "công thức đơn giản (cộng, trừ, nhân, chia, SUM, ROUND); ô nào không tính được sẽ được báo riêng. "
    "Nếu thấy thiếu số, hãy mở tệp bằng Excel, lưu lại rồi tải lên lại."
)


def _password_error() -> UnreadableFile:
    return UnreadableFile(
        "encrypted",
        "Tệp được đặt mật khẩu nên không đọc được. Hãy mở tệp trong Excel, bỏ mật khẩu "
        "(Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu: để trống), lưu lại rồi tải lên.",
    )


def _diagnose_calamine(exc: Exception, fmt: str) -> UnreadableFile:
    """Turn calamine's terse errors into the real cause, in Vietnamese."""
    text = str(exc)
    name = type(exc).__name__
    if "Password" in name or "password" in text.lower() or "encrypt" in text.lower():
        return _password_error()
    return UnreadableFile(
        "corrupt",
        f"Tệp .{fmt} bị hỏng hoặc ghi sai cấu trúc nên không đọc được ({name}: {text[:120]}). "
        "Hãy mở tệp gốc trong Excel hoặc LibreOffice, lưu lại (Lưu thành .xlsx) rồi tải lên lại.",
    )


# -- ods -------------------------------------------------------------------------------------


def _read_ods(data: bytes, zf: zipfile.ZipFile, cfg: Settings) -> Workbook:
    from kpi.reading.formats import scan_ods_content

    names = set(zf.namelist())
    if "content.xml" not in names:
        raise UnreadableFile("corrupt", "Tệp .ods bị hỏng: thiếu phần nội dung (content.xml).")
    manifest = _zip_read(zf, "META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        raise _password_error()
    for part in sorted(names):
        if part.endswith((".xml", ".rdf")):
            _refuse_dtd_member(zf, part)
    content = _zip_read(zf, "content.xml")
    try:
        facts = scan_ods_content(content)
    except ValueError as exc:  # a damaged count that is not a number ("!6384" repeated rows)
        raise UnreadableFile(
            "corrupt",
            "Nội dung tệp .ods bị hỏng (content.xml ghi sai một thuộc tính), không đọc được. Hãy mở tệp gốc "
            "trong LibreOffice, lưu lại rồi tải lên lại.",
        ) from exc
    try:
        cwb = _calamine(data)
    except Exception as exc:
        raise _diagnose_calamine(exc, "ods") from exc
    sheets = []
    for name in cwb.sheet_names:
        f = facts.get(name, {})
        try:
            rows = _calamine_rows(cwb, name)
        except Exception as exc:
            raise _diagnose_calamine(exc, "ods") from exc
        sheets.append(
            Sheet(
                name=name,
                rows=rows,
                state=f.get("state", "visible"),
                percent=frozenset(f.get("percent", ())),
                errors=f.get("errors", {}),
                formulas=f.get("formulas", {}),
                merged=tuple(f.get("merged", ())),
                hidden_rows=frozenset(f.get("hidden_rows", ())),
                hidden_cols=frozenset(f.get("hidden_cols", ())),
            )
        )
    return Workbook("ods", sheets, date1904=facts.get("__date1904__", False))


# -- OLE: .xls or an encrypted OOXML package ---------------------------------------------------


def _ole_streams(data: bytes) -> set[str]:
    """Names in an OLE compound file's directory (UTF-16LE), read loosely."""
    found = set()
    for name in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book", "WordDocument", "PowerPoint Document"):
        if name.encode("utf-16-le") in data:
            found.add(name)
    return found


def _read_ole(data: bytes, cfg: Settings) -> Workbook:
    streams = _ole_streams(data)
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise _password_error()
    if "WordDocument" in streams:
        raise UnreadableFile("not_spreadsheet", "Đây là văn bản Word (.doc), không phải bảng tính.")
    if "PowerPoint Document" in streams:
        raise UnreadableFile("not_spreadsheet", "Đây là tệp PowerPoint, không phải bảng tính.")
    return _read_xls(data, cfg)


def _read_xls(data: bytes, cfg: Settings) -> Workbook:
    try:
        cwb = _calamine(data)
        names = cwb.sheet_names
        values = {n: _calamine_rows(cwb, n) for n in names}
        vis = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in cwb.sheets_metadata}
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or "Password" in type(exc).__name__:
            raise _password_error() from exc
        raise UnreadableFile(
            "corrupt",
            "Tệp .xls bị hỏng nên không đọc được (có thể bị cắt cụt khi sao chép). Hãy mở tệp gốc "
            "trong Excel, lưu lại (tốt nhất dưới dạng .xlsx) rồi tải lên lại.",
        ) from exc
    facts, date1904, notes = _xlrd_facts(data)
    sheets = []
    for name in names:
        f = facts.get(name, {})
        state = {"Hidden": "hidden", "VeryHidden": "veryHidden"}.get(vis.get(name, ""), "visible")
        sheets.append(
            Sheet(
                name=name,
                rows=values[name],
                state=f.get("state", state),
                percent=frozenset(f.get("percent", ())),
                errors=f.get("errors", {}),
                merged=f.get("merged"),
                hidden_rows=frozenset(f.get("hidden_rows", ())),
                hidden_cols=frozenset(f.get("hidden_cols", ())),
            )
        )
    return Workbook("xls", sheets, date1904=date1904, notes=notes)


def _xlrd_facts(data: bytes) -> tuple[dict, bool, list[str]]:
    """Percent formats, error cells, merges and hidden rows of an .xls, through xlrd."""
    import xlrd

    notes: list[str] = []
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception:  # noqa: BLE001 - xlrd raises many kinds; calamine already read the values
        notes.append("Không đọc được định dạng ô của tệp .xls: tỷ lệ % được lấy theo giá trị ghi trong ô.")
        return {}, False, notes
    out: dict = {}
    percent_xf = set()
    for index, xf in enumerate(book.xf_list):
        fmt = book.format_map.get(xf.format_key)
        if fmt is not None and _is_percent_format(fmt.format_str):
            percent_xf.add(index)
    for index in range(book.nsheets):
        try:
            sh = book.sheet_by_index(index)
        except Exception:  # noqa: BLE001
            continue
        f = {"percent": set(), "errors": {}, "hidden_rows": set(), "hidden_cols": set()}
        f["state"] = {0: "visible", 1: "hidden", 2: "veryHidden"}.get(sh.visibility, "visible")
        f["merged"] = tuple((r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells)
        for r in range(sh.nrows):
            for c in range(sh.row_len(r)):
                ctype = sh.cell_type(r, c)
                if ctype == xlrd.XL_CELL_ERROR:
                    f["errors"][(r, c)] = xlrd.error_text_by_code.get(sh.cell_value(r, c), "#ERROR")
                elif ctype == xlrd.XL_CELL_NUMBER and sh.cell_xf_index(r, c) in percent_xf:
                    f["percent"].add((r, c))
        for r, info in sh.rowinfo_map.items():
            if getattr(info, "hidden", 0):
                f["hidden_rows"].add(r)
        for c, info in sh.colinfo_map.items():
            if getattr(info, "hidden", 0):
                f["hidden_cols"].add(c)
        out[sh.name] = f
    return out, bool(book.datemode), notes


def is_error_text(value: object) -> bool:
    """A string that is a spreadsheet error value ("#DIV/0!", LibreOffice's "Err:502")."""
    if not isinstance(value, str):
        return False
    s = value.strip()
    return s in _ERROR_TEXTS or bool(re.match(r"^Err:\d{3}$", s)) or s == "#####"


def excel_serial_to_date(value: float, date1904: bool) -> dt.date:
    """An Excel date serial in the workbook's date system → date."""
    epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    return epoch + dt.timedelta(days=int(value))


# --------------------------------------------------------------------------------------------
# Diagnosis after a reader died


_VALUED_CELL = re.compile(
    _TAG
    + rb"c\b([^>]*?)(?<!/)>\s*(?:<(?:\w+:)?f\b[^>]*/>\s*|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>\s*)?<(?:\w+:)?(?:v|is)\b"
)
_SHARED_REF = re.compile(_TAG + rb'c\b[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')
_SI = re.compile(_TAG + rb"si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)


def diagnose(data: bytes, cfg: Settings | None = None) -> UnreadableFile | None:
    """Why a reader ran out of memory or time on ``data``, in words a clerk can act on — or
    ``None`` when no cause is found. Slow (full passes over every sheet), so it only runs after a
    failure, in a fresh worker under the same limits (:mod:`kpi.reading.worker`). It finds:

    * a value far from the table (a used range like ``A1:XFD1048576``: the reader lays out every
      cell of the range, 17 billion here) — names the far cell;
    * a long shared string repeated in many cells (the reader copies it into each cell).
    """
    cfg = cfg or Settings()
    if sniff(data) != "zip":
        return None
    zf = _open_zip(data, cfg)
    names = set(zf.namelist())
    if "mimetype" in names or "content.xml" in names:
        return None
    wb_path, targets = _xlsx_parts(zf)
    wb_xml = _zip_read(zf, wb_path)
    sst_path = next((p for p in targets.values() if p.endswith("sharedStrings.xml")), "xl/sharedStrings.xml")
    lengths: list[int] | None = None
    for tag in re.findall(_TAG + rb"sheet\b[^>]*>", wb_xml):
        a = _attrs(tag)
        name = xml_unescape(a.get(b"name", b""))
        path = targets.get(a.get(b"id", b"").decode())
        if not path or path not in names:
            continue
        xml = _zip_read(zf, path)
        max_row = max_col = -1
        far_row = far_col = ""
        for m in _VALUED_CELL.finditer(xml):
            ref = _ref_of(m.group(0))
            if ref is None:
                continue
            if ref[0] > max_row:
                max_row, far_row = ref[0], cell_ref(*ref)
            if ref[1] > max_col:
                max_col, far_col = ref[1], cell_ref(*ref)
        area = (max_row + 1) * (max_col + 1)
        if area > cfg.max_cells:
            far = far_row if far_row == far_col else f"{far_col} và {far_row}"
            return UnreadableFile(
                "too_many_cells",
                f"Trang «{name}» có dữ liệu ở ô {far}, rất xa bảng chính: vùng phải đọc là "
                f"{_n(max_row + 1)} dòng × {_n(max_col + 1)} cột ({_n(area)} ô; giới hạn "
                f"{_n(cfg.max_cells)}). Hãy xoá nội dung ô đó (Ctrl+End trong Excel đến ô cuối cùng có "
                "dữ liệu), lưu lại rồi tải lên.",
            )
        refs = _SHARED_REF.findall(xml)
        if refs and sst_path in names:
            if lengths is None:
                lengths = [len(m.group(1)) for m in _SI.finditer(_zip_read(zf, sst_path))]
            total = 0
            longest = 0
            for raw in refs:
                index = int(raw)
                if index < len(lengths):
                    total += lengths[index]
                    longest = max(longest, lengths[index])
            if total > cfg.worker_memory_bytes // 4:
                return UnreadableFile(
                    "memory_bomb",
                    f"Trang «{name}» lặp lại chuỗi văn bản rất dài (tới {_n(longest)} ký tự) ở "
                    f"{_n(len(refs))} ô: đọc ra cần khoảng {total / 1024**3:.0f} GB bộ nhớ nên bị từ chối "
                    "để bảo vệ máy chủ (tệp độc hại hoặc bị sửa). Hãy xoá các ô đó, lưu lại rồi tải lên.",
                )
    return None
