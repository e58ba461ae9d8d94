//! A small form that builds one command from its fields and runs it, showing what was
//! refused beside its button: the building block of the order and product views.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::use_app;
use crate::domain::ShopCommand;
use crate::forms::{FormError, Unstamped};

/// What a page's controls hold, kept across re-renders: a view that re-renders when its
/// order changes (another tab paid it, say) must not wipe the text being typed, the refusal
/// being shown, or forget a command on its way. Provided by a page; its controls find their
/// state by title. Without it, a control's state lives as long as the control.
#[derive(Clone, Copy)]
pub struct ControlStates {
    owner: StoredValue<Owner, LocalStorage>,
    states: StoredValue<HashMap<String, ControlState>, LocalStorage>,
}

impl ControlStates {
    /// Provides an empty set to the page's controls, owned by the calling component.
    pub fn provide() -> ControlStates {
        let states = ControlStates {
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            states: StoredValue::new_local(HashMap::new()),
        };
        provide_context(states);
        states
    }

    /// Forgets every control's state (the page now shows another order).
    pub fn clear(self) {
        self.states.update_value(HashMap::clear);
    }
}

/// One control's fields (with the initial text each was given), choice, refusal and
/// whether it is busy.
#[derive(Clone)]
struct ControlState {
    values: Vec<(RwSignal<String>, String)>,
    chosen: RwSignal<usize>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl ControlState {
    fn new(inputs: &[Input]) -> ControlState {
        ControlState {
            values: inputs
                .iter()
                .map(|i| (RwSignal::new(i.initial.clone()), i.initial.clone()))
                .collect(),
            chosen: RwSignal::new(0),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The state kept for `title`, its untouched fields moved to their new initial text
    /// (a balance that changed); a field the seller typed in keeps what they typed.
    fn kept(title: &str, inputs: &[Input]) -> ControlState {
        let Some(states) = use_context::<ControlStates>() else {
            return ControlState::new(inputs);
        };
        // New signals belong to the page, so that they outlive this control.
        let owner = states.owner.get_value();
        let fresh = || owner.with(|| ControlState::new(inputs));
        states
            .states
            .try_update_value(|states| {
                let state = states.entry(title.to_owned()).or_insert_with(fresh);
                if state.values.len() != inputs.len() {
                    *state = fresh();
                }
                for ((value, initial), input) in state.values.iter_mut().zip(inputs) {
                    if value.get_untracked() == *initial {
                        value.set(input.initial.clone());
                    }
                    initial.clone_from(&input.initial);
                }
                state.clone()
            })
            .unwrap_or_else(|| ControlState::new(inputs))
    }
}

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
    command: Callback<(Vec<String>, usize), Result<Unstamped<ShopCommand>, FormError>>,
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
    let ControlState {
        values,
        chosen,
        error,
        busy,
    } = ControlState::kept(&title, &inputs);
    let values: Vec<RwSignal<String>> = values.into_iter().map(|(value, _)| value).collect();
    let submit = {
        let values = values.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let texts = values.iter().map(|v| v.get_untracked()).collect();
            match command.run((texts, chosen.get_untracked())) {
                Err(refused) => error.set(Some(refused.to_string())),
                Ok(command) => {
                    error.set(None);
                    busy.set(true);
                    spawn_local(async move {
                        let outcome = app.commands.run(command).await;
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
