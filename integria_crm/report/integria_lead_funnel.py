from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools.lead_progress import OPEN_CODES, WON_CODE

FUNNEL_CODES = (*OPEN_CODES, WON_CODE)


class IntegriaLeadFunnel(models.Model):
    """The funnel of leads: one row for each step of the pipeline a lead has
    reached (its furthest progress, ``crm.lead.progress_reached_code``, so a
    lead that moved back or was lost still counts where it went). Counting
    the rows of a step gives the leads that reached it; the average of
    *Conversion* the share of them that reached the next step."""

    _name = "integria.lead.funnel"
    _description = "Lead Funnel"
    _auto = False
    _order = "step_sequence, lead_id"
    _rec_name = "stage_id"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Step", readonly=True)
    step_code = fields.Integer(string="Progress Code", readonly=True, aggregator=None)
    step_sequence = fields.Integer(readonly=True, aggregator=None)
    conversion = fields.Float(
        string="Conversion to the Next Step",
        readonly=True,
        aggregator="avg",
        help="Among the leads that reached this step, the share that reached the next one.",
    )
    expected_revenue = fields.Monetary(readonly=True, currency_field="company_currency")
    company_currency = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    crm_partner_id = fields.Many2one("res.partner", string="Managed By", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    won_status = fields.Selection(
        [("won", "Won"), ("lost", "Lost"), ("pending", "Pending")], string="Outcome", readonly=True
    )
    # what the record rules read, as on crm.lead (security/crm_lead_security.xml)
    crm_owner_id = fields.Many2one("res.users", readonly=True)
    crm_path = fields.Char(readonly=True)

    def _steps_sql(self):
        """The steps as a VALUES list: (code, position, code of the next step)."""
        rows = [
            SQL("(%s, %s, %s)", code, position, FUNNEL_CODES[position] if position < len(FUNNEL_CODES) else None)
            for position, code in enumerate(FUNNEL_CODES, start=1)
        ]
        return SQL("(VALUES %s) AS step(code, position, next_code)", SQL(", ").join(rows))

    def _query(self):
        return SQL(
            """
            SELECT lead.id * %(width)s + step.position AS id,
                   lead.id AS lead_id,
                   (SELECT stage.id FROM crm_stage stage WHERE stage.integria_code = step.code::varchar
                     ORDER BY stage.sequence, stage.id LIMIT 1) AS stage_id,
                   step.code AS step_code,
                   step.position AS step_sequence,
                   CASE WHEN step.next_code IS NULL THEN NULL
                        WHEN lead.progress_reached_code >= step.next_code THEN 1.0 ELSE 0.0 END AS conversion,
                   lead.expected_revenue, company.currency_id AS company_currency,
                   lead.user_id, lead.crm_partner_id, lead.team_id, lead.country_id, lead.source_id,
                   lead.company_id, lead.create_date, lead.won_status, lead.crm_owner_id, lead.crm_path
              FROM crm_lead lead
              JOIN %(steps)s ON lead.progress_reached_code >= step.code
              LEFT JOIN res_company company ON company.id = lead.company_id
             WHERE lead.type = 'opportunity'
            """,
            width=len(FUNNEL_CODES) + 1,
            steps=self._steps_sql(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
