"""Consumer groups (issue 15): `pulse-tui stream --group` processes share 6-partition topics and one
lakehouse while the producers run. Two members start; one is killed -9 mid-run (its partitions move after
the session timeout) and a third joins (a cooperative rebalance hands it some of the survivor's). A single
engine without a group reads the same broker into a lakehouse of its own, uninterrupted.

Afterwards, checked by delta-rs and DuckDB: every offset the broker holds is in Bronze once, Bronze =
Silver + quarantine, Gold has no duplicate key and equals the uninterrupted engine's Gold row for row;
every member logged its partitions, and `inspect` names who committed each partition last. Once on the
embedded broker (`pulse-tui broker`), once on Tansu with the build linked against a current librdkafka.
"""
import re
import signal
import subprocess
import time

import pytest

from conftest import duckdb_connection, inspect, log_lines, pulse_env, run_pulse, start_pulse, stop_process
from medallion_checks import (
    GOLD_TABLES, check_bronze_offsets, check_gold_unique, check_silver_and_quarantine, check_tables_load, gold_rows,
    late_records,
)
from test_crash import broker_address, caught_up, delivered_counts
from test_real_broker import current_binary, read_to_end, start_tansu

PARTITIONS = 6
SOURCES = ("bike", "weather")
PRODUCE = ["--seed", "11", "--start", "2025-08-20T18:00:00Z", "--speed", "2000", "--bike-interval", "0.01",
           "--weather-interval", "0.05", "--bad-records", "0.01", "--status-interval", "5", "--duration", "24"]
ENGINE = ["--trigger", "0.3", "--status-interval", "1"]
GROUP = ["--group", "pulse-group-test", "--session-timeout", "6"]


def start(path, args, cwd, name, logs):
    """Starts a pulse-tui build `path` with `args` in its own process group, output to cwd/name.out."""
    with open(cwd / f"{name}.out", "w") as out:
        return subprocess.Popen([path, *args, "--log-dir", str(logs / name)], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, env=pulse_env(), start_new_session=True)


def owned_partitions(log_dir, source):
    """Every partition set the member logged for `source` ("bike: partitions [0, 2, 4] of 6 in group ...")."""
    sets = []
    for line in log_lines(log_dir, rf"{source}: partitions \[", limit=1000):
        found = re.search(r"partitions \[([\d, ]*)\] of (\d+)", line)
        sets.append(tuple(int(p) for p in found.group(1).split(",") if p.strip()))
    return sets


def run_group_scenario(tmp_path, path, address, delivered_of):
    """Runs the members and the uninterrupted engine against `address`; returns (group lakehouse,
    uninterrupted lakehouse, delivered per source, timings)."""
    group_lakehouse, single_lakehouse = tmp_path / "group", tmp_path / "single"
    logs = tmp_path / "logs"
    started = []
    timings = {}
    try:
        def member(name):
            proc = start(path, ["stream", "--brokers", address, "--lakehouse", str(group_lakehouse), *GROUP, *ENGINE],
                         tmp_path, name, logs)
            started.append(proc)
            return proc

        m1, m2 = member("member-1"), member("member-2")
        single = start(path, ["stream", "--brokers", address, "--lakehouse", str(single_lakehouse), *ENGINE],
                       tmp_path, "single", logs)
        started.append(single)
        began = time.monotonic()
        producer = start(path, ["produce", "--brokers", address, *PRODUCE], tmp_path, "produce", logs)
        started.append(producer)

        # A third member joins two live ones (a cooperative rebalance moves some of their partitions to it);
        # later the first is killed and its partitions move after the session timeout.
        time.sleep(5)
        m3 = member("member-3")
        joined_at = time.monotonic()
        time.sleep(9)
        assert m1.poll() is None, f"member-1 exited {m1.returncode}: {log_lines(logs / 'member-1', '.')}"
        assert stop_process(m1, signal.SIGKILL) == -signal.SIGKILL
        killed_at = time.monotonic()

        assert producer.wait(timeout=60) == 0, (tmp_path / "produce.out").read_text()
        delivered = delivered_of((tmp_path / "produce.out").read_text())
        engines = [("member-2", m2), ("member-3", m3), ("single", single)]
        deadline = time.monotonic() + 90
        while not (caught_up(group_lakehouse, tmp_path, delivered, exact=True)
                   and caught_up(single_lakehouse, tmp_path, delivered, exact=True)):
            for name, proc in engines:
                assert proc.poll() is None, f"{name} exited {proc.returncode}: {log_lines(logs / name, '.')}"
            assert time.monotonic() < deadline, (
                f"not caught up with {delivered}: group {inspect(group_lakehouse, tmp_path)}, "
                f"single {inspect(single_lakehouse, tmp_path)}")
            time.sleep(0.5)
        timings["caught_up_s"] = time.monotonic() - began
        time.sleep(1.5)  # a few more triggers: progress-only commits of the quiet tables
        for name, proc in engines:
            code = stop_process(proc, signal.SIGTERM)
            assert code == 0, f"{name} exited {code} on SIGTERM: {log_lines(logs / name, 'error|critical')}"
        timings["killed_at_s"] = killed_at - began
        timings["joined_at_s"] = joined_at - began
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGKILL, timeout=10)
    return group_lakehouse, single_lakehouse, delivered, timings


def check_members(tmp_path):
    """Every member owned partitions at some point, the survivor took over the killed member's, and the
    joiner got a share; no member logged an error."""
    logs = tmp_path / "logs"
    for source in SOURCES:
        # A member logs an empty set first, before the group's first assignment reaches it.
        killed = [set(s) for s in owned_partitions(logs / "member-1", source) if s]
        survivor = [set(s) for s in owned_partitions(logs / "member-2", source) if s]
        joiner = [set(s) for s in owned_partitions(logs / "member-3", source) if s]
        assert killed and survivor, f"{source}: the first members owned {killed} and {survivor}"
        # The logs carry no generation, so a member's first set and the other's may come from different
        # rebalances (the mock broker moved partition 2 between them once): no disjointness check here;
        # that no offset was read twice into the tables is what check_against_single proves.
        assert set().union(*killed, *survivor) == set(range(PARTITIONS)), f"{source}: {killed} + {survivor}"
        assert joiner, f"{source}: the joining member never got a partition"
        # The joiner's share came from the live members: one of them gave partitions up before the kill.
        assert len(killed) > 1 or len(survivor) > 1, f"{source}: no live member gave up a partition: {killed}, {survivor}"
        assert set().union(*survivor, *joiner) == set(range(PARTITIONS)), (
            f"{source}: partitions never read after the kill: survivor {survivor}, joiner {joiner}")
    # The status lines say which partitions each member reads; the engine outside the group reads all.
    for name in ("member-2", "member-3"):
        status = (tmp_path / f"{name}.out").read_text()
        assert re.search(r"owns partitions? \d[\d,-]*", status), f"{name} never said what it owns:\n{status[-2000:]}"
    assert " owns " not in (tmp_path / "single.out").read_text()
    for name in ("member-1", "member-2", "member-3", "single"):
        errors = log_lines(logs / name, r" (error|critical) ")
        assert not errors, f"{name} logged errors:\n" + "\n".join(errors)


def check_against_single(tmp_path, group_lakehouse, single_lakehouse, high):
    """Bronze holds each offset once, Silver + quarantine Bronze, Gold unique and equal to the
    uninterrupted engine's, in delta-rs and DuckDB; `inspect` names the committers."""
    con = duckdb_connection()
    for lakehouse in (group_lakehouse, single_lakehouse):
        reported = inspect(lakehouse, tmp_path)
        counts = check_tables_load(lakehouse, con, reported)
        for source in SOURCES:
            check_bronze_offsets(lakehouse, source, expected_high=high[source])
            duck = con.execute(f"SELECT count(*) FROM delta_scan('{lakehouse / 'bronze' / source}')").fetchone()[0]
            assert duck == sum(high[source].values()) == counts[f"bronze/{source}"]
            _, accepted, _ = check_silver_and_quarantine(lakehouse, source)
            assert late_records(accepted) == [], f"{lakehouse.name} {source}: late records"
            assert counts[f"bronze/{source}"] == counts[f"silver/{source}_events"] + counts[f"quarantine/{source}"]
        check_gold_unique(lakehouse, con)
    grouped, single = gold_rows(group_lakehouse, con), gold_rows(single_lakehouse, con)
    for table in GOLD_TABLES:
        assert grouped[table] == single[table], (
            f"{table}: {len(grouped[table])} rows from the group, {len(single[table])} from one engine; "
            f"only in the group's: {sorted(set(grouped[table]) - set(single[table]))[:5]}; "
            f"only in the single engine's: {sorted(set(single[table]) - set(grouped[table]))[:5]}")
    assert len(grouped["gold/bike_minute"]) > 100, "too little Gold to compare"
    report = inspect(group_lakehouse, tmp_path)
    writers = set()
    for source in SOURCES:
        committers = report[f"bronze/{source}"]["lastCommitters"]
        assert set(committers) == {f"{source}-{p}" for p in range(PARTITIONS)}, committers
        writers |= {c["writer"] for c in committers.values()}
    assert all(re.fullmatch(r".+:\d+", w) for w in writers), writers
    assert len(writers) >= 2, f"one process committed every partition last: {writers}"
    text = run_pulse(["inspect", "--lakehouse", str(group_lakehouse)], cwd=tmp_path).stdout
    assert "last committer per partition of bronze/bike" in text, text


def delivered_exactly(summary):
    counts = delivered_counts(summary)
    for source, (produced, ok, failed) in counts.items():
        assert failed == 0 and produced == ok, f"{source}: produced {produced}, delivered {ok}, failed {failed}"
    return {source: ok for source, (_, ok, _) in counts.items()}


def test_group_on_embedded_broker_kill_and_join(tmp_path):
    logs = tmp_path / "logs"
    broker = start_pulse(["broker", "--partitions", str(PARTITIONS), "--duration", "300",
                          "--log-dir", str(logs / "broker")], cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
    try:
        address = broker_address(broker)
        from conftest import binary
        group, single, delivered, timings = run_group_scenario(tmp_path, binary(), address, delivered_exactly)
        held = {source: read_to_end(address, source, partitions=PARTITIONS) for source in SOURCES}
    finally:
        stop_process(broker, signal.SIGTERM)
    high = {source: {p: len(rows) for p, rows in held[source].items()} for source in SOURCES}
    for source in SOURCES:
        assert sum(high[source].values()) == delivered[source], f"{source}: delivered {delivered[source]}, held {high}"
    check_members(tmp_path)
    check_against_single(tmp_path, group, single, high)
    print(f"embedded broker: delivered {delivered}, {timings}")


def test_group_on_tansu_kill_and_join(tmp_path):
    path = current_binary()
    tansu, address = start_tansu(tmp_path, partitions=PARTITIONS)
    try:
        group, single, delivered, timings = run_group_scenario(tmp_path, path, address, delivered_exactly)
        held = {source: read_to_end(address, source, partitions=PARTITIONS) for source in SOURCES}
    finally:
        stop_process(tansu, signal.SIGTERM)
    high = {source: {p: len(rows) for p, rows in held[source].items()} for source in SOURCES}
    for source in SOURCES:
        assert sum(high[source].values()) == delivered[source], f"{source}: delivered {delivered[source]}, held {high}"
    check_members(tmp_path)
    check_against_single(tmp_path, group, single, high)
    print(f"Tansu: delivered {delivered}, {timings}")
