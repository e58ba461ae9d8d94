//! The products view: stock on hand, reserved, back-ordered and available per product,
//! reorder alerts, the rate each sells at, and the product commands (register, receive,
//! adjust, reorder level, tax rate).

use leptos::prelude::*;

use super::shell::Writes;

use super::control::{choice, input, Control, ControlStates, Values};
use super::locale;
use crate::app::use_app;
use crate::domain::{ProductCommand, ShopCommand, Sku, TaxRate};
use crate::forms::{self, FormError, Unstamped};
use crate::read::ReadModels;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let app = use_app();
    let rows = Memo::new(move |_| app.views.with_products(ReadModels::product_rows));
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let currency = Memo::new(move |_| settings.with(|s| s.currency));
    let rates = Memo::new(move |_| settings.with(|s| s.tax_rates.clone()));
    // A product's row re-renders when its stock changes; its controls keep what is typed.
    ControlStates::provide();
    view! {
        <main class="products">
            <section class="panel wide" aria-labelledby="products-heading">
                <h2 id="products-heading">"Products"</h2>
                <Show when=move || !rows.with(Vec::is_empty) fallback=|| view! { <p>"No products yet."</p> }>
                    <table class="cards" aria-labelledby="products-heading">
                        <thead><tr>
                            <th scope="col">"SKU"</th><th scope="col">"Name"</th><th scope="col" class="num">"Price"</th>
                            <th scope="col" class="num">"On hand"</th><th scope="col" class="num">"Reserved"</th>
                            <th scope="col" class="num">"Back-ordered"</th><th scope="col" class="num">"Available"</th>
                            <th scope="col" class="num">"Reorder level"</th><th scope="col">"Tax rate"</th><th scope="col">"Alert"</th><th scope="col">"Stock"</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || rows.get() key=|row| (row.sku.clone(), row.name.clone(), row.price, row.on_hand, row.reserved, row.back_ordered, row.reorder_level, row.tax_rate.clone()) let:row>
                                <tr>
                                    <th scope="row" data-label="SKU">{row.sku.as_str().to_owned()}</th>
                                    <td class="whole">{row.name.clone()}</td>
                                    <td class="num" data-label="Price">{move || row.price.map_or_else(|| "—".to_owned(), |p| locale::amount(p, currency.get()))}</td>
                                    <td class="num" data-label="On hand">{row.on_hand}</td>
                                    <td class="num" data-label="Reserved">{row.reserved}</td>
                                    <td class="num" data-label="Back-ordered">{row.back_ordered}</td>
                                    <td class="num" data-label="Available">{row.available}</td>
                                    <td class="num" data-label="Reorder level">{row.reorder_level}</td>
                                    <td data-label="Tax rate">{row.tax_rate.as_ref().map_or_else(|| "Shop's default".to_owned(), |name| name.as_str().to_owned())}</td>
                                    <td class="alert">{if row.below_reorder_level { "Reorder" } else { "" }}</td>
                                    <td class="whole"><Writes><StockControls sku=row.sku.clone() rates=rates /></Writes></td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </Show>
            </section>
            <section class="panel" aria-labelledby="register-heading">
                <h2 id="register-heading">"New product"</h2>
                <Writes><Control title="Register a product".into()
                    inputs=vec![input("sku", "Product SKU", ""), input("name", "Name", ""), input("price", "Price", "").decimal()]
                    button="Register product".into()
                    command=Callback::new(move |values: Values| {
                        forms::product::register(values.get("sku"), values.get("name"), values.get("price"), currency.get_untracked())
                            .map(|(sku, command)| Unstamped::from(ShopCommand::Product { sku, command }))
                    }) /></Writes>
            </section>
        </main>
    }
}

/// Receive, adjust, reorder-level and tax-rate controls for one product.
#[component]
fn StockControls(sku: Sku, rates: Memo<Vec<TaxRate>>) -> impl IntoView {
    let name = sku.as_str().to_owned();
    let on = |sku: &Sku| {
        let sku = sku.clone();
        move |built: Result<ProductCommand, FormError>| {
            built.map(|command| {
                Unstamped::from(ShopCommand::Product {
                    sku: sku.clone(),
                    command,
                })
            })
        }
    };
    let (receive, adjust, level, rate) = (on(&sku), on(&sku), on(&sku), on(&sku));
    // The rates by label, after the shop's default (no rate of its own).
    let rate_labels = rates.with_untracked(|rates| {
        std::iter::once(("Shop's default".to_owned(), String::new()))
            .chain(
                rates
                    .iter()
                    .map(|rate| (rate.to_string(), rate.name.as_str().to_owned())),
            )
            .collect::<Vec<_>>()
    });
    let labels = rate_labels.iter().map(|(label, _)| label.clone()).collect();
    view! {
        <details class="stock-controls">
        <summary>{format!("Manage {name}")}</summary>
        <Control title=format!("Receive {name}") inline=true
            inputs=vec![input("units", format!("Units of {name} received"), "")]
            button=format!("Receive {name}")
            command=Callback::new(move |values: Values| receive(forms::product::receive(values.get("units")))) />
        <Control title=format!("Adjust {name}") inline=true
            inputs=vec![input("change", format!("Change to {name} on hand"), ""), input("reason", format!("Reason for adjusting {name}"), "")]
            button=format!("Adjust {name}")
            command=Callback::new(move |values: Values| adjust(forms::product::adjust(values.get("change"), values.get("reason")))) />
        <Control title=format!("Reorder level of {name}") inline=true
            inputs=vec![input("level", format!("Reorder level of {name}"), "")]
            button=format!("Set reorder level of {name}")
            command=Callback::new(move |values: Values| level(forms::product::reorder_level(values.get("level")))) />
        <Control title=format!("Tax rate of {name}") inline=true inputs=vec![]
            choice=choice("rate", format!("Tax rate of {name}"), labels)
            button=format!("Set tax rate of {name}")
            command=Callback::new(move |values: Values| {
                let chosen = values.get("rate");
                let named = rate_labels.iter().find(|(label, _)| label == chosen).map_or("", |(_, name)| name.as_str());
                rate(forms::product::tax_rate(named))
            }) />
        </details>
    }
}
