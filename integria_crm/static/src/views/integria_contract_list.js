import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";

/**
 * Contracts list: the custom fields of the contract types that are marked
 * "Display in Cards" are shown by default; the others stay optional columns.
 */
export class IntegriaContractListRenderer extends ListRenderer {
    getPropertyFieldColumns(column, list) {
        return super
            .getPropertyFieldColumns(column, list)
            .map((propertyColumn) =>
                list.fields[propertyColumn.name]?.view_in_cards
                    ? { ...propertyColumn, optional: "show" }
                    : propertyColumn
            );
    }
}

registry.category("views").add("integria_contract_list", {
    ...listView,
    Renderer: IntegriaContractListRenderer,
});
