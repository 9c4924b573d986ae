"""`pulse-tui vacuum` against independent readers: after delta-rs compacts the tables (leaving tombstones),
vacuum with --retain-hours 0 --force deletes exactly the compacted-away files (a dry run first lists the
same files and deletes nothing), and delta-rs, DuckDB and polars still load every table in full with the
same row counts; on a fresh lakehouse the default vacuum deletes nothing; log cleanup past a short
delta.logRetentionDuration leaves the table loadable from its checkpoint; a retention under 168 hours
needs --force. On local disk and on S3 (SeaweedFS)."""
import re
import shutil
import subprocess
import time

import pytest
from deltalake import DeltaTable

from conftest import binary, duckdb_connection, inspect, pulse_env, run_pulse, start_pulse, stop_process
from medallion_checks import TABLES, check_bronze_offsets, check_gold_unique, check_tables_load
from s3_server import S3Lakehouse

# Many small commits (a checkpoint every 100: bronze/bike needs more than 100), and the engine's own compaction
# off, so the only tombstones are those delta-rs leaves and the tests can name them.
RUN = ["--no-ui", "--duration", "15", "--speed", "600", "--bike-interval", "0.02", "--trigger", "0.05",
       "--compaction-interval", "0"]
FILE_LINE = re.compile(r"^  (removed|would remove) (.+) \((\d+) B\)$")
TABLE_LINE = re.compile(r"^(\S+) \(version (\d+), retention ")


def vacuum(lakehouse, cwd, *args, expect=0):
    proc = subprocess.run([binary(), "vacuum", "--lakehouse", str(lakehouse), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=pulse_env())
    assert proc.returncode == expect, f"vacuum {args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def listed(stdout):
    """{table: [paths vacuum printed as removed]} for every table it reported."""
    tables, current = {}, None
    for line in stdout.splitlines():
        if line.startswith("  "):
            match = FILE_LINE.match(line)
            assert match and current, f"unexpected line: {line!r}"
            tables[current].append(match.group(2))
        elif match := TABLE_LINE.match(line):
            current = match.group(1)
            tables[current] = []
    return tables


def live_paths(uri):
    return set(DeltaTable(uri).get_add_actions(flatten=True).column("path").to_pylist())


def compact_all(lakehouse):
    """delta-rs compacts every table with more than one file; returns {table: paths it removed}."""
    tombstoned = {}
    for table in TABLES:
        uri = str(lakehouse / table)
        before = live_paths(uri)
        if len(before) > 1:
            DeltaTable(uri).optimize.compact()
        tombstoned[table] = before - live_paths(uri)
    assert sum(map(len, tombstoned.values())) > 100, tombstoned
    return tombstoned


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One short headless run; tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("vacuum-run")
    run_pulse([*RUN, "--lakehouse", str(root / "lakehouse"), "--log-dir", str(root / "logs")], cwd=root, timeout=120)
    return root / "lakehouse"


@pytest.fixture
def lakehouse(pristine, tmp_path):
    target = tmp_path / "lakehouse"
    shutil.copytree(pristine, target)
    return target


def files_under(root):
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_default_vacuum_on_a_fresh_lakehouse_deletes_nothing(lakehouse, tmp_path):
    before = files_under(lakehouse)
    proc = vacuum(lakehouse, tmp_path)
    reported = listed(proc.stdout)
    assert set(reported) == set(TABLES), proc.stdout
    assert all(paths == [] for paths in reported.values()), proc.stdout
    assert "retention 168 h" in proc.stdout and "total: removed 0 data files (0 B) and 0 log files" in proc.stdout
    assert files_under(lakehouse) == before
    # A table that promises 30 days is not vacuumed at 200 hours unless forced (Delta's rule); the others are.
    set_property(lakehouse / "gold/bike_minute/_delta_log", "delta.deletedFileRetentionDuration", "interval 30 days")
    refused = vacuum(lakehouse, tmp_path, "--retain-hours", "200", expect=1)
    assert ("gold/bike_minute: skipped: --retain-hours 200 is below the table's delta.deletedFileRetentionDuration "
            "(720 h)") in refused.stdout, refused.stdout
    assert set(listed(refused.stdout)) == set(TABLES) - {"gold/bike_minute"}
    assert "vacuum failed on 1 of 11 tables" in refused.stderr
    forced = vacuum(lakehouse, tmp_path, "--retain-hours", "200", "--force")
    assert "gold/bike_minute (version" in forced.stdout and "retention 200 h" in forced.stdout
    added = f"gold/bike_minute/_delta_log/{max_version(lakehouse, 'gold/bike_minute'):020d}.json"
    assert files_under(lakehouse) == before | {added}  # the property's commit; vacuum removed nothing


def max_version(lakehouse, table):
    return max(int(p.name[:20]) for p in (lakehouse / table / "_delta_log").glob("*.json"))


def test_vacuum_after_compaction_deletes_only_the_compacted_files(lakehouse, tmp_path):
    con = duckdb_connection()
    counts = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    tombstoned = compact_all(lakehouse)
    expected = {table: sorted(paths) for table, paths in tombstoned.items()}
    before = files_under(lakehouse)

    dry = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force", "--dry-run")
    assert listed(dry.stdout) == expected
    assert files_under(lakehouse) == before, "a dry run deleted files"

    real = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force")
    assert listed(real.stdout) == expected, "the real run removed other files than the dry run listed"
    removed = {f"{table}/{path}" for table, paths in expected.items() for path in paths}
    assert files_under(lakehouse) == before - removed
    for table in TABLES:
        for path in live_paths(str(lakehouse / table)):
            assert (lakehouse / table / path).exists(), f"{table}: live file {path} gone"

    assert check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path)) == counts
    again = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force")
    assert all(paths == [] for paths in listed(again.stdout).values()), again.stdout


def set_property(log, key, value):
    """Commits the table's metaData with `key` set, written by hand: delta-rs's alter would clean the log
    itself (its post-commit hook applies the new retention), leaving nothing for vacuum to show."""
    import json

    versions = sorted(int(p.name[:20]) for p in log.glob("*.json"))
    metadata = None
    for version in reversed(versions):
        for line in (log / f"{version:020d}.json").read_text().splitlines():
            if line.startswith('{"metaData"'):
                metadata = json.loads(line)["metaData"]
        if metadata:
            break
    metadata["configuration"][key] = value
    commit = [{"commitInfo": {"timestamp": int(time.time() * 1000), "operation": "SET TBLPROPERTIES"}},
              {"metaData": metadata}]
    with open(log / f"{versions[-1] + 1:020d}.json", "x") as out:
        out.write("\n".join(json.dumps(action) for action in commit) + "\n")


def test_log_cleanup_keeps_the_table_readable_from_its_checkpoint(lakehouse, tmp_path):
    """A table whose delta.logRetentionDuration is 1 second: vacuum removes every commit and checkpoint below
    the newest checkpoint; the readers load the table from it, versions from it on stay readable, and the
    engine goes on writing the table."""
    table = "bronze/bike"
    log = lakehouse / table / "_delta_log"
    checkpoints = sorted(int(p.name[:20]) for p in log.glob("*.checkpoint.parquet"))
    assert checkpoints, "the run wrote no checkpoint; lengthen RUN"
    set_property(log, "delta.logRetentionDuration", "interval 1 seconds")
    con = duckdb_connection()
    counts = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    latest = DeltaTable(str(lakehouse / table)).version()
    time.sleep(2)

    proc = vacuum(lakehouse, tmp_path)
    cutoff = checkpoints[-1]
    removed = [p for p in listed(proc.stdout)[table]]
    assert removed and all(p.startswith("_delta_log/") for p in removed), proc.stdout
    assert f"starts at checkpoint {cutoff}" in proc.stdout
    commits = sorted(int(p.name[:20]) for p in log.glob("*.json"))
    assert commits == list(range(cutoff, latest + 1)), commits
    assert sorted(int(p.name[:20]) for p in log.glob("*.checkpoint.parquet")) == [cutoff]
    assert check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path)) == counts
    for version in (cutoff, latest):
        DeltaTable(str(lakehouse / table), version=version).to_pyarrow_table()
    with pytest.raises(Exception):
        DeltaTable(str(lakehouse / table), version=cutoff - 1).to_pyarrow_table()
    # The other tables keep their 30 days, so lost nothing.
    assert all(paths == [] for name, paths in listed(proc.stdout).items() if name != table)

    run_pulse(["--no-ui", "--duration", "4", "--speed", "600", "--bike-interval", "0.02", "--trigger", "0.5",
               "--lakehouse", str(lakehouse), "--log-dir", str(tmp_path / "logs")], cwd=tmp_path, timeout=120)
    grown = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    assert grown[table] > counts[table]


def test_vacuum_while_the_engine_writes_and_delta_rs_compacts(tmp_path):
    """The worst case, retention 0 forced, run again and again while the engine appends and delta-rs
    compacts: no file a version then current needs is deleted, so every table loads in full afterwards and
    Bronze holds every offset exactly once."""
    import signal

    from deltalake.exceptions import CommitFailedError

    lakehouse = tmp_path / "lakehouse"
    with open(tmp_path / "engine.out", "w") as out:
        engine = start_pulse(["--no-ui", "--duration", "20", "--speed", "600", "--bike-interval", "0.02", "--trigger",
                              "0.3", "--lakehouse", str(lakehouse), "--log-dir", str(tmp_path / "logs")],
                             cwd=tmp_path, stdout=out)
    rounds = removed = 0
    try:
        deadline = time.monotonic() + 60
        while not (lakehouse / "silver/bike_events/_delta_log").exists():
            assert engine.poll() is None and time.monotonic() < deadline, (tmp_path / "engine.out").read_text()
            time.sleep(0.2)
        while engine.poll() is None:
            for table in ("bronze/bike", "silver/bike_events", "gold/bike_minute"):
                try:
                    DeltaTable(str(lakehouse / table)).optimize.compact()
                except CommitFailedError:
                    pass  # lost a race against the engine's commit: fine, the next round compacts
                proc = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force")
                removed += sum(map(len, listed(proc.stdout).values()))
            rounds += 1
        assert engine.wait() == 0, (tmp_path / "engine.out").read_text()[-3000:]
    finally:
        stop_process(engine, signal.SIGKILL, timeout=5)
    assert rounds >= 3 and removed > 0, (rounds, removed)
    con = duckdb_connection()
    check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    for source in ("bike", "weather"):
        check_bronze_offsets(lakehouse, source)
    check_gold_unique(lakehouse, con)
    print(f"{rounds} rounds of compaction and vacuum during the run, {removed} files removed")


def test_a_retention_under_168_hours_needs_force(tmp_path):
    proc = vacuum(tmp_path / "absent", tmp_path, "--retain-hours", "1", expect=64)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--force" in lines[0] and "168" in lines[0], proc.stderr
    assert proc.stdout == ""
    missing = vacuum(tmp_path / "absent", tmp_path, "--retain-hours", "1", "--force", expect=1)
    assert "no lakehouse" in missing.stderr


def s3_keys(s3, lakehouse):
    import pyarrow.fs as pafs

    env = s3.env()
    fs = pafs.S3FileSystem(endpoint_override=s3.endpoint, scheme="http", access_key=env["AWS_ACCESS_KEY_ID"],
                           secret_key=env["AWS_SECRET_ACCESS_KEY"], region=env["AWS_REGION"])
    root = str(lakehouse).removeprefix("s3://")
    infos = fs.get_file_info(pafs.FileSelector(root, recursive=True))
    return {info.path.removeprefix(root + "/") for info in infos if info.type == pafs.FileType.File}


def test_vacuum_on_s3(s3, tmp_path):
    lakehouse = S3Lakehouse("s3://pulse-vacuum/lake")
    run_pulse([*RUN, "--lakehouse", str(lakehouse), "--s3-create-bucket", "--log-dir", str(tmp_path / "logs")],
              cwd=tmp_path, timeout=120)
    con = duckdb_connection(s3)
    counts = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))
    before = s3_keys(s3, lakehouse)
    fresh = vacuum(lakehouse, tmp_path)
    assert all(paths == [] for paths in listed(fresh.stdout).values()), fresh.stdout
    assert s3_keys(s3, lakehouse) == before

    tombstoned = compact_all(lakehouse)
    expected = {table: sorted(paths) for table, paths in tombstoned.items()}
    before = s3_keys(s3, lakehouse)
    dry = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force", "--dry-run")
    assert listed(dry.stdout) == expected
    assert s3_keys(s3, lakehouse) == before
    real = vacuum(lakehouse, tmp_path, "--retain-hours", "0", "--force")
    assert listed(real.stdout) == expected
    removed = {f"{table}/{path}" for table, paths in expected.items() for path in paths}
    assert s3_keys(s3, lakehouse) == before - removed
    assert check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path)) == counts
    import polars

    for table in TABLES:
        assert polars.read_delta(str(lakehouse / table)).height == counts[table], table
