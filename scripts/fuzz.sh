#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets (Fuzz/, a package of its own, so the root package's
# `swift build` never builds them) and runs each for FUZZ_SECONDS (default 60) from a scratch
# copy of its seed corpus (Fuzz/Corpus/<target>/; the repo's copy does not grow), with its
# dictionary (Fuzz/Dictionaries/<target>.dict) when there is one. Prints executions, exec/s,
# coverage and corpus size per target. Exits non-zero if any target crashed; the crash input
# stays in .build-fuzz/runs/<target>/ (printed). FUZZ_TARGETS="smtp-command dns-message" picks
# some; FUZZ_RUNS=N stops each after N executions instead of after FUZZ_SECONDS.
# Replay one input: .build-fuzz/release/<target> <file>. See docs/FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_DETERMINISTIC_HASHING=1
# Swift's backtracer and AddressSanitizer both want the crash signals; libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
seconds=${FUZZ_SECONDS:-60}
scratch=.build-fuzz
mkdir -p "$scratch"

# One -sanitize= flag for swiftc (SwiftPM's --sanitize=fuzzer and --sanitize=address arrive as two,
# and the last one wins); --sanitize=fuzzer as well, so SwiftPM links libFuzzer's main instead of
# renaming the executables' own. Release: three times the executions of a debug build.
build=(swift build --package-path Fuzz --scratch-path "$scratch" -c release
    --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
echo "== building the fuzz targets (log: $scratch/build.log)"
# FUZZ_BUILD_LOCK=file: take that lock for the build only (a machine shared by several builds).
if ! ${FUZZ_BUILD_LOCK:+flock "$FUZZ_BUILD_LOCK"} "${build[@]}" >"$scratch/build.log" 2>&1; then
    grep -v 'Cannot export local symbol' "$scratch/build.log" | tail -40
    exit 1
fi
bin=$(${FUZZ_BUILD_LOCK:+flock "$FUZZ_BUILD_LOCK"} "${build[@]}" --show-bin-path)

all=$(cd Fuzz/Sources && ls -d -- */ | tr -d / | grep -v '^FuzzSupport$')
targets=${FUZZ_TARGETS:-$all}
failed=()
printf '%-14s %10s %8s %6s %7s %6s  %s\n' target runs exec/s cov ft corpus result
for target in $targets; do
    [[ -x "$bin/$target" ]] || { echo "no fuzz target '$target' (have: $(echo $all))" >&2; exit 2; }
    work=$scratch/runs/$target
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/crashes"
    cp Fuzz/Corpus/"$target"/* "$work/corpus/" 2>/dev/null || true
    options=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/crashes/")
    [[ -n "${FUZZ_RUNS:-}" ]] && options=(-runs="$FUZZ_RUNS" -print_final_stats=1 -artifact_prefix="$work/crashes/")
    [[ -f Fuzz/Dictionaries/$target.dict ]] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
    status=0
    nice -n 19 "$bin/$target" "${options[@]}" "$work/corpus" >"$work/log" 2>&1 || status=$?
    # libFuzzer's final lines: "#N DONE cov: C ft: F corp: K/…" and "stat::…: value".
    stat() { awk -v key="$1" '$1 == "stat::" key ":" { print $2 }' "$work/log" | tail -1; }
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$work/log" | tail -1 || true)
    field() { sed -nE "s/.* $1: ([0-9]+[^ ]*).*/\1/p" <<<"$done_line"; }
    result=ok
    crash=$(ls "$work/crashes" 2>/dev/null | head -1)
    if [[ $status -ne 0 || -n "$crash" ]]; then
        result="CRASH $work/crashes/$crash (log: $work/log)"
        failed+=("$target")
    fi
    printf '%-14s %10s %8s %6s %7s %6s  %s\n' "$target" "$(stat number_of_executed_units)" \
        "$(stat average_exec_per_sec)" "$(field cov)" "$(field ft)" "$(field corp | cut -d/ -f1)" "$result"
done
if ((${#failed[@]})); then
    echo "crashed: ${failed[*]}" >&2
    exit 1
fi
