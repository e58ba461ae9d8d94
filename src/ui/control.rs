//! A small form that builds one command from its fields and runs it, showing what was
//! refused beside its button: the building block of the order and product views.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{use_app, ShopCommand};

/// A text field of a control: its label and what it starts with.
#[derive(Clone)]
pub struct Input {
    label: String,
    initial: String,
}

pub fn input(label: impl Into<String>, initial: &str) -> Input {
    Input {
        label: label.into(),
        initial: initial.to_owned(),
    }
}

/// A small form that builds one order command from its fields and runs it; what is refused
/// shows beside its button.
#[component]
pub fn Control(
    /// Names the group for screen readers and people.
    title: String,
    inputs: Vec<Input>,
    /// Extra choices: a select named by its label, with its options.
    #[prop(optional)]
    choice: Option<(String, Vec<&'static str>)>,
    button: String,
    /// Builds the command from the inputs' text and the choice's index.
    command: Callback<(Vec<String>, usize), Result<ShopCommand, String>>,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let app = use_app();
    let id = format!(
        "control-{}",
        title
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    let error_id = format!("{id}-error");
    let values: Vec<RwSignal<String>> = inputs
        .iter()
        .map(|i| RwSignal::new(i.initial.clone()))
        .collect();
    let chosen = RwSignal::new(0_usize);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = {
        let values = values.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let texts = values.iter().map(|v| v.get_untracked()).collect();
            match command.run((texts, chosen.get_untracked())) {
                Err(message) => error.set(Some(message)),
                Ok(command) => {
                    error.set(None);
                    busy.set(true);
                    spawn_local(async move {
                        let outcome = app.run(command).await;
                        busy.set(false);
                        error.set(outcome.err());
                    });
                }
            }
        }
    };
    let fields = inputs
        .into_iter()
        .zip(values)
        .enumerate()
        .map(|(n, (input, value))| {
            let field_id = format!("{id}-{n}");
            view! {
                <div class="field">
                    <label for=field_id.clone()>{input.label}</label>
                    <input id=field_id type="text" autocomplete="off" bind:value=value aria-describedby=error_id.clone()
                        aria-invalid=move || error.with(Option::is_some).to_string() />
                </div>
            }
        })
        .collect_view();
    let select = choice.map(|(label, options)| {
        let select_id = format!("{id}-choice");
        view! {
            <div class="field">
                <label for=select_id.clone()>{label}</label>
                <select id=select_id on:change=move |event| chosen.set(event_target_value(&event).parse().unwrap_or(0))>
                    {options.into_iter().enumerate().map(|(n, option)| view! { <option value=n.to_string()>{option}</option> }).collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <form class=if inline { "control inline" } else { "control" } on:submit=submit>
            <fieldset>
                <legend class=if inline { "visually-hidden" } else { "" }>{title}</legend>
                {fields}
                {select}
                <button type="submit" disabled=move || busy.get()>{button}</button>
                <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
            </fieldset>
        </form>
    }
}

pub fn first(values: &[String]) -> &str {
    values.first().map_or("", String::as_str)
}
