#!/usr/bin/env bash
# Test everything: lint, the Odoo test suites (record rules, PDF, mail, HTTP,
# browser tours) on a fresh database with the demo data, then the pytest suites
# (pure helpers, and a real Odoo server driven from outside).
#   scripts/test.sh              everything
#   scripts/test.sh --odoo-only  [TAGS]   only the Odoo suites, e.g. /integria_crm:TestManualTable
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_odoo
install_system_packages
install_python_packages
write_config
cd "$ROOT"
ensure_mariadb

ODOO_ONLY=0
if [ "${1:-}" = "--odoo-only" ]; then ODOO_ONLY=1; shift; fi
TAGS="${1:-/integria_crm}"
status=0

if [ $ODOO_ONLY = 0 ]; then
    echo "== lint"
    "$PYTHON" -m ruff check . || status=1
    "$PYTHON" -m ruff format --check . || status=1
    "$PYTHON" -m pylint --rcfile=.pylintrc integria_crm || status=1
    "$PYTHON" scripts/gen_addon_readme.py --check || status=1
fi

echo "== Odoo tests ($TAGS)"
DB="${TEST_DB:-integria_crm_test}"
# the Integria databases the tests write in MariaDB, named after this run's
export INTEGRIA_MYSQL_PREFIX="${INTEGRIA_MYSQL_PREFIX:-${DB}_}"
dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$DB"
rm -rf "$BUILD/data/filestore/$DB"
LOG="$BUILD/odoo-tests.log"
set +e
odoo -d "$DB" -i integria_crm --with-demo --test-enable --test-tags "$TAGS" \
    --stop-after-init --log-level=test --http-port=$((HTTP_PORT + 100)) \
    --gevent-port=$((HTTP_PORT + 103)) 2>&1 | tee "$LOG" | grep -E " (ERROR|CRITICAL) |^(FAIL|ERROR):|odoo.tests.(result|stats)" 
set -e
summary=$(grep -E "odoo.tests.result: .* of [0-9]+ tests" "$LOG" | tail -1 || true)
if [ -z "$summary" ]; then
    echo "The Odoo tests did not run: see $LOG" >&2
    exit 1
fi
failed=$(echo "$summary" | sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error.* of ([0-9]+) tests.*/\1 \2 \3/')
read -r nfail nerr ntotal <<<"$failed"
if grep -qE " CRITICAL " "$LOG" || [ "$ntotal" = 0 ] || [ "$((nfail + nerr))" != 0 ]; then status=1; fi
echo "odoo: $((ntotal - nfail - nerr)) passed, $((nfail + nerr)) failed"

if [ $ODOO_ONLY = 0 ]; then
    # the same Odoo test classes under pytest-odoo, on the database the Odoo
    # suites just left (with an HTTP server for the tours): the same results
    echo "== pytest-odoo (the Odoo test classes under pytest)"
    set +e
    "$PYTHON" -m pytest -q -p no:cacheprovider --odoo-database="$DB" --odoo-config="$BUILD/odoo.conf" \
        --odoo-http integria_crm/tests >"$BUILD/pytest-odoo.log" 2>&1
    rc=$?
    set -e
    tail -n 1 "$BUILD/pytest-odoo.log"
    passed=$(tail -n 1 "$BUILD/pytest-odoo.log" | grep -oE "[0-9]+ passed" | cut -d' ' -f1)
    if [ $rc != 0 ] || [ "${passed:-0}" != "$ntotal" ]; then
        echo "pytest-odoo: ${passed:-0} passed, Odoo's runner ran $ntotal (see $BUILD/pytest-odoo.log)" >&2
        status=1
    fi

    # the external tests drive a real server on the database the Odoo suites
    # just installed with the demo data
    echo "== pytest (pure helpers, and a running Odoo driven from outside)"
    set +e
    ODOO_CONF="$BUILD/odoo.conf" ODOO_TEST_DB="$DB" "$PYTHON" -m pytest -q -p no:cacheprovider -p no:odoo tests
    rc=$?
    set -e
    [ $rc = 0 ] || status=1

    echo "== uninstall (on a copy of the test database)"
    COPY="${DB}_uninstall"
    dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$COPY"
    createdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -T "$DB" "$COPY"
    rm -rf "$BUILD/data/filestore/$COPY"
    cp -r "$BUILD/data/filestore/$DB" "$BUILD/data/filestore/$COPY" 2>/dev/null || true
    "$PYTHON" -m odoo module uninstall -c "$BUILD/odoo.conf" -d "$COPY" integria_crm >"$BUILD/uninstall.log" 2>&1 || true
    state=$(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$COPY" -tAc \
        "SELECT state FROM ir_module_module WHERE name = 'integria_crm'")
    if [ "$state" = uninstalled ] && ! grep -qE " (ERROR|CRITICAL) " "$BUILD/uninstall.log"; then
        echo "integria_crm uninstalls cleanly"
    else
        echo "integria_crm did not uninstall cleanly (state: $state): see $BUILD/uninstall.log" >&2
        status=1
    fi
    dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$COPY"
    rm -rf "$BUILD/data/filestore/$COPY"
fi
exit $status
