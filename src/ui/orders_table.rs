//! The orders list: search, status filter, sort by any column, fifty rows a page. The query
//! runs over the read model (`read::orders_query`); the search, filter and sort are kept as
//! preferences.

use leptos::prelude::*;
use leptos_router::components::A;

use super::format::order_href;
use super::locale;
use crate::app::prefs;
use crate::app::use_app;
use crate::read::orders_query::{query, OrdersPage, OrdersQuery, SortKey, STATUS_FILTERS};

const COLUMNS: [(SortKey, &str, bool); 8] = [
    (SortKey::Number, "Order", false),
    (SortKey::Date, "Date", false),
    (SortKey::Customer, "Customer", false),
    (SortKey::FinancialStatus, "Payment", false),
    (SortKey::FulfilmentStatus, "Fulfilment", false),
    (SortKey::Items, "Items", true),
    (SortKey::Total, "Total", true),
    (SortKey::BalanceDue, "Balance due", true),
];

#[component]
pub fn OrdersTable() -> impl IntoView {
    let app = use_app();
    // Amounts in each order's currency and times in the shop's zone, as the browser's
    // locale writes them.
    let zone = Memo::new(move |_| {
        app.views
            .with_settings(|shop| shop.settings().time_zone.clone())
    });
    let wanted = RwSignal::new(prefs::load_orders_query());
    Effect::new(move |_| wanted.with(prefs::save_orders_query));
    let page = Memo::new(move |_| {
        let wanted = wanted.get();
        app.views
            .with_orders(|models| query(models.orders(), &wanted))
    });
    let change = move |edit: fn(&mut OrdersQuery, String), value: String| {
        wanted.update(|q| {
            edit(q, value);
            q.page = 0;
        });
    };
    let status_index = move || {
        let status = wanted.with(|q| q.status);
        STATUS_FILTERS
            .iter()
            .position(|(s, _)| *s == status)
            .unwrap_or(0)
            .to_string()
    };

    view! {
        <section class="orders panel" aria-labelledby="orders-heading">
            <h2 id="orders-heading">"Orders"</h2>
            <div class="filters">
                <div class="field">
                    <label for="orders-search">"Search orders"</label>
                    <input id="orders-search" type="search" placeholder="number, customer, email or SKU" aria-keyshortcuts="/"
                        prop:value=move || wanted.with(|q| q.search.clone())
                        on:input=move |event| change(|q, v| q.search = v, event_target_value(&event)) />
                </div>
                <div class="field">
                    <label for="orders-status">"Status"</label>
                    <select id="orders-status" prop:value=status_index
                        on:change=move |event| change(|q, v| q.status = STATUS_FILTERS.get(v.parse::<usize>().unwrap_or(0)).map_or_else(Default::default, |(s, _)| *s), event_target_value(&event))>
                        {STATUS_FILTERS.iter().enumerate().map(|(n, (_, label))| view! { <option value=n.to_string()>{*label}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="muted" role="status">{move || page.with(summary)}</p>
            <table class="orders-list" aria-labelledby="orders-heading">
                <thead>
                    <tr>
                        {COLUMNS.iter().map(|(key, label, numeric)| {
                            let key = *key;
                            let sorted = move || wanted.with(|q| (q.sort == key).then_some(q.descending));
                            view! {
                                <th scope="col" class:num=*numeric
                                    aria-sort=move || match sorted() { Some(true) => "descending", Some(false) => "ascending", None => "none" }>
                                    <button type="button" class="sort" on:click=move |_| wanted.update(|q| {
                                        q.descending = if q.sort == key { !q.descending } else { false };
                                        q.sort = key;
                                        q.page = 0;
                                    })>
                                        {*label}
                                        <span aria-hidden="true">{move || match sorted() { Some(true) => " ▼", Some(false) => " ▲", None => "" }}</span>
                                    </button>
                                </th>
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || page.with(|p| p.rows.clone()) key=|row| (row.order_id.clone(), row.total, row.balance_due, row.financial_status, row.fulfilment_status, row.items) let:row>
                        <tr>
                            <th scope="row">
                                <A href=order_href(&row.order_id)>{format!("#{}", row.number)}</A>
                            </th>
                            <td class="date">{move || zone.with(|zone| locale::date_time(row.created_at.0, zone))}</td>
                            <td class="customer">{row.customer}</td>
                            <td class="payment">{if row.draft { "draft".to_owned() } else { row.financial_status.to_string() }}</td>
                            <td class="fulfilment">{if row.cancelled { "cancelled".to_owned() } else { row.fulfilment_status.to_string() }}</td>
                            <td class="num items" data-label="Items">{row.items}</td>
                            <td class="num total">{locale::amount(row.total, row.currency)}</td>
                            <td class="num balance" data-label="Balance due">{locale::amount(row.balance_due, row.currency)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <div class="pager">
                <button type="button" aria-keyshortcuts="[" disabled=move || page.with(|p| p.page == 0)
                    on:click=move |_| wanted.update(|q| q.page = page.with_untracked(|p| p.page.saturating_sub(1)))>"Previous page"</button>
                <span>{move || page.with(|p| format!("Page {} of {}", p.page + 1, p.pages))}</span>
                <button type="button" aria-keyshortcuts="]" disabled=move || page.with(|p| p.page + 1 >= p.pages)
                    on:click=move |_| wanted.update(|q| q.page = page.with_untracked(|p| p.page + 1))>"Next page"</button>
            </div>
        </section>
    }
}

fn summary(page: &OrdersPage) -> String {
    match page.matching {
        0 if page.total == 0 => "No orders yet.".to_owned(),
        0 => "No orders match.".to_owned(),
        1 => "1 order".to_owned(),
        n => format!("{n} orders"),
    }
}
