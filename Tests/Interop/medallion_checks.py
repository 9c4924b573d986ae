"""Independent checks of a whole lakehouse (Bronze, Silver, quarantine, Gold) written by pulse-tui.

Silver's rules are re-implemented here from ARCHITECTURE.md (Python's json module plus an RFC 3339
regex), Gold's windows and watermark are recomputed with DuckDB from the Silver table, and the tables
are read with delta-rs and DuckDB, never with the engine's own reader. test_medallion.py and
test_crash.py share these checks.
"""
import calendar
import json
import math
import re
from collections import Counter, defaultdict

from deltalake import DeltaTable

STATIONS = {f"S{i:03d}" for i in range(1, 31)}
WATERMARK_DELAY_US = 15 * 60 * 1_000_000
MINUTE_US, HOUR_US, DAY_US = 60_000_000, 3_600_000_000, 86_400_000_000
INT32 = (-(2**31), 2**31 - 1)

BIKE_FIELDS = [
    ("bike_city", "string"), ("station_id", "string"), ("docks_total", "integer"), ("bikes_available", "integer"),
    ("bikes_occupied", "integer"), ("docks_available", "integer"), ("event_time", "string"),
]
WEATHER_FIELDS = [
    ("station_id", "string"), ("weather_city", "string"), ("temp_c", "number"), ("precip_mm", "number"),
    ("humidity", "integer"), ("wind_kph", "number"), ("pressure_mb", "integer"), ("condition", "string"),
    ("event_time", "string"),
]

BRONZE_COLUMNS = {
    "key": "string", "value": "string", "topic": "string", "partition": "integer", "offset": "long",
    "kafka_timestamp": "timestamp", "kafka_timestamp_type": "integer", "ingest_time": "timestamp", "dt": "date",
}
SCHEMAS = {
    "bronze/bike": BRONZE_COLUMNS,
    "bronze/weather": BRONZE_COLUMNS,
    "quarantine/bike": {**BRONZE_COLUMNS, "reason": "string"},
    "quarantine/weather": {**BRONZE_COLUMNS, "reason": "string"},
    "silver/bike_events": {
        "station_id": "string", "bike_city": "string", "docks_total": "integer", "bikes_available": "integer",
        "bikes_occupied": "integer", "docks_available": "integer", "event_time": "timestamp", "dt": "date",
        "availability_rate": "double", "utilization_rate": "double",
    },
    "silver/weather_events": {
        "station_id": "string", "weather_city": "string", "temp_c": "double", "precip_mm": "double",
        "humidity": "integer", "wind_kph": "double", "pressure_mb": "integer", "condition": "string",
        "event_time": "timestamp", "dt": "date",
    },
    "gold/bike_minute": {
        "station_id": "string", "bike_city": "string", "window_start": "timestamp", "window_end": "timestamp",
        "bikes_available": "integer", "bikes_occupied": "integer", "docks_total": "integer", "dt": "date",
    },
}
for _size in ("hour", "day"):
    _name = "hourly" if _size == "hour" else "daily"
    SCHEMAS[f"gold/bike_usage_{_name}"] = {
        "station_id": "string", "bike_city": "string", "window_start": "timestamp", "window_end": "timestamp",
        f"bikes_occupied_{_size}": "long", f"bikes_available_avg_{_size}": "double",
        f"availability_rate_avg_{_size}": "double", f"utilization_rate_avg_{_size}": "double",
        "docks_total": "integer", "dt": "date",
    }
    SCHEMAS[f"gold/weather_{_name}"] = {
        "station_id": "string", "weather_city": "string", "window_start": "timestamp", "window_end": "timestamp",
        f"avg_temp_c_{_size}": "double", f"sum_precip_mm_{_size}": "double", f"avg_humidity_{_size}": "double",
        f"avg_wind_kph_{_size}": "double", f"avg_pressure_mb_{_size}": "double", "dt": "date",
    }
PARTITION_COLUMNS = {
    "bronze": ["dt"], "quarantine": ["dt"], "silver": ["dt", "station_id"], "gold/bike_minute": ["dt"],
}

TABLES = list(SCHEMAS)
GOLD_TABLES = [t for t in TABLES if t.startswith("gold/")]
SOURCES = {"bike": ("silver/bike_events", "quarantine/bike"), "weather": ("silver/weather_events", "quarantine/weather")}


def partition_columns(table):
    for prefix, columns in PARTITION_COLUMNS.items():
        if table == prefix or table.startswith(prefix + "/"):
            return columns
    return ["dt", "station_id"]  # hourly and daily Gold tables


# ---------------------------------------------------------------------------------------------
# Silver's rules, independently


class Invalid(Exception):
    """A record Silver must send to quarantine (the message names the rule)."""


_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$")


def parse_event_time(text):
    """Microseconds since the epoch of an RFC 3339 timestamp with Z or an offset; Invalid otherwise."""
    m = _TIME.match(text) if 20 <= len(text) <= 40 else None
    if not m:
        raise Invalid(f"unparsable event_time {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(max(year, 1), month)[1]):
        raise Invalid(f"no such date {text!r}")
    if hour > 23 or minute > 59 or second > 59:
        raise Invalid(f"no such time {text!r}")
    offset = 0
    if m.group(9):
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            raise Invalid(f"bad offset {text!r}")
        offset = (oh * 3600 + om * 60) * (1 if m.group(9) == "+" else -1)
    fraction = int(((m.group(7) or "") + "000000")[:6])
    return (calendar.timegm((year, month, day, hour, minute, second)) - offset) * 1_000_000 + fraction


def _reject_constant(name):
    raise Invalid(f"not JSON: {name}")


def silver_row(value, fields):
    """The Silver values of a record (dict of the shape's fields, event_time in µs), or Invalid."""
    known = {name for name, _ in fields}

    def pairs(items):
        seen = set()
        for k, _ in items:
            if k in known and k in seen:
                raise Invalid(f"duplicate field {k}")
            seen.add(k)
        return dict(items)

    try:
        record = json.loads(value, object_pairs_hook=pairs, parse_constant=_reject_constant)
    except Invalid:
        raise
    except (ValueError, RecursionError) as e:
        raise Invalid(f"not JSON: {e}")
    if not isinstance(record, dict):
        raise Invalid("not an object")
    row = {}
    for name, kind in fields:
        if name not in record:
            raise Invalid(f"missing field {name}")
        v = record[name]
        if kind == "string":
            if not isinstance(v, str):
                raise Invalid(f"wrong type {name}")
        elif kind == "integer":
            if not isinstance(v, int) or isinstance(v, bool):
                raise Invalid(f"wrong type {name}")
            if not INT32[0] <= v <= INT32[1]:
                raise Invalid(f"integer out of range {name}")
        else:
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise Invalid(f"wrong type {name}")
            v = float(v)
            if math.isinf(v):
                raise Invalid(f"number out of range {name}")
        row[name] = v
    if row["station_id"] not in STATIONS:
        raise Invalid(f"unknown station {row['station_id']}")
    row["event_time"] = parse_event_time(row["event_time"])
    if "docks_total" in row:
        for name in ("docks_total", "bikes_available", "bikes_occupied", "docks_available"):
            if row[name] < 0:
                raise Invalid(f"negative count {name}")
        for name in ("bikes_available", "bikes_occupied"):
            if row[name] > row["docks_total"]:
                raise Invalid(f"{name} above docks_total")
    return row


# ---------------------------------------------------------------------------------------------
# Reading


def to_micros(ts):
    """A pyarrow/DuckDB timestamp (aware or naive UTC) as µs since the epoch."""
    return calendar.timegm(ts.utctimetuple()) * 1_000_000 + ts.microsecond


def read_table(lakehouse, table):
    """Rows of a table as a list of dicts, read by delta-rs."""
    return DeltaTable(str(lakehouse / table)).to_pyarrow_table().to_pylist()


def check_tables_load(lakehouse, con, reported):
    """Every table loads in delta-rs and DuckDB with the contract's schema and partitioning, and
    both readers and `inspect --json` agree on its row count. Returns {table: rows}."""
    counts = {}
    for table in TABLES:
        path = lakehouse / table
        dt = DeltaTable(str(path))
        schema = {f.name: f.type.type for f in dt.schema().fields}
        assert schema == SCHEMAS[table], f"{table}: schema {schema}"
        assert dt.metadata().partition_columns == partition_columns(table), f"{table}: partitioned by {dt.metadata().partition_columns}"
        rows = dt.to_pyarrow_table().num_rows
        duck = con.execute(f"SELECT count(*) FROM delta_scan('{path}')").fetchone()[0]
        assert duck == rows, f"{table}: delta-rs reads {rows} rows, DuckDB {duck}"
        assert reported[table]["rows"] == rows, f"{table}: inspect says {reported[table]['rows']}, delta-rs {rows}"
        assert reported[table]["version"] == dt.version(), f"{table}: inspect version {reported[table]['version']}, delta-rs {dt.version()}"
        counts[table] = rows
    return counts


# ---------------------------------------------------------------------------------------------
# Bronze = Silver + quarantine


def check_bronze_offsets(lakehouse, source, expected_high=None):
    """Bronze holds each (partition, offset) once, contiguous from 0; with `expected_high`
    ({partition: high watermark}) exactly 0..high-1. Returns {partition: count}."""
    rows = read_table(lakehouse, f"bronze/{source}")
    offsets = defaultdict(list)
    for r in rows:
        assert r["topic"] == source
        offsets[r["partition"]].append(r["offset"])
    counts = {}
    for p, got in sorted(offsets.items()):
        c = Counter(got)
        doubled = sorted(o for o, n in c.items() if n > 1)
        high = expected_high[p] if expected_high is not None else (max(got) + 1)
        missing = sorted(set(range(high)) - set(c))
        extra = sorted(o for o in c if not 0 <= o < high)
        assert not doubled and not missing and not extra, (
            f"bronze/{source} partition {p}: doubled {doubled[:20]} ({len(doubled)}), "
            f"missing {missing[:20]} ({len(missing)}), beyond high watermark {extra[:20]}")
        counts[p] = len(got)
    if expected_high is not None:
        for p, high in expected_high.items():
            assert counts.get(p, 0) == high, f"bronze/{source} partition {p}: {counts.get(p, 0)} rows, broker has {high}"
    return counts


def check_silver_and_quarantine(lakehouse, source):
    """Replays Silver's rules over Bronze: the accepted records are exactly Silver's rows (as a
    multiset, with derived columns), the rejected ones exactly quarantine's (partition, offset)s,
    each with a reason and its Bronze columns. Returns the station -> partition map and the
    accepted records per partition in offset order [(offset, row)]."""
    silver_table, quarantine_table = SOURCES[source]
    fields = BIKE_FIELDS if source == "bike" else WEATHER_FIELDS
    bronze = read_table(lakehouse, f"bronze/{source}")
    accepted, rejected = [], {}
    station_partition = {}
    by_partition = defaultdict(list)
    for r in bronze:
        station_partition.setdefault(r["key"], set()).add(r["partition"])
        try:
            row = silver_row(r["value"], fields)
        except Invalid as e:
            rejected[(r["partition"], r["offset"])] = (r, str(e))
            continue
        assert row["station_id"] == r["key"], f"{source} {r['partition']}/{r['offset']}: key {r['key']} != {row['station_id']}"
        accepted.append(row)
        by_partition[r["partition"]].append((r["offset"], row))
    multi = {k: v for k, v in station_partition.items() if len(v) > 1}
    assert not multi, f"{source}: stations on more than one partition: {multi}"
    station_partition = {k: next(iter(v)) for k, v in station_partition.items()}
    for rows in by_partition.values():
        rows.sort(key=lambda t: t[0])

    # quarantine: exactly the rejected records, each with a reason and its Bronze columns
    quarantine = read_table(lakehouse, quarantine_table)
    q_keys = Counter((q["partition"], q["offset"]) for q in quarantine)
    doubled = sorted(k for k, n in q_keys.items() if n > 1)
    assert not doubled, f"{quarantine_table}: (partition, offset) twice: {doubled[:20]}"
    wrongly_quarantined = sorted(set(q_keys) - set(rejected))
    not_quarantined = sorted(set(rejected) - set(q_keys))
    assert not wrongly_quarantined, (
        f"{quarantine_table}: valid records quarantined: "
        + "; ".join(f"{k}: {next(q['value'] for q in quarantine if (q['partition'], q['offset']) == k)!r}"
                    for k in wrongly_quarantined[:5]))
    assert not not_quarantined, (
        f"{quarantine_table}: invalid records missing from quarantine: "
        + "; ".join(f"{k}: {rejected[k][1]} {rejected[k][0]['value']!r}" for k in not_quarantined[:5]))
    for q in quarantine:
        b, why = rejected[(q["partition"], q["offset"])]
        assert isinstance(q["reason"], str) and q["reason"].strip(), f"{quarantine_table} {q['partition']}/{q['offset']}: empty reason"
        for column in ("key", "value", "topic", "kafka_timestamp", "kafka_timestamp_type"):
            assert q[column] == b[column], f"{quarantine_table} {q['partition']}/{q['offset']}: {column} differs from Bronze"
        assert q["dt"] == q["ingest_time"].date()

    # Silver: exactly the accepted records, with derived columns
    silver = read_table(lakehouse, silver_table)
    names = [name for name, _ in fields]

    def key(row):
        return tuple(row[n] for n in names)

    expected = Counter(key(a) for a in accepted)
    got = Counter()
    for s in silver:
        t = to_micros(s["event_time"])
        assert s["dt"] == s["event_time"].date(), f"{silver_table}: dt {s['dt']} for event_time {s['event_time']}"
        if source == "bike":
            docks = s["docks_total"]
            for rate, count in (("availability_rate", "bikes_available"), ("utilization_rate", "bikes_occupied")):
                if docks <= 0:
                    assert s[rate] is None, f"{silver_table}: {rate} {s[rate]} with docks_total {docks}"
                else:
                    assert s[rate] == s[count] / docks, f"{silver_table}: {rate} {s[rate]} != {s[count]}/{docks}"
        got[tuple(t if n == "event_time" else s[n] for n in names)] += 1
    missing = expected - got
    extra = got - expected
    assert not missing and not extra, (
        f"{silver_table}: {sum(missing.values())} accepted records missing (e.g. {list(missing)[:3]}), "
        f"{sum(extra.values())} rows not from Bronze or doubled (e.g. {list(extra)[:3]})")

    # per partition: Bronze = Silver + quarantine
    bronze_per = Counter(r["partition"] for r in bronze)
    silver_per = Counter(station_partition[s["station_id"]] for s in silver)
    quarantine_per = Counter(q["partition"] for q in quarantine)
    for p in bronze_per:
        assert bronze_per[p] == silver_per[p] + quarantine_per[p], (
            f"{source} partition {p}: bronze {bronze_per[p]} != silver {silver_per[p]} + quarantine {quarantine_per[p]}")
    return station_partition, by_partition, [q["reason"] for q in quarantine]


def late_records(by_partition):
    """Records that are late by the watermark rule, replayed from Bronze in offset order:
    [(partition, offset, station_id, event_time)]."""
    late = []
    for p, rows in by_partition.items():
        high = None
        for offset, row in rows:
            t = row["event_time"]
            if high is not None and t < high - WATERMARK_DELAY_US:
                late.append((p, offset, row["station_id"], t))
                continue
            high = t if high is None else max(high, t)
    return late


# ---------------------------------------------------------------------------------------------
# Gold, recomputed from Silver


GOLD_SPECS = {
    # table: (silver table, window µs, dt from window start?, [(column, SQL over the window's rows, kind)])
    "gold/bike_minute": ("silver/bike_events", MINUTE_US, True, [
        ("bike_city", "min(bike_city)", "str"),
        ("bikes_available", "(2 * sum(bikes_available) + count(*)) // (2 * count(*))", "int"),
        ("bikes_occupied", "(2 * sum(bikes_occupied) + count(*)) // (2 * count(*))", "int"),
        ("docks_total", "max(docks_total)", "int"),
    ]),
}
for _size, _us in (("hour", HOUR_US), ("day", DAY_US)):
    _name = "hourly" if _size == "hour" else "daily"
    GOLD_SPECS[f"gold/bike_usage_{_name}"] = ("silver/bike_events", _us, False, [
        ("bike_city", "min(bike_city)", "str"),
        (f"bikes_occupied_{_size}", "sum(bikes_occupied)", "int"),
        (f"bikes_available_avg_{_size}", "avg(bikes_available)", "float"),
        (f"availability_rate_avg_{_size}", "avg(availability_rate)", "float"),
        (f"utilization_rate_avg_{_size}", "avg(utilization_rate)", "float"),
        ("docks_total", "max(docks_total)", "int"),
    ])
    GOLD_SPECS[f"gold/weather_{_name}"] = ("silver/weather_events", _us, False, [
        ("weather_city", "min(weather_city)", "str"),
        (f"avg_temp_c_{_size}", "avg(temp_c)", "float"),
        (f"sum_precip_mm_{_size}", "sum(precip_mm)", "float"),
        (f"avg_humidity_{_size}", "avg(humidity)", "float"),
        (f"avg_wind_kph_{_size}", "avg(wind_kph)", "float"),
        (f"avg_pressure_mb_{_size}", "avg(pressure_mb)", "float"),
    ])


def check_gold_unique(lakehouse, con):
    """No (station_id, window_start) twice in any Gold table."""
    for table in GOLD_TABLES:
        dup = con.execute(
            f"SELECT station_id, window_start, count(*) FROM delta_scan('{lakehouse / table}') "
            "GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 2, 1 LIMIT 20").fetchall()
        assert not dup, f"{table}: (station_id, window_start) more than once: {dup}"


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def check_gold_against_silver(lakehouse, con, station_partitions):
    """Every Gold row equals the aggregate DuckDB recomputes from Silver for its station and window,
    and Gold holds exactly the windows whose end is at or below their partition's final watermark
    (max Silver event_time of the partition - 15 min). Assumes no late records (callers check).
    `station_partitions` is {source: {station_id: partition}}. Returns {table: rows checked}."""
    for source, mapping in station_partitions.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE station_partition_{source} (station_id VARCHAR, part INTEGER)")
        con.executemany(f"INSERT INTO station_partition_{source} VALUES (?, ?)", sorted(mapping.items()))
    checked = {}
    for table, (silver, length, dt_from_start, columns) in GOLD_SPECS.items():
        source = "bike" if "bike" in silver else "weather"
        aggregates = ", ".join(f"{sql} AS {name}" for name, sql, _ in columns)
        expected_sql = f"""
            WITH s AS (
                SELECT s.*, m.part, epoch_us(s.event_time) AS t
                FROM delta_scan('{lakehouse / silver}') s JOIN station_partition_{source} m USING (station_id)),
            wm AS (SELECT part, max(t) - {WATERMARK_DELAY_US} AS watermark FROM s GROUP BY part),
            w AS (
                SELECT station_id, any_value(part) AS part, (t // {length}) * {length} AS ws,
                       count(DISTINCT {columns[0][0]}) AS cities, {aggregates}
                FROM s GROUP BY station_id, ws)
            SELECT w.* EXCLUDE (part) FROM w JOIN wm USING (part)
            WHERE w.ws + {length} <= wm.watermark ORDER BY ws, station_id"""
        names = [n for n, _, _ in columns]
        expected = {}
        for row in con.execute(expected_sql).fetchall():
            station, ws, cities = row[0], row[1], row[2]
            assert cities == 1, f"{table}: station {station} window {ws}: {cities} different cities in Silver"
            expected[(station, ws)] = dict(zip(names, row[3:]))
        actual_sql = (
            f"SELECT station_id, epoch_us(window_start), epoch_us(window_end), dt, {', '.join(names)} "
            f"FROM delta_scan('{lakehouse / table}')")
        actual = {}
        for row in con.execute(actual_sql).fetchall():
            station, ws, we, dt = row[:4]
            assert we == ws + length, f"{table}: window [{ws}, {we}) is not {length} µs"
            assert ws % length == 0, f"{table}: window_start {ws} not aligned"
            day = (ws if dt_from_start else we) // DAY_US
            assert (dt - dt.__class__(1970, 1, 1)).days == day, f"{table}: dt {dt} for window [{ws}, {we})"
            actual[(station, ws)] = dict(zip(names, row[4:]))
        missing = sorted(set(expected) - set(actual), key=lambda k: (k[1], k[0]))
        extra = sorted(set(actual) - set(expected), key=lambda k: (k[1], k[0]))
        assert not missing and not extra, (
            f"{table}: {len(missing)} closed windows missing from Gold (e.g. {missing[:5]}), "
            f"{len(extra)} Gold windows not closed or not in Silver (e.g. {extra[:5]})")
        for k, want in expected.items():
            got = actual[k]
            for name, _, kind in columns:
                ok = _close(got[name], want[name]) if kind == "float" else got[name] == want[name]
                assert ok, f"{table} {k}: {name} is {got[name]!r}, Silver gives {want[name]!r}"
        checked[table] = len(actual)
    return checked


def gold_rows(lakehouse, con):
    """Every Gold table as a sorted list of row tuples (for comparing two lakehouses exactly)."""
    out = {}
    for table in GOLD_TABLES:
        names = list(SCHEMAS[table])
        cols = ", ".join(f'"{n}"' for n in names)
        out[table] = sorted(con.execute(f"SELECT {cols} FROM delta_scan('{lakehouse / table}')").fetchall(),
                            key=lambda r: tuple((x is None, str(x)) for x in r))
    return out
