#!/usr/bin/env bash
# Measure the built app (docs/benchmarks.md): the .deb's size, and under Xvfb through
# tauri-driver the cold start to the first screen, the memory (PSS) of the app with its WebKit
# processes beside an empty Tauri window, and global-search keystroke → results painted.
# Not part of .ci/run. Needs scripts/setup.sh done and cargo-tauri installed (see README).
#
#   scripts/measure-app.sh [DATA_DIR]
#
# DATA_DIR: a data folder to measure on (default: the large demo set, generated once into
# /tmp/rapport-measure-large, ~3 min and 1.2 GB). It is copied first; the copy is deleted.
# RAPPORT_E2E_PORT (default 4480): tauri-driver's port. The figures are printed as JSON lines
# (name, n, p50_ms, p95_ms, target_ms, met), the whole output goes to target/measure-app.log.
#
# What is measured (tests/measure/main.rs, 5 launches each):
# - first screen: process start (/proc/PID/stat) → the page's first contentful paint (Paint
#   Timing API), read after the fact through WebDriver, so nothing in the app is instrumented;
#   the empty window paints no content, its figure is to the page's load event (also given
#   for Rapport);
# - memory: PSS (/proc/PID/smaps_rollup) of the app and its WebKit child processes 3 s after
#   the first screen, and on the data set after logging in (admin / rapport-demo) and opening
#   the customer list;
# - keystroke → painted: 50 queries typed into the global search (last character through
#   WebDriver), keydown → the end of the first frame showing new results; and, for comparison,
#   the bare customer_search IPC round trip.
set -euo pipefail
cd "$(dirname "$0")/.."

source_dir=${1:-/tmp/rapport-measure-large}
port=${RAPPORT_E2E_PORT:-4480}

if ! pkg-config --exists ayatana-appindicator3-0.1; then
    echo "measure-app: install libayatana-appindicator3-dev first (the .deb bundler needs it)" >&2
    exit 1
fi
npm --prefix ui ci --no-audit --no-fund >/dev/null
npm --prefix ui run build >/dev/null
(cd src-tauri && cargo tauri build --bundles deb)
cargo build --release -p rapport --example empty_window
cargo build --release -p rapport-admin

deb=$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
bytes=$(stat -c %s "$deb")
python3 -c "import json,sys; b=int(sys.argv[1]); mb=round(b/1048576,2); print(json.dumps({'name':'deb_size_mb','file':sys.argv[2],'mb':mb,'target_mb':12,'met':mb<=12}))" "$bytes" "$deb"

if [ ! -f "$source_dir/rapport.sqlite3" ]; then
    target/release/rapport-admin --data-dir "$source_dir" demo --size large
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir" "$work/data"
# Open it once with the release build: a migration (and its backup) happens now, not during
# the first measured start, and today's backup exists so no start copies the whole file.
target/release/rapport-admin --data-dir "$work/data" check >/dev/null
target/release/rapport-admin --data-dir "$work/data" backup "$work/data/backups/rapport-$(date -u +%Y%m%d-%H%M%S)-manual.sqlite3" >/dev/null

# Fresh XDG folders (WebKit's caches and local storage start empty; HOME stays, cargo needs it).
# "Cold" means a new process each time; the OS file cache is warm, as on a desktop after login.
mkdir -p "$work/xdg/config" "$work/xdg/cache" "$work/xdg/data"
log=target/measure-app.log
if XDG_CONFIG_HOME="$work/xdg/config" XDG_CACHE_HOME="$work/xdg/cache" XDG_DATA_HOME="$work/xdg/data" \
    RAPPORT_BIN="$PWD/target/release/rapport" \
    RAPPORT_EMPTY_BIN="$PWD/target/release/examples/empty_window" \
    RAPPORT_MEASURE_DATA="$work/data" \
    RAPPORT_E2E_PORT="$port" \
    xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- \
    cargo test -p rapport-e2e --test measure >"$log" 2>&1; then
    grep '^{' "$log"
else
    grep '^{' "$log" || true
    echo "measure-app: the measurement failed; see $log" >&2
    exit 1
fi
echo "{\"name\":\"load_average\",\"uptime\":\"$(uptime | sed 's/.*load average: //')\"}"
