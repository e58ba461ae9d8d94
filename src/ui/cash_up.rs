//! The Cash-up page: a day (or a run of days) of the shop, on its calendar: the money by
//! method (payments, voids, refunds, net), the sales with their discounts and tax by rate,
//! cancellations and returns; printable on one page and downloadable as CSV. The period is in
//! the address (`/cash-up?from=2026-11-30&to=2026-11-30`), so it can be bookmarked.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use time::Date;

use super::locale::{self, KeptOffsets};
use crate::app::use_app;
use crate::domain::{Currency, Money, Timestamp};
use crate::io::cash_up::method_name;
use crate::read::{local_date, parse_day, CashUp};

/// A shop's day in the browser's locale.
fn shown(day: Date) -> String {
    locale::day(day.year(), u8::from(day.month()), day.day())
}

/// A signed amount in minor units in the browser's locale: `−12.50`.
fn signed(cents: i128, currency: Currency) -> String {
    let size = Money::from_cents(u64::try_from(cents.unsigned_abs()).unwrap_or(u64::MAX));
    let minus = if cents < 0 { "−" } else { "" };
    format!("{minus}{}", locale::amount(size, currency))
}

#[component]
pub fn CashUpPage() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let kept = KeptOffsets::new();
    let today = Memo::new(move |_| {
        let offsets = kept.of(&settings.with(|s| s.time_zone.clone()));
        #[allow(clippy::cast_possible_truncation)]
        let now = Timestamp(js_sys::Date::now() as i64);
        local_date(now, &*offsets).unwrap_or(Date::MIN)
    });
    // The period asked for in the address, else today; a period given backwards is turned round.
    let period = Memo::new(move |_| {
        let day = |name: &str| query.with(|q| q.get(name).as_deref().and_then(parse_day));
        let from = day("from").unwrap_or_else(|| today.get());
        let to = day("to").unwrap_or(from);
        if to < from {
            (to, from)
        } else {
            (from, to)
        }
    });
    let cash_up = Memo::new(move |_| {
        let (from, to) = period.get();
        let offsets = kept.of(&settings.with(|s| s.time_zone.clone()));
        app.views
            .with_shop(|models| models.cash_up(from, to, &*offsets))
    });
    let currency = Memo::new(move |_| settings.with(|s| s.currency));
    let navigate = use_navigate();
    let go = move |from: Date, to: Date| {
        navigate(
            &format!("/cash-up?from={from}&to={to}"),
            NavigateOptions::default(),
        );
    };
    let pick_from = {
        let go = go.clone();
        move |event| {
            if let Some(from) = parse_day(&event_target_value(&event)) {
                let (_, to) = period.get_untracked();
                go(from, to.max(from));
            }
        }
    };
    let pick_to = {
        let go = go.clone();
        move |event| {
            if let Some(to) = parse_day(&event_target_value(&event)) {
                let (from, _) = period.get_untracked();
                go(from.min(to), to);
            }
        }
    };
    let download = move |_| {
        let text =
            cash_up.with_untracked(|c| crate::io::cash_up::write(c, currency.get_untracked()));
        let (from, to) = period.get_untracked();
        if let Ok(text) = text {
            let name = if from == to {
                format!("cash-up-{from}.csv")
            } else {
                format!("cash-up-{from}-to-{to}.csv")
            };
            // A download the browser refuses leaves nothing to undo.
            let _ = super::import::download(&name, &text);
        }
    };
    view! {
        <main class="document" aria-label="Cash-up">
            <form class="control sheet-actions" on:submit=|event| event.prevent_default()>
                <div class="field">
                    <label for="cash-up-from">"From"</label>
                    <input id="cash-up-from" type="date" prop:value=move || period.get().0.to_string() on:change=pick_from />
                </div>
                <div class="field">
                    <label for="cash-up-to">"To"</label>
                    <input id="cash-up-to" type="date" prop:value=move || period.get().1.to_string() on:change=pick_to />
                </div>
                <button type="button" on:click=move |_| { let day = today.get_untracked(); go(day, day); }>"Today"</button>
                <button type="button" on:click=|_| { let _ = window().print(); }>"Print"</button>
                <button type="button" on:click=download>"Download CSV"</button>
            </form>
            {move || {
                let shop = settings.with(|s| s.name.as_ref().map(|n| n.as_str().to_owned()));
                cash_up.with(|c| sheet(c, currency.get(), shop))
            }}
        </main>
    }
}

/// The cash-up as a document.
fn sheet(cash_up: &CashUp, currency: Currency, shop: Option<String>) -> impl IntoView {
    let amount = move |money: Money| locale::amount(money, currency);
    let title = if cash_up.from == cash_up.to {
        format!("Cash-up for {}", shown(cash_up.from))
    } else {
        format!(
            "Cash-up from {} to {}",
            shown(cash_up.from),
            shown(cash_up.to)
        )
    };
    let totals = cash_up.totals();
    let methods = cash_up
        .by_method
        .iter()
        .map(|money| {
            view! {
                <tr>
                    <th scope="row">{method_name(money)}</th>
                    <td class="num">{amount(money.payments)}</td>
                    <td class="num">{amount(money.voids)}</td>
                    <td class="num">{amount(money.refunds)}</td>
                    <td class="num">{signed(money.net(), currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let tax_rows = cash_up
        .tax_by_rate
        .iter()
        .map(|at| {
            let name = at.rate.as_ref().map_or_else(
                || "Tax charged".to_owned(),
                |rate| format!("{rate}, on {}", amount(at.base)),
            );
            view! { <tr><th scope="row">{name}</th><td class="num">{amount(at.tax)}</td></tr> }
        })
        .collect_view();
    view! {
        <article class="sheet" aria-labelledby="sheet-heading">
            {shop.map(|name| view! { <header class="sheet-shop"><p class="shop-name">{name}</p></header> })}
            <h2 id="sheet-heading">{title}</h2>
            <p class="muted">{format!("Amounts in {currency}, on the shop's calendar.")}</p>
            <table class="sheet-payments">
                <caption>"Money by method"</caption>
                <thead><tr>
                    <th scope="col">"Method"</th><th scope="col" class="num">"Payments"</th><th scope="col" class="num">"Voids"</th>
                    <th scope="col" class="num">"Refunds"</th><th scope="col" class="num">"Net"</th>
                </tr></thead>
                <tbody>{methods}</tbody>
                <tfoot><tr>
                    <th scope="row">"Net taken"</th>
                    <td class="num">{amount(totals.payments)}</td>
                    <td class="num">{amount(totals.voids)}</td>
                    <td class="num">{amount(totals.refunds)}</td>
                    <td class="num">{signed(cash_up.net_taken(), currency)}</td>
                </tr></tfoot>
            </table>
            <table class="sheet-totals">
                <caption>"Sales"</caption>
                <tbody>
                    <tr><th scope="row">{format!("Orders placed ({})", locale::count(cash_up.placed))}</th><td class="num">{amount(cash_up.sales)}</td></tr>
                    <tr><th scope="row">"Discounts"</th><td class="num">{amount(cash_up.discounts)}</td></tr>
                    {tax_rows}
                    <tr><th scope="row">{format!("Orders cancelled ({})", locale::count(cash_up.cancelled))}</th><td class="num">{amount(cash_up.cancelled_sales)}</td></tr>
                </tbody>
            </table>
            <table class="sheet-totals">
                <caption>"Returns"</caption>
                <tbody>
                    <tr><th scope="row">"Units returned"</th><td class="num">{locale::count(cash_up.units_returned)}</td></tr>
                    <tr><th scope="row">"Units back in stock"</th><td class="num">{locale::count(cash_up.units_restocked)}</td></tr>
                </tbody>
            </table>
            <p class="muted">"Each figure counts on the day of its own event: a payment when taken, a void when voided, a refund when given, a sale when placed."</p>
        </article>
    }
}
