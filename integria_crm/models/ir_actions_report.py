from odoo import api, models

from .integria_contract import CONTRACT_DOCUMENT_REPORT

STATIC_DOCUMENT_CONTEXT_KEY = "integria_crm_static_document"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _is_integria_contract_document(self):
        return self.report_name == CONTRACT_DOCUMENT_REPORT

    def _get_layout(self):
        if self._is_integria_contract_document():
            # a self-contained page: no assets to fetch, no script, DejaVu fonts
            return self.env.ref("integria_crm.contract_document_layout")
        return super()._get_layout()

    def _prepare_html(self, html, report_model=False):
        prepared = super()._prepare_html(html, report_model=report_model)
        if prepared and self._is_integria_contract_document():
            # everything is in the page body: Debian's wkhtmltopdf (unpatched
            # Qt) has no separate header and footer
            bodies, res_ids, _header, _footer, paperformat_args = prepared
            return bodies, res_ids, None, None, paperformat_args
        return prepared

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        if report_ref and self._get_report(report_ref)._is_integria_contract_document():
            self = self.with_context(**{STATIC_DOCUMENT_CONTEXT_KEY: True})  # noqa: PLW0642
        return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)

    @api.model
    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get(STATIC_DOCUMENT_CONTEXT_KEY):
            args = self._static_document_args(args)
        return args

    @api.model
    def _static_document_args(self, args):
        """Contract documents run no script: nothing to run, nothing to wait for."""
        args = list(args)
        if "--javascript-delay" in args:
            index = args.index("--javascript-delay")
            del args[index : index + 2]
        return [*args, "--disable-javascript", "--javascript-delay", "0"]
