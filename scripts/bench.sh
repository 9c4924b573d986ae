#!/usr/bin/env bash
# make bench: throughput and memory figures, printed (never asserted), with the Python yardstick
# from ../shared/peers measured in the same run. Each figure is one JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=.build/release/pulse-bench
PY=${PULSE_PYTHON:-.venv/bin/python}
OUT=${BENCH_OUT:-bench-out}
EVENTS=${BENCH_EVENTS:-1000000}
rm -rf "$OUT" && mkdir -p "$OUT"
RUNS=${BENCH_RUNS:-3}
FIGURES="$OUT/figures.jsonl"
echo "== pulse-tui: produce $EVENTS bike events to the embedded broker, read them back with the engine's reader (the input limit), $RUNS runs"
for _ in $(seq 1 "$RUNS"); do "$BENCH" kafka --events "$EVENTS" --partitions 30 | tee -a "$FIGURES"; done
echo "== pulse-tui: Parquet encode of $EVENTS Bronze rows"
"$BENCH" parquet --events "$EVENTS" --partitions 30
echo "== pulse-tui: end to end from a pre-filled broker (Bronze, Silver, quarantine, Gold committed on local disk), $RUNS runs"
for _ in $(seq 1 "$RUNS"); do "$BENCH" pipeline --events "$EVENTS" --partitions 30 --dir "$OUT" | grep '"bench": "p' | tee -a "$FIGURES"; done
echo "== pulse-tui: the same on S3 (SeaweedFS from the virtualenv on loopback, SigV4, conditional puts)"
WEED=$(dirname "$PY")/weed
if [ -x "$WEED" ]; then
  S3DIR=$(mktemp -d)
  echo '{"identities":[{"name":"bench","credentials":[{"accessKey":"benchkey","secretKey":"benchsecret"}],"actions":["Admin","Read","List","Tagging","Write"]}]}' > "$S3DIR/s3.json"
  mkdir -p "$S3DIR/data"
  setsid "$WEED" mini -dir="$S3DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false -admin.ui=false \
    -s3.port=18334 -s3.config="$S3DIR/s3.json" > "$S3DIR/weed.log" 2>&1 &
  WEED_PID=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:18334/ && break; sleep 0.2; done
  AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret \
    "$BENCH" pipeline --events "$EVENTS" --partitions 30 --dir "$OUT" --s3-endpoint http://127.0.0.1:18334 | grep '"bench": "pipeline"'
  kill -- -"$WEED_PID" 2>/dev/null || kill "$WEED_PID"; wait "$WEED_PID" 2>/dev/null || true
  rm -rf "$S3DIR"
else
  echo "   (no $WEED: run make venv)"
fi
PEERS=${PEERS:-../shared/peers}
if [ -f "$PEERS/peer_pipeline.py" ]; then
  echo "== Python yardstick ($PEERS/peer_pipeline.py), same machine, same run, $RUNS runs"
  for _ in $(seq 1 "$RUNS"); do
    "$PY" "$PEERS/peer_pipeline.py" --lakehouse "$OUT/peer-lakehouse" --overwrite --events "$EVENTS" | tail -n 1 | tee -a "$FIGURES"
  done
else
  echo "== Python yardstick not found at $PEERS (set PEERS=...)"
fi
echo "== pulse-tui: produce-to-Silver-commit latency at the default rates (40 s headless run, default trigger 2 s, then trigger 0.2 s)"
for trigger in 2 0.2; do
  dir=$(mktemp -d)
  (cd "$dir" && "$OLDPWD/.build/release/pulse-tui" --no-ui --duration 40 --status-interval 40 --trigger "$trigger" \
    | grep -o "engine [a-z]*: read [0-9]*\|produce-to-silver p50 [0-9]* ms p99 [0-9]* ms" | paste -sd' ' | sed "s/^/trigger $trigger s: /")
  rm -rf "$dir"
done
HEALTH_SECONDS=${BENCH_HEALTH_SECONDS:-600}
echo "== pulse-tui: the lakehouse as it ages ($HEALTH_SECONDS s headless, --trigger 0.1 --speed 600: files, bytes, RSS curve, commit latency, restart, DuckDB count)"
"$PY" scripts/bench_health.py "$PWD/.build/release/pulse-tui" "$OUT/health" "$HEALTH_SECONDS" | tee -a "$FIGURES"
echo "== pulse-tui: the read API under load (a simulated day at the default rates, engine running, wrk on loopback)"
"$PY" scripts/bench_api.py "$PWD/.build/release/pulse-tui" "$OUT/api" | tee -a "$FIGURES"
echo "== pulse-tui in the deployment shape: a separate broker process filled by confluent-kafka (lz4, 16 partitions, bike + weather), a cold stream process until every table's txn versions reach the high watermarks, beside the yardstick on the same events, $RUNS runs"
if [ -f "$PEERS/peer_pipeline.py" ]; then
  "$PY" scripts/bench_deploy.py "$PWD/.build/release/pulse-tui" "$OUT/deploy" "$PEERS" "$RUNS" | tee -a "$FIGURES"
  echo "== pulse-tui: 1, 2 and 3 stream --group members sharing the same backlog (one broker fill; on 2 cores: the per-member cost)"
  "$PY" scripts/bench_group.py "$PWD/.build/release/pulse-tui" "$OUT/group" "$PEERS" 1 2 3 | tee -a "$FIGURES"
else
  echo "   (no yardstick at $PEERS: the deployment figures need its generators)"
fi
echo "== summary (medians over the runs; this machine's speed varies from run to run)"
"$PY" - "$FIGURES" <<'SUMMARY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def median(values):
    return statistics.median(values) if values else None
read = median([r["events_per_s"] for r in rows if r.get("bench") == "read"])
local = [r for r in rows if r.get("bench") == "pipeline" and r.get("store", "").startswith("file:")]
ours = median([r["events_per_s"] for r in local])
ours_rss = max([r["peak_rss_mib"] for r in local], default=None)
peer = [r for r in rows if r.get("tool") == "peer_pipeline"]
peer_eps = median([r["bike"]["events_per_s"]["end_to_end"] for r in peer])
peer_rss = median([r["peak_rss_mib"] for r in peer])
out = {"bench": "summary", "pulse_events_per_s": ours, "pulse_peak_rss_mib": ours_rss, "raw_read_events_per_s": read,
       "yardstick_events_per_s": peer_eps, "yardstick_peak_rss_mib": peer_rss}
if ours and peer_eps: out["speedup_vs_yardstick"] = round(ours / peer_eps, 2)
if ours_rss and peer_rss: out["memory_share_of_yardstick"] = round(ours_rss / peer_rss, 3)
if ours and read: out["raw_read_over_pipeline"] = round(read / ours, 2)
print(json.dumps(out))
SUMMARY
