"""The lakehouse on S3: pulse-tui writes every table to SeaweedFS (which verifies SigV4 signatures and
honours conditional puts), and delta-rs and DuckDB read them back from S3 with the counts pulse-tui
reports. Also: clear errors for a missing bucket and refused credentials, no secret in any output,
and two engines racing on one S3 lakehouse never both win a Delta version."""
import json
import pathlib
import signal
import subprocess
import urllib.request

from conftest import duckdb_connection, inspect, log_lines, start_pulse, stop_process
from s3_server import SECRET_KEY, S3Lakehouse
from test_crash import broker_address, broker_high_watermarks, delivered_counts, run_until_caught_up
from test_medallion import check_headless_run
from medallion_checks import check_bronze_offsets, check_gold_unique, check_silver_and_quarantine, check_tables_load


def run(args, cwd, env=None, timeout=60):
    from conftest import pulse_env, binary

    full = pulse_env()
    full.update(env or {})
    return subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full)


def assert_no_secret(tmp_path, *texts):
    for text in texts:
        assert SECRET_KEY not in text
    for path in pathlib.Path(tmp_path).rglob("*.log"):
        assert SECRET_KEY not in path.read_text(errors="replace"), f"secret key in {path}"


def test_headless_run_on_s3_loads_in_delta_rs_and_duckdb(s3, tmp_path):
    lakehouse = S3Lakehouse("s3://pulse-medallion/run")
    proc, counts = check_headless_run(
        lakehouse, tmp_path, duckdb_connection(s3), extra=["--s3-create-bucket", "--log-dir", str(tmp_path / "logs")])
    assert counts["bronze/bike"] > 3000, counts
    assert "s3://pulse-medallion/run" in "\n".join(log_lines(tmp_path / "logs", "lakehouse at"))
    assert_no_secret(tmp_path, proc.stdout, proc.stderr)


def test_missing_bucket_is_one_clear_line(s3, tmp_path):
    proc = run(["--no-ui", "--duration", "3", "--lakehouse", "s3://no-such-bucket/x"], tmp_path)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no-such-bucket" in lines[0] and "--s3-create-bucket" in lines[0], proc.stderr
    assert_no_secret(tmp_path, proc.stdout, proc.stderr)


def test_wrong_secret_is_refused_by_the_signature_check(s3, tmp_path):
    proc = run(["--no-ui", "--duration", "3", "--lakehouse", "s3://pulse-medallion/run"], tmp_path,
               env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"})
    assert proc.returncode != 0
    assert "denied" in proc.stderr and "AWS_SECRET_ACCESS_KEY" in proc.stderr, proc.stderr
    assert "not-the-secret" not in proc.stderr + proc.stdout


def test_prefix_and_bucket_from_the_original_names(s3, tmp_path):
    """S3_BUCKET alone (the original stack's setting) puts the tables at the bucket's root."""
    proc = run(["--no-ui", "--duration", "4", "--s3-create-bucket", "--trigger", "0.5", "--bike-interval", "0.05"],
               tmp_path, env={"S3_BUCKET": "pulse-original"})
    assert proc.returncode == 0, proc.stderr
    tables = inspect(S3Lakehouse("s3://pulse-original"), tmp_path)
    assert tables["bronze/bike"]["rows"] > 0, tables
    assert not (tmp_path / "lakehouse").exists()


def test_two_engines_racing_on_one_s3_lakehouse_never_both_win(s3, tmp_path):
    """Two `stream` processes on the same tables and the same partitions: every Delta version is won
    by one commit, and every record is in Bronze exactly once."""
    lakehouse = S3Lakehouse("s3://pulse-race/lake")
    logs = tmp_path / "logs"
    started = []
    try:
        broker = start_pulse(["broker", "--partitions", "3", "--duration", "300", "--log-dir", str(logs / "broker")],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
        started.append(broker)
        address = broker_address(broker)
        with open(tmp_path / "produce.out", "w") as out:
            producer = start_pulse(
                ["produce", "--brokers", address, "--seed", "5", "--start", "2025-08-20T18:00:00Z", "--speed", "2000",
                 "--bike-interval", "0.01", "--weather-interval", "0.05", "--duration", "8",
                 "--log-dir", str(logs / "produce")], cwd=tmp_path, stdout=out)
        started.append(producer)
        engines = []
        for name in ("one", "two"):
            with open(tmp_path / f"{name}.out", "w") as out:
                proc = start_pulse(
                    ["stream", "--brokers", address, "--lakehouse", str(lakehouse), "--s3-create-bucket",
                     "--trigger", "0.2", "--status-interval", "1", "--log-dir", str(logs / name)],
                    cwd=tmp_path, stdout=out)
            started.append(proc)
            engines.append((name, proc, lakehouse, logs / name))
        assert producer.wait(timeout=60) == 0
        counts = delivered_counts((tmp_path / "produce.out").read_text())
        delivered = {source: ok for source, (_, ok, _) in counts.items()}
        high = {source: broker_high_watermarks(address, source) for source in delivered}
        run_until_caught_up(engines, tmp_path, delivered)
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGKILL if proc is not started[0] else signal.SIGTERM, timeout=10)

    con = duckdb_connection(s3)
    check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    for source in ("bike", "weather"):
        check_bronze_offsets(lakehouse, source, expected_high=high[source])
        check_silver_and_quarantine(lakehouse, source)
    check_gold_unique(lakehouse, con)
    # both engines really committed (or the race proved nothing), and each version has one commit
    from deltalake import DeltaTable

    history = DeltaTable(str(lakehouse / "bronze/bike")).history()
    versions = [entry["version"] for entry in history]
    assert len(versions) == len(set(versions)), versions
    import re

    read = {name: max(map(int, re.findall(r"bike:?\s+read\s+(\d+)", (tmp_path / f"{name}.out").read_text())), default=0)
            for name in ("one", "two")}
    assert all(n > 0 for n in read.values()), f"one engine never read anything, so nothing raced: {read}"
    print(f"race: {len(versions)} bronze/bike versions; bike records read per engine {read}; delivered {delivered}")
