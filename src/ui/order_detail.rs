//! One order: its lines, totals, payments and fulfilment, notes, every command's control
//! with its error beside it, and its history (the audit trail of its events).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::control::{choice, input, Control, ControlStates, Values};
use super::format::utc;
use crate::app::use_app;
use crate::domain::{Order, OrderCommand, ShopCommand, Stage, SHOP_CURRENCY};
use crate::forms::order::{LineForm, PAYMENT_METHODS};
use crate::forms::{self, FormError, Unstamped};
use crate::read::history::HistoryRow;
use crate::read::OrderRow;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let order_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // The order re-renders whenever it changes (here or in another tab); its controls keep
    // what is typed in them, until the page shows another order.
    let controls = ControlStates::provide();
    Effect::new(move |_| {
        order_id.track();
        controls.clear();
    });
    let found = Memo::new(move |_| {
        let id = order_id.get();
        app.views.with_order(&id, |models| {
            models
                .order(&id)
                .map(|(row, order)| (row.clone(), order.clone()))
        })
    });
    let exists = Memo::new(move |_| found.with(Option::is_some));
    view! {
        <main class="order-detail">
            {move || match found.get() {
                None => view! {
                    <section class="panel">
                        <h2>"Order not found"</h2>
                        <p>"There is no such order in this browser's log."</p>
                        <A href="/">"Back to the orders"</A>
                    </section>
                }
                .into_any(),
                Some((row, order)) => view! { <OrderView order_id=order_id.get() row=row order=order /> }.into_any(),
            }}
            // Notes and history only grow: kept out of the view above, which is rebuilt on
            // every change, they add a row per new entry instead of redrawing them all.
            {move || {
                let id = order_id.get();
                exists.get().then(|| view! { <NotesList found=found /> <History order_id=id found=found /> })
            }}
        </main>
    }
}

#[component]
fn OrderView(order_id: String, row: OrderRow, order: Order) -> impl IntoView {
    let header = order.header().cloned();
    let currency = header.as_ref().map(|h| h.currency);
    let title = format!("Order #{}", row.number);
    let stage = order.stage().clone();
    let is_draft = matches!(stage, Stage::Draft);
    let is_placed = matches!(stage, Stage::Placed { .. });
    let stage_text = match &stage {
        Stage::Draft => "Draft (not placed)".to_owned(),
        Stage::Placed { placed_at } => format!("Placed {}", utc(placed_at.0)),
        Stage::Cancelled {
            cancelled_at,
            reason,
            ..
        } => format!("Cancelled {}: {}", utc(cancelled_at.0), reason.as_str()),
    };
    let money = |amount: Option<crate::domain::Money>| amount.unwrap_or_default().to_string();

    let lines = order
        .lines()
        .iter()
        .map(|state| {
            let line = state.line.clone();
            let n = line.line_id;
            let per_line = if is_draft {
                view! {
                    <Control title=format!("Change line {n}") inline=true
                        inputs=vec![input("quantity", format!("New quantity for line {n}"), &line.quantity.to_string())]
                        button=format!("Change quantity of line {n}")
                        command=for_order(&order_id, move |values: Values| forms::order::change_quantity(n, values.get("quantity"))) />
                    <Control title=format!("Remove line {n}") inline=true inputs=vec![]
                        button=format!("Remove line {n}")
                        command=for_order(&order_id, move |_| Ok(OrderCommand::RemoveLine { line_id: n })) />
                }
                .into_any()
            } else if is_placed && state.remaining() > 0 {
                view! {
                    <Control title=format!("Fulfil line {n}") inline=true
                        inputs=vec![input("units", format!("Units of line {n} to fulfil"), &state.remaining().to_string())]
                        button=format!("Fulfil line {n}")
                        command=for_order(&order_id, move |values: Values| forms::order::fulfil_line(n, values.get("units"))) />
                }
                .into_any()
            } else {
                ().into_any()
            };
            view! {
                <tr>
                    <th scope="row">{n.to_string()}</th>
                    <td>{line.sku.as_str().to_owned()}</td>
                    <td>{line.product_name.as_str().to_owned()}</td>
                    <td class="num">{line.quantity.to_string()}</td>
                    <td class="num">{line.unit_price.to_string()}</td>
                    <td class="num">{line.discount.to_string()}</td>
                    <td class="num">{money(line.total())}</td>
                    <td class="num">{state.fulfilled}</td>
                    <td>{per_line}</td>
                </tr>
            }
        })
        .collect_view();

    let next_line = forms::order::next_line_id(&order);
    let draft_controls = is_draft.then(|| {
        view! {
            <Control title="Add a line".into()
                inputs=vec![input("sku", "SKU", ""), input("product_name", "Product name", ""), input("quantity", "Quantity", "1"),
                    input("unit_price", "Unit price", ""), input("discount", "Discount", "")]
                button="Add line".into()
                command=for_order(&order_id, move |values: Values| {
                    let value = |name: &str| values.get(name).to_owned();
                    LineForm {
                        sku: value("sku"),
                        product_name: value("product_name"),
                        quantity: value("quantity"),
                        unit_price: value("unit_price"),
                        discount: value("discount"),
                    }
                    .to_command(next_line)
                }) />
            <Control title="Charges".into()
                inputs=vec![input("tax", "Tax", &order.tax().to_string()), input("shipping", "Shipping", &order.shipping().to_string())]
                button="Set charges".into()
                command=for_order(&order_id, move |values: Values| forms::order::charges(values.get("tax"), values.get("shipping"))) />
            <Control title="Place the order".into() inputs=vec![] button="Place order".into()
                command=for_order(&order_id, move |_| Ok(forms::order::place())) />
        }
    });
    let placed_controls = (is_placed && currency.is_some()).then(|| {
        let currency = currency.unwrap_or(SHOP_CURRENCY);
        let methods = PAYMENT_METHODS.iter().map(|(_, label)| *label).collect();
        view! {
            <Control title="Payment".into()
                inputs=vec![input("amount", "Payment amount", &money(order.balance_due()))]
                choice=choice("method", "Payment method", methods)
                button="Record payment".into()
                command=for_order(&order_id, move |values: Values| forms::order::payment(values.get("amount"), values.get("method"), currency)) />
            <Control title="Fulfilment".into() inputs=vec![] button="Fulfil all remaining".into()
                command=for_order(&order_id, move |_| Ok(forms::order::fulfil_all())) />
            <Control title="Cancellation".into() inputs=vec![input("reason", "Cancellation reason", "")] button="Cancel order".into()
                command=for_order(&order_id, move |values: Values| forms::order::cancel(values.get("reason"))) />
        }
    });
    let refundable = order.refundable().unwrap_or_default();
    let refund_control = (refundable.cents() > 0).then(|| {
        let currency = currency.unwrap_or(SHOP_CURRENCY);
        view! {
            <Control title="Refund".into()
                inputs=vec![input("amount", "Refund amount", &refundable.to_string())]
                button="Record refund".into()
                command=for_order(&order_id, move |values: Values| forms::order::refund(values.get("amount"), currency)) />
        }
    });
    view! {
        <section class="panel" aria-labelledby="order-heading">
            <h2 id="order-heading">{title}</h2>
            <dl class="facts">
                <dt>"Customer"</dt><dd>{row.customer.clone()}</dd>
                <dt>"Email"</dt><dd>{header.as_ref().and_then(|h| h.email.as_ref()).map_or("—".to_owned(), |e| e.as_str().to_owned())}</dd>
                <dt>"Created (UTC)"</dt><dd>{utc(row.created_at.0)}</dd>
                <dt>"Stage"</dt><dd>{stage_text}</dd>
                <dt>"Financial status"</dt><dd>{row.financial_status.to_string()}</dd>
                <dt>"Fulfilment status"</dt><dd>{row.fulfilment_status.to_string()}</dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="lines-heading">
            <h2 id="lines-heading">"Lines"</h2>
            <table aria-labelledby="lines-heading">
                <thead><tr>
                    <th scope="col">"Line"</th><th scope="col">"SKU"</th><th scope="col">"Product"</th>
                    <th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th>
                    <th scope="col" class="num">"Discount"</th><th scope="col" class="num">"Line total"</th>
                    <th scope="col" class="num">"Fulfilled"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
        </section>
        <section class="panel" aria-labelledby="totals-heading">
            <h2 id="totals-heading">"Totals"</h2>
            <table class="totals" aria-labelledby="totals-heading">
                <tbody>
                    <tr><th scope="row">"Subtotal"</th><td class="num">{money(order.subtotal())}</td></tr>
                    <tr><th scope="row">"Tax"</th><td class="num">{order.tax().to_string()}</td></tr>
                    <tr><th scope="row">"Shipping"</th><td class="num">{order.shipping().to_string()}</td></tr>
                    <tr><th scope="row">"Total"</th><td class="num">{money(order.total())}</td></tr>
                    <tr><th scope="row">"Paid"</th><td class="num">{order.paid().to_string()}</td></tr>
                    <tr><th scope="row">"Refunded"</th><td class="num">{order.refunded().to_string()}</td></tr>
                    <tr><th scope="row">"Balance due"</th><td class="num">{money(order.balance_due())}</td></tr>
                    <tr><th scope="row">"Refund owed"</th><td class="num">{order.refund_owed().to_string()}</td></tr>
                </tbody>
            </table>
        </section>
        <section class="panel controls" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            {draft_controls}
            {placed_controls}
            {refund_control}
            <Control title="Notes".into() inputs=vec![input("note", "Note", "")] button="Add note".into()
                command=for_order(&order_id, move |values: Values| forms::order::note(values.get("note"))) />
        </section>
    }
}

/// The order as the page shows it: its row and its state, or none.
type Found = Memo<Option<(OrderRow, Order)>>;

/// The order's notes, oldest first, a row added per new note.
#[component]
fn NotesList(found: Found) -> impl IntoView {
    let notes = Memo::new(move |_| {
        found.with(|found| {
            found.as_ref().map_or_else(Vec::new, |(_, order)| {
                order
                    .notes()
                    .iter()
                    .enumerate()
                    .map(|(index, note)| (index, note.at.0, note.text.as_str().to_owned()))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section class="panel" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            <ul class="notes">
                <For each=move || notes.get() key=|(index, _, _)| *index let:note>
                    <li><time>{utc(note.1)}</time>" — "{note.2}</li>
                </For>
            </ul>
        </section>
    }
}

/// The order's events, oldest first: what happened, when, and by which command. Each change
/// of the order reads only the events after those shown.
#[component]
fn History(order_id: String, found: Found) -> impl IntoView {
    let app = use_app();
    let rows = RwSignal::new(Vec::<HistoryRow>::new());
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let after =
        move || rows.with_untracked(|shown| shown.last().map_or(0, |row| row.stream_version));
    Effect::new(move |_| {
        found.track();
        // What this tab just wrote or read is at hand; the store is read only for the rest.
        if let Some(fresh) = app.views.fresh_history(&order_id, after()) {
            return rows.update(|shown| shown.extend(fresh));
        }
        let order_id = order_id.clone();
        spawn_local(async move {
            let after = after();
            match app.log.history(order_id, after + 1).await {
                Ok(read) => {
                    // Two reads may overlap: keep each stream version once.
                    rows.update(|shown| {
                        let last = shown.last().map_or(0, |row| row.stream_version);
                        shown.extend(read.into_iter().filter(|row| row.stream_version > last));
                    });
                    failed.set(None);
                }
                Err(error) => failed.set(Some(error.to_string())),
            }
            loaded.set(true);
        });
    });
    view! {
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            {move || failed.get().map(|error| view! { <p class="form-error" role="alert">{format!("The history could not be read: {error}.")}</p> })}
            {move || (!loaded.get()).then(|| view! { <p role="status">"Reading the history…"</p> })}
            <ol class="history">
                <For each=move || rows.get() key=|row| row.seq let:row>
                    <li>
                        <time>{utc(row.recorded_at)}</time>
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
    order_id: &str,
    build: impl Fn(Values) -> Result<C, FormError> + Send + Sync + 'static,
) -> Callback<Values, Result<Unstamped<ShopCommand>, FormError>> {
    let order_id = order_id.to_owned();
    Callback::new(move |values| {
        let order_id = order_id.clone();
        build(values).map(|command| {
            command
                .into()
                .map(|command| ShopCommand::Order { order_id, command })
        })
    })
}
