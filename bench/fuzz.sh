#!/usr/bin/env bash
# Runs every fuzz target for a while (default 60 s each; not part of CI) and
# keeps every crashing input as a regression test: tests/no_panic.rs reads
# tests/fixtures/fuzz-regressions/ on every `cargo test`.
#   bench/fuzz.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz needs nightly-only flags; this machine has one stable toolchain.
export RUSTC_BOOTSTRAP=1
mkdir -p fuzz/corpus/read_file
cp tests/fixtures/read/* tests/fixtures/bieu/* fuzz/corpus/read_file/ 2>/dev/null || true
status=0
mkdir -p fuzz/corpus/xlsx_sheet
for target in read_file xlsx_sheet read_number template snapshot writers protocol; do
  echo "==> $target for ${SECONDS_PER_TARGET}s"
  # The readers are fuzzed as they ship (-O: no overflow checks; calamine's
  # XLS reader lets damaged record lengths wrap, then refuses them).
  flags=()
  [ "$target" = read_file ] && flags=(-O)
  if ! cargo fuzz run "${flags[@]}" "$target" -- -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096; then
    status=1
  fi
  for crash in fuzz/artifacts/"$target"/crash-* fuzz/artifacts/"$target"/oom-* fuzz/artifacts/"$target"/timeout-*; do
    [ -e "$crash" ] || continue
    # An xlsx_sheet input is a sheet's XML parts, not a file: it is kept for
    # `cargo fuzz run xlsx_sheet <input>`, and as a fixture once made into a
    # workbook by hand.
    cp "$crash" "tests/fixtures/fuzz-regressions/$target-$(basename "$crash")"
    echo "kept $crash as a regression test"
  done
done
exit $status
