"""make bench: throughput in the deployment shape, printed as JSON lines, never asserted.

The way a user runs it: a separate `pulse-tui broker` process (16 partitions per topic), filled by an
independent client (confluent-kafka, lz4) with the Python yardstick's own events (1,000,000 bike and
100,000 weather by default, keyed by station), then a cold `pulse-tui stream` process timed from launch
until every table's txn versions (Bronze, Silver, quarantine and every Gold table, both topics) reach the
broker's high watermarks, read from the Delta logs as they land. Peak RSS is the stream process's VmHWM.
Beside it, in the same run, the yardstick (`peer_pipeline.py`, confluent-kafka + polars + delta-rs) on the
same events and partition count: its events/s over both topics and its peak RSS.

Usage: bench_deploy.py BINARY WORKDIR PEERS_DIR [RUNS]   (env BENCH_EVENTS: bike events, default 1,000,000)
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

BINARY = WORK = PEERS = peer = None
RUNS = 3
EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
WEATHER = EVENTS // 10
PARTITIONS = 16
TABLES = {
    "bike": ["bronze/bike", "silver/bike_events", "quarantine/bike", "gold/bike_minute", "gold/bike_usage_hourly",
             "gold/bike_usage_daily"],
    "weather": ["bronze/weather", "silver/weather_events", "quarantine/weather", "gold/weather_hourly",
                "gold/weather_daily"],
}



def configure(binary, work, peers, runs=3):
    """Sets the binary, the work directory and the yardstick's folder (scripts/bench_group.py reuses this)."""
    global BINARY, WORK, PEERS, RUNS, peer
    BINARY, WORK, PEERS, RUNS = binary, work, peers, runs
    sys.path.insert(0, PEERS)
    import peer_pipeline  # the yardstick's own generators: both sides get the same events
    peer = peer_pipeline


def report(name, **fields):
    print(json.dumps({"bench": name, **fields}), flush=True)


def status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None


def start_broker(directory):
    log = open(os.path.join(directory, "broker.out"), "w")
    proc = subprocess.Popen([BINARY, "broker", "--partitions", str(PARTITIONS), "--log-dir", directory],
                            stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
    address = proc.stdout.readline().strip()
    if not address:
        raise SystemExit("pulse-tui broker printed no bootstrap address")
    return proc, address


def fill(bootstrap):
    """Produces the yardstick's events; returns the high watermark per (topic, partition)."""
    producer = Producer({
        "bootstrap.servers": bootstrap, "linger.ms": 20, "batch.num.messages": 10000, "batch.size": 1_000_000,
        "compression.type": "lz4", "queue.buffering.max.messages": 2_000_000,
        "queue.buffering.max.kbytes": 1_048_576, "enable.idempotence": False, "acks": "all",
    })
    start_s = 1755730800  # 2025-08-20T23:00:00Z, the yardstick's default
    sources = {"bike": peer.generate_bike(EVENTS, 42, start_s, 7200, 0.001, 0.002),
               "weather": peer.generate_weather(WEATHER, 42, start_s, 7200, 0.001, 0.002)}
    for topic, records in sources.items():
        for key, value in records:
            while True:
                try:
                    producer.produce(topic, value=value, key=key)
                    break
                except BufferError:
                    producer.poll(0.05)
    if producer.flush(120):
        raise SystemExit("the producer could not deliver every event")
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-deploy"})
    high = {}
    for topic in sources:
        for p in range(PARTITIONS):
            low, high[(topic, p)] = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
            if low != 0:
                raise SystemExit(f"the broker dropped {topic}[{p}] offsets below {low}: lower BENCH_EVENTS")
    consumer.close()
    if sum(high.values()) != EVENTS + WEATHER:
        raise SystemExit(f"the broker holds {sum(high.values())} events, not {EVENTS + WEATHER}")
    return high


class LogFollower:
    """Reads a table's new commit files as they land and keeps its latest txn version per appId."""

    def __init__(self, root):
        self.log = os.path.join(root, "_delta_log")
        self.next = 0
        self.txns = {}

    def poll(self):
        while True:
            path = os.path.join(self.log, f"{self.next:020d}.json")
            try:
                with open(path) as f:
                    lines = f.read().splitlines()
            except FileNotFoundError:
                return
            for line in lines:
                txn = json.loads(line).get("txn") if line else None
                if txn:
                    self.txns[txn["appId"]] = txn["version"]
            self.next += 1


def table_followers(lakehouse):
    """A LogFollower per table of both pipelines."""
    return {t: LogFollower(os.path.join(lakehouse, t)) for tables in TABLES.values() for t in tables}


def poll_tables(followers, high, caught, elapsed):
    """Reads each table's new commits and marks in `caught` (at `elapsed`) the tables whose txn versions
    reached `high` for every partition of their topic."""
    topic_of = {t: topic for topic, tables in TABLES.items() for t in tables}
    for table, follower in followers.items():
        if table in caught:
            continue
        follower.poll()
        topic = topic_of[table]
        if all(follower.txns.get(f"{topic}-{p}", 0) >= high[(topic, p)] for p in range(PARTITIONS)):
            caught[table] = elapsed


def stream_until_caught_up(bootstrap, lakehouse, high, directory):
    """Seconds from launch until every table's progress reaches `high`; per-table times; peak RSS in MiB."""
    followers = table_followers(lakehouse)
    caught = {}
    began = time.perf_counter()
    proc = subprocess.Popen(
        [BINARY, "stream", "--brokers", bootstrap, "--lakehouse", lakehouse, "--status-interval", "3600",
         "--log-dir", directory],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "stream.err"), "w"), start_new_session=True)
    peak = 0
    try:
        while len(caught) < len(followers):
            if proc.poll() is not None:
                raise SystemExit(f"pulse-tui stream exited {proc.returncode} before catching up")
            if time.perf_counter() - began > 600:
                raise SystemExit(f"not caught up after 600 s: {sorted(set(followers) - set(caught))}")
            poll_tables(followers, high, caught, time.perf_counter() - began)
            peak = max(peak, status_kib(proc.pid, "VmHWM") or 0)
            time.sleep(0.02)
        peak = max(peak, status_kib(proc.pid, "VmHWM") or 0)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return max(caught.values()), caught, peak / 1024


def yardstick(lakehouse):
    out = subprocess.run(
        [sys.executable, os.path.join(PEERS, "peer_pipeline.py"), "--lakehouse", lakehouse, "--overwrite",
         "--events", str(EVENTS), "--partitions", str(PARTITIONS)],
        capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    result = json.loads(out)
    events = sum(result[t]["events"] for t in TABLES)
    seconds = sum(result[t]["seconds"]["stages_total"] for t in TABLES)
    return events / seconds, result["peak_rss_mib"]


def main():
    ours, theirs = [], []
    for run in range(1, RUNS + 1):
        directory = os.path.join(WORK, f"run{run}")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        broker, bootstrap = start_broker(directory)
        try:
            high = fill(bootstrap)
            seconds, tables, peak = stream_until_caught_up(bootstrap, os.path.join(directory, "lakehouse"), high,
                                                           directory)
        finally:
            os.killpg(broker.pid, signal.SIGTERM)
            broker.wait()
        eps = (EVENTS + WEATHER) / seconds
        spread = max(tables.values()) - min(tables.values())
        ours.append((eps, peak))
        report("deploy", run=run, events=EVENTS + WEATHER, partitions=PARTITIONS, seconds=round(seconds, 2),
               events_per_s=round(eps), peak_rss_mib=round(peak, 1),
               first_to_last_table_s=round(spread, 2),
               tables_caught_up_s={t: round(s, 2) for t, s in sorted(tables.items(), key=lambda kv: kv[1])})
        peer_eps, peer_rss = yardstick(os.path.join(directory, "peer-lakehouse"))
        theirs.append((peer_eps, peer_rss))
        report("deploy-yardstick", run=run, events=EVENTS + WEATHER, partitions=PARTITIONS,
               events_per_s=round(peer_eps), peak_rss_mib=peer_rss)
        shutil.rmtree(directory, ignore_errors=True)
    eps = statistics.median(e for e, _ in ours)
    rss = statistics.median(r for _, r in ours)
    peer_eps = statistics.median(e for e, _ in theirs)
    peer_rss = statistics.median(r for _, r in theirs)
    report("deploy-summary", runs=RUNS, events_per_s=round(eps), peak_rss_mib=round(rss, 1),
           yardstick_events_per_s=round(peer_eps), yardstick_peak_rss_mib=peer_rss,
           speedup_vs_yardstick=round(eps / peer_eps, 2), memory_share_of_yardstick=round(rss / peer_rss, 3))


if __name__ == "__main__":
    configure(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 3)
    main()
