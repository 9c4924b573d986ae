"""Faults while the real binary runs headless: the broker stops answering for 30 s (SIGSTOP, then
SIGCONT, so it keeps its data), and the lakehouse's disk refuses writes (a small tmpfs filled to
ENOSPC, then freed). During each fault the engine's status line must say what fails, since when and
the last error; afterwards the engine must catch up by itself, and delta-rs and DuckDB must find every
produced record exactly once in Bronze, Bronze = Silver + quarantine, and Gold equal to its
recomputation from Silver (medallion_checks). Prints the time to recover and the engine's peak RSS
before and during each fault (figures, not pass conditions, except a loose bound on memory growth)."""
import calendar
import errno
import os
import re
import signal
import subprocess
import threading
import time

import pytest

from conftest import duckdb_connection, inspect, log_lines, start_pulse, status_ticks, stop_process
from test_crash import broker_address, broker_high_watermarks, caught_up, delivered_counts
from medallion_checks import (
    check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine,
    check_tables_load, late_records,
)

PRODUCE = ["--seed", "5", "--start", "2025-08-20T18:00:00Z", "--speed", "2000", "--bike-interval", "0.01",
           "--weather-interval", "0.05", "--bad-records", "0.01", "--status-interval", "1", "--duration", "300"]
STREAM = ["--trigger", "0.5", "--status-interval", "1"]
ISO = r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"
BROKER_RETRYING = re.compile(r"broker\s+\S+ RETRYING since " + ISO + r" \((\d+) s[^)]*\), last error: (.+)$")
STORE_RETRYING = re.compile(r"STORE RETRYING since " + ISO + r" \((\d+) s, (\d+) failures\), last error: (.+?)(?: \| |$)")
# Memory the engine may add during a fault: one batch of a few thousand records, not a growing buffer.
RSS_SLACK_KB = 64 * 1024


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class RssSampler:
    """Samples a process's resident memory every 0.2 s, each sample tagged with the current phase."""

    def __init__(self, pid):
        self.pid = pid
        self.phase = "start"
        self.peaks = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.2):
            kb = rss_kb(self.pid)
            if kb is not None:
                self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), kb)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)


class Stack:
    """`pulse-tui broker`, `produce` and `stream` as separate processes of one test, with their output
    in files; `stop_all` kills whatever is still running (by pid)."""

    def __init__(self, tmp_path, lakehouse):
        self.tmp = tmp_path
        self.lakehouse = lakehouse
        self.logs = tmp_path / "logs"
        self.started = []
        self.broker = start_pulse(["broker", "--partitions", "3", "--duration", "600", "--log-dir", str(self.logs / "broker")],
                                  cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
        self.started.append(self.broker)
        self.address = broker_address(self.broker)
        self.producer = self._start("produce", ["produce", "--brokers", self.address, *PRODUCE])
        self.engine = self._start("stream", ["stream", "--brokers", self.address, "--lakehouse", str(lakehouse), *STREAM])
        self.rss = RssSampler(self.engine.pid)
        self.producer_rss = RssSampler(self.producer.pid)

    def _start(self, name, args):
        with open(self.tmp / f"{name}.out", "w") as out:
            proc = start_pulse([*args, "--log-dir", str(self.logs / name)], cwd=self.tmp, stdout=out)
        self.started.append(proc)
        return proc

    def phase(self, name):
        self.rss.phase = name
        self.producer_rss.phase = name

    def lines(self, name):
        return (self.tmp / f"{name}.out").read_text(errors="replace").splitlines()

    def wait_line(self, name, predicate, timeout, after=0):
        """The first status line of `name` past the first `after` lines that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines(name)[after:]:
                if predicate(line):
                    return line
            time.sleep(0.2)
        return None

    def bronze_rows(self):
        try:
            tables = inspect(self.lakehouse, self.tmp)
        except (Exception, pytest.fail.Exception):
            return {}
        return {s: tables.get(f"bronze/{s}", {}).get("rows", 0) for s in ("bike", "weather")}

    def newest_tick(self, name):
        """The newest complete status of `name` (both topics on it)."""
        for tick in reversed(status_ticks(self.lines(name))):
            if "bike" in tick and "weather" in tick:
                return tick
        return None

    def produced_now(self):
        """Records produced so far per topic, from the producer's newest status."""
        tick = self.newest_tick("produce")
        return {t: tick[t]["produced"] for t in ("bike", "weather")} if tick else {"bike": 0, "weather": 0}

    def in_flight_now(self):
        """Records produced but not yet acknowledged by the broker, per topic, from the newest status."""
        tick = self.newest_tick("produce")
        return {t: tick[t]["produced"] - tick[t]["delivered"] for t in ("bike", "weather")} if tick else {}

    def wait_committed(self, target, timeout):
        """Seconds until Bronze holds at least `target` records per topic (inspect, polled), or None."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            assert self.engine.poll() is None, f"stream exited {self.engine.returncode}: {log_lines(self.logs, 'error')}"
            rows = self.bronze_rows()
            if rows and all(rows.get(s, 0) >= n for s, n in target.items()):
                return time.monotonic() - began
            time.sleep(0.2)
        return None

    def finish(self):
        """Stops the producer, waits until the engine holds everything delivered, stops the engine
        cleanly; returns (delivered per topic, broker high watermarks per topic)."""
        assert stop_process(self.producer, signal.SIGTERM) == 0
        counts = delivered_counts((self.tmp / "produce.out").read_text())
        delivered, high = {}, {}
        for source, (produced, ok, failed) in counts.items():
            assert failed == 0 and produced == ok, f"{source}: produced {produced}, delivered {ok}, failed {failed}"
            high[source] = broker_high_watermarks(self.address, source)
            assert sum(high[source].values()) == ok, f"{source}: delivered {ok}, broker holds {high[source]}"
            delivered[source] = ok
        deadline = time.monotonic() + 60
        while not caught_up(self.lakehouse, self.tmp, delivered):
            assert time.monotonic() < deadline, (
                f"engine did not catch up with {delivered}: {inspect(self.lakehouse, self.tmp)}\n"
                + "\n".join(log_lines(self.logs, r"error|warning")))
            assert self.engine.poll() is None, f"stream exited {self.engine.returncode}"
            time.sleep(0.5)
        time.sleep(1.5)
        assert stop_process(self.engine, signal.SIGTERM) == 0
        return delivered, high

    def stop_all(self):
        self.rss.stop()
        self.producer_rss.stop()
        for proc in reversed(self.started):
            if proc is self.broker:
                proc.send_signal(signal.SIGCONT)  # a stopped process cannot act on SIGTERM
            stop_process(proc, signal.SIGKILL if proc is not self.broker else signal.SIGTERM, timeout=10)


def check_exactly_once(lakehouse, cwd, high):
    """Every produced record once in Bronze (offsets 0..high-1 per partition), Silver + quarantine =
    Bronze by Silver's rules, Gold unique and equal to its recomputation from Silver."""
    con = duckdb_connection()
    check_tables_load(lakehouse, con, inspect(lakehouse, cwd))
    partitions = {}
    for source in ("bike", "weather"):
        check_bronze_offsets(lakehouse, source, expected_high=high[source])
        mapping, accepted, _ = check_silver_and_quarantine(lakehouse, source)
        partitions[source] = mapping
        assert late_records(accepted) == [], f"{source}: late records, Gold would differ from Silver"
    check_gold_unique(lakehouse, con)
    checked = check_gold_against_silver(lakehouse, con, partitions)
    assert checked["gold/bike_minute"] > 0 and checked["gold/weather_hourly"] > 0, checked


def report(fault, recovery, stack):
    before, during = stack.rss.peaks.get("before", 0), stack.rss.peaks.get("outage", 0)
    p_before, p_during = stack.producer_rss.peaks.get("before", 0), stack.producer_rss.peaks.get("outage", 0)
    print(f"\n{fault}: recovered in {recovery:.1f} s; engine peak RSS {before / 1024:.1f} MiB before, "
          f"{during / 1024:.1f} MiB during the fault; producer {p_before / 1024:.1f} -> {p_during / 1024:.1f} MiB")
    assert before > 0 and during > 0, stack.rss.peaks
    assert during <= before + RSS_SLACK_KB, f"engine memory grew during the fault: {stack.rss.peaks}"
    assert p_during <= p_before + RSS_SLACK_KB, f"producer memory grew during the fault: {stack.producer_rss.peaks}"


def test_broker_stopped_30s_engine_shows_it_and_catches_up(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    stack = Stack(tmp_path, lakehouse)
    try:
        assert stack.wait_committed({"bike": 300, "weather": 60}, timeout=30) is not None, "no data before the fault"
        stack.phase("before")
        time.sleep(3)
        engine_lines, producer_lines = len(stack.lines("stream")), len(stack.lines("produce"))
        os.kill(stack.broker.pid, signal.SIGSTOP)
        stopped = time.time()
        stack.phase("outage")

        # the engine says the broker fails, since about when it stopped, and why
        line = stack.wait_line("stream", BROKER_RETRYING.search, timeout=25, after=engine_lines)
        assert line, "engine status never showed the broker retrying:\n" + "\n".join(stack.lines("stream")[-5:])
        since, seconds, error = BROKER_RETRYING.search(line).groups()
        assert stopped - 6 <= epoch(since) <= stopped + 1, f"since {since}, stopped at {time.ctime(stopped)}: {line}"
        assert "no answer" in error or "timed out" in error.lower(), error
        shown = stack.wait_line("produce", BROKER_RETRYING.search, timeout=10, after=producer_lines)
        assert shown, "producer status never showed the broker retrying:\n" + "\n".join(stack.lines("produce")[-5:])
        print(f"\nduring the outage the engine shows: ...{BROKER_RETRYING.search(line).group(0)}")

        time.sleep(max(0.0, stopped + 30 - time.time()))
        assert stack.engine.poll() is None and stack.producer.poll() is None, "a process died during the outage"
        # what the producer made during the outage (its newest line, at most a second old) is the rest to commit
        held = stack.produced_now()
        waiting = stack.in_flight_now()
        os.kill(stack.broker.pid, signal.SIGCONT)
        stack.phase("after")
        recovery = stack.wait_committed(held, timeout=40)
        assert recovery is not None, f"engine did not catch up after the broker came back: {stack.bronze_rows()}"
        print(f"the producer held {waiting} records unacknowledged at the end of the outage, none dropped")
        healthy = stack.wait_line("stream", lambda l: re.search(r"broker\s+\S+ ok$", l) is not None, timeout=10,
                                  after=len(stack.lines("stream")) - 1)
        assert healthy, "engine still shows the broker failing:\n" + stack.lines("stream")[-1]
        delivered, high = stack.finish()
    finally:
        stack.stop_all()
    report("broker stopped for 30 s", recovery, stack)
    check_exactly_once(lakehouse, tmp_path, high)
    print(f"delivered {delivered}")


def fill(path):
    """Writes zeros to `path` until the file system is full (ENOSPC)."""
    chunk = b"\0" * (1 << 20)
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                f.write(chunk)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e
                return


def test_disk_full_engine_shows_it_acknowledges_nothing_and_resumes(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (needs root with CAP_SYS_ADMIN): {proc.stderr.strip()}")
    lakehouse = mount / "lakehouse"
    stack = None
    try:
        stack = Stack(tmp_path, lakehouse)
        assert stack.wait_committed({"bike": 300, "weather": 60}, timeout=30) is not None, "no data before the fault"
        stack.phase("before")
        time.sleep(3)
        engine_lines = len(stack.lines("stream"))
        fill(mount / "filler")
        full = time.time()
        stack.phase("outage")
        time.sleep(1)  # a commit whose files were written before the disk filled may still land
        frozen = inspect(lakehouse, tmp_path)

        line = stack.wait_line("stream", STORE_RETRYING.search, timeout=15, after=engine_lines)
        assert line, "engine status never showed the store retrying:\n" + "\n".join(stack.lines("stream")[-5:])
        since, seconds, failures, error = STORE_RETRYING.search(line).groups()
        assert full - 2 <= epoch(since) <= full + 10, f"since {since}, disk full at {time.ctime(full)}: {line}"
        assert "no space left" in error, error
        print(f"\nduring the outage the engine shows: ...{STORE_RETRYING.search(line).group(0).rstrip(' |')}")

        time.sleep(max(0.0, full + 20 - time.time()))
        # nothing was acknowledged while nothing could be written: no table moved, and the engine's lag grew
        during = inspect(lakehouse, tmp_path)
        assert {p: t["version"] for p, t in during.items()} == {p: t["version"] for p, t in frozen.items()}, (
            f"a table committed on a full disk: {frozen} -> {during}")
        tick = stack.newest_tick("stream")
        lags = [tick[t]["lag"] for t in ("bike", "weather")] if tick else []
        assert lags and max(lags) > 0, f"no lag shown while the store refuses writes: {stack.lines('stream')[-4:]}"
        assert stack.engine.poll() is None, "the engine died on a full disk"

        held = stack.produced_now()
        os.unlink(mount / "filler")
        stack.phase("after")
        recovery = stack.wait_committed(held, timeout=40)
        assert recovery is not None, f"engine did not catch up after the disk had room again: {stack.bronze_rows()}"
        healthy = stack.wait_line("stream", lambda l: re.search(r"\] store\s+\S+ ok$", l) is not None, timeout=10,
                                  after=len(stack.lines("stream")) - 1)
        assert healthy, "engine still shows the store failing:\n" + stack.lines("stream")[-1]
        delivered, high = stack.finish()
        report("disk full for 20 s", recovery, stack)
        check_exactly_once(lakehouse, tmp_path, high)
        print(f"delivered {delivered}")
    finally:
        if stack:
            stack.stop_all()
        subprocess.run(["umount", str(mount)], capture_output=True)
        if os.path.ismount(mount):
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
