# shellcheck shell=bash
#
# scripts/lib/postgres.sh: a private PostgreSQL 15 + pgvector cluster for this repo.
#
# Source this file (do not execute it), then call:
#
#   qms_db_ensure   install PostgreSQL 15 + pgvector if missing, then initialise and
#                   start the private cluster, create roles and the `qms` database,
#                   and export QMS_DB, QMS_DB_ADMIN, QMS_DB_SUPERUSER, QMS_PG_PORT,
#                   QMS_PG_DATA and QMS_PG_BIN. Idempotent; fast when already up.
#   qms_db_stop     stop the private cluster (no error if it is not running).
#   qms_db_status   print whether the private cluster is running; 0 = running.
#
# Inputs (all optional):
#   QMS_DB        bring your own database: qms_db_ensure only defaults QMS_DB_ADMIN
#                 to it and returns.
#   QMS_DATA      parent folder for the cluster (default <repo>/.data); it holds
#                 pg/ (data dir), run/ (unix socket), postgres.log and secrets.env.
#   QMS_PG_PORT   TCP port on 127.0.0.1 (default 55432).
#
# Progress goes to stderr, prefixed "[db]"; nothing is printed to stdout.
# Safe to source from scripts running with `set -euo pipefail`: errors are checked
# explicitly, the caller's cwd, traps and shell options are left alone.

_QMS_DB_REPO="$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." >/dev/null && pwd)"
_QMS_PG_VERSION=15
_QMS_PG_BIN_DIR="/usr/lib/postgresql/${_QMS_PG_VERSION}/bin"
_QMS_PG_DEFAULT_PORT=55432
_QMS_TRIXIE_SRC_FILE=/etc/apt/sources.list.d/qms-trixie-src.sources

_qms_log() { printf '[db] %s\n' "$*" >&2; }
_qms_err() { printf '[db] ERROR: %s\n' "$*" >&2; }

# Close our flock descriptors (inside a subshell) so that long-lived children,
# above all the postmaster, do not inherit them and hold the locks forever.
_QMS_LOCK_FDS=""
_qms_close_lock_fds() {
  local f
  for f in $_QMS_LOCK_FDS; do
    [[ $f =~ ^[0-9]+$ ]] && eval "exec $f>&-"
  done
  return 0
}

# Run a command as the OS user that owns the cluster (postgres when we are root),
# from / so that an unreadable caller cwd does not matter.
_qms_as_pg() {
  if [[ ${EUID:-$(id -u)} -eq 0 ]]; then
    (_qms_close_lock_fds; cd / && exec runuser -u postgres -- "$@")
  else
    (_qms_close_lock_fds; cd / && exec "$@")
  fi
}

_qms_is_root() { [[ ${EUID:-$(id -u)} -eq 0 ]]; }

# Run a public function with xtrace off (so passwords never hit a trace), then
# restore the caller's xtrace setting. The body always runs in an `||` context, so
# it behaves the same whether or not the caller uses `set -e`.
_qms_run_quiet() {
  local _qms_xt=0 _qms_rc=0
  case $- in *x*) _qms_xt=1; set +x ;; esac
  "$@" || _qms_rc=$?
  if [[ $_qms_xt -eq 1 ]]; then set -x; fi
  return "$_qms_rc"
}

# ---------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------

_qms_pkg_installed() {
  local s
  s=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ $s == "install ok installed" ]]
}

_qms_pg_server_installed() {
  _qms_pkg_installed "postgresql-${_QMS_PG_VERSION}" &&
    [[ -x $_QMS_PG_BIN_DIR/postgres && -x $_QMS_PG_BIN_DIR/initdb && -x $_QMS_PG_BIN_DIR/pg_ctl ]]
}

_qms_vector_installed() {
  local share="/usr/share/postgresql/${_QMS_PG_VERSION}" lib="/usr/lib/postgresql/${_QMS_PG_VERSION}/lib"
  if [[ -x $_QMS_PG_BIN_DIR/pg_config ]]; then
    share=$("$_QMS_PG_BIN_DIR/pg_config" --sharedir) || return 1
    lib=$("$_QMS_PG_BIN_DIR/pg_config" --pkglibdir) || return 1
  fi
  [[ -f $share/extension/vector.control && -f $lib/vector.so ]]
}

# URI of the bookworm mirror in the deb822 sources file (first deb stanza whose
# Suites include "bookworm"), falling back to deb.debian.org.
_qms_debian_mirror() {
  local f=/etc/apt/sources.list.d/debian.sources uri=""
  if [[ -r $f ]]; then
    uri=$(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        t = ""; s = ""; u = ""
        for (i = 1; i <= NF; i++) {
          l = $i
          if (l ~ /^[ \t]*#/) continue
          k = tolower(l)
          if (k ~ /^types:/)  t = " " substr(l, 7) " "
          if (k ~ /^suites:/) s = " " substr(l, 8) " "
          if (k ~ /^uris:/)   u = substr(l, 6)
        }
        gsub(/\t/, " ", t); gsub(/\t/, " ", s)
        if (t ~ / deb / && s ~ / bookworm / && u != "") {
          n = split(u, a, /[ \t]+/)
          for (j = 1; j <= n; j++) if (a[j] != "") { print a[j]; exit }
        }
      }' "$f" 2>/dev/null) || uri=""
  fi
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# Run a command with its output appended to the install log; on failure show the tail.
_qms_install_step() {
  local log=$1; shift
  if ! (_qms_close_lock_fds; exec "$@") >>"$log" 2>&1; then
    _qms_err "failed: $*"
    tail -n 40 "$log" >&2
    _qms_err "full log: $log"
    return 1
  fi
}

_qms_db_install() {
  local need_pg=0 need_vec=0
  _qms_pg_server_installed || need_pg=1
  _qms_vector_installed || need_vec=1
  if [[ $need_pg -eq 0 && $need_vec -eq 0 ]]; then return 0; fi

  if ! _qms_is_root; then
    _qms_err "PostgreSQL ${_QMS_PG_VERSION} and/or pgvector are missing and installing them needs root (or set QMS_DB to use your own database)"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _qms_err "PostgreSQL ${_QMS_PG_VERSION}/pgvector missing and apt-get not available; install them yourself or set QMS_DB"
    return 1
  fi

  local log
  log=$(mktemp /tmp/qms-db-install.XXXXXX.log) || return 1
  local -a apt_opts=(-y -q -o DPkg::Lock::Timeout=300)
  local -a pkgs=()
  if [[ $need_pg -eq 1 ]]; then
    pkgs+=("postgresql-${_QMS_PG_VERSION}")
    # On a fresh machine, keep postgresql-common from creating and starting its own
    # "main" cluster on port 5432; we only want our private one.
    if ! _qms_pkg_installed postgresql-common && [[ ! -e /etc/postgresql-common/createcluster.d/qms-no-main-cluster.conf ]]; then
      mkdir -p /etc/postgresql-common/createcluster.d &&
        printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.d/qms-no-main-cluster.conf
    fi
  fi
  if [[ $need_vec -eq 1 ]]; then
    # pgvector is not packaged for bookworm: build Debian's trixie source package.
    pkgs+=("postgresql-${_QMS_PG_VERSION}" "postgresql-server-dev-${_QMS_PG_VERSION}" dpkg-dev build-essential)
    local mirror
    mirror=$(_qms_debian_mirror)
    _qms_log "adding deb-src for trixie ($mirror) to build pgvector"
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" >"$_QMS_TRIXIE_SRC_FILE" || return 1
  fi

  _qms_log "apt-get update (log: $log)"
  DEBIAN_FRONTEND=noninteractive _qms_install_step "$log" apt-get update -q || return 1
  _qms_log "installing ${pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive _qms_install_step "$log" \
    apt-get install "${apt_opts[@]}" --no-install-recommends "${pkgs[@]}" || return 1

  if ! _qms_pg_server_installed; then
    _qms_err "postgresql-${_QMS_PG_VERSION} still not usable after install (see $log)"
    return 1
  fi

  if [[ $need_vec -eq 1 ]]; then
    local tmp src pgc="$_QMS_PG_BIN_DIR/pg_config"
    tmp=$(mktemp -d /tmp/qms-pgvector.XXXXXX) || return 1
    _qms_log "fetching pgvector source (trixie)"
    # APT::Sandbox::User=root: the temp dir is not writable by _apt; avoids a warning.
    if ! (cd "$tmp" && DEBIAN_FRONTEND=noninteractive _qms_install_step "$log" \
          apt-get -q -o APT::Sandbox::User=root source pgvector); then
      rm -rf "$tmp"; return 1
    fi
    src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' -print -quit)
    if [[ -z $src || ! -f $src/Makefile ]]; then
      _qms_err "apt-get source pgvector did not produce a source tree in $tmp (see $log)"
      return 1
    fi
    _qms_log "building $(basename "$src")"
    local jobs
    jobs=$(nproc 2>/dev/null) || jobs=2
    if ! _qms_install_step "$log" make -C "$src" -j"$jobs" PG_CONFIG="$pgc" OPTFLAGS="" ||
       ! _qms_install_step "$log" make -C "$src" install PG_CONFIG="$pgc" OPTFLAGS=""; then
      _qms_err "pgvector build failed; sources kept in $tmp"
      return 1
    fi
    rm -rf "$tmp"
    # The trixie deb-src entry was only needed for this build; drop it so later
    # `apt-get update` runs do not keep fetching trixie's source index.
    rm -f "$_QMS_TRIXIE_SRC_FILE"
    if ! _qms_vector_installed; then
      _qms_err "pgvector installed but vector.control/vector.so not found (see $log)"
      return 1
    fi
  fi
  if [[ ! -f /usr/share/postgresql/${_QMS_PG_VERSION}/extension/pgcrypto.control ]]; then
    _qms_err "pgcrypto extension files missing (expected in postgresql-${_QMS_PG_VERSION})"
    return 1
  fi
  rm -f "$log"
  _qms_log "PostgreSQL ${_QMS_PG_VERSION} + pgvector installed"
}

# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

_qms_fallback_base() {
  local h
  h=$(printf '%s' "$_QMS_DB_REPO" | sha256sum) || return 1
  printf '/var/lib/qms-agent-host/%s\n' "${h:0:12}"
}

_qms_primary_base() {
  local b=${QMS_DATA:-$_QMS_DB_REPO/.data}
  [[ $b == /* ]] || b="$PWD/$b"
  printf '%s\n' "${b%/}"
}

_qms_reachable() { _qms_as_pg test -x "$1" 2>/dev/null; }

_qms_set_paths() {
  _QMS_PG_BASE=$1
  _QMS_PG_DATA_DIR="$1/pg"
  _QMS_PG_RUN_DIR="$1/run"
  _QMS_PG_LOG="$1/postgres.log"
  _QMS_PG_SECRETS="$1/secrets.env"
}

# Pick (and create) the parent folder of the cluster; sets the _QMS_PG_* paths.
_qms_resolve_base_create() {
  local base fb
  base=$(_qms_primary_base) || return 1
  if ! (umask 022 && mkdir -p -- "$base"); then
    _qms_err "cannot create $base"
    return 1
  fi
  if ! _qms_reachable "$base"; then
    fb=$(_qms_fallback_base) || return 1
    _qms_log "$base is not reachable by user postgres; using $fb instead"
    if ! (umask 022 && mkdir -p -- "$fb"); then
      _qms_err "cannot create $fb"
      return 1
    fi
    chmod 755 "$fb" || return 1
    base=$fb
  fi
  if [[ $base == "$_QMS_DB_REPO/.data" && ! -e $base/.gitignore ]]; then
    printf '*\n' >"$base/.gitignore" 2>/dev/null || true
  fi
  _qms_set_paths "$base"
}

# Find an existing cluster without creating anything (for stop/status).
_qms_resolve_base_existing() {
  local base fb
  base=$(_qms_primary_base) || return 1
  if [[ -f $base/pg/PG_VERSION ]] || { [[ -d $base ]] && _qms_reachable "$base"; }; then
    _qms_set_paths "$base"; return 0
  fi
  fb=$(_qms_fallback_base) || return 1
  if [[ -f $fb/pg/PG_VERSION ]]; then _qms_set_paths "$fb"; else _qms_set_paths "$base"; fi
}

# ---------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------

_qms_rand_hex() {
  local h
  h=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') || return 1
  [[ ${#h} -eq 48 ]] || return 1
  printf '%s\n' "$h"
}

# Load (or create once) secrets.env; sets _QMS_PW_SU, _QMS_PW_OWNER, _QMS_PW_APP.
_qms_load_secrets() {
  local f=$_QMS_PG_SECRETS k v su="" ow="" ap="" changed=0
  if [[ -f $f ]]; then
    while IFS='=' read -r k v || [[ -n $k ]]; do
      v=${v%\"}; v=${v#\"}; v=${v%\'}; v=${v#\'}
      case $k in
        QMS_PG_SUPERUSER_PASSWORD) su=$v ;;
        QMS_PG_OWNER_PASSWORD) ow=$v ;;
        QMS_PG_APP_PASSWORD) ap=$v ;;
      esac
    done <"$f" || return 1
  fi
  if [[ -z $su ]]; then su=$(_qms_rand_hex) || return 1; changed=1; fi
  if [[ -z $ow ]]; then ow=$(_qms_rand_hex) || return 1; changed=1; fi
  if [[ -z $ap ]]; then ap=$(_qms_rand_hex) || return 1; changed=1; fi
  for v in "$su" "$ow" "$ap"; do
    if [[ ! $v =~ ^[A-Za-z0-9_-]+$ ]]; then
      _qms_err "$f: passwords may only contain [A-Za-z0-9_-]"
      return 1
    fi
  done
  if [[ $changed -eq 1 ]]; then
    [[ -f $f ]] || _qms_log "generating passwords in $f"
    if ! (umask 077 &&
          printf '# Generated by scripts/lib/postgres.sh; local dev/test cluster only.\nQMS_PG_SUPERUSER_PASSWORD=%s\nQMS_PG_OWNER_PASSWORD=%s\nQMS_PG_APP_PASSWORD=%s\n' \
            "$su" "$ow" "$ap" >"$f.tmp.$$" && mv -f -- "$f.tmp.$$" "$f"); then
      rm -f -- "$f.tmp.$$"
      _qms_err "cannot write $f"
      return 1
    fi
  fi
  chmod 600 "$f" || return 1
  _QMS_PW_SU=$su
  _QMS_PW_OWNER=$ow
  _QMS_PW_APP=$ap
}

# ---------------------------------------------------------------------------
# Cluster
# ---------------------------------------------------------------------------

_qms_pg_running() {
  [[ -f $_QMS_PG_DATA_DIR/PG_VERSION ]] &&
    _qms_as_pg "$_QMS_PG_BIN_DIR/pg_ctl" -D "$_QMS_PG_DATA_DIR" status >/dev/null 2>&1
}

_qms_running_port() {
  local p
  p=$(sed -n 4p "$_QMS_PG_DATA_DIR/postmaster.pid" 2>/dev/null) || return 1
  p=${p//[[:space:]]/}
  [[ -n $p ]] && printf '%s\n' "$p"
}

_qms_port_in_use() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

_qms_pick_locale() {
  local all
  all=$(locale -a 2>/dev/null) || all=""
  if grep -qiE '^c\.utf-?8$' <<<"$all"; then printf 'C.UTF-8\n'; else printf 'C\n'; fi
}

_qms_initdb() {
  local data=$_QMS_PG_DATA_DIR pw loc v
  if [[ -f $data/PG_VERSION ]]; then
    v=$(<"$data/PG_VERSION")
    if [[ $v != "$_QMS_PG_VERSION" ]]; then
      _qms_err "$data holds a PostgreSQL $v cluster, expected ${_QMS_PG_VERSION}; move it away"
      return 1
    fi
    return 0
  fi
  if [[ -d $data ]] && [[ -n $(ls -A -- "$data" 2>/dev/null) ]]; then
    _qms_err "$data exists, is not empty and is not a PostgreSQL cluster; move it away"
    return 1
  fi
  loc=$(_qms_pick_locale)
  _qms_log "initdb $data (locale $loc)"
  pw="$_QMS_PG_RUN_DIR/.initdb-pw.$$"
  if ! (umask 077 && printf '%s\n' "$_QMS_PW_SU" >"$pw"); then
    _qms_err "cannot write $pw"
    return 1
  fi
  if _qms_is_root; then chown postgres: "$pw" || { rm -f "$pw"; return 1; }; fi
  if ! _qms_as_pg "$_QMS_PG_BIN_DIR/initdb" -D "$data" -U postgres --pwfile="$pw" \
       --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale="$loc" \
       --no-instructions >>"$_QMS_PG_LOG" 2>&1; then
    rm -f "$pw"
    _qms_err "initdb failed; last lines of $_QMS_PG_LOG:"
    tail -n 30 "$_QMS_PG_LOG" >&2
    return 1
  fi
  rm -f "$pw"
}

# Settings that make this cluster private, kept in <data>/qms.conf and included
# from postgresql.conf (so a manual `pg_ctl start` behaves the same).
_qms_write_conf() {
  local data=$_QMS_PG_DATA_DIR port=$1 run
  run=${_QMS_PG_RUN_DIR//\'/\'\'}
  printf "# Written by scripts/lib/postgres.sh on every start; edits are overwritten.\nlisten_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" \
    "$port" "$run" >"$data/qms.conf" || return 1
  if _qms_is_root; then chown postgres: "$data/qms.conf" || return 1; fi
  if ! grep -q "^include_if_exists = 'qms.conf'" "$data/postgresql.conf"; then
    printf "\ninclude_if_exists = 'qms.conf'\n" >>"$data/postgresql.conf" || return 1
  fi
}

_qms_start() {
  local port=$1 i
  if _qms_port_in_use "$port"; then
    _qms_err "port $port on 127.0.0.1 is already in use by another process; stop it or set QMS_PG_PORT"
    return 1
  fi
  _qms_write_conf "$port" || { _qms_err "cannot write $_QMS_PG_DATA_DIR/qms.conf"; return 1; }
  _qms_log "starting PostgreSQL on 127.0.0.1:$port (log: $_QMS_PG_LOG)"
  if ! _qms_as_pg "$_QMS_PG_BIN_DIR/pg_ctl" -D "$_QMS_PG_DATA_DIR" -l "$_QMS_PG_LOG" -W start >/dev/null 2>&1; then
    _qms_err "pg_ctl start failed; last lines of $_QMS_PG_LOG:"
    tail -n 30 "$_QMS_PG_LOG" >&2
    return 1
  fi
  for ((i = 1; i <= 300; i++)); do
    if "$_QMS_PG_BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 2>/dev/null; then
      return 0
    fi
    if ((i % 10 == 0)) && ! _qms_pg_running; then break; fi
    sleep 0.1
  done
  _qms_err "PostgreSQL did not become ready on port $port; last lines of $_QMS_PG_LOG:"
  tail -n 30 "$_QMS_PG_LOG" >&2
  return 1
}

# psql as the superuser: over the private unix socket with peer auth when root,
# otherwise over TCP with the superuser password.
_qms_psql_super() {
  local port=$1; shift
  if _qms_is_root; then
    _qms_as_pg "$_QMS_PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 \
      -h "$_QMS_PG_RUN_DIR" -p "$port" -U postgres "$@"
  else
    PGPASSWORD=$_QMS_PW_SU "$_QMS_PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 \
      -h 127.0.0.1 -p "$port" -U postgres "$@"
  fi
}

_qms_setup_roles() {
  local port=$1
  # Passwords are hex (validated above), so plain quoting is safe. Sent over stdin,
  # never on a command line.
  _qms_psql_super "$port" -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
ALTER ROLE postgres PASSWORD '${_QMS_PW_SU}';
SELECT 'CREATE ROLE qms_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qms_owner') \gexec
SELECT 'CREATE ROLE qms_runtime' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qms_runtime') \gexec
SELECT 'CREATE ROLE qms_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qms_app') \gexec
ALTER ROLE qms_owner LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION CREATEDB CREATEROLE PASSWORD '${_QMS_PW_OWNER}';
ALTER ROLE qms_runtime NOLOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEDB NOCREATEROLE;
ALTER ROLE qms_app LOGIN NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEDB NOCREATEROLE INHERIT PASSWORD '${_QMS_PW_APP}';
GRANT qms_runtime TO qms_app;
\connect template1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect postgres
SET client_min_messages = warning;
SELECT 'CREATE DATABASE qms OWNER qms_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'qms') \gexec
ALTER DATABASE qms OWNER TO qms_owner;
\connect qms
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
}

# True when QMS_DB was exported by an earlier qms_db_ensure of this checkout (not brought by the
# user). The cluster must be this checkout's own: the env of another checkout's cluster (a git
# worktree running with `eval "$(/main/checkout/scripts/db.sh env)"`) is a database brought by the
# user, to be used as it is rather than answered with a second cluster on the same port.
_qms_db_env_is_ours() {
  [[ -n ${QMS_PG_DATA:-} && -n ${QMS_PG_PORT:-} &&
     ${QMS_DB:-} == "Host=127.0.0.1;Port=${QMS_PG_PORT};Database=qms;Username=qms_app;Password="* ]] || return 1
  local base fb
  base=$(_qms_primary_base) || return 1
  fb=$(_qms_fallback_base) || return 1
  [[ ${QMS_PG_DATA%/} == "$base/pg" || ${QMS_PG_DATA%/} == "$fb/pg" ]]
}

_qms_db_ensure_impl() {
  if [[ -n ${QMS_DB:-} ]] && ! _qms_db_env_is_ours; then
    export QMS_DB
    export QMS_DB_ADMIN="${QMS_DB_ADMIN:-$QMS_DB}"
    return 0
  fi

  local port=${QMS_PG_PORT:-$_QMS_PG_DEFAULT_PORT}
  if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    _qms_err "invalid QMS_PG_PORT: $port"
    return 1
  fi

  # Installation (serialised machine-wide so parallel callers do not race apt/make).
  if ! _qms_pg_server_installed || ! _qms_vector_installed; then
    local ifd rc=0
    if ! exec {ifd}>>/tmp/.qms-db-install.lock; then _qms_err "cannot open install lock"; return 1; fi
    _QMS_LOCK_FDS="$_QMS_LOCK_FDS $ifd"
    if flock -w 1800 "$ifd"; then
      _qms_db_install || rc=$?
    else
      _qms_err "timed out waiting for /tmp/.qms-db-install.lock"
      rc=1
    fi
    exec {ifd}>&-
    _QMS_LOCK_FDS=${_QMS_LOCK_FDS% "$ifd"}
    [[ $rc -eq 0 ]] || return "$rc"
  fi

  _qms_resolve_base_create || return 1

  # Everything below is serialised per cluster so parallel callers do not race.
  local fd rc=0
  if ! exec {fd}>>"$_QMS_PG_BASE/.lock"; then _qms_err "cannot open $_QMS_PG_BASE/.lock"; return 1; fi
  _QMS_LOCK_FDS="$_QMS_LOCK_FDS $fd"
  if flock -w 120 "$fd"; then
    _qms_db_ensure_locked "$port" || rc=$?
  else
    _qms_err "timed out waiting for $_QMS_PG_BASE/.lock (is another qms_db_ensure stuck?)"
    rc=1
  fi
  exec {fd}>&-
  _QMS_LOCK_FDS=${_QMS_LOCK_FDS% "$fd"}
  [[ $rc -eq 0 ]] || return "$rc"

  export QMS_PG_PORT="$port"
  export QMS_PG_DATA="$_QMS_PG_DATA_DIR"
  export QMS_PG_BIN="$_QMS_PG_BIN_DIR"
  export QMS_DB="Host=127.0.0.1;Port=$port;Database=qms;Username=qms_app;Password=$_QMS_PW_APP"
  export QMS_DB_ADMIN="Host=127.0.0.1;Port=$port;Database=qms;Username=qms_owner;Password=$_QMS_PW_OWNER"
  export QMS_DB_SUPERUSER="Host=127.0.0.1;Port=$port;Database=qms;Username=postgres;Password=$_QMS_PW_SU"
}

_qms_db_ensure_locked() {
  local port=$1 running_port
  local data=$_QMS_PG_DATA_DIR run=$_QMS_PG_RUN_DIR

  _qms_load_secrets || return 1

  if ! (umask 077 && mkdir -p -- "$data") || ! (umask 022 && mkdir -p -- "$run"); then
    _qms_err "cannot create $data or $run"
    return 1
  fi
  [[ -e $_QMS_PG_LOG ]] || : >>"$_QMS_PG_LOG" || return 1
  if _qms_is_root; then
    if ! chown postgres: "$data" "$run" "$_QMS_PG_LOG"; then
      _qms_err "cannot chown $data, $run, $_QMS_PG_LOG to postgres"
      return 1
    fi
  fi
  chmod 700 "$data" 2>/dev/null || true
  chmod 755 "$run" 2>/dev/null || true
  chmod 640 "$_QMS_PG_LOG" 2>/dev/null || true

  _qms_initdb || return 1

  if _qms_pg_running; then
    running_port=$(_qms_running_port) || running_port=""
    if [[ -n $running_port && $running_port != "$port" ]]; then
      _qms_err "the cluster in $data is already running on port $running_port, not $port; run 'scripts/db.sh stop' first or set QMS_PG_PORT=$running_port"
      return 1
    fi
  else
    _qms_start "$port" || return 1
  fi

  if ! _qms_setup_roles "$port"; then
    _qms_err "creating roles / database / extensions failed (log: $_QMS_PG_LOG)"
    return 1
  fi
}

_qms_db_stop_impl() {
  _qms_resolve_base_existing || return 1
  if [[ ! -f $_QMS_PG_DATA_DIR/PG_VERSION ]] || ! _qms_pg_running; then
    _qms_log "not running ($_QMS_PG_DATA_DIR)"
    return 0
  fi
  _qms_log "stopping PostgreSQL ($_QMS_PG_DATA_DIR)"
  if ! _qms_as_pg "$_QMS_PG_BIN_DIR/pg_ctl" -D "$_QMS_PG_DATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1; then
    if _qms_pg_running; then
      _qms_err "pg_ctl stop failed; see $_QMS_PG_LOG"
      return 1
    fi
  fi
}

_qms_db_status_impl() {
  _qms_resolve_base_existing || return 1
  if [[ ! -f $_QMS_PG_DATA_DIR/PG_VERSION ]]; then
    _qms_log "not initialised ($_QMS_PG_DATA_DIR)"
    return 3
  fi
  if _qms_pg_running; then
    _qms_log "running on 127.0.0.1:$(_qms_running_port || echo '?') (data $_QMS_PG_DATA_DIR)"
    return 0
  fi
  _qms_log "stopped (data $_QMS_PG_DATA_DIR)"
  return 3
}

qms_db_ensure() { _qms_run_quiet _qms_db_ensure_impl; }
qms_db_stop() { _qms_run_quiet _qms_db_stop_impl; }
qms_db_status() { _qms_run_quiet _qms_db_status_impl; }
