#!/usr/bin/env bash
# Runs every test of the product against a real PostgreSQL with pgvector and a real browser.
# Installs what is missing (PostgreSQL, pgvector, Chromium) on a fresh Debian machine.
# The last line is "N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=lib/chromium.sh
source scripts/lib/chromium.sh

qms_db_ensure
qms_chromium_ensure
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "[test] building" >&2
if ! dotnet build QmsAgentHost.sln -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "[test] running tests" >&2
set +e
dotnet test QmsAgentHost.sln --no-build -nologo -v quiet \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?
set -e

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The runner failed without reporting a failed test (a crash, or no results): count it.
  failed=1
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
