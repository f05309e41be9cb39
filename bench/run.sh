#!/usr/bin/env bash
# Runs the benchmarks against the private PostgreSQL (started if needed) and writes the reports to
# bench/results/. Pass BenchmarkDotNet arguments through, e.g. --filter '*greet*'.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=../scripts/lib/postgres.sh
source scripts/lib/postgres.sh
qms_db_ensure
dotnet build QmsAgentHost.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet run --project bench/QmsAgentHost.Benchmarks -c Release --no-build -- --filter '*' "$@"
# Keep the reports (not the logs) next to the code that produced them.
mkdir -p bench/results
cp bench/BenchmarkDotNet.Artifacts/results/*-report-github.md bench/BenchmarkDotNet.Artifacts/results/*-report.csv bench/results/
