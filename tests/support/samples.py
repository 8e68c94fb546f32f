"""The shared samples and the command line's operator, for every test module.

The samples under ``data/samples/`` are byte-identical copies of ``../shared/samples/``
(``test_samples_are_the_shared_ones`` checks their sha256).
"""

from __future__ import annotations

from kpi.access.auth import operator
from kpi.config import DATA_DIR
from kpi.ingest import ingest
from tests.support.paths import TESTS

SAMPLES = DATA_DIR / "samples"
SAMPLE_FILES = {
    "q1": "bao-cao-quy-1-2024.xlsx",
    "h1": "bao-cao-6-thang-2024.xls",
    "q3": "bao-cao-9-thang-2024.ods",
    "registrations": "dang-ky-thi-dua-2024.xlsx",
    "awards": "khen-thuong-2024.xlsx",
}
SHARED = TESTS.parents[1] / "shared" / "samples"
ACTOR = operator("test")  # the command line's operator (an admin), shown as "cli:test"


def sample_bytes(name: str) -> bytes:
    """A shared sample by short name ("q1") or file name."""
    return (SAMPLES / SAMPLE_FILES.get(name, name)).read_bytes()


def load(con, cfg, *names: str, **options):
    """Ingest shared samples by short name, in the order given; returns the commit results."""
    from kpi.reading.report_sheets import ImportOptions

    results = []
    for name in names:
        _prep, committed = ingest(
            con, sample_bytes(name), SAMPLE_FILES.get(name, name), ACTOR, ImportOptions(**options), cfg
        )
        results.append(committed)
    return results
