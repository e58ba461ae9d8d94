//! The banner that says the views show the past, with the way back to live.

use leptos::prelude::*;

use crate::app::{use_app, TimeTravel};

#[component]
pub fn TimeTravelBanner() -> impl IntoView {
    let app = use_app();
    move || {
        let message = match app.views.time_travel.get() {
            TimeTravel::Live => return ().into_any(),
            TimeTravel::Loading(seq) => format!("Rebuilding the shop as it was after event {seq}…"),
            TimeTravel::Past(past) => {
                let head = app.views.head();
                format!(
                    "Showing the shop as it was after event {} of {head}.",
                    past.after
                )
            }
        };
        view! {
            <div class="banner travel" role="status">
                <span>{message}</span>
                <button type="button" on:click=move |_| app.views.travel_to(None)>"Back to live"</button>
            </div>
        }
        .into_any()
    }
}
