"""make bench: the lakehouse's health as it ages (issue 12's figures), printed as JSON lines, never asserted.

One headless run of the real binary with many small commits (--trigger 0.1 --speed 600, ~10 commits a
second per table), against a separate `pulse-tui broker` process as a long-lived deployment runs it, then,
from outside the engine:
- live data files per (table, partition) at the end, and bytes of data vs Delta log vs Gold window state;
- resident memory every 10 s (the curve, and minute 3 against the last sample) of the engine and producers,
  and the broker's beside it: an embedded broker keeps up to 5 MiB of records per partition, so in one
  process its log filling up would read as the engine growing;
- commit latency per table from the log itself (commit file mtime minus its commitInfo timestamp), p99 of
  the second minute against the last minute;
- a restart on that lakehouse: seconds from launch to its first Bronze commit;
- DuckDB's count(*) over silver/bike_events, then the same on a copy compacted by delta-rs.
Usage: bench_health.py BINARY WORKDIR [SECONDS]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict

import pyarrow as pa
from deltalake import DeltaTable

BINARY, WORK = sys.argv[1], sys.argv[2]
SECONDS = int(sys.argv[3]) if len(sys.argv) > 3 else 600
RUN = ["--no-ui", "--trigger", "0.1", "--speed", "600", "--bike-interval", "0.005", "--weather-interval", "0.02",
       "--status-interval", "60"]


def report(name, **fields):
    print(json.dumps({"bench": name, **fields}), flush=True)


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None


def tree_bytes(root, keep):
    total = 0
    for directory, _, files in os.walk(root):
        for name in files:
            path = os.path.join(directory, name)
            if keep(os.path.relpath(path, root)):
                total += os.path.getsize(path)
    return total


def commit_latencies(table_root, since_ms, until_ms):
    """Milliseconds from each commit's commitInfo timestamp to its file's mtime, for commits in the window."""
    log = os.path.join(table_root, "_delta_log")
    out = []
    for name in os.listdir(log):
        if not name.endswith(".json") or name.startswith("_"):
            continue
        path = os.path.join(log, name)
        landed = os.stat(path).st_mtime * 1000
        if not since_ms <= landed < until_ms:
            continue
        with open(path) as f:
            for line in f:
                info = json.loads(line).get("commitInfo")
                if info and "timestamp" in info:
                    out.append(landed - info["timestamp"])
                    break
    return out


def p99(values):
    return round(sorted(values)[min(len(values) - 1, int(len(values) * 0.99))], 1) if values else None


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    lakehouse = os.path.join(WORK, "lakehouse")
    broker = subprocess.Popen([BINARY, "broker", "--partitions", "3", "--log-dir", WORK], cwd=WORK,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    bootstrap = broker.stdout.readline().strip()
    if not bootstrap:
        raise SystemExit("pulse-tui broker printed no bootstrap address")
    try:
        run(lakehouse, bootstrap, broker)
    finally:
        broker.terminate()
        broker.wait(timeout=30)


def run(lakehouse, bootstrap, broker):
    started = time.time()
    proc = subprocess.Popen([BINARY, *RUN, "--brokers", bootstrap, "--duration", str(SECONDS), "--lakehouse",
                             lakehouse], cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    curve = []
    broker_curve = []
    while proc.poll() is None:
        value = rss_mib(proc.pid)
        if value is not None:
            curve.append((round(time.time() - started), round(value, 1)))
            broker_curve.append((curve[-1][0], round(rss_mib(broker.pid) or 0, 1)))
        time.sleep(10)
    output = proc.stdout.read()
    report("health_run", seconds=SECONDS, exit=proc.returncode, summary=output[output.find("summary after"):][:200])
    minute3 = next((v for t, v in curve if t >= 180), None)
    report("health_rss_curve", samples=curve[::3], minute3_mib=minute3, last_mib=curve[-1][1] if curve else None,
           growth_after_minute3=round(curve[-1][1] / minute3 - 1, 3) if minute3 else None,
           broker_minute3_mib=next((v for t, v in broker_curve if t >= 180), None),
           broker_last_mib=broker_curve[-1][1] if broker_curve else None)

    tables = [os.path.join(layer, name) for layer in ("bronze", "silver", "quarantine", "gold")
              for name in sorted(os.listdir(os.path.join(lakehouse, layer)))]
    worst = {}
    for table in tables:
        actions = pa.table(DeltaTable(os.path.join(lakehouse, table)).get_add_actions(flatten=True)).to_pylist()
        per_partition = Counter(tuple(sorted((k, str(v)) for k, v in a.items() if k.startswith("partition."))) for a in actions)
        worst[table] = max(per_partition.values(), default=0)
    report("health_files", max_live_files_per_partition=max(worst.values()), per_table=worst)
    data = tree_bytes(lakehouse, lambda p: p.endswith(".parquet") and "_delta_log" not in p and "_checkpoints" not in p)
    log = tree_bytes(lakehouse, lambda p: "/_delta_log/" in "/" + p)
    state = tree_bytes(lakehouse, lambda p: p.startswith("_checkpoints"))
    report("health_bytes", data=data, delta_log=log, gold_state=state,
           note="data files that vacuum would remove still count as data")

    latencies = {}
    for table in ("bronze/bike", "silver/bike_events", "gold/bike_minute"):
        root = os.path.join(lakehouse, table)
        second = commit_latencies(root, (started + 60) * 1000, (started + 120) * 1000)
        last = commit_latencies(root, (started + SECONDS - 60) * 1000, (started + SECONDS) * 1000)
        latencies[table] = {"p99_second_minute_ms": p99(second), "p99_last_minute_ms": p99(last),
                            "commits": [len(second), len(last)]}
    report("health_commit_latency", **latencies)

    # Restart on the aged lakehouse: launch to the first new Bronze commit.
    bronze_log = os.path.join(lakehouse, "bronze", "bike", "_delta_log")
    before = {n for n in os.listdir(bronze_log) if n.endswith(".json")}
    launched = time.time()
    restart = subprocess.Popen([BINARY, *RUN, "--brokers", bootstrap, "--duration", "20", "--lakehouse", lakehouse],
                               cwd=WORK,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    while first is None and time.time() - launched < 20:
        if {n for n in os.listdir(bronze_log) if n.endswith(".json")} - before:
            first = round(time.time() - launched, 3)
        time.sleep(0.02)
    restart.terminate()
    restart.wait(timeout=60)
    report("health_restart", seconds_to_first_commit=first)

    import duckdb
    import duckdb_ext
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions=false")
    con.execute(f"SET extension_directory='{os.path.join(list(duckdb_ext.__path__)[0], 'extensions')}'")
    con.execute("LOAD delta")

    def count_seconds(path):
        times = []
        for _ in range(5):
            began = time.perf_counter()
            con.execute(f"SELECT count(*) FROM delta_scan('{path}')").fetchone()
            times.append(time.perf_counter() - began)
        return round(statistics.median(times), 4)

    silver = os.path.join(lakehouse, "silver", "bike_events")
    copy = os.path.join(WORK, "silver-compacted-by-delta-rs")
    shutil.copytree(silver, copy)
    DeltaTable(copy).optimize.compact()
    ours, theirs = count_seconds(silver), count_seconds(copy)
    report("health_duckdb_count", ours_s=ours, delta_rs_compacted_copy_s=theirs, ratio=round(ours / theirs, 2),
           files=[len(DeltaTable(silver).file_uris()), len(DeltaTable(copy).file_uris())])
    subprocess.run([BINARY, "optimize", "--lakehouse", lakehouse], cwd=WORK, capture_output=True)
    report("health_duckdb_count_after_optimize", ours_s=count_seconds(silver))


main()
os._exit(0)
