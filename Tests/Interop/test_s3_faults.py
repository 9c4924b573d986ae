"""Faults of the S3 store survived with nothing lost: the server stops for 30 s and comes back; it
answers 500 and 503 for a while; the bucket refuses writes for a while. In each case the headless run
shows the fault in its status line (STORE RETRYING since when, for how long, the last error), resumes by itself,
and afterwards every delivered record is in Bronze exactly once and Gold agrees with Silver."""
import re
import signal
import subprocess
import time

import pytest

from conftest import duckdb_connection, inspect, start_pulse, status_ticks, stop_process
from fault_proxy import FaultProxy
from medallion_checks import (
    check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine, check_tables_load,
)
from s3_server import S3Lakehouse

RUN = ["--no-ui", "--seed", "17", "--start", "2025-08-20T18:00:00Z", "--speed", "600", "--bike-interval", "0.01",
       "--weather-interval", "0.05", "--trigger", "0.5", "--status-interval", "1", "--s3-create-bucket"]


class HeadlessRun:
    """`pulse-tui --no-ui` writing to `lakehouse` through `endpoint`, its status lines timestamped as read."""

    def __init__(self, tmp_path, lakehouse, endpoint, duration):
        self.out_path = tmp_path / "run.out"
        self.out = open(self.out_path, "w")
        self.proc = start_pulse([*RUN, "--duration", str(duration), "--lakehouse", str(lakehouse),
                                 "--s3-endpoint", endpoint, "--log-dir", str(tmp_path / "logs")],
                                cwd=tmp_path, stdout=self.out)
        self.started = time.monotonic()

    def lines(self):
        return self.out_path.read_text().splitlines()

    def wait_for_line(self, pattern, timeout, after=0):
        """The first status line (index >= after) matching `pattern`, and its index."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, line in enumerate(self.lines()[after:], after):
                if re.search(pattern, line):
                    return i, line
            time.sleep(0.2)
        raise AssertionError(f"no status line matching {pattern!r} in {timeout} s; last: {self.lines()[-3:]}")

    def finish(self, timeout):
        """Stops the run cleanly (SIGTERM: producers stop, the engine commits what the broker holds)."""
        time.sleep(2)
        code = stop_process(self.proc, signal.SIGTERM, timeout=timeout)
        self.out.close()
        assert code == 0, f"pulse-tui exited {code}: {self.lines()[-5:]}"
        return self.out_path.read_text()


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_recovered(run, timeout=40):
    """Waits until Bronze holds everything delivered when the fault ended, with no store fault shown.
    (Not "lag 0": a status line sampled while a batch commits counts that batch as lag, and with a
    1 s status interval over a 0.5 s trigger the samples can lock onto that phase.)"""
    ticks = [t for t in status_ticks(run.lines()) if "bike" in t and "weather" in t]
    delivered = {t: ticks[-1][t]["delivered"] for t in ("bike", "weather")} if ticks else {}

    def done(tick):
        return ("store" in tick and tick["store"]["text"].endswith(" ok")
                and all(tick.get(t, {}).get("bronze", -1) >= n for t, n in delivered.items()))

    deadline = time.monotonic() + timeout
    start = len(run.lines())
    while time.monotonic() < deadline:
        if any(done(tick) for tick in status_ticks(run.lines()[start:])):
            return
        time.sleep(0.2)
    raise AssertionError(f"Bronze did not reach {delivered} within {timeout} s: {run.lines()[-2:]}")


def check_everything_once(lakehouse, tmp_path, s3, summary):
    delivered = {topic: int(n) for topic, n in re.findall(r"(bike|weather): produced \d+, delivered (\d+)", summary)}
    con = duckdb_connection(s3)
    counts = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    partitions = {}
    for source in ("bike", "weather"):
        per_partition = check_bronze_offsets(lakehouse, source)
        assert sum(per_partition.values()) == delivered[source], (
            f"{source}: delivered {delivered[source]}, Bronze holds {per_partition}")
        partitions[source], _, _ = check_silver_and_quarantine(lakehouse, source)
    check_gold_unique(lakehouse, con)
    check_gold_against_silver(lakehouse, con, partitions)
    return counts


def test_s3_server_stops_for_30_seconds_and_comes_back(s3, tmp_path):
    lakehouse = S3Lakehouse("s3://pulse-faults/server-down")
    run = HeadlessRun(tmp_path, lakehouse, s3.endpoint, duration=300)
    try:
        run.wait_for_line(r"\] bike +produced .*\| bronze +[1-9]", 20)
        rss_before = rss_mib(run.proc.pid)
        s3.stop()
        stopped = time.monotonic()
        i, line = run.wait_for_line(r"STORE RETRYING since \S+ \(\d+ s.*last error: .+", 25)
        shown_after = time.monotonic() - stopped
        time.sleep(max(0, 30 - (time.monotonic() - stopped)))
        rss_outage = rss_mib(run.proc.pid)
        outage_lines = [l for l in run.lines()[i:] if "STORE RETRYING" in l]
        s3.start()
        restarted = time.monotonic()
        wait_recovered(run)
        recovered = time.monotonic() - restarted
        summary = run.finish(timeout=60)
    finally:
        if s3.proc is None:
            s3.start()
        stop_process(run.proc, signal.SIGKILL, timeout=5)
    assert any(re.search(r"STORE RETRYING since \S+ \(([2-9]\d) s", l) for l in outage_lines), outage_lines[-3:]
    # the engine stops reading while it cannot write: what it holds does not grow with the outage
    assert rss_outage < rss_before + 64, f"RSS grew from {rss_before:.0f} to {rss_outage:.0f} MiB during the outage"
    check_everything_once(lakehouse, tmp_path, s3, summary)
    print(f"S3 server down 30 s: fault shown after {shown_after:.1f} s; caught up {recovered:.1f} s after restart; "
          f"RSS {rss_before:.0f} MiB before, {rss_outage:.0f} MiB after 30 s down")


@pytest.mark.parametrize("fault, shown", [
    ("500/503", r"HTTP 50[03] (InternalError|SlowDown)"),  # S3 struggling: every request fails for a while
    ("refuse-writes", r"permission denied.*AccessDenied"),  # the bucket refuses writes; reads still work
])
def test_s3_errors_for_a_while(s3, tmp_path, fault, shown):
    proxy = FaultProxy(s3.port).start()
    lakehouse = S3Lakehouse(f"s3://pulse-faults/{fault.replace('/', '-')}")
    run = HeadlessRun(tmp_path, lakehouse, proxy.endpoint, duration=300)
    try:
        run.wait_for_line(r"\] bike +produced .*\| bronze +[1-9]", 20)
        proxy.fault = fault
        began = time.monotonic()
        run.wait_for_line(r"STORE RETRYING.*" + shown, 30)
        time.sleep(max(0, 20 - (time.monotonic() - began)))
        proxy.fault = None
        healed = time.monotonic()
        wait_recovered(run)
        recovered = time.monotonic() - healed
        summary = run.finish(timeout=60)
    finally:
        proxy.fault = None
        stop_process(run.proc, signal.SIGKILL, timeout=5)
        proxy.stop()
    assert proxy.injected > 10, f"only {proxy.injected} errors injected"
    check_everything_once(lakehouse, tmp_path, s3, summary)
    print(f"S3 {fault} for 20 s ({proxy.injected} answers injected): caught up {recovered:.1f} s after it ended")


def test_commits_whose_answer_is_lost_are_decided_by_reading_back(s3, tmp_path):
    """The Delta commit lands but the answer never arrives (a 500 instead): the engine must neither
    send it again blindly (412, a stuck table) nor write the batch twice; it reads the key back."""
    proxy = FaultProxy(s3.port).start()
    lakehouse = S3Lakehouse("s3://pulse-faults/lost-answers")
    run = HeadlessRun(tmp_path, lakehouse, proxy.endpoint, duration=300)
    try:
        run.wait_for_line(r"\] bike +produced .*\| bronze +[1-9]", 20)
        proxy.fault = "lose-commit-answers"
        time.sleep(15)
        proxy.fault = None
        wait_recovered(run)
        summary = run.finish(timeout=60)
    finally:
        proxy.fault = None
        stop_process(run.proc, signal.SIGKILL, timeout=5)
        proxy.stop()
    landed = proxy.lost_statuses.count(200)
    assert landed > 20, f"only {landed} commits landed with their answer lost: {proxy.lost_statuses[:20]}"
    counts = check_everything_once(lakehouse, tmp_path, s3, summary)
    print(f"{landed} commits landed unanswered in 15 s; every record once: bronze/bike {counts['bronze/bike']} rows")
