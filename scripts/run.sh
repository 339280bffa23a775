#!/usr/bin/env bash
# Run the product: create or update the database with integria_crm and the
# manual's worked example, then serve it on http://127.0.0.1:8069.
#   DB=name scripts/run.sh    another database (default: integria_crm)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_odoo
install_system_packages
install_python_packages
write_config

DB="${DB:-integria_crm}"
if psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB" -tAc \
    "SELECT 1 FROM ir_module_module WHERE name = 'integria_crm' AND state = 'installed'" 2>/dev/null | grep -q 1; then
    echo "Updating integria_crm in database $DB"
    odoo -d "$DB" -u integria_crm --stop-after-init --log-level=warn
else
    echo "Creating database $DB with integria_crm and its demo data"
    odoo -d "$DB" -i integria_crm --with-demo --stop-after-init --log-level=warn
fi

cat <<MSG

Integria CRM is served on http://127.0.0.1:$HTTP_PORT  (database $DB)
Demo logins (login / password):
  admin    / admin     settings administrator: sees and changes everything
  user1    / user1     CRM Read + Write, belongs to My Company, owns Customer A
  manager1 / manager1  CRM Manage, belongs to My Company, owns Customer B
  user2    / user2     no CRM level, belongs to Customer A: sees no CRM data
Lead intake (README.md, "Lead intake"): API user api_user, demo API key
  demo-integria-lead-intake-key-0000000001
  ODOO_URL=http://127.0.0.1:$HTTP_PORT API_KEY=demo-integria-lead-intake-key-0000000001 examples/create_lead.sh
  public web form: http://127.0.0.1:$HTTP_PORT/integria/lead-form
Stop with Ctrl+C.
MSG
exec "$PYTHON" -m odoo -c "$BUILD/odoo.conf" -d "$DB" --db-filter="^$DB\$"
