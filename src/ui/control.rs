//! A small form that builds one command from its fields and runs it, showing what was
//! refused beside its button: the building block of the order and product views.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{use_app, Commands};
use crate::domain::ShopCommand;
use crate::forms::{FormError, Unstamped};

/// What a page's controls hold, kept across re-renders: a view that re-renders when its
/// order changes (another tab paid it, say) must not wipe the text being typed, the refusal
/// being shown, or forget a command on its way. Provided by a page; its controls find their
/// state by title. Without it, a control's state lives as long as the control.
#[derive(Clone, Copy)]
pub struct ControlStates {
    owner: StoredValue<Owner, LocalStorage>,
    /// What the page shows (an order's stream id, a customer's id): the states are for it.
    shown: StoredValue<String, LocalStorage>,
    states: StoredValue<HashMap<String, ControlState>, LocalStorage>,
}

impl ControlStates {
    /// Provides an empty set to the page's controls, owned by the calling component.
    pub fn provide() -> ControlStates {
        let states = ControlStates {
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            shown: StoredValue::new_local(String::new()),
            states: StoredValue::new_local(HashMap::new()),
        };
        provide_context(states);
        states
    }

    /// The page is about to draw `shown`: if it drew something else, its controls' states
    /// are forgotten. Called as the page draws, before its controls are, so that it never
    /// forgets the states of controls already drawn.
    pub fn show(self, shown: &str) {
        if self.shown.with_value(|was| was != shown) {
            self.shown.set_value(shown.to_owned());
            self.states.update_value(HashMap::clear);
        }
    }
}

/// One control's fields (with the initial text each was given), choice, refusal and
/// whether it is busy.
#[derive(Clone)]
struct ControlState {
    fields: Vec<FieldState>,
    chosen: RwSignal<usize>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

/// A field's name, its text, and the initial text it was last given.
#[derive(Clone)]
struct FieldState {
    name: &'static str,
    value: RwSignal<String>,
    initial: StoredValue<String>,
}

impl ControlState {
    fn new(inputs: &[Input]) -> ControlState {
        ControlState {
            fields: inputs
                .iter()
                .map(|i| FieldState {
                    name: i.name,
                    value: RwSignal::new(i.initial.clone()),
                    initial: StoredValue::new(i.initial.clone()),
                })
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
                let names = state.fields.iter().map(|field| field.name);
                if !names.eq(inputs.iter().map(|input| input.name)) {
                    *state = fresh();
                }
                for (field, input) in state.fields.iter().zip(inputs) {
                    if field
                        .initial
                        .with_value(|initial| field.value.with_untracked(|value| value == initial))
                    {
                        field.value.set(input.initial.clone());
                    }
                    field.initial.set_value(input.initial.clone());
                }
                state.clone()
            })
            .unwrap_or_else(|| ControlState::new(inputs))
    }

    /// Runs the command the control built, busy until it is settled. Once saved, a field
    /// that still holds what was sent starts again from the text it was last given (a
    /// note's field empty, a payment's the new balance due); refused, it says why and keeps
    /// what was typed.
    fn save(&self, commands: &Commands, command: Unstamped<ShopCommand>) {
        self.error.set(None);
        self.busy.set(true);
        let sent: Vec<String> = self
            .fields
            .iter()
            .map(|field| field.value.get_untracked())
            .collect();
        let (state, commands) = (self.clone(), *commands);
        spawn_local(async move {
            let outcome = commands.run(command).await;
            state.busy.set(false);
            match outcome {
                Ok(()) => {
                    for (field, sent) in state.fields.iter().zip(sent) {
                        let untouched = field.value.try_with_untracked(|value| *value == sent);
                        if let (Some(true), Some(initial)) =
                            (untouched, field.initial.try_get_value())
                        {
                            field.value.set(initial);
                        }
                    }
                }
                Err(refused) => state.error.set(Some(refused)),
            }
        });
    }
}

/// A text field of a control: the name its command reads it by, its label and what it
/// starts with.
#[derive(Clone)]
pub struct Input {
    name: &'static str,
    label: String,
    initial: String,
    /// The keyboard shortcut that takes the focus to it (`ui::shortcuts`).
    shortcut: Option<&'static str>,
    /// It takes a number, typed as the browser's locale writes them.
    decimal: bool,
}

pub fn input(name: &'static str, label: impl Into<String>, initial: &str) -> Input {
    Input {
        name,
        label: label.into(),
        initial: initial.to_owned(),
        shortcut: None,
        decimal: false,
    }
}

impl Input {
    /// The field with a keyboard shortcut to it.
    #[must_use]
    pub fn shortcut(self, key: &'static str) -> Input {
        Input {
            shortcut: Some(key),
            ..self
        }
    }

    /// The field takes an amount or a percentage: read in the browser's locale (`4,50` in
    /// `de-DE`), with a decimal keyboard on a phone.
    #[must_use]
    pub fn decimal(self) -> Input {
        Input {
            decimal: true,
            ..self
        }
    }
}

/// A select of a control: the name its command reads the chosen option by, its label and
/// its options (the first chosen at first).
pub struct Choice {
    name: &'static str,
    label: String,
    options: Vec<String>,
}

pub fn choice(name: &'static str, label: impl Into<String>, options: Vec<String>) -> Choice {
    Choice {
        name,
        label: label.into(),
        options,
    }
}

/// What a control holds when it is submitted, by name: each field's text and the option
/// chosen in its choice.
pub struct Values(Vec<(&'static str, String)>);

impl Values {
    /// The text of the field (or the option of the choice) called `name`.
    pub fn get(&self, name: &str) -> &str {
        let value = self.0.iter().find(|(field, _)| *field == name);
        debug_assert!(value.is_some(), "the control has no field called {name}");
        value.map_or("", |(_, value)| value.as_str())
    }
}

/// A small form that builds one command from its fields and runs it; what is refused shows
/// beside its button.
#[component]
pub fn Control(
    /// Names the group for screen readers and people.
    title: String,
    inputs: Vec<Input>,
    /// An extra choice: a select named by its label, with its options.
    #[prop(optional)]
    choice: Option<Choice>,
    button: String,
    /// Builds the command from what the fields and the choice hold, by name.
    command: Callback<Values, Result<Unstamped<ShopCommand>, FormError>>,
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
    let state = ControlState::kept(&title, &inputs);
    let ControlState {
        fields,
        chosen,
        error,
        busy,
    } = state.clone();
    let chosen_option = choice
        .as_ref()
        .map(|choice| (choice.name, choice.options.clone()));
    let decimals: Vec<bool> = inputs.iter().map(|input| input.decimal).collect();
    let submit = {
        let fields = fields.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let mut values: Vec<_> = fields
                .iter()
                .zip(&decimals)
                .map(|(field, decimal)| {
                    let text = field.value.get_untracked();
                    (
                        field.name,
                        if *decimal {
                            super::locale::typed(&text)
                        } else {
                            text
                        },
                    )
                })
                .collect();
            if let Some((name, options)) = &chosen_option {
                let option = options.get(chosen.get_untracked()).cloned();
                values.push((name, option.unwrap_or_default()));
            }
            match command.run(Values(values)) {
                Err(refused) => error.set(Some(refused.to_string())),
                Ok(command) => state.save(&app.commands, command),
            }
        }
    };
    let fields = inputs
        .into_iter()
        .zip(fields)
        .map(|(input, field)| {
            let field_id = format!("{id}-{}", input.name);
            let value = field.value;
            view! {
                <div class="field">
                    <label for=field_id.clone()>{input.label}</label>
                    <input id=field_id type="text" autocomplete="off" inputmode=if input.decimal { "decimal" } else { "text" } bind:value=value aria-describedby=error_id.clone() aria-keyshortcuts=input.shortcut
                        aria-invalid=move || error.with(Option::is_some).to_string() />
                </div>
            }
        })
        .collect_view();
    let select = choice.map(|Choice { label, options, .. }| {
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
