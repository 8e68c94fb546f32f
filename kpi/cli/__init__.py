"""The command line: ``python -m kpi template | ingest | report | rebuild | …``.

The users' batch tool and the contract checks rely on (design.md, "The command line"). The
database path defaults to ``data/kpi.duckdb``; ``KPI_DB`` overrides it; ``--db`` overrides both.
The command line acts as the local operator: a :class:`kpi.access.auth.Operator` made here (shown as
``cli:<OS user>``, an admin; the text alone grants nothing, issue 16). Errors of the core
(:mod:`kpi.errors`) become Vietnamese messages here and a non-zero exit code, never a traceback:

* 0 — done (a file already stored counts as done);
* 1 — at least one file refused, or a refusal of the request (bad period, unknown key), or the
  database file is damaged (at opening, or a damaged block met by a query);
* 2 — wrong usage (argparse);
* 3 — the database is held by another process (the app): nothing was done.

Each command imports the modules it uses inside its function, the one place in ``kpi`` that does:
importing this module takes 1.6–1.9 s, with every command's modules at the top 4.8–6.9 s (measured
December 2026 on the 2-core test machine, ``python3 -c "import kpi.cli, …"``), and ``--help`` or a
quick ``report`` should not wait for PowerPoint, the sandboxed reader and the renderer.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from kpi.cli.console import VietnameseArgumentParser, os_error_message
from kpi.cli.decisions import add_decisions
from kpi.config import settings
from kpi.errors import DatabaseLocked, FileRefused, KpiError, database_damage

__all__ = ["main"]

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def _operator():
    """The actor of this command: the local operator (whoever can run it can open the database)."""
    from kpi.access.auth import operator

    return operator()


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _parser() -> argparse.ArgumentParser:
    """The command line's parser: one builder per group of subcommands, in the order ``--help``
    lists them."""
    p = VietnameseArgumentParser(prog="python -m kpi", description="Bảng điều khiển chỉ tiêu thi đua — dòng lệnh")
    sub = p.add_subparsers(dest="command", required=True)
    _add_report_files(sub)
    _add_report(sub)
    _add_rebuild(sub)
    _add_exports(sub)
    _add_users(sub)
    _add_aliases(sub)
    _add_backup(sub)
    _add_plan(sub)
    return p


def _db(sp) -> None:
    """``--db``, which every command takes."""
    sp.add_argument("--db", help="tệp cơ sở dữ liệu DuckDB (mặc định data/kpi.duckdb hoặc $KPI_DB)")


def _add_report_files(sub) -> None:
    """``template`` (the blank report to fill in) and ``ingest`` (filled reports and lists in)."""
    sp = sub.add_parser("template", help="ghi mẫu báo cáo trống (.xlsx)")
    sp.add_argument("-o", "--output", help="tệp ghi ra (mặc định mau-bao-cao-<năm>.xlsx)")
    sp.add_argument("--year", type=int, help="năm kế hoạch (mặc định năm mới nhất)")
    _db(sp)

    sp = sub.add_parser("ingest", help="nạp báo cáo / danh sách vào cơ sở dữ liệu")
    sp.add_argument("files", nargs="+", type=Path)
    sp.add_argument("--unit", help="đơn vị mà số liệu nói về (đối tượng báo cáo)")
    sp.add_argument("--period", help="kỳ báo cáo, ví dụ 2024-Q1")
    sp.add_argument("--sheet", help="trang tính cần đọc")
    sp.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi (từ chối tệp)")
    add_decisions(sp)
    _db(sp)


def _add_report(sub) -> None:
    """``report``: the attainment report, or who has reported (``--completeness``)."""
    sp = sub.add_parser("report", help="báo cáo mức độ hoàn thành chỉ tiêu")
    sp.add_argument("--year", type=int, required=False)
    sp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    sp.add_argument("--unit", help="đơn vị (mặc định toàn huyện)")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.add_argument("--completeness", action="store_true", help="đơn vị nào đã báo cáo kỳ nào, ai chậm")
    _db(sp)


def _add_rebuild(sub) -> None:
    """``rebuild``: the database again from the raw archive and the import log."""
    sp = sub.add_parser("rebuild", help="dựng lại cơ sở dữ liệu từ kho tệp gốc theo nhật ký nạp")
    _db(sp)


def _add_exports(sub) -> None:
    """``export`` (annex, deck or draft by the file's extension) and ``chart`` (one indicator's PNG)."""
    sp = sub.add_parser("export", help="xuất phụ lục (.xlsx), bài trình chiếu (.pptx) hoặc dự thảo báo cáo (.docx)")
    sp.add_argument("--year", type=int)
    sp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    sp.add_argument("--to", required=True, type=Path)
    _db(sp)

    sp = sub.add_parser("chart", help="xuất biểu đồ một chỉ tiêu ra PNG")
    sp.add_argument("key")
    sp.add_argument("--year", type=int)
    sp.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    sp.add_argument("--to", required=True, type=Path)
    _db(sp)


def _add_users(sub) -> None:
    """``user add | list | remove | unlock``."""
    sp = sub.add_parser("user", help="quản lý người dùng")
    usub = sp.add_subparsers(dest="user_command", required=True)
    ua = usub.add_parser("add")
    ua.add_argument("name")
    ua.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    ua.add_argument("--unit", default="")
    ua.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    _db(ua)
    ul = usub.add_parser("list")
    _db(ul)
    ur = usub.add_parser("remove")
    ur.add_argument("name")
    _db(ur)
    uu = usub.add_parser("unlock", help="bỏ tạm khoá đăng nhập (mọi tên và địa chỉ, hoặc chỉ một tên)")
    uu.add_argument("name", nargs="?")
    _db(uu)


def _add_aliases(sub) -> None:
    """``alias add | list | remove``: the names learned for indicators, awards and units."""
    sp = sub.add_parser("alias", help="tên đã học: tên viết trong tệp → chỉ tiêu / danh hiệu / đơn vị của kế hoạch")
    asub = sp.add_subparsers(dest="alias_command", required=True)
    aa = asub.add_parser("add", help="ghi nhớ một tên")
    aa.add_argument("--kind", required=True, choices=["indicator", "award", "unit"])
    aa.add_argument("written", help="tên như viết trong tệp")
    aa.add_argument("target", help="mã chỉ tiêu (CT08), tên danh hiệu hoặc tên đơn vị của kế hoạch")
    _db(aa)
    al = asub.add_parser("list", help="liệt kê các tên đã học")
    _db(al)
    ar = asub.add_parser("remove", help="xoá một tên đã học (quản trị viên)")
    ar.add_argument("--kind", required=True, choices=["indicator", "award", "unit"])
    ar.add_argument("written")
    _db(ar)


def _add_backup(sub) -> None:
    """``backup`` and ``restore`` of the database file."""
    sp = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (khi ứng dụng đã dừng)")
    sp.add_argument("--to", required=True, type=Path)
    _db(sp)
    sp = sub.add_parser("restore", help="khôi phục từ bản sao lưu (khi ứng dụng đã dừng)")
    sp.add_argument("--from", dest="source", required=True, type=Path)
    _db(sp)


def _add_plan(sub) -> None:
    """``plan import | show``: the commands of :mod:`kpi.cli.plan`."""
    sp = sub.add_parser("plan", help="kế hoạch và chỉ tiêu")
    psub = sp.add_subparsers(dest="plan_command", required=True)
    pi = psub.add_parser("import", help="đọc chỉ tiêu từ văn bản kế hoạch (.docx, .txt, .md)")
    pi.add_argument("file", type=Path)
    pi.add_argument("--year", type=int, required=True)
    pi.add_argument("--format", choices=["table", "json"], default="table")
    pi.add_argument("--confirm", action="store_true", help="lưu bảng chỉ tiêu đề xuất làm kế hoạch của năm")
    _db(pi)
    ps = psub.add_parser("show", help="in kế hoạch của một năm")
    ps.add_argument("--year", type=int, required=True)
    ps.add_argument("--format", choices=["table", "json"], default="table")
    _db(ps)


def _open(args):
    from kpi.bootstrap import open_database

    cfg = settings(db_path=getattr(args, "db", None))
    return cfg, open_database(cfg)


def _default_year(con, year: int | None) -> int:
    from kpi.storage.catalogue import plan_years_in_db

    if year:
        return year
    years = plan_years_in_db(con)
    if not years:
        raise KpiError("Cơ sở dữ liệu chưa có kế hoạch nào.")
    return max(years)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    try:
        handler = _HANDLERS[args.command]
        return handler(args)
    except DatabaseLocked as exc:
        _err(exc.message_vi)
        return EXIT_LOCKED
    except KpiError as exc:
        _err(exc.message_vi)
        return EXIT_REFUSED
    except Exception as exc:
        # a damaged data block of the database is found only when a query reads it
        damage = database_damage(exc, str(settings(db_path=getattr(args, "db", None)).db_path))
        if damage is None:
            raise
        _err(damage.message_vi)
        return EXIT_REFUSED
    finally:
        from kpi.reading.worker import shutdown

        shutdown()


# -- commands -----------------------------------------------------------------------------------


def _cmd_template(args) -> int:
    from kpi.output.template import template_file_name, write_template
    from kpi.storage.catalogue import load_catalogue

    _cfg, con = _open(args)
    year = _default_year(con, args.year)
    data = write_template(load_catalogue(con, year))
    target = Path(args.output or template_file_name(year))
    target.write_bytes(data)
    _out(f"Đã ghi mẫu báo cáo năm {year}: {target}")
    return EXIT_OK


def _describe(prep) -> list[str]:
    lines = []
    for what, value, how in prep.inferred:
        lines.append(f"  {what}: {value}" + (f"  ({how})" if how else ""))
    if prep.layout is not None:
        lines.append("  Các cột:")
        for col in prep.layout.columns:
            if col.header or col.role not in ("unknown",):
                lines.append(f"    {col.letter}: «{col.header}» → {col.meaning}")
        rows = prep.rows
        if not rows.empty:
            matched = rows[rows["status"] == "matched"]
            lines.append(f"  Dòng khớp chỉ tiêu: {len(matched)} ({', '.join(matched['key'])})")
    lines += [f"  {check.text}" for check in prep.replaced_checks if check.text]  # the report it replaces, found
    for note in prep.notes:
        lines.append(f"  Ghi chú: {note}")
    scope = prep.register_scope
    if scope is not None and len(scope.changes) and not prep.refused:
        lines.append(f"  {len(scope.changes)} số thay đổi (số đang dùng → số khi lưu):")
        lines += [f"    {r.name}: {r.old_written} → {r.new_written}" for r in scope.changes.itertuples()]
    return lines


def _cmd_ingest(args) -> int:
    from kpi.ingest import ingest_path
    from kpi.reading.report_sheets import ImportOptions

    cfg, con = _open(args)
    actor = _operator()
    refused = 0
    for path in args.files:
        _out(f"== {path}")
        try:
            options = ImportOptions(
                period=args.period,
                subject=args.unit,
                sheet=args.sheet,
                strict=args.strict,
                kind=args.kind,
                accept_unmatched=args.accept_unmatched,
                year=args.year,
                register_as=args.register_as,
                correction=args.correction,
                scale=args.scale.replace("-", "_") if args.scale else None,
                ratios=args.ratios.replace("-", "_") if args.ratios else None,
                use_columns=tuple(c.strip().upper() for c in args.use_column) if args.use_column else None,
                replaced=args.replaced,
                reinstate=args.reinstate,
                actual=args.actual,
            )
            if args.period:
                options.period_parts  # noqa: B018 - validates the format
        except ValueError:
            _err(f"  Kỳ báo cáo «{args.period}» không đúng dạng; hãy viết như 2024-Q1.")
            return EXIT_REFUSED
        if args.document_date:
            options = replace(options, doc_date=args.document_date)
            try:
                options.chosen_doc_date  # noqa: B018 - validates the format
            except ValueError:
                _err(
                    f"  Ngày văn bản «{args.document_date}» không đúng dạng; hãy viết NĂM-THÁNG-NGÀY như "
                    "2024-04-05, hoặc none để lưu không có ngày."
                )
                return EXIT_REFUSED
        try:
            prep, result = ingest_path(con, path, actor, options, cfg)
        except OSError as exc:
            _err("  " + os_error_message(exc, path))
            refused += 1
            continue
        except FileRefused as exc:
            _err("  " + exc.message_vi.replace("\n", "\n  "))
            refused += 1
            continue
        for line in _describe(prep):
            _out(line)
        for issue in prep.issues:
            if issue.severity == "warning":
                _out(f"  Cảnh báo: {issue.text()}")
            elif issue.severity == "info" and issue.code in ("not_in_plan", "counts_toward_nothing"):
                _out(f"  {issue.message}")
        _out(f"  {result.message}")
    if len(args.files) > 1:
        _out(f"Tổng: {len(args.files) - refused} tệp được nhận, {refused} tệp bị từ chối.")
    return EXIT_REFUSED if refused else EXIT_OK


def _fmt(value, decimals: int | None = None) -> str:
    from kpi.vn import format_number

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return format_number(value, decimals)


def _cmd_report(args) -> int:
    import textwrap

    from kpi.reporting.attainment_report import attainment_report, judged_period_words, left_out_text, report_records

    _cfg, con = _open(args)
    year = _default_year(con, args.year)
    if args.completeness:
        from kpi.reporting.completeness import completeness
        from kpi.reporting.obligations import obligations

        owed = obligations(con, year, _cfg.data_dir)
        frame = completeness(con, year, args.quarter, owed=owed)
        # The rule (who is counted) on stderr for json/csv, so that stdout stays one document.
        (_out if args.format == "table" else _err)(owed.rule)
        if args.format == "json":
            _out(json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2, default=str))
        elif args.format == "csv":
            sys.stdout.write(frame.to_csv(index=False))
        else:
            _out(frame.to_string(index=False))
        return EXIT_OK
    report = attainment_report(con, year, args.quarter, args.unit)
    records = report_records(report)
    if args.format == "json":
        from kpi.reporting.period_figures import with_quarter_figures

        # with «Thực hiện kỳ» of the as-of quarter, null with the reason when it cannot be derived
        _out(json.dumps(with_quarter_figures(con, report, records), ensure_ascii=False, indent=2))
        return EXIT_OK
    frame = pd.DataFrame(records)
    from kpi.domain.rules import figure_mark
    from kpi.output.status_counts import counts_text
    from kpi.vn import format_figure, format_pct

    if args.format == "csv":
        sys.stdout.write(frame.drop(columns=["source"]).to_csv(index=False))
        return EXIT_OK
    who = (
        report.catalogue.meta.get("authority", "")
        if report.subject == report.catalogue.district_unit
        else report.subject
    )
    _out(f"Báo cáo mức độ hoàn thành chỉ tiêu — {who} — {report.period_text}")
    if note := left_out_text(report):
        _out(note)
    shown = pd.DataFrame(
        {
            "Mã": frame["key"],
            # cut between words, never mid-word («canh tá», «Bằng khe»: black-box)
            "Chỉ tiêu": [textwrap.shorten(n, 48, placeholder=" …") for n in frame["name"]],
            "ĐVT": frame["unit"],
            "Kế hoạch": [(f"{_fmt(t[0])}–{_fmt(t[1])}" if isinstance(t, list) else _fmt(t)) for t in frame["target"]],
            "Thực hiện": [
                format_figure(a, u, d, s) + figure_mark(b)
                for a, u, d, s, b in zip(
                    report.table["actual"],
                    report.table["unit"],
                    report.table["decimals"],
                    report.table["shown_decimals"],
                    frame["basis"],
                    strict=True,
                )
            ],
            "Kỳ": [judged_period_words(r, report.year) for r in report.table.to_dict("records")],
            "% KH": [
                format_pct(p).removesuffix(" %") if p is not None and not pd.isna(p) else "–"
                for p in report.table["attainment_pct"]
            ],
            "Đánh giá": frame["status_label"],
        }
    )
    _out(shown.to_string(index=False))
    _out(f"{len(frame)} chỉ tiêu: {counts_text(frame['status'])}")  # the order of every output's counts
    return EXIT_OK


def _cmd_rebuild(args) -> int:
    from kpi.rebuild import rebuild

    cfg = settings(db_path=args.db)
    result = rebuild(cfg, _operator())  # RebuildStopped (a KpiError): the list on stderr, exit code 1
    _out(f"Đã dựng lại {result.path}: phát lại {result.replayed} mục từ nhật ký nạp, không bỏ mục nào.")
    _out(f"Cơ sở dữ liệu cũ được giữ lại tại {result.kept_as} (không bao giờ bị xoá).")
    return EXIT_OK


def _cmd_export(args) -> int:
    from kpi.output.annex import write_annex
    from kpi.output.deck import write_deck

    _cfg, con = _open(args)
    year = _default_year(con, args.year)
    suffix = args.to.suffix.lower()
    if suffix == ".xlsx":
        data = write_annex(con, year, args.quarter, data_dir=_cfg.data_dir)
    elif suffix == ".pptx":
        data = write_deck(con, year, args.quarter)
    elif suffix == ".docx":
        from kpi.output.report_draft import write_draft

        data = write_draft(con, year, args.quarter, data_dir=_cfg.data_dir)
    else:
        _err("Chỉ xuất được .xlsx (phụ lục), .pptx (bài trình chiếu) hoặc .docx (dự thảo báo cáo).")
        return EXIT_REFUSED
    args.to.write_bytes(data)
    _out(f"Đã ghi {args.to}")
    return EXIT_OK


def _cmd_chart(args) -> int:
    from kpi.output.export import chart_png

    _cfg, con = _open(args)
    year = _default_year(con, args.year)
    data = chart_png(con, year, args.key, args.quarter)
    args.to.write_bytes(data)
    _out(f"Đã ghi {args.to}")
    return EXIT_OK


def _cmd_user(args) -> int:
    import getpass

    from kpi.access.auth import add_user, clear_failures, discard_setup_code, list_users, remove_user
    from kpi.words import ROLE_LABELS

    _cfg, con = _open(args)
    actor = _operator()
    if args.user_command == "add":
        if args.password_stdin or not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if getpass.getpass("Nhập lại mật khẩu: ") != password:
                _err("Hai lần nhập mật khẩu không khớp.")
                return EXIT_REFUSED
        try:
            add_user(con, actor, args.name, args.role, password, args.unit)
        except ValueError as exc:
            _err(str(exc))
            return EXIT_REFUSED
        if args.role == "admin":
            discard_setup_code(_cfg.db_path)  # an admin exists: the set-up code is spent
        _out(f"Đã tạo người dùng «{args.name.strip()}» (vai trò {ROLE_LABELS[args.role]}).")
    elif args.user_command == "list":
        frame = list_users(con)
        _out(
            frame.to_string(index=False)
            if not frame.empty
            else "Chưa có người dùng nào (ứng dụng đang ở chế độ thiết lập: chỉ ghi được từ chính máy chủ)."
        )
    elif args.user_command == "unlock":
        count = clear_failures(con, actor, args.name)
        _out(f"Đã bỏ {count} lượt tạm khoá / đếm đăng nhập sai.")
    else:
        remove_user(con, actor, args.name)
        _out(f"Đã xoá người dùng «{args.name}».")
    return EXIT_OK


def _cmd_alias(args) -> int:
    from kpi.aliases import KINDS, add_alias, list_aliases, remove_alias

    _cfg, con = _open(args)
    if args.alias_command == "add":
        _out(add_alias(con, _operator(), args.kind, args.written, args.target))
    elif args.alias_command == "remove":
        _out(remove_alias(con, _operator(), args.kind, args.written))
    else:
        frame = list_aliases(con)
        if frame.empty:
            _out("Chưa có tên nào được học.")
        for r in frame.itertuples():
            _out(
                f"{KINDS[r.kind][2]}: «{r.written}» → «{r.target}»  ({r.added_by}, {r.added_at:%d/%m/%Y %H:%M}"
                + (f", tệp «{r.file_name}»" if r.file_name else "")
                + ")"
            )
    return EXIT_OK


def _cmd_backup(args) -> int:
    from kpi.backup import backup_to_file

    _cfg, con = _open(args)
    result = backup_to_file(con, args.to, _operator())
    con.close()
    _out(
        f"Đã sao lưu vào {result.path} ({result.size_bytes / 1048576:.1f} MB; {result.counts['submissions']} lần tải, "
        f"{result.counts['observations']} số liệu). Hãy sao chép cả thư mục tệp gốc (raw) cùng bản này."
    )
    return EXIT_OK


def _cmd_restore(args) -> int:
    from kpi.backup import restore_from_file

    cfg = settings(db_path=args.db)
    result = restore_from_file(cfg, args.source, _operator())
    _out(
        f"Đã khôi phục {result.path} từ {args.source} ({result.counts['submissions']} lần tải, "
        f"{result.counts['observations']} số liệu)."
        + (f" Tệp cũ được giữ lại: {result.kept_as}" if result.kept_as else "")
    )
    return EXIT_OK


def _cmd_plan(args) -> int:
    from kpi.cli.plan import cli_plan

    cfg, con = _open(args)
    return cli_plan(con, cfg, args, _out)


_HANDLERS = {
    "template": _cmd_template,
    "ingest": _cmd_ingest,
    "report": _cmd_report,
    "rebuild": _cmd_rebuild,
    "export": _cmd_export,
    "chart": _cmd_chart,
    "user": _cmd_user,
    "alias": _cmd_alias,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "plan": _cmd_plan,
}
