//! The new-order form, a quick sale: the customer picked from the customers as the name is
//! typed (or a name typed, kept as a new customer if asked); products picked from the
//! catalogue by SKU or name as they are typed, each tap a unit more; quantities stepped with −
//! and +, prices still editable; a line typed by hand for an item not in the catalogue; and
//! the running total. Each field shows its own error beside it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::locale;
use crate::app::{use_app, NotSaved, StoreStatus};
use crate::domain::{Money, OrderLine, ProductName, Quantity, ShopSettings};
use crate::forms::order::{rate_choices, RateChoice};
use crate::forms::OrderForm;
use crate::read::{matching, ProductRow};

/// How many catalogue matches the form offers at once.
const MATCHES: usize = 6;

/// A customer as the customer field offers them: the label typed or picked, the record's
/// id, its name and email.
#[derive(Clone, PartialEq)]
struct KnownCustomer {
    label: String,
    id: String,
    name: String,
    email: Option<String>,
}

/// What the form holds as it is filled.
#[derive(Clone, Copy)]
struct Sale {
    customer: RwSignal<String>,
    email: RwSignal<String>,
    keep_customer: RwSignal<bool>,
    lines: RwSignal<Vec<OrderLine>>,
    sku: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    discount: RwSignal<String>,
    /// The rate picked for the line typed, by its label; the first (the product's rate)
    /// until one is picked.
    picked: RwSignal<Option<String>>,
}

impl Sale {
    fn new() -> Sale {
        Sale {
            customer: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            keep_customer: RwSignal::new(false),
            lines: RwSignal::new(Vec::new()),
            sku: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::from("1")),
            unit_price: RwSignal::new(String::new()),
            discount: RwSignal::new(String::new()),
            picked: RwSignal::new(None),
        }
    }

    /// Ready for the next sale: the lines go, the customer stays for a next order of theirs.
    fn clear(self) {
        self.lines.set(Vec::new());
        self.sku.set(String::new());
        self.quantity.set(String::from("1"));
        self.unit_price.set(String::new());
        self.discount.set(String::new());
    }

    /// The customer picked, when the name typed is one of theirs.
    fn chosen(self, known: &[KnownCustomer]) -> Option<KnownCustomer> {
        self.customer
            .with(|typed| known.iter().find(|k| k.label == typed.trim()).cloned())
    }

    /// The form as it stands, for the customer `chosen` (if picked), the line being typed
    /// taxed at `tax`.
    fn form(self, chosen: Option<KnownCustomer>, tax: Option<crate::domain::TaxRate>) -> OrderForm {
        let (name, customer_id, known_email) = match chosen {
            Some(k) => (k.name, Some(k.id), k.email),
            None => (self.customer.get(), None, None),
        };
        let typed_email = self.email.get();
        OrderForm {
            customer: name,
            customer_id,
            email: if typed_email.trim().is_empty() {
                known_email.unwrap_or_default()
            } else {
                typed_email
            },
            lines: self.lines.get(),
            sku: self.sku.get(),
            quantity: self.quantity.get(),
            unit_price: locale::typed(&self.unit_price.get()),
            discount: locale::typed(&self.discount.get()),
            tax,
        }
    }
}

/// The shop's kept customers, as the customer field offers them.
fn known_customers() -> Memo<Vec<KnownCustomer>> {
    let app = use_app();
    Memo::new(move |_| {
        app.views.with_customers(|models| {
            models
                .customer_rows()
                .into_iter()
                .map(|row| KnownCustomer {
                    label: crate::forms::customer::label(&row.details),
                    id: row.id,
                    name: row.details.name.as_str().to_owned(),
                    email: row.details.email.map(|e| e.as_str().to_owned()),
                })
                .collect::<Vec<_>>()
        })
    })
}

#[component]
pub fn NewOrderForm() -> impl IntoView {
    let app = use_app();
    let sale = Sale::new();
    let settings = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let rates = Memo::new(move |_| settings.with(rate_choices));
    let refused = RwSignal::new(None::<NotSaved>);
    let saved = RwSignal::new(None::<String>);
    let known = known_customers();
    let chosen = move || known.with(|known| sale.chosen(known));
    let form = move || {
        let choice = rates.with(|options| {
            let label = sale.picked.get();
            options
                .iter()
                .find(|(option, _)| label.as_ref().is_none_or(|label| label == option))
                .map_or(RateChoice::Product, |(_, choice)| choice.clone())
        });
        let product = app.views.product_rate(&sale.sku.get());
        let tax = settings.with(|shop| choice.resolve(product.as_ref(), shop));
        sale.form(chosen(), tax)
    };
    let total = Memo::new(move |_| settings.with(|shop| form().running_total(shop)));
    // Whom the order being saved is for, for the line that says it was saved.
    let saving_for = RwSignal::new(String::new());
    let create = Action::new_local(move |(form, keep): &(OrderForm, bool)| {
        app.commands.create_order(form.clone(), *keep)
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(())) => {
            refused.set(None);
            saved.set(Some(format!(
                "Order for {} saved.",
                saving_for.get_untracked()
            )));
            sale.clear();
        }
        Some(Err(why)) => {
            saved.set(None);
            refused.set(Some(why));
        }
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let keep = sale.keep_customer.get_untracked() && chosen().is_none();
        let form = form();
        saving_for.set(form.customer.trim().to_owned());
        create.dispatch((form, keep));
    };
    let busy = move || create.pending().get() || app.log.status.get() != StoreStatus::Ready;
    let refusal = move || {
        refused.with(|why| match why {
            Some(NotSaved::Refused(reason)) => Some(reason.clone()),
            _ => None,
        })
    };
    let currency = Memo::new(move |_| settings.with(|s| s.currency));
    view! {
        <form class="new-order panel" on:submit=on_submit aria-labelledby="new-order-heading" novalidate>
            <h2 id="new-order-heading">"New order"</h2>
            <CustomerFields sale known refused />
            <PickedLines lines=sale.lines currency />
            <ProductFields sale settings rates refused />
            <p class="running-total">"Total: "<output for="sku quantity unit-price discount" aria-live="polite">{move || total.get().map_or_else(|| "—".to_owned(), |t| locale::money(t, currency.get()))}</output></p>
            <button type="submit" disabled=busy>"Create order"</button>
            <p class="form-error" role="alert">{refusal}</p>
            <p class="form-saved" role="status">{move || saved.get()}</p>
        </form>
    }
}

/// Why the form's field `field` was refused, to show beside it.
fn reason(refused: RwSignal<Option<NotSaved>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        refused.with(|why| match why {
            Some(NotSaved::Form(form)) => form.reason(field).map(|reason| reason.to_string()),
            _ => None,
        })
    })
}

/// The customer: typed, or picked from the customers matching what is typed; the order's
/// email; and whether a name typed is kept as a new customer.
#[component]
fn CustomerFields(
    sale: Sale,
    known: Memo<Vec<KnownCustomer>>,
    refused: RwSignal<Option<NotSaved>>,
) -> impl IntoView {
    let chosen = move || known.with(|known| sale.chosen(known));
    let matches = move || {
        let typed = sale.customer.with(|t| t.trim().to_lowercase());
        let found: Vec<KnownCustomer> = if typed.is_empty() || chosen().is_some() {
            Vec::new()
        } else {
            known.with(|known| {
                known
                    .iter()
                    .filter(|k| k.label.to_lowercase().contains(&typed))
                    .take(MATCHES)
                    .cloned()
                    .collect()
            })
        };
        (!found.is_empty()).then(|| view! {
            <ul class="matches" aria-label="Matching customers">
                {found.into_iter().map(|k| {
                    let label = k.label.clone();
                    view! { <li><button type="button" class="match" on:click=move |_| sale.customer.set(label.clone())>{format!("Pick {}", k.label)}</button></li> }
                }).collect_view()}
            </ul>
        })
    };
    view! {
        <Field label="Customer" id="customer" value=sale.customer error=reason(refused, "Customer") shortcut="n" hint="Type a name or an email to pick a customer." />
        {matches}
        <Field label="Email" id="order-email" value=sale.email error=reason(refused, "Email") />
        <div class="field checkbox">
            <input id="keep-customer" type="checkbox" prop:checked=move || sale.keep_customer.get() disabled=move || chosen().is_some()
                on:change=move |event| sale.keep_customer.set(event_target_checked(&event)) />
            <label for="keep-customer">"Add to customers"</label>
        </div>
    }
}

/// The line being typed: its SKU (which offers the catalogue's matches, Enter taking the
/// first), quantity, price, discount and rate.
#[component]
fn ProductFields(
    sale: Sale,
    settings: Memo<ShopSettings>,
    rates: Memo<Vec<(String, RateChoice)>>,
    refused: RwSignal<Option<NotSaved>>,
) -> impl IntoView {
    let app = use_app();
    let products = Memo::new(move |_| {
        app.views
            .with_products(crate::read::ReadModels::product_rows)
    });
    let found = Memo::new(move |_| {
        let text = sale.sku.get();
        products.with(|rows| {
            matching(rows, &text, MATCHES)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let pick = Callback::new(move |row: ProductRow| {
        let Some(line) = settings.with_untracked(|shop| unit_of(&row, shop)) else {
            return;
        };
        sale.lines.update(|lines| {
            let form = OrderForm {
                lines: std::mem::take(lines),
                ..OrderForm::default()
            };
            *lines = form.picking(line).lines;
        });
        sale.sku.set(String::new());
    });
    // Enter in the SKU field picks the first match, when there is one, instead of saving.
    let sku_keys = Callback::new(move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" {
            if let Some(first) = found.get_untracked().into_iter().next() {
                event.prevent_default();
                pick.run(first);
            }
        }
    });
    let currency = Memo::new(move |_| settings.with(|s| s.currency));
    view! {
        <fieldset>
            <legend>"Add a product"</legend>
            <Field label="SKU" id="sku" value=sale.sku error=reason(refused, "SKU") on_keydown=sku_keys hint="Type a SKU or a product's name to pick it from the catalogue." />
            <Matches found pick currency />
            <Field label="Quantity" id="quantity" value=sale.quantity inputmode="numeric" error=reason(refused, "Quantity") />
            <Field label="Unit price" id="unit-price" value=sale.unit_price inputmode="decimal" error=reason(refused, "Unit price") />
            <Field label="Discount" id="discount" value=sale.discount inputmode="decimal" error=reason(refused, "Discount") />
            <div class="field">
                <label for="tax-rate">"Tax rate"</label>
                <select id="tax-rate" on:change=move |event| sale.picked.set(Some(event_target_value(&event)))>
                    {move || rates.get().into_iter().map(|(label, _)| {
                        let (chosen, value) = (label.clone(), label.clone());
                        view! { <option value=value selected=move || sale.picked.with(|p| p.as_ref() == Some(&chosen))>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
        </fieldset>
    }
}

/// The catalogue's products matching what is typed in the SKU field, each a button that puts
/// a unit of it on the order.
#[component]
fn Matches(
    found: Memo<Vec<ProductRow>>,
    pick: Callback<ProductRow>,
    currency: Memo<crate::domain::Currency>,
) -> impl IntoView {
    move || {
        let found = found.get();
        (!found.is_empty()).then(|| view! {
            <ul class="matches" aria-label="Matching products">
                {found.into_iter().map(|row| {
                    let label = format!("Add {} ({})", row.name, row.sku.as_str());
                    let price = row.price.map(|p| locale::amount(p, currency.get_untracked())).unwrap_or_default();
                    view! { <li><button type="button" class="match" on:click=move |_| pick.run(row.clone())>{label}<span class="muted">{format!(" {price}")}</span></button></li> }
                }).collect_view()}
            </ul>
        })
    }
}

/// A unit of the catalogue's product `row` as a line, at its price and rate; `None` for a
/// product not registered.
fn unit_of(row: &ProductRow, shop: &ShopSettings) -> Option<OrderLine> {
    let name = ProductName::parse(&row.name)
        .or_else(|_| ProductName::parse(row.sku.as_str()))
        .ok()?;
    Some(OrderLine {
        line_id: crate::domain::LineId(0),
        sku: row.sku.clone(),
        product_name: name,
        quantity: Quantity::new(1).ok()?,
        unit_price: row.price?,
        discount: Money::ZERO,
        discount_percent: None,
        tax: RateChoice::Product.resolve(row.tax_rate.as_ref(), shop),
    })
}

/// The lines picked so far: each with its − and + (a line stepped below one unit leaves),
/// its price (still editable) and a Remove button.
#[component]
fn PickedLines(
    lines: RwSignal<Vec<OrderLine>>,
    currency: Memo<crate::domain::Currency>,
) -> impl IntoView {
    let step = move |index: usize, by: i64| {
        lines.update(|lines| {
            let Some(line) = lines.get_mut(index) else {
                return;
            };
            let next = i64::from(line.quantity.get()) + by;
            match u32::try_from(next).ok().and_then(|n| Quantity::new(n).ok()) {
                Some(quantity) => line.quantity = quantity,
                None if next < 1 => {
                    lines.remove(index);
                }
                None => {}
            }
        });
    };
    let price_error = RwSignal::new(None::<(usize, String)>);
    move || {
        let shown = lines.get();
        (!shown.is_empty()).then(|| view! {
            <ul class="picked" aria-label="Lines on this order">
                {shown.into_iter().enumerate().map(|(index, line)| {
                    let name = line.product_name.as_str().to_owned();
                    let price_id = format!("picked-price-{index}");
                    let typed_price = line.unit_price.to_plain_in(currency.get_untracked().minor_units());
                    view! {
                        <li class="picked-line">
                            <span class="picked-name">{format!("{name} ({})", line.sku.as_str())}</span>
                            <div class="stepper">
                                <button type="button" aria-label=format!("One fewer {name}") on:click=move |_| step(index, -1)>"−"</button>
                                <span class="picked-quantity" aria-label=format!("Quantity of {name}")>{line.quantity.get()}</span>
                                <button type="button" aria-label=format!("One more {name}") on:click=move |_| step(index, 1)>"+"</button>
                            </div>
                            <div class="field">
                                <label for=price_id.clone()>{format!("Price of {name}")}</label>
                                <input id=price_id type="text" inputmode="decimal" autocomplete="off" prop:value=typed_price
                                    on:change=move |event| {
                                        let text = locale::typed(&event_target_value(&event));
                                        match crate::forms::amount(&text, currency.get_untracked()) {
                                            Ok(price) => {
                                                price_error.set(None);
                                                lines.update(|lines| if let Some(line) = lines.get_mut(index) { line.unit_price = price; });
                                            }
                                            Err(reason) => price_error.set(Some((index, reason.to_string()))),
                                        }
                                    } />
                                <p class="field-error">{move || price_error.with(|e| e.as_ref().filter(|(i, _)| *i == index).map(|(_, why)| why.clone()))}</p>
                            </div>
                            <button type="button" on:click=move |_| lines.update(|lines| { lines.remove(index); })>{format!("Remove {name}")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
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
    /// A line of help under the field.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// What a key pressed in the field does, before the form sees it.
    #[prop(optional)]
    on_keydown: Option<Callback<leptos::ev::KeyboardEvent>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
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
                on:keydown=move |event| if let Some(keys) = on_keydown { keys.run(event) }
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
