"""The lakehouse stays healthy as it ages: fewer, bigger files sorted by station, compaction next to the
engine's appends (its own and delta-rs's), `pulse-tui optimize`, and tables created before the layout
changed keep their partitioning. Checked with delta-rs, DuckDB and polars."""
import collections
import json
import re
import os
import signal
import subprocess
import threading
import time

import polars as pl
import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake

from conftest import duckdb_connection, inspect, run_pulse, start_pulse, stop_process
from medallion_checks import GOLD_TABLES, check_gold_unique

FAST = ["--speed", "600", "--bike-interval", "0.005", "--weather-interval", "0.02", "--trigger", "0.1",
        "--status-interval", "10"]


def files_per_partition(path):
    """{partition values: live data files} of a Delta table, from delta-rs."""
    table = DeltaTable(str(path))
    counts = collections.Counter()
    for action in pa.table(table.get_add_actions(flatten=True)).to_pylist():
        counts[tuple(sorted((k, v) for k, v in action.items() if k.startswith("partition.")))] += 1
    return counts


def add_actions(path):
    return pa.table(DeltaTable(str(path)).get_add_actions(flatten=True)).to_pylist()


def check_all_tables_load(lakehouse, cwd, con):
    """Every table loads in full in delta-rs, DuckDB and polars, with the rows `inspect` reports."""
    reported = inspect(lakehouse, cwd)
    for path, table in reported.items():
        full = lakehouse / path
        rows = DeltaTable(str(full)).to_pyarrow_table().num_rows
        assert rows == table["rows"], path
        assert con.execute(f"SELECT count(*) FROM delta_scan('{full}')").fetchone()[0] == rows, path
        assert pl.read_delta(str(full)).height == rows, path
    return reported


def test_compaction_keeps_partitions_small_and_every_table_readable(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    run_pulse(["--no-ui", "--duration", "25", "--seed", "3", "--start", "2025-08-20T00:00:00Z", *FAST,
               "--compaction-interval", "2", "--lakehouse", str(lakehouse)], cwd=tmp_path, timeout=120)
    con = duckdb_connection()
    reported = check_all_tables_load(lakehouse, tmp_path, con)
    check_gold_unique(lakehouse, con)
    # New tables: dt only; compaction keeps every partition far below the 64 live files.
    for path in ("silver/bike_events", "silver/weather_events", "gold/bike_usage_hourly", "gold/weather_hourly"):
        assert DeltaTable(str(lakehouse / path)).metadata().partition_columns == ["dt"], path
    for path in reported:
        worst = max(files_per_partition(lakehouse / path).values(), default=0)
        assert worst <= 64, f"{path}: {worst} live files in one partition"
    silver = lakehouse / "silver" / "bike_events"
    assert len(add_actions(silver)) < reported["silver/bike_events"]["rows"] / 100, "still one tiny file per batch"


def test_engine_and_a_concurrent_delta_rs_compaction_both_keep_every_row(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    broker_log = open(tmp_path / "broker.log", "w")
    broker = start_pulse(["broker", "--partitions", "3"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=broker_log)
    try:
        address = broker.stdout.readline().strip().split()[-1]
        engine_log = open(tmp_path / "engine.log", "w")
        engine = start_pulse(["stream", "--brokers", address, "--lakehouse", str(lakehouse), "--trigger", "0.1",
                              "--compaction-interval", "1", "--status-interval", "5"], cwd=tmp_path,
                             stdout=engine_log)
        producer = run_pulse(["produce", "--brokers", address, "--duration", "12", "--seed", "5",
                              "--start", "2025-08-20T06:00:00Z", "--speed", "600", "--bike-interval", "0.005",
                              "--weather-interval", "0.02", "--status-interval", "12"], cwd=tmp_path, timeout=60)
        # delta-rs compacts the tables the engine is appending to, over and over, meanwhile.
        stop = threading.Event()
        outcomes = collections.Counter()

        def compact():
            while not stop.is_set():
                for path in ("silver/bike_events", "bronze/bike", "gold/bike_minute"):
                    try:
                        DeltaTable(str(lakehouse / path)).optimize.compact()
                        outcomes["ok"] += 1
                    except Exception as error:  # a lost race is delta-rs's to report, not a failure here
                        outcomes[type(error).__name__] += 1
                time.sleep(0.2)

        thread = threading.Thread(target=compact)
        thread.start()
        time.sleep(8)
        stop.set()
        thread.join()
        delivered = {m.group(1): int(m.group(2)) for m in
                     re.finditer(r"^  (\w+): produced \d+, delivered (\d+)", producer.stdout, re.M)}
        # Wait until Bronze holds everything, then stop the engine cleanly.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if DeltaTable(str(lakehouse / "bronze" / "bike")).to_pyarrow_table().num_rows >= delivered["bike"]:
                    break
            except Exception:
                pass
            time.sleep(1)
        assert stop_process(engine, signal.SIGTERM) == 0, (tmp_path / "engine.log").read_text()[-3000:]
    finally:
        stop_process(broker, signal.SIGTERM)
    assert outcomes["ok"] > 0, outcomes
    con = duckdb_connection()
    check_all_tables_load(lakehouse, tmp_path, con)
    check_gold_unique(lakehouse, con)
    for source in ("bike", "weather"):
        bronze = DeltaTable(str(lakehouse / "bronze" / source)).to_pyarrow_table()
        keys = set(zip(bronze["partition"].to_pylist(), bronze["offset"].to_pylist()))
        assert len(keys) == bronze.num_rows == delivered[source], source
        silver = DeltaTable(str(lakehouse / "silver" / f"{source}_events")).to_pyarrow_table().num_rows
        quarantine = DeltaTable(str(lakehouse / "quarantine" / source)).to_pyarrow_table().num_rows
        assert silver + quarantine == bronze.num_rows, source


def test_optimize_sorts_by_station_so_readers_skip_files_and_see_the_same_rows(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    run_pulse(["--no-ui", "--duration", "10", "--seed", "4", "--start", "2025-08-20T00:00:00Z", *FAST,
               "--compaction-interval", "0", "--lakehouse", str(lakehouse)], cwd=tmp_path, timeout=90)
    con = duckdb_connection()
    before = check_all_tables_load(lakehouse, tmp_path, con)
    silver = lakehouse / "silver" / "bike_events"
    files_before = len(add_actions(silver))
    assert files_before > 30, "compaction off: one file per batch and day"
    rows_before = pl.read_delta(str(silver)).sort(["station_id", "event_time"])
    # Files of at most 500 rows (optimize's target), cut from rows sorted by station: each covers a range of
    # stations, and its min/max statistics let readers skip the others.
    proc = run_pulse(["optimize", "--lakehouse", str(lakehouse), "--target-rows", "500"], cwd=tmp_path, timeout=120)
    assert "silver/bike_events:" in proc.stdout, proc.stdout
    after = check_all_tables_load(lakehouse, tmp_path, con)
    assert {p: t["rows"] for p, t in after.items()} == {p: t["rows"] for p, t in before.items()}
    assert len(add_actions(silver)) < files_before / 5
    assert pl.read_delta(str(silver)).sort(["station_id", "event_time"]).equals(rows_before)
    actions = add_actions(silver)
    for action in actions:
        rows = pl.read_parquet(str(silver / action["path"]), columns=["station_id", "event_time"]).rows()
        assert rows == sorted(rows), action["path"]
    holding = [a for a in actions if a["min.station_id"] <= "S001" <= a["max.station_id"]]
    assert 0 < len(holding) < len(actions), (len(holding), len(actions))
    query = f"SELECT count(*) FROM delta_scan('{silver}') WHERE station_id = 'S001'"
    expected = pl.read_delta(str(silver)).filter(pl.col("station_id") == "S001").height
    assert con.execute(query).fetchone()[0] == expected > 0
    # DuckDB's delta scan reads only the files whose statistics admit S001.
    plan = "".join(r[1] for r in con.execute("EXPLAIN ANALYZE " + query).fetchall())
    scanning = re.search(r"Scanning Files\W+(\d+)/(\d+)", plan)
    assert scanning, plan[-2000:]
    assert int(scanning.group(1)) == len(holding) and int(scanning.group(2)) == len(actions)
    # delta-rs (datafusion) likewise: the files its scan opens are those holding S001.
    from deltalake import QueryBuilder
    explained = pa.table(QueryBuilder().register("t", DeltaTable(str(silver))).execute(
        "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE station_id = 'S001'").read_all()).to_pylist()
    text = " ".join(str(v) for row in explained for v in row.values())
    groups = re.search(r"file_groups=\{[^}]*\}", text)
    assert groups, text[-2000:]
    assert groups.group(0).count(".parquet") == len(holding) < len(actions)
    # Progress (txn versions) is untouched by compaction.
    for path, table in before.items():
        assert after[path]["transactions"] == table["transactions"], path
    # A second optimize finds nothing more to merge.
    again = run_pulse(["optimize", "--lakehouse", str(lakehouse), "--target-rows", "500"], cwd=tmp_path, timeout=60)
    assert "merged" not in again.stdout, again.stdout


def test_a_table_made_before_the_layout_change_keeps_its_partitioning(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    # Silver as an earlier version created it: partitioned by dt and station_id.
    schema = pa.schema([("station_id", pa.string()), ("bike_city", pa.string()), ("docks_total", pa.int32()),
                        ("bikes_available", pa.int32()), ("bikes_occupied", pa.int32()),
                        ("docks_available", pa.int32()), ("event_time", pa.timestamp("us", tz="UTC")),
                        ("dt", pa.date32()), ("availability_rate", pa.float64()), ("utilization_rate", pa.float64())])
    write_deltalake(str(lakehouse / "silver" / "bike_events"), pa.Table.from_pylist([], schema=schema),
                    partition_by=["dt", "station_id"])
    run_pulse(["--no-ui", "--duration", "8", "--seed", "6", "--start", "2025-08-20T00:00:00Z", *FAST,
               "--compaction-interval", "1", "--lakehouse", str(lakehouse)], cwd=tmp_path, timeout=90)
    silver = DeltaTable(str(lakehouse / "silver" / "bike_events"))
    assert silver.metadata().partition_columns == ["dt", "station_id"]
    assert DeltaTable(str(lakehouse / "silver" / "weather_events")).metadata().partition_columns == ["dt"]
    con = duckdb_connection()
    check_all_tables_load(lakehouse, tmp_path, con)
    for action in add_actions(lakehouse / "silver" / "bike_events"):
        assert action["path"].count("/") == 2 and "station_id=" in action["path"]
