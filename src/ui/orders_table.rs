//! The orders list: search, status, the days they were created and a tag to filter by, sort
//! by any column, fifty rows a page. The query runs over the read model
//! (`read::orders_query`); it is kept in the address (a filtered list can be bookmarked and
//! shared) and, but for the days, as a preference.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::format::order_href;
use super::locale::{self, KeptOffsets};
use crate::app::prefs;
use crate::app::use_app;
use crate::read::orders_query::{query, OrdersPage, OrdersQuery, SortKey, STATUS_FILTERS};
use crate::read::parse_day;

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
    let wanted = kept_query();
    let kept = KeptOffsets::new();
    let page = Memo::new(move |_| {
        let wanted = wanted.get();
        let offsets = kept.of(&zone.get());
        app.views
            .with_orders(|models| query(models.orders(), &wanted, &*offsets))
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
                <DayAndTagFilters wanted />
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

/// The query the address asks for (a bookmarked or shared list), else the last one; kept in
/// the address (replacing the entry, so Back leaves the list) and as a preference.
fn kept_query() -> RwSignal<OrdersQuery> {
    let address = use_query_map();
    let asked = address.with_untracked(|params| {
        (params.into_iter().next().is_some())
            .then(|| OrdersQuery::from_params(|name| params.get(name)))
    });
    let wanted = RwSignal::new(asked.unwrap_or_else(prefs::load_orders_query));
    Effect::new(move |_| wanted.with(prefs::save_orders_query));
    let navigate = use_navigate();
    Effect::new(move |_| {
        let query = prefs::address_query(&wanted.with(OrdersQuery::to_params));
        let path = if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        };
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    wanted
}

/// The days the orders were created on, and the tag they are filed under.
#[component]
fn DayAndTagFilters(wanted: RwSignal<OrdersQuery>) -> impl IntoView {
    let app = use_app();
    let tags = Memo::new(move |_| {
        app.views.with_orders(|models| {
            let mut tags: Vec<String> = models
                .orders()
                .rows()
                .iter()
                .flat_map(|row| row.tags.iter().cloned())
                .collect();
            tags.sort();
            tags.dedup();
            tags
        })
    });
    let day = move |text: String| parse_day(&text);
    let change_tag = move |tag: String| {
        wanted.update(|q| {
            q.tag = (!tag.is_empty()).then_some(tag);
            q.page = 0;
        });
    };
    view! {
                <div class="field">
                    <label for="orders-from">"Created from"</label>
                    <input id="orders-from" type="date" prop:value=move || wanted.with(|q| q.from.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |event| { let from = day(event_target_value(&event)); wanted.update(|q| { q.from = from; q.page = 0; }); } />
                </div>
                <div class="field">
                    <label for="orders-to">"Created to"</label>
                    <input id="orders-to" type="date" prop:value=move || wanted.with(|q| q.to.map(|d| d.to_string()).unwrap_or_default())
                        on:change=move |event| { let to = day(event_target_value(&event)); wanted.update(|q| { q.to = to; q.page = 0; }); } />
                </div>
                <div class="field">
                    <label for="orders-tag">"Tag"</label>
                    <select id="orders-tag" prop:value=move || wanted.with(|q| q.tag.clone().unwrap_or_default())
                        on:change=move |event| change_tag(event_target_value(&event))>
                        <option value="">"Any tag"</option>
                        {move || tags.get().into_iter().map(|tag| {
                            let (chosen, value) = (tag.clone(), tag.clone());
                            view! { <option value=value selected=move || wanted.with(|q| q.tag.as_deref() == Some(chosen.as_str()))>{tag}</option> }
                        }).collect_view()}
                    </select>
                </div>
    }
}
