"""Hostile files: refused before parsing when their shape gives them away, otherwise they kill
only the parsing worker — which is restarted — and the refusal names the cause."""

from __future__ import annotations

import dataclasses
import hashlib
import os

import pytest

from kpi.errors import FileRefused, UnreadableFile
from kpi.ingest import ingest_path
from kpi.reading.workbook import _prolog_has_dtd
from kpi.reading.worker import pool, read_workbook_safely
from tests.support import hostile
from tests.support.samples import sample_bytes


def _refusal(data: bytes, cfg) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_workbook_safely(data, "bao-cao.xlsx", cfg)
    return caught.value


@pytest.mark.parametrize(
    ("build", "cause", "words"),
    [
        (hostile.zip_bomb_ratio, "zip_bomb", "tỷ lệ nén bất thường"),
        (hostile.zip_bomb_total, "zip_bomb", "giải nén ra quá lớn (450 MB; giới hạn 400 MB)"),
        (hostile.xml_bomb, "xml_bomb", "khai báo DTD/thực thể XML"),
        (lambda: hostile.xml_bomb(padded=True), "xml_bomb", "khai báo DTD/thực thể XML"),
        (hostile.lying_sst_count, "memory_bomb", "khai báo 4.294.967.295 chuỗi văn bản"),
        # The sheet's cells are scanned for the far corner before calamine sees it (it would abort).
        (hostile.xfd_used_range, "too_many_cells", "ở ô XFD1048576"),
    ],
    ids=["zip-ratio", "zip-total", "xml-bomb", "xml-bomb-after-comment", "sst-count", "used-range-XFD1048576"],
)
def test_refused_before_parsing(cfg, build, cause, words):
    restarts = pool().restarts
    refusal = _refusal(build(), cfg)
    assert refusal.cause == cause and words in refusal.message_vi
    assert pool().restarts == restarts  # the worker refused it; it did not have to die


@pytest.mark.parametrize(
    ("build", "cause", "words"),
    [
        (hostile.shared_strings_bomb, "memory_bomb", "ở 20.000 ô: đọc ra cần khoảng 20 GB"),
    ],
    ids=["shared-strings-memory"],
)
def test_a_file_that_kills_the_worker_is_refused_and_the_worker_restarted(cfg, build, cause, words):
    restarts = pool().restarts
    refusal = _refusal(build(), cfg)
    assert refusal.cause == cause and words in refusal.message_vi
    assert pool().restarts > restarts  # the reader died (out of memory), not this process
    wb = read_workbook_safely(sample_bytes("q1"), "q1.xlsx", cfg)  # the next file reads as usual
    assert wb.sheets[0].height > 20


def test_workers_run_under_memory_and_cpu_limits(cfg):
    pool().warm(cfg)
    pids = pool().pids()
    assert pids
    limits = open(f"/proc/{pids[0]}/limits").read()
    address_space = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    assert str(cfg.worker_memory_bytes) in address_space
    assert pids[0] != os.getpid()


def test_a_parse_over_the_wall_clock_limit_is_refused(cfg):
    slow = dataclasses.replace(cfg, parse_timeout_seconds=0.1)
    restarts = pool().restarts
    refusal = _refusal(hostile.shared_strings_bomb(cells=4000, length=100_000), slow)  # 400 MB to copy
    assert refusal.cause == "timeout" and "quá 0 giây" in refusal.message_vi
    assert pool().restarts > restarts
    assert read_workbook_safely(sample_bytes("q1"), "q1.xlsx", cfg).sheets


@pytest.mark.parametrize(
    ("xml", "has_dtd"),
    [
        (b'<?xml version="1.0"?><sst/>', False),
        (b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY a "b">]><sst/>', True),
        (b"<!-- " + b"x" * 200_000 + b' --><!DOCTYPE sst SYSTEM "http://e/x.dtd"><sst/>', True),
        (b'<?xml version="1.0"?><?pi data?><!-- c --><worksheet><!-- <!DOCTYPE in a comment --></worksheet>', False),
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"), True),
        (b"<!--" + b" " * (2 << 20), True),  # a prolog of megabytes is not from Excel either
    ],
    ids=["plain", "doctype", "doctype-after-long-comment", "doctype-text-inside-root", "utf16", "endless-comment"],
)
def test_dtd_found_wherever_it_hides_in_the_prolog(xml, has_dtd):
    chunks = (xml[i : i + 4096] for i in range(0, len(xml), 4096))
    assert _prolog_has_dtd(chunks) is has_dtd


def test_a_300_mb_file_is_refused_by_its_size_without_being_read(con, cfg, tmp_path):
    big = hostile.sparse_file(tmp_path / "bao-cao-300MB.xlsx", 300 * 1024 * 1024)
    with pytest.raises(FileRefused) as caught:
        ingest_path(con, big, "cli:test", cfg=cfg)
    assert "Tệp quá lớn: 300,0 MB (314.572.800 byte); giới hạn là 20,0 MB (20.971.520 byte)" in caught.value.message_vi
    digest = hashlib.sha256()
    with open(big, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    logged = con.execute("SELECT sha256, file_name, detail FROM audit_log WHERE action = 'refuse'").fetchall()
    assert logged == [(digest.hexdigest(), big.name, logged[0][2])] and "quá lớn" in logged[0][2]
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]
    assert not cfg.raw_dir.exists() or not any(cfg.raw_dir.rglob("*.bin"))


def test_xml_spreadsheet_2003_with_entities_is_refused(cfg):
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table><Row><Cell>'
        b'<Data ss:Type="String">&b;</Data></Cell></Row></Table></Worksheet></Workbook>'
    )
    refusal = _refusal(data, cfg)
    assert refusal.cause == "xml_bomb"


def test_an_html_table_never_expands_entities_or_reads_local_files(cfg):
    data = (
        b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/hostname"><!ENTITY a "AAAA">]>'
        b"<html><body><table><tr><td>Chi tieu</td><td>&xxe;</td><td>&a;</td></tr></table></body></html>"
    )
    wb = read_workbook_safely(data, "bao-cao.xls", cfg)
    assert wb.sheets[0].rows == [["Chi tieu", "&xxe;", "&a;"]]
