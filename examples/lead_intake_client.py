#!/usr/bin/env python3
"""Create leads in Odoo (integria_crm) from outside, the three ways a web site can.

    python3 examples/lead_intake_client.py --url http://localhost:8069 --db mydb \
        --login api_user --key <API key>

1. XML-RPC: crm.lead.create_integria_lead with Integria's positional parameters
   (and plain crm.lead.create, which keeps working);
2. JSON-2: POST /json/2/crm.lead/create_integria_lead with the key as a bearer token;
3. the Integria-compatible endpoint /integria/include/api.php (POST, key in
   user_pass), which answers 1 or 0 as Integria did.

Prints one line per lead created. Only the standard library is used.
"""

import argparse
import json
import urllib.parse
import urllib.request
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


def by_json2(url, db, key):
    request = urllib.request.Request(
        f"{url}/json/2/crm.lead/create_integria_lead",
        data=json.dumps({"params": ["Ana García", "ACME, Inc.", "ana@acme.example", "ES"]}).encode(),
        headers={"Authorization": f"bearer {key}", "X-Odoo-Database": db, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def by_endpoint(url, login, key):
    # each value URL-encoded, plain commas between them, as Integria's PHP forms build params
    values = ["Marta López", "Talleres López, S.L.", "marta@talleres.example", "Spain", "0", "0"]
    params = ",".join(urllib.parse.quote(value, safe="") for value in values)
    body = f"user={login}&user_pass={urllib.parse.quote(key)}&op=create_lead&params={params}"
    request = urllib.request.Request(
        f"{url}/integria/include/api.php",
        data=body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
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
    lead_id, plain_id = by_xmlrpc(args.url, args.db, args.login, args.key)
    print(f"xmlrpc create_integria_lead: lead {lead_id}")
    print(f"xmlrpc create: lead {plain_id}")
    print(f"json-2 create_integria_lead: lead {by_json2(args.url, args.db, args.key)}")
    answer, endpoint_id = by_endpoint(args.url, args.login, args.key)
    print(f"include/api.php: answer {answer}, lead {endpoint_id}")


if __name__ == "__main__":
    main()
