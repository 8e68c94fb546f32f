"""Narrow exception classes of the core, each carrying structured context.

Only the boundaries (the command line in :mod:`kpi.cli`, the Streamlit pages) turn them into
words for people; inside :mod:`kpi` they are raised with the facts (sheet, cell, value) so a
caller can decide. Every message meant for a user is Vietnamese and says what to do.
"""

from __future__ import annotations

__all__ = [
    "KpiError",
    "UnreadableFile",
    "NumberFormatError",
    "FileRefused",
    "DatabaseLocked",
    "DatabaseCorrupt",
    "DatabaseTooNew",
    "database_damage",
    "PermissionDenied",
    "NotFound",
    "PlanError",
    "RenderUnavailable",
    "RenderFailed",
]


class KpiError(Exception):
    """Base of every error the core raises on purpose.

    :ivar message_vi: what a user is shown (Vietnamese, with what to do).
    """

    def __init__(self, message_vi: str):
        super().__init__(message_vi)
        self.message_vi = message_vi


class UnreadableFile(KpiError):
    """The bytes are not a spreadsheet we can open (empty, truncated, encrypted, another format).

    :ivar cause: a short machine code: ``empty``, ``encrypted``, ``truncated``, ``corrupt``,
        ``not_spreadsheet``, ``too_large``, ``zip_bomb``, ``xml_bomb``, ``memory_bomb``,
        ``too_many_cells``, ``legacy_format``, ``worker_died``, ``timeout``.
    """

    def __init__(self, cause: str, message_vi: str):
        super().__init__(message_vi)
        self.cause = cause


class NumberFormatError(KpiError):
    """A text that should be a number is not one (raised by :func:`kpi.vn.parse_number`)."""

    def __init__(self, text: str, message_vi: str | None = None):
        super().__init__(message_vi or f"«{text}» không phải là một số.")
        self.text = text


class FileRefused(KpiError):
    """A file was read but refused whole (errors found by validation, or ``--strict``).

    :ivar issues: the :class:`kpi.reading.checks.Issue` objects that refused it (severity ``error``).
    :ivar said: the lines said under its head (:func:`kpi.reading.notes.refusal` folds them).
    """

    def __init__(
        self,
        file_name: str,
        issues: list,
        message_vi: str | None = None,
        awaiting: bool = False,
        said: list[str] | None = None,
    ):
        """:param awaiting: refused only for what a choice lifts (``Prepared.awaiting_decision``):
        said "waiting for your decision", not "refused" (black-box: every held file was «bị từ chối»).
        :param said: the lines under the head (one issue each, or many folded into one); default
            each issue's text."""
        head = "đang chờ bạn quyết định, chưa lưu gì" if awaiting else "bị từ chối, không lưu gì"
        lines = [f"Tệp «{file_name}» {head}:"]
        said = said if said is not None else [i.text() for i in issues]
        lines += [f"  - {line}" for line in said]
        super().__init__(message_vi or "\n".join(lines))
        self.file_name = file_name
        self.issues = list(issues)
        self.said = said


class DatabaseLocked(KpiError):
    """Another process holds the DuckDB file (DuckDB allows one writer process per file).

    :ivar path: the database file; :ivar holder: the process named by DuckDB, e.g.
        ``"/usr/bin/python3 (PID 1234)"``.
    """

    def __init__(self, path: str, holder: str):
        super().__init__(
            f"Cơ sở dữ liệu «{path}» đang được một tiến trình khác mở ({holder}), "
            "thường là ứng dụng bảng điều khiển đang chạy. DuckDB chỉ cho một tiến trình mở tệp: "
            "hãy dừng ứng dụng (hoặc dùng chức năng tương ứng trong ứng dụng) rồi chạy lại lệnh. "
            "Không có gì bị thay đổi."
        )
        self.path = path
        self.holder = holder


class DatabaseCorrupt(KpiError):
    """The DuckDB file itself cannot be opened (damaged on disk, not a DuckDB file). Nothing was
    changed; the way back is a backup (``python -m kpi restore --from FILE``).

    :ivar path: the database file; :ivar detail: DuckDB's own words;
    :ivar reading: the file opened but a damaged block was met while reading (a checksum that
        does not match), rather than at opening.
    """

    def __init__(self, path: str, detail: str, reading: bool = False):
        what = "có một khối dữ liệu bị hỏng nên không đọc được" if reading else "bị hỏng nên không mở được"
        super().__init__(
            f"Tệp cơ sở dữ liệu «{path}» {what}. Không có gì bị thay đổi. "
            "Hãy khôi phục từ bản sao lưu gần nhất: python -m kpi restore --from TỆP_SAO_LƯU "
            "(xem docs/README-office.md, mục sao lưu và khôi phục). "
            f"Chi tiết kỹ thuật cho người quản trị (thông báo của DuckDB): {detail[:160]}"
        )
        self.path = path
        self.detail = detail
        self.reading = reading


class DatabaseTooNew(DatabaseCorrupt):
    """The database file was written by a newer DuckDB (e.g. 2.0) than the one installed (the
    project pins 1.5.5 since issue 20): its storage format cannot be read by this version, and a
    newer file cannot be converted back. Not damage: the file is intact and was not changed. The
    ways back are a backup made by this version (``python -m kpi restore --from FILE``) or a
    rebuild (``python -m kpi rebuild``) replaying the import journal beside the file (plain JSON;
    the file's own import log cannot be read), the file itself kept.

    :ivar path: the database file; :ivar detail: DuckDB's own words; :ivar version: this DuckDB.
    """

    def __init__(self, path: str, detail: str, version: str):
        KpiError.__init__(
            self,
            f"Tệp cơ sở dữ liệu «{path}» được ghi bởi một phiên bản DuckDB mới hơn phiên bản chương trình "
            f"đang dùng (DuckDB {version}), nên không mở được; phiên bản cũ không đọc được định dạng mới. "
            "Tệp không bị hỏng và không có gì bị thay đổi. Cách khôi phục: "
            "(1) khôi phục bản sao lưu do chính phiên bản này tạo: python -m kpi restore --from TỆP_SAO_LƯU; "
            "hoặc (2) dựng lại từ nhật ký nhập ghi bên cạnh tệp (…duckdb.imports.jsonl) và kho tệp gốc (data/raw): "
            "python -m kpi rebuild (tệp hiện tại được giữ lại với tên «….before-rebuild.N»). "
            "Xem docs/README-office.md, mục sao lưu và khôi phục. "
            f"Chi tiết kỹ thuật cho người quản trị (thông báo của DuckDB): {detail[:160]}",
        )
        self.path = path
        self.detail = detail
        self.reading = False
        self.version = version


#: DuckDB's words when a block of the file fails its checksum, or when an earlier such failure
#: has invalidated the database for the rest of the process.
_DAMAGE_WORDS = ("Corrupt database file", "does not match stored checksum", "database has been invalidated")


def database_damage(exc: BaseException, path: str) -> DatabaseCorrupt | None:
    """A DuckDB error met while *reading* an opened database whose file is damaged (a data block
    whose checksum does not match: DuckDB checks a block only when a query reads it, so a file
    with a damaged data block opens fine and fails later, on the pages and commands that read
    that block) as :class:`DatabaseCorrupt`; ``None`` for any other exception, which the caller
    re-raises. The boundaries (:func:`kpi.cli.main`, ``app.py``) call it.

    :param path: the database file, named in the message.
    """
    if isinstance(exc, DatabaseCorrupt):
        return exc
    module = type(exc).__module__ or ""
    if not module.lstrip("_").startswith("duckdb"):
        return None
    text = str(exc)
    if not any(words in text for words in _DAMAGE_WORDS):
        return None
    return DatabaseCorrupt(str(path), text, reading=True)


class PermissionDenied(KpiError):
    """The acting user's role may not do this (see :mod:`kpi.access.auth`)."""

    def __init__(self, actor: str, action: str, needed: str):
        super().__init__(
            f"Người dùng «{actor}» không có quyền {action} (cần vai trò {needed}). "
            "Hãy đăng nhập bằng tài khoản có quyền hoặc nhờ quản trị viên."
        )
        self.actor = actor
        self.action = action
        self.needed = needed


class NotFound(KpiError):
    """A named thing (submission, user, plan year, indicator key) does not exist."""


class PlanError(KpiError):
    """The plan data (catalogue files or a plan being confirmed) is inconsistent."""


class RenderUnavailable(KpiError):
    """A picture (PNG) cannot be drawn on this server: no browser (Debian's chromium) or no
    font with Vietnamese glyphs. Raised *before* any rendering starts (without a browser,
    kaleido would hang rather than fail).

    :ivar missing: ``browser`` or ``font``.
    """

    def __init__(self, missing: str, message_vi: str):
        super().__init__(message_vi)
        self.missing = missing


class RenderFailed(KpiError):
    """Rendering a picture started but did not finish: it took longer than the time limit, or
    the browser broke. The render server is restarted for the next picture.

    :ivar cause: ``timeout`` or ``browser``.
    """

    def __init__(self, cause: str, message_vi: str):
        super().__init__(message_vi)
        self.cause = cause
