"""Shared fixtures for the interop tests: the real pulse-tui binary and independent Delta readers."""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary() -> str:
    path = os.environ.get("PULSE_BINARY") or str(ROOT / ".build" / "release" / "pulse-tui")
    if not os.path.exists(path):
        pytest.fail(f"pulse-tui binary not found at {path}; run `make release` first")
    return path


def run_pulse(args, cwd, timeout=120, env=None):
    """Runs pulse-tui to completion and returns the CompletedProcess (fails the test on a non-zero exit)."""
    full_env = dict(os.environ)
    for key in ("REDPANDA_BROKERS", "KAFKA_BROKER"):
        full_env.pop(key, None)
    full_env.update(env or {})
    proc = subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env)
    if proc.returncode != 0:
        pytest.fail(f"pulse-tui {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def inspect(lakehouse, cwd):
    """What pulse-tui itself reports about the tables (`inspect --json`)."""
    proc = run_pulse(["inspect", "--json", "--lakehouse", str(lakehouse)], cwd=cwd)
    return {t["path"]: t for t in json.loads(proc.stdout)["tables"]}


def duckdb_connection(s3_server=None):
    """A DuckDB connection with the delta extension (and S3 access to `s3_server` when given), loaded offline."""
    import duckdb

    import duckdb_ext  # noqa: F401  (the wheel that ships the delta extension)

    ext_dir = pathlib.Path(list(duckdb_ext.__path__)[0]) / "extensions"
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions=false")
    con.execute(f"SET extension_directory='{ext_dir}'")
    con.execute("LOAD delta")
    if s3_server is not None:
        s3_server.duckdb_secret(con)
    return con


STATUS_LINE = re.compile(r"^\[(\d\d):(\d\d):(\d\d)\] (\S+)\s+(.*)$")
STATUS_FIELD = re.compile(r"\b(produced|delivered|failed|refused|read|lag|bronze|silver|quar|gold|late|quarantined|ahead)\s+(\d+)\b")


def status_ticks(lines):
    """The headless status lines of a run, grouped per interval: a list of {"elapsed": seconds, name: entry} where
    name is a topic ("bike", "weather"), "broker" or "store", and each entry holds the line's "text" and its
    counts ({"produced": 120, "read": 118, "bronze": 118, ...}). A tick ends where a name comes round again."""
    ticks = []
    for line in lines:
        match = STATUS_LINE.match(line)
        if not match:
            continue
        h, m, s, name, rest = match.groups()
        if not ticks or name in ticks[-1]:
            ticks.append({"elapsed": int(h) * 3600 + int(m) * 60 + int(s)})
        entry = {"text": rest}
        entry.update((key, int(value)) for key, value in STATUS_FIELD.findall(rest))
        ticks[-1][name] = entry
    return ticks


def pulse_env():
    """The environment for pulse-tui child processes: no broker from the caller's shell."""
    env = dict(os.environ)
    for key in ("REDPANDA_BROKERS", "KAFKA_BROKER"):
        env.pop(key, None)
    return env


def start_pulse(args, cwd, stdout, stderr=subprocess.STDOUT, wait_for_binary=60.0):
    """Starts pulse-tui in the background (its own process group) and returns the Popen.
    Waits a while for the binary when it is missing (a rebuild in progress)."""
    import time

    path = os.environ.get("PULSE_BINARY") or str(ROOT / ".build" / "release" / "pulse-tui")
    deadline = time.monotonic() + wait_for_binary
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.5)
    return subprocess.Popen([binary(), *args], cwd=cwd, stdout=stdout, stderr=stderr, env=pulse_env(),
                            start_new_session=True)


def stop_process(proc, sig, timeout=30.0):
    """Sends `sig` to a process this test started (by its pid) and waits; SIGKILL if it overstays.
    Returns its exit code."""
    import signal

    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.returncode


def log_lines(log_dir, pattern, limit=40):
    """Lines of the pulse-tui logs under `log_dir` matching the regex `pattern` (diagnostics)."""
    import re

    out = []
    for path in sorted(pathlib.Path(log_dir).rglob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if re.search(pattern, line):
                out.append(f"{path.relative_to(log_dir)}: {line}")
    return out[-limit:]


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """One SeaweedFS S3 server for the session (weed mini's side ports are fixed, so only one runs)."""
    from s3_server import SeaweedFS

    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3(seaweedfs, monkeypatch):
    """The session's S3 server, with its endpoint and credentials in this test's environment (read by
    pulse-tui children and by delta-rs)."""
    for key, value in seaweedfs.env().items():
        monkeypatch.setenv(key, value)
    return seaweedfs
