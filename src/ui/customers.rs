//! The customers: their list (searched by name, email, phone or tag) with a form for a new
//! one, and each customer's page: details, orders, what they spent and owe, the form that
//! changes them, and merging a duplicate into the record kept.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::control::{choice, input, Control, ControlStates, Input, Values};
use super::format::{customer_href, order_href};
use super::locale;
use super::shell::Writes;
use crate::app::{new_id, use_app};
use crate::domain::customer::{CustomerCommand, CustomerDetails};
use crate::domain::settings::Address;
use crate::domain::{Currency, Email, Phone, Remark, ShopCommand, Tag, TimeZone};
use crate::forms::customer::{label, merge_into, CustomerForm};
use crate::forms::{FormError, Unstamped};
use crate::read::customers::{CustomerPage as Found, CustomerRow};
use crate::read::OrderRow;

/// How many customers the list draws, and how many orders a customer's page lists: the
/// rest are counted.
const SHOWN: usize = 100;

/// The form's fields, each starting with `form`'s text.
fn details_inputs(form: &CustomerForm) -> Vec<Input> {
    vec![
        input("name", "Name", &form.name),
        input("email", "Email", &form.email),
        input("phone", "Phone", &form.phone),
        input("address", "Address", &form.address),
        input("notes", "Notes", &form.notes),
        input("tags", "Tags", &form.tags),
    ]
}

fn details_of(values: &Values) -> Result<CustomerDetails, FormError> {
    CustomerForm {
        name: values.get("name").to_owned(),
        email: values.get("email").to_owned(),
        phone: values.get("phone").to_owned(),
        address: values.get("address").to_owned(),
        notes: values.get("notes").to_owned(),
        tags: values.get("tags").to_owned(),
    }
    .to_details()
}

fn tags_text(details: &CustomerDetails) -> String {
    details
        .tags
        .iter()
        .map(Tag::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a customer's row matches the search `text` (lowercased): by name, email, phone or
/// tag.
fn matches(row: &CustomerRow, text: &str) -> bool {
    let details = &row.details;
    text.is_empty()
        || details.name.as_str().to_lowercase().contains(text)
        || details
            .email
            .as_ref()
            .is_some_and(|e| e.as_str().to_lowercase().contains(text))
        || details
            .phone
            .as_ref()
            .is_some_and(|p| p.as_str().contains(text))
        || details
            .tags
            .iter()
            .any(|t| t.as_str().to_lowercase() == text)
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let app = use_app();
    let rows = Memo::new(move |_| {
        app.views
            .with_customers(crate::read::ReadModels::customer_rows)
    });
    let currency = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().currency));
    let search = RwSignal::new(String::new());
    // At most SHOWN rows are drawn, however many customers an import made: the rest are
    // counted, and found by searching.
    let found = Memo::new(move |_| {
        let text = search.with(|s| s.trim().to_lowercase());
        rows.with(|rows| {
            let matching: Vec<&CustomerRow> =
                rows.iter().filter(|row| matches(row, &text)).collect();
            let count = matching.len();
            let shown: Vec<CustomerRow> = matching.into_iter().take(SHOWN).cloned().collect();
            (shown, count)
        })
    });
    let shown = Memo::new(move |_| found.with(|(shown, _)| shown.clone()));
    let summary = move || {
        found.with(|(shown, count)| match *count {
            n if n > shown.len() => Some(format!(
                "The first {} of {} customers, by name: search to find the others.",
                shown.len(),
                locale::count(n as u64)
            )),
            _ => None,
        })
    };
    ControlStates::provide();
    view! {
        <main class="customers">
            <section class="panel wide" aria-labelledby="customers-heading">
                <h2 id="customers-heading">"Customers"</h2>
                <div class="field">
                    <label for="customers-search">"Search customers"</label>
                    <input id="customers-search" type="search" autocomplete="off" bind:value=search />
                </div>
                <p class="muted" role="status">{summary}</p>
                <Show when=move || !rows.with(Vec::is_empty) fallback=|| view! { <p>"No customers yet. Add one below, or from the new-order form."</p> }>
                    <table class="cards" aria-labelledby="customers-heading">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Phone"</th>
                            <th scope="col" class="num">"Orders"</th><th scope="col" class="num">"Spent"</th>
                            <th scope="col" class="num">"Owes"</th><th scope="col">"Tags"</th>
                        </tr></thead>
                        <tbody>
                            {move || shown.get().into_iter().map(|row| row_view(row, currency.get())).collect_view()}
                        </tbody>
                    </table>
                </Show>
            </section>
            <section class="panel" aria-labelledby="new-customer-heading">
                <h2 id="new-customer-heading">"New customer"</h2>
                <Writes><Control title="New customer".into()
                    inputs=details_inputs(&CustomerForm::default())
                    button="Add customer".into()
                    command=Callback::new(move |values: Values| {
                        details_of(&values).map(|details| Unstamped::from(ShopCommand::Customer {
                            customer_id: new_id(),
                            command: CustomerCommand::Register(details),
                        }))
                    }) /></Writes>
            </section>
        </main>
    }
}

fn row_view(row: CustomerRow, currency: Currency) -> impl IntoView {
    let tags = tags_text(&row.details);
    let CustomerRow {
        id,
        details,
        orders,
        spent,
        owed,
        ..
    } = row;
    view! {
        <tr>
            <th scope="row"><A href=customer_href(&id)>{details.name.as_str().to_owned()}</A></th>
            <td data-label="Email">{details.email.map(|e| e.as_str().to_owned())}</td>
            <td data-label="Phone">{details.phone.map(|p| p.as_str().to_owned())}</td>
            <td class="num" data-label="Orders">{locale::count(orders)}</td>
            <td class="num" data-label="Spent">{locale::amount(spent, currency)}</td>
            <td class="num" data-label="Owes">{locale::amount(owed, currency)}</td>
            <td data-label="Tags">{tags}</td>
        </tr>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let page = Memo::new(move |_| {
        let id = id.get();
        app.views.with_customers(|models| models.customer_page(&id))
    });
    // The other kept customers, by label, that this one can be merged into.
    let others = Memo::new(move |_| {
        let id = id.get();
        app.views.with_customers(|models| {
            models
                .customer_rows()
                .into_iter()
                .filter(|row| row.id != id)
                .map(|row| (label(&row.details), row.id))
                .collect::<Vec<_>>()
        })
    });
    // The latest SHOWN orders; a customer's page says how many it leaves out.
    let orders = Memo::new(move |_| {
        let shown: Vec<usize> = page.with(|page| {
            page.as_ref()
                .map(|p| p.orders.iter().take(SHOWN).copied().collect())
                .unwrap_or_default()
        });
        app.views.with_customers(|models| {
            shown
                .iter()
                .filter_map(|index| models.orders().rows().get(*index).cloned())
                .collect::<Vec<_>>()
        })
    });
    let currency = Memo::new(move |_| app.views.with_settings(|shop| shop.settings().currency));
    let zone = Memo::new(move |_| {
        app.views
            .with_settings(|shop| shop.settings().time_zone.clone())
    });
    let controls = ControlStates::provide();
    move || {
        controls.show(&id.get());
        let Some(found) = page.get() else {
            return view! {
                <main><section class="panel"><h2>"Customer not found"</h2>
                    <p>"There is no such customer. "<A href="/customers">"See the customers"</A></p>
                </section></main>
            }
            .into_any();
        };
        let (this, details) = (found.row.id.clone(), found.row.details.clone());
        let kept = found.merged_into.is_none();
        let total = found.orders.len();
        view! {
            <main class="customer">
                {facts_view(found, currency.get())}
                <CustomerOrders orders zone total />
                {kept.then(|| edit_controls(&this, &details, others))}
            </main>
        }
        .into_any()
    }
}

/// Who the customer is, what their orders come to, and which customers were merged into
/// them (or which one they were merged into).
fn facts_view(found: Found, currency: Currency) -> impl IntoView {
    let Found {
        row,
        merged_into,
        merged,
        ..
    } = found;
    let details = row.details;
    let text = |value: Option<&str>| value.unwrap_or("—").to_owned();
    let merged = (!merged.is_empty()).then(|| {
        let items = merged
            .into_iter()
            .map(|(other, name)| view! { <li><A href=customer_href(&other)>{name}</A></li> })
            .collect_view();
        view! { <p>"Merged into this customer:"</p><ul>{items}</ul> }
    });
    view! {
        <section class="panel" aria-labelledby="customer-heading">
            <h2 id="customer-heading">{details.name.as_str().to_owned()}</h2>
            {merged_into.map(|kept| view! {
                <p role="note">"Merged into "<A href=customer_href(&kept)>"the customer kept"</A>"; its orders count there."</p>
            })}
            <dl class="facts">
                <dt>"Email"</dt><dd>{text(details.email.as_ref().map(Email::as_str))}</dd>
                <dt>"Phone"</dt><dd>{text(details.phone.as_ref().map(Phone::as_str))}</dd>
                <dt>"Address"</dt><dd class="shop-address">{text(details.address.as_ref().map(Address::as_str))}</dd>
                <dt>"Notes"</dt><dd>{text(details.notes.as_ref().map(Remark::as_str))}</dd>
                <dt>"Tags"</dt><dd>{tags_text(&details)}</dd>
                <dt>"Orders"</dt><dd>{locale::count(row.orders)}</dd>
                <dt>"Spent"</dt><dd>{locale::amount(row.spent, currency)}</dd>
                <dt>"Owes"</dt><dd>{locale::amount(row.owed, currency)}</dd>
            </dl>
            {merged}
        </section>
    }
}

/// The customer's orders, latest first, each linked to its page.
#[component]
fn CustomerOrders(
    orders: Memo<Vec<OrderRow>>,
    zone: Memo<TimeZone>,
    total: usize,
) -> impl IntoView {
    view! {
        <section class="panel wide" aria-labelledby="customer-orders-heading">
            <h2 id="customer-orders-heading">"Orders"</h2>
            {(total > SHOWN).then(|| view! { <p class="muted">{format!("The latest {SHOWN} of {} orders.", locale::count(total as u64))}</p> })}
            <table class="cards" aria-labelledby="customer-orders-heading">
                <thead><tr>
                    <th scope="col">"Order"</th><th scope="col">"Created"</th><th scope="col">"Payment"</th>
                    <th scope="col">"Fulfilment"</th><th scope="col" class="num">"Total"</th><th scope="col" class="num">"Balance due"</th>
                </tr></thead>
                <tbody>
                    {move || orders.get().into_iter().map(|row| view! {
                        <tr>
                            <th scope="row"><A href=order_href(&row.order_id)>{format!("#{}", row.number)}</A></th>
                            <td data-label="Created">{zone.with(|zone| locale::date_time(row.created_at.0, zone))}</td>
                            <td data-label="Payment">{if row.draft { "draft".to_owned() } else { row.financial_status.to_string() }}</td>
                            <td data-label="Fulfilment">{if row.cancelled { "cancelled".to_owned() } else { row.fulfilment_status.to_string() }}</td>
                            <td class="num" data-label="Total">{locale::amount(row.total, row.currency)}</td>
                            <td class="num" data-label="Balance due">{locale::amount(row.balance_due, row.currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The controls of a kept customer: change the details, merge into another.
fn edit_controls(
    this: &str,
    details: &CustomerDetails,
    others: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let (this, details) = (this.to_owned(), details.clone());
    view! {
        <section class="panel controls" aria-labelledby="customer-actions-heading">
            <h2 id="customer-actions-heading">"Change"</h2>
            <Writes>{
                let (this, details) = (this.clone(), details.clone());
                move || view! { {details_control(&this, &details)} {merge_control(&this, others)} }
            }</Writes>
        </section>
    }
}

fn details_control(this: &str, details: &CustomerDetails) -> impl IntoView {
    let this = this.to_owned();
    view! {
        <Control title="Customer details".into()
            inputs=details_inputs(&CustomerForm::of(details))
            button="Save customer".into()
            command=Callback::new(move |values: Values| {
                let customer_id = this.clone();
                details_of(&values).map(|details| Unstamped::from(ShopCommand::Customer {
                    customer_id,
                    command: CustomerCommand::Change(details),
                }))
            }) />
    }
}

/// Merging this customer into another, when there is another.
fn merge_control(this: &str, others: Memo<Vec<(String, String)>>) -> impl IntoView {
    let labels = others.with_untracked(|others| {
        others
            .iter()
            .map(|(label, _)| label.clone())
            .collect::<Vec<_>>()
    });
    let this = this.to_owned();
    (!labels.is_empty()).then(|| {
        view! {
            <Control title="Merge into another customer".into() inputs=vec![]
                choice=choice("into", "The same person as", labels)
                button="Merge".into()
                command=Callback::new(move |values: Values| {
                    let into = others.with_untracked(|others| {
                        merge_into(&this, values.get("into"), others).map(str::to_owned)
                    })?;
                    Ok(Unstamped::from(ShopCommand::Customer {
                        customer_id: this.clone(),
                        command: CustomerCommand::MergeInto { into },
                    }))
                }) />
        }
    })
}
