"""make bench: the read API under load (issue 14's figures), printed as JSON lines, never asserted.

A lakehouse holding one simulated day at the default event density is written first (the producers'
default intervals times the default speed over --speed, so the day takes about a minute and a half), then the dashboard's
headless engine runs on it at the default rates with `--api-port`, and wrk (2 threads, 16 connections,
loopback) asks `/gold/bike_hourly?station_id=S001&limit=100` for 20 s while the engine writes.
Usage: bench_api.py BINARY WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

BINARY, WORK = sys.argv[1], sys.argv[2]
SPEED = 1000


def defaults():
    """The producers' default intervals, from the binary's own help."""
    text = subprocess.run([BINARY, "--help"], capture_output=True, text=True).stdout
    found = {}
    for name in ("bike-interval", "weather-interval", "speed"):
        # The option's own help: from its flag to the next flag (a linear scan; the earlier nested-repeat
        # pattern backtracked for minutes once the wording moved "default" to another line).
        block = text.split(f"--{name} ", 1)[1].split("\n  --", 1)[0] if f"--{name} " in text else ""
        match = re.search(r"default\s+(\d+(?:\.\d+)?)", block)
        found[name] = float(match.group(1)) if match else 1.0
    return found


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    lakehouse = os.path.join(WORK, "lakehouse")
    rates = defaults()
    began = time.time()
    subprocess.run([BINARY, "--no-ui", "--lakehouse", lakehouse, "--start", "2025-08-20T00:00:00Z", "--seed", "1",
                    "--speed", str(SPEED), "--bike-interval", str(rates["bike-interval"] * rates["speed"] / SPEED),
                    "--weather-interval", str(rates["weather-interval"] * rates["speed"] / SPEED),
                    "--duration", str(86400 / SPEED + 5), "--status-interval", "60"],
                   cwd=WORK, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    tables = json.loads(subprocess.run([BINARY, "inspect", "--json", "--lakehouse", lakehouse], cwd=WORK,
                                       capture_output=True, text=True, check=True).stdout)["tables"]
    print(json.dumps({"bench": "api_lakehouse", "seconds_to_write": round(time.time() - began, 1),
                      "rows": {t["path"]: t["rows"] for t in tables}, "intervals": rates}), flush=True)
    log = open(os.path.join(WORK, "engine.log"), "w")
    engine = subprocess.Popen([BINARY, "--no-ui", "--lakehouse", lakehouse, "--api-port", "0",
                               "--status-interval", "60"], cwd=WORK, stdout=log, stderr=subprocess.STDOUT)
    base = None
    for _ in range(300):
        found = re.search(r"read API at (http://[\d.]+:\d+)", open(os.path.join(WORK, "engine.log")).read())
        if found:
            base = found.group(1)
            break
        time.sleep(0.1)
    url = f"{base}/gold/bike_hourly?station_id=S001&limit=100"
    rows = len(json.loads(subprocess.run(["curl", "-s", url], capture_output=True, text=True).stdout))
    out = subprocess.run(["wrk", "-t2", "-c16", "-d20s", "--latency", url], capture_output=True, text=True).stdout
    engine.terminate()
    engine.wait(timeout=60)

    def latency(q):
        match = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    print(json.dumps({"bench": "api_load", "url": "/gold/bike_hourly?station_id=S001&limit=100", "rows": rows,
                      "requests_per_s": float(rps.group(1)) if rps else None, "p50_ms": latency(50),
                      "p99_ms": latency(99), "engine_running": True, "tool": "wrk -t2 -c16 -d20s"}), flush=True)


main()
