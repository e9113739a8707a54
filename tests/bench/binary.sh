# Sourced by the timing scripts (big-brief.sh, nesting.sh, tables.sh), from the repository's
# root: sets `bin`, the binary to time — the script's first argument, else the release build,
# built when missing (CARGO_TARGET_DIR picks another target folder) — as an absolute path, and
# `work`, a scratch folder removed on exit; stops when GNU time is missing.
target="${CARGO_TARGET_DIR:-target}"
bin="${1:-$target/release/briefpress}"
bin="$(realpath "$bin" 2>/dev/null || echo "$bin")"
if [[ ! -x "$bin" ]]; then
    cargo build --release
    bin="$(realpath "$target/release/briefpress")"
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "$(basename "$0"): GNU time (/usr/bin/time) is needed (Debian: apt-get install time)" >&2
    exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
