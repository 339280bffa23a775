import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("integria_lead_form_tour", {
    steps: () => [
        {
            content: "A visitor gives a name",
            trigger: "form input[name='name']",
            run: "edit Lucía Fernández",
        },
        {
            trigger: "form input[name='email']",
            run: "edit lucia@tour.example",
        },
        {
            trigger: "form input[name='company']",
            run: "edit Tour <b>Company</b>",
        },
        {
            trigger: "form input[name='position']",
            run: "edit Buyer",
        },
        {
            trigger: "form select[name='country_id']",
            run: "selectByLabel Spain",
        },
        {
            trigger: "form textarea[name='comments']",
            run: "edit Please call me.",
        },
        {
            content: "and sends the form",
            trigger: "form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thank-you page",
            trigger: ".o_integria_lead_form_thanks h2:contains('Thank you')",
        },
    ],
});
