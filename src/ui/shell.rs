//! The page frame: header with the theme switch, the storage status banner, and the views.

use leptos::prelude::*;

use super::new_order::NewOrderForm;
use super::orders_table::OrdersTable;
use crate::app::prefs::Theme;
use crate::app::{use_app, AppCtx, StoreStatus};

/// The whole app. Mount it with `leptos::mount::mount_to_body(App)`.
#[component]
pub fn App() -> impl IntoView {
    let app = AppCtx::provide();
    view! {
        <div class="app" data-theme=move || app.theme.get().as_str()>
            <header class="top">
                <h1>"orderlog"</h1>
                <ThemeSwitch />
            </header>
            <StatusBanner />
            <main>
                <NewOrderForm />
                <OrdersTable />
            </main>
        </div>
    }
}

#[component]
fn ThemeSwitch() -> impl IntoView {
    let app = use_app();
    view! {
        <button
            type="button"
            class="theme-switch"
            aria-pressed=move || (app.theme.get() == Theme::Dark).to_string()
            on:click=move |_| app.toggle_theme()
        >
            "Dark theme"
        </button>
    }
}

#[component]
fn StatusBanner() -> impl IntoView {
    let app = use_app();
    move || match app.status.get() {
        StoreStatus::Opening => {
            view! { <p class="banner" role="status">"Loading orders…"</p> }.into_any()
        }
        StoreStatus::Ready => ().into_any(),
        StoreStatus::Failed(message) => {
            view! { <p class="banner error" role="alert">{message}</p> }.into_any()
        }
    }
}
