//! The shell: wires the domain and the engine to the browser. It opens the IndexedDB store,
//! keeps the read models in signals (and is the only place that writes them), and turns the
//! UI's requests into commands. Components reach it through [`use_app`].
//!
//! Business rules do not live here; they are in `domain/`. What the user typed is parsed in
//! [`forms`], which is pure and tested natively.

pub mod forms;
pub mod prefs;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{Currency, Order, OrderCommand, Timestamp};
use crate::es::idb::{Durability, IdbStore};
use crate::es::{catch_up, execute, CommandMeta, ExecuteError, ProjectionRunner, StoreError};
use crate::read::OrdersList;
use forms::{OrderForm, OrderFormErrors};
use prefs::Theme;

/// The currency of every order the new-order form creates.
pub const SHOP_CURRENCY: Currency = Currency::new(*b"USD");

/// The IndexedDB database the app keeps its log in.
pub const DATABASE_NAME: &str = "orderlog";

/// Whether the event store can be used yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreStatus {
    Opening,
    Ready,
    /// The browser refused: the message says what happened and what to do.
    Failed(String),
}

/// The app's state and its dispatcher, provided once at the root. Components read the
/// signals and call the methods; only this module writes the signals.
#[derive(Clone, Copy)]
pub struct AppCtx {
    /// The orders list and how far into the log it has read.
    pub orders: ReadSignal<ProjectionRunner<OrdersList>>,
    pub status: ReadSignal<StoreStatus>,
    pub theme: ReadSignal<Theme>,
    set_orders: WriteSignal<ProjectionRunner<OrdersList>>,
    set_status: WriteSignal<StoreStatus>,
    set_theme: WriteSignal<Theme>,
    store: StoredValue<Option<Rc<IdbStore>>, LocalStorage>,
}

/// The app's context. Panics outside the component tree that [`AppCtx::provide`] set up.
#[must_use]
pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}

fn now() -> i64 {
    // Whole milliseconds since the epoch fit an i64 for the next 292 million years.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    now
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl AppCtx {
    /// Creates the context, provides it to the component tree, and starts opening the store
    /// and replaying the log into the read models.
    #[must_use]
    pub fn provide() -> AppCtx {
        let (orders, set_orders) = signal(ProjectionRunner::new(OrdersList::default()));
        let (status, set_status) = signal(StoreStatus::Opening);
        let (theme, set_theme) = signal(prefs::load_theme());
        let ctx = AppCtx {
            orders,
            status,
            theme,
            set_orders,
            set_status,
            set_theme,
            store: StoredValue::new_local(None),
        };
        provide_context(ctx);
        spawn_local(ctx.open());
        ctx
    }

    async fn open(self) {
        let opened = match IdbStore::open(DATABASE_NAME, Durability::Strict).await {
            Ok(store) => {
                let store = Rc::new(store);
                self.store.set_value(Some(Rc::clone(&store)));
                self.catch_up(&store).await
            }
            Err(error) => Err(error),
        };
        self.set_status.set(match opened {
            Ok(()) => StoreStatus::Ready,
            Err(error) => StoreStatus::Failed(format!(
                "Orders cannot be loaded: {error}. Check that this browser allows site storage \
                 (it is off in some private windows), close other orderlog tabs, and reload."
            )),
        });
    }

    /// Applies every stored event the read models have not seen yet.
    async fn catch_up(self, store: &IdbStore) -> Result<(), StoreError> {
        catch_up(
            store,
            || self.orders.with_untracked(ProjectionRunner::checkpoint),
            |batch| {
                self.set_orders
                    .try_update(|runner| runner.apply_all(batch))
                    .unwrap_or(0)
            },
        )
        .await
        .map(drop)
    }

    /// Creates an order from the form. On success the orders list already shows it.
    ///
    /// # Errors
    /// A message per refused field, or one for the whole form when the order or the storage
    /// refuses; nothing is written then.
    pub async fn create_order(self, form: OrderForm) -> Result<(), OrderFormErrors> {
        let created_at = now();
        let command = form.to_command(Timestamp(created_at))?;
        let store = self.store.get_value().ok_or_else(|| {
            OrderFormErrors::whole_form("Orders are still loading; try again in a moment.")
        })?;
        let order_id = new_id();
        let meta = CommandMeta::direct(new_id(), created_at);
        let appended = execute::<Order, _>(
            &*store,
            &format!("order-{order_id}"),
            &OrderCommand::Create(command),
            &meta,
        )
        .await
        .map_err(|error| match error {
            ExecuteError::Domain(refusal) => {
                OrderFormErrors::whole_form(format!("The order was not saved: {refusal}."))
            }
            other => OrderFormErrors::whole_form(format!("The order was not saved: {other}.")),
        })?;
        let applied = self
            .set_orders
            .try_update(|runner| runner.apply_all(&appended))
            .unwrap_or(0);
        if applied < appended.len() {
            // Another tab wrote in between: read what this tab has not seen.
            self.catch_up(&store)
                .await
                .map_err(|error| OrderFormErrors::whole_form(format!("The order was saved, but the list could not be refreshed: {error}. Reload the page.")))?;
        }
        Ok(())
    }

    /// Switches between the light and the dark theme, and remembers the choice.
    pub fn toggle_theme(self) {
        let theme = self.theme.get_untracked().toggled();
        prefs::save_theme(theme);
        self.set_theme.set(theme);
    }
}
