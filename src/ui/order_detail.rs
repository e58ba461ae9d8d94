//! One order: its lines, totals, payments and fulfilment, notes, every command's control
//! with its error beside it, and its history (the audit trail of its events).

use leptos::prelude::*;

use super::shell::Writes;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::control::{choice, input, Control, ControlStates, Values};
use super::format::{customer_href, order_href};
use super::locale;
use super::returns::ReturnForm;
use crate::app::use_app;
use crate::domain::{
    Currency, Discount, LineId, LineState, Money, Order, OrderCommand, ShopCommand, ShopSettings,
    ShopSettingsCommand, Stage, Tag, TaxRate, TimeZone, SHOP_CURRENCY,
};
use crate::forms::order::{LineForm, RateChoice, PAYMENT_METHODS};
use crate::forms::{self, FormError, Unstamped};
use crate::read::history::HistoryRow;
use crate::read::OrderRow;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    // The address names the order by its stream id.
    let stream_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // The order re-renders whenever it changes (here or in another tab); its controls keep
    // what is typed in them, until the page shows another order.
    let controls = ControlStates::provide();
    let found = Memo::new(move |_| {
        let id = stream_id.get();
        app.views.with_order(&id, |models| {
            models
                .order(&id)
                .map(|(row, order)| (row.clone(), order.clone()))
        })
    });
    let exists = Memo::new(move |_| found.with(Option::is_some));
    view! {
        <main class="order-detail">
            // Each part below redraws only when what it shows changes: a note redraws
            // neither the facts, the lines, the totals nor the actions.
            {move || {
                let id = stream_id.get();
                controls.show(&id);
                if exists.get() {
                    view! {
                        <OrderView stream_id=id.clone() found=found />
                        <NotesList found=found />
                        <History stream_id=id found=found />
                    }
                    .into_any()
                } else {
                    view! {
                        <section class="panel">
                            <h2>"Order not found"</h2>
                            <p>"There is no such order in this browser's log."</p>
                            <A href="/">"Back to the orders"</A>
                        </section>
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

/// `amount` of the order's currency as the page shows it, in the browser's locale: a missing
/// figure (no line) as zero.
fn money(amount: Option<Money>, currency: Currency) -> String {
    locale::amount(amount.unwrap_or_default(), currency)
}

/// The order's currency (the shop's default for an order not found).
fn currency_of(order: &Order) -> Currency {
    order.header().map_or(SHOP_CURRENCY, |h| h.currency)
}

/// An amount as a field starts with it: plain, in the currency's minor units.
fn typed(amount: Money, currency: Currency) -> String {
    amount.to_plain_in(currency.minor_units())
}

/// A discount as its field shows it: `10%` or an amount; empty for none.
fn discount_text(discount: Option<Discount>, currency: Currency) -> String {
    match discount {
        None => String::new(),
        Some(Discount::Percent(rate)) => rate.to_string(),
        Some(Discount::Amount(amount)) => typed(amount, currency),
    }
}

/// A part of the page, derived from the order: it redraws only when it changes.
fn part<T: Clone + PartialEq + Send + Sync + 'static>(
    found: Found,
    of: impl Fn(&OrderRow, &Order) -> T + Send + Sync + 'static,
) -> Memo<Option<T>> {
    Memo::new(move |_| found.with(|found| found.as_ref().map(|(row, order)| of(row, order))))
}

/// Who the order is for and where it stands.
#[derive(Clone, PartialEq)]
struct Facts {
    number: u64,
    customer: String,
    /// The customer's record, when the order names one.
    customer_id: Option<String>,
    email: String,
    created_at: String,
    stage: String,
    financial: String,
    fulfilment: String,
}

impl Facts {
    fn of(row: &OrderRow, order: &Order, zone: &TimeZone) -> Facts {
        Facts {
            number: row.number,
            customer: row.customer.clone(),
            customer_id: order.header().and_then(|h| h.customer_id.clone()),
            email: order
                .header()
                .and_then(|h| h.email.as_ref())
                .map_or("—".to_owned(), |e| e.as_str().to_owned()),
            created_at: locale::date_time(row.created_at.0, zone),
            stage: match order.stage() {
                Stage::Draft => "Draft (not placed)".to_owned(),
                Stage::Placed { placed_at } => {
                    format!("Placed {}", locale::date_time(placed_at.0, zone))
                }
                Stage::Cancelled {
                    cancelled_at,
                    reason,
                    ..
                } => format!(
                    "Cancelled {}: {}",
                    locale::date_time(cancelled_at.0, zone),
                    reason.as_str()
                ),
            },
            financial: row.financial_status.to_string(),
            fulfilment: row.fulfilment_status.to_string(),
        }
    }
}

/// Which commands the order takes now, and what their fields start with.
#[derive(Clone, PartialEq)]
struct Actions {
    draft: bool,
    currency: Currency,
    /// Placed, in this currency: it takes payments, fulfilment and cancellation.
    placed_in: Option<Currency>,
    next_line: LineId,
    tax: String,
    shipping: String,
    discount: String,
    balance_due: String,
    /// What can still be refunded, in the order's currency, when anything can.
    refundable: Option<(Money, Currency)>,
    /// The payments that can still be voided: their number and what they were.
    voidable: Vec<(u32, String)>,
    /// Placed, with nothing paid and nothing fulfilled: it can go back to a draft.
    reopenable: bool,
    /// The tags it is filed under.
    tags: Vec<Tag>,
}

impl Actions {
    fn of(_: &OrderRow, order: &Order) -> Actions {
        let currency = order.header().map(|h| h.currency);
        let refundable = order.refundable().unwrap_or_default();
        let shown = currency.unwrap_or(SHOP_CURRENCY);
        let placed = matches!(order.stage(), Stage::Placed { .. });
        let voidable = order
            .payments()
            .iter()
            .zip(1..)
            .filter(|(payment, _)| !order.is_draft() && !payment.is_void() && !payment.refund)
            .map(|(payment, number)| {
                let method = payment.method.map_or("Other", forms::order::method_label);
                (
                    number,
                    format!(
                        "{} {}",
                        locale::amount(payment.amount, shown),
                        method.to_lowercase()
                    ),
                )
            })
            .collect();
        Actions {
            tags: order.tags().to_vec(),
            voidable,
            reopenable: placed
                && order.paid() == Money::ZERO
                && order.lines().iter().all(|state| state.fulfilled == 0),
            draft: order.is_draft(),
            currency: shown,
            placed_in: currency.filter(|_| matches!(order.stage(), Stage::Placed { .. })),
            next_line: forms::order::next_line_id(order),
            tax: typed(order.tax(), shown),
            shipping: typed(order.shipping(), shown),
            discount: discount_text(order.discount(), shown),
            balance_due: typed(order.balance_due().unwrap_or_default(), shown),
            refundable: (refundable.cents() > 0)
                .then(|| (refundable, currency.unwrap_or(SHOP_CURRENCY))),
        }
    }
}

#[component]
fn OrderView(stream_id: String, found: Found) -> impl IntoView {
    let app = use_app();
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let zone = Memo::new(move |_| settings.with(|s| s.time_zone.clone()));
    let facts = Memo::new(move |_| {
        let zone = zone.get();
        found.with(|found| {
            found
                .as_ref()
                .map(|(row, order)| Facts::of(row, order, &zone))
        })
    });
    let exchanges = {
        let stream_id = stream_id.clone();
        Memo::new(move |_| app.views.with_orders(|models| models.exchanges(&stream_id)))
    };
    let invoice = {
        let stream_id = stream_id.clone();
        Memo::new(move |_| app.views.with_settings(|shop| shop.invoice(&stream_id)))
    };
    let placed = part(found, |_, order| order.was_placed());
    let lines = part(found, move |_, order| {
        let writes = !app.syncing.read_only();
        let currency = currency_of(order);
        (
            order
                .lines()
                .iter()
                .map(|line| (line.clone(), currency))
                .collect::<Vec<_>>(),
            writes && order.is_draft(),
            writes && matches!(order.stage(), Stage::Placed { .. }),
        )
    });
    let totals = part(found, |_, order| totals_of(order));
    let actions = part(found, Actions::of);
    let lines_stream = stream_id.clone();
    let return_stream = stream_id.clone();
    view! {
        <section class="panel" aria-labelledby="order-heading">
            {move || facts.get().map(|facts| view! {
                <h2 id="order-heading">{format!("Order #{}", facts.number)}</h2>
                <dl class="facts">
                    <dt>"Customer"</dt><dd>{match facts.customer_id {
                        Some(id) => view! { <A href=customer_href(&id)>{facts.customer}</A> }.into_any(),
                        None => facts.customer.into_any(),
                    }}</dd>
                    <dt>"Email"</dt><dd>{facts.email}</dd>
                    <dt>"Created"</dt><dd>{facts.created_at}</dd>
                    <dt>"Stage"</dt><dd>{facts.stage}</dd>
                    <dt>"Financial status"</dt><dd>{facts.financial}</dd>
                    <dt>"Fulfilment status"</dt><dd>{facts.fulfilment}</dd>
                </dl>
            })}
            <p class="documents">
                {move || exchanges.get().of.map(|(original, number)| view! {
                    <A href=order_href(&original)>{format!("Exchange for #{number}")}</A>
                })}
                {move || exchanges.get().by.into_iter().map(|(exchange, number)| view! {
                    <A href=order_href(&exchange)>{format!("Exchanged in #{number}")}</A>
                }).collect_view()}
                <A href=format!("{}/receipt", order_href(&stream_id))>"Receipt"</A>
                {
                    let stream_id = stream_id.clone();
                    move || match (placed.get(), invoice.get()) {
                        (_, Some(invoice)) => Some(view! {
                            <A href=format!("{}/invoice", order_href(&stream_id))>{format!("Invoice {}", invoice.number)}</A>
                        }.into_any()),
                        (Some(true), None) => Some(view! { <IssueInvoice stream_id=stream_id.clone() /> }.into_any()),
                        _ => None,
                    }
                }
            </p>
        </section>
        <section class="panel" aria-labelledby="lines-heading">
            <h2 id="lines-heading">"Lines"</h2>
            <table class="cards" aria-labelledby="lines-heading">
                <thead><tr>
                    <th scope="col">"Line"</th><th scope="col">"SKU"</th><th scope="col">"Product"</th>
                    <th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th>
                    <th scope="col" class="num">"Discount"</th><th scope="col">"Tax rate"</th><th scope="col" class="num">"Line total"</th>
                    <th scope="col" class="num">"Fulfilled"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || lines.get().map(|(lines, draft, placed)| {
                        lines.into_iter().map(|(state, currency)| line_row(&lines_stream, &state, currency, draft, placed)).collect_view()
                    })}
                </tbody>
            </table>
        </section>
        <section class="panel" aria-labelledby="totals-heading">
            <h2 id="totals-heading">"Totals"</h2>
            <table class="totals" aria-labelledby="totals-heading">
                <tbody>
                    {move || totals.get().map(|figures| {
                        figures
                            .into_iter()
                            .map(|(name, figure)| view! { <tr><th scope="row">{name}</th><td class="num">{figure}</td></tr> })
                            .collect_view()
                    })}
                </tbody>
            </table>
        </section>
        <section class="panel controls" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            <Writes>{
                let stream_id = stream_id.clone();
                move || actions.get().map(|actions| settings.with(|shop| actions_view(&stream_id, actions, shop)))
            }</Writes>
        </section>
        <Writes>{
            let stream_id = return_stream.clone();
            let order = Memo::new(move |_| found.with(|found| found.as_ref().map(|(_, order)| order.clone())));
            move || view! { <ReturnForm stream_id=stream_id.clone() order /> }
        }</Writes>
    }
}

/// The totals' rows, by name: the subtotal, discounts, tax by rate (and the tax typed in as
/// a charge), shipping, the total, and the money received and given back.
fn totals_of(order: &Order) -> Vec<(String, String)> {
    let currency = currency_of(order);
    let money = |amount: Option<Money>| money(amount, currency);
    let mut rows = vec![("Subtotal".to_owned(), money(order.subtotal()))];
    if order.discount().is_some() || order.discounts().unwrap_or_default() > Money::ZERO {
        rows.push(("Discounts".to_owned(), money(order.discounts())));
    }
    let included = if order.prices_include_tax() {
        " (included)"
    } else {
        ""
    };
    let by_rate = order.tax_by_rate().unwrap_or_default();
    for at in &by_rate {
        if let Some(rate) = &at.rate {
            rows.push((format!("{rate}{included}"), money(Some(at.tax))));
        }
    }
    if by_rate.iter().all(|at| at.rate.is_some()) && !by_rate.is_empty() {
        // Rated tax only: no typed tax to show.
    } else {
        rows.push(("Tax".to_owned(), money(Some(order.tax()))));
    }
    for (name, amount) in [
        ("Shipping", Some(order.shipping())),
        ("Total", order.total()),
        ("Paid", Some(order.paid())),
        ("Refunded", Some(order.refunded())),
        ("Balance due", order.balance_due()),
        ("Refund owed", Some(order.refund_owed())),
    ] {
        rows.push((name.to_owned(), money(amount)));
    }
    rows
}

/// The button that gives a placed order its invoice number (the shop's next), then opens the
/// invoice.
#[component]
fn IssueInvoice(stream_id: String) -> impl IntoView {
    let app = use_app();
    let failed = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    let issue = move |_| {
        let stream_id = stream_id.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let command = Unstamped::new({
                let order_id = stream_id.clone();
                move |at| ShopCommand::Shop(ShopSettingsCommand::IssueInvoice { order_id, at })
            });
            match app.commands.run(command).await {
                Ok(()) => navigate(
                    &format!("{}/invoice", order_href(&stream_id)),
                    leptos_router::NavigateOptions::default(),
                ),
                Err(why) => failed.set(Some(why)),
            }
        });
    };
    view! {
        <button type="button" on:click=issue>"Invoice"</button>
        <span class="form-error" role="alert">{move || failed.get()}</span>
    }
}

/// A line's discount as the page shows it: its amount, and its percentage when it has one.
fn line_discount(state: &LineState, currency: Currency) -> String {
    let amount = money(state.line.discount_amount(), currency);
    match state.line.discount_percent {
        Some(rate) => format!("{amount} ({rate})"),
        None => amount,
    }
}

/// A line of the order, with the commands it takes now.
fn line_row(
    stream_id: &str,
    state: &LineState,
    currency: Currency,
    draft: bool,
    placed: bool,
) -> impl IntoView {
    let line = &state.line;
    let n = line.line_id;
    let per_line = if draft {
        view! {
            <Control title=format!("Change line {n}") inline=true
                inputs=vec![input("quantity", format!("New quantity for line {n}"), &line.quantity.to_string())]
                button=format!("Change quantity of line {n}")
                command=for_order(stream_id, move |values: Values| forms::order::change_quantity(n, values.get("quantity"))) />
            <Control title=format!("Remove line {n}") inline=true inputs=vec![]
                button=format!("Remove line {n}")
                command=for_order(stream_id, move |_| Ok(OrderCommand::RemoveLine { line_id: n })) />
        }
        .into_any()
    } else if placed && state.remaining() > 0 {
        view! {
            <Control title=format!("Fulfil line {n}") inline=true
                inputs=vec![input("units", format!("Units of line {n} to fulfil"), &state.remaining().to_string())]
                button=format!("Fulfil line {n}")
                command=for_order(stream_id, move |values: Values| forms::order::fulfil_line(n, values.get("units"))) />
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <tr>
            <th scope="row" data-label="Line">{n.to_string()}</th>
            <td data-label="SKU">{line.sku.as_str().to_owned()}</td>
            <td class="whole">{line.product_name.as_str().to_owned()}</td>
            <td class="num" data-label="Quantity">{line.quantity.to_string()}</td>
            <td class="num" data-label="Unit price">{locale::amount(line.unit_price, currency)}</td>
            <td class="num" data-label="Discount">{line_discount(state, currency)}</td>
            <td data-label="Tax rate">{line.tax.as_ref().map_or_else(|| "—".to_owned(), TaxRate::to_string)}</td>
            <td class="num" data-label="Line total">{money(line.total(), currency)}</td>
            <td class="num" data-label="Fulfilled">{if state.returned == 0 { state.fulfilled.to_string() } else { format!("{} ({} returned)", state.fulfilled, state.returned) }}</td>
            <td class="whole">{per_line}</td>
        </tr>
    }
}

/// The order's controls: those its stage takes, then the note that every order takes.
fn actions_view(stream_id: &str, actions: Actions, shop: &ShopSettings) -> impl IntoView {
    let app = use_app();
    let Actions {
        draft,
        currency,
        placed_in,
        next_line,
        tax,
        shipping,
        discount,
        balance_due,
        refundable,
        voidable,
        reopenable,
        tags,
    } = actions;
    let options = forms::order::rate_choices(shop);
    let shop = shop.clone();
    let draft_controls = draft.then(|| {
        let labels = options.iter().map(|(label, _)| label.clone()).collect();
        view! {
            <Control title="Add a line".into()
                inputs=vec![input("sku", "SKU", ""), input("product_name", "Product name", ""), input("quantity", "Quantity", "1"),
                    input("unit_price", "Unit price", "").decimal(), input("discount", "Discount", "").decimal()]
                choice=choice("tax_rate", "Tax rate", labels)
                button="Add line".into()
                command=for_order(stream_id, move |values: Values| {
                    let value = |name: &str| values.get(name).to_owned();
                    let chosen = values.get("tax_rate");
                    let choice = options.iter().find(|(label, _)| label == chosen).map_or(RateChoice::Product, |(_, choice)| choice.clone());
                    LineForm {
                        sku: value("sku"),
                        product_name: value("product_name"),
                        quantity: value("quantity"),
                        unit_price: value("unit_price"),
                        discount: value("discount"),
                        tax: choice.resolve(app.views.product_rate(values.get("sku")).as_ref(), &shop),
                    }
                    .to_command(next_line, currency)
                }) />
            <Control title="Order discount".into()
                inputs=vec![input("discount", "Order discount", &discount).decimal()]
                button="Set discount".into()
                command=for_order(stream_id, move |values: Values| forms::order::order_discount(values.get("discount"), currency)) />
            <Control title="Charges".into()
                inputs=vec![input("tax", "Tax", &tax).decimal(), input("shipping", "Shipping", &shipping).decimal()]
                button="Set charges".into()
                command=for_order(stream_id, move |values: Values| forms::order::charges(values.get("tax"), values.get("shipping"), currency)) />
            <Control title="Place the order".into() inputs=vec![] button="Place order".into()
                command=for_order(stream_id, move |_| Ok(forms::order::place())) />
        }
    });
    let placed_controls = placed_in.map(|currency| {
        let methods = PAYMENT_METHODS.iter().map(|(_, label)| (*label).to_owned()).collect();
        view! {
            <Control title="Payment".into()
                inputs=vec![input("amount", "Payment amount", &balance_due).shortcut("p").decimal()]
                choice=choice("method", "Payment method", methods)
                button="Record payment".into()
                command=for_order(stream_id, move |values: Values| forms::order::payment(values.get("amount"), values.get("method"), currency)) />
            <Control title="Fulfilment".into() inputs=vec![] button="Fulfil all remaining".into()
                command=for_order(stream_id, move |_| Ok(forms::order::fulfil_all())) />
            <Control title="Cancellation".into() inputs=vec![input("reason", "Cancellation reason", "")] button="Cancel order".into()
                command=for_order(stream_id, move |values: Values| forms::order::cancel(values.get("reason"))) />
        }
    });
    let refund_control = refundable.map(|(refundable, currency)| {
        let methods = PAYMENT_METHODS.iter().map(|(_, label)| (*label).to_owned()).collect();
        view! {
            <Control title="Refund".into()
                inputs=vec![input("amount", "Refund amount", &typed(refundable, currency)).decimal()]
                choice=choice("method", "Refund method", methods)
                button="Record refund".into()
                command=for_order(stream_id, move |values: Values| forms::order::refund(values.get("amount"), values.get("method"), currency)) />
        }
    });
    let void_controls = voidable
        .into_iter()
        .map(|(number, what)| {
            view! {
                <Control title=format!("Void payment {number} ({what})")
                    inputs=vec![input("reason", format!("Reason for voiding payment {number}"), "")]
                    button=format!("Void payment {number}")
                    command=for_order(stream_id, move |values: Values| forms::order::void_payment(number, values.get("reason"))) />
            }
        })
        .collect_view();
    let reopen_control = reopenable.then(|| {
        view! {
            <Control title="Reopen the order".into() inputs=vec![] button="Reopen as a draft".into()
                command=for_order(stream_id, move |_| Ok(forms::order::reopen())) />
        }
    });
    view! {
        {draft_controls}
        {placed_controls}
        {refund_control}
        {void_controls}
        {reopen_control}
        {notes_and_tags(stream_id, tags)}
    }
}

/// The controls every order takes: a note, a tag, and removing each tag it has.
fn notes_and_tags(stream_id: &str, tags: Vec<Tag>) -> impl IntoView {
    let removes = tags
        .into_iter()
        .map(|tag| {
            let name = tag.as_str().to_owned();
            view! {
                <Control title=format!("Tag {name}") inline=true inputs=vec![] button=format!("Remove tag {name}")
                    command=for_order(stream_id, move |_| Ok(OrderCommand::RemoveTag { tag: tag.clone() })) />
            }
        })
        .collect_view();
    view! {
        <Control title="Notes".into() inputs=vec![input("note", "Note", "")] button="Add note".into()
            command=for_order(stream_id, move |values: Values| forms::order::note(values.get("note"))) />
        <Control title="Tags".into() inputs=vec![input("tag", "Tag", "")] button="Add tag".into()
            command=for_order(stream_id, move |values: Values| forms::order::add_tag(values.get("tag"))) />
        {removes}
    }
}

/// The order as the page shows it: its row and its state, or none.
type Found = Memo<Option<(OrderRow, Order)>>;

/// The shop's time zone, which the page's times are in.
fn shop_zone() -> Memo<TimeZone> {
    let app = use_app();
    Memo::new(move |_| {
        app.views
            .with_settings(|shop| shop.settings().time_zone.clone())
    })
}

/// How many of a long list's latest entries (notes, history) the page shows until asked for
/// the earlier ones: a page that grows by a row per command stays as quick to redraw.
const LATEST: usize = 50;

/// The button that shows a list's `hidden` earlier entries, named after what they are.
fn show_earlier(hidden: Memo<usize>, what: &'static str, all: RwSignal<bool>) -> impl IntoView {
    move || {
        let hidden = hidden.get();
        (hidden > 0).then(|| {
            view! {
                <button type="button" class="link" on:click=move |_| all.set(true)>
                    {format!("Show {hidden} earlier {what}")}
                </button>
            }
        })
    }
}

/// Where the shown part of a list of `len` entries starts: its [`LATEST`], or all of it.
fn shown_from(len: usize, all: bool) -> usize {
    if all {
        0
    } else {
        len.saturating_sub(LATEST)
    }
}

/// The order's notes, oldest first, a row added per new note: the latest [`LATEST`], and
/// the earlier ones on request.
#[component]
fn NotesList(found: Found) -> impl IntoView {
    let zone = shop_zone();
    let all = RwSignal::new(false);
    let count = Memo::new(move |_| {
        found.with(|found| found.as_ref().map_or(0, |(_, order)| order.notes().len()))
    });
    let hidden = Memo::new(move |_| shown_from(count.get(), all.get()));
    let notes = Memo::new(move |_| {
        found.with(|found| {
            found.as_ref().map_or_else(Vec::new, |(_, order)| {
                let from = hidden.get();
                order.notes()[from..]
                    .iter()
                    .zip(from..)
                    .map(|(note, index)| (index, note.at.0, note.text.as_str().to_owned()))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section class="panel" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            {show_earlier(hidden, "notes", all)}
            <ul class="notes">
                <For each=move || notes.get() key=|(index, _, _)| *index let:note>
                    <li><time>{ let at = note.1; move || zone.with(|zone| locale::date_time(at, zone)) }</time>" — "{note.2}</li>
                </For>
            </ul>
        </section>
    }
}

/// The order's events, oldest first: what happened, when, and by which command; the latest
/// [`LATEST`], and the earlier ones on request. Each change of the order reads only the
/// events after those read.
#[component]
fn History(stream_id: String, found: Found) -> impl IntoView {
    let app = use_app();
    let zone = shop_zone();
    let rows = RwSignal::new(Vec::<HistoryRow>::new());
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let all = RwSignal::new(false);
    let hidden = Memo::new(move |_| shown_from(rows.with(Vec::len), all.get()));
    let after = move || rows.with_untracked(|read| read.last().map_or(0, |row| row.stream_version));
    Effect::new(move |_| {
        let currency = found.with(|found| {
            found
                .as_ref()
                .map_or(SHOP_CURRENCY, |(_, order)| currency_of(order))
        });
        // What this tab just wrote or read is at hand; the store is read only for the rest.
        if let Some(fresh) = app.views.fresh_history(&stream_id, after(), currency) {
            return rows.update(|read| read.extend(fresh));
        }
        let stream_id = stream_id.clone();
        spawn_local(async move {
            let after = after();
            match app.log.history(stream_id, after + 1, currency).await {
                Ok(more) => {
                    // Two reads may overlap: keep each stream version once.
                    rows.update(|read| {
                        let last = read.last().map_or(0, |row| row.stream_version);
                        read.extend(more.into_iter().filter(|row| row.stream_version > last));
                    });
                    failed.set(None);
                }
                Err(error) => failed.set(Some(error.to_string())),
            }
            loaded.set(true);
        });
    });
    let shown = move || rows.with(|read| read[hidden.get()..].to_vec());
    view! {
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            {move || failed.get().map(|error| view! { <p class="form-error" role="alert">{format!("The history could not be read: {error}.")}</p> })}
            {move || (!loaded.get()).then(|| view! { <p role="status">"Reading the history…"</p> })}
            {show_earlier(hidden, "events", all)}
            <ol class="history">
                <For each=shown key=|row| row.seq let:row>
                    <li>
                        <time>{ let at = row.recorded_at; move || zone.with(|zone| locale::date_time(at, zone)) }</time>
                        " — "<span>{row.text.clone()}</span>
                        <span class="muted">{format!(" (event {}, command {})", row.seq, row.command_id)}</span>
                    </li>
                </For>
            </ol>
        </section>
    }
}

/// A control's command builder for this order.
fn for_order<C: Into<Unstamped<OrderCommand>>>(
    stream_id: &str,
    build: impl Fn(Values) -> Result<C, FormError> + Send + Sync + 'static,
) -> Callback<Values, Result<Unstamped<ShopCommand>, FormError>> {
    let stream_id = stream_id.to_owned();
    Callback::new(move |values| {
        let stream_id = stream_id.clone();
        build(values).map(|command| {
            command
                .into()
                .map(|command| ShopCommand::Order { stream_id, command })
        })
    })
}
