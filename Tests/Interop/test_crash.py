"""kill -9 the engine again and again while producers write: no record missing or doubled in any
table, Gold still equals its recomputation from Silver, and the Gold of the killed engine equals
the Gold of an engine that ran uninterrupted over the same events (ARCHITECTURE.md, Exactly-once)."""
import random
import re
import select
import signal
import subprocess
import time

import pytest

from conftest import duckdb_connection, inspect, log_lines, start_pulse, stop_process
from s3_server import S3Lakehouse
from medallion_checks import (
    GOLD_TABLES, check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine,
    check_tables_load, gold_rows, late_records,
)

KILLS = 24
SEED = 20250820
PRODUCE = ["--seed", "3", "--start", "2025-08-20T18:00:00Z", "--speed", "2000", "--bike-interval", "0.01",
           "--weather-interval", "0.05", "--bad-records", "0.01", "--status-interval", "5", "--duration", "300"]


def broker_address(proc, timeout=20.0):
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "pulse-tui broker printed no address"
    line = proc.stdout.readline().decode().strip()
    assert re.fullmatch(r"[\w.\-]+:\d+", line), f"pulse-tui broker printed {line!r}"
    return line


def broker_high_watermarks(address, topic, partitions=3):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": address, "group.id": "crash-test-watermarks"})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(partitions)}
    finally:
        consumer.close()


def delivered_counts(summary):
    counts = {}
    for source, produced, delivered, failed in re.findall(
            r"(bike|weather): produced (\d+), delivered (\d+), failed (\d+)", summary):
        counts[source] = (int(produced), int(delivered), int(failed))
    assert set(counts) == {"bike", "weather"}, f"no producer summary in:\n{summary}"
    return counts


def caught_up(lakehouse, cwd, delivered, exact=False):
    """True when Bronze holds every delivered record (exactly that many with `exact`) and Silver +
    quarantine hold every Bronze one."""
    try:
        tables = inspect(lakehouse, cwd)
    except (Exception, pytest.fail.Exception):  # a table not created yet
        return False
    for source, count in delivered.items():
        bronze = tables.get(f"bronze/{source}", {}).get("rows", 0)
        silver = tables.get(f"silver/{source}_events", {}).get("rows", 0)
        quarantine = tables.get(f"quarantine/{source}", {}).get("rows", 0)
        if (bronze != count if exact else bronze < count) or silver + quarantine < bronze:
            return False
    return True


def run_until_caught_up(engines, cwd, delivered, timeout=90.0):
    """Waits until every engine's lakehouse has caught up, then lets a few more triggers pass and stops
    the engines cleanly (SIGTERM). `engines` is [(name, Popen, lakehouse, log_dir)]."""
    deadline = time.monotonic() + timeout
    pending = {name for name, *_ in engines}
    while pending and time.monotonic() < deadline:
        for name, proc, lakehouse, log_dir in engines:
            if name in pending:
                assert proc.poll() is None, f"{name}: stream exited {proc.returncode}; log: {log_lines(log_dir, '.')}"
                if caught_up(lakehouse, cwd, delivered):
                    pending.discard(name)
        time.sleep(0.5)
    for name, proc, lakehouse, log_dir in engines:
        assert name not in pending, (
            f"{name}: did not catch up with {delivered} in {timeout} s: {inspect(lakehouse, cwd)}\n"
            + "\n".join(log_lines(log_dir, r"error|warning|resuming")))
    time.sleep(1.5)
    for name, proc, _, log_dir in engines:
        code = stop_process(proc, signal.SIGTERM)
        assert code == 0, f"{name}: stream exited {code} on SIGTERM; log: {log_lines(log_dir, 'error')}"


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_kill_9_engine_repeatedly_loses_and_doubles_nothing(tmp_path, request, storage):
    rng = random.Random(SEED)
    s3_server, store_flags = None, []
    if storage == "s3":  # the same protocol on SeaweedFS: conditional puts instead of link(2)
        s3_server = request.getfixturevalue("s3")
        killed_lakehouse = S3Lakehouse("s3://pulse-crash/killed")
        clean_lakehouse = S3Lakehouse("s3://pulse-crash/uninterrupted")
        store_flags = ["--s3-create-bucket"]
    else:
        killed_lakehouse = tmp_path / "killed"
        clean_lakehouse = tmp_path / "uninterrupted"
    logs = tmp_path / "logs"
    started = []
    began = time.monotonic()
    try:
        broker = start_pulse(["broker", "--partitions", "3", "--duration", "600", "--log-dir", str(logs / "broker")],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
        started.append(broker)
        address = broker_address(broker)
        with open(tmp_path / "produce.out", "w") as out:
            producer = start_pulse(["produce", "--brokers", address, *PRODUCE, "--log-dir", str(logs / "produce")],
                                   cwd=tmp_path, stdout=out)
        started.append(producer)

        # kill -9 the engine after random delays, a third of them short (a batch or two in)
        delays = [rng.uniform(0.3, 0.7) if i % 3 == 0 else rng.uniform(0.3, 3.0) for i in range(KILLS)]
        for i, delay in enumerate(delays):
            log_dir = logs / f"stream-{i:02d}"
            with open(tmp_path / f"stream-{i:02d}.out", "w") as out:
                engine = start_pulse(
                    ["stream", "--brokers", address, "--lakehouse", str(killed_lakehouse), *store_flags,
                     "--trigger", "0.2", "--status-interval", "1", "--log-dir", str(log_dir)],
                    cwd=tmp_path, stdout=out)
            started.append(engine)
            time.sleep(delay)
            assert engine.poll() is None, f"stream {i} exited {engine.returncode} before the kill: {log_lines(log_dir, '.')}"
            assert stop_process(engine, signal.SIGKILL) == -signal.SIGKILL
        assert producer.poll() is None, "the producer stopped before the kills ended"
        kill_seconds = time.monotonic() - began

        # stop the producers; their summary says what the broker holds
        assert stop_process(producer, signal.SIGTERM) == 0
        counts = delivered_counts((tmp_path / "produce.out").read_text())
        delivered = {}
        high = {}
        for source, (produced, ok, failed) in counts.items():
            assert failed == 0 and produced == ok, f"{source}: produced {produced}, delivered {ok}, failed {failed}"
            high[source] = broker_high_watermarks(address, source)
            assert sum(high[source].values()) == ok, f"{source}: delivered {ok}, broker holds {high[source]}"
            delivered[source] = ok
        assert delivered["bike"] > 2000 and delivered["weather"] > 400, delivered

        # one last engine on the killed lakehouse, and an uninterrupted one on a fresh lakehouse
        engines = []
        for name, lakehouse in (("final", killed_lakehouse), ("uninterrupted", clean_lakehouse)):
            log_dir = logs / name
            with open(tmp_path / f"{name}.out", "w") as out:
                proc = start_pulse(
                    ["stream", "--brokers", address, "--lakehouse", str(lakehouse), *store_flags,
                     "--trigger", "0.2", "--status-interval", "1", "--log-dir", str(log_dir)],
                    cwd=tmp_path, stdout=out)
            started.append(proc)
            engines.append((name, proc, lakehouse, log_dir))
        run_until_caught_up(engines, tmp_path, delivered)
        run_seconds = time.monotonic() - began
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGKILL if proc is not started[0] else signal.SIGTERM, timeout=10)

    # what the killed engine left, checked by delta-rs and DuckDB
    con = duckdb_connection(s3_server)
    for lakehouse in (killed_lakehouse, clean_lakehouse):
        reported = inspect(lakehouse, tmp_path)
        check_tables_load(lakehouse, con, reported)
        partitions = {}
        for source in ("bike", "weather"):
            check_bronze_offsets(lakehouse, source, expected_high=high[source])
            mapping, accepted, _ = check_silver_and_quarantine(lakehouse, source)
            partitions[source] = mapping
            late = late_records(accepted)
            assert late == [], f"{lakehouse.name} {source}: late records (Gold would differ from Silver): {late[:10]}"
        check_gold_unique(lakehouse, con)
        checked = check_gold_against_silver(lakehouse, con, partitions)
        assert checked["gold/bike_usage_daily"] >= 30 and checked["gold/weather_daily"] >= 25, checked

    # the killed engine's Gold is exactly the uninterrupted engine's
    killed, clean = gold_rows(killed_lakehouse, con), gold_rows(clean_lakehouse, con)
    for table in GOLD_TABLES:
        only_killed = sorted(set(killed[table]) - set(clean[table]))[:5]
        only_clean = sorted(set(clean[table]) - set(killed[table]))[:5]
        assert killed[table] == clean[table], (
            f"{table}: {len(killed[table])} rows after kills, {len(clean[table])} uninterrupted; "
            f"only after kills: {only_killed}; only uninterrupted: {only_clean}")
    print(f"{storage}: {KILLS} kills in {kill_seconds:.1f} s, caught up after {run_seconds:.1f} s; delivered {delivered}")
