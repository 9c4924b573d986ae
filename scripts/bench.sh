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
echo "== pulse-tui: produce $EVENTS bike events to the embedded broker, read them back with the partition reader"
"$BENCH" kafka --events "$EVENTS" --partitions 30
echo "== pulse-tui: Parquet encode of $EVENTS Bronze rows"
"$BENCH" parquet --events "$EVENTS" --partitions 30
echo "== pulse-tui: end to end from a pre-filled broker (Bronze, Silver, quarantine, Gold committed on local disk)"
"$BENCH" pipeline --events "$EVENTS" --partitions 30 --dir "$OUT"
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
  echo "== Python yardstick ($PEERS/peer_pipeline.py), same machine, same run"
  "$PY" "$PEERS/peer_pipeline.py" --lakehouse "$OUT/peer-lakehouse" --overwrite --events "$EVENTS" | tail -n 1
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
