//! The shell: wires the domain and the engine to the browser. It opens the IndexedDB store,
//! restores the saved read models and replays the log's tail into them, keeps them in
//! signals (and is the only place that writes them), turns the UI's requests into commands,
//! and keeps open tabs in sync. Components reach it through [`use_app`].
//!
//! Business rules do not live here; they are in `domain/`. What the user typed is parsed in
//! [`forms`], which is pure and tested natively.

pub mod event_log;
pub mod forms;
mod locks;
pub mod prefs;
mod tabs;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{Currency, Order, OrderCommand, Timestamp};
use crate::es::idb::{Durability, IdbStore};
use crate::es::{
    catch_up, execute, CommandMeta, EventStore, ExecuteError, Projection, ProjectionRunner,
    SnapshotStore, StoreError, UnreadableEvents, READ_BATCH,
};
use crate::read::ReadModels;
use forms::{OrderForm, OrderFormErrors};
use prefs::Theme;
use tabs::TabChannel;

/// The currency of every order the new-order form creates.
pub const SHOP_CURRENCY: Currency = Currency::new(*b"USD");

/// The IndexedDB database the app keeps its log in.
pub const DATABASE_NAME: &str = "orderlog";

/// A start that replayed at least this many events saves the read models, so that the next
/// start replays only what comes after.
const SAVE_AFTER_REPLAYING: usize = 1_000;

/// The Web Lock held while saving read models: one tab writes them at a time.
const SAVE_LOCK: &str = "orderlog-save-read-models";

/// Whether the event store can be used yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreStatus {
    Opening,
    Ready,
    /// The browser refused: the message says what happened and what to do.
    Failed(String),
}

/// The read models as they were after an earlier event: what time travel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PastView {
    /// The seq of the last event folded in.
    pub after: u64,
    pub models: ReadModels,
}

/// Where time travel stands.
// One value, kept in one signal: boxing the past read models would save no memory that
// matters.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum TimeTravel {
    Live,
    /// Replaying the log up to this seq.
    Loading(u64),
    Past(PastView),
}

/// The app's state and its dispatcher, provided once at the root. Components read the
/// signals and call the methods; only this module writes the signals.
#[derive(Clone, Copy)]
pub struct AppCtx {
    /// The read models, up to date with the log.
    pub live: ReadSignal<ReadModels>,
    /// Live, or the past the user travelled to.
    pub time_travel: ReadSignal<TimeTravel>,
    pub status: ReadSignal<StoreStatus>,
    pub theme: ReadSignal<Theme>,
    set_live: WriteSignal<ReadModels>,
    set_time_travel: WriteSignal<TimeTravel>,
    set_status: WriteSignal<StoreStatus>,
    set_theme: WriteSignal<Theme>,
    store: StoredValue<Option<Rc<IdbStore>>, LocalStorage>,
    tabs: StoredValue<Option<Rc<TabChannel>>, LocalStorage>,
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

fn not_loaded(error: &StoreError) -> StoreStatus {
    StoreStatus::Failed(format!(
        "Orders cannot be loaded: {error}. Check that this browser allows site storage \
         (it is off in some private windows), close other orderlog tabs, and reload."
    ))
}

impl AppCtx {
    /// Creates the context, provides it to the component tree, and starts opening the store
    /// and replaying the log into the read models.
    #[must_use]
    pub fn provide() -> AppCtx {
        let (live, set_live) = signal(ReadModels::default());
        let (time_travel, set_time_travel) = signal(TimeTravel::Live);
        let (status, set_status) = signal(StoreStatus::Opening);
        let (theme, set_theme) = signal(prefs::load_theme());
        let ctx = AppCtx {
            live,
            time_travel,
            status,
            theme,
            set_live,
            set_time_travel,
            set_status,
            set_theme,
            store: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
        };
        provide_context(ctx);
        spawn_local(ctx.open());
        ctx
    }

    async fn open(self) {
        let store = match IdbStore::open(DATABASE_NAME, Durability::Strict).await {
            Ok(store) => Rc::new(store),
            Err(error) => return self.set_status.set(not_loaded(&error)),
        };
        self.store.set_value(Some(Rc::clone(&store)));
        let loaded = async {
            self.set_live.set(restore(&store).await?);
            self.catch_up(&store).await
        };
        match loaded.await {
            Ok(replayed) => {
                if replayed >= SAVE_AFTER_REPLAYING {
                    self.save_read_models();
                }
                self.set_status.set(StoreStatus::Ready);
            }
            Err(error) => return self.set_status.set(not_loaded(&error)),
        }
        let channel = TabChannel::open(move || spawn_local(self.refresh()));
        self.tabs.set_value(channel.map(Rc::new));
        save_when_hidden(self);
    }

    /// Applies every stored event the read models have not seen yet, and says how many.
    async fn catch_up(self, store: &IdbStore) -> Result<usize, StoreError> {
        catch_up(
            store,
            || self.live.with_untracked(ReadModels::checkpoint),
            |batch| {
                self.set_live
                    .try_update(|models| models.apply_all(batch))
                    .unwrap_or(0)
            },
        )
        .await
    }

    /// Another tab wrote: read what this tab has not seen.
    async fn refresh(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        if let Err(error) = self.catch_up(&store).await {
            self.set_status.set(not_loaded(&error));
        }
    }

    /// Saves the read models with their checkpoints, unless another tab is saving them.
    fn save_read_models(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        locks::if_available(SAVE_LOCK, move || async move {
            let saved = self.live.with_untracked(|models| {
                [
                    models.orders.save(),
                    models.dashboard.save(),
                    models.products.save(),
                ]
            });
            // Not saving one only makes the next start replay more of the log for it.
            for saved in saved.into_iter().flatten() {
                let _ = store.save_read_model(&saved).await;
            }
        });
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
        .map_err(|error| {
            let reason = match error {
                ExecuteError::Domain(refusal) => refusal.to_string(),
                other => other.to_string(),
            };
            OrderFormErrors::whole_form(format!("The order was not saved: {reason}."))
        })?;
        let applied = self
            .set_live
            .try_update(|models| models.apply_all(&appended))
            .unwrap_or(0);
        if applied < appended.len() {
            // Another tab wrote in between: read what this tab has not seen.
            self.catch_up(&store).await.map_err(|error| {
                OrderFormErrors::whole_form(format!(
                    "The order was saved, but the list could not be refreshed: {error}. Reload the page."
                ))
            })?;
        }
        if let (Some(head), Some(tabs)) = (appended.last(), self.tabs.get_value()) {
            tabs.announce(head.seq);
        }
        Ok(())
    }

    /// Calls `read` with the read models the views show: live, or the past travelled to.
    pub fn with_models<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.time_travel.with(|travel| match travel {
            TimeTravel::Past(past) => read(&past.models),
            TimeTravel::Live | TimeTravel::Loading(_) => self.live.with(read),
        })
    }

    /// Shows the read models as they were after event `seq` (the log is replayed up to it),
    /// or live again for `None`.
    pub fn travel_to(self, seq: Option<u64>) {
        let Some(seq) = seq else {
            return self.set_time_travel.set(TimeTravel::Live);
        };
        let Some(store) = self.store.get_value() else {
            return;
        };
        self.set_time_travel.set(TimeTravel::Loading(seq));
        spawn_local(async move {
            match replay_until(&store, seq).await {
                // A later request replaced this one meanwhile: drop this result.
                Ok(_) if self.time_travel.get_untracked() != TimeTravel::Loading(seq) => {}
                Ok(models) => self
                    .set_time_travel
                    .set(TimeTravel::Past(PastView { after: seq, models })),
                Err(error) => {
                    self.set_time_travel.set(TimeTravel::Live);
                    self.set_status.set(not_loaded(&error));
                }
            }
        });
    }

    /// Reads a page of the log for the event-log view.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn event_page(
        self,
        query: event_log::EventQuery,
    ) -> Result<event_log::EventPage, StoreError> {
        let store = self
            .store
            .get_value()
            .ok_or_else(|| StoreError::Storage("the log is still opening".into()))?;
        event_log::page(&*store, &query).await
    }

    /// Switches between the light and the dark theme, and remembers the choice.
    pub fn toggle_theme(self) {
        let theme = self.theme.get_untracked().toggled();
        prefs::save_theme(theme);
        self.set_theme.set(theme);
    }
}

/// The read models as saved, each when its saved copy fits this log; otherwise empty, to be
/// rebuilt by replaying the whole log. An unreadable saved copy is the same as none.
async fn restore(store: &IdbStore) -> Result<ReadModels, StoreError> {
    Ok(ReadModels {
        orders: restore_one(store).await?,
        dashboard: restore_one(store).await?,
        products: restore_one(store).await?,
    })
}

/// One read model from its saved copy, checked against the log's event at its checkpoint.
async fn restore_one<P>(store: &IdbStore) -> Result<ProjectionRunner<P>, StoreError>
where
    P: Projection + Default + serde::de::DeserializeOwned,
{
    let saved = store.load_read_model(P::NAME).await.unwrap_or(None);
    let at_checkpoint = match &saved {
        Some(saved) => store
            .read_all(saved.checkpoint, 1)
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    Ok(ProjectionRunner::restore(
        saved,
        at_checkpoint.as_ref(),
        UnreadableEvents::SkipAndReport,
    ))
}

/// Saves the read models whenever the page is hidden (tab switched, window closed), the last
/// moment a browser reliably gives a page.
fn save_when_hidden(app: AppCtx) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            app.save_read_models();
        }
    });
    // The listener lives as long as the page.
    let _ = document.add_event_listener_with_callback(
        "visibilitychange",
        wasm_bindgen::JsCast::unchecked_ref(on_change.as_ref()),
    );
    on_change.forget();
}

/// Fresh read models folded from the log's events up to and including `seq`.
async fn replay_until(store: &IdbStore, seq: u64) -> Result<ReadModels, StoreError> {
    let mut models = ReadModels::default();
    while models.checkpoint() < seq {
        let from = models.checkpoint() + 1;
        let limit = u32::try_from(seq - models.checkpoint())
            .unwrap_or(READ_BATCH)
            .min(READ_BATCH);
        let batch = store.read_all(from, limit).await?;
        if models.apply_all(&batch) == 0 {
            break;
        }
    }
    Ok(models)
}
