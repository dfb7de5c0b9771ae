# Debian packages the tests need: Chromium for the end-to-end tests,
# PostgreSQL for the database tests and the official Python Kubernetes client
# (python3-kubernetes, for Debian's /usr/bin/python3) for the simulator's
# Python-client test. Installed once, with apt, when missing.

ensure_debian_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  /usr/bin/python3 -c 'import kubernetes' 2>/dev/null || missing+=(python3-kubernetes)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "Missing ${missing[*]} and no apt-get to install them; install them and re-run." >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  kaito_log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}
