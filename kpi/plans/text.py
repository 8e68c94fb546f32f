"""A plan document's bytes (or pasted text) as an ordered list of lines and tables.

One entry point for files, :func:`read_plan_document` (the uploader, the command line and tests
share it), and one for pasted text, :func:`text_document`. Both return a :class:`PlanDocument`
whose ``blocks`` keep the document's order: each paragraph or line is a ``line`` block (clean
one-line text, markdown markup removed), each table a ``table`` block (rows of cell texts).

The format is decided by the first bytes, never by the name:

=====================  =====================================================================
first bytes            reader
=====================  =====================================================================
``PK\\x03\\x04`` (zip)   .docx (python-docx; paragraphs and tables in body order, a paragraph's
                       "Heading n" style kept as its level); the zip is checked for bombs first
``D0 CF 11 E0`` (OLE)    old .doc: refused, with how to save it as .docx
``%PDF``                 refused, with what to do
anything else          text (.txt, .md): UTF-8 (with or without BOM), else UTF-16 with a BOM,
                       else Windows-1258; markdown pipe tables and tab-separated lines are
                       tables, markdown emphasis and heading marks are dropped
=====================  =====================================================================

:raises kpi.errors.UnreadableFile: (from :func:`read_plan_document`) with a Vietnamese message.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from kpi.errors import UnreadableFile
from kpi.storage.database import sha256_of
from kpi.vn import clean_text

__all__ = ["Block", "PlanDocument", "read_plan_document", "text_document"]

#: Largest plan document accepted, and largest total uncompressed size of a .docx.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    """One piece of a plan document, in order.

    :ivar kind: ``line`` (a paragraph or a line of text) or ``table``.
    :ivar number: 1-based position in the document (line number of a text file, paragraph or
        table number of a .docx), shown to the user beside what was read from it.
    :ivar text: the line's clean text (``""`` for a table).
    :ivar rows: a table's rows of clean cell texts.
    :ivar heading: a heading level given by the format itself (markdown ``#`` count, a .docx
        "Heading n" style), else 0.
    """

    kind: str
    number: int
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    heading: int = 0


@dataclass(frozen=True)
class PlanDocument:
    """A plan as read: its blocks, its text (what is stored with the targets) and identity."""

    file_name: str
    sha256: str
    text: str
    blocks: tuple[Block, ...]


_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_(?=\w)|(?<=\w)_(?!\w))")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _clean_markdown(line: str) -> tuple[str, int]:
    """A markdown line as plain text and its heading level (0 if none)."""
    level = 0
    m = _MD_HEADING.match(line)
    if m:
        level = len(m.group(1))
        line = line[m.end() :]
    line = _MD_EMPHASIS.sub("", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    line = line.replace("<br>", " ").replace("&nbsp;", " ")
    return clean_text(line), level


def _split_row(line: str) -> tuple[str, ...]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(_clean_markdown(cell)[0] for cell in body.split("|"))


def text_document(text: str, file_name: str = "văn bản dán vào") -> PlanDocument:
    """Pasted (or decoded) text as a :class:`PlanDocument`.

    Lines starting with ``|`` (markdown tables; the ``|---|`` rule is skipped) and runs of lines
    with tabs (copied from Word or Excel) become ``table`` blocks; every other non-empty line a
    ``line`` block.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    table_start = 0
    lines = text.split("\n")

    def flush() -> None:
        nonlocal table
        if table:
            blocks.append(Block("table", table_start, rows=tuple(table)))
            table = []

    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        is_pipe = stripped.startswith("|") and stripped.count("|") >= 2
        is_tab = "\t" in stripped and len([c for c in stripped.split("\t") if c.strip()]) >= 2
        if is_pipe or is_tab:
            if not table:
                table_start = number
            if is_pipe and _MD_TABLE_RULE.match(stripped):
                continue
            row = _split_row(stripped) if is_pipe else tuple(_clean_markdown(c)[0] for c in raw.split("\t"))
            table.append(row)
            continue
        flush()
        cleaned, level = _clean_markdown(raw)
        if cleaned:
            blocks.append(Block("line", number, cleaned, heading=level))
    flush()
    return PlanDocument(file_name, sha256_of(text.encode("utf-8")), text, tuple(blocks))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def _docx_blocks(data: bytes) -> tuple[str, tuple[Block, ...]]:
    """Paragraphs and tables of a .docx in body order, and its text (tables as tab-separated rows)."""
    import docx
    from docx.table import Table

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        total = sum(info.file_size for info in zf.infolist())
        names = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(
            "corrupt", "Tệp .docx bị hỏng (không mở được). Hãy lưu lại tệp rồi tải lên lần nữa."
        ) from exc
    if total > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise UnreadableFile("zip_bomb", "Tệp .docx giải nén ra quá lớn; tệp bị từ chối.")
    if "word/document.xml" not in names:
        raise UnreadableFile(
            "not_document",
            "Tệp là một tệp nén nhưng không phải văn bản Word (.docx). Hãy tải lên tệp .docx, .txt hoặc .md.",
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise UnreadableFile("corrupt", "Tệp .docx bị hỏng (không đọc được nội dung).") from exc
    blocks: list[Block] = []
    texts: list[str] = []
    for number, item in enumerate(document.iter_inner_content(), start=1):
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans: keep it once.
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(clean_text(cell.text))
                rows.append(tuple(cells))
            blocks.append(Block("table", number, rows=tuple(rows)))
            texts.extend("\t".join(r) for r in rows)
            continue
        text = clean_text(item.text)
        style = (item.style.name if item.style is not None else "") or ""
        m = re.match(r"(?:Heading|Title)\s*(\d*)", style)
        level = (int(m.group(1)) if m.group(1) else 1) if m else 0
        texts.append(item.text)
        if text:
            blocks.append(Block("line", number, text, heading=level))
    return "\n".join(texts), tuple(blocks)


def read_plan_document(data: bytes, file_name: str) -> PlanDocument:
    """Read an uploaded plan (.docx, .txt, .md) into a :class:`PlanDocument`.

    :param data: the file's bytes.
    :raises UnreadableFile: empty, too large, an old .doc, a PDF, a damaged .docx.
    """
    if not data:
        raise UnreadableFile("empty", f"Tệp «{file_name}» rỗng.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableFile("too_large", f"Tệp «{file_name}» quá lớn (tối đa 20 MB).")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "legacy_format",
            f"Tệp «{file_name}» là văn bản Word cũ (.doc). Hãy mở bằng Word và «Lưu thành» .docx rồi tải lên lại.",
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile(
            "not_document",
            f"Tệp «{file_name}» là PDF: không đọc được chỉ tiêu từ PDF. Hãy tải lên bản .docx, "
            "hoặc sao chép nội dung kế hoạch rồi dán vào ô văn bản.",
        )
    if data.startswith(b"PK\x03\x04"):
        text, blocks = _docx_blocks(data)
        return PlanDocument(file_name, sha256_of(data), text, blocks)
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("not_document", f"Tệp «{file_name}» không phải văn bản (.docx, .txt, .md).")
    doc = text_document(text, file_name)
    return PlanDocument(file_name, sha256_of(data), doc.text, doc.blocks)
