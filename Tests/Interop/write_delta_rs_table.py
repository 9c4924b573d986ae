#!/usr/bin/env python3
"""Writes a small partitioned table with delta-rs (3 appends + a checkpoint) for our reader to load.

usage: write_delta_rs_table.py TABLE_DIR
"""
import os
import sys

import deltalake

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from concurrent_writer import batch  # noqa: E402

table_dir = sys.argv[1]
for commit in range(4):
    deltalake.write_deltalake(
        table_dir, batch(commit) if commit else batch(commit).slice(0, 0), mode="append",
        partition_by=["dt", "station_id"],
        commit_properties=deltalake.CommitProperties(app_transactions=[deltalake.Transaction(app_id="py-0", version=commit)]))
deltalake.DeltaTable(table_dir).create_checkpoint()
print("written", flush=True)
os._exit(0)
