#!/usr/bin/env bash
# tables.sh — a long table lays out in linear time.
#
# Writes Markdown briefs holding one pipe table of 100, 1 000 and 10 000 rows (five columns:
# a name, three right-aligned figures and a short phrase that sometimes wraps), then times
# `briefpress build -f pdf` on each under GNU time: wall time, peak memory and pages per
# case, and the 10 000 / 1 000 ratio (linear: near 10; quadratic: near 100).
#
# usage: tests/bench/tables.sh [BINARY]     (default: target/release/briefpress, built when
#        missing; set CARGO_TARGET_DIR to use another target folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/binary.sh

declare -A secs
printf '%8s  %9s  %9s  %6s\n' rows "wall (s)" "peak (MB)" pages
for n in 100 1000 10000; do
    python3 - "$work/t$n.md" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
notes = ["", "a short note", "a longer remark that wraps in its narrow column now and then"]
rows = ["| Region | Households | Share (%) | Change | Remark |", "|:--|--:|--:|--:|:--|"]
for i in range(1, n + 1):
    rows.append(f"| Region {i} | {1000 + i * 37} | {(i * 7) % 100}.{i % 10} | +{i % 5}.{(i * 3) % 10} | {notes[i % 3]} |")
with open(path, "w") as f:
    f.write("---\ntitle: Long table\n---\n\nA table of many rows.\n\n" + "\n".join(rows)
            + "\n\nTable: Households by region. Source: A survey.\n")
PY
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" build -q -f pdf -o "$work/out" "$work/t$n.md"
    read -r wall kb <"$work/time"
    pages=$(pdfinfo "$work/out/t$n.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    secs[$n]=$wall
    printf '%8s  %9s  %9s  %6s\n' "$n" "$wall" "$((kb / 1024))" "${pages:-?}"
done
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'10 000 / 1 000 rows: {b / a:.1f} (linear: near 10)' if a > 0 else 'too fast to compare')" "${secs[1000]}" "${secs[10000]}"
