#!/usr/bin/env python3
"""Create leads in Odoo (integria_crm) from outside, the three ways a web site can.

    python3 examples/lead_intake_client.py --url http://localhost:8069 --db mydb \
        --login api_user --key <API key>

1. JSON-2 (Odoo 19's external API): POST /json/2/crm.lead/create_integria_lead
   with the key as a bearer token and an idempotency key in the context, so
   that a retried call returns the first call's lead;
2. the Integria-compatible endpoint /integria/include/api.php (POST, key in
   user_pass, an Idempotency-Key header), which answers 1 or 0 as Integria did;
3. XML-RPC, deprecated by Odoo 19 and removed in Odoo 20: crm.lead.
   create_integria_lead with Integria's positional parameters (and plain
   crm.lead.create, which keeps working until then).

Prints one line per lead created. Only the standard library is used.
"""

import argparse
import json
import urllib.parse
import urllib.request
import uuid
import xmlrpc.client

MANUAL_PARAMS = "Jimmy,PFMS,Rodriguez,Spain,0,0,,,Developer,,,,1,0"


def by_xmlrpc(url, db, login, key):
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, key, {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    lead_id = models.execute_kw(db, uid, key, "crm.lead", "create_integria_lead", [MANUAL_PARAMS])
    plain_id = models.execute_kw(
        db, uid, key, "crm.lead", "create", [{"name": "Plain create", "contact_name": "Ana", "user_id": uid}]
    )
    return lead_id, plain_id


def by_json2(url, db, key, idempotency_key):
    body = {
        "params": ["Ana García", "ACME, Inc.", "ana@acme.example", "España"],
        "context": {"idempotency_key": idempotency_key},
    }
    request = urllib.request.Request(
        f"{url}/json/2/crm.lead/create_integria_lead",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": db, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def by_endpoint(url, login, key, idempotency_key):
    # each value URL-encoded, plain commas between them, as Integria's PHP forms build params
    values = ["Marta López", "Talleres López, S.L.", "marta@talleres.example", "Spain", "0", "0"]
    params = ",".join(urllib.parse.quote(value, safe="") for value in values)
    body = f"user={login}&user_pass={urllib.parse.quote(key)}&op=create_lead&params={params}"
    request = urllib.request.Request(
        f"{url}/integria/include/api.php",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": idempotency_key},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode().strip(), response.headers["X-Lead-Id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="api_user")
    parser.add_argument("--key", required=True, help="an API key of the login (Preferences > Account Security)")
    args = parser.parse_args()
    # one key per lead a visitor sent: a retry of the same call sends it again
    json2_key, endpoint_key = (f"example-{uuid.uuid4()}" for _lead in range(2))
    print(f"json-2 create_integria_lead: lead {by_json2(args.url, args.db, args.key, json2_key)}")
    print(f"json-2 create_integria_lead again: lead {by_json2(args.url, args.db, args.key, json2_key)}")
    answer, endpoint_id = by_endpoint(args.url, args.login, args.key, endpoint_key)
    print(f"include/api.php: answer {answer}, lead {endpoint_id}")
    lead_id, plain_id = by_xmlrpc(args.url, args.db, args.login, args.key)
    print(f"xmlrpc create_integria_lead (until Odoo 20): lead {lead_id}")
    print(f"xmlrpc create (until Odoo 20): lead {plain_id}")


if __name__ == "__main__":
    main()
