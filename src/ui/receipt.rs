//! An order's receipt and its invoice: the shop's details, the lines, discounts, tax by rate,
//! the total, payments and refunds, and the balance due, as a page made to be printed (the
//! print stylesheet keeps only the document, on A4, Letter or an 80 mm roll) or shared (the
//! Web Share API, where the browser has it). An invoice carries its number from the shop's
//! sequence; a cancelled order's invoice says so.

use std::fmt::Write as _;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsValue;

use super::format::order_href;
use super::locale;
use crate::app::use_app;
use crate::domain::{
    order::Payment, Currency, Invoice, Money, Order, ShopSettings, Stage, TimeZone,
};
use crate::forms;

/// Which document a page shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Receipt,
    Invoice,
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    view! { <Document kind=Kind::Receipt /> }
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    view! { <Document kind=Kind::Invoice /> }
}

/// Everything a document shows, read once from the order and the shop.
#[derive(Clone, PartialEq)]
struct Sheet {
    number: u64,
    order: Order,
    settings: ShopSettings,
    invoice: Option<Invoice>,
}

#[component]
fn Document(kind: Kind) -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let stream_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let sheet = Memo::new(move |_| {
        let id = stream_id.get();
        let (settings, invoice) = app
            .views
            .with_settings(|shop| (shop.settings().clone(), shop.invoice(&id)));
        app.views.with_order(&id, |models| {
            models.order(&id).map(|(row, order)| Sheet {
                number: row.number,
                order: order.clone(),
                settings,
                invoice,
            })
        })
    });
    view! {
        <main class="document">
            {move || match (sheet.get(), kind) {
                (None, _) => view! {
                    <section class="panel">
                        <h2>"Order not found"</h2>
                        <p>"There is no such order in this browser's log."</p>
                        <A href="/">"Back to the orders"</A>
                    </section>
                }.into_any(),
                (Some(sheet), Kind::Invoice) if sheet.invoice.is_none() => view! {
                    <section class="panel">
                        <h2>{format!("Order #{}: no invoice yet", sheet.number)}</h2>
                        <p>"An invoice is issued from a placed order's page, with the shop's next invoice number."</p>
                        <A href=order_href(&stream_id.get())>"Back to the order"</A>
                    </section>
                }.into_any(),
                (Some(sheet), kind) => sheet_view(&stream_id.get(), &sheet, kind).into_any(),
            }}
        </main>
    }
}

/// What a payment's row is called: its method, a refund and how it was given, and "void"
/// when it was voided.
fn payment_label(payment: &Payment) -> String {
    let method = payment.method.map(forms::order::method_label);
    let label = match (payment.refund, method) {
        (false, method) => method.unwrap_or("Other").to_owned(),
        (true, None) => "Refund".to_owned(),
        (true, Some(method)) => format!("Refund, {}", method.to_lowercase()),
    };
    if payment.is_void() {
        format!("{label} (void)")
    } else {
        label
    }
}

/// The document itself, then its buttons (which the print stylesheet leaves out).
fn sheet_view(stream_id: &str, sheet: &Sheet, kind: Kind) -> impl IntoView {
    let Sheet {
        number,
        order,
        settings,
        invoice,
    } = sheet;
    let currency = order.header().map_or(settings.currency, |h| h.currency);
    let zone = &settings.time_zone;
    let money = move |amount: Money| locale::money(amount, currency);
    let title = match (kind, invoice) {
        (Kind::Invoice, Some(invoice)) => format!("Invoice {}", invoice.number),
        _ => format!("Receipt for order #{number}"),
    };
    let dated = match (kind, invoice) {
        (Kind::Invoice, Some(invoice)) => locale::date_time(invoice.at.0, zone),
        _ => order
            .header()
            .map_or_else(String::new, |h| locale::date_time(h.created_at.0, zone)),
    };
    let cancelled = matches!(order.stage(), Stage::Cancelled { .. });
    let included = order.prices_include_tax();
    let rows = line_rows(order, currency);
    let totals = totals(order, currency);
    let payments = payment_rows(order, currency, zone);
    let balance = money(order.balance_due().unwrap_or_default());
    let share_text = plain_text(&title, sheet, currency, zone);
    let shop_name = settings.name.as_ref().map(|n| n.as_str().to_owned());
    let address = settings.address.as_ref().map(|a| a.as_str().to_owned());
    let tax_number = settings.tax_number.as_ref().map(|n| n.as_str().to_owned());
    let customer = order
        .header()
        .map(|h| h.customer.as_str().to_owned())
        .unwrap_or_default();
    let email = order
        .header()
        .and_then(|h| h.email.as_ref())
        .map(|e| e.as_str().to_owned());
    let share_title = title.clone();
    view! {
        <article class="sheet" aria-labelledby="sheet-heading">
            <header class="sheet-shop">
                {shop_name.map(|name| view! { <p class="shop-name">{name}</p> })}
                {address.map(|address| view! { <p class="shop-address">{address}</p> })}
                {tax_number.map(|number| view! { <p>{format!("Tax or VAT number: {number}")}</p> })}
            </header>
            <h2 id="sheet-heading">{title}</h2>
            {(kind == Kind::Invoice && cancelled).then(|| view! { <p class="cancelled-stamp" role="note">"Cancelled: this invoice's order was cancelled. Its number stays used."</p> })}
            <dl class="facts">
                <dt>"Date"</dt><dd>{dated}</dd>
                <dt>"Order"</dt><dd>{format!("#{number}")}</dd>
                <dt>"Customer"</dt><dd>{customer}</dd>
                {email.map(|email| view! { <dt>"Email"</dt><dd>{email}</dd> })}
            </dl>
            <table class="sheet-lines">
                <caption class="visually-hidden">"Lines"</caption>
                <thead><tr>
                    <th scope="col" class="num">"Qty"</th><th scope="col">"Item"</th><th scope="col" class="num">"Price"</th>
                    <th scope="col" class="num wide">"Discount"</th><th scope="col" class="wide">"Tax"</th><th scope="col" class="num">"Amount"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <table class="sheet-totals">
                <caption class="visually-hidden">"Totals"</caption>
                <tbody>
                    {totals.into_iter().map(|(name, figure)| {
                        let total = name == "Total";
                        view! { <tr class:total=total><th scope="row">{name}</th><td class="num">{figure}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            <table class="sheet-payments">
                <caption>"Payments"</caption>
                <tbody>{payments}</tbody>
                <tfoot><tr><th scope="row" colspan="2">"Balance due"</th><td class="num">{balance}</td></tr></tfoot>
            </table>
            <p class="muted">{if included { "Prices include tax." } else { "Tax is added to prices." }}" Tax is rounded per line."</p>
        </article>
        <div class="sheet-actions">
            <button type="button" on:click=|_| { let _ = window().print(); }>"Print"</button>
            {can_share().then(|| view! {
                <button type="button" on:click=move |_| share(&share_title, &share_text)>"Share"</button>
            })}
            <A href=order_href(stream_id)>"Back to the order"</A>
        </div>
    }
}

/// The lines as the document's table rows.
fn line_rows(order: &Order, currency: Currency) -> impl IntoView {
    let money = move |amount: Money| locale::money(amount, currency);
    let lines = order.line_figures().unwrap_or_default();
    order
        .lines()
        .iter()
        .zip(&lines)
        .map(|(state, figures)| {
            let line = &state.line;
            let discount = (figures.line_discount > Money::ZERO).then(|| money(figures.line_discount));
            let rate = line.tax.as_ref().map_or_else(|| "—".to_owned(), ToString::to_string);
            // On a narrow sheet (a phone, a roll) the discount and the rate go under the item.
            let note = match &discount {
                Some(discount) => format!("−{discount} · {rate}"),
                None => rate.clone(),
            };
            view! {
                <tr>
                    <td class="num">{line.quantity.to_string()}</td>
                    <th scope="row">{line.product_name.as_str().to_owned()}<span class="muted">{format!(" {}", line.sku.as_str())}</span>
                        <span class="line-note muted">{note}</span></th>
                    <td class="num">{money(line.unit_price)}</td>
                    <td class="num wide">{discount.unwrap_or_else(|| "—".to_owned())}</td>
                    <td class="wide">{rate}</td>
                    <td class="num">{money(line.total().unwrap_or_default())}</td>
                </tr>
            }
        })
        .collect_view()
}

/// Payments and refunds as the document's table rows.
fn payment_rows(order: &Order, currency: Currency, zone: &TimeZone) -> impl IntoView {
    let money = move |amount: Money| locale::money(amount, currency);
    order
        .payments()
        .iter()
        .map(|payment| {
            view! {
                <tr>
                    <th scope="row">{payment_label(payment)}</th>
                    <td>{locale::date_time(payment.at.0, zone)}</td>
                    <td class="num">{if payment.refund { format!("−{}", money(payment.amount)) } else { money(payment.amount) }}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The totals' rows: subtotal, the order's discount, tax by rate (on what base), shipping,
/// the total, and what the discounts saved.
fn totals(order: &Order, currency: Currency) -> Vec<(String, String)> {
    let money = |amount: Money| locale::money(amount, currency);
    let included = order.prices_include_tax();
    let mut totals = vec![(
        "Subtotal".to_owned(),
        money(order.subtotal().unwrap_or_default()),
    )];
    let order_discount = order.order_discount().unwrap_or_default();
    if order_discount > Money::ZERO {
        totals.push((
            "Order discount".to_owned(),
            format!("−{}", money(order_discount)),
        ));
    }
    for at in order.tax_by_rate().unwrap_or_default() {
        let name = match &at.rate {
            Some(rate) if included => format!("{rate} included, on {}", money(at.base)),
            Some(rate) => format!("{rate} on {}", money(at.base)),
            None => "Tax".to_owned(),
        };
        totals.push((name, money(at.tax)));
    }
    if order.shipping() > Money::ZERO {
        totals.push(("Shipping".to_owned(), money(order.shipping())));
    }
    totals.push(("Total".to_owned(), money(order.total().unwrap_or_default())));
    let discounts = order.discounts().unwrap_or_default();
    if discounts > Money::ZERO {
        totals.push(("You saved".to_owned(), money(discounts)));
    }
    totals
}

/// The document as plain text, for sharing.
fn plain_text(title: &str, sheet: &Sheet, currency: Currency, zone: &TimeZone) -> String {
    let money = |amount: Money| locale::money(amount, currency);
    let mut text = String::new();
    if let Some(name) = &sheet.settings.name {
        text.push_str(name.as_str());
        text.push('\n');
    }
    text.push_str(title);
    text.push('\n');
    if let Some(header) = sheet.order.header() {
        text.push_str(&locale::date_time(header.created_at.0, zone));
        text.push('\n');
    }
    for state in sheet.order.lines() {
        let line = &state.line;
        let _ = writeln!(
            text,
            "{} × {}: {}",
            line.quantity,
            line.product_name.as_str(),
            money(line.total().unwrap_or_default())
        );
    }
    let _ = writeln!(
        text,
        "Total: {}\nBalance due: {}",
        money(sheet.order.total().unwrap_or_default()),
        money(sheet.order.balance_due().unwrap_or_default())
    );
    text
}

/// Whether the browser can share (the Web Share API: most phones, few desktops).
fn can_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &"share".into()).unwrap_or(false)
}

/// Opens the device's share sheet with the document's text.
fn share(title: &str, text: &str) {
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &JsValue::from_str(title));
    let _ = js_sys::Reflect::set(&data, &"text".into(), &JsValue::from_str(text));
    let navigator = window().navigator();
    if let Ok(share) = js_sys::Reflect::get(&navigator, &"share".into()) {
        if let Ok(share) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(share) {
            // The promise settles when the sheet closes; a dismissal is no error worth showing.
            let _ = share.call1(&navigator, &data);
        }
    }
}
