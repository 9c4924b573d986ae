"""Hostile Kafka records end to end (ARCHITECTURE.md § Tables, Silver's rules and the watermark): a
confluent-kafka producer sends raw-byte keys and values that break every rule we could think of,
interleaved with a valid stream, into `pulse-tui broker`; `pulse-tui stream` ingests them. Each record
is looked up in Bronze by the (partition, offset) its delivery report gave and must be where the
contract puts it: Bronze keeps it exactly (text columns valid UTF-8, exact bytes beside them), Silver
holds the valid ones, quarantine the rest with the reason of the rule broken. Every table loads in
full in delta-rs, DuckDB and polars; Gold stays unique and finite, and one record dated 2199 does not
make the rest of its partition late.

A second test runs the whole program twice on one lakehouse without --start: the second run is a
new broker epoch whose simulated clock continues after the first run's events, and Gold stays
unique at every table version.
"""
import datetime
import json
import re
import signal
import subprocess
from collections import Counter, defaultdict

import pytest
from deltalake import DeltaTable

from conftest import duckdb_connection, inspect, log_lines, run_pulse, start_pulse, stop_process
from medallion_checks import (
    BIKE_FIELDS, GOLD_TABLES, HOUR_US, MINUTE_US, TABLES, WATERMARK_DELAY_US, WEATHER_FIELDS, Invalid,
    check_bronze_offsets, check_gold_against_silver, check_gold_finite, check_gold_unique,
    check_gold_unique_at_every_version, check_silver_and_quarantine, check_tables_load, read_table,
    replay_watermark, silver_row, to_micros,
)
from test_crash import broker_address
from test_real_broker import STATIONS as CATALOGUE

PARTITIONS = 3
UTC = datetime.timezone.utc
T0 = datetime.datetime(2025, 8, 20, 18, 0, tzinfo=UTC)
BIKE_SLOT, WEATHER_SLOT = datetime.timedelta(minutes=10), datetime.timedelta(minutes=15)
BIKE_SLOTS, WEATHER_SLOTS = 54, 36  # 9 simulated hours from 18:00: the 2025-08-20 day window closes
STREAM_STATIONS = ["S001", "S002", "S003", "S004", "S005", "S006"]
CITY = {sid: city for sid, city, _ in CATALOGUE}
DOCKS = {sid: docks for sid, _, docks in CATALOGUE}
MB = 1 << 20


def partition_of(station_id):
    """The partition `pulse-tui produce` gives a station: a station's records share one, as Gold needs."""
    return (int(station_id[1:]) - 1) % PARTITIONS


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def micros(t):
    return (t - datetime.datetime(1970, 1, 1, tzinfo=UTC)) // datetime.timedelta(microseconds=1)


class Raw(bytes):
    """Bytes written into a JSON text as they are (a token, a broken string, anything)."""


def obj(pairs):
    """A JSON object text (bytes) from (name, value) pairs in order: str names and values are
    JSON-encoded (UTF-8, not ASCII-escaped), Raw ones are written as they are."""
    def enc(v):
        return bytes(v) if isinstance(v, Raw) else json.dumps(v, ensure_ascii=False).encode()

    return b"{" + b",".join(enc(k) + b":" + enc(v) for k, v in pairs) + b"}"


def bike_pairs(sid, t, available=None, **over):
    """The bike producer's fields in its order; `t` a datetime or an event_time text."""
    docks = DOCKS.get(sid, 20)
    available = docks // 2 if available is None else available
    pairs = {"bike_city": CITY.get(sid, "Nowhere"), "station_id": sid, "docks_total": docks,
             "bikes_available": available, "bikes_occupied": docks - available, "docks_available": available,
             "event_time": t if isinstance(t, (str, Raw)) else iso(t)}
    pairs.update(over)
    return list(pairs.items())


def weather_pairs(sid, t, **over):
    pairs = {"station_id": sid, "weather_city": CITY.get(sid, "Nowhere"), "temp_c": 18.5, "precip_mm": 0.2,
             "humidity": 70, "wind_kph": 12.5, "pressure_mb": 1012, "condition": "Cloudy",
             "event_time": t if isinstance(t, (str, Raw)) else iso(t)}
    pairs.update(over)
    return list(pairs.items())


def drop(pairs, name):
    return [(k, v) for k, v in pairs if k != name]


class Silver:
    """Expected outcome: Silver accepts the record; `want` are Silver column values to find in its row."""

    def __init__(self, **want):
        self.want = want


class Quarantine:
    """Expected outcome: quarantine, with a reason containing `reason`."""

    def __init__(self, reason):
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# The hostile records. Each case is (topic, name, build) where build(t) -> (station for the
# partition or None, key bytes or None, value bytes or None, expected outcome); `t` is an event time
# on the station's stream (unique per case), so accepted records are on time.

def bike_cases():
    S = "S004"  # partition 0, beside S001 and its 2199 record
    cases = [
        # keys
        ("key not UTF-8", lambda t: (S, b"S0\xff4", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key overlong", lambda t: (S, b"\xc0\xaf", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key CESU surrogate", lambda t: (S, b"\xed\xa0\x80", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key above U+10FFFF", lambda t: (S, b"\xf4\x90\x80\x80", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key lone continuation", lambda t: (S, b"\x80S004", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key truncated sequence", lambda t: (S, b"S004\xe2\x82", obj(bike_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("key and value not UTF-8", lambda t: (S, b"\xff", b'{"bike_city":"\xff"}', Quarantine("key is not valid UTF-8"))),
        ("key with NUL", lambda t: (S, b"S\x00004", obj(bike_pairs(S, t)), Silver(station_id=S))),
        ("no key", lambda t: (S, None, obj(bike_pairs(S, t)), Silver(station_id=S))),
        ("empty key", lambda t: (S, b"", obj(bike_pairs(S, t)), Silver(station_id=S))),
        ("key with BOM", lambda t: (S, b"\xef\xbb\xbfS004", obj(bike_pairs(S, t)), Silver(station_id=S))),
        ("10 kB key", lambda t: (S, "S004-\u00e9\u20ac\U0001f600".encode() * 700, obj(bike_pairs(S, t)), Silver(station_id=S))),
        # tombstones and empty values
        ("tombstone", lambda t: (S, b"S004", None, Quarantine("tombstone: the record has no value"))),
        ("tombstone without key", lambda t: (S, None, None, Quarantine("tombstone: the record has no value"))),
        ("tombstone, key not UTF-8", lambda t: (S, b"\xfe\xff", None, Quarantine("tombstone: the record has no value"))),
        ("empty value", lambda t: (None, b"S004", b"", Quarantine("not JSON"))),
        ("whitespace only", lambda t: (None, b"S004", b" \t\r\n  ", Quarantine("not JSON"))),
        ("NUL byte", lambda t: (None, b"S004", b"\x00", Quarantine("not JSON"))),
        ("JSON then NUL", lambda t: (S, b"S004", obj(bike_pairs(S, t)) + b"\x00", Quarantine("not JSON"))),
        ("raw NUL in a string", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"Bos\x00ton"'))), Quarantine("not JSON"))),
        ("escaped NUL in an extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("note", "a\u0000b")]), Silver(station_id=S))),
        ("escaped NUL in station_id", lambda t: (S, b"S004", obj(bike_pairs(S, t, station_id="S004\u0000")), Quarantine("unknown station"))),
        # value bytes that are not UTF-8
        ("value not UTF-8 in a string", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"Bost\xffon"'))), Quarantine("value is not valid UTF-8"))),
        ("value not UTF-8 outside strings", lambda t: (S, b"S004", obj(bike_pairs(S, t))[:-1] + b",\xff}", Quarantine("value is not valid UTF-8"))),
        ("value truncated sequence", lambda t: (S, b"S004", obj(bike_pairs(S, t)) + b"\xe2\x82", Quarantine("value is not valid UTF-8"))),
        ("value raw CESU surrogate", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\xed\xa0\x80"'))), Quarantine("value is not valid UTF-8"))),
        ("value raw CESU pair", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\xed\xa0\xbd\xed\xb8\x80"'))), Quarantine("value is not valid UTF-8"))),
        ("value overlong slash", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\xc0\xaf"'))), Quarantine("value is not valid UTF-8"))),
        ("value Latin-1", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city="Z\u00fcrich")).replace("\u00fc".encode(), b"\xfc"), Quarantine("value is not valid UTF-8"))),
        ("value UTF-16", lambda t: (S, b"S004", b"\xff\xfe" + obj(bike_pairs(S, t)).decode().encode("utf-16-le"), Quarantine("value is not valid UTF-8"))),
        ("value random bytes", lambda t: (None, b"S004", bytes(range(256)) * 4, Quarantine("value is not valid UTF-8"))),
        # BOM
        ("BOM before JSON", lambda t: (S, b"S004", b"\xef\xbb\xbf" + obj(bike_pairs(S, t)), Quarantine("not JSON"))),
        ("BOM after JSON", lambda t: (S, b"S004", obj(bike_pairs(S, t)) + b"\xef\xbb\xbf", Quarantine("not JSON"))),
        ("BOM inside a city", lambda t: ("S010", b"S010", obj(bike_pairs("S010", t, bike_city="\ufeffLynn")), Silver(station_id="S010", bike_city="\ufeffLynn"))),
        ("emoji city", lambda t: ("S011", b"S011", obj(bike_pairs("S011", t, bike_city="Fall River \U0001f6b2")), Silver(station_id="S011", bike_city="Fall River \U0001f6b2"))),
        ("escaped surrogate pair", lambda t: ("S012", b"S012", obj(bike_pairs("S012", t, bike_city=Raw(b'"New Bedford \\ud83d\\udeb2"'))), Silver(station_id="S012", bike_city="New Bedford \U0001f6b2"))),
        # nesting
        ("100k-deep arrays", lambda t: (None, b"S004", b"[" * 100_000 + b"]" * 100_000, Quarantine("not JSON"))),
        ("100k-deep objects", lambda t: (None, b"S004", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, Quarantine("not JSON"))),
        ("100k unclosed arrays", lambda t: (None, b"S004", b"[" * 100_000, Quarantine("not JSON"))),
        ("128 levels (the limit)", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("deep", Raw(b"[" * 127 + b"]" * 127))]), Silver(station_id=S))),
        ("129 levels", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("deep", Raw(b"[" * 128 + b"]" * 128))]), Quarantine("not JSON"))),
        ("nested array as a count", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"[[[[20]]]]"))), Quarantine("wrong type docks_total"))),
        ("array of the record", lambda t: (S, b"S004", b"[" + obj(bike_pairs(S, t)) + b"]", Quarantine("not an object"))),
        ("a string", lambda t: (S, b"S004", json.dumps(obj(bike_pairs(S, t)).decode()).encode(), Quarantine("not an object"))),
        # duplicate names
        ("station_id twice", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("station_id", "S004")]), Quarantine("duplicate field station_id"))),
        ("station_id twice, escaped", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [(Raw(b'"station\\u005fid"'), "S001")]), Quarantine("duplicate field station_id"))),
        ("extra field twice", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", 1), ("x", 2)]), Silver(station_id=S))),
        ("known name twice, nested", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("meta", Raw(b'{"station_id":1,"station_id":2}'))]), Silver(station_id=S))),
        # non-JSON numbers and literals
        ("NaN count", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_available=Raw(b"NaN"))), Quarantine("not JSON"))),
        ("Infinity in an extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", Raw(b"Infinity"))]), Quarantine("not JSON"))),
        ("-Infinity in an extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", Raw(b"-Infinity"))]), Quarantine("not JSON"))),
        ("count as the string NaN", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total="NaN")), Quarantine("wrong type docks_total"))),
        ("leading zero", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"028"))), Quarantine("not JSON"))),
        ("plus sign", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"+28"))), Quarantine("not JSON"))),
        ("hex", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"0x1c"))), Quarantine("not JSON"))),
        ("true as a count", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=True)), Quarantine("wrong type docks_total"))),
        ("null count", lambda t: (S, b"S004", obj(bike_pairs(S, t, bikes_occupied=None)), Quarantine("wrong type bikes_occupied"))),
        # integers
        ("int32 max + 1", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=2**31)), Quarantine("integer out of range docks_total"))),
        ("int32 min - 1", lambda t: (S, b"S004", obj(bike_pairs(S, t, bikes_available=-(2**31) - 1)), Quarantine("integer out of range bikes_available"))),
        ("huge integer", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"9" * 30))), Quarantine("integer out of range docks_total"))),
        ("integer with fraction", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"28.0"))), Quarantine("wrong type docks_total"))),
        ("integer with exponent", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=Raw(b"2.8e1"))), Quarantine("wrong type docks_total"))),
        ("1e400 in an extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", Raw(b"1e400"))]), Silver(station_id=S))),
        ("10000-digit integer in an extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", Raw(b"7" * 10_000))]), Silver(station_id=S))),
        ("minus zero count", lambda t: (S, b"S004", obj(bike_pairs(S, t, available=0, docks_available=Raw(b"-0"))), Silver(station_id=S, docks_available=0))),
        # counts: ranges
        ("docks_total 1001", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=1001)), Quarantine("implausible docks_total 1001"))),
        ("docks_total 1000", lambda t: ("S013", b"S013", obj(bike_pairs("S013", t, docks_total=1000, bikes_available=400, bikes_occupied=600)), Silver(station_id="S013", docks_total=1000))),
        ("docks_total 0", lambda t: ("S014", b"S014", obj(bike_pairs("S014", t, docks_total=0, bikes_available=0, bikes_occupied=0, docks_available=0)), Silver(station_id="S014", availability_rate=None))),
        ("negative docks_total", lambda t: (S, b"S004", obj(bike_pairs(S, t, docks_total=-5)), Quarantine("negative count docks_total"))),
        ("negative bikes_available", lambda t: (S, b"S004", obj(bike_pairs(S, t, bikes_available=-1)), Quarantine("negative count bikes_available"))),
        ("bikes_occupied above docks_total", lambda t: (S, b"S004", obj(bike_pairs(S, t, bikes_occupied=99)), Quarantine("bikes_occupied out of range"))),
        # event times
        ("year 10000 UTC", lambda t: (S, b"S004", obj(bike_pairs(S, "9999-12-31T23:59:59-00:01")), Quarantine("implausible event_time"))),
        ("year 0000", lambda t: (S, b"S004", obj(bike_pairs(S, "0000-01-01T00:00:00Z")), Quarantine("implausible event_time"))),
        ("year 0000 Feb 29", lambda t: (S, b"S004", obj(bike_pairs(S, "0000-02-29T12:00:00Z")), Quarantine("implausible event_time"))),
        ("year -0001", lambda t: (S, b"S004", obj(bike_pairs(S, "-0001-01-01T00:00:00Z")), Quarantine("unparsable event_time"))),
        ("year +10000", lambda t: (S, b"S004", obj(bike_pairs(S, "+10000-01-01T00:00:00Z")), Quarantine("unparsable event_time"))),
        ("2200-01-01", lambda t: (S, b"S004", obj(bike_pairs(S, "2200-01-01T00:00:00Z")), Quarantine("implausible event_time"))),
        ("1969-12-31", lambda t: (S, b"S004", obj(bike_pairs(S, "1969-12-31T23:59:59Z")), Quarantine("implausible event_time"))),
        ("1969 by offset", lambda t: (S, b"S004", obj(bike_pairs(S, "1970-01-01T00:30:00+01:00")), Quarantine("implausible event_time"))),
        ("leap second", lambda t: (S, b"S004", obj(bike_pairs(S, "2025-08-20T23:59:60Z")), Quarantine("unparsable event_time"))),
        ("Feb 29 2025", lambda t: (S, b"S004", obj(bike_pairs(S, "2025-02-29T00:00:00Z")), Quarantine("unparsable event_time"))),
        ("space for T", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t).replace("T", " "))), Quarantine("unparsable event_time"))),
        ("no zone", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t)[:-1])), Quarantine("unparsable event_time"))),
        ("10 fraction digits", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t)[:-1] + ".1234567890Z")), Quarantine("unparsable event_time"))),
        ("offset 24:00", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t)[:-1] + "+24:00")), Quarantine("unparsable event_time"))),
        ("Arabic-Indic digits", lambda t: (S, b"S004", obj(bike_pairs(S, "\u0662\u0660\u0662\u0665" + iso(t)[4:])), Quarantine("unparsable event_time"))),
        ("trailing newline", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t) + "\n")), Quarantine("unparsable event_time"))),
        ("event_time a number", lambda t: (S, b"S004", obj(bike_pairs(S, Raw(b"1755712800"))), Quarantine("wrong type event_time"))),
        ("escaped Z", lambda t: (S, b"S004", obj(bike_pairs(S, Raw(f'"{iso(t)[:-1]}\\u005a"'.encode()))), Silver(station_id=S, event_time=micros(t)))),
        ("lower-case t and z", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t).replace("T", "t").replace("Z", "z"))), Silver(station_id=S, event_time=micros(t)))),
        ("offset +0530", lambda t: (S, b"S004", obj(bike_pairs(S, (t + datetime.timedelta(hours=5, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S+0530"))), Silver(station_id=S, event_time=micros(t)))),
        ("nanoseconds", lambda t: (S, b"S004", obj(bike_pairs(S, iso(t)[:-1] + ".123456789Z")), Silver(station_id=S, event_time=micros(t) + 123456))),
        # shape
        ("missing field", lambda t: (S, b"S004", obj(drop(bike_pairs(S, t), "docks_available")), Quarantine("missing field docks_available"))),
        ("unknown station", lambda t: (None, b"S031", obj(bike_pairs("S031", t)), Quarantine("unknown station"))),
        ("lower-case station", lambda t: (None, b"s004", obj(bike_pairs("s004", t)), Quarantine("unknown station"))),
        ("station_id a number", lambda t: (S, b"S004", obj(bike_pairs(S, t, station_id=4)), Quarantine("wrong type station_id"))),
        ("station_id an object", lambda t: (S, b"S004", obj(bike_pairs(S, t, station_id=Raw(b'{"id":"S004"}'))), Quarantine("wrong type station_id"))),
        ("escaped station_id", lambda t: (S, b"S004", obj(bike_pairs(S, t, station_id=Raw(b'"S\\u0030\\u0030\\u0034"'))), Silver(station_id=S))),
        ("every name escaped", lambda t: (S, b"S004", obj([(Raw(json.dumps(k).encode().replace(b"_", b"\\u005f").replace(b"e", b"\\u0065")), v) for k, v in bike_pairs(S, t)]), Silver(station_id=S))),
        ("reversed order and whitespace", lambda t: (S, b"S004", b" \r\n\t{ " + b" ,\n\t ".join(json.dumps(k).encode() + b"\t: " + json.dumps(v).encode() for k, v in bike_pairs(S, t)[::-1]) + b"\r\n}\n ", Silver(station_id=S))),
        ("extra fields", lambda t: (S, b"S004", obj([("schema", 2)] + bike_pairs(S, t) + [("extra", {"a": [1, 2.5, None, True]}), ("", "")]), Silver(station_id=S))),
        ("1 MB extra field", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("blob", "x\u00e9" * (MB // 3))]), Silver(station_id=S))),
        ("1 MB of garbage", lambda t: (None, b"S004", b"{" * MB, Quarantine("not JSON"))),
        ("comment", lambda t: (S, b"S004", b"/* hi */" + obj(bike_pairs(S, t)), Quarantine("not JSON"))),
        ("single quotes", lambda t: (S, b"S004", obj(bike_pairs(S, t)).replace(b'"', b"'"), Quarantine("not JSON"))),
        ("trailing comma", lambda t: (S, b"S004", obj(bike_pairs(S, t))[:-1] + b",}", Quarantine("not JSON"))),
        ("two objects", lambda t: (S, b"S004", obj(bike_pairs(S, t)) * 2, Quarantine("not JSON"))),
        ("raw tab in a string", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"Bos\tton"'))), Quarantine("not JSON"))),
        ("bad escape", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"Bos\\xton"'))), Quarantine("not JSON"))),
        ("short \\u escape", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"Bos\\u12"'))), Quarantine("not JSON"))),
        # lone surrogates
        ("lone high surrogate", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\\ud800"'))), Quarantine("not JSON"))),
        ("lone low surrogate", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\\udc00"'))), Quarantine("not JSON"))),
        ("high surrogate then A", lambda t: (S, b"S004", obj(bike_pairs(S, t, bike_city=Raw(b'"\\ud800\\u0041"'))), Quarantine("not JSON"))),
        ("lone surrogate in a name", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [(Raw(b'"\\udfff"'), 1)]), Quarantine("not JSON"))),
        ("lone surrogate, then its name again", lambda t: (S, b"S004", obj(bike_pairs(S, t) + [("x", Raw(b'"\\ud800"')), ("x", 1)]), Quarantine("not JSON"))),
    ]
    return [("bike", name, build) for name, build in cases]


def weather_cases():
    S = "S005"  # partition 1
    cases = [
        ("key not UTF-8", lambda t: (S, b"S00\xc35", obj(weather_pairs(S, t)), Quarantine("key is not valid UTF-8"))),
        ("tombstone", lambda t: (S, b"S005", None, Quarantine("tombstone: the record has no value"))),
        ("value not UTF-8", lambda t: (S, b"S005", obj(weather_pairs(S, t, condition=Raw(b'"Cloudy\xf5"'))), Quarantine("value is not valid UTF-8"))),
        ("NaN temp", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"NaN"))), Quarantine("not JSON"))),
        ("Infinity temp", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"Infinity"))), Quarantine("not JSON"))),
        ("1e400 temp", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"1e400"))), Quarantine("number out of range temp_c"))),
        ("-1e400 wind", lambda t: (S, b"S005", obj(weather_pairs(S, t, wind_kph=Raw(b"-1e400"))), Quarantine("number out of range wind_kph"))),
        ("10000-digit temp", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"9" * 10_000))), Quarantine("number out of range temp_c"))),
        ("1e-400 precip", lambda t: (S, b"S005", obj(weather_pairs(S, t, precip_mm=Raw(b"1e-400"))), Silver(station_id=S, precip_mm=0.0))),
        ("30 significant digits", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"12.3456789012345678901234567890"))), Silver(station_id=S, temp_c=float("12.3456789012345678901234567890")))),
        ("integer temp", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=Raw(b"-7"))), Silver(station_id=S, temp_c=-7.0))),
        ("exponent wind", lambda t: (S, b"S005", obj(weather_pairs(S, t, wind_kph=Raw(b"1.25E+1"))), Silver(station_id=S, wind_kph=12.5))),
        ("humidity 50.0", lambda t: (S, b"S005", obj(weather_pairs(S, t, humidity=Raw(b"50.0"))), Quarantine("wrong type humidity"))),
        ("temp -90 (the limit)", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=-90)), Silver(station_id=S, temp_c=-90.0))),
        ("temp 60 (the limit)", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=60.0)), Silver(station_id=S, temp_c=60.0))),
        ("temp -90.1", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=-90.1)), Quarantine("implausible temp_c"))),
        ("temp 60.0001", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=60.0001)), Quarantine("implausible temp_c"))),
        ("precip -0.1", lambda t: (S, b"S005", obj(weather_pairs(S, t, precip_mm=-0.1)), Quarantine("implausible precip_mm"))),
        ("precip 500.5", lambda t: (S, b"S005", obj(weather_pairs(S, t, precip_mm=500.5)), Quarantine("implausible precip_mm"))),
        ("humidity 101", lambda t: (S, b"S005", obj(weather_pairs(S, t, humidity=101)), Quarantine("implausible humidity 101"))),
        ("humidity -1", lambda t: (S, b"S005", obj(weather_pairs(S, t, humidity=-1)), Quarantine("implausible humidity -1"))),
        ("humidity 100", lambda t: (S, b"S005", obj(weather_pairs(S, t, humidity=100)), Silver(station_id=S, humidity=100))),
        ("wind 500.1", lambda t: (S, b"S005", obj(weather_pairs(S, t, wind_kph=500.1)), Quarantine("implausible wind_kph"))),
        ("wind -1", lambda t: (S, b"S005", obj(weather_pairs(S, t, wind_kph=-1)), Quarantine("implausible wind_kph"))),
        ("pressure 849", lambda t: (S, b"S005", obj(weather_pairs(S, t, pressure_mb=849)), Quarantine("implausible pressure_mb 849"))),
        ("pressure 1101", lambda t: (S, b"S005", obj(weather_pairs(S, t, pressure_mb=1101)), Quarantine("implausible pressure_mb 1101"))),
        ("pressure 850", lambda t: (S, b"S005", obj(weather_pairs(S, t, pressure_mb=850)), Silver(station_id=S, pressure_mb=850))),
        # the first failing range is the reason: event_time, temp_c, precip_mm, humidity, wind_kph, pressure_mb
        ("every range broken", lambda t: (S, b"S005", obj(weather_pairs(S, "2200-06-01T00:00:00Z", temp_c=99, precip_mm=-1, humidity=900, wind_kph=-5, pressure_mb=1)), Quarantine("implausible event_time"))),
        ("all but event_time broken", lambda t: (S, b"S005", obj(weather_pairs(S, t, temp_c=99, precip_mm=-1, humidity=900, wind_kph=-5, pressure_mb=1)), Quarantine("implausible temp_c"))),
        ("precip and later broken", lambda t: (S, b"S005", obj(weather_pairs(S, t, precip_mm=-1, humidity=900, wind_kph=-5, pressure_mb=1)), Quarantine("implausible precip_mm"))),
        ("humidity and later broken", lambda t: (S, b"S005", obj(weather_pairs(S, t, humidity=900, wind_kph=-5, pressure_mb=1)), Quarantine("implausible humidity"))),
        ("wind and pressure broken", lambda t: (S, b"S005", obj(weather_pairs(S, t, wind_kph=-5, pressure_mb=1)), Quarantine("implausible wind_kph"))),
        ("year 10000 UTC", lambda t: (S, b"S005", obj(weather_pairs(S, "9999-12-31T23:59:59-00:01")), Quarantine("implausible event_time"))),
        ("year 0000", lambda t: (S, b"S005", obj(weather_pairs(S, "0000-01-01T00:00:00+00:00")), Quarantine("implausible event_time"))),
        ("2200-01-01", lambda t: (S, b"S005", obj(weather_pairs(S, "2200-01-01T00:00:00Z")), Quarantine("implausible event_time"))),
        ("1969-12-31", lambda t: (S, b"S005", obj(weather_pairs(S, "1969-12-31T23:59:59.999999Z")), Quarantine("implausible event_time"))),
        ("leap second", lambda t: (S, b"S005", obj(weather_pairs(S, "2016-12-31T23:59:60Z")), Quarantine("unparsable event_time"))),
        ("condition a number", lambda t: (S, b"S005", obj(weather_pairs(S, t, condition=3)), Quarantine("wrong type condition"))),
        ("missing temp", lambda t: (S, b"S005", obj(drop(weather_pairs(S, t), "temp_c")), Quarantine("missing field temp_c"))),
        ("temp twice", lambda t: (S, b"S005", obj(weather_pairs(S, t) + [("temp_c", 1.0)]), Quarantine("duplicate field temp_c"))),
        ("extra fields, escaped names", lambda t: (S, b"S005", obj([(Raw(json.dumps(k).encode().replace(b"_", b"\\u005F")), v) for k, v in weather_pairs(S, t)] + [("uv", 3)]), Silver(station_id=S))),
        ("emoji condition", lambda t: ("S015", b"S015", obj(weather_pairs("S015", t, condition="\u2614 rain")), Silver(station_id="S015", condition="\u2614 rain"))),
        ("100k-deep nesting", lambda t: (None, b"S005", b'{"a":[' * 100_000, Quarantine("not JSON"))),
        ("lone surrogate", lambda t: (S, b"S005", obj(weather_pairs(S, t, condition=Raw(b'"Rain\\udbff"'))), Quarantine("not JSON"))),
    ]
    return [("weather", name, build) for name, build in cases]


def temp_overflow_cases():
    """Four weather records of S003 in one hour with temp_c 1.7e308: their mean once made an hourly inf."""
    return [("weather", f"temp 1.7e308 #{i}", lambda t: ("S003", b"S003", obj(weather_pairs("S003", t, temp_c=1.7e308)),
                                                        Quarantine("implausible temp_c")))
            for i in range(4)]


OUTLIER_STATION, OUTLIER_TIME = "S001", "2199-12-31T23:59:59Z"  # accepted, 174 years ahead of partition 0
LATE_STATION, LATE_TIME = "S002", "1970-01-01T00:00:00Z"  # accepted, late on partition 1


def stream_records():
    """The valid stream interleaved with the hostile records, in send order:
    [(topic, partition, key, value, case name or None, expected outcome or None)]."""
    out = []

    def valid(topic, sid, t, k):
        if topic == "bike":
            value = obj(bike_pairs(sid, t, available=(k * 7 + int(sid[1:])) % (DOCKS[sid] + 1)))
        else:
            value = obj(weather_pairs(sid, t, temp_c=round(10 + (k % 17) * 0.7, 1), humidity=40 + k % 50,
                                      precip_mm=round((k % 5) * 0.3, 1)))
        out.append((topic, partition_of(sid), sid.encode(), value, None, None))

    for topic, slots, slot, cases in (("bike", BIKE_SLOTS, BIKE_SLOT, bike_cases()),
                                       ("weather", WEATHER_SLOTS, WEATHER_SLOT, weather_cases())):
        placed = defaultdict(list)
        for i, case in enumerate(cases):
            placed[1 + i * (slots - 4) // len(cases)].append(case)
        if topic == "weather":
            placed[10] += temp_overflow_cases()  # one hour: 20:30..20:30 + seconds
        for k in range(slots):
            t = T0 + k * slot
            for sid in STREAM_STATIONS:
                valid(topic, sid, t, k)
            for j, (_, name, build) in enumerate(placed.get(k, [])):
                station, key, value, expect = build(t + datetime.timedelta(seconds=j + 1))
                part = partition_of(station) if station else len(out) % PARTITIONS
                out.append((topic, part, key, value, name, expect))
            if topic == "bike" and k == 20:
                out.append(("bike", partition_of(OUTLIER_STATION), OUTLIER_STATION.encode(),
                            obj(bike_pairs(OUTLIER_STATION, OUTLIER_TIME)), "year 2199 outlier",
                            Silver(station_id=OUTLIER_STATION)))
            if topic == "bike" and k == 30:
                out.append(("bike", partition_of(LATE_STATION), LATE_STATION.encode(),
                            obj(bike_pairs(LATE_STATION, LATE_TIME)), "1970 late record", Silver(station_id=LATE_STATION)))
    return out


def send(address, records):
    """Produces `records` with confluent-kafka (raw bytes, explicit partitions, one request in flight so
    each partition keeps send order) and returns {(topic, partition, offset): index} from the delivery
    reports."""
    from confluent_kafka import Producer

    placed, failures = {}, []

    def report(index):
        def on_delivery(err, msg):
            if err:
                failures.append((index, err))
            else:
                placed[(msg.topic(), msg.partition(), msg.offset())] = index
        return on_delivery

    producer = Producer({"bootstrap.servers": address, "message.max.bytes": 4 * MB, "linger.ms": 5,
                         "max.in.flight.requests.per.connection": 1})
    for index, (topic, part, key, value, _, _) in enumerate(records):
        producer.produce(topic, key=key, value=value, partition=part, on_delivery=report(index))
        producer.poll(0)
    assert producer.flush(60) == 0, "records still queued after 60 s"
    assert not failures, f"{len(failures)} deliveries failed, e.g. {failures[:3]}"
    del producer
    assert len(placed) == len(records)
    return placed


def read_back(address, topic):
    """Every record of `topic` as the broker holds it, read by confluent-kafka:
    {(partition, offset): (key, value)} with None for a null key or value."""
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

    consumer = Consumer({"bootstrap.servers": address, "group.id": f"hostile-{topic}", "enable.partition.eof": True,
                         "enable.auto.commit": False, "fetch.max.bytes": 8 * MB,
                         "max.partition.fetch.bytes": 8 * MB, "receive.message.max.bytes": 16 * MB})
    held, at_end = {}, set()
    try:
        highs = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(PARTITIONS)}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        while len(at_end) < PARTITIONS:
            msg = consumer.poll(10)
            assert msg is not None, f"{topic}: no EOF on partitions {set(range(PARTITIONS)) - at_end}"
            if msg.error():
                assert msg.error().code() == KafkaError._PARTITION_EOF, f"{topic}: {msg.error()}"
                if msg.offset() >= highs[msg.partition()]:
                    at_end.add(msg.partition())
                continue
            held[(msg.partition(), msg.offset())] = (msg.key(), msg.value())
    finally:
        consumer.close()
    return held, highs


def text_and_bytes(raw):
    """What Bronze must hold for a Kafka key or value: (text column, bytes column)."""
    if raw is None:
        return None, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), raw


def summary_counts(stdout, source):
    """(late, ahead, quarantined) the engine reports for `source` in its closing summary."""
    summary = stdout[stdout.index("summary after"):]
    line = re.search(rf"engine {source}: .*", summary)
    assert line, summary
    late = int(re.search(r" late (\d+)", line.group()).group(1))
    quarantined = int(re.search(r" quarantined (\d+)", line.group()).group(1))
    ahead = re.search(r" ahead (\d+)", line.group())
    return late, int(ahead.group(1)) if ahead else 0, quarantined


def test_hostile_records_land_where_the_contract_puts_them(tmp_path):
    records = stream_records()
    cases = [r for r in records if r[4] is not None]
    assert len(cases) >= 100, len(cases)
    assert len({(r[0], r[4]) for r in cases}) == len(cases), "case names repeat"
    lakehouse = tmp_path / "lakehouse"
    logs = tmp_path / "logs"
    started = []
    try:
        broker = start_pulse(["broker", "--partitions", str(PARTITIONS), "--duration", "300",
                              "--log-dir", str(logs / "broker")], cwd=tmp_path, stdout=subprocess.PIPE, stderr=None)
        started.append(broker)
        address = broker_address(broker)
        placed = send(address, records)
        held = {}
        highs = {}
        for topic in ("bike", "weather"):
            held[topic], highs[topic] = read_back(address, topic)
        # the broker holds exactly what was sent, where the delivery reports said
        for (topic, part, offset), index in placed.items():
            _, want_part, key, value, name, _ = records[index]
            assert part == want_part
            assert held[topic][(part, offset)] == (key, value), f"{topic} {name}: the broker holds something else"
        for topic in ("bike", "weather"):
            assert sum(highs[topic].values()) == len(held[topic]) == sum(1 for r in records if r[0] == topic)

        # the engine, started after the records are in, drains them all before --duration ends
        stream = run_pulse(["stream", "--brokers", address, "--lakehouse", str(lakehouse), "--duration", "10",
                            "--trigger", "0.5", "--status-interval", "5", "--log-dir", str(logs / "stream")],
                           cwd=tmp_path, timeout=120)
    finally:
        for proc in reversed(started):
            stop_process(proc, signal.SIGTERM, timeout=10)

    errors = log_lines(logs / "stream", r" (error|critical) ")
    assert not errors, "the engine logged errors:\n" + "\n".join(errors)
    con = duckdb_connection()
    counts = check_tables_load(lakehouse, con, inspect(lakehouse, tmp_path))

    bronze = {}
    for topic in ("bike", "weather"):
        check_bronze_offsets(lakehouse, topic, expected_high=highs[topic])
        for table in (f"bronze/{topic}", f"quarantine/{topic}"):
            ids = con.execute(f"SELECT DISTINCT kafka_cluster_id FROM delta_scan('{lakehouse / table}')").fetchall()
            assert len(ids) == 1 and ids[0][0], f"{table}: kafka_cluster_id values {ids}"
        for r in read_table(lakehouse, f"bronze/{topic}"):
            bronze[(topic, r["partition"], r["offset"])] = r
    cluster_ids = {r["kafka_cluster_id"] for r in bronze.values()}
    assert len(cluster_ids) == 1, cluster_ids

    # Bronze keeps every record exactly: text where it is UTF-8, the exact bytes where it is not
    for (topic, part, offset), index in placed.items():
        _, _, key, value, name, _ = records[index]
        r = bronze[(topic, part, offset)]
        where = f"bronze/{topic} {part}/{offset} ({name or 'valid'})"
        for column, raw in (("key", key), ("value", value)):
            text, exact = text_and_bytes(raw)
            assert r[column] == text, f"{where}: {column} {r[column]!r:.120} != {text!r:.120}"
            assert r[f"{column}_bytes"] == exact, f"{where}: {column}_bytes {r[f'{column}_bytes']!r:.120} != {exact!r:.120}"

    # Silver + quarantine = Bronze, Silver's rules replayed independently
    partitions, accepted = {}, {}
    for source in ("bike", "weather"):
        partitions[source], accepted[source], _ = check_silver_and_quarantine(lakehouse, source, keyed_by_station=False)
        assert counts[f"bronze/{source}"] == counts[f"silver/{source}_events"] + counts[f"quarantine/{source}"]

    # each hostile record where its case says
    quarantine = {}
    for source in ("bike", "weather"):
        for q in read_table(lakehouse, f"quarantine/{source}"):
            quarantine[(source, q["partition"], q["offset"])] = q
    silver = {source: read_table(lakehouse, f"silver/{source}_events") for source in ("bike", "weather")}
    fields = {"bike": BIKE_FIELDS, "weather": WEATHER_FIELDS}
    wrong = []
    for (topic, part, offset), index in sorted(placed.items()):
        _, _, key, value, name, expect = records[index]
        q = quarantine.get((topic, part, offset))
        if expect is None or isinstance(expect, Silver):
            if q is not None:
                wrong.append(f"{topic} {name or 'valid'} ({part}/{offset}): quarantined: {q['reason']}")
                continue
            if expect is None:
                continue
            # the Silver row this record became (found by its independent parse: same values)
            row = silver_row(bronze[(topic, part, offset)], fields[topic])
            matches = [s for s in silver[topic]
                       if all((to_micros(s[n]) if n == "event_time" else s[n]) == row[n] for n, _ in fields[topic])]
            if not matches:
                wrong.append(f"{topic} {name} ({part}/{offset}): not in Silver: {row}")
                continue
            for column, want in expect.want.items():
                got = matches[0][column]
                got = to_micros(got) if column == "event_time" else got
                if got != want:
                    wrong.append(f"{topic} {name}: Silver {column} is {got!r}, expected {want!r}")
        else:
            if q is None:
                wrong.append(f"{topic} {name} ({part}/{offset}): not quarantined")
            elif expect.reason not in q["reason"]:
                wrong.append(f"{topic} {name} ({part}/{offset}): reason {q['reason']!r}, expected {expect.reason!r}")
            else:
                try:
                    silver_row(bronze[(topic, part, offset)], fields[topic])
                    wrong.append(f"{topic} {name}: quarantined, yet the independent parse accepts it")
                except Invalid:
                    pass
    assert not wrong, f"{len(wrong)} records not where the contract puts them:\n" + "\n".join(wrong)

    # the watermark: the 2199 record is held out (ahead), the 1970 one is late, nothing else is either
    held_out = {}
    replays = {}
    for source in ("bike", "weather"):
        replay = replays[source] = replay_watermark(accepted[source])
        held_out[source] = [(station, t) for _, _, station, t in replay["late"] + replay["ahead"]]
    outlier_us = 7_258_118_399_000_000
    assert [(s, t) for _, _, s, t in replays["bike"]["ahead"]] == [(OUTLIER_STATION, outlier_us)], replays["bike"]["ahead"]
    assert [(s, t) for _, _, s, t in replays["bike"]["late"]] == [(LATE_STATION, 0)], replays["bike"]["late"]
    assert replays["weather"]["late"] == [] and replays["weather"]["ahead"] == []
    for source, (late, ahead) in (("bike", (1, 1)), ("weather", (0, 0))):
        reported_late, reported_ahead, reported_quarantined = summary_counts(stream.stdout, source)
        assert (reported_late, reported_ahead) == (late, ahead), f"{source}: the engine reports late {reported_late}, ahead {reported_ahead}"
        assert reported_quarantined == counts[f"quarantine/{source}"]

    check_gold_unique(lakehouse, con)
    check_gold_finite(lakehouse, con)
    checked = check_gold_against_silver(lakehouse, con, partitions, held_out=held_out)
    assert checked["gold/bike_usage_daily"] >= len(STREAM_STATIONS) and checked["gold/weather_daily"] >= len(STREAM_STATIONS), checked
    for table in GOLD_TABLES:
        far = con.execute(f"SELECT count(*) FROM delta_scan('{lakehouse / table}') WHERE year(window_start) > 2100").fetchone()[0]
        assert far == 0, f"{table}: {far} windows from the 2199 record"

    # S001's records after the 2199 one are on time: each of their closed minute and hour windows is in Gold
    outlier_position = next(pos for _, pos, s, t in replays["bike"]["ahead"])
    part = partition_of(OUTLIER_STATION)
    watermark = replays["bike"]["max"][part] - WATERMARK_DELAY_US
    after = [row["event_time"] for pos, row in accepted["bike"][part]
             if pos > outlier_position and row["station_id"] == OUTLIER_STATION]
    assert len(after) >= 30, len(after)
    for table, length in (("gold/bike_minute", MINUTE_US), ("gold/bike_usage_hourly", HOUR_US)):
        got = {ws for (ws,) in con.execute(
            f"SELECT epoch_us(window_start) FROM delta_scan('{lakehouse / table}') WHERE station_id = '{OUTLIER_STATION}'").fetchall()}
        want = {t // length * length for t in after if t // length * length + length <= watermark}
        assert want and want <= got, f"{table}: {OUTLIER_STATION} windows after the 2199 record missing: {sorted(want - got)[:5]}"

    # window-end txns: per station, the end of its latest window in the table (µs)
    for table in GOLD_TABLES:
        ends = dict(con.execute(f"SELECT station_id, max(epoch_us(window_end)) FROM delta_scan('{lakehouse / table}') "
                                "GROUP BY 1").fetchall())
        dt = DeltaTable(str(lakehouse / table))
        for station, end in ends.items():
            assert dt.transaction_version(f"window-end-{station}") == end, (
                f"{table}: txn window-end-{station} is {dt.transaction_version(f'window-end-{station}')}, latest window ends {end}")
    print(f"hostile: {len(cases)} hostile records among {len(records)}; counts {counts}")


# ---------------------------------------------------------------------------------------------
# Two runs on one lakehouse


def accepted_times(bronze_rows, fields):
    """event_time (µs) of each Bronze record Silver accepts, by the independent rules."""
    out = []
    for r in bronze_rows:
        try:
            out.append(silver_row(r, fields)["event_time"])
        except Invalid:
            pass
    return out


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The whole program run twice on one lakehouse without --start (each run its own embedded broker,
    so the second is a new broker epoch). Returns (lakehouse, cwd, the first run's cluster ids)."""
    cwd = tmp_path_factory.mktemp("two-runs")
    lakehouse = cwd / "lakehouse"
    args = ["--no-ui", "--duration", "15", "--speed", "600", "--bike-interval", "0.02", "--weather-interval", "0.05",
            "--lakehouse", str(lakehouse)]
    run_pulse(args, cwd=cwd, timeout=90)
    first_ids = {r["kafka_cluster_id"] for r in read_table(lakehouse, "bronze/bike")}
    run_pulse(args, cwd=cwd, timeout=90)
    return lakehouse, cwd, first_ids


def test_second_run_continues_the_clock_and_gold_stays_unique_at_every_version(two_runs):
    lakehouse, cwd, first_ids = two_runs
    con = duckdb_connection()
    reported = inspect(lakehouse, cwd)
    counts = check_tables_load(lakehouse, con, reported)
    versions = check_gold_unique_at_every_version(lakehouse)
    assert all(v >= 3 for v in versions.values()), versions
    check_gold_unique(lakehouse, con)
    check_gold_finite(lakehouse, con)

    assert len(first_ids) == 1
    (first,) = first_ids
    for source, fields in (("bike", BIKE_FIELDS), ("weather", WEATHER_FIELDS)):
        rows = read_table(lakehouse, f"bronze/{source}")
        ids = Counter(r["kafka_cluster_id"] for r in rows)
        assert len(ids) == 2 and all(ids) and first in ids, f"bronze/{source}: cluster ids {ids}"
        (second,) = set(ids) - first_ids
        keys = Counter((r["kafka_cluster_id"], r["topic"], r["partition"], r["offset"]) for r in rows)
        doubled = [k for k, n in keys.items() if n > 1]
        assert not doubled, f"bronze/{source}: (kafka_cluster_id, topic, partition, offset) twice: {doubled[:10]}"
        for cluster in (first, second):  # each epoch's offsets run 0.. without a gap
            per = defaultdict(list)
            for r in rows:
                if r["kafka_cluster_id"] == cluster:
                    per[r["partition"]].append(r["offset"])
            assert sorted(per) == [0, 1, 2], f"bronze/{source} {cluster}: partitions {sorted(per)}"
            for p, offsets in per.items():
                assert sorted(offsets) == list(range(len(offsets))), f"bronze/{source} {cluster} partition {p}: offsets not 0..n-1"
        # Silver = what the rules accept from Bronze, so each run's Silver event times are its Bronze
        # records' (told apart by cluster id)
        check_silver_and_quarantine(lakehouse, source)
        first_times = accepted_times([r for r in rows if r["kafka_cluster_id"] == first], fields)
        second_times = accepted_times([r for r in rows if r["kafka_cluster_id"] == second], fields)
        assert len(first_times) > 100 and len(second_times) > 100, (len(first_times), len(second_times))
        assert min(second_times) > max(first_times), (
            f"{source}: the second run starts at {min(second_times)} µs, before the first run's last event {max(first_times)} µs")
    print(f"two runs: counts {counts}, Gold versions {versions}")


def test_second_run_gold_continues_the_first_runs_open_windows(two_runs):
    """The windows still open when the first run stopped close in the second (ARCHITECTURE.md: a new
    broker epoch continues the windows): Gold equals its recomputation from Silver over both runs."""
    lakehouse, _, _ = two_runs
    con = duckdb_connection()
    partitions, held_out = {}, {}
    for source in ("bike", "weather"):
        partitions[source], accepted, _ = check_silver_and_quarantine(lakehouse, source)
        replay = replay_watermark(accepted)
        assert replay["late"] == [] and replay["ahead"] == [], f"{source}: late {replay['late'][:5]}, ahead {replay['ahead'][:5]}"
        held_out[source] = []
    checked = check_gold_against_silver(lakehouse, con, partitions, held_out=held_out)
    assert checked["gold/bike_usage_hourly"] >= 30, checked
