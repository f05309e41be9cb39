#!/usr/bin/env bash
# Runs QMS Agent Host on http://localhost:${QMS_PORT:-5080}.
# Without QMS_DB it installs and starts a private PostgreSQL with pgvector under ${QMS_DATA:-.data}.
# The host migrates its database, loads the plugins and seeds the demo tenant on start.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh

qms_db_ensure
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
port="${QMS_PORT:-5080}"
data_dir="${QMS_DATA:-$repo/.data}"
mkdir -p "$data_dir"

# One demo password per data directory, made on first run and kept beside the database.
demo_file="$data_dir/demo-password"
if [[ ! -s "$demo_file" ]]; then
  (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/Demo-/' >"$demo_file")
fi
export QMS_DEMO_PASSWORD
QMS_DEMO_PASSWORD="$(cat "$demo_file")"

echo "[run] building" >&2
dotnet build QmsAgentHost.sln -c Release -nologo -v quiet -clp:ErrorsOnly
export QMS_PLUGINS="${QMS_PLUGINS:-$repo/artifacts/plugins}"
export QMS_PORT="$port"

# From the project folder, like `dotnet run`: the content root then holds appsettings.json and
# wwwroot (the console's stylesheet), which the build output does not.
(cd host/QmsAgentHost && exec dotnet "bin/Release/net10.0/QmsAgentHost.dll" serve) &
host_pid=$!
trap 'kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true' INT TERM

# Plain bash, so a machine without curl can run it too.
ready() {
  local reply
  # The braces keep the 2>/dev/null to this line; on a bare exec it would silence the script for good.
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  IFS= read -r -t 5 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == *" 200 "* ]]
}

for _ in $(seq 1 120); do
  if ! kill -0 "$host_pid" 2>/dev/null; then
    echo "[run] the host stopped during start-up; see the log above" >&2
    wait "$host_pid"
    exit 1
  fi
  if ready; then
    break
  fi
  sleep 0.5
done

if ! ready; then
  echo "[run] the host did not become ready within a minute; see the log above" >&2
fi
api_key_line="API keys: create one with POST /api/api-keys after signing in, or set QMS_DEMO_API_KEY before the first run"
if [[ -n ${QMS_DEMO_API_KEY:-} ]]; then
  api_key_line="API key of owner@acme.example: $QMS_DEMO_API_KEY"
fi
cat <<INFO

  QMS Agent Host is running: http://localhost:$port   (sign in: http://localhost:$port/sign-in)
  Demo tenant "Acme Manufacturing": organization acme (http://localhost:$port/sign-in?org=acme), sites Detroit, Monterrey.
  Password for every demo user: $QMS_DEMO_PASSWORD
    owner@acme.example   admin@acme.example   manager@acme.example
    analyst@acme.example viewer@acme.example  auditor@acme.example
  API: http://localhost:$port/api/... with Authorization: Bearer <API key>
  $api_key_line
  Stop: Ctrl+C

INFO
wait "$host_pid"
