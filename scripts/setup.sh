#!/usr/bin/env bash
# Prepare this machine to build (and, with --test, to test) Rapport. Safe to run again: every
# step is skipped when already done.
#
#   scripts/setup.sh             system packages to build and run, UI dependencies, UI build
#   scripts/setup.sh --test      also the test tools: Xvfb, WebKitWebDriver, D-Bus, dunst,
#                                ImageMagick, xdotool, and tauri-driver (cargo install)
#   scripts/setup.sh --headless  also Xvfb, to run the app without a display
#
# Environment: RAPPORT_SKIP_APT=1 skips the system packages (e.g. no sudo; install them yourself).
# Supported: Debian 12, Ubuntu 22.04 and later (apt). Elsewhere install the equivalents by hand
# (see README.md) and use RAPPORT_SKIP_APT=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WANT_TEST=0
WANT_HEADLESS=0
for arg in "$@"; do
    case "$arg" in
        --test) WANT_TEST=1 ;;
        --headless) WANT_HEADLESS=1 ;;
        -h | --help)
            sed -n '2,12p' "$0"
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: ERROR: %s\n' "$*" >&2
    exit 1
}

# --- System packages ---------------------------------------------------------------------------

BUILD_PKGS=(libwebkit2gtk-4.1-dev build-essential pkg-config curl)
# Run time: the tray needs appindicator (the app panics at start without it); a CJK font, or
# every Chinese character is drawn as a box.
RUN_PKGS=(libayatana-appindicator3-1 fonts-wqy-microhei)
HEADLESS_PKGS=(xvfb xauth)
# locales: the zh_CN sources the e2e tests build a private Chinese locale from (no system change).
TEST_PKGS=(xvfb xauth webkit2gtk-driver dbus dunst imagemagick x11-utils xdotool libdbus-1-dev locales)

pkgs=("${BUILD_PKGS[@]}" "${RUN_PKGS[@]}")
[[ $WANT_HEADLESS == 1 ]] && pkgs+=("${HEADLESS_PKGS[@]}")
[[ $WANT_TEST == 1 ]] && pkgs+=("${TEST_PKGS[@]}")

apt_install() {
    local missing=()
    local p
    for p in "$@"; do
        if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
            missing+=("$p")
        fi
    done
    # Drop duplicates (xvfb is in two groups).
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "system packages: all $# present"
        return
    fi
    local sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null || die "missing packages (${missing[*]}) and no sudo; install them as root, then rerun with RAPPORT_SKIP_APT=1"
        sudo=(sudo)
    fi
    say "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [[ "${RAPPORT_SKIP_APT:-0}" == 1 ]]; then
    say "system packages: skipped (RAPPORT_SKIP_APT=1)"
elif ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    say "system packages: not a Debian/Ubuntu system; install the WebKitGTK 4.1 development files,"
    say "  libayatana-appindicator3 and a CJK font yourself (see README.md), then rerun with RAPPORT_SKIP_APT=1"
else
    apt_install "${pkgs[@]}"
fi

# --- Toolchains ----------------------------------------------------------------------------------

version_ge() { # is $1 >= $2 (dotted numbers)?
    [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

NEED_RUST="$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
NEED_RUST="${NEED_RUST:-1.90}"
if ! command -v cargo >/dev/null; then
    [[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null; then
    die "Rust is not installed. Install it with rustup (https://rustup.rs):
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    . \"\$HOME/.cargo/env\"
then run this script again. (The distribution's rustc is too old: Rapport needs Rust $NEED_RUST or newer.)"
fi
have_rust="$(rustc --version | awk '{print $2}')"
version_ge "${have_rust%%-*}" "$NEED_RUST" || die "Rust $have_rust is too old; Rapport needs $NEED_RUST or newer: rustup update stable"
say "rust: $have_rust"

NEED_NODE="$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' ui/package.json 2>/dev/null | head -n1)"
NEED_NODE="${NEED_NODE:-20.19}"
node_help="Rapport's UI build needs Node.js $NEED_NODE or newer with npm. Install it from https://nodejs.org,
    with nvm (https://github.com/nvm-sh/nvm), or from NodeSource's apt repository (https://github.com/nodesource/distributions);
then run this script again."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [[ "${RAPPORT_SKIP_APT:-0}" != 1 ]] && command -v apt-get >/dev/null; then
        say "node/npm not found: trying the distribution's nodejs and npm"
        apt_install nodejs npm || true
    fi
    command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are not installed. $node_help"
fi
have_node="$(node --version | sed 's/^v//')"
version_ge "$have_node" "$NEED_NODE" || die "Node.js $have_node is too old. $node_help"
say "node: $have_node, npm: $(npm --version)"

# --- UI: dependencies and build -------------------------------------------------------------------

[[ -f ui/package.json ]] || die "ui/package.json is missing: is this a complete checkout?"
lock_hash="$(cat ui/package.json ui/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
stamp=ui/node_modules/.rapport-setup-stamp
if [[ -d ui/node_modules && -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
    say "ui dependencies: up to date"
elif [[ -d ui/node_modules && ! -f "$stamp" && ui/node_modules/.package-lock.json -nt ui/package-lock.json ]]; then
    # Installed by hand after the lock file last changed: adopt it.
    echo "$lock_hash" >"$stamp"
    say "ui dependencies: up to date (installed earlier)"
else
    say "ui dependencies: npm ci"
    if [[ -f ui/package-lock.json ]]; then
        (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    else
        (cd ui && npm install --no-audit --no-fund --loglevel=error)
    fi
    echo "$lock_hash" >"$stamp"
fi

# Build into a scratch folder and replace ui/dist only when something changed: the app embeds
# ui/dist at compile time, so fresh timestamps on identical files would make cargo rebuild it.
say "ui build: npm run build"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rapport-ui-dist.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
(cd ui && npm run --silent build -- --outDir "$scratch/dist" --emptyOutDir --logLevel warn)
if [[ -d ui/dist ]] && diff -rq "$scratch/dist" ui/dist >/dev/null 2>&1; then
    say "ui build: unchanged"
else
    rm -rf ui/dist
    mv "$scratch/dist" ui/dist
    say "ui build: ui/dist updated"
fi

# --- Test tools ------------------------------------------------------------------------------------

if [[ $WANT_TEST == 1 ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
    if command -v tauri-driver >/dev/null; then
        say "tauri-driver: $(command -v tauri-driver)"
    else
        say "tauri-driver: cargo install tauri-driver --locked --version 2.1.0"
        cargo install tauri-driver --locked --version 2.1.0 --quiet
    fi
    command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver is missing (apt-get install webkit2gtk-driver)"
fi

say "done"
