"""Hostile Kafka records end to end (ARCHITECTURE.md § Tables, Silver's rules and the watermark): a
confluent-kafka producer sends raw-byte keys and values that break every rule we could think of,
interleaved with a valid stream, into `pulse-tui broker`; `pulse-tui stream` ingests them. Each record
is looked up in Bronze by the (partition, offset) its delivery report gave and must be where the
contract puts it: Bronze keeps it exactly (text columns valid UTF-8, exact bytes beside them), Silver
holds the valid ones, quarantine the rest with the reason of the rule broken. Every table loads in
full in delta-rs, DuckDB and polars; Gold stays unique and finite, and one record dated 2199 does not
make the rest of its partition late.

Two more tests share two runs of the whole program on one lakehouse without --start: the second run
is a new broker epoch whose simulated clock continues after the first run's events; Gold stays
unique at every table version, and the windows still open when the first run stopped close in the
second with both runs' records (Gold equals its recomputation from Silver).
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
    BIKE_FIELDS, GOLD_TABLES, HOUR_US, MINUTE_US, WATERMARK_DELAY_US, WEATHER_FIELDS, Invalid,
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


def escape_name(name):
    """A JSON name with its underscores and e's written as \\u escapes ("station\\u005fid")."""
    return Raw(json.dumps(name).encode().replace(b"_", b"\\u005f").replace(b"e", b"\\u0065"))


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
# The hostile records. A case is (topic, name, build): build(t) -> (station whose partition it goes to,
# or None for any; key bytes or None; value bytes or None; expected outcome). `t` is an event time on
# the stream, unique per case, so the accepted ones are on time.


HOSTILE_STATION = object()  # a case's default key and partition: those of the topic's hostile station


def case(name, value, expect, key=HOSTILE_STATION, station=HOSTILE_STATION):
    """A case whose value (and expected outcome, when callable) is built from the event time `t`; key
    None is no key, station None any partition."""
    return name, value, expect, key, station


def cases(topic, station, table):
    """[(topic, name, build)] from `case`s, `station` being the topic's hostile station."""
    out = []
    for name, value, expect, key, where in table:
        key = station.encode() if key is HOSTILE_STATION else key
        where = station if where is HOSTILE_STATION else where

        def build(t, value=value, expect=expect, key=key, where=where):
            return (where, key, value(t) if callable(value) else value, expect(t) if callable(expect) else expect)

        out.append((topic, name, build))
    return out


def bike_cases():
    S = "S004"  # partition 0, beside S001 and its 2199 record
    Q, OK = Quarantine, Silver(station_id=S)
    NOT_JSON, KEY, VALUE = Q("not JSON"), Q("key is not valid UTF-8"), Q("value is not valid UTF-8")
    TOMBSTONE = Q("tombstone: the record has no value")
    UNPARSABLE, IMPLAUSIBLE = Q("unparsable event_time"), Q("implausible event_time")

    def b(t, **over):
        return obj(bike_pairs(S, t, **over))

    def extra(*pairs):
        return lambda t: obj(bike_pairs(S, t) + list(pairs))

    def field(**over):
        return lambda t: b(t, **over)

    def at(text):
        return lambda t: b(text)

    IST = datetime.timedelta(hours=5, minutes=30)

    def on_time(text, shift_us=0):
        """An event_time text of `t` (text(t)), accepted as t + shift_us."""
        return lambda t: b(text(t)), lambda t: Silver(station_id=S, event_time=micros(t) + shift_us)

    def city(raw):
        return field(bike_city=Raw(raw))

    table = [
        # keys: only UTF-8 matters to Silver; Bronze keeps each exactly
        case("key not UTF-8", b, KEY, key=b"S0\xff4"),
        case("key overlong", b, KEY, key=b"\xc0\xaf"),
        case("key CESU surrogate", b, KEY, key=b"\xed\xa0\x80"),
        case("key above U+10FFFF", b, KEY, key=b"\xf4\x90\x80\x80"),
        case("key lone continuation", b, KEY, key=b"\x80S004"),
        case("key truncated sequence", b, KEY, key=b"S004\xe2\x82"),
        case("key and value not UTF-8", b'{"bike_city":"\xff"}', KEY, key=b"\xff"),
        case("key with NUL", b, OK, key=b"S\x00004"),
        case("no key", b, OK, key=None),
        case("empty key", b, OK, key=b""),
        case("key with BOM", b, OK, key=b"\xef\xbb\xbfS004"),
        case("10 kB key", b, OK, key="S004-\u00e9\u20ac\U0001f600".encode() * 700),
        # tombstones and empty values
        case("tombstone", None, TOMBSTONE),
        case("tombstone without key", None, TOMBSTONE, key=None),
        case("tombstone, key not UTF-8", None, TOMBSTONE, key=b"\xfe\xff"),
        case("empty value", b"", NOT_JSON, station=None),
        case("whitespace only", b" \t\r\n  ", NOT_JSON, station=None),
        case("NUL byte", b"\x00", NOT_JSON, station=None),
        case("JSON then NUL", lambda t: b(t) + b"\x00", NOT_JSON),
        case("raw NUL in a string", city(b'"Bos\x00ton"'), NOT_JSON),
        case("escaped NUL in an extra field", extra(("note", "a\u0000b")), OK),
        case("escaped NUL in station_id", field(station_id="S004\u0000"), Q("unknown station")),
        # values that are not UTF-8, inside and outside JSON strings
        case("value not UTF-8 in a string", city(b'"Bost\xffon"'), VALUE),
        case("value not UTF-8 outside strings", lambda t: b(t)[:-1] + b",\xff}", VALUE),
        case("value truncated sequence", lambda t: b(t) + b"\xe2\x82", VALUE),
        case("value raw CESU surrogate", city(b'"\xed\xa0\x80"'), VALUE),
        case("value raw CESU pair", city(b'"\xed\xa0\xbd\xed\xb8\x80"'), VALUE),
        case("value overlong slash", city(b'"\xc0\xaf"'), VALUE),
        case("value Latin-1", city(b'"Z\xfcrich"'), VALUE),
        case("value UTF-16", lambda t: b"\xff\xfe" + b(t).decode().encode("utf-16-le"), VALUE),
        case("value random bytes", bytes(range(256)) * 4, VALUE, station=None),
        # byte order marks and characters outside the BMP
        case("BOM before JSON", lambda t: b"\xef\xbb\xbf" + b(t), NOT_JSON),
        case("BOM after JSON", lambda t: b(t) + b"\xef\xbb\xbf", NOT_JSON),
        case("BOM inside a city", lambda t: obj(bike_pairs("S010", t, bike_city="\ufeffLynn")),
             Silver(station_id="S010", bike_city="\ufeffLynn"), key=b"S010", station="S010"),
        case("emoji city", lambda t: obj(bike_pairs("S011", t, bike_city="Fall River \U0001f6b2")),
             Silver(station_id="S011", bike_city="Fall River \U0001f6b2"), key=b"S011", station="S011"),
        case("escaped surrogate pair", lambda t: obj(bike_pairs("S012", t, bike_city=Raw(b'"New Bedford \\ud83d\\udeb2"'))),
             Silver(station_id="S012", bike_city="New Bedford \U0001f6b2"), key=b"S012", station="S012"),
        # nesting
        case("100k-deep arrays", b"[" * 100_000 + b"]" * 100_000, NOT_JSON, station=None),
        case("100k-deep objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, NOT_JSON, station=None),
        case("100k unclosed arrays", b"[" * 100_000, NOT_JSON, station=None),
        case("128 levels (the limit)", extra(("deep", Raw(b"[" * 127 + b"]" * 127))), OK),
        case("129 levels", extra(("deep", Raw(b"[" * 128 + b"]" * 128))), NOT_JSON),
        case("nested array as a count", field(docks_total=Raw(b"[[[[20]]]]")), Q("wrong type docks_total")),
        case("array of the record", lambda t: b"[" + b(t) + b"]", Q("not an object")),
        case("a string", lambda t: json.dumps(b(t).decode()).encode(), Q("not an object")),
        # names twice
        case("station_id twice", extra(("station_id", "S004")), Q("duplicate field station_id")),
        case("station_id twice, escaped", extra((Raw(b'"station\\u005fid"'), "S001")), Q("duplicate field station_id")),
        case("extra field twice", extra(("x", 1), ("x", 2)), OK),
        case("known name twice, nested", extra(("meta", Raw(b'{"station_id":1,"station_id":2}'))), OK),
        # literals and numbers JSON does not have
        case("NaN count", field(docks_available=Raw(b"NaN")), NOT_JSON),
        case("Infinity in an extra field", extra(("x", Raw(b"Infinity"))), NOT_JSON),
        case("-Infinity in an extra field", extra(("x", Raw(b"-Infinity"))), NOT_JSON),
        case("count as the string NaN", field(docks_total="NaN"), Q("wrong type docks_total")),
        case("leading zero", field(docks_total=Raw(b"028")), NOT_JSON),
        case("plus sign", field(docks_total=Raw(b"+28")), NOT_JSON),
        case("hex", field(docks_total=Raw(b"0x1c")), NOT_JSON),
        case("true as a count", field(docks_total=True), Q("wrong type docks_total")),
        case("null count", field(bikes_occupied=None), Q("wrong type bikes_occupied")),
        # integers
        case("int32 max + 1", field(docks_total=2**31), Q("integer out of range docks_total")),
        case("int32 min - 1", field(bikes_available=-(2**31) - 1), Q("integer out of range bikes_available")),
        case("huge integer", field(docks_total=Raw(b"9" * 30)), Q("integer out of range docks_total")),
        case("integer with fraction", field(docks_total=Raw(b"28.0")), Q("wrong type docks_total")),
        case("integer with exponent", field(docks_total=Raw(b"2.8e1")), Q("wrong type docks_total")),
        case("1e400 in an extra field", extra(("x", Raw(b"1e400"))), OK),
        case("10000-digit integer in an extra field", extra(("x", Raw(b"7" * 10_000))), OK),
        case("minus zero count", lambda t: b(t, available=0, docks_available=Raw(b"-0")),
             Silver(station_id=S, docks_available=0)),
        # count ranges
        case("docks_total 1001", field(docks_total=1001), Q("implausible docks_total 1001")),
        case("docks_total 1000", lambda t: obj(bike_pairs("S013", t, docks_total=1000, bikes_available=400, bikes_occupied=600)),
             Silver(station_id="S013", docks_total=1000), key=b"S013", station="S013"),
        case("docks_total 0", lambda t: obj(bike_pairs("S014", t, docks_total=0, bikes_available=0, bikes_occupied=0,
                                                       docks_available=0)),
             Silver(station_id="S014", availability_rate=None), key=b"S014", station="S014"),
        case("negative docks_total", field(docks_total=-5), Q("negative count docks_total")),
        case("negative bikes_available", field(bikes_available=-1), Q("negative count bikes_available")),
        case("bikes_occupied above docks_total", field(bikes_occupied=99), Q("bikes_occupied out of range")),
        # event times
        case("year 10000 UTC", at("9999-12-31T23:59:59-00:01"), IMPLAUSIBLE),
        case("year 0000", at("0000-01-01T00:00:00Z"), IMPLAUSIBLE),
        case("year 0000 Feb 29", at("0000-02-29T12:00:00Z"), IMPLAUSIBLE),
        case("year -0001", at("-0001-01-01T00:00:00Z"), UNPARSABLE),
        case("year +10000", at("+10000-01-01T00:00:00Z"), UNPARSABLE),
        case("2200-01-01", at("2200-01-01T00:00:00Z"), IMPLAUSIBLE),
        case("1969-12-31", at("1969-12-31T23:59:59Z"), IMPLAUSIBLE),
        case("1969 by offset", at("1970-01-01T00:30:00+01:00"), IMPLAUSIBLE),
        case("leap second", at("2025-08-20T23:59:60Z"), UNPARSABLE),
        case("Feb 29 2025", at("2025-02-29T00:00:00Z"), UNPARSABLE),
        case("space for T", lambda t: b(iso(t).replace("T", " ")), UNPARSABLE),
        case("no zone", lambda t: b(iso(t)[:-1]), UNPARSABLE),
        case("10 fraction digits", lambda t: b(iso(t)[:-1] + ".1234567890Z"), UNPARSABLE),
        case("offset 24:00", lambda t: b(iso(t)[:-1] + "+24:00"), UNPARSABLE),
        case("Arabic-Indic digits", lambda t: b("\u0662\u0660\u0662\u0665" + iso(t)[4:]), UNPARSABLE),
        case("trailing newline", lambda t: b(iso(t) + "\n"), UNPARSABLE),
        case("event_time a number", at(Raw(b"1755712800")), Q("wrong type event_time")),
        case("escaped Z", *on_time(lambda t: Raw(f'"{iso(t)[:-1]}\\u005a"'.encode()))),
        case("lower-case t and z", *on_time(lambda t: iso(t).replace("T", "t").replace("Z", "z"))),
        case("offset +0530", *on_time(lambda t: (t + IST).strftime("%Y-%m-%dT%H:%M:%S+0530"))),
        case("nanoseconds", *on_time(lambda t: iso(t)[:-1] + ".123456789Z", 123456)),
        # shape
        case("missing field", lambda t: obj(drop(bike_pairs(S, t), "docks_available")), Q("missing field docks_available")),
        case("unknown station", lambda t: obj(bike_pairs("S031", t)), Q("unknown station"), key=b"S031", station=None),
        case("lower-case station", lambda t: obj(bike_pairs("s004", t)), Q("unknown station"), key=b"s004", station=None),
        case("station_id a number", field(station_id=4), Q("wrong type station_id")),
        case("station_id an object", field(station_id=Raw(b'{"id":"S004"}')), Q("wrong type station_id")),
        case("escaped station_id", field(station_id=Raw(b'"S\\u0030\\u0030\\u0034"')), OK),
        case("every name escaped", lambda t: obj([(escape_name(k), v) for k, v in bike_pairs(S, t)]), OK),
        case("reversed order and whitespace", lambda t: b" \r\n\t{ " + b" ,\n\t ".join(
            json.dumps(k).encode() + b"\t: " + json.dumps(v).encode() for k, v in bike_pairs(S, t)[::-1]) + b"\r\n}\n ", OK),
        case("extra fields", lambda t: obj([("schema", 2)] + bike_pairs(S, t) + [("extra", {"a": [1, 2.5, None, True]}), ("", "")]), OK),
        case("1 MB extra field", extra(("blob", "x\u00e9" * (MB // 3))), OK),
        case("1 MB of garbage", b"{" * MB, NOT_JSON, station=None),
        case("comment", lambda t: b"/* hi */" + b(t), NOT_JSON),
        case("single quotes", lambda t: b(t).replace(b'"', b"'"), NOT_JSON),
        case("trailing comma", lambda t: b(t)[:-1] + b",}", NOT_JSON),
        case("two objects", lambda t: b(t) * 2, NOT_JSON),
        case("raw tab in a string", city(b'"Bos\tton"'), NOT_JSON),
        case("bad escape", city(b'"Bos\\xton"'), NOT_JSON),
        case("short \\u escape", city(b'"Bos\\u12"'), NOT_JSON),
        # lone surrogates: no UTF-8 form
        case("lone high surrogate", city(b'"\\ud800"'), NOT_JSON),
        case("lone low surrogate", city(b'"\\udc00"'), NOT_JSON),
        case("high surrogate then A", city(b'"\\ud800\\u0041"'), NOT_JSON),
        case("lone surrogate in a name", extra((Raw(b'"\\udfff"'), 1)), NOT_JSON),
        case("lone surrogate, then its name again", extra(("x", Raw(b'"\\ud800"')), ("x", 1)), NOT_JSON),
    ]
    return cases("bike", S, table)


def weather_cases():
    S = "S005"  # partition 1
    Q, OK = Quarantine, Silver(station_id=S)
    NOT_JSON, IMPLAUSIBLE = Q("not JSON"), Q("implausible event_time")

    def field(**over):
        return lambda t: obj(weather_pairs(S, t, **over))

    def at(text, **over):
        return lambda t: obj(weather_pairs(S, text, **over))

    def escaped(t):
        return obj([(Raw(json.dumps(k).encode().replace(b"_", b"\\u005F")), v) for k, v in weather_pairs(S, t)] + [("uv", 3)])

    long_number = b"12.3456789012345678901234567890"
    broken = dict(temp_c=99, precip_mm=-1, humidity=900, wind_kph=-5, pressure_mb=1)
    table = [
        case("key not UTF-8", field(), Q("key is not valid UTF-8"), key=b"S00\xc35"),
        case("tombstone", None, Q("tombstone: the record has no value")),
        case("value not UTF-8", field(condition=Raw(b'"Cloudy\xf5"')), Q("value is not valid UTF-8")),
        case("NaN temp", field(temp_c=Raw(b"NaN")), NOT_JSON),
        case("Infinity temp", field(temp_c=Raw(b"Infinity")), NOT_JSON),
        case("1e400 temp", field(temp_c=Raw(b"1e400")), Q("number out of range temp_c")),
        case("-1e400 wind", field(wind_kph=Raw(b"-1e400")), Q("number out of range wind_kph")),
        case("10000-digit temp", field(temp_c=Raw(b"9" * 10_000)), Q("number out of range temp_c")),
        case("1e-400 precip", field(precip_mm=Raw(b"1e-400")), Silver(station_id=S, precip_mm=0.0)),
        case("30 significant digits", field(temp_c=Raw(long_number)), Silver(station_id=S, temp_c=float(long_number))),
        case("integer temp", field(temp_c=Raw(b"-7")), Silver(station_id=S, temp_c=-7.0)),
        case("exponent wind", field(wind_kph=Raw(b"1.25E+1")), Silver(station_id=S, wind_kph=12.5)),
        case("humidity 50.0", field(humidity=Raw(b"50.0")), Q("wrong type humidity")),
        # plausibility ranges, both ends
        case("temp -90 (the limit)", field(temp_c=-90), Silver(station_id=S, temp_c=-90.0)),
        case("temp 60 (the limit)", field(temp_c=60.0), Silver(station_id=S, temp_c=60.0)),
        case("temp -90.1", field(temp_c=-90.1), Q("implausible temp_c")),
        case("temp 60.0001", field(temp_c=60.0001), Q("implausible temp_c")),
        case("precip -0.1", field(precip_mm=-0.1), Q("implausible precip_mm")),
        case("precip 500.5", field(precip_mm=500.5), Q("implausible precip_mm")),
        case("humidity 101", field(humidity=101), Q("implausible humidity 101")),
        case("humidity -1", field(humidity=-1), Q("implausible humidity -1")),
        case("humidity 100", field(humidity=100), Silver(station_id=S, humidity=100)),
        case("wind 500.1", field(wind_kph=500.1), Q("implausible wind_kph")),
        case("wind -1", field(wind_kph=-1), Q("implausible wind_kph")),
        case("pressure 849", field(pressure_mb=849), Q("implausible pressure_mb 849")),
        case("pressure 1101", field(pressure_mb=1101), Q("implausible pressure_mb 1101")),
        case("pressure 850", field(pressure_mb=850), Silver(station_id=S, pressure_mb=850)),
        # the first range broken is the reason: event_time, temp_c, precip_mm, humidity, wind_kph, pressure_mb
        case("every range broken", at("2200-06-01T00:00:00Z", **broken), IMPLAUSIBLE),
        case("all but event_time broken", field(**broken), Q("implausible temp_c")),
        case("precip and later broken", field(**{**broken, "temp_c": 10}), Q("implausible precip_mm")),
        case("humidity and later broken", field(humidity=900, wind_kph=-5, pressure_mb=1), Q("implausible humidity")),
        case("wind and pressure broken", field(wind_kph=-5, pressure_mb=1), Q("implausible wind_kph")),
        case("year 10000 UTC", at("9999-12-31T23:59:59-00:01"), IMPLAUSIBLE),
        case("year 0000", at("0000-01-01T00:00:00+00:00"), IMPLAUSIBLE),
        case("2200-01-01", at("2200-01-01T00:00:00Z"), IMPLAUSIBLE),
        case("1969-12-31", at("1969-12-31T23:59:59.999999Z"), IMPLAUSIBLE),
        case("leap second", at("2016-12-31T23:59:60Z"), Q("unparsable event_time")),
        case("condition a number", field(condition=3), Q("wrong type condition")),
        case("missing temp", lambda t: obj(drop(weather_pairs(S, t), "temp_c")), Q("missing field temp_c")),
        case("temp twice", lambda t: obj(weather_pairs(S, t) + [("temp_c", 1.0)]), Q("duplicate field temp_c")),
        case("extra fields, escaped names", escaped, OK),
        case("emoji condition", lambda t: obj(weather_pairs("S015", t, condition="\u2614 rain")),
             Silver(station_id="S015", condition="\u2614 rain"), key=b"S015", station="S015"),
        case("100k-deep nesting", b'{"a":[' * 100_000, NOT_JSON, station=None),
        case("lone surrogate", field(condition=Raw(b'"Rain\\udbff"')), NOT_JSON),
    ]
    return cases("weather", S, table)


def temp_overflow_cases():
    """Four weather records of S003 in one hour with temp_c 1.7e308: their mean once made an hourly inf."""
    value = lambda t: obj(weather_pairs("S003", t, temp_c=1.7e308))  # noqa: E731
    return cases("weather", "S003", [case(f"temp 1.7e308 #{i}", value, Quarantine("implausible temp_c")) for i in range(4)])


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
        assert (reported_late, reported_ahead) == (late, ahead), (
            f"{source}: the engine reports late {reported_late}, ahead {reported_ahead}")
        assert reported_quarantined == counts[f"quarantine/{source}"]

    check_gold_unique(lakehouse, con)
    check_gold_finite(lakehouse, con)
    checked = check_gold_against_silver(lakehouse, con, partitions, held_out=held_out)
    for table in ("gold/bike_usage_daily", "gold/weather_daily"):  # the 2025-08-20 day closed
        assert checked[table] >= len(STREAM_STATIONS), checked
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
            f"SELECT epoch_us(window_start) FROM delta_scan('{lakehouse / table}') "
            f"WHERE station_id = '{OUTLIER_STATION}'").fetchall()}
        want = {t // length * length for t in after if t // length * length + length <= watermark}
        assert want and want <= got, f"{table}: {OUTLIER_STATION} windows after the 2199 record missing: {sorted(want - got)[:5]}"

    # window-end txns: per station, the end of its latest window in the table (µs)
    for table in GOLD_TABLES:
        ends = dict(con.execute(f"SELECT station_id, max(epoch_us(window_end)) FROM delta_scan('{lakehouse / table}') "
                                "GROUP BY 1").fetchall())
        dt = DeltaTable(str(lakehouse / table))
        for station, end in ends.items():
            txn = dt.transaction_version(f"window-end-{station}")
            assert txn == end, f"{table}: txn window-end-{station} is {txn}, its latest window ends at {end}"
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
                assert sorted(offsets) == list(range(len(offsets))), (
                    f"bronze/{source} {cluster} partition {p}: offsets not 0..n-1")
        # Silver = what the rules accept from Bronze, so each run's Silver event times are its Bronze
        # records' (told apart by cluster id)
        check_silver_and_quarantine(lakehouse, source)
        first_times = accepted_times([r for r in rows if r["kafka_cluster_id"] == first], fields)
        second_times = accepted_times([r for r in rows if r["kafka_cluster_id"] == second], fields)
        assert len(first_times) > 100 and len(second_times) > 100, (len(first_times), len(second_times))
        assert min(second_times) > max(first_times), (
            f"{source}: the second run starts at {min(second_times)} µs, "
            f"before the first run's last event at {max(first_times)} µs")
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
