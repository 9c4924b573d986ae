"""Bronze written by a headless run of the real binary, checked by delta-rs, DuckDB and pyarrow."""
import json
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable

from conftest import duckdb_connection, inspect, run_pulse
from medallion_checks import BRONZE_COLUMNS as EXPECTED_SCHEMA


def test_headless_run_writes_bronze_that_independent_readers_agree_on(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    proc = run_pulse(
        ["--no-ui", "--duration", "12", "--seed", "7", "--start", "2025-08-20T06:00:00Z", "--speed", "60",
         "--bike-interval", "0.05", "--weather-interval", "0.2", "--trigger", "1", "--status-interval", "2",
         "--lakehouse", str(lakehouse)],
        cwd=tmp_path, timeout=90)
    assert "bronze/bike" in proc.stdout
    reported = inspect(lakehouse, tmp_path)
    con = duckdb_connection()
    for source in ("bike", "weather"):
        path = lakehouse / "bronze" / source
        table = DeltaTable(str(path))
        schema = [(f.name, f.type.type) for f in table.schema().fields]
        assert schema == list(EXPECTED_SCHEMA.items())
        assert table.metadata().partition_columns == ["dt"]
        data = table.to_pyarrow_table()
        rows = data.num_rows
        assert rows > 40, f"{source}: only {rows} rows"
        assert rows == reported[f"bronze/{source}"]["rows"]
        assert table.version() == reported[f"bronze/{source}"]["version"]
        assert con.execute(f"SELECT count(*) FROM delta_scan('{path}')").fetchone()[0] == rows
        # every (partition, offset) once, contiguous from 0, and the txn versions say where to resume
        offsets = {}
        for p, o in zip(data.column("partition").to_pylist(), data.column("offset").to_pylist()):
            offsets.setdefault(p, []).append(o)
        assert sorted(offsets) == [0, 1, 2]
        for p, got in offsets.items():
            got.sort()
            assert got == list(range(len(got))), f"{source} partition {p}: offsets not contiguous"
            assert table.transaction_version(f"{source}-{p}") == len(got)
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT partition, \"offset\" FROM delta_scan('{path}') "
            "GROUP BY 1, 2 HAVING count(*) > 1)").fetchone()[0]
        assert dup == 0
        # one broker, so one cluster id; the producers' JSON is UTF-8, so no exact-bytes column is set
        assert len(set(data.column("kafka_cluster_id").to_pylist())) == 1
        assert data.column("key_bytes").null_count == rows and data.column("value_bytes").null_count == rows
        # every payload is the producers' JSON, keyed by station_id
        for key, value in zip(data.column("key").to_pylist()[:500], data.column("value").to_pylist()[:500]):
            record = json.loads(value)
            assert record["station_id"] == key
        # partition values and file stats agree with the data
        actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
        for add in actions:
            file_path = path / add["path"]
            f = pq.ParquetFile(file_path)
            assert f.metadata.num_rows == add["num_records"]
            part = f.read()
            assert "dt" not in part.column_names
            assert min(part.column("offset").to_pylist()) == add["min.offset"]
            assert max(part.column("offset").to_pylist()) == add["max.offset"]
            ingest_days = {t.date().isoformat() for t in part.column("ingest_time").to_pylist()}
            assert ingest_days == {str(add["partition.dt"])}
            for i in range(f.metadata.num_row_groups):
                stats = f.metadata.row_group(i).column(part.column_names.index("offset")).statistics
                assert stats.has_min_max
