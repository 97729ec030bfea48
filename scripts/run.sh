#!/usr/bin/env bash
# Build and start Rapport: the one command for a fresh Debian 12 / Ubuntu 22.04+ machine.
#
#   ./scripts/run.sh                       install what is missing, build (release), start
#   ./scripts/run.sh --data-dir DIR        ... on the data folder DIR (any app arguments pass through)
#   RAPPORT_DATA_DIR=DIR ./scripts/run.sh  the same, through the environment
#   RAPPORT_HEADLESS=1 ./scripts/run.sh    no display: run on a virtual one (xvfb-run -a)
#
# The first run installs system packages (sudo), the UI's npm packages, and compiles for a few
# minutes; later runs start in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

headless=0
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    if [[ "${RAPPORT_HEADLESS:-0}" == 1 ]]; then
        headless=1
    else
        cat >&2 <<'EOF'
run.sh: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).
Rapport is a desktop app: start it from a graphical session (or over ssh -X).
To start it anyway on a virtual display (nothing visible; for smoke tests), run:
    RAPPORT_HEADLESS=1 ./scripts/run.sh
EOF
        exit 1
    fi
fi

setup_args=()
[[ $headless == 1 ]] && setup_args+=(--headless)
bash scripts/setup.sh "${setup_args[@]}"
export PATH="$HOME/.cargo/bin:$PATH"

echo "run: cargo build --release -p rapport"
cargo build --release -p rapport

target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
bin="${target_dir:-$ROOT/target}/release/rapport"

if [[ $headless == 1 ]]; then
    echo "run: no display: starting on a virtual display (xvfb-run -a); stop with Ctrl-C"
    exec xvfb-run -a -s "-screen 0 1440x900x24" "$bin" "$@"
fi
echo "run: starting $bin $*"
exec "$bin" "$@"
