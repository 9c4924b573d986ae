"""A fresh embedded broker on a kept lakehouse starts a new epoch: nothing reused, nothing lost."""
import json
import re

from deltalake import DeltaTable

from conftest import duckdb_connection, inspect, run_pulse


def delivered(stdout, topic):
    match = re.search(rf"^  {topic}: produced \d+, delivered (\d+)", stdout, re.M)
    assert match, stdout
    return int(match.group(1))


def test_second_broker_is_a_new_epoch_and_every_record_lands_once(tmp_path):
    lakehouse = tmp_path / "lakehouse"
    args = ["--no-ui", "--duration", "6", "--speed", "60", "--bike-interval", "0.05", "--weather-interval", "0.2",
            "--trigger", "1", "--status-interval", "3", "--lakehouse", str(lakehouse)]
    first = run_pulse(args + ["--seed", "1", "--start", "2025-08-20T06:00:00Z"], cwd=tmp_path, timeout=60)
    second = run_pulse(args + ["--seed", "2", "--start", "2025-08-20T07:00:00Z"], cwd=tmp_path, timeout=60)
    epochs = json.loads((lakehouse / "_checkpoints" / "bike" / "epochs.json").read_text())["epochs"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert epochs[0]["clusterId"] != epochs[1]["clusterId"]
    reported = inspect(lakehouse, tmp_path)
    con = duckdb_connection()
    for topic in ("bike", "weather"):
        expected = delivered(first.stdout, topic) + delivered(second.stdout, topic)
        path = lakehouse / "bronze" / topic
        table = DeltaTable(str(path))
        assert table.to_pyarrow_table().num_rows == expected == reported[f"bronze/{topic}"]["rows"]
        assert con.execute(f"SELECT count(*) FROM delta_scan('{path}')").fetchone()[0] == expected
        # the second epoch's progress lives under its own appIds and started again at offset 0
        first_epoch = sum(table.transaction_version(f"{topic}-{p}") or 0 for p in range(3))
        second_epoch = sum(table.transaction_version(f"{topic}-{p}@2") or 0 for p in range(3))
        assert first_epoch == delivered(first.stdout, topic)
        assert second_epoch == delivered(second.stdout, topic)
