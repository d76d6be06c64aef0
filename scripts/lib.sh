# Shared by scripts/*: paths, logging, the cargo target dir. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# Two cores on the reference machine: leave one breath for the rest of the system.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# The first cargo registry source dir, the benchmarks' default tree (nothing if none). A
# glob, not `ls | head`: under pipefail, head closing the pipe early killed ls with SIGPIPE
# and the script with it (exit 141).
registry_tree() {
  local d
  for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    if [ -d "$d" ]; then echo "$d"; return; fi
  done
}
