import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";

/**
 * CRM companies list: the custom fields marked "Display in Cards" are shown
 * by default, the others stay optional columns.
 */
export class IntegriaCrmCompanyListRenderer extends ListRenderer {
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

/**
 * Contracts list: the custom fields belong to a contract type, so they are
 * columns of the type being listed. A list filtered to one type, or grouped
 * by type, shows that type's fields marked "Display in Cards" (the others
 * stay optional columns); a list of several types shows none by default and
 * offers, as optional columns, only the fields of the types it lists.
 */
export class IntegriaContractListRenderer extends ListRenderer {
    getPropertyFieldColumns(column, list) {
        const listedTypes = this.listedContractTypes(list);
        return super
            .getPropertyFieldColumns(column, list)
            .filter(
                (propertyColumn) =>
                    !listedTypes || listedTypes.has(propertyColumn.relatedPropertyField?.id)
            )
            .map((propertyColumn) =>
                this.showsTypeColumns(list) && list.fields[propertyColumn.name]?.view_in_cards
                    ? { ...propertyColumn, optional: "show" }
                    : propertyColumn
            );
    }

    /** The ids of the contract types of the listed contracts; null when grouped (not all loaded). */
    listedContractTypes(list) {
        if (list.isGrouped) {
            return null;
        }
        return new Set(list.records.map((record) => record.data.type_id?.id).filter(Boolean));
    }

    /** Whether the list shows one type at a time: filtered to one type, or grouped by type. */
    showsTypeColumns(list) {
        if (list.isGrouped) {
            return list.groupBy[0]?.split(":")[0] === "type_id";
        }
        return this.listedContractTypes(list).size === 1;
    }
}

registry.category("views").add("integria_crm_company_list", {
    ...listView,
    Renderer: IntegriaCrmCompanyListRenderer,
});

registry.category("views").add("integria_contract_list", {
    ...listView,
    Renderer: IntegriaContractListRenderer,
});
