#!/usr/bin/env bash
# The one test command (README, .ci/run). On a fresh machine with only the .NET SDK and Node.js it installs
# what the tests need, then runs every test project in the solution.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Test prerequisites: each script is idempotent and fast when its work is already done.
for setup in tests/tools/setup-*.sh; do
  [ -e "$setup" ] || continue
  echo "== $setup"
  bash "$setup"
done

dotnet test FaceFunctions.sln -c Release --logger "console;verbosity=normal" "$@"
