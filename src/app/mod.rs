//! The shell: wires the domain and the engine to the browser. It opens the IndexedDB store,
//! restores the saved read models and replays the log's tail into them, keeps them in
//! signals (and is the only place that writes them), turns the UI's requests into commands,
//! and keeps open tabs in sync. Components reach it through [`use_app`].
//!
//! Business rules do not live here; they are in `domain/`. What the user typed is parsed in
//! [`forms`], which is pure and tested natively.

pub mod bulk;
pub mod demo;
pub mod device;
pub mod event_log;
pub mod forms;
mod locks;
pub mod order_forms;
pub mod prefs;
pub mod product_forms;
pub mod rescue;
mod service_worker;
pub mod stock;
mod tabs;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::{
    order_stream, product_stream, Currency, Order, OrderCommand, Product, ProductCommand, Sku,
    Timestamp,
};
use crate::es::idb::{Durability, IdbStore};
use crate::es::{
    catch_up, execute, CommandMeta, Envelope, EventStore, ExecuteError, Projection, SnapshotStore,
    StoreError, UnreadableEvents, READ_BATCH,
};
use crate::read::{ReadModels, ReadSide};
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
    /// Opening waits for another tab that holds the data open with an older version.
    Blocked,
    Ready,
    /// A newer orderlog in another tab needed the data: this tab let go of it and must be
    /// reloaded to go on.
    Superseded,
    /// The browser refused: the message says what happened and what to do.
    Failed(String),
}

/// A command for one of the shop's aggregates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopCommand {
    /// For the order in stream `order_id`.
    Order {
        order_id: String,
        command: OrderCommand,
    },
    /// For the product with this SKU.
    Product { sku: Sku, command: ProductCommand },
}

/// How a bulk load (the demo shop) is going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkProgress {
    /// Commands decided so far, of `total`.
    pub done: usize,
    pub total: usize,
    pub running: bool,
    /// The seller asked to stop; the load stops between orders.
    pub stop_requested: bool,
    pub message: String,
}

/// The seed of the demo shop: the same shop every time, so loading it twice adds nothing.
const DEMO_SEED: u64 = 7;

fn reason<E: std::fmt::Display>(error: ExecuteError<E>) -> String {
    match error {
        ExecuteError::Domain(refusal) => refusal.to_string(),
        other => other.to_string(),
    }
}

/// The read models as they were after an earlier event: what time travel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PastView {
    /// The seq of the last event folded in.
    pub after: u64,
    pub models: ReadSide,
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
    /// The read side, up to date with the log.
    pub live: ReadSignal<ReadSide>,
    /// Live, or the past the user travelled to.
    pub time_travel: ReadSignal<TimeTravel>,
    pub status: ReadSignal<StoreStatus>,
    pub theme: ReadSignal<Theme>,
    set_live: WriteSignal<ReadSide>,
    set_time_travel: WriteSignal<TimeTravel>,
    set_status: WriteSignal<StoreStatus>,
    set_theme: WriteSignal<Theme>,
    store: StoredValue<Option<Rc<IdbStore>>, LocalStorage>,
    tabs: StoredValue<Option<Rc<TabChannel>>, LocalStorage>,
    /// Online or not, and the storage used; `None` until the browser answered.
    pub online: ReadSignal<bool>,
    pub storage: ReadSignal<Option<device::StorageUse>>,
    /// A newer build of the app is installed and waits for the seller to reload into it.
    pub update_ready: ReadSignal<bool>,
    /// The demo load's progress, once one started.
    pub bulk: ReadSignal<Option<BulkProgress>>,
    set_bulk: WriteSignal<Option<BulkProgress>>,
    set_storage: WriteSignal<Option<device::StorageUse>>,
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
        let (live, set_live) = signal(ReadSide::default());
        let (time_travel, set_time_travel) = signal(TimeTravel::Live);
        let (status, set_status) = signal(StoreStatus::Opening);
        let (theme, set_theme) = signal(prefs::load_theme());
        let (online, set_online) = signal(device::online());
        let (storage, set_storage) = signal(None);
        let (bulk, set_bulk) = signal(None);
        let (update_ready, set_update_ready) = signal(false);
        let ctx = AppCtx {
            update_ready,
            bulk,
            set_bulk,
            online,
            storage,
            set_storage,
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
        device::watch_online(move |online| set_online.set(online));
        ctx.refresh_storage();
        service_worker::register(move || set_update_ready.set(true));
        ctx
    }

    /// Reloads the page into the newer build that [`AppCtx::update_ready`] announced. The
    /// orders are in the log, so nothing is lost; text typed in a form and not saved is.
    pub fn reload_into_update(self) {
        service_worker::reload_into_update();
    }

    async fn open(self) {
        let blocked = move || self.set_status.set(StoreStatus::Blocked);
        let opened = IdbStore::open_or_wait(DATABASE_NAME, Durability::Strict, blocked).await;
        self.set_status.set(StoreStatus::Opening);
        let store = match opened {
            Ok(store) => Rc::new(store),
            Err(error) => return self.set_status.set(not_loaded(&error)),
        };
        store.close_when_outdated(move || self.set_status.set(StoreStatus::Superseded));
        self.store.set_value(Some(Rc::clone(&store)));
        let loaded = async {
            self.set_live.set(restore(&store).await?);
            let replayed = self.catch_up(&store).await?;
            self.run_stock(&store).await?;
            Ok(replayed)
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
        save_when_hidden(&self);
    }

    /// Applies every stored event the read models have not seen yet, and says how many.
    async fn catch_up(self, store: &IdbStore) -> Result<usize, StoreError> {
        catch_up(
            store,
            || self.live.with_untracked(ReadSide::checkpoint),
            |from, batch| self.apply_stored(from, batch),
        )
        .await
    }

    /// Folds events that follow the checkpoint into the read side (see
    /// [`crate::es::ProjectionRunner::apply_all`]), and says whether it now holds every one of
    /// them: `false` when it saw a gap (another tab wrote in between), which only a read of
    /// the store can fill.
    fn apply(self, events: &[Envelope]) -> bool {
        self.set_live
            .try_update(|side| {
                side.apply_all(events);
                events
                    .last()
                    .is_none_or(|last| side.checkpoint() >= last.seq)
            })
            .unwrap_or(false)
    }

    /// [`Self::apply`] for events read from the store from seq `from` on: seqs missing from
    /// the log are passed over and reported (see
    /// [`crate::es::ProjectionRunner::apply_stored`]).
    fn apply_stored(self, from: u64, events: &[Envelope]) -> usize {
        self.set_live
            .try_update(|side| side.apply_stored(from, events))
            .unwrap_or(0)
    }

    /// Folds events this tab wrote; reads the store only when that shows a gap.
    async fn after_write(self, store: &IdbStore, written: &[Envelope]) -> Result<(), StoreError> {
        if !self.apply(written) {
            self.catch_up(store).await?;
        }
        Ok(())
    }

    /// Runs the product commands the stock process manager has queued, then reads the events
    /// they appended. Commands the store could not take stay queued for the next run.
    async fn run_stock(self, store: &IdbStore) -> Result<(), StoreError> {
        let pending = self
            .set_live
            .try_update(|side| side.read_model_mut().stock_mut().take_pending())
            .unwrap_or_default();
        if pending.is_empty() {
            return Ok(());
        }
        let outcome = stock::run(store, pending).await;
        if !outcome.failed.is_empty() {
            self.set_live.update(|side| {
                side.read_model_mut()
                    .stock_mut()
                    .retry_later(outcome.failed);
            });
        }
        if let Some((command, reason)) = outcome.refused.first() {
            web_sys::console::warn_1(
                &format!(
                    "stock: {} refused {:?}: {reason}",
                    command.sku.as_str(),
                    command.command
                )
                .into(),
            );
        }
        self.after_write(store, &outcome.appended).await?;
        self.announce(outcome.appended.last());
        Ok(())
    }

    fn announce(self, last: Option<&Envelope>) {
        if let (Some(head), Some(tabs)) = (last, self.tabs.get_value()) {
            tabs.announce(head.seq);
        }
    }

    /// Another tab wrote: read what this tab has not seen.
    async fn refresh(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        if let Err(error) = self.catch_up_and_run_stock(&store).await {
            self.set_status.set(not_loaded(&error));
        }
    }

    /// Saves the read models with their checkpoints, unless another tab is saving them.
    fn save_read_models(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        // Read models that left events out (unreadable or missing) are not saved: each start
        // reads the log again and reports them again, instead of a saved copy forgetting them.
        if !self.live.with_untracked(ReadSide::complete) {
            return;
        }
        locks::if_available(SAVE_LOCK, move || async move {
            // Not saving only makes the next start replay more of the log.
            if let Ok(saved) = self.live.with_untracked(ReadSide::save) {
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
        let command = form.to_command(Timestamp(now()))?;
        self.order_command(&order_stream(&new_id()), OrderCommand::Create(command))
            .await
            .map_err(OrderFormErrors::whole_form)
    }

    /// The time a command built now should carry.
    #[must_use]
    pub fn now(self) -> Timestamp {
        Timestamp(now())
    }

    /// Runs `command` on the order in stream `order_id`; see [`AppCtx::run`].
    ///
    /// # Errors
    /// What the order or the storage refused, as a sentence for the seller.
    pub async fn order_command(self, order_id: &str, command: OrderCommand) -> Result<(), String> {
        self.run(ShopCommand::Order {
            order_id: order_id.to_owned(),
            command,
        })
        .await
    }

    /// Runs a command, then brings the views up to date, runs the stock commands it calls
    /// for, and tells the other tabs.
    ///
    /// # Errors
    /// What the aggregate or the storage refused, as a sentence for the seller; nothing is
    /// written then.
    pub async fn run(self, command: ShopCommand) -> Result<(), String> {
        let store = self
            .store
            .get_value()
            .ok_or("Orders are still loading; try again in a moment.")?;
        let meta = CommandMeta::direct(new_id(), now());
        let refused = |reason: String| format!("Not saved: {reason}.");
        let appended = match &command {
            ShopCommand::Order { order_id, command } => {
                execute::<Order, _>(&*store, order_id, command, &meta)
                    .await
                    .map_err(|error| refused(reason(error)))?
            }
            ShopCommand::Product { sku, command } => {
                execute::<Product, _>(&*store, &product_stream(sku), command, &meta)
                    .await
                    .map_err(|error| refused(reason(error)))?
            }
        };
        let refreshed = async {
            self.after_write(&store, &appended).await?;
            self.announce(appended.last());
            self.refresh_storage();
            self.run_stock(&store).await
        };
        refreshed.await.map_err(|error| {
            format!("Saved, but the views could not be refreshed: {error}. Reload the page.")
        })
    }

    /// Reads what this tab has not seen, then runs the stock commands it calls for.
    async fn catch_up_and_run_stock(self, store: &IdbStore) -> Result<(), StoreError> {
        self.catch_up(store).await?;
        self.run_stock(store).await
    }

    /// Fills the store with a demo shop of `orders` orders through real commands (loading
    /// it again adds nothing), showing progress in [`AppCtx::bulk`].
    pub fn load_demo(self, orders: usize) {
        let plan = demo::plan(orders, DEMO_SEED, Timestamp(now()));
        self.run_bulk(
            "the demo shop",
            demo::planned(plan.products),
            demo::planned(plan.orders),
        );
    }

    /// Imports the orders of a previewed Shopify export (importing it again adds nothing),
    /// showing progress in [`AppCtx::bulk`]; [`AppCtx::stop_bulk`] stops it between orders.
    pub fn import(self, plan: crate::io::shopify::ImportPlan) {
        self.run_bulk("the import", plan.products, plan.commands);
    }

    /// Asks a running bulk load to stop after the orders it is writing.
    pub fn stop_bulk(self) {
        self.set_bulk.update(|bulk| {
            if let Some(bulk) = bulk {
                bulk.stop_requested = true;
            }
        });
    }

    fn run_bulk(
        self,
        what: &'static str,
        products: Vec<bulk::Planned<ProductCommand>>,
        orders: Vec<bulk::Planned<OrderCommand>>,
    ) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        if self.bulk.get_untracked().is_some_and(|b| b.running) {
            return;
        }
        self.set_bulk.set(Some(BulkProgress {
            done: 0,
            total: products.len() + orders.len(),
            running: true,
            stop_requested: false,
            message: format!("Loading {what}…"),
        }));
        spawn_local(async move {
            // The views fold each chunk as it is written, instead of reading it back.
            let gap = std::cell::Cell::new(false);
            let progress = |done, total, written: &[Envelope]| {
                if !self.apply(written) {
                    gap.set(true);
                }
                self.set_bulk
                    .try_update(|bulk| {
                        bulk.as_mut().is_some_and(|bulk| {
                            (bulk.done, bulk.total) = (done, total);
                            !bulk.stop_requested
                        })
                    })
                    .unwrap_or(false)
            };
            let loaded = bulk::load(&*store, products, orders, progress).await;
            let refreshed = async {
                // Another tab wrote in between: read what this one has not seen.
                if gap.get() {
                    self.catch_up(&store).await?;
                }
                self.run_stock(&store).await
            };
            let refreshed = refreshed.await;
            let head = store.last().await.ok().flatten();
            self.announce(head.as_ref());
            self.refresh_storage();
            let message = match (loaded, refreshed) {
                (Ok(outcome), Ok(())) => {
                    let mut message = if outcome.stopped {
                        format!(
                            "Stopped: {what} wrote {} events, whole orders only.",
                            outcome.written
                        )
                    } else {
                        format!("Done: {what} wrote {} events.", outcome.written)
                    };
                    if let Some((_, first)) = outcome.refused.first() {
                        message = format!(
                            "{message} {} commands were refused, the first: {first}.",
                            outcome.refused.len()
                        );
                    }
                    message
                }
                (Err(error), _) | (_, Err(error)) => format!("{what} failed: {error}."),
            };
            self.set_bulk.update(|bulk| {
                if let Some(bulk) = bulk {
                    bulk.running = false;
                    bulk.message = message;
                }
            });
        });
    }

    /// The whole log as a backup file (see `io::backup`), read in batches.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn backup(self) -> Result<String, StoreError> {
        let store = self
            .store
            .get_value()
            .ok_or_else(|| StoreError::Storage("the log is still opening".into()))?;
        let mut events = Vec::new();
        loop {
            let batch = store.read_all(events.len() as u64 + 1, READ_BATCH).await?;
            let full = batch.len() == READ_BATCH as usize;
            events.extend(batch);
            if !full {
                return Ok(crate::io::backup::write(&events));
            }
        }
    }

    /// Replaces everything in this browser with a proven backup's events (see
    /// `io::backup::read`), in one write, then rebuilds every view from them and makes the
    /// other tabs reload.
    ///
    /// # Errors
    /// What the storage refused; the old data is then untouched.
    pub async fn restore_backup(self, events: Vec<Envelope>) -> Result<(), String> {
        let store = self
            .store
            .get_value()
            .ok_or("Orders are still loading; try again in a moment.")?;
        store
            .replace_all(events)
            .await
            .map_err(|error| format!("Nothing was restored: {error}."))?;
        if let Some(tabs) = self.tabs.get_value() {
            tabs.announce_replaced();
        }
        self.set_time_travel.set(TimeTravel::Live);
        self.set_live.set(ReadSide::default());
        self.refresh_storage();
        self.catch_up_and_run_stock(&store).await.map_err(|error| {
            format!("Restored, but the views could not be rebuilt: {error}. Reload the page.")
        })
    }

    /// The events of one stream from `from_version` on, oldest first: an order's history.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn stream_events(
        self,
        stream_id: String,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        let store = self
            .store
            .get_value()
            .ok_or_else(|| StoreError::Storage("the log is still opening".into()))?;
        store.read_stream(&stream_id, from_version).await
    }

    /// Calls `read` with the read models the views show: live, or the past travelled to.
    pub fn with_models<T>(self, read: impl FnOnce(&ReadModels) -> T) -> T {
        self.time_travel.with(|travel| match travel {
            TimeTravel::Past(past) => read(past.models.read_model()),
            TimeTravel::Live | TimeTravel::Loading(_) => {
                self.live.with(|side| read(side.read_model()))
            }
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

    /// Reads the storage use again (after writes).
    pub fn refresh_storage(self) {
        spawn_local(async move {
            if let Some(used) = device::storage_use().await {
                self.set_storage.set(Some(used));
            }
        });
    }

    /// Switches between the light and the dark theme, and remembers the choice.
    pub fn toggle_theme(self) {
        let theme = self.theme.get_untracked().toggled();
        prefs::save_theme(theme);
        self.set_theme.set(theme);
    }
}

/// The read side as saved, when its saved copy fits this log (same projection version, the
/// hash of the event at its checkpoint matches); otherwise empty, to be rebuilt by replaying
/// the whole log. An unreadable saved copy is the same as none.
async fn restore(store: &IdbStore) -> Result<ReadSide, StoreError> {
    let saved = store
        .load_read_model(ReadModels::NAME)
        .await
        .unwrap_or(None);
    let at_checkpoint = match &saved {
        Some(saved) => store
            .read_all(saved.checkpoint, 1)
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let restoring = ReadSide::decode_saved(
        saved,
        at_checkpoint.as_ref(),
        UnreadableEvents::SkipAndReport,
    );
    // Decoding a big saved copy and rebuilding what it leaves out are a task each.
    next_task().await;
    Ok(restoring.finish())
}

/// Resolves in a later task of the page's event loop (a zero timeout), so the browser can
/// paint and handle input in between.
async fn next_task() {
    let later = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window()
            .is_some_and(|window| window.set_timeout_with_callback(&resolve).is_ok());
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(later).await;
}

/// Saves the read models whenever the page is hidden (tab switched, window closed), the last
/// moment a browser reliably gives a page.
fn save_when_hidden(app: &AppCtx) {
    let app = *app;
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

/// A fresh read side folded from the log's events up to and including `seq`.
async fn replay_until(store: &IdbStore, seq: u64) -> Result<ReadSide, StoreError> {
    let mut models = ReadSide::default();
    while models.checkpoint() < seq {
        let from = models.checkpoint() + 1;
        let limit = u32::try_from(seq - models.checkpoint())
            .unwrap_or(READ_BATCH)
            .min(READ_BATCH);
        let batch = store.read_all(from, limit).await?;
        if models.apply_stored(from, &batch) == 0 {
            break;
        }
    }
    Ok(models)
}
