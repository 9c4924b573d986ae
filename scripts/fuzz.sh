#!/usr/bin/env bash
# make fuzz: the libFuzzer targets of Tests/Fuzz, built with AddressSanitizer (and Swift's bounds and
# overflow checks: a debug build) into .build-fuzz. For each target it first replays every saved crash
# in Tests/Fuzz/regressions/<target>/ once, then fuzzes for FUZZ_SECONDS from a copy of the committed
# seed corpus Tests/Fuzz/corpus/<target>/ (new inputs go to the copy, never to the repository).
# Exits non-zero when any regression input or any fuzzed input crashes, leaks, runs out of memory or
# hangs; each new crash is left in $FUZZ_OUT/<target>/artifacts/ with the command that replays it.
#
# Usage: scripts/fuzz.sh [target ...]     targets: json-record delta-log parquet gold-state (default: all)
# Environment: FUZZ_SECONDS (default 60; 0 replays the saved crashes only), FUZZ_OUT (default .build-fuzz/fuzz-out), SWIFT (default swift;
# e.g. "flock /tmp/swift-build.lock swift" to queue behind other builds), FUZZ_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
OUT=${FUZZ_OUT:-.build-fuzz/fuzz-out}
SCRATCH=.build-fuzz
ALL_TARGETS=(json-record delta-log parquet gold-state)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi

product() {
    case $1 in
    json-record) echo FuzzJSONRecord ;;
    delta-log) echo FuzzDeltaLog ;;
    parquet) echo FuzzParquet ;;
    gold-state) echo FuzzGoldState ;;
    *) echo "unknown fuzz target '$1' (targets: ${ALL_TARGETS[*]})" >&2; exit 2 ;;
    esac
}

# Longest input per target: a little above its largest seed (a record value, a commit or checkpoint
# file, a small data file, a state with a few hundred windows).
max_len() {
    case $1 in
    json-record) echo 4096 ;;
    delta-log) echo 32768 ;;
    parquet) echo 16384 ;;
    gold-state) echo 8192 ;;
    esac
}

for target in "${TARGETS[@]}"; do product "$target" >/dev/null; done
[[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || { echo "FUZZ_SECONDS must be a whole number of seconds" >&2; exit 2; }

if [ "${FUZZ_SKIP_BUILD:-}" != 1 ]; then
    mkdir -p "$OUT"
    start=$(date +%s)
    for target in "${TARGETS[@]}"; do
        # PULSE_FUZZ=1 adds the targets to the package (Package.swift); -c debug keeps every check on.
        # Not `--sanitize fuzzer --sanitize address`: SwiftPM passes them as two -sanitize= options in
        # varying order and the driver keeps only the last, so a build lost either the coverage or the
        # ASan instrumentation at random. One combined option keeps both; --sanitize fuzzer remains for
        # SwiftPM to leave `main` to libFuzzer.
        if ! PULSE_FUZZ=1 $SWIFT build -c debug --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address \
            --scratch-path "$SCRATCH" --product "$(product "$target")" >"$OUT/build.log" 2>&1; then
            grep -v "Cannot export local symbol" "$OUT/build.log" | grep -E -A3 "error:" >&2 || tail -40 "$OUT/build.log" >&2
            echo "fuzz: building $target failed ($OUT/build.log)" >&2
            exit 1
        fi
        binary="$SCRATCH/debug/$(product "$target")"
        if ! objdump -h "$binary" | grep __sancov_cntrs >/dev/null || ! nm "$binary" | grep __asan_report_load >/dev/null; then
            echo "fuzz: $binary lacks coverage or ASan instrumentation; rm -rf $SCRATCH and build again" >&2
            exit 1
        fi
    done
    echo "fuzz: ${#TARGETS[@]} targets built in $(($(date +%s) - start)) s"
fi

# Swift's own backtracer would catch the trap before libFuzzer and stall symbolicating: leave crashes
# to libFuzzer and ASan, which print the stack (file:line) and save the input.
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer is off (here and -detect_leaks=0): Swift keeps enum tags in pointer spare bits, so the
# boxes of global indirect enums (Checkpoint.parquetFields) look unreferenced to it and count as leaks.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

passed=0
failed=0
summary=()
for target in "${TARGETS[@]}"; do
    binary="$SCRATCH/debug/$(product "$target")"
    work="$OUT/$target"
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    common=(-rss_limit_mb=2048 -max_len="$(max_len "$target")" -timeout=25 -detect_leaks=0 -artifact_prefix="$work/artifacts/")
    status=ok

    regressions=()
    if [ -d "Tests/Fuzz/regressions/$target" ]; then
        while IFS= read -r -d '' file; do regressions+=("$file"); done \
            < <(find "Tests/Fuzz/regressions/$target" -type f ! -name '*.md' -print0 | sort -z)
    fi
    if [ ${#regressions[@]} -gt 0 ]; then
        if "$binary" "${common[@]}" "${regressions[@]}" >"$work/regressions.log" 2>&1; then
            echo "fuzz: $target: ${#regressions[@]} saved crash inputs replayed, none crashes"
        else
            echo "fuzz: $target: a saved crash input crashes again ($work/regressions.log):" >&2
            grep -E "Running:|ERROR|Fatal error|invariant broken|\.swift:[0-9]+|SUMMARY" "$work/regressions.log" | head -40 >&2
            status=FAILED
        fi
    fi

    if [ "$SECONDS_PER_TARGET" -eq 0 ]; then
        # Only the saved crashes (libFuzzer's -max_total_time=0 would mean "no limit").
        summary+=("$(printf '%-12s %-7s regressions only' "$target" "$status")")
        if [ "$status" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
        continue
    fi
    cp -R "Tests/Fuzz/corpus/$target/." "$work/corpus/"
    echo "fuzz: $target: fuzzing for $SECONDS_PER_TARGET s from $(find "$work/corpus" -type f | wc -l) seeds"
    if ! "$binary" "${common[@]}" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
        "$work/corpus" >"$work/fuzz.log" 2>&1; then
        status=FAILED
        echo "fuzz: $target: crash found ($work/fuzz.log):" >&2
        grep -E "ERROR|Fatal error|invariant broken|\.swift:[0-9]+|SUMMARY|Test unit written" "$work/fuzz.log" |
            head -40 >&2
        for artifact in "$work/artifacts"/*; do
            [ -e "$artifact" ] || continue
            echo "  replay: SWIFT_BACKTRACE=enable=no $binary $artifact" >&2
            echo "  keep:   cp $artifact Tests/Fuzz/regressions/$target/<what-it-breaks>" >&2
        done
    fi
    done_line=$(grep -E "^#[0-9]+[[:space:]]+DONE" "$work/fuzz.log" | tail -1 || true)
    executed=$(grep -oE "stat::number_of_executed_units: [0-9]+" "$work/fuzz.log" | tail -1 | grep -oE "[0-9]+$" || true)
    coverage=$(grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+" <<<"$done_line" || echo "cov: ?")
    rate=$(grep -oE "exec/s: [0-9]+" <<<"$done_line" || echo "exec/s: ?")
    summary+=("$(printf '%-12s %-7s %10s runs  %-14s %s' "$target" "$status" "${executed:-?}" "$rate" "$coverage")")
    if [ "$status" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

echo "fuzz: summary (${SECONDS_PER_TARGET} s per target; logs and corpora in $OUT)"
for line in "${summary[@]}"; do echo "  $line"; done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
