"""Damaged lakehouse state, records the broker lost, and the command line's limits, each checked on the
real binary against `pulse-tui broker` in its own process (ARCHITECTURE.md § Exactly-once; the embedded
broker keeps at most 5 MiB or 100,000 batches per partition, notes/machine-facts.md § 2a):

1. Gold window state lost (one partition's folder, every partition's, or the whole
   `_checkpoints/<topic>` with epochs.json) does not stop ingestion: the next run warns, rebuilds the
   state from the broker and goes on, nothing doubled, Gold unique and equal to its recomputation.
   epochs.json removed after a second broker was seen must neither drop nor double records.
   A garbage epochs.json, a stray commit past a gap in the log and a negative txn version stop the run
   with a message naming what is wrong, exit 1, and nothing written past the damage.
2. Records the broker dropped before the engine read them (one record too large for its 5 MiB, or more
   produced than it keeps while the engine was stopped) are a gap on every surface and in the exit
   status; what the broker still has lands in Bronze. `--no-ui` on the embedded broker at a high rate
   holds the producers back instead of losing records.
3. Out-of-range flags are one stderr line and exit 64; run-time failures exit 1 with the reason.
"""
import datetime
import itertools
import json
import re
import shutil
import signal
import subprocess
import time
from collections import Counter, defaultdict

import pytest
from deltalake import DeltaTable

from conftest import (
    binary, duckdb_connection, log_lines, pulse_env, run_pulse, start_pulse, status_ticks, stop_process,
)
from test_crash import broker_address, broker_high_watermarks, caught_up, delivered_counts
from medallion_checks import (
    check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine, late_records,
)

SOURCES = ("bike", "weather")
BIKE_TABLES = ["bronze/bike", "silver/bike_events", "quarantine/bike", "gold/bike_minute", "gold/bike_usage_hourly",
               "gold/bike_usage_daily"]
# ~100 bike and 20 weather records/s, 20 simulated seconds apart: a run of 2-3 s spans over an hour, so
# minute and hour windows close.
PRODUCE = ["--speed", "2000", "--bike-interval", "0.01", "--weather-interval", "0.05", "--status-interval", "5"]
STREAM = ["--trigger", "0.3", "--status-interval", "1"]
ERROR_LINE = re.compile(r"^pulse-tui: error: .+$")
# Simulated start times handed out in order, so every later produce continues after the earlier ones
# (no late records, whatever lakehouse copy reads them).
_START_HOURS = itertools.count(0, 2)


# ---------------------------------------------------------------------------------------------
# helpers: a broker process, producers, an engine run until it caught up, what the tables hold


def start_broker(cwd, name="broker"):
    """`pulse-tui broker` in its own process; returns (Popen, bootstrap address)."""
    proc = start_pulse(["broker", "--partitions", "3", "--duration", "600", "--log-dir", str(cwd / "logs" / name)],
                       cwd=cwd, stdout=subprocess.PIPE, stderr=None)
    try:
        return proc, broker_address(proc)
    except BaseException:
        stop_process(proc, signal.SIGKILL)
        raise


def next_start():
    start = datetime.datetime(2025, 8, 20, 18, tzinfo=datetime.timezone.utc) + datetime.timedelta(hours=next(_START_HOURS))
    return start.strftime("%Y-%m-%dT%H:%M:%SZ")


def produce(address, cwd, name, seconds=2, seed=3):
    """`pulse-tui produce` into `address` for `seconds`; every record delivered. Returns {topic: delivered}."""
    proc = run_pulse(["produce", "--brokers", address, *PRODUCE, "--seed", str(seed), "--start", next_start(),
                      "--duration", str(seconds), "--log-dir", str(cwd / "logs" / name)], cwd=cwd, timeout=60)
    counts = delivered_counts(proc.stdout)
    for source, (made, ok, failed) in counts.items():
        assert failed == 0 and made == ok, f"{source}: produced {made}, delivered {ok}, failed {failed}"
    return {source: ok for source, (_, ok, _) in counts.items()}


def broker_holds(address):
    """{topic: {partition: high watermark}} of the broker now."""
    return {source: broker_high_watermarks(address, source) for source in SOURCES}


class StreamRun:
    """A finished `pulse-tui stream`: exit code, stdout (status lines and summary), stderr and log dir."""

    def __init__(self, code, stdout, stderr, log_dir):
        self.code, self.stdout, self.stderr, self.log_dir = code, stdout, stderr, log_dir

    def log(self, pattern):
        return log_lines(self.log_dir, pattern, limit=1000)

    def describe(self):
        return (f"exit {self.code}\nstderr:\n{self.stderr}\nstdout (last lines):\n"
                + "\n".join(self.stdout.splitlines()[-12:]) + "\nlog:\n" + "\n".join(self.log(r"warning|error|critical")[-20:]))


def stream_until(address, lakehouse, cwd, name, expected, timeout=45.0):
    """Runs `pulse-tui stream` until Bronze holds exactly `expected` ({topic: rows}) and Silver +
    quarantine all of it, then stops it with SIGTERM (a clean stop). Returns the StreamRun."""
    log_dir = cwd / "logs" / name
    out_path, err_path = cwd / f"{name}.out", cwd / f"{name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = start_pulse(["stream", "--brokers", address, "--lakehouse", str(lakehouse), *STREAM,
                            "--log-dir", str(log_dir)], cwd=cwd, stdout=out, stderr=err)
    try:
        deadline = time.monotonic() + timeout
        while not caught_up(lakehouse, cwd, expected, exact=True):
            if proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        else:
            time.sleep(1.0)  # a Gold commit held back during the backlog lands on the next trigger or the drain
    finally:
        code = stop_process(proc, signal.SIGTERM)
    run = StreamRun(code, out_path.read_text(errors="replace"), err_path.read_text(errors="replace"), log_dir)
    assert caught_up(lakehouse, cwd, expected, exact=True), (
        f"{name}: the engine did not bring Bronze to {expected}: {pulse_inspect(lakehouse, cwd)}\n{run.describe()}")
    return run


def stream_for(address, lakehouse, cwd, name, seconds):
    """`pulse-tui stream --duration seconds`, run to its end. Returns the StreamRun."""
    log_dir = cwd / "logs" / name
    proc = subprocess.run(
        [binary(), "stream", "--brokers", address, "--lakehouse", str(lakehouse), *STREAM, "--duration", str(seconds),
         "--log-dir", str(log_dir)], cwd=cwd, capture_output=True, text=True, timeout=seconds + 60, env=pulse_env())
    return StreamRun(proc.returncode, proc.stdout, proc.stderr, log_dir)


def pulse_inspect(lakehouse, cwd, as_json=True):
    """`pulse-tui inspect` as (exit code, parsed JSON or text, stderr)."""
    args = ["inspect", *(["--json"] if as_json else []), "--lakehouse", str(lakehouse)]
    proc = subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=pulse_env())
    body = json.loads(proc.stdout) if as_json and proc.returncode == 0 else proc.stdout
    return proc.returncode, body, proc.stderr


def bronze_records(lakehouse, source):
    """[(kafka_cluster_id, partition, offset)] of every Bronze row, read by delta-rs."""
    table = DeltaTable(str(lakehouse / "bronze" / source)).to_pyarrow_table(
        columns=["kafka_cluster_id", "partition", "offset"]).to_pylist()
    return [(r["kafka_cluster_id"], r["partition"], r["offset"]) for r in table]


def delta_log(lakehouse, table):
    """The names of the files in a table's _delta_log."""
    return sorted(p.name for p in (lakehouse / table / "_delta_log").iterdir())


def tree(path):
    """{relative path: bytes} of every file under `path`."""
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def check_medallion(lakehouse, high):
    """Bronze holds each broker offset once (0..high-1 per partition), Silver + quarantine = Bronze by
    Silver's rules, no late records, Gold unique and equal to its recomputation from Silver."""
    con = duckdb_connection()
    partitions = {}
    for source in SOURCES:
        check_bronze_offsets(lakehouse, source, expected_high=high[source])
        mapping, accepted, _ = check_silver_and_quarantine(lakehouse, source)
        partitions[source] = mapping
        assert late_records(accepted) == [], f"{source}: late records, Gold would differ from Silver"
    check_gold_unique(lakehouse, con)
    return check_gold_against_silver(lakehouse, con, partitions)


def error_line(stderr):
    """The one `pulse-tui: error: ...` line a failed run ends with."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and ERROR_LINE.match(lines[-1]), f"no 'pulse-tui: error:' line on stderr:\n{stderr}"
    return lines[-1]


# ---------------------------------------------------------------------------------------------
# 1. damaged or missing state


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """One `pulse-tui broker` for the module and a lakehouse a first `stream` run wrote from it (copied
    by each test). Yields (address, lakehouse, broker log dir)."""
    cwd = tmp_path_factory.mktemp("base")
    broker, address = start_broker(cwd)
    try:
        produce(address, cwd, "produce-base", seconds=3)
        lakehouse = cwd / "lakehouse"
        held = broker_holds(address)
        run = stream_until(address, lakehouse, cwd, "stream-base", {s: sum(held[s].values()) for s in SOURCES})
        assert run.code == 0, run.describe()
        yield address, lakehouse
    finally:
        stop_process(broker, signal.SIGTERM)


def copy_base(base, tmp_path):
    address, lakehouse = base
    copy = tmp_path / "lakehouse"
    shutil.copytree(lakehouse, copy)
    return address, copy


def epochs(lakehouse, source="bike"):
    return json.loads((lakehouse / "_checkpoints" / source / "epochs.json").read_text())["epochs"]


@pytest.mark.parametrize("damage", ["one-partition", "all-but-epochs", "whole-folder"])
def test_lost_gold_state_is_rebuilt_and_ingestion_goes_on(base, tmp_path, damage):
    address, lakehouse = copy_base(base, tmp_path)
    checkpoints = lakehouse / "_checkpoints" / "bike"
    before = epochs(lakehouse)
    assert [e["epoch"] for e in before] == [1]
    if damage == "one-partition":
        shutil.rmtree(checkpoints / "0")
        damaged = [0]
    elif damage == "all-but-epochs":
        for child in checkpoints.iterdir():
            if child.name != "epochs.json":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        damaged = [0, 1, 2]
    else:
        shutil.rmtree(checkpoints)
        damaged = [0, 1, 2]
    rows_before = {s: len(bronze_records(lakehouse, s)) for s in SOURCES}

    produce(address, tmp_path, "produce-more")
    high = broker_holds(address)
    run = stream_until(address, lakehouse, tmp_path, "stream-after", {s: sum(high[s].values()) for s in SOURCES})
    assert run.code == 0, f"the run after the damage failed: {run.describe()}"

    # the user is told which state could not be used and that it is rebuilt from the broker
    for p in range(3):
        warned = run.log(rf"warning .*bike partition {p}: Gold window state .* cannot be used .*rebuilding it from offset")
        if p in damaged:
            assert warned, f"no warning about bike partition {p}'s lost Gold state:\n{run.describe()}"
        else:
            assert not warned, f"bike partition {p}'s state was intact, yet: {warned}"
    assert not run.log(r"weather partition \d+: Gold window state .* cannot be used"), "weather state was intact"

    # the same broker is still epoch 1 (a lost epochs.json is rewritten for the broker at hand)
    after = epochs(lakehouse)
    assert [(e["epoch"], e["clusterId"]) for e in after] == [(1, before[0]["clusterId"])], after
    for source in SOURCES:
        assert {c for c, _, _ in bronze_records(lakehouse, source)} == {before[0]["clusterId"]}
        assert len(bronze_records(lakehouse, source)) > rows_before[source], f"{source}: Bronze did not grow"
    checked = check_medallion(lakehouse, high)
    assert checked["gold/bike_minute"] > 0 and checked["gold/bike_usage_hourly"] > 0, checked


def bronze_doubles(lakehouse, source):
    counts = Counter(bronze_records(lakehouse, source))
    return sorted(k for k, n in counts.items() if n > 1)


def check_refused_or_exact(run, lakehouse, source, before_rows, held_by_second, second_cluster):
    """After epochs.json was removed from a lakehouse that knows two brokers: either the run refuses
    (non-zero, naming epochs.json, Bronze untouched) or every record of the second broker is in Bronze
    exactly once, beside the first broker's rows."""
    records = bronze_records(lakehouse, source)
    doubled = bronze_doubles(lakehouse, source)
    mine = Counter((p, o) for c, p, o in records if c == second_cluster)
    want = {(p, o) for p, high in held_by_second.items() for o in range(high)}
    if run.code != 0:
        assert "epochs.json" in run.stderr, f"the run failed without naming epochs.json: {run.describe()}"
        assert len(records) == before_rows, f"{source}: a refused run wrote {len(records) - before_rows} rows"
        return
    assert not doubled, (
        f"bronze/{source}: {len(doubled)} (kafka_cluster_id, partition, offset) written twice after epochs.json "
        f"was removed, e.g. {doubled[:5]}; exit {run.code}")
    missing = sorted(want - set(mine))
    assert not missing, (
        f"bronze/{source}: {len(missing)} of the broker's {len(want)} records never written and no error "
        f"(exit {run.code}), e.g. {missing[:5]}; the log says: {run.log(r'warning|error|critical')[-5:]}")


def test_epochs_json_removed_then_a_new_broker_loses_nothing(base, tmp_path):
    """epoch 1 = the module's broker; epochs.json removed; a fresh broker with fewer records per
    partition than epoch 1 read: its offsets must not be taken for epoch 1's."""
    _, lakehouse = copy_base(base, tmp_path)
    shutil.rmtree(lakehouse / "_checkpoints" / "bike")
    before_rows = len(bronze_records(lakehouse, "bike"))
    broker, address = start_broker(tmp_path, "broker-2")
    try:
        produce(address, tmp_path, "produce-2", seconds=1)
        held = broker_holds(address)
        old_versions = {p: DeltaTable(str(lakehouse / "bronze/bike")).transaction_version(f"bike-{p}") for p in range(3)}
        assert all(held["bike"][p] < old_versions[p] for p in range(3)), (held, old_versions)
        run = stream_for(address, lakehouse, tmp_path, "stream-2", seconds=8)
        cluster = epochs(lakehouse)[-1]["clusterId"] if (lakehouse / "_checkpoints/bike/epochs.json").exists() else None
    finally:
        stop_process(broker, signal.SIGTERM)
    check_refused_or_exact(run, lakehouse, "bike", before_rows, held["bike"], cluster)


def test_epochs_json_removed_after_a_second_broker_doubles_nothing(base, tmp_path):
    """epoch 1 = the module's broker, epoch 2 = a second broker with more records per partition; then
    epochs.json is removed and the second broker read again: nothing may be written twice."""
    _, lakehouse = copy_base(base, tmp_path)
    broker, address = start_broker(tmp_path, "broker-2")
    try:
        produce(address, tmp_path, "produce-2", seconds=5)
        held = broker_holds(address)
        first = stream_until(address, lakehouse, tmp_path, "stream-epoch-2",
                             {s: len(bronze_records(lakehouse, s)) + sum(held[s].values()) for s in SOURCES})
        assert first.code == 0, first.describe()
        known = epochs(lakehouse)
        assert [e["epoch"] for e in known] == [1, 2], known
        second_cluster = known[1]["clusterId"]
        assert not bronze_doubles(lakehouse, "bike")
        before_rows = len(bronze_records(lakehouse, "bike"))

        shutil.rmtree(lakehouse / "_checkpoints" / "bike")
        run = stream_for(address, lakehouse, tmp_path, "stream-again", seconds=8)
    finally:
        stop_process(broker, signal.SIGTERM)
    check_refused_or_exact(run, lakehouse, "bike", before_rows, held["bike"], second_cluster)
    assert len(bronze_records(lakehouse, "bike")) == before_rows, (
        f"bronze/bike grew from {before_rows} to {len(bronze_records(lakehouse, 'bike'))} rows though the broker "
        f"had nothing new (exit {run.code})")


def refused_run(base, tmp_path, damage):
    """Copies the base lakehouse, produces more, applies `damage(lakehouse)`, runs `stream --duration 20`
    to its end. Returns (StreamRun, lakehouse, bike files before the run)."""
    address, lakehouse = copy_base(base, tmp_path)
    produce(address, tmp_path, "produce-more", seconds=1)
    damage(lakehouse)
    files = {t: tree(lakehouse / t) for t in BIKE_TABLES}
    files["_checkpoints/bike"] = tree(lakehouse / "_checkpoints" / "bike")
    run = stream_for(address, lakehouse, tmp_path, "stream-damaged", seconds=20)
    return run, lakehouse, files


def check_nothing_written(lakehouse, files):
    for path, before in files.items():
        now = tree(lakehouse / path)
        added, changed = sorted(set(now) - set(before)), sorted(k for k in before if now.get(k) != before[k])
        assert not added and not changed, f"{path}: a refused run wrote {added[:5]}, changed {changed[:5]}"


def test_garbage_epochs_json_stops_the_run_naming_the_file(base, tmp_path):
    def damage(lakehouse):
        (lakehouse / "_checkpoints" / "bike" / "epochs.json").write_text("{not json")

    run, lakehouse, files = refused_run(base, tmp_path, damage)
    assert run.code == 1, run.describe()
    line = error_line(run.stderr)
    assert "bike engine stopped" in line and "_checkpoints/bike/epochs.json" in line and "not JSON" in line, line
    assert "broker did not answer" not in run.stderr
    assert re.search(r"STOPPED: .*epochs\.json", run.stdout), f"no STOPPED on the status line:\n{run.stdout[-2000:]}"
    assert run.log(r"error .*bike batch failed, will retry: .*epochs\.json"), run.describe()
    assert (lakehouse / "_checkpoints" / "bike" / "epochs.json").read_text() == "{not json", "epochs.json was replaced"
    check_nothing_written(lakehouse, files)


def test_stray_commit_past_a_gap_is_refused(base, tmp_path):
    stray = "00000000000000000999.json"
    state = {}

    def damage(lakehouse):
        log = lakehouse / "bronze" / "bike" / "_delta_log"
        state["versions"] = sorted(int(n[:20]) for n in delta_log(lakehouse, "bronze/bike") if n.endswith(".json"))
        shutil.copy(log / f"{state['versions'][-1]:020d}.json", log / stray)

    run, lakehouse, files = refused_run(base, tmp_path, damage)
    assert run.code == 1, run.describe()
    line = error_line(run.stderr)
    missing = state["versions"][-1] + 1
    assert "bronze/bike" in line and stray in line, line
    assert re.search(rf"\bversion {missing} is missing", line), f"the message does not name the gap (version {missing}): {line}"
    versions = sorted(int(n[:20]) for n in delta_log(lakehouse, "bronze/bike") if n.endswith(".json"))
    assert versions == state["versions"] + [999], f"the log moved: {versions}"
    check_nothing_written(lakehouse, files)


def test_negative_txn_version_is_refused_naming_table_and_app_id(base, tmp_path):
    def damage(lakehouse):
        versions = sorted(int(n[:20]) for n in delta_log(lakehouse, "bronze/bike") if n.endswith(".json"))
        (lakehouse / "bronze" / "bike" / "_delta_log" / f"{versions[-1] + 1:020d}.json").write_text(
            json.dumps({"txn": {"appId": "bike-0", "version": -5}}) + "\n")

    run, lakehouse, files = refused_run(base, tmp_path, damage)
    assert run.code == 1, run.describe()
    line = error_line(run.stderr)
    assert "bronze/bike" in line and "bike-0" in line and "-5" in line and "negative" in line, line
    assert "broker did not answer" not in run.stderr, line
    check_nothing_written(lakehouse, files)


# ---------------------------------------------------------------------------------------------
# 2. records the broker lost


STATION_OF = {0: ("S001", "Boston", 28), 1: ("S002", "Cambridge", 24), 2: ("S003", "Somerville", 20)}


def bike_json(partition, i, pad=0):
    """A valid bike record of the partition's station, event time i seconds after 2025-08-20T06:00Z;
    `pad` characters of an extra field (Silver accepts extra fields)."""
    station, city, docks = STATION_OF[partition]
    when = datetime.datetime(2025, 8, 20, 6, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=i)
    record = {"bike_city": city, "station_id": station, "docks_total": docks, "bikes_available": i % docks,
              "bikes_occupied": docks - i % docks, "docks_available": i % docks,
              "event_time": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if pad:
        record["note"] = "n" * pad
    return json.dumps(record)


class Sender:
    """A confluent-kafka producer (the original producers' client) sending to chosen partitions of
    `bike`, one flush per `send`, so each call is its own batch on the broker."""

    def __init__(self, address, **settings):
        from confluent_kafka import Producer

        self.failures = []
        self.producer = Producer({"bootstrap.servers": address, "linger.ms": 5, **settings})

    def send(self, items):
        for partition, value in items:
            self.producer.produce("bike", key=STATION_OF[partition][0], value=value, partition=partition,
                                  on_delivery=lambda err, _m: self.failures.append(err) if err else None)
            self.producer.poll(0)
        assert self.producer.flush(60) == 0, "records still queued after 60 s"
        assert not self.failures, f"{len(self.failures)} deliveries failed, e.g. {self.failures[:3]}"

    def close(self):
        self.producer.flush(10)
        del self.producer


def watermarks(address, topic="bike"):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": address, "group.id": "state-and-loss-watermarks"})
    try:
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in range(3)}
    finally:
        consumer.close()


def check_gap_everywhere(run, lakehouse, cwd, partition, start, resumed):
    """The run reported exactly one gap, bike[partition] offsets start..<resumed, on the status line, in
    the log, in `inspect --json` and `inspect`, and failed with 'records lost'."""
    missing = resumed - start
    assert missing > 0
    assert run.code != 0, f"a run that lost {missing} records exited 0: {run.describe()}"
    line = error_line(run.stderr)
    assert "records lost" in line and f"{missing} bike records lost" in line, line
    status = [l for l in run.stdout.splitlines() if l.startswith("[")]
    shown = [l for l in status if f"GAPS 1 ({missing} records lost by the broker)" in l]
    assert shown, "no status line shows the gap:\n" + "\n".join(status[-3:])
    logged = run.log(rf"critical .*records lost: bike\[{partition}\]: offsets {start}\.\.<{resumed} \({missing} records\)")
    assert logged, f"no 'records lost' in the log naming bike[{partition}] {start}..<{resumed}: {run.log('records lost')}"
    code, report, err = pulse_inspect(lakehouse, cwd)
    assert code == 0, err
    gaps = [(g["topic"], g["partition"], g["from"], g["to"], g["missing"]) for g in report["gaps"]]
    assert gaps == [("bike", partition, start, resumed, missing)], report["gaps"]
    code, text, err = pulse_inspect(lakehouse, cwd, as_json=False)
    assert code == 0, err
    assert "GAPS" in text and f"bike[{partition}] epoch 1: offsets {start}..<{resumed} ({missing} records)" in text, text


def check_bronze_after_gap(lakehouse, held):
    """Bronze holds exactly `held` ({partition: offsets}), each once."""
    got = defaultdict(list)
    for _, p, o in bronze_records(lakehouse, "bike"):
        got[p].append(o)
    for p, offsets in held.items():
        counted = Counter(got[p])
        doubled = sorted(o for o, n in counted.items() if n > 1)
        missing = sorted(set(offsets) - set(counted))
        extra = sorted(set(counted) - set(offsets))
        assert not doubled and not missing and not extra, (
            f"bronze/bike partition {p}: doubled {doubled[:10]}, missing {missing[:10]} ({len(missing)}), "
            f"not expected {extra[:10]} ({len(extra)})")


def test_record_too_large_drops_a_prefix_reported_as_gap(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    broker, address = start_broker(tmp_path)
    sender = None
    try:
        sender = Sender(address, **{"message.max.bytes": 20_000_000})
        # run 1: the engine reads and commits 30 records of partition 0 (and a few of 1 and 2)
        sender.send([(0, bike_json(0, 60 * i)) for i in range(30)] + [(p, bike_json(p, 60 * i)) for p in (1, 2) for i in range(5)])
        first = stream_until(address, lakehouse, tmp_path, "stream-1", {"bike": 40, "weather": 0})
        assert first.code == 0, first.describe()

        # while it is stopped: 20 valid records, one of 10 MB (over the broker's 5 MiB), 20 valid
        sender.send([(0, bike_json(0, 60 * i)) for i in range(30, 50)])
        big = watermarks(address)[0][1]
        sender.send([(0, "x" * 10_000_000)])
        for i in range(51, 71):
            sender.send([(0, bike_json(0, 60 * i))])
        sender.send([(p, bike_json(p, 60 * i)) for p in (1, 2) for i in range(5, 10)])
        marks = watermarks(address)
        low, high = marks[0]
        assert big == 50 and high == 71, marks
        assert low > big, f"the broker still has the 10 MB record (log start {low}); nothing to test"

        run = stream_for(address, lakehouse, tmp_path, "stream-2", seconds=10)
    finally:
        if sender:
            sender.close()
        stop_process(broker, signal.SIGTERM)
    print(f"\n10 MB record at bike[0] offset {big}: the broker's log start moved to {low} (high {high})")
    check_gap_everywhere(run, lakehouse, tmp_path, partition=0, start=30, resumed=low)
    check_bronze_after_gap(lakehouse, {0: list(range(30)) + list(range(low, high)), 1: range(10), 2: range(10)})


def test_overflow_while_engine_stopped_is_reported_as_gap(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    broker, address = start_broker(tmp_path)
    sender = None
    try:
        sender = Sender(address)
        sender.send([(0, bike_json(0, i)) for i in range(10)] + [(1, bike_json(1, i)) for i in range(10)])
        first = stream_until(address, lakehouse, tmp_path, "stream-1", {"bike": 20, "weather": 0})
        assert first.code == 0, first.describe()

        # engine stopped: ~12 MB of ~200-byte records into partition 0, more than the broker keeps
        value_sizes = [len(bike_json(0, 10 + i, pad=40)) for i in range(3)]
        assert 180 <= min(value_sizes) and max(value_sizes) <= 230, value_sizes
        for chunk in range(6):
            sender.send([(0, bike_json(0, 10 + i, pad=40)) for i in range(chunk * 10_000, (chunk + 1) * 10_000)])
        sender.send([(1, bike_json(1, 10 + i)) for i in range(10)])
        marks = watermarks(address)
        low, high = marks[0]
        assert high == 60_010 and low > 10, f"the broker kept everything ({marks}); nothing to test"

        expected = {"bike": 10 + (high - low) + 20, "weather": 0}
        run = stream_until(address, lakehouse, tmp_path, "stream-2", expected, timeout=50)
    finally:
        if sender:
            sender.close()
        stop_process(broker, signal.SIGTERM)
    print(f"\n60,000 records into bike[0] with the engine stopped: the broker kept {low}..<{high}")
    check_gap_everywhere(run, lakehouse, tmp_path, partition=0, start=10, resumed=low)
    check_bronze_after_gap(lakehouse, {0: list(range(10)) + list(range(low, high)), 1: range(20)})


HIGH_RATE = ["--no-ui", "--bike-interval", "0.0001", "--weather-interval", "0.001", "--speed", "600", "--trigger", "5",
             "--duration", "20", "--status-interval", "2", "--seed", "9"]


@pytest.fixture(scope="module")
def high_rate(tmp_path_factory):
    """One `--no-ui` run on the embedded broker at a rate its retention could not hold unread."""
    cwd = tmp_path_factory.mktemp("high-rate")
    lakehouse = cwd / "lakehouse"
    proc = subprocess.run([binary(), *HIGH_RATE, "--lakehouse", str(lakehouse), "--log-dir", str(cwd / "logs")],
                          cwd=cwd, capture_output=True, text=True, timeout=120, env=pulse_env())
    return proc, lakehouse, cwd


def test_high_rate_holds_producers_back_and_loses_nothing(high_rate):
    proc, lakehouse, cwd = high_rate
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr}\n{proc.stdout[-3000:]}"
    assert "HELD BACK" in proc.stdout, "the producers never held back at this rate:\n" + proc.stdout[-2000:]
    assert "GAPS" not in proc.stdout
    code, report, err = pulse_inspect(lakehouse, cwd)
    assert code == 0, err
    assert report["gaps"] == [], report["gaps"]
    rows = {t["path"]: t["rows"] for t in report["tables"]}
    for source in SOURCES:
        match = re.search(rf"^  {source}: produced (\d+), delivered (\d+), failed (\d+)", proc.stdout, re.M)
        assert match, proc.stdout[-2000:]
        produced, delivered, failed = map(int, match.groups())
        assert failed == 0 and produced == delivered > 0, match.group(0)
        per_partition = check_bronze_offsets(lakehouse, source)  # each offset once, contiguous from 0
        bronze = len(bronze_records(lakehouse, source))
        assert bronze == sum(per_partition.values()) == rows[f"bronze/{source}"] == delivered, (
            f"{source}: delivered {delivered}, Bronze {bronze} (inspect {rows[f'bronze/{source}']})")


def test_high_rate_producer_resumes_once_the_engine_committed(high_rate):
    """HELD BACK must end once the engine has committed what was delivered. From the first bike status
    line that is held back although the engine read everything delivered (lag 0) and Bronze and Silver
    hold all of it, the producer has the rest of the run to resume; when that is more than two triggers
    (the engine's next commits), a later line must show it producing again."""
    proc, lakehouse, cwd = high_rate
    duration, trigger = float(HIGH_RATE[HIGH_RATE.index("--duration") + 1]), float(HIGH_RATE[HIGH_RATE.index("--trigger") + 1])
    status = []  # (elapsed seconds, produced, held back, everything delivered committed)
    for tick in status_ticks(proc.stdout.splitlines()):
        bike = tick.get("bike")
        if bike and all(k in bike for k in ("produced", "delivered", "read", "lag", "bronze", "silver")):
            committed = (bike["produced"] == bike["delivered"] == bike["read"] == bike["bronze"] == bike["silver"]
                         and bike["lag"] == 0)
            status.append((tick["elapsed"], bike["produced"], "HELD BACK" in bike["text"], committed))
    stuck = next((s for s in status if s[2] and s[3]), None)
    if stuck is None or stuck[0] > duration - 2 * trigger:
        return  # never held back with everything committed, or too late in the run to tell
    resumed = [s for s in status if s[0] > stuck[0] and (not s[2] or s[1] > stuck[1])]
    assert resumed, (
        f"the bike producer was HELD BACK at {stuck[1]} records from {stuck[0]} s to the end of the {duration:.0f} s run "
        f"although the engine had read them all (lag 0) and Bronze and Silver held them from {stuck[0]} s on; "
        f"the final summary: " + re.search(r"^  bike: .*$", proc.stdout, re.M).group(0)
        + "; bike progress per table (the resume offset is their minimum): "
        + str({t["path"]: t["transactions"] for t in pulse_inspect(lakehouse, cwd)[1]["tables"] if "bike" in t["path"]}))


# ---------------------------------------------------------------------------------------------
# 3. flags and exits


FLAGS = ["speed", "trigger", "duration", "bike-interval", "weather-interval", "partitions", "bad-records",
         "status-interval"]
BAD_VALUES = ["0", "-1", "nan", "inf", "1e300", "abc"]
# Each command with the numeric flags it takes; the others it refuses (test_flag_of_another_command_exits_64).
COMMANDS = {"no-ui": (["--no-ui", "--lakehouse", "{lakehouse}"], FLAGS),
            "produce": (["produce", "--brokers", "127.0.0.1:1"],
                        [f for f in FLAGS if f != "trigger"]),
            "stream": (["stream", "--brokers", "127.0.0.1:1", "--lakehouse", "{lakehouse}"],
                       [f for f in FLAGS if f not in ("speed", "bike-interval", "weather-interval", "bad-records")])}


def command_args(command, tmp_path):
    prefix, _ = COMMANDS[command]
    return [arg.replace("{lakehouse}", str(tmp_path / "lakehouse")) for arg in prefix]


def run_binary(args, cwd, timeout=60):
    return subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=pulse_env())


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("flag", FLAGS)
def test_out_of_range_flag_is_one_line_and_exit_64(tmp_path, command, flag):
    if flag not in COMMANDS[command][1]:
        pytest.skip(f"{command} does not take --{flag}")
    failures = []
    prefix = command_args(command, tmp_path)
    for value in BAD_VALUES:
        if flag == "bad-records" and value == "0":
            continue  # a share of 0 is the default, not out of range
        extra = [] if flag == "duration" else ["--duration", "1"]
        args = [*prefix, "--log-dir", str(tmp_path / "logs"), *extra, f"--{flag}", value]
        proc = run_binary(args, tmp_path)
        lines = proc.stderr.splitlines()
        ok = (proc.returncode == 64 and len(lines) == 1 and ERROR_LINE.match(lines[0]) and f"--{flag}" in lines[0]
              and proc.stdout == "")
        if not ok:
            failures.append(f"{' '.join(args[len(prefix):])}: exit {proc.returncode}, stderr {proc.stderr!r}, "
                            f"stdout {proc.stdout[:200]!r}")
    assert not (tmp_path / "lakehouse").exists(), "a rejected command line created the lakehouse"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("command", ["produce", "stream"])
def test_flag_of_another_command_exits_64(tmp_path, command):
    """A flag the command does not take is refused before anything starts, whatever its value."""
    refused = [f for f in FLAGS if f not in COMMANDS[command][1]]
    refused += ["lakehouse"] if command == "produce" else []
    for flag in refused:
        args = [*command_args(command, tmp_path), "--duration", "1", "--log-dir", str(tmp_path / "logs"), f"--{flag}", "1"]
        proc = run_binary(args, tmp_path)
        lines = proc.stderr.splitlines()
        assert proc.returncode == 64 and len(lines) == 1 and proc.stdout == "", (flag, proc)
        assert f"'{command}' does not take --{flag}" in lines[0], lines[0]
    assert not (tmp_path / "lakehouse").exists() and not (tmp_path / "logs").exists()


@pytest.mark.parametrize("flag", ["--speed", "--bike-interval"])
def test_produce_with_huge_value_exits_64(tmp_path, flag):
    proc = run_binary(["produce", flag, "1e300", "--duration", "1", "--log-dir", str(tmp_path / "logs")], tmp_path)
    assert proc.returncode == 64, proc
    assert len(proc.stderr.splitlines()) == 1 and flag in proc.stderr and "1e300" in proc.stderr, proc.stderr


def test_produce_to_unreachable_broker_exits_1_with_the_reason(tmp_path):
    proc = run_binary(["produce", "--brokers", "127.0.0.1:1", "--duration", "3", "--status-interval", "1",
                       "--log-dir", str(tmp_path / "logs")], tmp_path)
    assert proc.returncode == 1, (
        f"producing to a broker that refuses every connection exited {proc.returncode}\n"
        f"stderr: {proc.stderr!r}\nstdout tail:\n{proc.stdout[-1200:]}")
    line = error_line(proc.stderr)
    assert "127.0.0.1:1" in line or "broker" in line, line


def test_lakehouse_that_is_a_file_exits_1_naming_it(tmp_path):
    path = tmp_path / "not-a-dir"
    path.write_text("a file\n")
    proc = run_binary(["--no-ui", "--lakehouse", str(path), "--duration", "2", "--log-dir", str(tmp_path / "logs")],
                      tmp_path)
    assert proc.returncode == 1, (proc.returncode, proc.stderr, proc.stdout[-500:])
    line = error_line(proc.stderr)
    assert str(path) in line and "not a directory" in line, line
    assert path.read_text() == "a file\n"


def test_inspect_exit_codes(base, tmp_path):
    missing = tmp_path / "missing"
    for as_json in (True, False):
        code, _, err = pulse_inspect(missing, tmp_path, as_json=as_json)
        assert code == 1, (code, err)
        assert str(missing) in error_line(err)
    assert not missing.exists()
    _, lakehouse = base
    code, report, err = pulse_inspect(lakehouse, tmp_path)
    assert code == 0, err
    assert report["gaps"] == []
    rows = {t["path"]: t["rows"] for t in report["tables"]}
    assert rows["bronze/bike"] == len(bronze_records(lakehouse, "bike")) > 0
    code, text, err = pulse_inspect(lakehouse, tmp_path, as_json=False)
    assert code == 0 and "no gaps" in text, (code, err, text)
