//! The return form of an order's page: for each line with units fulfilled and not returned,
//! how many come back (stepped with − and +) and whether they go back to stock; the refund it
//! proposes from them (what was paid for those units, held to what is refundable), which the
//! seller can lower, and how it is given back. One command: the units and the refund.

use leptos::prelude::*;
use leptos::task::spawn_local;

use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::format::order_href;
use super::locale;
use crate::app::{new_id, use_app};
use crate::domain::order::OrderHeader;
use crate::domain::{order_stream, OrderCommand};
use crate::domain::{Currency, LineId, Money, Order, PaymentMethod, ShopCommand, SHOP_CURRENCY};
use crate::forms::order::{
    method_label, return_lines, returned_lines, ReturnChoice, PAYMENT_METHODS,
};
use crate::forms::{self, Unstamped};

/// A line that can come back: its id, its product's name and how many units.
#[derive(Clone, PartialEq)]
struct Returnable {
    line_id: LineId,
    name: String,
    units: u32,
}

/// What the form needs of the order: the lines that can come back, what is refundable, the
/// order's currency, and how it was last paid (the refund's method at first).
#[derive(Clone, PartialEq)]
struct ReturnFacts {
    lines: Vec<Returnable>,
    refundable: Money,
    currency: Currency,
    paid_by: Option<PaymentMethod>,
}

impl ReturnFacts {
    fn of(order: &Order) -> Option<ReturnFacts> {
        if order.is_draft() {
            return None;
        }
        let lines: Vec<Returnable> = order
            .lines()
            .iter()
            .filter(|state| state.returnable() > 0)
            .map(|state| Returnable {
                line_id: state.line.line_id,
                name: state.line.product_name.as_str().to_owned(),
                units: state.returnable(),
            })
            .collect();
        (!lines.is_empty()).then(|| ReturnFacts {
            lines,
            refundable: order.refundable().unwrap_or_default(),
            currency: order.header().map_or(SHOP_CURRENCY, |h| h.currency),
            paid_by: order
                .payments()
                .iter()
                .rev()
                .find(|payment| !payment.refund && !payment.is_void())
                .and_then(|payment| payment.method),
        })
    }
}

/// The return form, shown while some unit can come back.
#[component]
pub fn ReturnForm(stream_id: String, order: Memo<Option<Order>>) -> impl IntoView {
    let facts = Memo::new(move |_| order.with(|order| order.as_ref().and_then(ReturnFacts::of)));
    move || {
        facts.get().map(|facts| {
            view! { <ReturnFields stream_id=stream_id.clone() order facts /> }
        })
    }
}

#[component]
fn ReturnFields(
    stream_id: String,
    order: Memo<Option<Order>>,
    facts: ReturnFacts,
) -> impl IntoView {
    let app = use_app();
    let ReturnFacts {
        lines,
        refundable,
        currency,
        paid_by,
    } = facts;
    let chosen: Vec<(RwSignal<u32>, RwSignal<bool>)> = lines
        .iter()
        .map(|_| (RwSignal::new(0), RwSignal::new(true)))
        .collect();
    let refund = RwSignal::new(String::new());
    let method = RwSignal::new(paid_by.map_or("Cash", method_label).to_owned());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let choices = {
        let chosen = chosen.clone();
        let lines = lines.clone();
        move || -> Vec<ReturnChoice> {
            lines
                .iter()
                .zip(&chosen)
                .map(|(line, (units, restock))| ReturnChoice {
                    line_id: line.line_id,
                    units: units.get(),
                    restock: restock.get(),
                })
                .collect()
        }
    };
    // The refund proposed follows the units chosen; the seller may lower it afterwards.
    let proposing = choices.clone();
    Effect::new(move |_| {
        let returning = returned_lines(&proposing());
        let value = order.with_untracked(|order| {
            order
                .as_ref()
                .and_then(|order| order.value_of_return(&returning))
                .unwrap_or_default()
        });
        let proposed = value.min(refundable);
        refund.set(if proposed > Money::ZERO {
            proposed.to_plain_in(currency.minor_units())
        } else {
            String::new()
        });
    });
    let exchange = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = locale::typed(&refund.get_untracked());
        match return_lines(&choices(), &typed, &method.get_untracked(), currency) {
            Err(refused) => error.set(Some(refused.to_string())),
            Ok(command) => {
                error.set(None);
                busy.set(true);
                let original = stream_id.clone();
                let command = command.map(move |command| ShopCommand::Order {
                    stream_id: original,
                    command,
                });
                // An exchange: the return, then a draft for the same customer, opened.
                let draft = exchange
                    .get_untracked()
                    .then(|| {
                        order.with_untracked(|o| {
                            o.as_ref()?.header().map(|h| exchange_draft(&stream_id, h))
                        })
                    })
                    .flatten();
                let navigate = navigate.clone();
                spawn_local(async move {
                    let mut outcome = app.commands.run(command).await;
                    if let (Ok(()), Some((draft_stream, draft))) = (&outcome, draft) {
                        outcome = app.commands.run(draft).await;
                        if outcome.is_ok() {
                            navigate(&order_href(&draft_stream), NavigateOptions::default());
                        }
                    }
                    busy.set(false);
                    error.set(outcome.err());
                });
            }
        }
    };
    let rows = lines
        .into_iter()
        .zip(chosen)
        .map(|(line, (units, restock))| line_fields(&line, units, restock))
        .collect_view();
    let methods = PAYMENT_METHODS
        .iter()
        .map(|(_, label)| {
            let label = *label;
            view! { <option value=label selected=move || method.get() == label>{label}</option> }
        })
        .collect_view();
    view! {
        <section class="panel controls" aria-labelledby="return-heading">
            <h2 id="return-heading">"Return"</h2>
            <form class="control" on:submit=submit>
                <fieldset>
                    <legend>"Units coming back"</legend>
                    {rows}
                    <div class="field">
                        <label for="return-refund">"Refund for the return"</label>
                        <input id="return-refund" type="text" inputmode="decimal" autocomplete="off" bind:value=refund
                            aria-describedby="return-refund-hint return-error" aria-invalid=move || error.with(Option::is_some).to_string() />
                        <p class="hint" id="return-refund-hint">
                            {format!("What was paid for the units chosen, at most the {} refundable; lower it if less goes back.", locale::amount(refundable, currency))}
                        </p>
                    </div>
                    <div class="field">
                        <label for="return-method">"Refund method"</label>
                        <select id="return-method" on:change=move |event| method.set(event_target_value(&event))>{methods}</select>
                    </div>
                    <div class="field checkbox">
                        <input id="return-exchange" type="checkbox" prop:checked=move || exchange.get()
                            on:change=move |event| exchange.set(event_target_checked(&event)) />
                        <label for="return-exchange">"Exchange: then start a new order for the same customer"</label>
                    </div>
                    <button type="submit" disabled=move || busy.get()>"Record return"</button>
                    <p class="field-error" id="return-error" role="alert">{move || error.get()}</p>
                </fieldset>
            </form>
        </section>
    }
}

/// The draft order exchanging what comes back from the order in stream `original`: its new
/// stream and the command that opens it.
fn exchange_draft(original: &str, header: &OrderHeader) -> (String, Unstamped<ShopCommand>) {
    let stream_id = order_stream(&new_id());
    let opened = stream_id.clone();
    let command = forms::order::exchange(original, header).map(move |create| ShopCommand::Order {
        stream_id: opened,
        command: OrderCommand::Create(create),
    });
    (stream_id, command)
}

/// A line's stepper of units coming back (0 to what can come back) and its restock box.
fn line_fields(line: &Returnable, units: RwSignal<u32>, restock: RwSignal<bool>) -> impl IntoView {
    let most = line.units;
    let id = format!("return-line-{}", line.line_id);
    let name = line.name.clone();
    view! {
        <div class="return-line">
            <label for=id.clone()>{format!("Units of {name} coming back (line {}, up to {most})", line.line_id)}</label>
            <div class="stepper">
                <button type="button" aria-label=format!("One fewer {name}") disabled=move || units.get() == 0
                    on:click=move |_| units.update(|n| *n = n.saturating_sub(1))>"−"</button>
                <input id=id.clone() type="number" inputmode="numeric" min="0" max=most.to_string()
                    prop:value=move || units.get().to_string()
                    on:input=move |event| units.set(event_target_value(&event).trim().parse::<u32>().unwrap_or(0).min(most)) />
                <button type="button" aria-label=format!("One more {name}") disabled=move || { units.get() >= most }
                    on:click=move |_| units.update(|n| *n = (*n + 1).min(most))>"+"</button>
            </div>
            <div class="field checkbox">
                <input id=format!("{id}-restock") type="checkbox" prop:checked=move || restock.get()
                    on:change=move |event| restock.set(event_target_checked(&event)) />
                <label for=format!("{id}-restock")>{format!("Back to stock: {name}")}</label>
            </div>
        </div>
    }
}
