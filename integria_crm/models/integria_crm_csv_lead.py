from odoo import Command, fields, models
from odoo.tools.mail import plaintext2html

from ..tools import csv_files
from ..tools.lead_progress import LOST_CODES, OPEN_CODES, PROGRESS_CODES, WON_CODE
from .integria_crm_csv_import import Column


class IntegriaCrmCsvLead(models.AbstractModel):
    """Leads as Integria's ``tlead`` holds them, for the Integria migration:
    the owner by login, the managing company by Integria's id (0: none, as
    in Integria: the lead is its owner's alone), the progress code, the
    campaign and the tags by name. A country no resolver knows stays as text in the description."""

    _name = "integria.crm.csv.lead"
    _inherit = "integria.crm.csv.kind"
    _description = "CRM CSV Import: leads"

    _csv_model = "crm.lead"
    _csv_xmlid_prefix = "lead"
    _csv_header_key = "contact_name"

    def _csv_columns(self):
        return [
            Column("contact_name", "fullname", ("contact_name", "name"), self.env._("Full name")),
            Column("partner_name", "company", ("partner_name", "name"), self.env._("Company")),
            Column("managed_by", "id_company", ("crm_partner_id",), self.env._("Managed by")),
            Column("owner", "owner", ("user_id",), self.env._("Owner")),
            Column("email", "email", ("email_from",), self.env._("E-mail")),
            Column("phone", "phone", ("phone",), self.env._("Phone")),
            Column("mobile", "mobile", ("mobile",), self.env._("Mobile")),
            Column("function", "position", ("function",), self.env._("Position")),
            Column("country", "country", ("country_id",), self.env._("Country")),
            Column("description", "description", ("description",), self.env._("Description")),
            Column("progress", "progress", ("progress_code",), self.env._("Progress")),
            Column("estimated_sale", "estimated_sale", ("expected_revenue",), self.env._("Estimated sale")),
            Column("campaign", "id_campaign", ("campaign_id",), self.env._("Campaign")),
            Column("overview", "executive_overview", ("executive_overview",), self.env._("Executive overview")),
            Column("date_deadline", "estimated_close_date", ("date_deadline",), self.env._("Estimated close date")),
            Column("lang", "id_language", ("lang_id",), self.env._("Language")),
            Column("tags", "tags", ("tag_ids",), self.env._("Tags")),
        ]

    def _csv_ignored_headers(self):
        return ("id_category", "creation", "modification", "alarm")

    def _csv_prepare(self, run):
        run.lookups.load_cell_keys(self.env["integria.crm.csv.company"], run.rows, "managed_by")
        for row in run.rows:
            row.vals = self._csv_row_values(run, row)

    def _csv_row_values(self, run, row):
        cells = row.cells
        contact, company = cells.get("contact_name", ""), cells.get("partner_name", "")
        if not contact and not company and not cells.get("email"):
            run.error(row, "contact_name", self.env._("The lead has no name, company or e-mail."))
        description = plaintext2html(cells["description"]) if cells.get("description") else ""
        country = self.env["res.country"]._integria_find_country(cells.get("country", ""))
        if cells.get("country") and not country:
            description += plaintext2html(self.env._("Country: %(country)s", country=cells["country"]))
        vals = {
            "name": contact + (f" ({company})" if company and contact else company) or cells.get("email", ""),
            "type": "opportunity",
            "contact_name": contact or False,
            "partner_name": company or False,
            "email_from": cells.get("email") or False,
            "phone": cells.get("phone") or False,
            "mobile": cells.get("mobile") or False,
            "function": cells.get("function") or False,
            "country_id": country.id,
            "description": description or False,
            "expected_revenue": run.cell(row, "estimated_sale", csv_files.parse_float) or 0.0,
            "executive_overview": cells.get("overview") or False,
            "date_deadline": run.cell(row, "date_deadline", csv_files.parse_date),
            "campaign_id": self._csv_named(run, "utm.campaign", cells.get("campaign")),
            "lang_id": self._csv_lang(cells.get("lang")),
            "tag_ids": [
                Command.set(
                    [self._csv_named(run, "crm.tag", tag) for tag in csv_files.split_list(cells.get("tags", ""))]
                )
            ],
            "user_id": run.cell(row, "owner", run.lookups.user) if cells.get("owner") else False,
        }
        if vals["user_id"]:
            vals["team_id"] = self._csv_team(run, vals["user_id"])
        progress = run.cell(row, "progress", csv_files.parse_int)
        if progress is not None and progress is not False:
            if progress not in PROGRESS_CODES:
                run.error(row, "progress", self.env._("%(code)s is not an Integria progress code.", code=progress))
            else:
                vals.update(self._csv_progress_values(run, progress, vals.get("team_id")))
        managed_by = cells.get("managed_by", "")
        # Integria's 0: no managing company, not the owner's CRM company that
        # Odoo would give it (the owner's colleagues would see the lead)
        vals["crm_partner_id"] = False
        if managed_by and managed_by != "0":
            vals["crm_partner_id"] = run.cell(row, "managed_by", lambda text: self._csv_company(run, text))
        return vals

    def _csv_team(self, run, user_id):
        """The sales team crm gives a new opportunity of ``user_id``, found
        once per owner rather than once per lead."""
        key = ("team", user_id)
        if key not in run.lookups._cache:
            domain = [("use_opportunities", "=", True)]
            run.lookups._cache[key] = self.env["crm.team"]._get_default_team_id(user_id=user_id, domain=domain).id
        return run.lookups._cache[key]

    def _csv_progress_values(self, run, code, team_id):
        """The values that create a lead of ``team_id`` at the progress code
        ``code`` where moving it there afterwards would put it
        (``crm.lead._apply_progress_code``): an open step's stage, crm's won
        stage after the first step, or lost for the code's reason. Found once
        per code and team; a code without its stage or reason is left to
        the progress code, which refuses it."""
        key = ("progress", code, team_id)
        if key not in run.lookups._cache:
            team = self.env["crm.team"].browse(team_id)
            Lead = self.env["crm.lead"]
            values = {"progress_code": code}
            if code in OPEN_CODES:
                stage = self.env["crm.stage"]._integria_stage_for_code(code, team)
                values = {"stage_id": stage.id} if stage else values
            elif code == WON_CODE:
                first = Lead._stage_find(team_id, domain=[("fold", "=", False)])
                won = Lead._stage_find(team_id, domain=[("is_won", "=", True)], limit=None)
                stage = next((stage for stage in won if stage.sequence > first.sequence), won[-1:])
                values = {"stage_id": stage.id, "probability": 100, "automated_probability": 100} if stage else values
            elif code in LOST_CODES:
                reason = self.env["crm.lost.reason"]._integria_reason_for_code(code)
                lost = {"active": False, "lost_reason_id": reason.id, "probability": 0, "automated_probability": 0}
                values = lost if reason else values
            run.lookups._cache[key] = values
        values = dict(run.lookups._cache[key])
        if not values.get("active", True):
            values["date_closed"] = fields.Datetime.now()
        return values

    def _csv_company(self, run, text):
        company = run.lookups.imported(self.env["integria.crm.csv.company"], text)
        if not company:
            raise run.lookups.unknown(text, self.env._("no company has this id in an earlier import"))
        return company.id

    def _csv_named(self, run, model, name):
        """The record of ``model`` with this name, created the first time."""
        if not name:
            return False
        key = ("named", model, csv_files.normalize_name(name))
        if key not in run.lookups._cache:
            Model = self.env[model].with_context(active_test=False)
            record = Model.search([("name", "=ilike", name)], limit=1) or Model.create({"name": name})
            run.lookups._cache[key] = record.id
        return run.lookups._cache[key]

    def _csv_lang(self, code):
        code = (code or "").replace("-", "_")
        if not code:
            return False
        installed = [lang for lang, _name in self.env["res.lang"].get_installed()]
        found = next((lang for lang in installed if lang.split("_")[0] == code.split("_")[0]), False)
        return found and self.env["res.lang"]._lang_get(found).id
