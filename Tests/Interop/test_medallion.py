"""The whole medallion of a headless run, checked by independent readers: every table loads in
delta-rs and DuckDB, Bronze = Silver + quarantine record for record, Silver follows its rules,
and Gold equals what DuckDB recomputes from Silver, window for window."""
import pathlib
import re

from conftest import duckdb_connection, inspect, run_pulse
from medallion_checks import (
    GOLD_TABLES, check_bronze_offsets, check_gold_against_silver, check_gold_unique, check_silver_and_quarantine,
    check_tables_load, late_records,
)

# 200 bike records/s, each 15 simulated seconds after the last (0.005 s x 3000): ~16 simulated hours
# in 20 s, from 18:00, so minute and hour windows close every second and the 2025-08-20 day window
# closes (watermark past 2025-08-21T00:00) after ~8 s.
RUN = ["--no-ui", "--duration", "20", "--seed", "11", "--start", "2025-08-20T18:00:00Z", "--speed", "3000",
       "--bike-interval", "0.005", "--weather-interval", "0.05", "--trigger", "0.5", "--status-interval", "5",
       "--bad-records", "0.02"]


def test_headless_run_medallion_agrees_with_independent_recomputation(tmp_path):
    con = duckdb_connection()
    check_headless_run(tmp_path / "lakehouse", tmp_path, con)
    check_readme_queries(tmp_path / "lakehouse", con)


def check_readme_queries(lakehouse, con):
    """The README's example queries run as written (the path aside) and answer with the columns it shows."""
    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## Querying the lakehouse"):]
    section = section[:section.index("\n## ", 1)]
    blocks = re.findall(r"```sql\n(.*?)```\n```\n(.*?)```", section, re.S)
    assert len(blocks) == 2, f"the README's query section has {len(blocks)} query/output pairs"
    for sql, shown in blocks:
        rows = con.execute(sql.replace("'lakehouse/", f"'{lakehouse}/")).fetchall()
        columns = [d[0] for d in con.description]
        header = shown.splitlines()[1]
        assert [c.strip() for c in header.strip("│").split("│")] == columns, (header, columns)
        assert rows, f"no rows for:\n{sql}"


def check_headless_run(lakehouse, tmp_path, con, extra=()):
    """Runs RUN headless into `lakehouse` (a Path or an S3Lakehouse) and checks every table."""
    proc = run_pulse([*RUN, "--lakehouse", str(lakehouse), *extra], cwd=tmp_path, timeout=120)
    summary = proc.stdout[proc.stdout.index("summary after"):]
    late = [int(n) for n in re.findall(r"\blate (\d+)", summary)]
    assert len(late) == 2 and late == [0, 0], f"the producers send no late data, yet the engine reports: {late}\n{summary}"

    reported = inspect(lakehouse, tmp_path)
    counts = check_tables_load(lakehouse, con, reported)

    partitions = {}
    for source in ("bike", "weather"):
        per_partition = check_bronze_offsets(lakehouse, source)
        assert sorted(per_partition) == [0, 1, 2]
        mapping, accepted, reasons = check_silver_and_quarantine(lakehouse, source)
        partitions[source] = mapping
        silver, quarantine = (f"silver/{source}_events", f"quarantine/{source}")
        assert counts[f"bronze/{source}"] == counts[silver] + counts[quarantine]
        assert late_records(accepted) == [], f"{source}: Bronze replay finds late records"
        # the injected bad records reach quarantine with reasons naming their rule
        if source == "bike":
            assert counts[quarantine] >= 20, f"only {counts[quarantine]} bike records quarantined at 2% bad"
            rules = {r.split(" ")[0] for r in reasons}
            assert {"not", "missing", "wrong", "unknown", "unparsable"} <= rules, rules

    check_gold_unique(lakehouse, con)
    checked = check_gold_against_silver(lakehouse, con, partitions)
    # the run must be long enough for every window size to close, or the check proves little
    for table in GOLD_TABLES:
        assert checked[table] >= 25, f"{table}: only {checked[table]} rows"
    assert checked["gold/bike_minute"] > 1000 and checked["gold/bike_usage_hourly"] > 200
    return proc, counts
