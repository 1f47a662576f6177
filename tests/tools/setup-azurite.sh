#!/usr/bin/env bash
# Installs the pinned Azurite (tests/tools/azurite/package-lock.json) that the storage tests start themselves.
# Idempotent: skips `npm ci` while node_modules matches the lockfile it was installed from.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/azurite" && pwd)"
installed="$dir/node_modules/.package-lock.json"
if [ -f "$installed" ] && [ -x "$dir/node_modules/.bin/azurite-blob" ] && [ "$installed" -nt "$dir/package-lock.json" ]; then
  echo "azurite $(node -p "require('$dir/node_modules/azurite/package.json').version") already installed"
  exit 0
fi
command -v npm >/dev/null || { echo "setup-azurite: npm (Node.js) is required" >&2; exit 1; }
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
