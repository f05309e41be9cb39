# shellcheck shell=bash
# Debian's Chromium for the browser tests (Playwright drives it; Playwright's own browser download
# cannot work offline). Sourced by scripts/test.sh.

qms_chromium_ensure() {
  if [[ -x /usr/bin/chromium ]]; then
    export QMS_CHROMIUM=/usr/bin/chromium
    return 0
  fi
  echo "[browser] installing Debian chromium for the browser tests" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "[browser] ERROR: chromium is missing and installing it needs root (apt-get install chromium)" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  export QMS_CHROMIUM=/usr/bin/chromium
}
