#!/usr/bin/env bash
# Manage the private PostgreSQL cluster of this repo (see scripts/lib/postgres.sh).
#
#   scripts/db.sh start          install if needed, start, create roles/database
#   scripts/db.sh stop           stop the cluster (no error if not running)
#   scripts/db.sh status         exit 0 if running, 3 if not
#   scripts/db.sh env            print `export QMS_...=...` lines: eval "$(scripts/db.sh env)"
#   scripts/db.sh psql [args]    psql as qms_owner on database qms
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

# shellcheck source=lib/postgres.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/postgres.sh"

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# psql with the owner connection string (Npgsql "Key=Value;..." format) mapped to
# libpq environment variables, so it also works with a user-provided QMS_DB_ADMIN.
owner_psql() {
  local cs=${QMS_DB_ADMIN:?} part key val
  local host="" port="" db="" user="" pass=""
  local IFS=';'
  for part in $cs; do
    [[ $part == *=* ]] || continue
    key=${part%%=*}; val=${part#*=}
    key=${key,,}; key=${key// /}
    case $key in
      host | server) host=$val ;;
      port) port=$val ;;
      database | db) db=$val ;;
      username | userid | user | uid) user=$val ;;
      password | pwd) pass=$val ;;
    esac
  done
  unset IFS
  local psql=psql
  if [[ -x ${QMS_PG_BIN:-/usr/lib/postgresql/15/bin}/psql ]]; then psql=${QMS_PG_BIN:-/usr/lib/postgresql/15/bin}/psql; fi
  PGHOST=$host PGPORT=$port PGDATABASE=$db PGUSER=$user PGPASSWORD=$pass exec "$psql" "$@"
}

cmd=${1:-}
if [[ $# -gt 0 ]]; then shift; fi
case $cmd in
  start)
    qms_db_ensure
    qms_db_status
    ;;
  stop)
    qms_db_stop
    ;;
  status)
    qms_db_status
    ;;
  env)
    qms_db_ensure
    for v in QMS_DB QMS_DB_ADMIN QMS_DB_SUPERUSER QMS_PG_PORT QMS_PG_DATA QMS_PG_BIN; do
      if [[ -n ${!v:-} ]]; then printf 'export %s=%s\n' "$v" "$(sh_quote "${!v}")"; fi
    done
    ;;
  psql)
    qms_db_ensure
    owner_psql "$@"
    ;;
  -h | --help | help)
    usage
    ;;
  *)
    usage
    exit 2
    ;;
esac
