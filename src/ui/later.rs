//! The views loaded when first opened. Each is a split point (`#[wasm_split]`, the splitter
//! Leptos' lazy routes use): the release build cuts the code only it reaches out of the first
//! download into files of their own (`scripts/split-wasm.mjs`), fetched the first time the
//! view opens. The orders list, the view a visit starts on, stays in the first download.
//! Once the shop's storage is open and the service worker serves the page, the others are
//! fetched while the browser is idle (from the worker's cache), so a view opened later
//! seldom waits. A view whose code cannot be fetched (offline before the
//! app was ever kept, or a build since replaced) says so, and the rest of the app carries on.

use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::ChooseView;

use super::shell::name_when_drawn;
use crate::tasks::split_point;

/// A view's code being fetched, then the view drawn.
type Loading = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// A route's view loaded when first opened. The view shown before stays until it is drawn,
/// and the frame says one is on its way (`opening`).
#[derive(Clone, Copy)]
pub struct Later(fn() -> Loading);

impl ChooseView for Later {
    async fn choose(self) -> AnyView {
        let _opening = Opening::start();
        (self.0)().await.unwrap_or_else(|_| unloaded())
    }

    async fn preload(&self) {}
}

/// How many views the router waits for now. Shared, not provided: the router chooses a
/// view outside the frame's reactive owner.
static OPENING: LazyLock<ArcRwSignal<u32>> = LazyLock::new(|| ArcRwSignal::new(0));

/// Whether a view is on its way: its code not fetched yet. A view already fetched is drawn in
/// the same task, so this never flickers for it.
pub fn opening() -> bool {
    OPENING.get() > 0
}

/// One view waited for, until dropped (drawn, or left for another before it arrived).
struct Opening;

impl Opening {
    fn start() -> Self {
        OPENING.update(|waiting| *waiting += 1);
        Opening
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        OPENING.update(|waiting| *waiting -= 1);
    }
}

/// What shows when a view's code could not be fetched.
fn unloaded() -> AnyView {
    name_when_drawn();
    view! {
        <main>
            <h2>"This view could not be loaded"</h2>
            <p class="form-error" role="alert">
                "Its part of orderlog did not arrive: this device may be offline, or a newer \
                 version replaced this one. Your orders are safe; the other views still work."
            </p>
            <button type="button" on:click=|_| window().location().reload().unwrap_or_default()>
                "Reload orderlog"
            </button>
        </main>
    }
    .into_any()
}

/// A module per view, `$view`, whose `ROUTE` draws `$page` once its code is loaded, and
/// `preload_all`, which fetches them all. The views of one `$part` share their files: fewer,
/// larger files to fetch (a view's first opening fetches its part's).
macro_rules! later {
    ($($view:ident in $part:ident => $page:path),* $(,)?) => {
        $(
            pub mod $view {
                use super::*;

                split_point! {
                    $part, preload = preload;
                    pub(super) fn $view() -> Result<AnyView, SplitLoaderError> {
                        name_when_drawn();
                        Ok($page().into_any())
                    }
                }

                #[doc = concat!("The route of `", stringify!($page), "`.")]
                pub const ROUTE: Later = Later(|| Box::pin($view()));
            }
        )*

        /// Fetches every view's code, one after the other; one that fails is fetched again
        /// when its view opens.
        pub async fn preload_all() {
            $(let _ = $view::preload().await;)*
        }
    };
}

later! {
    order_detail in order => super::super::order_detail::OrderDetailPage,
    receipt in order => super::super::receipt::ReceiptPage,
    invoice in order => super::super::receipt::InvoicePage,
    dashboard in figures => super::super::dashboard::DashboardPage,
    cash_up in figures => super::super::cash_up::CashUpPage,
    customers in customers => super::super::customers::CustomersPage,
    customer in customers => super::super::customers::CustomerPage,
    products in products => super::super::products::ProductsPage,
    event_log in data => super::super::event_log::EventLogPage,
    import in data => super::super::import::ImportPage,
    sync in setup => super::super::sync::SyncPage,
    settings in setup => super::super::settings::SettingsPage,
}
