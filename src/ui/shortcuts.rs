//! Keyboard shortcuts for desk work. A control declares its key with `aria-keyshortcuts`, so
//! assistive technology announces it too; a key pressed outside a text field activates the
//! control on the page that declares it: a field takes the focus, a button is pressed. `?`
//! lists them in a dialog; Escape leaves a text field, so the keys work again.

use leptos::ev;
use leptos::html::Dialog;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement, KeyboardEvent};

/// The shortcuts and what each does, as the dialog lists them.
pub const KEYS: [(&str, &str); 6] = [
    ("n", "New order: to the new order's first field"),
    ("/", "Search the orders"),
    ("]", "Next page (the orders, the event log)"),
    ("[", "Previous page"),
    ("p", "Record a payment on the open order"),
    ("?", "These shortcuts"),
];

/// The keys whose control is on the orders view: pressed elsewhere, they go there first.
const ON_THE_ORDERS_VIEW: [&str; 2] = ["n", "/"];

/// The shortcuts' dialog.
#[derive(Clone, Copy)]
pub struct Shortcuts {
    dialog: NodeRef<Dialog>,
}

impl Shortcuts {
    /// Listens to the keyboard for the page's life. Call it inside the router.
    pub fn listen() -> Shortcuts {
        let shortcuts = Shortcuts {
            dialog: NodeRef::new(),
        };
        let navigate = use_navigate();
        // The frame lives as long as the page, and so does the listener.
        let _listening = window_event_listener(ev::keydown, move |event| {
            // The open list is modal: what is behind it takes no keys.
            if shortcuts.is_open() {
                return;
            }
            let field = text_field(&event);
            if event.key() == "Escape" {
                if let Some(field) = field {
                    let _ = field.blur();
                }
                return;
            }
            let Some(key) = shortcut(&event).filter(|_| field.is_none()) else {
                return;
            };
            event.prevent_default();
            if key == "?" {
                shortcuts.show();
            } else if !activate(key) && ON_THE_ORDERS_VIEW.contains(&key) {
                navigate("/", NavigateOptions::default());
                request_animation_frame(move || {
                    activate(key);
                });
            }
        });
        shortcuts
    }

    /// Opens the list of shortcuts.
    pub fn show(self) {
        if let Some(dialog) = self.dialog.get_untracked() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
    }

    fn is_open(self) -> bool {
        self.dialog
            .get_untracked()
            .is_some_and(|dialog| dialog.open())
    }
}

/// The shortcut `event` presses: one of [`KEYS`] with no modifier but Shift.
fn shortcut(event: &KeyboardEvent) -> Option<&'static str> {
    if event.ctrl_key() || event.meta_key() || event.alt_key() || event.default_prevented() {
        return None;
    }
    let key = event.key();
    KEYS.iter().map(|(k, _)| *k).find(|k| *k == key)
}

/// The field that takes text `event` was typed in, if it was.
fn text_field(event: &KeyboardEvent) -> Option<HtmlElement> {
    event
        .target()
        .and_then(|target| target.dyn_into::<HtmlElement>().ok())
        .filter(takes_text)
}

/// A text field, a text area, a select or editable content: its keys are the seller's typing.
fn takes_text(element: &HtmlElement) -> bool {
    if element.is_content_editable() {
        return true;
    }
    match element.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            element.get_attribute("type").as_deref(),
            Some("checkbox" | "radio" | "button" | "submit" | "range" | "file")
        ),
        _ => false,
    }
}

/// Activates the control that declares `key` on this page, if there is one.
fn activate(key: &str) -> bool {
    let Some(control) = document()
        .query_selector(&format!("[aria-keyshortcuts=\"{key}\"]"))
        .ok()
        .flatten()
    else {
        return false;
    };
    if let Some(field) = control.dyn_ref::<HtmlInputElement>() {
        let _ = field.focus();
        field.select();
    } else if let Some(button) = control.dyn_ref::<HtmlButtonElement>() {
        if !button.disabled() {
            button.click();
        }
    }
    true
}

/// The list of shortcuts, a modal dialog (Escape closes it too).
#[component]
pub fn ShortcutsDialog(shortcuts: Shortcuts) -> impl IntoView {
    let close = move |_| {
        if let Some(dialog) = shortcuts.dialog.get_untracked() {
            dialog.close();
        }
    };
    view! {
        <dialog node_ref=shortcuts.dialog class="shortcuts panel" aria-labelledby="shortcuts-heading">
            <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
            <p>"Outside a text field:"</p>
            <dl>
                {KEYS.iter().map(|(key, what)| view! { <dt><kbd>{*key}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <p>"Tab moves between controls, Enter submits a form, Escape closes this list."</p>
            <button type="button" on:click=close>"Close"</button>
        </dialog>
    }
}
