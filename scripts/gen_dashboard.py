#!/usr/bin/env python3
"""Write the Integria CRM spreadsheet dashboard of Odoo's spreadsheet_dashboard
(integria_crm/data/files/integria_crm_dashboard.json), as Odoo's own
spreadsheet_dashboard_* modules ship theirs: the pipeline, the funnel, leads by
source, pipeline per owner and per managing company, contracts ending in the
next 30 days, invoices pending and overdue, billing per month. Each block is
an Odoo pivot (or list) spread by one formula, so that the dashboard shows the
data the user may read, live.

    python3 scripts/gen_dashboard.py [--check]
"""

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "integria_crm" / "data" / "files" / "integria_crm_dashboard.json"
VERSION = "18.5.10"  # the spreadsheet data version of Odoo 19.0's own dashboards
ROWS_SHOWN = 12

OPEN_OPPORTUNITIES = [["type", "=", "opportunity"], ["won_status", "=", "pending"]]
# (title, model, domain, row group-by, measures)
PIVOTS = [
    ("Pipeline by stage", "crm.lead", OPEN_OPPORTUNITIES, "stage_id", ["__count", "expected_revenue"]),
    ("Funnel: leads that reached each step", "integria.lead.funnel", [], "stage_id", ["__count", "conversion"]),
    ("Leads by source", "crm.lead", [["type", "=", "opportunity"]], "source_id", ["__count", "expected_revenue"]),
    ("Pipeline per owner", "crm.lead", OPEN_OPPORTUNITIES, "user_id", ["__count", "expected_revenue"]),
    (
        "Pipeline per managing company",
        "crm.lead",
        OPEN_OPPORTUNITIES,
        "crm_partner_id",
        ["__count", "expected_revenue"],
    ),
    ("Invoices pending", "integria.invoice", [["state", "=", "pending"]], "partner_id", ["__count", "amount_total"]),
    (
        "Invoices overdue",
        "integria.invoice",
        [["state", "=", "pending"], ["date_due", "<", "today"]],
        "partner_id",
        ["__count", "amount_total"],
    ),
    (
        "Billing per month",
        "integria.invoice",
        [["invoice_type", "=", "issued"], ["state", "!=", "cancelled"]],
        "date_invoice:month",
        ["__count", "amount_total"],
    ),
]
CONTRACTS_LIST = (
    "Contracts ending in the next 30 days",
    "integria.contract",
    # Odoo's relative dates: the domain moves with today
    [["date_end", ">=", "today"], ["date_end", "<=", "today +30d"]],
    ["name", "partner_id", "date_end", "state"],
)


def _t(text):
    """A title cell, translated for the reader (Odoo extracts the terms of _t)."""
    return f'=_t("{text}")'


def _pivot(index, definition):
    title, model, domain, row, measures = definition
    field, _sep, interval = row.partition(":")
    return {
        "type": "ODOO",
        "model": model,
        "name": title,
        "domain": domain,
        "context": {},
        "columns": [],
        "rows": [{"fieldName": field, **({"granularity": interval} if interval else {})}],
        "measures": [{"id": measure, "fieldName": measure} for measure in measures],
        "formulaId": str(index),
        "fieldMatching": {},
    }


def build():
    cells = {"A1": _t("Integria CRM")}
    pivots = {}
    row = 3
    for index, definition in enumerate(PIVOTS, start=1):
        title = definition[0]
        pivots[str(index)] = _pivot(index, definition)
        cells[f"A{row}"] = _t(title)
        cells[f"A{row + 1}"] = f"=PIVOT({index}, {ROWS_SHOWN}, TRUE, TRUE)"
        row += ROWS_SHOWN + 5
    title, model, domain, columns = CONTRACTS_LIST
    cells[f"A{row}"] = _t(title)
    for column, field in enumerate(columns):
        letter = "ABCD"[column]
        cells[f"{letter}{row + 1}"] = f'=ODOO.LIST.HEADER(1, "{field}")'
        for line in range(1, ROWS_SHOWN + 1):
            cells[f"{letter}{row + 1 + line}"] = f'=ODOO.LIST(1, {line}, "{field}")'
    lists = {
        "1": {
            "columns": columns,
            "domain": domain,
            "model": model,
            "context": {},
            "orderBy": [{"name": "date_end", "asc": True}],
            "id": "1",
            "name": title,
            "fieldMatching": {},
        }
    }
    styles = {"1": {"bold": True, "fontSize": 16, "textColor": "#01666b"}, "2": {"bold": True, "fontSize": 11}}
    cell_styles = {"A1": 1, **{cell: 2 for cell, text in cells.items() if cell != "A1" and text.startswith("=_t(")}}
    return {
        "version": VERSION,
        "sheets": [
            {
                "id": "integria_crm_dashboard",
                "name": "Dashboard",
                "colNumber": 6,
                "rowNumber": row + ROWS_SHOWN + 3,
                "rows": {},
                "cols": {"0": {"size": 300}, "1": {"size": 160}, "2": {"size": 160}, "3": {"size": 160}},
                "merges": [],
                "cells": cells,
                "styles": cell_styles,
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "dataValidationRules": [],
                "figures": [],
                "tables": [],
                "areGridLinesVisible": False,
                "isVisible": True,
                "headerGroups": {"ROW": [], "COL": []},
                "comments": {},
            }
        ],
        "styles": styles,
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {},
        "pivots": pivots,
        "pivotNextId": len(pivots) + 1,
        "customTableStyles": {},
        "globalFilters": [],
        "lists": lists,
        "listNextId": 2,
        "chartOdooMenusReferences": {},
    }


def main():
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            sys.exit(f"{TARGET} is stale: run python3 scripts/gen_dashboard.py")
        return
    TARGET.write_text(text)


if __name__ == "__main__":
    main()
