#!/usr/bin/env python3
"""Appends to a Delta table with delta-rs while pulse-tui appends to it from another process.

usage: concurrent_writer.py TABLE_DIR COMMITS APP_ID

Each commit adds ROWS rows (offsets 1_000_000 + commit*ROWS + i) and records txn APP_ID = commit + 1.
Prints "start" once imports are done, so the Swift side can begin at the same moment.
"""
import datetime
import os
import sys

import deltalake
import pyarrow as pa

ROWS = 10


def batch(commit):
    utc = datetime.timezone.utc
    offsets = [1_000_000 + commit * ROWS + i for i in range(ROWS)]
    return pa.table({
        "station_id": pa.array(["PY1"] * ROWS, pa.string()),
        "city": pa.array(["Delta-rs"] * ROWS, pa.string()),
        "bikes": pa.array([i for i in range(ROWS)], pa.int32()),
        "offset": pa.array(offsets, pa.int64()),
        "rate": pa.array([0.5] * ROWS, pa.float64()),
        "event_time": pa.array([datetime.datetime(2025, 8, 20, 12, 0, i, tzinfo=utc) for i in range(ROWS)],
                               pa.timestamp("us", tz="UTC")),
        "dt": pa.array([datetime.date(2025, 8, 20)] * ROWS, pa.date32()),
        "ok": pa.array([True] * ROWS, pa.bool_()),
    })


def main():
    table_dir, commits, app_id = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print("start", flush=True)
    for commit in range(commits):
        deltalake.write_deltalake(
            table_dir, batch(commit), mode="append",
            commit_properties=deltalake.CommitProperties(
                app_transactions=[deltalake.Transaction(app_id=app_id, version=commit + 1)], max_commit_retries=200))
    print(f"done {commits}", flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
