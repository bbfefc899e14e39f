#!/usr/bin/env bash
# make lint: the tree must pass `swift format lint --strict` with the checked-in .swift-format.
# `make format` rewrites the tree so that it does.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Shared Services Tests)
[ -d Fuzz ] && paths+=(Fuzz)
[ -d Benchmarks ] && paths+=(Benchmarks)
if [ "${1:-}" = "--fix" ]; then
    swift format format --in-place --recursive --parallel "${paths[@]}"
fi
swift format lint --strict --recursive --parallel "${paths[@]}"
echo "swift format lint --strict: clean"
