"""The read API (`pulse-tui serve`, `--api-port`) against independent readers: every endpoint's rows are what
delta-rs reads for the same query, bad parameters get 422, schemathesis finds nothing against
/openapi.json, the original's CORS holds, /metrics speaks Prometheus, and the API keeps answering (stale,
saying so) while S3 is down."""
import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from conftest import ROOT, inspect, run_pulse, start_pulse, stop_process
from s3_server import S3Lakehouse

RUN = ["--no-ui", "--duration", "20", "--seed", "8", "--start", "2025-08-20T05:00:00Z", "--speed", "600",
       "--bike-interval", "0.01", "--weather-interval", "0.05", "--trigger", "0.5", "--status-interval", "20",
       "--bad-records", "0.02"]

ENDPOINTS = {
    "/silver/bike": ("silver/bike_events", "event_time", 100, 5000, [
        "event_time", "dt", "station_id", "bike_city", "docks_total", "docks_available", "bikes_available",
        "bikes_occupied"]),
    "/silver/weather": ("silver/weather_events", "event_time", 100, 5000, [
        "event_time", "dt", "station_id", "weather_city", "temp_c", "precip_mm", "humidity", "wind_kph",
        "pressure_mb", "condition"]),
    "/gold/bike_minute": ("gold/bike_minute", "window_start", 200, 10000, [
        "minute", "window_start", "window_end", "station_id", "bike_city", "bikes_available", "bikes_occupied",
        "docks_total", "dt"]),
    "/gold/bike_hourly": ("gold/bike_usage_hourly", "window_start", 200, 10000, [
        "window_start", "window_end", "dt", "station_id", "bike_city", "bikes_occupied_hour",
        "bikes_available_avg_hour", "availability_rate_avg_hour", "utilization_rate_avg_hour", "docks_total"]),
    "/gold/bike_daily": ("gold/bike_usage_daily", "window_start", 200, 10000, [
        "window_start", "window_end", "dt", "station_id", "bike_city", "bikes_occupied_day", "bikes_available_avg_day",
        "availability_rate_avg_day", "utilization_rate_avg_day", "docks_total"]),
    "/gold/weather_hourly": ("gold/weather_hourly", "window_start", 200, 10000, [
        "window_start", "window_end", "dt", "station_id", "weather_city", "avg_temp_c_hour", "sum_precip_mm_hour",
        "avg_humidity_hour", "avg_wind_kph_hour", "avg_pressure_mb_hour"]),
    "/gold/weather_daily": ("gold/weather_daily", "window_start", 200, 10000, [
        "window_start", "window_end", "dt", "station_id", "weather_city", "avg_temp_c_day", "sum_precip_mm_day",
        "avg_humidity_day", "avg_wind_kph_day", "avg_pressure_mb_day"]),
    "/quarantine/bike": ("quarantine/bike", "ingest_time", 100, 5000, [
        "ingest_time", "dt", "topic", "partition", "offset", "key", "value", "reason", "kafka_timestamp",
        "kafka_cluster_id"]),
}


def get(url, headers=None, method="GET"):
    """(status, headers, parsed body or text) of one request."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            status, head = response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, head = error.read(), error.code, error.headers
    text = body.decode()
    is_json = (head.get("Content-Type") or "").startswith("application/json")
    return status, head, json.loads(text) if is_json and text else text


def serve(args, cwd, log):
    """Starts a process that serves the API on a free port; returns (process, base URL)."""
    proc = start_pulse([*args, "--api-port", "0"], cwd=cwd, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"read API at (http://127\.0\.0\.1:\d+)", open(log).read())
        if found:
            return proc, found.group(1)
        if proc.poll() is not None:
            pytest.fail(open(log).read())
        time.sleep(0.1)
    pytest.fail("the read API did not start: " + open(log).read()[-2000:])


def cell(value, arrow_type):
    """A delta-rs value as the API writes it."""
    if value is None:
        return None
    if pa.types.is_timestamp(arrow_type):
        text = value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond:
            text += f".{value.microsecond // 1000:03d}" if value.microsecond % 1000 == 0 else f".{value.microsecond:06d}"
        return text + "Z"
    if pa.types.is_date(arrow_type):
        return value.isoformat()
    return value


def expected_rows(path, time_column, fields, station_column, station, limit):
    """The newest `limit` rows by delta-rs, as the API would write them, and the cut-off time."""
    table = DeltaTable(str(path)).to_pyarrow_table()
    rows = table.to_pylist()
    types = {f.name: f.type for f in table.schema}
    if station is not None:
        rows = [r for r in rows if r[station_column] == station]
    rows.sort(key=lambda r: r[time_column], reverse=True)
    alias = {"minute": "window_start"}
    out = [{f: cell(r[alias.get(f, f)], types[alias.get(f, f)]) for f in fields} for r in rows]
    return out, out[:limit]


@pytest.fixture(scope="module")
def lakehouse(tmp_path_factory):
    directory = tmp_path_factory.mktemp("api")
    lakehouse = directory / "lakehouse"
    run_pulse([*RUN, "--lakehouse", str(lakehouse)], cwd=directory, timeout=120)
    return directory, lakehouse


@pytest.fixture(scope="module")
def api(lakehouse):
    directory, path = lakehouse
    proc, base = serve(["serve", "--lakehouse", str(path)], directory, directory / "serve.log")
    yield base, path, directory
    stop_process(proc, signal.SIGTERM)


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("station, limit", [(None, None), ("S001", 7), ("S017", 1), ("S999", 5)])
def test_every_endpoint_returns_what_delta_rs_reads(api, endpoint, station, limit):
    base, lakehouse, _ = api
    table, time_column, default_limit, _, fields = ENDPOINTS[endpoint]
    query = "&".join(f"{k}={v}" for k, v in (("station_id", station), ("limit", limit)) if v is not None)
    status, _, rows = get(f"{base}{endpoint}?{query}")
    assert status == 200, rows
    station_column = "key" if endpoint.startswith("/quarantine") else "station_id"
    everything, expected = expected_rows(lakehouse / table, time_column, fields, station_column, station,
                                         limit or default_limit)
    assert [list(r) for r in rows] == [fields] * len(rows)
    assert len(rows) == len(expected)
    name = "minute" if endpoint == "/gold/bike_minute" else time_column
    times = [r[name] for r in rows]
    assert times == sorted(times, reverse=True), "newest first"
    if rows:
        # Rows newer than the last one returned are exactly delta-rs's; ties at the cut-off may be any of them.
        cut = rows[-1][name]
        assert sorted(map(json.dumps, (r for r in rows if r[name] > cut))) == \
            sorted(map(json.dumps, (r for r in expected if r[name] > cut)))
        tied = [json.dumps(r) for r in everything if r[name] == cut]
        assert all(json.dumps(r) in tied for r in rows if r[name] == cut)


@pytest.mark.parametrize("query, endpoint", [
    ("limit=0", "/silver/bike"), ("limit=5001", "/silver/bike"), ("limit=abc", "/silver/weather"),
    ("limit=-3", "/gold/bike_hourly"), ("limit=10001", "/gold/bike_minute"), ("limit=1.5", "/quarantine/bike"),
])
def test_bad_parameters_get_422_with_a_json_detail(api, query, endpoint):
    base, _, _ = api
    status, _, body = get(f"{base}{endpoint}?{query}")
    assert status == 422
    assert body["detail"][0]["loc"] == ["query", "limit"] and body["detail"][0]["msg"]


def test_tables_health_and_openapi(api):
    base, lakehouse, directory = api
    status, _, health = get(base + "/health")
    assert status == 200 and health["status"] == "ok"
    status, _, tables = get(base + "/tables")
    reported = inspect(lakehouse, directory)
    assert {t["path"]: (t["version"], t["rows"]) for t in tables["tables"]} == \
        {p: (t["version"], t["rows"]) for p, t in reported.items()}
    status, _, document = get(base + "/openapi.json")
    assert document["openapi"].startswith("3.") and set(ENDPOINTS) <= set(document["paths"])
    status, head, _ = get(base + "/silver/bike", method="POST")
    assert status == 405 and "GET" in head["Allow"]


def test_cors_follows_the_originals_rule(api):
    base, _, _ = api
    _, head, _ = get(base + "/health", {"Origin": "http://localhost:5173"})
    assert head["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert head["Access-Control-Allow-Credentials"] == "true"
    _, head, _ = get(base + "/health", {"Origin": "http://evil.example"})
    assert head.get("Access-Control-Allow-Origin") is None
    status, head, _ = get(base + "/gold/bike_hourly", {
        "Origin": "http://127.0.0.1:5174", "Access-Control-Request-Method": "GET"}, method="OPTIONS")
    assert status == 200 and head["Access-Control-Allow-Origin"] == "http://127.0.0.1:5174"


def test_schemathesis_finds_no_server_error_or_schema_violation(api):
    base, _, directory = api
    st = ROOT / ".venv" / "bin" / "schemathesis"
    proc = subprocess.run([str(st), "run", f"{base}/openapi.json", "--checks", "all", "--max-examples", "40",
                           "--seed", "1"], cwd=directory, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_a_running_engine_serves_live_metrics_and_stations(tmp_path):
    proc, base = serve([*RUN[:1], "--duration", "25", *RUN[3:], "--lakehouse", str(tmp_path / "lakehouse")],
                       tmp_path, tmp_path / "run.log")
    try:
        time.sleep(12)
        status, _, text = get(base + "/metrics")
        assert status == 200
        for name in ("pulse_records_read_total{pipeline=\"bike\"}", "pulse_records_quarantined_total",
                     "pulse_lag_records", "pulse_table_commits_total", "pulse_table_rows",
                     "pulse_producer_delivered_total", "process_resident_memory_bytes",
                     "pulse_batch_latency_seconds_bucket", "pulse_produce_to_silver_latency_seconds_count"):
            assert name in text, name
        read = float(re.search(r'pulse_records_read_total\{pipeline="bike"\} (\S+)', text).group(1))
        assert read > 0
        status, _, stations = get(base + "/stations")
        assert len(stations) == 30 and sum(1 for s in stations if s["last_event_time"]) >= 25
        status, _, rows = get(base + "/silver/bike?limit=3")
        assert status == 200 and len(rows) == 3
    finally:
        assert stop_process(proc, signal.SIGTERM, timeout=60) == 0


def test_the_api_keeps_answering_while_s3_is_down(s3, tmp_path):
    lakehouse = S3Lakehouse("s3://pulse-api/outage")
    run_pulse([*RUN[:1], "--duration", "8", *RUN[3:], "--lakehouse", str(lakehouse), "--s3-create-bucket"],
              cwd=tmp_path, timeout=90)
    proc, base = serve(["serve", "--lakehouse", str(lakehouse)], tmp_path, tmp_path / "serve.log")
    try:
        status, _, before = get(base + "/gold/bike_minute?station_id=S001&limit=5")
        assert status == 200 and before
        s3.stop()
        time.sleep(2.5)  # past the reader's one-second refresh
        status, head, during = get(base + "/gold/bike_minute?station_id=S001&limit=5")
        assert status == 200 and during == before
        assert head["X-Pulse-Stale-Since"] and "stale" in head["Warning"].lower()
        status, _, health = get(base + "/health")
        assert status == 200 and health["status"] == "degraded" and health["stale_since"]
        s3.start()
        time.sleep(2.5)
        status, head, after = get(base + "/gold/bike_minute?station_id=S001&limit=5")
        assert status == 200 and after == before and "X-Pulse-Stale-Since" not in head
        assert get(base + "/health")[2]["status"] == "ok"
    finally:
        if s3.proc is None:
            s3.start()
        stop_process(proc, signal.SIGTERM)
