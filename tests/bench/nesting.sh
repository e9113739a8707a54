#!/usr/bin/env bash
# nesting.sh — reading stays linear in nesting depth.
#
# Writes Markdown briefs whose body is one line of `> ` (a quote in a quote …), of `- ` (a
# list in a list …) or of `*a ` … ` b*` (emphasis in emphasis) repeated 50 000, 100 000 and
# 200 000 times, then times `briefpress check`
# (reading only) and `briefpress build -f epub` on each under GNU time: wall time and peak
# memory per case, and the 200 k / 100 k ratio (linear: near 2; quadratic: near 4).
#
# usage: tests/bench/nesting.sh [BINARY]     (default: target/release/briefpress, built when
#        missing; set CARGO_TARGET_DIR to use another target folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/binary.sh

for kind in quote list emphasis; do
    for n in 50000 100000 200000; do
        python3 - "$work/$kind-$n.md" "$kind" "$n" <<'PY'
import sys
path, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = {
    "quote": "> " * n + "deepest words",
    "list": "- " * n + "deepest words",
    "emphasis": "*a " * n + "deepest words" + " b*" * n,
}[kind]
with open(path, "w") as f:
    f.write("---\ntitle: Deep\n---\n\n" + body + "\n")
PY
    done
done

printf '%-7s %-8s %-6s %9s %10s\n' kind levels step seconds "peak MB"
cd "$work"
for kind in quote list emphasis; do
    for step in check build; do
        declare -A secs=()
        for n in 50000 100000 200000; do
            args=(check "$kind-$n.md")
            [[ $step == build ]] && args=(build -f epub -o out "$kind-$n.md")
            /usr/bin/time -f '%e %M' -o t.txt "$bin" "${args[@]}" >/dev/null 2>err.txt || {
                echo "nesting.sh: $kind $n $step failed:" >&2
                cat err.txt >&2
                exit 1
            }
            read -r s kb <t.txt
            secs[$n]=$s
            printf '%-7s %-8s %-6s %9s %10d\n' "$kind" "$n" "$step" "$s" $((kb / 1024))
        done
        python3 -c "import sys; a,b=map(float,sys.argv[1:]); print(f'{\"\":7} 200k/100k {\"\":6} ratio {b/a if a else float(\"nan\"):.2f}')" \
            "${secs[100000]}" "${secs[200000]}"
        unset secs
    done
done
