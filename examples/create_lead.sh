#!/usr/bin/env bash
# The manual's URL with curl against Odoo (integria_crm): only the base URL
# changed, and an API key instead of Integria's password. POST keeps the key
# out of the server's access log; the Idempotency-Key makes a retried call
# return the first call's lead.
#   ODOO_URL=http://localhost:8069 API_KEY=... examples/create_lead.sh
set -euo pipefail
curl -sS -X POST "${ODOO_URL:-http://localhost:8069}/integria/include/api.php" \
    --data "user=${API_USER:-api_user}" --data-urlencode "user_pass=${API_KEY:?give API_KEY}" \
    -H "Idempotency-Key: ${IDEMPOTENCY_KEY:-manual-example-$(date +%s%N)}" \
    --data "op=create_lead" --data "params=Jimmy,PFMS,Rodriguez,Spain,0,0,,,Developer,,,,1,0"
