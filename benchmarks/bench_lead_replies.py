#!/usr/bin/env python3
"""Incoming lead replies through the mail gateway, and the lead list under the CRM record rules.

    python3 benchmarks/bench_lead_replies.py [--db icrm_leads_bench] [--replies 1000] [--leads 100000] [--runs 21]

1. Replies: --replies e-mails answering --replies different leads are handed
   to Odoo's mail gateway (``mail.thread.message_process``, what fetchmail,
   /mail/receive and odoo-mailgate call), each sent by the lead's e-mail
   address: once with ``[Lead#N]`` in the subject and no threading header
   (integria_crm's routing), once with the standard ``In-Reply-To`` of a
   message of the lead and no token (Odoo's own routing), in alternating
   batches of 100 in the same run. Prints replies/s of each and the ratio of
   the time per reply (goal <= 1.2). The replies are rolled back.
2. List: search_read of 80 leads with the pipeline list's fields +
   search_count, as User 1 (Write, under the record rules, not a salesman)
   and as the administrator, on --leads leads managed by 1,000 CRM companies
   (half under My Company); cold ORM cache, the two users alternated; prints
   the medians and the ratio (goal <= 1.5) and the plan of User 1's query.

The first run creates the database, installs integria_crm without demo data
and generates the data: the companies and 1,000 leads through the ORM, then
the rest as SQL copies of those leads (same rule columns), so that the
generation takes about a minute.
"""

import argparse
import subprocess
import time
from email.message import EmailMessage
from email.utils import make_msgid

from bench_common import QUIET, databases, generate_customers, install, measure, odoo_args

import odoo
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

GENERATED_PARAM = "integria_crm.benchmark_leads_generated"
SEED_LEADS = 1000
BATCH = 100
LIST_FIELDS = [
    "name",
    "contact_name",
    "email_from",
    "user_id",
    "crm_partner_id",
    "stage_id",
    "expected_revenue",
    "progress_code",
    "is_stale",
    "activity_state",
    "date_deadline",
]


def generate(env, leads):
    """1,000 CRM companies, half under My Company (seen by User 1), half under
    a company of its own; 1,000 leads through the ORM, managed by them, owned
    by User 1, by the administrator or by nobody; the rest SQL copies."""
    user1, companies = generate_customers(env)
    admin = env.ref("base.user_admin")
    stages = env["crm.stage"].search([("integria_code", "in", ["0", "20", "40", "60", "80"])])
    owners = [user1, admin, env["res.users"]]
    seeds = (
        env["crm.lead"]
        .with_context(**QUIET)
        .create(
            [
                {
                    "name": f"Lead {index}",
                    "type": "opportunity",
                    "contact_name": f"Prospect {index}",
                    "email_from": f"prospect{index}@prospect.example",
                    "user_id": owners[index % 3].id,
                    "crm_partner_id": companies[index % len(companies)].id,
                    "stage_id": stages[index % len(stages)].id,
                    "expected_revenue": 1000 + index,
                    "country_id": env.ref("base.es").id,
                }
                for index in range(SEED_LEADS)
            ]
        )
    )
    env.flush_all()
    env.cr.commit()
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'crm_lead' AND column_name != 'id'"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    copies = max(0, leads - SEED_LEADS)
    rounds = -(-copies // SEED_LEADS)
    selected = [SQL.identifier("lead", column) for column in columns]
    for copy_round in range(rounds):
        count = min(SEED_LEADS, copies - copy_round * SEED_LEADS)
        env.cr.execute(
            SQL(
                "INSERT INTO crm_lead (%s) SELECT %s FROM crm_lead lead WHERE lead.id = ANY(%s)",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(selected),
                seeds.ids[:count],
            )
        )
        env.cr.commit()
    env["ir.config_parameter"].set_param(GENERATED_PARAM, "1")
    env.cr.commit()
    print(f"  {SEED_LEADS + copies} leads", flush=True)


# ----------------------------------------------------------------------
# Replies
# ----------------------------------------------------------------------
def _reply(lead, in_reply_to=None):
    """The prospect's answer: with [Lead#N] and no threading header, or with
    the standard In-Reply-To and no token."""
    message = EmailMessage()
    message["From"] = f"{lead.contact_name} <{lead.email_from}>"
    message["To"] = "leads@mycompany.example"
    message["Message-Id"] = make_msgid(domain="prospect.example")
    if in_reply_to:
        message["Subject"] = f"RE: {lead.name}"
        message["In-Reply-To"] = in_reply_to
    else:
        message["Subject"] = f"RE: [Lead#{lead.id}] {lead.name}"
    message.set_content("Thank you, we will look at your offer and call you next week.")
    return message.as_bytes()


def bench_replies(env, count):
    leads = env["crm.lead"].search([("email_from", "like", "@prospect.example")], order="id", limit=count)
    for lead in leads:
        # the message the standard replies answer (what Odoo sent to the prospect)
        lead.with_context(**QUIET).message_post(body="Our offer", message_type="comment", subtype_xmlid="mail.mt_note")
    env.flush_all()
    mails = {
        "token": [_reply(lead) for lead in leads],
        "in_reply_to": [_reply(lead, lead.message_ids[:1].message_id) for lead in leads],
    }
    gateway = env["mail.thread"]
    gateway.message_process("crm.lead", mails["token"][0])  # warm the caches
    gateway.message_process("crm.lead", mails["in_reply_to"][0])
    seconds = {"token": 0.0, "in_reply_to": 0.0}
    for start in range(1, len(leads), BATCH):
        for kind, messages in mails.items():
            env.invalidate_all()
            begin = time.perf_counter()
            for raw in messages[start : start + BATCH]:
                gateway.message_process("crm.lead", raw)
            env.flush_all()
            seconds[kind] += time.perf_counter() - begin
    appended = env["mail.message"].search_count([("model", "=", "crm.lead"), ("message_type", "=", "email")])
    env.cr.rollback()  # keep the database as it was
    return len(leads) - 1, seconds, appended


# ----------------------------------------------------------------------
# List
# ----------------------------------------------------------------------
def list_leads(env):
    leads = env["crm.lead"]
    domain = [("type", "=", "opportunity")]
    leads.search_read(domain, LIST_FIELDS, limit=80)
    leads.search_count(domain)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="icrm_leads_bench")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    config.parse_config(odoo_args(args.db))
    if args.db not in databases():
        print(f"Installing integria_crm in {args.db}", flush=True)
        install(args.db)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.config_parameter"].get_param(GENERATED_PARAM):
            print(f"Generating {args.leads} leads", flush=True)
            generate(env, args.leads)
        subprocess.run(
            ["psql", "-h", config["db_host"], "-U", config["db_user"], "-d", args.db, "-qc", "VACUUM ANALYZE"],
            check=True,
        )

        replies, seconds, appended = bench_replies(env, args.replies + 1)
        token_rate, standard_rate = replies / seconds["token"], replies / seconds["in_reply_to"]
        print(
            f"replies ({replies} of each, alternating batches of {BATCH}; {appended} e-mails appended): "
            f"[Lead#N] {token_rate:.1f} replies/s, In-Reply-To {standard_rate:.1f} replies/s, "
            f"ratio {seconds['token'] / seconds['in_reply_to']:.2f} (time per reply, goal <= 1.2)"
        )

        user1 = env["res.users"].search([("login", "=", "bench_user1")])
        admin = env.ref("base.user_admin")
        envs = {"user1": env(user=user1), "admin": env(user=admin)}
        total = env["crm.lead"].search_count([])
        visible = envs["user1"]["crm.lead"].search_count([])
        print(f"leads: {total}; User 1 sees {visible}")
        list_leads(envs["user1"])  # warm the rule and view caches
        list_leads(envs["admin"])
        medians = measure(envs, list_leads, args.runs)
        print(
            f"lead list (80 rows + count): User 1 {medians['user1']:.1f} ms, "
            f"administrator {medians['admin']:.1f} ms, ratio {medians['user1'] / medians['admin']:.2f} "
            f"(median of {args.runs}, goal <= 1.5)"
        )
        leads = envs["user1"]["crm.lead"]
        query = leads._search([("type", "=", "opportunity")], limit=80, order=leads._order)
        cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(f"    {row[0]}" for row in cr.fetchall())
        print(f"plan of User 1's list query:\n{plan}")


if __name__ == "__main__":
    main()
