# shellcheck shell=bash
# Sourced by scripts/build, run, test and bench: installs what is missing, skips
# what is there, and says what it does. Versions are pinned in rust-toolchain.toml,
# Cargo.toml (wasm-bindgen), tools/package.json (binaryen) and end2end/package.json.
# cargo-leptos is not needed (scripts/build does its job); it stays an optional
# extra for `cargo leptos watch` and is never installed from here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLCHAIN="$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)"

export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

ensure_rust() {
  command -v rustup >/dev/null || die "rustup is missing: install it from your distribution or rustup.rs, then rerun."
  if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
    say "Installing Rust $TOOLCHAIN with the wasm32 target, rustfmt and clippy"
    rustup toolchain install "$TOOLCHAIN" --profile minimal -c rustfmt -c clippy -t wasm32-unknown-unknown
  else
    say "Rust $TOOLCHAIN is installed"
  fi
  rustup target list --installed --toolchain "$TOOLCHAIN" | grep -q wasm32-unknown-unknown ||
    { say "Adding the wasm32 target"; rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown; }
  local installed
  installed="$(rustup component list --installed --toolchain "$TOOLCHAIN")"
  for c in rustfmt clippy; do
    grep -q "^$c" <<<"$installed" || { say "Adding $c"; rustup component add --toolchain "$TOOLCHAIN" "$c"; }
  done
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "wasm-bindgen $WASM_BINDGEN_VERSION is installed"
  else
    say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (5-8 minutes on 2 cores, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# wasm-opt for release builds, from npm: Debian's binaryen is too old and breaks hydration.
ensure_wasm_opt() {
  if [ -x tools/node_modules/.bin/wasm-opt ]; then
    say "wasm-opt (npm binaryen) is installed"
  else
    say "Installing wasm-opt from npm's binaryen"
    npm ci --prefix tools --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  if command -v chromium >/dev/null; then
    say "Chromium is installed"
  else
    say "Installing Debian's Chromium for the browser tests (about a minute)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_playwright() {
  if [ -d end2end/node_modules/@playwright/test ] && [ -d end2end/node_modules/@axe-core/playwright ] && [ -d end2end/node_modules/ical.js ]; then
    say "Playwright is installed"
  else
    say "Installing Playwright (the test runner only; it drives Debian's Chromium), axe-core and ical.js"
    npm ci --prefix end2end --no-audit --no-fund --loglevel=error
  fi
}

ensure_nextest() {
  if cargo nextest --version >/dev/null 2>&1; then
    say "cargo-nextest is installed"
  else
    say "Installing cargo-nextest (runs each test in its own process)"
    cargo install --locked cargo-nextest
  fi
}
