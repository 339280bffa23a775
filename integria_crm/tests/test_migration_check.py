"""A whole Integria installation moved at once (the manual's example written
in a real MariaDB): its lead templates, the invoice files named by
``tinvoice.id_attachment`` only, the reconciliation of both sides and the
check that each user sees in Odoo what Integria showed them
(docs/permissions.md)."""

import shutil
import tempfile
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .integria_db import IntegriaWriter, MariaDBServer, write_manual_example

INVOICE_PDF = b"%PDF-1.4\nfactura 15/1002\n"
COMPANY_FILE = b"plano de la oficina"


@tagged("post_install", "-at_install")
class TestMigrationCheck(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = MariaDBServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls.source = IntegriaWriter(cls.server, "integria_migration_check")
        cls.addClassCleanup(cls.source.drop)
        write_manual_example(cls.source)
        cls.folder = Path(tempfile.mkdtemp(prefix="integria-attachment-"))
        cls.addClassCleanup(shutil.rmtree, cls.folder)
        (cls.folder / "attachment").mkdir()
        plan = cls.source.insert("tattachment", id_company=2, filename="plano.txt", id_usuario="carlos")
        (cls.folder / "attachment" / f"{plan}_plano.txt").write_bytes(COMPANY_FILE)
        # the invoice's PDF as Integria's invoice form keeps it: a file row of
        # no record (id_invoice 0), named by the invoice's id_attachment
        pdf = cls.source.insert("tattachment", filename="factura (15-1002).pdf", description="PDF", id_usuario="marta")
        (cls.folder / "attachment" / f"{pdf}_factura (15-1002).pdf").write_bytes(INVOICE_PDF)
        cls.source.execute("UPDATE tinvoice SET id_attachment = %s WHERE id = 2", (pdf,))
        cls.url = cls.server.url(cls.source.name)
        cls.env["ir.config_parameter"].set_param("integria_crm.invoice_number_pattern", "15/[1000]")
        # a database that has no invoices of its own yet (the demo's use 15/1000 too)
        cls.env["integria.invoice"].search([]).unlink()
        cls.migration = cls.env["integria.crm.migration"]._migrate(cls.url, attachments=str(cls.folder))

    def ref(self, name):
        return self.env.ref(f"integria_migration.{name}", raise_if_not_found=False)

    def step(self, run, name):
        return {step["name"]: step for step in run.report["steps"]}[name]

    def visibility(self, run, login, what):
        (line,) = [line for line in run.report["visibility"] if (line["login"], line["what"]) == (login, what)]
        return line

    def test_run_is_done(self):
        self.assertEqual(self.migration.state, "done", self.migration.error)

    def test_a_crm_manager_does_not_read_the_runs(self):
        """The report names every company and user: administrators only."""
        manager = self.env["res.users"].create(
            {
                "name": "CRM manager, not an administrator",
                "login": "crm.manager.no.admin",
                "group_ids": [(4, self.env.ref("integria_crm.group_crm_manage").id)],
            }
        )
        with self.assertRaises(AccessError):
            self.migration.with_user(manager).read(["report", "check_html"])
        self.assertEqual(self.migration.read(["state"])[0]["state"], "done")

    def test_lead_templates_become_mail_templates_of_leads(self):
        quote, follow_up = self.ref("template_1"), self.ref("template_2")
        self.assertEqual(quote._name, "mail.template")
        self.assertEqual(quote.model, "crm.lead")
        self.assertEqual((quote.name, quote.subject), ("Presupuesto (renovación)", "Su presupuesto"))
        self.assertIn("_DEST_NAME_", quote.body_html, "Integria's macros are kept for the lead composer")
        self.assertIn("&lt;revisado&gt;", quote.body_html)
        spanish = "es_ES" in dict(self.env["res.lang"].get_installed())
        self.assertEqual(quote.lang, "es_ES" if spanish else "en_US")
        self.assertEqual(follow_up.lang, "en_US")
        self.assertIn(quote, self.ref("lead_1")._integria_templates(), "offered when replying to a lead")
        self.assertEqual(self.step(self.migration, "templates")["created"], 2)

    def test_second_run_updates_a_changed_template_only(self):
        self.source.execute("UPDATE tcrm_template SET subject = 'Nuevo asunto' WHERE id = 1")
        self.addCleanup(self.source.execute, "UPDATE tcrm_template SET subject = 'Su presupuesto' WHERE id = 1")
        run = self.env["integria.crm.migration"]._migrate(self.url, only=["templates"])
        step = self.step(run, "templates")
        self.assertEqual((step["created"], step["updated"], step["skipped_unchanged"]), (0, 1, 1))
        self.assertEqual(self.ref("template_1").subject, "Nuevo asunto")

    def test_invoice_file_named_by_id_attachment_only(self):
        invoice = self.ref("invoice_2")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "integria.invoice"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual((attachment.name, attachment.raw), ("factura (15-1002).pdf", INVOICE_PDF))
        step = self.step(self.migration, "invoice_files")
        self.assertEqual((step["read"], step["created"], step["bytes"]), (1, 1, len(INVOICE_PDF)))
        again = self.env["integria.crm.migration"]._migrate(
            self.url, only=["invoice_files"], attachments=str(self.folder)
        )
        self.assertEqual(self.step(again, "invoice_files")["skipped_unchanged"], 1)

    def test_users_placed_in_their_integria_company(self):
        self.assertEqual(self.ref("user_carlos").crm_company_id, self.ref("company_1"))
        self.assertEqual(self.ref("user_pedro").crm_company_id, self.ref("company_2"))
        self.ref("user_carlos").crm_company_id = self.ref("company_4")
        self.source.execute("UPDATE tusuario SET id_company = 3 WHERE id_usuario = 'pedro'")
        self.addCleanup(self.source.execute, "UPDATE tusuario SET id_company = 2 WHERE id_usuario = 'pedro'")
        run = self.env["integria.crm.migration"]._migrate(self.url, only=["user_companies"])
        step = self.step(run, "user_companies")
        self.assertEqual((step["updated"], step["skipped_unchanged"]), (1, 3))
        self.assertEqual(self.ref("user_carlos").crm_company_id, self.ref("company_4"), "changed in Odoo: kept")
        self.assertEqual(self.ref("user_pedro").crm_company_id, self.ref("company_3"), "changed in Integria")

    def test_reconciliation_matches_both_sides(self):
        reconciliation = self.migration.report["reconciliation"]
        tables = {line["table"]: line for line in reconciliation["tables"]}
        self.assertEqual(
            (tables["tcompany"]["source"], tables["tcompany"]["odoo"], tables["tcompany"]["refused"]), (5, 4, 1)
        )
        self.assertEqual((tables["tcrm_template"]["source"], tables["tcrm_template"]["odoo"]), (2, 2))
        self.assertFalse([line for line in reconciliation["tables"] if line["differs"]], reconciliation["tables"])
        totals = reconciliation["totals"]
        # all companies' totals per currency and status, each company compared
        invoices = {line["group"]: line for line in totals if line["what"] == "Invoices"}
        usd = invoices["All companies (2 compared one by one) / USD / pending"]
        self.assertEqual((usd["source"], usd["odoo"], usd["differs"]), ("1 / 909.00", "1 / 909.00", False))
        self.assertNotIn("Customer B (3) / USD / pending", invoices, "a company that matches is not listed")
        (attachments,) = [line for line in totals if line["what"] == "Attachments"]
        self.assertEqual(attachments["odoo"], f"2 / {len(COMPANY_FILE) + len(INVOICE_PDF)}")
        # the one difference: Customer A's contract Odoo refused (no start date), listed in the table's refused
        differs = [(line["what"], line["group"], line["source"], line["odoo"]) for line in totals if line["differs"]]
        self.assertEqual(
            differs,
            [
                ("Contracts", "All companies (2 compared one by one)", "3", "2"),
                ("Contracts", "Customer A (2)", "2", "1"),
            ],
        )
        self.assertIn("Reconciliation", self.migration.check_html)
        self.assertIn("What each user sees", self.migration.check_html)
        self.assertIn("<td>Companies</td>", self.migration.check_html)

    def test_a_difference_is_flagged(self):
        self.ref("invoice_2").sudo().unlink()
        self.ref("lead_1").sudo().user_id = False
        self.ref("lead_1").sudo().crm_partner_id = self.ref("company_3")
        report = self.migration._check(self.url)
        tables = {line["table"]: line for line in report["reconciliation"]["tables"]}
        self.assertTrue(tables["tinvoice"]["differs"])
        self.assertEqual((tables["tinvoice"]["source"], tables["tinvoice"]["odoo"]), (3, 2))
        totals = {(line["what"], line["group"]): line for line in report["reconciliation"]["totals"]}
        missing = totals["Invoices", "Customer B (3) / USD / pending"]
        self.assertEqual((missing["source"], missing["odoo"], missing["differs"]), ("1 / 909.00", "0 / 0.00", True))
        self.assertTrue(totals["Leads", "Customer A (2)"]["differs"])
        self.assertNotIn(("Invoices", "Customer A (2) / EUR / paid"), totals, "the same on both sides: not listed")
        self.assertIn("table-danger", self.migration.check_html)

    def test_each_user_sees_what_integria_showed(self):
        lines = self.migration.report["visibility"]
        self.assertFalse([line for line in lines if line["differs"]], lines)
        carlos = self.visibility(self.migration, "carlos", "company")
        self.assertEqual((carlos["integria"], carlos["odoo"]), (2, 2), "Customer A (owner) and B (under his company)")
        self.assertEqual(
            self.visibility(self.migration, "carlos", "invoice")["odoo"], 2, "those of the company he owns"
        )
        self.assertEqual(
            self.visibility(self.migration, "marta", "invoice")["odoo"], 3, "Manage: all of those she sees"
        )
        self.assertEqual(self.visibility(self.migration, "carlos", "contact")["odoo"], 2, "those of Customer A")
        self.assertEqual(self.visibility(self.migration, "pedro", "company")["odoo"], 0, "no CRM level")
        self.assertEqual(self.visibility(self.migration, "ana.garcía", "company")["odoo"], 1, "the company she owns")
        ana = self.ref("user_ana.garcía")
        self.assertTrue(ana.has_group("integria_crm.group_crm_read"), "her profile row names her through safe_input")
        self.assertEqual(self.visibility(self.migration, "admin", "lead")["odoo"], 2)

    def test_a_user_seeing_otherwise_is_reported(self):
        self.ref("user_carlos").sudo().crm_company_id = self.ref("company_4")
        report = self.migration._check(self.url)
        (line,) = [line for line in report["visibility"] if (line["login"], line["what"]) == ("carlos", "company")]
        self.assertTrue(line["differs"])
        self.assertEqual((line["missing"], line["extra"]), (["3"], []))
