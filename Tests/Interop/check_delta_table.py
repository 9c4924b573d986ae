#!/usr/bin/env python3
"""Independent readers check a Delta table pulse-tui wrote.

usage: check_delta_table.py TABLE_DIR EXPECTED.json

EXPECTED.json (written by the Swift test) holds what the table must contain: version, rows, columns
[[name, delta type]], partition_columns, transactions {appId: version}, partition_counts
[{partition values..., rows}], null_counts {column: n}, sums {column: n}, min_max {column: [min, max]}
(timestamps in microseconds, dates as YYYY-MM-DD), filter {column, above, rows}, checkpoint_version.

Checks with delta-rs (deltalake), pyarrow (per data file) and DuckDB's delta extension (loaded offline),
then again from a copy whose JSON commits below the checkpoint are deleted, so the checkpoint alone must
carry the table state. Prints one line per check; exits 1 if any failed.
"""
import datetime
import json
import os
import shutil
import sys
import tempfile
import urllib.parse

import deltalake
import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

failures = []


def check(name, actual, expected):
    ok = actual == expected
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": got {actual!r}, expected {expected!r}"))
    if not ok:
        failures.append(name)


def micros(value):
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1_000_000) if value.tzinfo is None else (
            (value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(microseconds=1))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def check_delta_rs(table_dir, expected, label):
    table = deltalake.DeltaTable(table_dir)
    check(f"{label} delta-rs version", table.version(), expected["version"])
    fields = [[f.name, getattr(f.type, "type", str(f.type))] for f in table.schema().fields]
    check(f"{label} delta-rs columns and types", fields, expected["columns"])
    check(f"{label} delta-rs partition columns", table.metadata().partition_columns, expected["partition_columns"])
    for app_id, version in sorted(expected["transactions"].items()):
        check(f"{label} delta-rs transaction_version({app_id})", table.transaction_version(app_id), version)
    data = table.to_pyarrow_table()
    check(f"{label} delta-rs row count", data.num_rows, expected["rows"])
    return table, data


def check_data(table, data, expected, table_dir):
    for column, count in sorted(expected["null_counts"].items()):
        check(f"nulls in {column}", data.column(column).null_count, count)
    for column, total in sorted(expected["sums"].items()):
        check(f"sum of {column}", pc.sum(data.column(column)).as_py(), total)
    for column, (low, high) in sorted(expected["min_max"].items()):
        bounds = pc.min_max(data.column(column)).as_py()
        check(f"min/max of {column}", [micros(bounds["min"]), micros(bounds["max"])], [low, high])
    keys = expected["partition_columns"]
    counted = {}
    for row in data.select(keys).to_pylist():
        key = tuple(micros(row[k]) for k in keys)
        counted[key] = counted.get(key, 0) + 1
    wanted = {tuple(p[k] for k in keys): p["rows"] for p in expected["partition_counts"]}
    check("rows per partition (delta-rs)", counted, wanted)

    # Every file's stats agree with the file itself, and files hold no partition columns.
    adds = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    data_columns = [name for name, _ in expected["columns"] if name not in keys]
    mismatched = []
    for add in adds:
        path = os.path.join(table_dir, add["path"])
        if not os.path.exists(path):
            path = os.path.join(table_dir, urllib.parse.unquote(add["path"]))
        file_table = pq.read_table(path)
        if file_table.num_rows != add["num_records"]:
            mismatched.append((add["path"], "rows", file_table.num_rows, add["num_records"]))
        if file_table.column_names != data_columns:
            mismatched.append((add["path"], "columns", file_table.column_names))
        for column in data_columns:
            nulls = add.get(f"null_count.{column}")
            if nulls is not None and nulls != file_table.column(column).null_count:
                mismatched.append((add["path"], f"null_count.{column}", nulls))
            if f"min.{column}" in add and add[f"min.{column}"] is not None and file_table.column(column).null_count < file_table.num_rows:
                bounds = pc.min_max(file_table.column(column)).as_py()
                if isinstance(bounds["min"], str):
                    # String bounds may be a truncated prefix (min) and may be absent (max).
                    if not bounds["min"].startswith(add[f"min.{column}"]):
                        mismatched.append((add["path"], f"min.{column}", add[f"min.{column}"], bounds["min"]))
                    if add.get(f"max.{column}") is not None and add[f"max.{column}"] != bounds["max"]:
                        mismatched.append((add["path"], f"max.{column}", add[f"max.{column}"], bounds["max"]))
                elif micros(add[f"min.{column}"]) != micros(bounds["min"]) or micros(add[f"max.{column}"]) != micros(bounds["max"]):
                    mismatched.append((add["path"], column, add[f"min.{column}"], add[f"max.{column}"], bounds))
    check(f"stats of {len(adds)} files agree with their data", mismatched, [])
    check("file count", len(adds), expected["files"])


def duckdb_connection():
    site_packages = os.path.dirname(os.path.dirname(duckdb.__file__))
    connection = duckdb.connect()
    connection.execute("SET autoinstall_known_extensions=false")
    connection.execute(f"SET extension_directory='{site_packages}/duckdb_ext/extensions'")
    connection.execute("LOAD delta")
    return connection


def check_duckdb(connection, table_dir, expected, label):
    scan = f"delta_scan('{table_dir}')"
    check(f"{label} duckdb row count", connection.execute(f"SELECT count(*) FROM {scan}").fetchone()[0], expected["rows"])
    columns = [row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()]
    check(f"{label} duckdb column names", sorted(columns), sorted(name for name, _ in expected["columns"]))
    for partition in expected["partition_counts"][:3]:
        conditions = " AND ".join(
            f'"{k}" IS NULL' if partition[k] is None else
            (f"\"{k}\" = DATE '{partition[k]}'" if dict(expected["columns"])[k] == "date" else f"\"{k}\" = '{partition[k]}'")
            for k in expected["partition_columns"])
        count = connection.execute(f"SELECT count(*) FROM {scan} WHERE {conditions}").fetchone()[0]
        check(f"{label} duckdb partition filter {conditions}", count, partition["rows"])
    spec = expected["filter"]
    count = connection.execute(f"SELECT count(*) FROM {scan} WHERE \"{spec['column']}\" > {spec['above']}").fetchone()[0]
    check(f"{label} duckdb data filter {spec['column']} > {spec['above']}", count, spec["rows"])


def main():
    table_dir, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path) as handle:
        expected = json.load(handle)
    log_dir = os.path.join(table_dir, "_delta_log")
    checkpoint = expected["checkpoint_version"]
    with open(os.path.join(log_dir, "_last_checkpoint")) as handle:
        check("_last_checkpoint version", json.load(handle)["version"], checkpoint)

    table, data = check_delta_rs(table_dir, expected, "log")
    check_data(table, data, expected, table_dir)
    connection = duckdb_connection()
    check_duckdb(connection, table_dir, expected, "log")

    # The checkpoint alone: delete every commit below it in a copy.
    with tempfile.TemporaryDirectory(prefix="pulse-checkpoint-only-") as scratch:
        copy = os.path.join(scratch, "table")
        shutil.copytree(table_dir, copy)
        removed = 0
        for name in os.listdir(os.path.join(copy, "_delta_log")):
            if name.endswith(".json") and name[:20].isdigit() and int(name[:20]) < checkpoint:
                os.remove(os.path.join(copy, "_delta_log", name))
                removed += 1
        check("commits deleted below the checkpoint", removed, checkpoint)
        check_delta_rs(copy, expected, "checkpoint-only")
        check_duckdb(connection, copy, expected, "checkpoint-only")

    print(f"{len(failures)} failed" if failures else "all checks passed")
    sys.stdout.flush()
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
