"""The tables of the store, as ``CREATE TABLE IF NOT EXISTS`` statements (:func:`kpi.storage.database.init_schema`
runs them; on the shared store without their primary keys). What each column means: docs/design.md,
"Storage"; the kept current figures: :mod:`kpi.storage.current`.

The schema grows by tables, never by changing a table a stored database has: opening an older
database (or restoring an older backup, :mod:`kpi.backup`) creates the tables it lacks, leaves every
row it has, and raises its ``meta.schema_version`` to :data:`SCHEMA_VERSION`. Versions:

1. the tables up to December 2026;
2. ``replaced_documents``: the documents a report says it replaces (:mod:`kpi.storage.replaced`).
   A report stored at version 1 has none kept (its raw file still says them: ``rebuild`` reads them).
"""

from __future__ import annotations

from kpi.storage import current

__all__ = ["SCHEMA_VERSION", "SCHEMA"]

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS plans (
    year INTEGER PRIMARY KEY, district VARCHAR, authority VARCHAR, authority_upper VARCHAR,
    province VARCHAR, place VARCHAR, title VARCHAR, doc_number VARCHAR, doc_date DATE,
    source VARCHAR, loaded_at TIMESTAMP, loaded_by VARCHAR);
CREATE TABLE IF NOT EXISTS indicators (
    year INTEGER, key VARCHAR, sort INTEGER, plan_no VARCHAR, grp VARCHAR, name VARCHAR,
    unit VARCHAR, target DOUBLE, target_lo DOUBLE, target_hi DOUBLE, target_text VARCHAR,
    decimals INTEGER, direction VARCHAR, over_year VARCHAR, across_units VARCHAR,
    when_known VARCHAR, parent VARCHAR, award VARCHAR, recipient VARCHAR, conferred_by VARCHAR,
    baseline DOUBLE, source_text VARCHAR, counted_from VARCHAR, PRIMARY KEY (year, key));
CREATE TABLE IF NOT EXISTS indicator_aliases (key VARCHAR, alias VARCHAR);
CREATE TABLE IF NOT EXISTS measure_units (written VARCHAR, unit VARCHAR, factor VARCHAR);
CREATE TABLE IF NOT EXISTS award_aliases (award VARCHAR, alias VARCHAR);
CREATE TABLE IF NOT EXISTS units (
    year INTEGER, unit VARCHAR, block VARCHAR, kind VARCHAR, sort INTEGER,
    PRIMARY KEY (year, unit));
CREATE TABLE IF NOT EXISTS unit_aliases (unit VARCHAR, alias VARCHAR);
CREATE TABLE IF NOT EXISTS learned_aliases (
    kind VARCHAR, written VARCHAR, target VARCHAR, added_by VARCHAR, added_at TIMESTAMP,
    file_name VARCHAR, sha256 VARCHAR);  -- names taught at upload (kpi.aliases, issue 13)
CREATE TABLE IF NOT EXISTS submissions (
    submission_id BIGINT PRIMARY KEY, sha256 VARCHAR NOT NULL, file_name VARCHAR,
    file_kind VARCHAR NOT NULL,          -- report | awards | registrations
    file_format VARCHAR, sheet VARCHAR, sender VARCHAR, subject VARCHAR,
    year INTEGER, quarter INTEGER,       -- quarter NULL for registers
    doc_date DATE, doc_number VARCHAR, title VARCHAR,
    uploaded_at TIMESTAMP NOT NULL, uploaded_by VARCHAR, seq BIGINT NOT NULL,
    status VARCHAR NOT NULL,             -- active | superseded | withdrawn
    status_note VARCHAR, options VARCHAR, layout VARCHAR, n_figures INTEGER);
CREATE TABLE IF NOT EXISTS replaced_documents (
    submission_id BIGINT NOT NULL,       -- the report that says it replaces the document below
    kind VARCHAR, doc_number VARCHAR NOT NULL, doc_date DATE,
    words VARCHAR, line VARCHAR, sheet VARCHAR, cell VARCHAR);  -- as written, and where
CREATE TABLE IF NOT EXISTS observations (
    submission_id BIGINT NOT NULL, key VARCHAR NOT NULL, year INTEGER NOT NULL,
    quarter INTEGER NOT NULL, subject VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- quarter | ytd | year_estimate | last_year | plan
    vintage VARCHAR NOT NULL,            -- estimate | preliminary | official
    value DOUBLE NOT NULL, written VARCHAR, written_unit VARCHAR, factor VARCHAR,
    sheet VARCHAR, cell VARCHAR, row_label VARCHAR, column_label VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS awards (
    submission_id BIGINT NOT NULL, sheet VARCHAR, cell VARCHAR, row_number INTEGER,
    recipient VARCHAR, recipient_kind VARCHAR, unit VARCHAR, award_written VARCHAR,
    award VARCHAR, conferred_by VARCHAR, decision_number VARCHAR, decision_date DATE,
    achievement_year INTEGER, key VARCHAR, duplicate_of INTEGER, note VARCHAR);
CREATE TABLE IF NOT EXISTS registrations (
    submission_id BIGINT NOT NULL, sheet VARCHAR, cell VARCHAR, row_number INTEGER,
    unit VARCHAR, unit_written VARCHAR, block VARCHAR, registered_on DATE,
    doc_number VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS issues (
    submission_id BIGINT NOT NULL, severity VARCHAR, code VARCHAR, sheet VARCHAR,
    cell VARCHAR, key VARCHAR, message VARCHAR);
CREATE TABLE IF NOT EXISTS import_log (
    seq BIGINT PRIMARY KEY, logged_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL,
    sha256 VARCHAR, file_name VARCHAR, options VARCHAR, actor VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL, actor VARCHAR, action VARCHAR NOT NULL, sha256 VARCHAR,
    file_name VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS layouts (
    signature VARCHAR PRIMARY KEY, mapping VARCHAR NOT NULL, created_at TIMESTAMP,
    created_by VARCHAR, example_file VARCHAR);
CREATE TABLE IF NOT EXISTS target_history (
    changed_at TIMESTAMP NOT NULL, actor VARCHAR, year INTEGER, key VARCHAR, field VARCHAR,
    old_value VARCHAR, new_value VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS plan_documents (
    year INTEGER NOT NULL, version INTEGER NOT NULL, file_name VARCHAR, sha256 VARCHAR, text VARCHAR,
    doc_number VARCHAR, doc_date DATE, stored_at TIMESTAMP, stored_by VARCHAR,
    PRIMARY KEY (year, version));
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
    unit VARCHAR, created_at TIMESTAMP, created_by VARCHAR);
CREATE TABLE IF NOT EXISTS claims (
    kind VARCHAR NOT NULL, key VARCHAR NOT NULL, n BIGINT NOT NULL, claimed_at TIMESTAMP);  -- claim()
CREATE TABLE IF NOT EXISTS signin_failures (
    kind VARCHAR NOT NULL, key VARCHAR NOT NULL, failures INTEGER NOT NULL, last_failed TIMESTAMP NOT NULL);
"""

SCHEMA += ";" + current.SCHEMA
