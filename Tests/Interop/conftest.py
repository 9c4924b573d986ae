"""Shared fixtures for the interop tests: the real pulse-tui binary and independent Delta readers."""
import json
import os
import pathlib
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


def duckdb_connection():
    import duckdb

    import duckdb_ext  # noqa: F401  (the wheel that ships the delta extension)

    ext_dir = pathlib.Path(list(duckdb_ext.__path__)[0]) / "extensions"
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions=false")
    con.execute(f"SET extension_directory='{ext_dir}'")
    con.execute("LOAD delta")
    return con
