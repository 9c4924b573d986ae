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
    "kafka_cluster_id": "string", "key_bytes": "binary", "value_bytes": "binary",
}
SCHEMAS = {  # column order is part of the contract (dicts keep it; check_tables_load compares it)
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
# Every table a fresh lakehouse gets is partitioned by dt alone (ARCHITECTURE.md § Layout); tables
# created before that change keep ["dt", "station_id"] (test_maintenance checks those).
PARTITION_COLUMNS = {
    "bronze": ["dt"], "quarantine": ["dt"], "silver": ["dt"], "gold": ["dt"],
}

TABLES = list(SCHEMAS)
GOLD_TABLES = [t for t in TABLES if t.startswith("gold/")]
SOURCES = {"bike": ("silver/bike_events", "quarantine/bike"), "weather": ("silver/weather_events", "quarantine/weather")}


def partition_columns(table):
    for prefix, columns in PARTITION_COLUMNS.items():
        if table == prefix or table.startswith(prefix + "/"):
            return columns
    raise KeyError(f"no partitioning known for {table}")


# ---------------------------------------------------------------------------------------------
# Silver's rules, independently


class Invalid(Exception):
    """A record Silver must send to quarantine (the message names the rule)."""


# RFC 3339 with Z or an offset (+HH:MM or +HHMM); ASCII digits only (Python's \d also matches other
# scripts' digits) and nothing after the zone (`$` would allow a trailing newline).
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:([Zz])|([+-])([0-9]{2}):?([0-9]{2}))", re.ASCII)

# Plausibility ranges (ARCHITECTURE.md § Tables), both ends included except event_time's upper one.
EVENT_TIME_RANGE_US = (0, 7_258_118_400_000_000)  # [1970-01-01, 2200-01-01) UTC
WEATHER_RANGES = [("temp_c", -90, 60), ("precip_mm", 0, 500), ("humidity", 0, 100), ("wind_kph", 0, 500),
                  ("pressure_mb", 850, 1100)]
DOCKS_TOTAL_RANGE = (0, 1000)
MAX_DEPTH = 128  # nesting levels of arrays and objects Silver accepts, the record object being level 1


def _civil_days(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (any year 0..9999; calendar.timegm stops at 1)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_event_time(text):
    """Microseconds since the epoch of an RFC 3339 timestamp with Z or an offset; Invalid otherwise.
    Leap second :60 has no microsecond form and is rejected; so is a fraction of more than 9 digits."""
    m = _TIME.fullmatch(text) if 20 <= len(text.encode("utf-8", "surrogatepass")) <= 40 else None
    if not m:
        raise Invalid(f"unparsable event_time {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not (1 <= month <= 12) or not (1 <= day <= _days_in_month(year, month)):
        raise Invalid(f"unparsable event_time {text!r} (no such date)")
    if hour > 23 or minute > 59 or second > 59:
        raise Invalid(f"unparsable event_time {text!r} (no such time)")
    offset = 0
    if m.group(9):
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            raise Invalid(f"unparsable event_time {text!r} (bad offset)")
        offset = (oh * 3600 + om * 60) * (1 if m.group(9) == "+" else -1)
    fraction = int(((m.group(7) or "") + "000000")[:6])
    seconds = _civil_days(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return seconds * 1_000_000 + fraction


class _Int:
    """A JSON integer as written (Python's int() refuses more than 4300 digits; JSON does not)."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


class _Object(dict):
    """A JSON object; `duplicates` are the names it holds more than once."""
    duplicates = frozenset()


def _object(pairs):
    # Checked here, before a repeated name drops a value: Silver validates every member.
    if _has_lone_surrogate(pairs):
        raise Invalid("not JSON: lone surrogate escape")
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen, dup = set(), set()
        for k, _ in pairs:
            (dup if k in seen else seen).add(k)
        obj.duplicates = frozenset(dup)
    return obj


def _reject_constant(name):
    raise Invalid(f"not JSON: {name}")


def _depth(text):
    """Deepest nesting of arrays and objects in a JSON text (strings skipped)."""
    depth = deepest = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text, re.S):
        c = token.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def _has_lone_surrogate(value):
    """A string (key or value, at any depth) that holds a \\uD800-\\uDFFF escape not part of a pair:
    it has no UTF-8 form (Python's json decodes it into an unencodable str)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return False


def _int32(v, name):
    if not isinstance(v, _Int):
        raise Invalid(f"wrong type {name}")
    digits = v.text.lstrip("-")
    if len(digits) > 10 or not INT32[0] <= int(v.text) <= INT32[1]:
        raise Invalid(f"integer out of range {name}")
    return int(v.text)


def _double(v, name):
    if isinstance(v, _Int):
        v = float(v.text)  # float() of any digit string: inf past the double range, never an error
    elif not isinstance(v, float):
        raise Invalid(f"wrong type {name}")
    if math.isinf(v):
        raise Invalid(f"number out of range {name}")
    return v


def silver_row(record, fields):
    """The Silver values of a record (dict of the shape's fields, event_time in µs), or Invalid.

    `record` is a Bronze row (a dict with key, value, key_bytes, value_bytes) or, for a record known to
    be UTF-8 with a value, the value text alone. Rules in Silver's order: a value at all (a tombstone
    is rejected), key and value valid UTF-8 (Bronze keeps the bytes of one that is not), one RFC 8259
    JSON text (at most 128 levels deep, no lone surrogate escape, no NaN/Infinity) holding an object
    with no field of the shape twice, each field with its JSON type (integers without fraction or
    exponent, within int32; numbers finite as doubles), a catalogue station_id, an RFC 3339
    event_time with Z or an offset, bike counts >= 0 and <= docks_total, and the plausibility ranges."""
    if isinstance(record, dict):
        if record["value"] is None and record["value_bytes"] is None:
            raise Invalid("tombstone: the record has no value")
        for part in ("key", "value"):
            raw = record[f"{part}_bytes"]
            if raw is not None:
                try:
                    bytes(raw).decode("utf-8")
                except UnicodeDecodeError:
                    raise Invalid(f"{part} is not valid UTF-8")
                raise AssertionError(f"Bronze {part}_bytes {bytes(raw)[:60]!r} is valid UTF-8: it should be null")
        value = record["value"]
    else:
        value = record
    if _depth(value) > MAX_DEPTH:
        raise Invalid(f"not JSON: nested deeper than {MAX_DEPTH}")
    try:
        parsed = json.loads(value, object_pairs_hook=_object, parse_constant=_reject_constant, parse_int=_Int)
    except Invalid:
        raise
    except (ValueError, RecursionError) as e:
        raise Invalid(f"not JSON: {e}")
    if _has_lone_surrogate(parsed):
        raise Invalid("not JSON: lone surrogate escape")
    if not isinstance(parsed, _Object):
        raise Invalid("not an object")
    names = [name for name, _ in fields]
    for name in names:
        if name in parsed.duplicates:
            raise Invalid(f"duplicate field {name}")
    row = {}
    for name, kind in fields:
        if name not in parsed:
            raise Invalid(f"missing field {name}")
        v = parsed[name]
        if kind == "string":
            if not isinstance(v, str):
                raise Invalid(f"wrong type {name}")
        elif kind == "integer":
            v = _int32(v, name)
        else:
            v = _double(v, name)
        row[name] = v
    if row["station_id"] not in STATIONS:
        raise Invalid(f"unknown station {row['station_id']}")
    t = row["event_time"] = parse_event_time(row["event_time"])
    if not EVENT_TIME_RANGE_US[0] <= t < EVENT_TIME_RANGE_US[1]:
        raise Invalid(f"implausible event_time {t}")
    if "docks_total" in row:
        if row["docks_total"] < 0:
            raise Invalid("negative count docks_total")
        if not DOCKS_TOTAL_RANGE[0] <= row["docks_total"] <= DOCKS_TOTAL_RANGE[1]:
            raise Invalid(f"implausible docks_total {row['docks_total']}")
        for name in ("bikes_available", "bikes_occupied", "docks_available"):
            if row[name] < 0:
                raise Invalid(f"negative count {name}")
        for name in ("bikes_available", "bikes_occupied"):
            if row[name] > row["docks_total"]:
                raise Invalid(f"{name} out of range 0...docks_total")
    else:
        for name, low, high in WEATHER_RANGES:
            if not low <= row[name] <= high:
                raise Invalid(f"implausible {name} {row[name]}")
    return row


# ---------------------------------------------------------------------------------------------
# Reading


def to_micros(ts):
    """A pyarrow/DuckDB timestamp (aware or naive UTC) as µs since the epoch."""
    return calendar.timegm(ts.utctimetuple()) * 1_000_000 + ts.microsecond


def read_table(lakehouse, table):
    """Rows of a table as a list of dicts, read by delta-rs."""
    return DeltaTable(str(lakehouse / table)).to_pyarrow_table().to_pylist()


def check_tables_load(lakehouse, con, reported, tables=None):
    """Every table loads in full (every column decoded) in delta-rs, DuckDB and, on local disk, polars,
    with the contract's columns in the contract's order and its partitioning, and the readers and
    `inspect --json` agree on its row count. Returns {table: rows}."""
    import pathlib

    counts = {}
    for table in tables or TABLES:
        path = lakehouse / table
        dt = DeltaTable(str(path))
        schema = [(f.name, f.type.type) for f in dt.schema().fields]
        assert schema == list(SCHEMAS[table].items()), f"{table}: schema {schema}"
        assert dt.metadata().partition_columns == partition_columns(table), f"{table}: partitioned by {dt.metadata().partition_columns}"
        rows = dt.to_pyarrow_table().num_rows
        duck = con.execute(f"SELECT * FROM delta_scan('{path}')").fetch_arrow_table()
        assert duck.num_rows == rows, f"{table}: delta-rs reads {rows} rows, DuckDB {duck.num_rows}"
        assert sorted(duck.column_names) == sorted(SCHEMAS[table]), f"{table}: DuckDB reads columns {duck.column_names}"
        if isinstance(lakehouse, pathlib.Path):
            import polars

            frame = polars.read_delta(str(path))
            assert frame.height == rows, f"{table}: delta-rs reads {rows} rows, polars {frame.height}"
            assert sorted(frame.columns) == sorted(SCHEMAS[table]), f"{table}: polars reads columns {frame.columns}"
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


def check_bronze_row(table, r):
    """One Bronze (or quarantine) row keeps the record as Kafka gave it: key / value text is valid UTF-8
    or null (no key, tombstone); a key or value that is not UTF-8 has its exact bytes in key_bytes /
    value_bytes and its text with each ill-formed sequence replaced by U+FFFD (Python's decoder
    follows the same Unicode practice); the bytes columns are null for every other record."""
    where = f"{table} {r['kafka_cluster_id']}/{r['partition']}/{r['offset']}"
    assert isinstance(r["kafka_cluster_id"], str) and r["kafka_cluster_id"], f"{where}: kafka_cluster_id {r['kafka_cluster_id']!r}"
    for part in ("key", "value"):
        text, raw = r[part], r[f"{part}_bytes"]
        if raw is None:
            if text is not None:
                text.encode("utf-8")  # a str from Arrow; raises on a surrogate
            continue
        raw = bytes(raw)
        try:
            raw.decode("utf-8")
            raise AssertionError(f"{where}: {part}_bytes {raw[:60]!r} is valid UTF-8, yet not null")
        except UnicodeDecodeError:
            pass
        assert text == raw.decode("utf-8", "replace"), (
            f"{where}: {part} {text[:60]!r} is not {part}_bytes {raw[:60]!r} with U+FFFD for ill-formed sequences")


def _epoch_order(bronze):
    """Broker epochs (kafka_cluster_id) in the order they were ingested: {cluster id: index}."""
    first = {}
    for r in bronze:
        c = r["kafka_cluster_id"]
        first[c] = min(first.get(c, r["ingest_time"]), r["ingest_time"])
    return {c: i for i, c in enumerate(sorted(first, key=first.get))}


def check_silver_and_quarantine(lakehouse, source, keyed_by_station=True):
    """Replays Silver's rules over Bronze: the accepted records are exactly Silver's rows (as a
    multiset, with derived columns), the rejected ones exactly quarantine's (cluster, partition,
    offset)s, each with a reason and its Bronze columns. With `keyed_by_station`, every accepted
    record's key is its station_id (the producers' rule). Returns the station -> partition map (of
    accepted records: each station must be on one partition), the accepted records per partition in
    the order the engine reads them [((epoch, offset), row)] (epochs one after the other), and the
    quarantine reasons."""
    silver_table, quarantine_table = SOURCES[source]
    fields = BIKE_FIELDS if source == "bike" else WEATHER_FIELDS
    bronze = read_table(lakehouse, f"bronze/{source}")
    epochs = _epoch_order(bronze)
    accepted, rejected = [], {}
    station_partition = {}
    by_partition = defaultdict(list)
    for r in bronze:
        check_bronze_row(f"bronze/{source}", r)
        try:
            row = silver_row(r, fields)
        except Invalid as e:
            rejected[(r["kafka_cluster_id"], r["partition"], r["offset"])] = (r, str(e))
            continue
        if keyed_by_station:
            assert row["station_id"] == r["key"], f"{source} {r['partition']}/{r['offset']}: key {r['key']} != {row['station_id']}"
        station_partition.setdefault(row["station_id"], set()).add(r["partition"])
        accepted.append(row)
        by_partition[r["partition"]].append(((epochs[r["kafka_cluster_id"]], r["offset"]), row))
    multi = {k: v for k, v in station_partition.items() if len(v) > 1}
    assert not multi, f"{source}: stations on more than one partition: {multi}"
    station_partition = {k: next(iter(v)) for k, v in station_partition.items()}
    for rows in by_partition.values():
        rows.sort(key=lambda t: t[0])

    # quarantine: exactly the rejected records, each with a reason and its Bronze columns
    quarantine = read_table(lakehouse, quarantine_table)

    def qkey(q):
        return (q["kafka_cluster_id"], q["partition"], q["offset"])

    q_keys = Counter(qkey(q) for q in quarantine)
    doubled = sorted(k for k, n in q_keys.items() if n > 1)
    assert not doubled, f"{quarantine_table}: (cluster, partition, offset) twice: {doubled[:20]}"
    wrongly_quarantined = sorted(set(q_keys) - set(rejected))
    not_quarantined = sorted(set(rejected) - set(q_keys))
    assert not wrongly_quarantined, (
        f"{quarantine_table}: valid records quarantined: "
        + "; ".join(f"{k}: {q['value']!r:.200} ({q['reason']})" for q in quarantine if qkey(q) in wrongly_quarantined[:5]))
    assert not not_quarantined, (
        f"{quarantine_table}: invalid records missing from quarantine: "
        + "; ".join(f"{k}: {rejected[k][1]} {rejected[k][0]['value']!r:.200}" for k in not_quarantined[:5]))
    for q in quarantine:
        b, why = rejected[qkey(q)]
        where = f"{quarantine_table} {q['partition']}/{q['offset']}"
        assert isinstance(q["reason"], str) and q["reason"].strip(), f"{where}: empty reason"
        for column in ("key", "value", "topic", "kafka_timestamp", "kafka_timestamp_type", "key_bytes", "value_bytes"):
            assert q[column] == b[column], f"{where}: {column} differs from Bronze"
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


FAR_AHEAD_US = 7 * DAY_US
JUMP_CONFIRMATIONS = 3


def replay_watermark(by_partition):
    """Gold's watermark rule replayed over each partition's accepted records in read order: before a
    record, watermark = max event_time of the partition's earlier on-time records - 15 min; a record
    below it is late. A record more than 7 days past that max is held out ("ahead") and moves nothing,
    unless it is the 3rd such record in a row, which is on time. Returns {"late": [...], "ahead":
    [...]} as [(partition, position, station_id, event_time)], and {"max": {partition: max}}.
    Three records in a row more than 7 days below the max re-anchor it in the engine (dropping open
    windows); these checks do not model that, so such data fails here rather than checking wrongly."""
    late, ahead, highs = [], [], {}
    for p, rows in by_partition.items():
        high, run = None, 0
        for position, row in rows:
            t = row["event_time"]
            entry = (p, position, row["station_id"], t)
            if high is None:
                high = t
                continue
            if t < high - WATERMARK_DELAY_US:
                if t < high - FAR_AHEAD_US:
                    run = min(run, 0) - 1
                    assert -run < JUMP_CONFIRMATIONS, f"partition {p} at {position}: a re-anchor, which the checks do not model"
                else:
                    run = 0
                late.append(entry)
                continue
            if t > high + FAR_AHEAD_US:
                run = max(run, 0) + 1
                if run < JUMP_CONFIRMATIONS:
                    ahead.append(entry)
                    continue
            run = 0
            high = max(high, t)
        highs[p] = high
    return {"late": late, "ahead": ahead, "max": highs}


def late_records(by_partition):
    """Records that are late by the watermark rule, replayed in offset order:
    [(partition, offset, station_id, event_time)] (records held out as far ahead are not late)."""
    return replay_watermark(by_partition)["late"]


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


def check_gold_finite(lakehouse, con):
    """No Gold double is NaN or infinite (Silver's ranges keep every mean finite)."""
    for table in GOLD_TABLES:
        doubles = [n for n, t in SCHEMAS[table].items() if t == "double"]
        if not doubles:
            continue
        bad = con.execute(
            f"SELECT station_id, window_start, {', '.join(doubles)} FROM delta_scan('{lakehouse / table}') WHERE "
            + " OR ".join(f"isnan({n}) OR isinf({n})" for n in doubles) + " LIMIT 5").fetchall()
        assert not bad, f"{table}: NaN or infinite values: {bad}"


def check_gold_unique_at_every_version(lakehouse):
    """(station_id, window_start) unique in every Gold table at every version, read by delta-rs.
    Returns {table: versions checked}."""
    checked = {}
    for table in GOLD_TABLES:
        path = str(lakehouse / table)
        latest = DeltaTable(path).version()
        for version in range(latest + 1):
            rows = DeltaTable(path, version=version).to_pyarrow_table(columns=["station_id", "window_start"])
            keys = Counter(zip(rows.column("station_id").to_pylist(), rows.column("window_start").to_pylist()))
            doubled = [k for k, n in keys.items() if n > 1]
            assert not doubled, f"{table} version {version}: (station_id, window_start) more than once: {doubled[:10]}"
        checked[table] = latest + 1
    return checked


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


def check_gold_against_silver(lakehouse, con, station_partitions, held_out=None):
    """Every Gold row equals the aggregate DuckDB recomputes from Silver for its station and window,
    and Gold holds exactly the windows whose end is at or below their partition's final watermark
    (max event_time of the partition's Gold records - 15 min). `station_partitions` is {source:
    {station_id: partition}}; `held_out` is {source: [(station_id, event_time µs)]}, the Silver rows
    kept out of Gold (late and ahead ones, `replay_watermark`); without it, none may be (callers
    check). Each held-out (station, time) must name exactly as many Silver rows as it lists, or the
    check could not tell them from the others. Returns {table: rows checked}."""
    for source, mapping in station_partitions.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE station_partition_{source} (station_id VARCHAR, part INTEGER)")
        con.executemany(f"INSERT INTO station_partition_{source} VALUES (?, ?)", sorted(mapping.items()))
        listed = Counter((held_out or {}).get(source, []))
        con.execute(f"CREATE OR REPLACE TEMP TABLE held_out_{source} (station_id VARCHAR, t BIGINT)")
        if listed:
            con.executemany(f"INSERT INTO held_out_{source} VALUES (?, ?)", sorted(listed))
            silver = SOURCES[source][0]
            found = dict(((r[0], r[1]), r[2]) for r in con.execute(
                f"SELECT s.station_id, epoch_us(s.event_time), count(*) FROM delta_scan('{lakehouse / silver}') s "
                f"JOIN held_out_{source} h ON s.station_id = h.station_id AND epoch_us(s.event_time) = h.t "
                "GROUP BY 1, 2").fetchall())
            assert found == dict(listed), f"{silver}: held-out rows {dict(listed)} match Silver rows {found}"
    checked = {}
    for table, (silver, length, dt_from_start, columns) in GOLD_SPECS.items():
        source = "bike" if "bike" in silver else "weather"
        aggregates = ", ".join(f"{sql} AS {name}" for name, sql, _ in columns)
        expected_sql = f"""
            WITH s AS (
                SELECT s.*, m.part, epoch_us(s.event_time) AS t
                FROM delta_scan('{lakehouse / silver}') s JOIN station_partition_{source} m USING (station_id)
                WHERE NOT EXISTS (SELECT 1 FROM held_out_{source} h
                                  WHERE h.station_id = s.station_id AND h.t = epoch_us(s.event_time))),
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
