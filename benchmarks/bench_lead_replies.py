#!/usr/bin/env python3
"""Incoming lead replies through the mail gateway, and the lead list under the CRM record rules.

    python3 benchmarks/bench_lead_replies.py [--db icrm_leads_bench] [--replies 1000] [--sends 200] [--leads 100000]
        [--runs 21]

1. Replies: --replies e-mails answering --replies different leads are handed
   to Odoo's mail gateway (``mail.thread.message_process``, what fetchmail,
   /mail/receive and odoo-mailgate call), each sent by the lead's e-mail
   address: once with ``[Lead#N]`` in the subject and no threading header
   (integria_crm's routing), once with the standard ``In-Reply-To`` of a
   message of the lead and no token (Odoo's own routing), in alternating
   batches of 100 in the same run. Prints replies/s of each and the ratio of
   the time per reply (goal <= 1.2). The replies are rolled back.
2. Sending: --sends replies sent by User 1 from his leads through Odoo's
   composer with the lead template (Reply by E-mail: mail.template rendering,
   message_post to the lead's partner, notifications, the mail.mail, SMTP),
   against the way replies were sent before (the template's macros, a note
   message_post and a mail.mail built by hand beside it, as
   crm_lead._integria_send_mail did), to a local SMTP sink, in alternating
   batches of 20; prints the sending rate of each. Rolled back.
3. List: search_read of 80 leads with the pipeline list's fields +
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
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

GENERATED_PARAM = "integria_crm.benchmark_leads_generated"
SEED_LEADS = 1000
BATCH = 100
SEND_BATCH = 20
REFERENCE_MAILBOX = "leads@mycompany.example"
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
# Sending
# ----------------------------------------------------------------------
def send_by_composer(lead):
    """Reply by E-mail today: Odoo's composer with the lead template."""
    action = lead.action_integria_reply()
    composer = lead.env["mail.compose.message"].with_context(**action["context"]).create({})
    composer.action_send_mail()


def send_by_hand(lead, template):
    """Reply by E-mail before: the template's macros replaced, a note posted
    on the lead and a mail.mail built beside it (the former
    crm_lead._integria_send_mail and integria.lead.reply wizard)."""
    # the addon is importable once the addons path is configured (main)
    from odoo.addons.integria_crm.tools.lead_macros import render_lead_body, render_lead_subject
    from odoo.addons.integria_crm.tools.lead_token import lead_subject

    values = lead._integria_macro_values()
    subject = lead_subject(lead.id, render_lead_subject(template.subject, values))
    body = render_lead_body(template.body_html, values)
    message = lead.message_post(
        body=body,
        subject=subject,
        message_type="email_outgoing",
        subtype_xmlid="mail.mt_note",
        email_add_signature=False,
    )
    mail = (
        lead.env["mail.mail"]
        .sudo()
        .create(
            {
                "mail_message_id": message.id,
                "body_html": body,
                "email_to": lead.email_from,
                "email_cc": REFERENCE_MAILBOX,
                "reply_to": REFERENCE_MAILBOX,
                "attachment_ids": [Command.set([])],
                "auto_delete": True,
            }
        )
    )
    mail.send(raise_exception=False)
    lead._integria_advance_new()


def bench_sending(env, count):
    from odoo.addons.integria_crm.tests.mail_servers import SmtpSink

    sink = SmtpSink().start()
    try:
        env["ir.mail_server"].search([]).active = False
        env["ir.mail_server"].create(
            {"name": "Sink", "smtp_host": "127.0.0.1", "smtp_port": sink.port, "smtp_encryption": "none"}
        )
        env["ir.config_parameter"].set_param("integria_crm.lead_reference_mailbox", REFERENCE_MAILBOX)
        user1 = env["res.users"].search([("login", "=", "bench_user1")])
        user1.email = "user1@mycompany.example"
        leads = env["crm.lead"].search([("user_id", "=", user1.id)], order="id", limit=2 * count + 2).with_user(user1)
        template = env.ref("integria_crm.mail_template_lead_first_contact")
        outgoing = env["mail.mail"].sudo()

        def composer(lead):
            send_by_composer(lead)
            # notifications go out after the commit, which the benchmark never
            # makes: send them now, on this cursor, as the post-commit hook would
            env.cr.postcommit.clear()
            outgoing.search([("state", "=", "outgoing")]).send()

        kinds = {
            "composer": (composer, leads[:count]),
            "by_hand": (lambda lead: send_by_hand(lead, template), leads[count : 2 * count]),
        }
        for send, kind_leads in kinds.values():  # warm the caches
            send(kind_leads[:1])
        seconds = dict.fromkeys(kinds, 0.0)
        sent = len(sink.messages)
        for start in range(1, count, SEND_BATCH):
            for kind, (send, kind_leads) in kinds.items():
                env.invalidate_all()
                begin = time.perf_counter()
                for lead in kind_leads[start : start + SEND_BATCH]:
                    send(lead)
                env.flush_all()
                seconds[kind] += time.perf_counter() - begin
        delivered = len(sink.messages) - sent
    finally:
        sink.stop()
        env.cr.rollback()  # keep the database as it was
    return count - 1, seconds, delivered


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
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument(
        "--parts", default="replies,sending,list", help="comma-separated parts to run (default: all three)"
    )
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

        parts = set(args.parts.split(","))
        if "replies" in parts:
            print_replies(env, args.replies)
        if "sending" in parts:
            print_sending(env, args.sends)
        if "list" in parts:
            print_list(env, cr, args.runs)


def print_replies(env, count):
    replies, seconds, appended = bench_replies(env, count + 1)
    token_rate, standard_rate = replies / seconds["token"], replies / seconds["in_reply_to"]
    print(
        f"replies ({replies} of each, alternating batches of {BATCH}; {appended} e-mails appended): "
        f"[Lead#N] {token_rate:.1f} replies/s, In-Reply-To {standard_rate:.1f} replies/s, "
        f"ratio {seconds['token'] / seconds['in_reply_to']:.2f} (time per reply, goal <= 1.2)"
    )


def print_sending(env, count):
    sends, seconds, delivered = bench_sending(env, count + 1)
    print(
        f"sending replies ({sends} of each, alternating batches of {SEND_BATCH}; {delivered} e-mails delivered "
        f"to the SMTP sink): composer {sends / seconds['composer']:.1f} replies/s, "
        f"before (mail.mail by hand) {sends / seconds['by_hand']:.1f} replies/s, "
        f"ratio {seconds['composer'] / seconds['by_hand']:.2f} (time per reply)"
    )


def print_list(env, cr, runs):
    user1 = env["res.users"].search([("login", "=", "bench_user1")])
    admin = env.ref("base.user_admin")
    envs = {"user1": env(user=user1), "admin": env(user=admin)}
    total = env["crm.lead"].search_count([])
    visible = envs["user1"]["crm.lead"].search_count([])
    print(f"leads: {total}; User 1 sees {visible}")
    list_leads(envs["user1"])  # warm the rule and view caches
    list_leads(envs["admin"])
    medians = measure(envs, list_leads, runs)
    print(
        f"lead list (80 rows + count): User 1 {medians['user1']:.1f} ms, "
        f"administrator {medians['admin']:.1f} ms, ratio {medians['user1'] / medians['admin']:.2f} "
        f"(median of {runs}, goal <= 1.5)"
    )
    leads = envs["user1"]["crm.lead"]
    query = leads._search([("type", "=", "opportunity")], limit=80, order=leads._order)
    cr.execute(SQL("EXPLAIN %s", query.select()))
    plan = "\n".join(f"    {row[0]}" for row in cr.fetchall())
    print(f"plan of User 1's list query:\n{plan}")


if __name__ == "__main__":
    main()
