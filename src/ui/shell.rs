//! The page frame: header with the navigation and the theme switch, the storage status and
//! time-travel banners, the routed views, and the footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use super::announcer::Announcer;
use super::format::{plural, seqs};
use super::later;
use super::new_order::NewOrderForm;
use super::orders_table::OrdersTable;
use super::shortcuts::{Shortcuts, ShortcutsDialog};
use super::sync::SyncStatusLine;
use super::time_travel::TimeTravelBanner;
use crate::app::prefs::Theme;
use crate::app::{use_app, AppCtx, StoreStatus};

/// The whole app. Mount it with `leptos::mount::mount_to_body(App)`.
#[component]
pub fn App() -> impl IntoView {
    let _ = AppCtx::provide();
    view! {
        <Router>
            <Frame />
        </Router>
    }
}

/// The frame around every view: the header (its navigation behind a menu button on a phone),
/// the banners, the routed view, the footer, the keyboard shortcuts and the announcements.
#[component]
fn Frame() -> impl IntoView {
    let app = use_app();
    let menu = RwSignal::new(false);
    let announcer = Announcer::provide();
    announcer.follow_loads(app.loads.progress);
    let location = use_location();
    let moved = Moved(StoredValue::new(false));
    provide_context(moved);
    // A new view closes the menu and takes the focus to its first heading, so a screen
    // reader says where the seller is and the keyboard starts from there. The first view
    // of a visit keeps the browser's focus. A view loaded when first opened is named again
    // once drawn (`name_when_drawn`).
    Effect::new(move |seen: Option<()>| {
        // Read, not only tracked: with `pathname.track()` alone the release build never ran
        // this again on a new path.
        let _view = location.pathname.get();
        menu.set(false);
        moved.0.set_value(seen.is_some());
        request_animation_frame(move || name_the_view(seen.is_some()));
    });
    // The other views' code, fetched once the shop is open and the browser idle, through the
    // service worker once it serves the page (on a first visit it fetches them itself).
    Effect::new(move |loaded: Option<bool>| {
        if loaded == Some(true) || app.log.status.get() != StoreStatus::Ready {
            return loaded.unwrap_or(false);
        }
        request_idle_callback(move || {
            leptos::task::spawn_local(async move {
                app.device.served_by_worker().await;
                later::preload_all().await;
            });
        });
        true
    });
    let shortcuts = Shortcuts::listen();
    view! {
        <div class="app" data-theme=move || app.device.theme.get().as_str()>
            <header class="top">
                <h1 class="brand">"orderlog"</h1>
                <button type="button" class="menu-button" aria-controls="views" aria-expanded=move || menu.get().to_string()
                    on:click=move |_| menu.update(|open| *open = !*open)>
                    "Menu"
                </button>
                // A link closes the menu, the current view's too.
                <nav id="views" aria-label="Views" class:open=move || menu.get() on:click=move |_| menu.set(false)>
                    <A href="/" exact=true>"Orders"</A>
                    <A href="/dashboard">"Dashboard"</A>
                    <A href="/cash-up">"Cash-up"</A>
                    <A href="/customers">"Customers"</A>
                    <A href="/products">"Products"</A>
                    <A href="/events">"Event log"</A>
                    <A href="/import">"Import"</A>
                    <A href="/sync">"Sync"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
                <ThemeSwitch />
            </header>
            <SyncStatusLine />
            <StatusBanner />
            <LeftOutBanner />
            <UpdateBanner />
            <TimeTravelBanner />
            {move || later::opening().then(|| view! { <p class="banner" role="status">"Loading the view…"</p> })}
            <Routes fallback=|| view! { <main><h2>"Page not found"</h2><p>"There is no such page. Choose a view from the menu."</p></main> }>
                <Route path=path!("/") view=OrdersPage />
                <Route path=path!("/orders/:id") view=later::order_detail::ROUTE />
                <Route path=path!("/orders/:id/receipt") view=later::receipt::ROUTE />
                <Route path=path!("/orders/:id/invoice") view=later::invoice::ROUTE />
                <Route path=path!("/dashboard") view=later::dashboard::ROUTE />
                <Route path=path!("/cash-up") view=later::cash_up::ROUTE />
                <Route path=path!("/customers") view=later::customers::ROUTE />
                <Route path=path!("/customers/:id") view=later::customer::ROUTE />
                <Route path=path!("/products") view=later::products::ROUTE />
                <Route path=path!("/events") view=later::event_log::ROUTE />
                <Route path=path!("/import") view=later::import::ROUTE />
                <Route path=path!("/sync") view=later::sync::ROUTE />
                <Route path=path!("/settings") view=later::settings::ROUTE />
            </Routes>
            <DeviceFooter shortcuts=shortcuts />
            <ShortcutsDialog shortcuts=shortcuts />
            <p class="visually-hidden" role="status" aria-live="polite" id="announcements">{move || announcer.said()}</p>
        </div>
    }
}

/// Whether the seller has left the first view of the visit: a view named after that takes
/// the focus.
#[derive(Clone, Copy)]
struct Moved(StoredValue<bool>);

/// Names the page after the view being drawn, once it is (see `name_the_view`): for a view
/// whose code arrives after the path changed.
pub(super) fn name_when_drawn() {
    let moved = use_context::<Moved>();
    Effect::new(move || {
        request_animation_frame(move || {
            name_the_view(moved.is_some_and(|moved| moved.0.get_value()));
        });
    });
}

/// Names the page after the view (its `<main>`'s label, else its first heading: `Orders ·
/// orderlog`) and, after a navigation, moves the focus to that heading.
fn name_the_view(focus: bool) {
    let document = document();
    let Some(heading) = document.query_selector("main h2").ok().flatten() else {
        return;
    };
    let label = document
        .query_selector("main[aria-label]")
        .ok()
        .flatten()
        .and_then(|main| main.get_attribute("aria-label"));
    if let Some(name) = label.or_else(|| heading.text_content()) {
        document.set_title(&format!("{name} · orderlog"));
    }
    if focus {
        if let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>() {
            let _ = heading.set_attribute("tabindex", "-1");
            let _ = heading.focus();
        }
    }
}

#[component]
fn OrdersPage() -> impl IntoView {
    view! {
        // Named: its first heading is the new order's.
        <main class="orders-page" aria-label="Orders">
            <Writes><NewOrderForm /></Writes>
            <OrdersTable />
        </main>
    }
}

/// Its children, unless this device only reads the shop: then a note saying so.
#[component]
pub fn Writes(children: ChildrenFn) -> impl IntoView {
    let app = use_app();
    move || {
        if app.syncing.read_only() {
            view! {
                <p class="read-only" role="note">
                    "This device only reads the shop (its sync user may not change it), so it \
                     offers no changes here."
                </p>
            }
            .into_any()
        } else {
            children().into_any()
        }
    }
}

#[component]
fn ThemeSwitch() -> impl IntoView {
    let app = use_app();
    view! {
        <button
            type="button"
            class="theme-switch"
            aria-pressed=move || (app.device.theme.get() == Theme::Dark).to_string()
            on:click=move |_| app.device.toggle_theme()
        >
            "Dark theme"
        </button>
    }
}

#[component]
fn StatusBanner() -> impl IntoView {
    let app = use_app();
    move || {
        match app.log.status.get() {
        StoreStatus::Opening => {
            view! { <p class="banner" role="status">"Loading orders…"</p> }.into_any()
        }
        StoreStatus::Blocked => view! {
            <p class="banner error" role="alert">
                "Another orderlog tab has your orders open with an older version of this app. \
                 Close or reload that tab; this one carries on by itself."
            </p>
        }
        .into_any(),
        StoreStatus::Upgrading => view! {
            <p class="banner" role="status">
                "Moving your orders into this version's faster storage. This happens once and \
                 takes about two seconds for every thousand orders; if the tab closes \
                 meanwhile, nothing is lost and it starts again next time."
            </p>
        }
        .into_any(),
        StoreStatus::Ready => ().into_any(),
        StoreStatus::Superseded => view! {
            <p class="banner error" role="alert">
                "A newer version of orderlog opened in another tab, so this tab let go of your \
                 orders. Nothing was lost. "
                <button type="button" on:click=move |_| app.device.reload_into_update()>"Reload this tab"</button>
            </p>
        }
        .into_any(),
        StoreStatus::Failed(message) => {
            view! { <p class="banner error" role="alert">{message}</p> }.into_any()
        }
    }
    }
}

/// Stored events the views could not read (a damaged record) or that the log no longer
/// holds (a gap): left out, and said so.
#[component]
fn LeftOutBanner() -> impl IntoView {
    let app = use_app();
    let left_out = app.views.left_out();
    move || {
        left_out.with(|(unreadable, missing)| {
            let mut said = Vec::new();
            if let Some((first, reason)) = unreadable.first() {
                let count = unreadable.len() as u64;
                said.push(format!(
                    "{count} stored {} could not be read, the first: event {first} ({reason}).",
                    plural(count, "event", "events")
                ));
            }
            if let Some(first) = missing.first() {
                let count: u64 = missing.iter().map(|(from, to)| to - from + 1).sum();
                said.push(format!(
                    "{count} {} missing from the log, the first: {}.",
                    plural(count, "event is", "events are"),
                    seqs(*first)
                ));
            }
            (!said.is_empty()).then(|| {
                view! {
                    <p class="banner error" role="alert">
                        {said.join(" ")}
                        " They are left out of every view; the rest of your orders are shown. \
                         Download a backup (Import page) and keep it; the Event log marks them."
                    </p>
                }
            })
        })
    }
}

/// A newer build is ready: the seller reloads into it when they choose.
#[component]
fn UpdateBanner() -> impl IntoView {
    let app = use_app();
    move || {
        app.device.update_ready.get().then(|| {
            view! {
                <p class="banner" role="status">
                    "A new version of orderlog is ready. Your orders are kept. "
                    <button type="button" on:click=move |_| app.device.reload_into_update()>
                        "Reload to update"
                    </button>
                </p>
            }
        })
    }
}

/// Online or offline, and how much of the browser's storage the log takes.
#[component]
fn DeviceFooter(shortcuts: Shortcuts) -> impl IntoView {
    let app = use_app();
    view! {
        <footer class="device">
            <button type="button" class="link" aria-keyshortcuts="?" on:click=move |_| shortcuts.show()>"Keyboard shortcuts"</button>
            <p role="status" class=move || if app.device.online.get() { "online" } else { "offline" }>
                {move || if app.device.online.get() {
                    "Online"
                } else {
                    "Offline: everything keeps working and is saved in this browser"
                }}
            </p>
            <p>{move || app.device.storage.get().map(|used| used.describe())}</p>
            {move || app.device.storage.get().and_then(|used| used.warning()).map(|warning| view! {
                <p class="form-error" role="alert">{warning}</p>
            })}
        </footer>
    }
}
