# Shared by scripts/run.sh and scripts/test.sh: locate Odoo, write the
# configuration, install what the project needs besides Odoo itself.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/.build"
PYTHON="${PYTHON:-python3}"
DB_HOST="${PGHOST:-127.0.0.1}"
DB_PORT="${PGPORT:-5432}"
DB_USER="${PGUSER:-$(id -un)}"
HTTP_PORT="${HTTP_PORT:-8069}"
mkdir -p "$BUILD"

require_odoo() {
    local version
    if ! version=$("$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null) \
        || [ "${version%%.*}" != "19" ]; then
        cat >&2 <<MSG
integria_crm needs Odoo 19.0, importable by '$PYTHON' (found: ${version:-none}).
Install Odoo 19.0 Community from Odoo's official sources first, for example:
  git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git ~/odoo
  pip install -r ~/odoo/requirements.txt && pip install -e ~/odoo
(see https://www.odoo.com/documentation/19.0/administration/on_premise/source.html),
or point PYTHON at an interpreter that imports it. Then run this command again.
MSG
        exit 1
    fi
    ODOO_BIN="${ODOO_BIN:-$(odoo_console_script)}"
    if [ -z "$ODOO_BIN" ]; then
        echo "Odoo's 'odoo' console script is missing beside $PYTHON: install Odoo with pip (pip install -e ~/odoo)." >&2
        exit 1
    fi
}

# Odoo's 'odoo' console script of the interpreter that imports Odoo. A server
# with workers re-runs its own command line to start its gevent child
# (live chat, bus): under 'python3 -m odoo' that command is odoo/__main__.py,
# which cannot be run as a file, and the child dies at each respawn.
odoo_console_script() {
    "$PYTHON" - <<'PY'
import os, shutil, sys
script = os.path.join(os.path.dirname(sys.executable), "odoo")
print(script if os.access(script, os.X_OK) else (shutil.which("odoo") or ""))
PY
}

# Odoo's own addons folders: odoo/addons, and addons/ beside it in a source checkout.
odoo_addons_path() {
    "$PYTHON" - <<'PY'
import os, odoo.release
base = os.path.dirname(odoo.release.__file__)
paths = [p for p in (os.path.join(base, "addons"), os.path.join(os.path.dirname(base), "addons"))
         if os.path.isdir(os.path.join(p, "crm")) or os.path.isdir(os.path.join(p, "base"))]
print(",".join(dict.fromkeys(paths)))
PY
}

write_config() {
    cat > "$BUILD/odoo.conf" <<CONF
[options]
addons_path = $(odoo_addons_path),$ROOT
data_dir = $BUILD/data
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
http_interface = 127.0.0.1
http_port = $HTTP_PORT
gevent_port = $((HTTP_PORT + 3))
list_db = False
CONF
}

# System packages the reports, browser tours and mail tests use.
install_system_packages() {
    local missing=()
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
    fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
    # the PHP lead form of examples/ runs in the tests
    command -v php >/dev/null || missing+=(php-cli)
    php -m 2>/dev/null | grep -qx curl || missing+=(php-curl)
    # the migration tests read a real MariaDB (scripts/mariadb_server.py)
    [ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null || missing+=(mariadb-server)
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
            echo "Please install these packages first: ${missing[*]}" >&2
            exit 1
        fi
        echo "Installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

install_python_packages() {
    local stamp="$BUILD/.requirements-$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | md5sum | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        "$PYTHON" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt"
        touch "$stamp"
    fi
}

# Odoo with the project's configuration, through its console script (a path:
# this function does not call itself).
odoo() {
    "$ODOO_BIN" -c "$BUILD/odoo.conf" "$@"
}

# The options of a multi-process server (README.md, "Running in production"):
# WORKERS HTTP workers, one cron worker, the gevent child on gevent_port
# (HTTP_PORT + 3), proxy mode behind the reverse proxy, memory and time limits
# that recycle a worker before it grows or hangs.
production_options() {
    echo --workers "$1" --max-cron-threads 1 --proxy-mode \
        --limit-memory-soft $((640 * 1024 * 1024)) --limit-memory-hard $((768 * 1024 * 1024)) \
        --limit-time-cpu 120 --limit-time-real 240 --limit-request 8192
}

# A MariaDB for the migration tests: the machine's (127.0.0.1:3306, or the
# INTEGRIA_MYSQL_* variables), else one started on a free port with a
# temporary data directory and stopped when the calling script exits. Exports
# the INTEGRIA_MYSQL_* variables that reach it.
ensure_mariadb() {
    local out="$BUILD/mariadb-server.env" line
    : > "$out"
    "$PYTHON" "$ROOT/scripts/mariadb_server.py" > "$out" &
    MARIADB_PID=$!
    trap 'kill "$MARIADB_PID" 2>/dev/null || true; wait "$MARIADB_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 1200); do
        grep -qx '' "$out" && break
        kill -0 "$MARIADB_PID" 2>/dev/null || { grep -qx '' "$out" && break; echo "MariaDB did not start" >&2; exit 1; }
        sleep 0.1
    done
    while IFS= read -r line; do
        [ -n "$line" ] && export "${line?}"
    done < "$out"
    echo "MariaDB for the migration tests: ${INTEGRIA_MYSQL_HOST}:${INTEGRIA_MYSQL_PORT}"
}
