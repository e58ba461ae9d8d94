//! The shop's settings page: its details for receipts (name, address, tax or VAT number), its
//! currency and time zone, whether prices include tax, its tax rates and the default one.
//! Saved as one event; each refused field says why beside it, and nothing is written then.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::locale;
use super::shell::Writes;
use crate::app::use_app;
use crate::domain::{ShopCommand, ShopSettingsCommand};
use crate::forms::settings::{SettingsForm, RATE_NAME_LABELS, RATE_PERCENT_LABELS};
use crate::forms::{FormError, Unstamped};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <main class="settings">
            <section class="panel" aria-labelledby="settings-heading">
                <h2 id="settings-heading">"Settings"</h2>
                <Writes><SettingsEditor /></Writes>
            </section>
        </main>
    }
}

/// The settings' form, filled with the saved settings.
#[component]
fn SettingsEditor() -> impl IntoView {
    let app = use_app();
    let saved_settings =
        Memo::new(move |_| app.views.with_settings(|shop| shop.settings().clone()));
    let has_orders = Memo::new(move |_| {
        app.views
            .with_orders(|models| !models.shop().orders().is_empty())
    });
    let text = |of: fn(&SettingsForm) -> String| {
        RwSignal::new(of(&SettingsForm::of(&saved_settings.get_untracked())))
    };
    let name = text(|f| f.name.clone());
    let address = text(|f| f.address.clone());
    let tax_number = text(|f| f.tax_number.clone());
    let currency = text(|f| f.currency.clone());
    let time_zone = text(|f| f.time_zone.clone());
    let default_rate = text(|f| f.default_rate.clone());
    let initial = SettingsForm::of(&saved_settings.get_untracked());
    let prices_include_tax = RwSignal::new(initial.prices_include_tax);
    let rates: Vec<(RwSignal<String>, RwSignal<String>)> = initial
        .rates
        .iter()
        .map(|(name, percent)| (RwSignal::new(name.clone()), RwSignal::new(percent.clone())))
        .collect();
    // The page follows the saved settings (the read side still loading, another tab's save).
    {
        let rates = rates.clone();
        Effect::new(move |first: Option<()>| {
            let form = SettingsForm::of(&saved_settings.get());
            if first.is_none() {
                return;
            }
            name.set(form.name);
            address.set(form.address);
            tax_number.set(form.tax_number);
            currency.set(form.currency);
            time_zone.set(form.time_zone);
            default_rate.set(form.default_rate);
            prices_include_tax.set(form.prices_include_tax);
            for ((name, percent), (typed_name, typed_percent)) in rates.iter().zip(form.rates) {
                name.set(typed_name);
                percent.set(typed_percent);
            }
        });
    }
    let refused = RwSignal::new(None::<FormError>);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);

    let form = {
        let rates = rates.clone();
        move || SettingsForm {
            name: name.get_untracked(),
            address: address.get_untracked(),
            tax_number: tax_number.get_untracked(),
            currency: currency.get_untracked(),
            time_zone: time_zone.get_untracked(),
            prices_include_tax: prices_include_tax.get_untracked(),
            rates: std::array::from_fn(|row| {
                (
                    rates[row].0.get_untracked(),
                    locale::typed(&rates[row].1.get_untracked()),
                )
            }),
            default_rate: default_rate.get_untracked(),
        }
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        match form().to_settings(locale::zone_known) {
            Err(why) => refused.set(Some(why)),
            Ok(settings) => {
                refused.set(None);
                busy.set(true);
                let command = ShopCommand::Shop(ShopSettingsCommand::Change {
                    settings,
                    shop_has_orders: has_orders.get_untracked(),
                });
                spawn_local(async move {
                    let result = app.commands.run(Unstamped::from(command)).await;
                    busy.set(false);
                    outcome.set(Some(result.map(|()| "Settings saved.".to_owned())));
                });
            }
        }
    };
    let reason = move |label: &'static str| {
        Signal::derive(move || {
            refused.with(|why| {
                why.as_ref()
                    .and_then(|why| why.reason(label))
                    .map(|r| r.to_string())
            })
        })
    };
    let rate_names = {
        let rates = rates.clone();
        move || {
            rates
                .iter()
                .map(|(name, _)| name.get().trim().to_owned())
                .filter(|name| !name.is_empty())
                .collect::<Vec<_>>()
        }
    };
    let zones = locale::zones();
    let rate_rows = rates
        .iter()
        .enumerate()
        .map(|(row, (name, percent))| {
            view! {
                <div class="rate-row">
                    <TextField label=RATE_NAME_LABELS[row] id=format!("rate-{row}-name") value=*name error=reason(RATE_NAME_LABELS[row]) />
                    <TextField label=RATE_PERCENT_LABELS[row] id=format!("rate-{row}-percent") value=*percent error=reason(RATE_PERCENT_LABELS[row]) inputmode="decimal" />
                </div>
            }
        })
        .collect_view();
    let default_error = reason("Default rate");
    view! {
                <form class="settings-form" on:submit=on_submit novalidate aria-labelledby="settings-heading">
                    <fieldset>
                        <legend>"The shop, as receipts show it"</legend>
                        <TextField label="Shop name" id="shop-name" value=name error=reason("Shop name") />
                        <div class="field">
                            <label for="shop-address">"Address"</label>
                            <textarea id="shop-address" rows="3" bind:value=address aria-describedby="shop-address-error"
                                aria-invalid=move || reason("Address").with(Option::is_some).to_string()></textarea>
                            <p class="field-error" id="shop-address-error">{move || reason("Address").get()}</p>
                        </div>
                        <TextField label="Tax or VAT number" id="tax-number" value=tax_number error=reason("Tax or VAT number") />
                    </fieldset>
                    <fieldset>
                        <legend>"Money and time"</legend>
                        <TextField label="Currency" id="currency" value=currency error=reason("Currency")
                            hint="An ISO 4217 code: USD, EUR, GBP, JPY… A shop with orders keeps its currency." />
                        <TextField label="Time zone" id="time-zone" value=time_zone error=reason("Time zone") list="time-zones"
                            hint="Where the shop's days begin and end, like Europe/Berlin." />
                        <datalist id="time-zones">
                            {zones.into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}
                        </datalist>
                    </fieldset>
                    <fieldset>
                        <legend>"Tax"</legend>
                        <div class="field checkbox">
                            <input type="checkbox" id="prices-include-tax" bind:checked=prices_include_tax />
                            <label for="prices-include-tax">"Prices include tax"</label>
                        </div>
                        <p class="hint">"Rates from 0% to 100%, to the thousandth; each line's tax is rounded half up to the currency's smallest unit, and an order's tax is the sum of its lines'."</p>
                        {rate_rows}
                        <div class="field">
                            <label for="default-rate">"Default rate"</label>
                            <select id="default-rate" aria-describedby="default-rate-error"
                                on:change=move |event| default_rate.set(event_target_value(&event))
                                aria-invalid=move || default_error.with(Option::is_some).to_string()>
                                <option value="" selected=move || default_rate.get().is_empty()>"No tax"</option>
                                {move || rate_names().into_iter().map(|rate| {
                                    let (chosen, value) = (rate.clone(), rate.clone());
                                    view! { <option value=value selected=move || default_rate.get() == chosen>{rate}</option> }
                                }).collect_view()}
                            </select>
                            <p class="field-error" id="default-rate-error">{move || default_error.get()}</p>
                        </div>
                    </fieldset>
                    <button type="submit" disabled=move || busy.get()>"Save settings"</button>
                    <p class="form-error" role="alert">{move || outcome.get().and_then(Result::err)}</p>
                    <p class="form-saved" role="status">{move || outcome.get().and_then(Result::ok)}</p>
                </form>
    }
}

/// A labelled text input with its error (and a hint) beside it, linked for screen readers.
#[component]
fn TextField(
    label: &'static str,
    #[prop(into)] id: String,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{error_id} {hint_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode=inputmode autocomplete="off" list=list bind:value=value
                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby=described />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
