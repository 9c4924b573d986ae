#!/usr/bin/env python3
"""Independent check of Parquet files written by pulse-tui's Swift writer.

Usage: check_parquet.py DIR   (DIR holds the .parquet files and expected.json)
       check_parquet.py --rewrite SRC DST   (pyarrow re-writes SRC as DST: zstd, v2 data pages, dictionaries,
                                             so the Swift reader can be checked against another writer)

pyarrow reads every file and compares values, Arrow types, row counts, row-group counts and the column
statistics (merged over row groups) against both the expected values and the statistics the writer
reported; DuckDB reads the files marked "duckdb" and must agree on counts and values.
Exits non-zero with a list of mismatches; prints OK on success.
"""
import json
import math
import os
import struct
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

ARROW_TYPES = {
    "bool": "bool",
    "int32": "int32",
    "int64": "int64",
    "double": "double",
    "string": "string",
    "timestamp": "timestamp[us, tz=UTC]",
    "date": "date32[day]",
}

failures = []


def fail(msg):
    failures.append(msg)


def to_double(hexbits):
    return struct.unpack("<d", struct.pack("<Q", int(hexbits, 16)))[0]


def decode_expected(kind, v):
    if v is None:
        return None
    if kind == "double":
        return to_double(v)
    return v


def same(kind, a, b):
    if a is None or b is None:
        return a is None and b is None
    if kind == "double":
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return struct.pack("<d", a) == struct.pack("<d", b)
    return a == b


def sort_key(kind, v):
    return v.encode("utf-8") if kind == "string" else v


def stat_value(kind, raw):
    """pyarrow's min_raw/max_raw as a comparable Python value."""
    if kind == "string":
        return raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
    return raw


def check_flat_column(path, name, t, md, col):
    kind = col["kind"]
    arr = t.column(name)
    want_type = ARROW_TYPES[kind]
    if str(arr.type) != want_type:
        fail(f"{path}:{name}: arrow type {arr.type}, expected {want_type}")
    if kind == "timestamp":
        arr = arr.cast(pa.int64())
    elif kind == "date":
        arr = arr.cast(pa.int32())
    actual = arr.to_pylist()
    expected = [decode_expected(kind, v) for v in col["values"]]
    if len(actual) != len(expected):
        fail(f"{path}:{name}: {len(actual)} values, expected {len(expected)}")
    else:
        bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if not same(kind, a, e)]
        if bad:
            i = bad[0]
            fail(f"{path}:{name}: {len(bad)} values differ, first at row {i}: {actual[i]!r} != {expected[i]!r}")

    # Statistics as pyarrow sees them, merged over row groups.
    leaf = [md.schema.column(j).path for j in range(md.num_columns)].index(name)
    null_count = 0
    lo = hi = None
    for g in range(md.num_row_groups):
        st = md.row_group(g).column(leaf).statistics
        if st is None:
            fail(f"{path}:{name}: row group {g} has no statistics")
            continue
        if not st.has_null_count:
            fail(f"{path}:{name}: row group {g} statistics lack null_count")
        null_count += st.null_count
        if st.has_min_max:
            smin, smax = stat_value(kind, st.min_raw), stat_value(kind, st.max_raw)
            if lo is None or sort_key(kind, smin) < sort_key(kind, lo):
                lo = smin
            if hi is None or sort_key(kind, smax) > sort_key(kind, hi):
                hi = smax
    defined = [v for v in expected if v is not None]
    if null_count != len(expected) - len(defined):
        fail(f"{path}:{name}: pyarrow null_count {null_count}, expected {len(expected) - len(defined)}")
    comparable = [v for v in defined if not (kind == "double" and math.isnan(v))]
    if comparable:
        want_lo = min(comparable, key=lambda v: sort_key(kind, v))
        want_hi = max(comparable, key=lambda v: sort_key(kind, v))
        if lo is None or lo != want_lo or hi != want_hi:
            fail(f"{path}:{name}: pyarrow min/max {lo!r}/{hi!r}, expected {want_lo!r}/{want_hi!r}")
    elif lo is not None:
        fail(f"{path}:{name}: min/max {lo!r}/{hi!r} present although no comparable values")
    # What the writer reported must match what is in the file.
    rep = col["stats"]
    if rep["null_count"] != null_count:
        fail(f"{path}:{name}: writer reported null_count {rep['null_count']}, file says {null_count}")
    rep_lo, rep_hi = decode_expected(kind, rep["min"]), decode_expected(kind, rep["max"])
    if not (same(kind, rep_lo, lo) and same(kind, rep_hi, hi)):
        fail(f"{path}:{name}: writer reported min/max {rep_lo!r}/{rep_hi!r}, file says {lo!r}/{hi!r}")


def normalize_nested(name, v):
    if name == "partitionValues" and v is not None:
        return [tuple(p) for p in v]
    return v


def check_nested(path, t, col):
    name = col["name"]
    arr = t.column(name)
    typ = arr.type
    if name == "add":
        ok = pa.types.is_struct(typ) and str(typ) == "struct<path: string not null, size: int64>"
    elif name == "partitionValues":
        ok = pa.types.is_map(typ) and str(typ.key_type) == "string" and str(typ.item_type) == "string"
    elif name == "partitionColumns":
        ok = pa.types.is_list(typ) and str(typ.value_type) == "string"
    else:
        ok = str(typ) == "int64"
    if not ok:
        fail(f"{path}:{name}: unexpected arrow type {typ}")
    actual = [normalize_nested(name, v) for v in arr.to_pylist()]
    expected = [normalize_nested(name, v) for v in col["values"]]
    if actual != expected:
        bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
        first = bad[0] if bad else min(len(actual), len(expected))
        fail(f"{path}:{name}: values differ ({len(actual)} vs {len(expected)} rows, first at {first}: "
             f"{actual[first] if first < len(actual) else None!r} != "
             f"{expected[first] if first < len(expected) else None!r})")


def check_duckdb(full, f):
    con = duckdb.connect()
    rel = f"read_parquet('{full}')"
    n = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
    if n != f["rows"]:
        fail(f"{f['path']}: duckdb counts {n} rows, expected {f['rows']}")
    for col in f["columns"]:
        name = col["name"]
        nn = con.execute(f'SELECT count("{name}") FROM {rel}').fetchone()[0]
        want = sum(v is not None for v in col["values"])
        if nn != want:
            fail(f"{f['path']}:{name}: duckdb counts {nn} non-null, expected {want}")
        if col["kind"] in ("string", "int64", "int32"):
            got = [r[0] for r in con.execute(f'SELECT "{name}" FROM {rel}').fetchall()]
            if got != col["values"]:
                fail(f"{f['path']}:{name}: duckdb values differ")
    for col in f["nested"]:
        name = col["name"]
        nn = con.execute(f'SELECT count("{name}") FROM {rel}').fetchone()[0]
        want = sum(v is not None for v in col["values"])
        if nn != want:
            fail(f"{f['path']}:{name}: duckdb counts {nn} non-null, expected {want}")
        if name in ("partitionValues", "partitionColumns"):
            fn = "cardinality" if name == "partitionValues" else "len"
            total = con.execute(f'SELECT coalesce(sum({fn}("{name}")), 0) FROM {rel}').fetchone()[0]
            want_total = sum(len(v) for v in col["values"] if v is not None)
            if total != want_total:
                fail(f"{f['path']}:{name}: duckdb sees {total} entries, expected {want_total}")
        if name == "add":
            got = con.execute(f'SELECT count("add".path), coalesce(sum("add".size), 0) FROM {rel}').fetchone()
            want_paths = sum(1 for v in col["values"] if v is not None)
            want_size = sum(v["size"] for v in col["values"] if v is not None and v["size"] is not None)
            if tuple(got) != (want_paths, want_size):
                fail(f"{f['path']}:add: duckdb paths/size {tuple(got)}, expected {(want_paths, want_size)}")
    con.close()


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "expected.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    for f in manifest["files"]:
        full = os.path.join(root, f["path"])
        pf = pq.ParquetFile(full)
        md = pf.metadata
        if md.num_rows != f["rows"]:
            fail(f"{f['path']}: {md.num_rows} rows, expected {f['rows']}")
        if md.num_row_groups != f["row_groups"]:
            fail(f"{f['path']}: {md.num_row_groups} row groups, expected {f['row_groups']}")
        if not (md.created_by or "").startswith("pulse-tui"):
            fail(f"{f['path']}: created_by is {md.created_by!r}")
        t = pf.read()
        if t.num_rows != f["rows"]:
            fail(f"{f['path']}: pyarrow read {t.num_rows} rows")
        for col in f["columns"]:
            check_flat_column(f["path"], col["name"], t, md, col)
        for col in f["nested"]:
            check_nested(f["path"], t, col)
        if f.get("duckdb"):
            check_duckdb(full, f)
    if failures:
        print(f"{len(failures)} mismatches:")
        for m in failures:
            print("  " + m)
        sys.exit(1)
    print(f"OK: {len(manifest['files'])} files checked by pyarrow {pa.__version__} and duckdb {duckdb.__version__}")


def rewrite(src, dst):
    table = pq.read_table(src)
    pq.write_table(table, dst, compression="zstd", data_page_version="2.0", use_dictionary=True,
                   row_group_size=max(1, table.num_rows // 3), data_page_size=2048)
    print(f"OK: rewrote {table.num_rows} rows")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--rewrite":
        rewrite(sys.argv[2], sys.argv[3])
    else:
        main()
