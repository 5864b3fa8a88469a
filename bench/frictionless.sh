#!/usr/bin/env bash
# Validates the 1,008,000-row file with frictionless-py and with baocao's
# native reader + checker, and prints both times and their ratio.
#   bench/frictionless.sh            (installs frictionless with pip if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=bench/out/long-1m.csv
[ -f "$FILE" ] || cargo run --release --example generate_long_csv -- "$FILE"
python3 -c 'import frictionless' 2>/dev/null || python3 -m pip install -q frictionless
# The equivalent Table Schema: every column required. Values stay strings:
# a few indicators hold text (PAPI's group), which a number column would
# reject row by row.
cat > bench/out/schema.json <<'JSON'
{ "fields": [
  { "name": "Mã chỉ tiêu", "type": "string", "constraints": { "required": true } },
  { "name": "Đơn vị báo cáo", "type": "string", "constraints": { "required": true } },
  { "name": "Kỳ", "type": "string", "constraints": { "required": true } },
  { "name": "Giá trị", "type": "string", "constraints": { "required": true } }
] }
JSON
# Native figures use the bench profile (opt-level 3; the page's wasm is built for size).
cargo build --profile bench --example validate_long_csv -q
t0=$(date +%s.%N)
python3 - "$FILE" <<'PY'
import sys
from frictionless import validate
report = validate(sys.argv[1], schema="bench/out/schema.json")
print(f"frictionless: valid={report.valid}, rows={report.tasks[0].stats['rows']}")
PY
t1=$(date +%s.%N)
ROUNDS=1 ./target/release/examples/validate_long_csv "$FILE"
t2=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" "$FILE" <<'PY'
import os, sys
t0, t1, t2, f = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
mb = os.path.getsize(f) / 1e6
fl, bc = t1 - t0, t2 - t1
print(f"frictionless validate : {fl:6.1f} s  {mb / fl:6.1f} MB/s")
print(f"baocao read + check   : {bc:6.1f} s  {mb / bc:6.1f} MB/s  (includes process start)")
print(f"ratio                 : {fl / bc:6.1f}x")
PY
