//! The new-order form: a customer and one line, taxed at the shop's default rate unless
//! another is picked. Each field shows its own error beside it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::locale;
use crate::app::{use_app, NotSaved, StoreStatus};
use crate::forms::order::{rate_choices, RateChoice};
use crate::forms::OrderForm;

#[component]
pub fn NewOrderForm() -> impl IntoView {
    let app = use_app();
    let customer = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::from("1"));
    let unit_price = RwSignal::new(String::new());
    let discount = RwSignal::new(String::new());
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let rates = Memo::new(move |_| settings.with(rate_choices));
    // The option picked, by its label; the first (the product's rate) until one is picked.
    let picked = RwSignal::new(None::<String>);
    let refused = RwSignal::new(None::<NotSaved>);
    let saved = RwSignal::new(None::<String>);

    let create = Action::new_local(move |form: &OrderForm| app.commands.create_order(form.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(())) => {
            refused.set(None);
            saved.set(Some(format!(
                "Order for {} saved.",
                customer.get_untracked().trim()
            )));
            sku.set(String::new());
            quantity.set(String::from("1"));
            unit_price.set(String::new());
            discount.set(String::new());
        }
        Some(Err(why)) => {
            saved.set(None);
            refused.set(Some(why));
        }
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let choice = rates.with_untracked(|options| {
            let label = picked.get_untracked();
            options
                .iter()
                .find(|(option, _)| label.as_ref().is_none_or(|label| label == option))
                .map_or(RateChoice::Product, |(_, choice)| choice.clone())
        });
        let product = app.views.product_rate(&sku.get_untracked());
        let tax = settings.with_untracked(|shop| choice.resolve(product.as_ref(), shop));
        create.dispatch(OrderForm {
            customer: customer.get_untracked(),
            sku: sku.get_untracked(),
            quantity: quantity.get_untracked(),
            unit_price: locale::typed(&unit_price.get_untracked()),
            discount: locale::typed(&discount.get_untracked()),
            tax,
        });
    };
    let busy = move || create.pending().get() || app.log.status.get() != StoreStatus::Ready;
    // Each field's reason shows beside it; the order's or the storage's refusal below.
    let reason = move |field: &'static str| {
        Signal::derive(move || {
            refused.with(|why| match why {
                Some(NotSaved::Form(form)) => form.reason(field).map(|reason| reason.to_string()),
                _ => None,
            })
        })
    };
    let refusal = move || {
        refused.with(|why| match why {
            Some(NotSaved::Refused(reason)) => Some(reason.clone()),
            _ => None,
        })
    };

    view! {
        <form class="new-order panel" on:submit=on_submit aria-labelledby="new-order-heading" novalidate>
            <h2 id="new-order-heading">"New order"</h2>
            <Field label="Customer" id="customer" value=customer error=reason("Customer") shortcut="n" />
            <fieldset>
                <legend>"Line"</legend>
                <Field label="SKU" id="sku" value=sku error=reason("SKU") />
                <Field label="Quantity" id="quantity" value=quantity inputmode="numeric" error=reason("Quantity") />
                <Field label="Unit price" id="unit-price" value=unit_price inputmode="decimal" error=reason("Unit price") />
                <Field label="Discount" id="discount" value=discount inputmode="decimal" error=reason("Discount") />
                <div class="field">
                    <label for="tax-rate">"Tax rate"</label>
                    <select id="tax-rate" on:change=move |event| picked.set(Some(event_target_value(&event)))>
                        {move || rates.get().into_iter().map(|(label, _)| {
                            let (chosen, value) = (label.clone(), label.clone());
                            view! { <option value=value selected=move || picked.with(|p| p.as_ref() == Some(&chosen))>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <button type="submit" disabled=busy>"Create order"</button>
            <p class="form-error" role="alert">{refusal}</p>
            <p class="form-saved" role="status">{move || saved.get()}</p>
        </form>
    }
}

/// A labelled text input with its error message beside it, linked for screen readers.
#[component]
fn Field(
    label: &'static str,
    id: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = "text")] inputmode: &'static str,
    /// The keyboard shortcut that takes the focus here (`ui::shortcuts`).
    #[prop(optional)]
    shortcut: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="text"
                inputmode=inputmode
                aria-keyshortcuts=shortcut
                autocomplete="off"
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
