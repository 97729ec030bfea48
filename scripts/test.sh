#!/usr/bin/env bash
# Every check Rapport has, in one command (CI runs exactly this through .ci/run):
#
#   setup (with test tools) → rustfmt → UI unit tests → clippy → Rust tests → build the app for
#   end-to-end tests → end-to-end tests (real app, tauri-driver, Xvfb, private D-Bus)
#
# Stops at the first failure with a non-zero exit; prints a summary with each step's time.
#
#   ./scripts/test.sh                        everything
#   RAPPORT_E2E_FILTER=restart ./scripts/test.sh   only the e2e scenarios whose names contain it
#   RAPPORT_UPDATE_DOCS=1 ./scripts/test.sh  also copy the main screenshots to docs/screenshots/
#
# Screenshots: target/e2e-screenshots/<scenario>-<step>.png. Logs of tauri-driver and the app:
# target/e2e-logs/tauri-driver-<port>.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

# One debug target folder for clippy, tests and the e2e build; no incremental caches on CI (a
# clean machine never reuses them, and writing them costs time and disk).
if [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; then
    export CARGO_INCREMENTAL=0
    export CARGO_TERM_PROGRESS_WHEN=never
    # No debug info on CI: on 2 cores the DWARF of the Tauri stack costs minutes of codegen and
    # linking per test binary, and CI only needs the backtraces' function names. (Locally the
    # profile keeps its debug info, so a developer's warm target folder stays valid.)
    export CARGO_PROFILE_DEV_DEBUG=0
fi
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"

STEPS=()
TIMES=()
started_all=$SECONDS

summary() {
    local status=$1
    echo
    echo "================================ summary ================================"
    local i
    for i in "${!STEPS[@]}"; do
        printf '  %-44s %s\n' "${STEPS[$i]}" "${TIMES[$i]}"
    done
    printf '  %-44s %ss\n' "total" "$((SECONDS - started_all))"
    if [[ $status == 0 ]]; then
        echo "ALL CHECKS PASSED"
    else
        echo "FAILED: ${STEPS[-1]}"
        # What failed, repeated here: a CI page may show only the end of the output.
        [[ -n "${FAIL_NOTE:-}" ]] && printf '%s\n' "$FAIL_NOTE"
    fi
}

step() { # name command...
    local name=$1
    shift
    echo
    echo "================ [$((${#STEPS[@]} + 1))] $name ================"
    echo "\$ $*"
    local t0=$SECONDS
    STEPS+=("$name")
    TIMES+=("running")
    local rc=0
    "$@" || rc=$?
    if [[ $rc -ne 0 ]]; then
        TIMES[-1]="FAILED after $((SECONDS - t0))s (exit $rc)"
        summary 1
        exit "$rc"
    fi
    TIMES[-1]="ok    $((SECONDS - t0))s"
}

run_e2e() {
    # On a virtual screen with a private session bus (notifications need one; dunst starts on it
    # by itself). The runner's last line, "e2e: N passed, M failed", is the verdict.
    local filter=()
    [[ -n "${RAPPORT_E2E_FILTER:-}" ]] && filter=(-- "$RAPPORT_E2E_FILTER")
    local log rc=0
    log="$(mktemp)"
    xvfb-run -a -s "-screen 0 1440x900x24" \
        dbus-run-session -- cargo test -p rapport-e2e --test e2e "${LOCKED[@]}" "${filter[@]}" 2>&1 |
        tee "$log" || rc=$?
    if [[ $rc == 0 ]] && ! grep -Eq '^e2e: [1-9][0-9]* passed, 0 failed$' "$log"; then
        echo "test.sh: the e2e runner did not report success" >&2
        rc=1
    fi
    if [[ $rc != 0 ]]; then
        # Each failed scenario's name and the first lines of its message.
        FAIL_NOTE="$(grep -A4 -E '^---- [a-z_]+ ----$' "$log" | cut -c1-300 | head -40 || true)"
    fi
    rm -f "$log"
    return "$rc"
}

update_docs() {
    local src=target/e2e-screenshots name
    mkdir -p docs/screenshots || return
    for name in setup shell-zh shell-en login-error; do
        cp "$src/foundation_first_run-$name.png" "docs/screenshots/$name.png" || return
        echo "docs/screenshots/$name.png"
    done
}

# --locked once a Cargo.lock exists: CI must build exactly what was committed.
LOCKED=()
[[ -f Cargo.lock ]] && LOCKED=(--locked)

step "setup (packages, tools, UI build)" bash scripts/setup.sh --test
step "rustfmt" cargo fmt --all -- --check
step "UI unit tests (npm test)" npm --prefix ui test --silent
# Build sharing, on 2 cores it matters (measured: each avoidable rebuild of the Tauri stack costs
# minutes). Cargo resolves features per invocation, and a different feature set means a second
# build of everything above the changed crate:
#  - rapport-e2e (fantoccini → webdriver → old icu crates) turns on syn's "fold" feature, which would
#    rebuild every proc macro; so it gets its own clippy and build invocations;
#  - the app for e2e is built with the same package selection and dev-dependencies as the test
#    step (--workspace --exclude rapport-e2e --bins --tests), so only rapport itself is compiled
#    again (for test-clock), not tauri and its dependencies.
step "clippy (workspace, all targets)" \
    cargo clippy --workspace --exclude rapport-e2e --all-targets "${LOCKED[@]}" -- -D warnings
step "clippy (e2e tests)" cargo clippy -p rapport-e2e --all-targets "${LOCKED[@]}" -- -D warnings
step "Rust tests (unit + integration)" cargo test --workspace --exclude rapport-e2e "${LOCKED[@]}"
step "build the app for e2e (test-clock)" \
    cargo build --workspace --exclude rapport-e2e --bins --tests --features rapport/test-clock "${LOCKED[@]}"
step "build the e2e runner" cargo test -p rapport-e2e --test e2e --no-run "${LOCKED[@]}"
step "end-to-end tests (Xvfb + tauri-driver)" run_e2e
if [[ "${RAPPORT_UPDATE_DOCS:-0}" == 1 ]]; then
    step "copy screenshots to docs/screenshots" update_docs
fi
summary 0
