//! Sync as the seller runs it: the settings kept on this device (never in a backup), the one
//! tab that syncs (under a Web Lock; the others record their commands for it, and it hears
//! of them through the tabs' channel), what the shell is told, and the read side brought up
//! to date after each sync.
//!
//! The syncing tab runs one loop: connect, find the shop (or start it, or refuse a join that
//! would mix two shops' orders), sync, then wait for a push heard from another device, a
//! command made here, or ten seconds of quiet, and sync again. A lost connection is tried
//! again after 1 s, 2 s, 4 s, … up to 30 s, or at once when the browser comes back online.

use std::pin::pin;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_storage::Storage as _;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use serde::{Deserialize, Serialize};

use super::commands::{now, KeptStates};
use super::device::online;
use super::sync::ShopDecider;
use super::{locks, AppCtx};
use crate::es::idb::IdbStore;
use crate::es::{EventStore, StoreError};
use crate::forms::sync::SyncSettings;
use crate::sync::{
    NatsClient, Refused, ShopLog, SyncEngine, SyncError, Synced, WebSocketTransport,
};
use crate::tasks::{after_ms, split_point, Later};

/// Where the settings are kept: this device's localStorage, never the log or a backup.
const SETTINGS: &str = "orderlog.sync";
/// The Web Lock the syncing tab holds.
const LOCK: &str = "orderlog-sync";
const FIRST_RETRY_MS: i32 = 1_000;
const LAST_RETRY_MS: i32 = 30_000;
/// A pull this far behind the shop shows its progress.
const SHOWN_FROM: u64 = 1_000;

/// What this device keeps of sync.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    settings: Option<SyncSettings>,
    on: bool,
    /// The server let this device read the shop's log and nothing else.
    read_only: bool,
    /// When the server last confirmed every change of this device (UTC ms).
    confirmed_at: Option<i64>,
}

/// What the shell says of sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// Sync is off: this browser holds the shop's only copy.
    Off,
    Connecting,
    /// Pulling the shop's log: `pulled` of its `of` events.
    Pulling {
        pulled: u64,
        of: u64,
    },
    /// Every change here is in the shop's log.
    Synced,
    /// Changes made here, not yet in the shop's log.
    Waiting {
        changes: u64,
    },
    /// The browser is offline.
    Offline {
        changes: u64,
    },
    /// Another tab of this browser syncs.
    InAnotherTab,
    /// Sync stopped for this reason, and is tried again (unless the seller must choose).
    Stopped(Problem),
}

/// Why sync stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No server answers at the address, or the connection was lost.
    Unreachable { server: String, why: String },
    /// The server refused the user or password.
    NotAllowed,
    /// The server has no shop of that name.
    NoShop { shop: String, may_start: bool },
    /// This device and the shop both have orders: joining would mix them.
    BothHaveOrders { here: u64, shop: u64 },
    /// The server keeps no logs for this user's shop.
    NoJetStream,
    /// Anything else, in words.
    Other(String),
}

/// Why a connection's session ended.
enum Ended {
    /// The connection, the server or the store failed: tried again later.
    Failed(SyncError),
    /// The seller must act first.
    Stuck(Problem),
}

impl From<SyncError> for Ended {
    fn from(error: SyncError) -> Ended {
        Ended::Failed(error)
    }
}

impl From<StoreError> for Ended {
    fn from(error: StoreError) -> Ended {
        Ended::Failed(error.into())
    }
}

/// What the page asks of the syncing loop.
enum Ask {
    /// Sync now: a command was made, the network came back, the settings changed.
    Sync,
    /// Start the shop on the server from this device.
    StartShop,
    /// Take a refused command off the list.
    Dismiss(String),
}

/// Sync's handle: its settings, its state as signals, and what the seller asks of it.
#[derive(Clone, Copy)]
pub struct Syncing {
    kept: RwSignal<Kept>,
    /// Whether this device only reads: a memo, so that what depends on it (every form) is
    /// redrawn only when it changes, not each time a sync confirms something.
    reading: Memo<bool>,
    /// The one server this page may connect to, set at its start; `None`: none.
    allowed: StoredValue<Option<String>, LocalStorage>,
    pub status: RwSignal<SyncStatus>,
    /// Commands the shop's order refused when they were decided again, oldest first.
    pub refused: RwSignal<Vec<Refused>>,
    asks: StoredValue<Option<mpsc::UnboundedSender<Ask>>, LocalStorage>,
}

impl Syncing {
    pub(super) fn new() -> Syncing {
        let kept: Kept = gloo_storage::LocalStorage::get(SETTINGS).unwrap_or_default();
        let status = if kept.on {
            SyncStatus::Connecting
        } else {
            SyncStatus::Off
        };
        let allowed = kept.settings.as_ref().map(|s| s.origin().to_owned());
        allow_only(allowed.as_deref());
        let kept = RwSignal::new(kept);
        Syncing {
            allowed: StoredValue::new_local(allowed),
            reading: Memo::new(move |_| kept.with(|kept| kept.on && kept.read_only)),
            kept,
            status: RwSignal::new(status),
            refused: RwSignal::new(Vec::new()),
            asks: StoredValue::new_local(None),
        }
    }

    /// The settings kept on this device, if any.
    #[must_use]
    pub fn settings(self) -> Option<SyncSettings> {
        self.kept.with(|kept| kept.settings.clone())
    }

    /// Whether this device syncs.
    #[must_use]
    pub fn on(self) -> bool {
        self.kept.with(|kept| kept.on)
    }

    /// Whether the server lets this device read its shop and nothing else: it makes no
    /// changes then.
    #[must_use]
    pub fn read_only(self) -> bool {
        self.reading.get()
    }

    /// When the server last confirmed every change made here.
    #[must_use]
    pub fn confirmed_at(self) -> Option<i64> {
        self.kept.with(|kept| kept.confirmed_at)
    }

    /// Whether commands made here are recorded for sync, to be decided again if the shop's
    /// order changes under them.
    pub(super) fn recording(self) -> bool {
        self.kept.with_untracked(|kept| kept.settings.is_some())
    }

    /// Starts syncing with `settings`, kept on this device. A server this page may not
    /// connect to yet reloads it: its Content-Security-Policy is set once, at its start.
    pub fn start(self, settings: SyncSettings) {
        let reload = self.allowed.get_value().as_deref() != Some(settings.origin());
        self.keep(|kept| {
            if kept.settings.as_ref() != Some(&settings) {
                kept.read_only = false;
                kept.confirmed_at = None;
            }
            kept.settings = Some(settings);
            kept.on = true;
        });
        self.status.set(SyncStatus::Connecting);
        if reload {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
                return;
            }
        }
        self.ask(Ask::Sync);
    }

    /// Stops syncing; the settings stay, so Start goes on where it stopped.
    pub fn stop(self) {
        self.keep(|kept| kept.on = false);
        self.ask(Ask::Sync);
    }

    /// Starts the shop on the server from this device's log.
    pub fn start_shop(self) {
        self.ask(Ask::StartShop);
    }

    /// Takes a refused command off the list.
    pub fn dismiss(self, command_id: String) {
        self.ask(Ask::Dismiss(command_id));
    }

    /// Asks for a sync now: a command was made here or in another tab, or the seller chose.
    pub fn nudge(self) {
        self.ask(Ask::Sync);
    }

    fn ask(self, ask: Ask) {
        if let Some(asks) = self.asks.get_value() {
            let _ = asks.unbounded_send(ask);
        }
    }

    fn keep(self, change: impl FnOnce(&mut Kept)) {
        self.kept.update(change);
        // A browser that refuses localStorage keeps the settings for this page's life.
        let _ = self
            .kept
            .with_untracked(|kept| gloo_storage::LocalStorage::set(SETTINGS, kept));
    }

    /// Runs the sync loop in this tab while it holds the sync lock; until then the shell
    /// says another tab syncs.
    pub(super) fn run(ctx: &AppCtx, store: Rc<IdbStore>) {
        let ctx = *ctx;
        let syncing = ctx.syncing;
        let (asks, incoming) = mpsc::unbounded();
        syncing.asks.set_value(Some(asks));
        if syncing.on() {
            syncing.status.set(SyncStatus::InAnotherTab);
        }
        Effect::new(move |_| {
            // Gone offline: let go of the connection. Back online: try at once.
            ctx.device.online.track();
            syncing.nudge();
        });
        locks::hold(LOCK, move || async move {
            let mut incoming = incoming;
            let Some(start_shop) = syncing.until_configured(&mut incoming).await else {
                return;
            };
            match sync_loop(syncing, ctx, store, incoming, start_shop).await {
                Ok(running) => running.await,
                Err(_) => syncing.status.set(SyncStatus::Stopped(Problem::Other(
                    "this version's sync did not arrive (offline before the app was kept?): \
                     reload orderlog"
                        .into(),
                ))),
            }
        });
    }

    /// Waits, sync off, until this device has sync settings: a device that never synced
    /// fetches sync's code only when the seller first starts it. Whether the seller asked to
    /// start the shop meanwhile; `None` once the page closes the channel.
    async fn until_configured(self, asks: &mut mpsc::UnboundedReceiver<Ask>) -> Option<bool> {
        let mut start_shop = false;
        while self.kept.with_untracked(|kept| kept.settings.is_none()) {
            self.status.set(SyncStatus::Off);
            start_shop = matches!(asks.next().await?, Ask::StartShop);
        }
        Some(start_shop)
    }

    async fn sync_loop(
        self,
        ctx: &AppCtx,
        store: Rc<IdbStore>,
        mut asks: mpsc::UnboundedReceiver<Ask>,
        mut start_shop: bool,
    ) {
        self.load_refused(&store).await;
        let mut retry_ms = FIRST_RETRY_MS;
        loop {
            let settings = self.kept.with_untracked(|kept| kept.settings.clone());
            let Some(settings) = settings.filter(|_| self.on()) else {
                self.status.set(SyncStatus::Off);
                start_shop = matches!(asks.next().await, Some(Ask::StartShop));
                continue;
            };
            let outcome = if online() {
                Session::new(self, ctx, &store, settings)
                    .run(&mut asks, start_shop)
                    .await
            } else {
                Err(Ended::Failed(SyncError::Unreachable("offline".into())))
            };
            start_shop = false;
            let wait = match outcome {
                Ok(()) => {
                    retry_ms = FIRST_RETRY_MS;
                    continue;
                }
                Err(Ended::Stuck(problem)) => {
                    self.status.set(SyncStatus::Stopped(problem));
                    None
                }
                Err(Ended::Failed(error)) => {
                    let status = self.problem(&store, error).await;
                    let stays = status == SyncStatus::Stopped(Problem::NotAllowed);
                    self.status.set(status);
                    (!stays).then_some(retry_ms)
                }
            };
            retry_ms = (retry_ms * 2).min(LAST_RETRY_MS);
            // Until the next try, or until the seller asks.
            let asked = match wait {
                Some(ms) => match select(pin!(after_ms(ms)), asks.next()).await {
                    Either::Left(((), _)) => None,
                    Either::Right((ask, _)) => ask,
                },
                None => asks.next().await,
            };
            match asked {
                Some(Ask::StartShop) => start_shop = true,
                Some(Ask::Dismiss(command_id)) => self.dismiss_here(&store, &command_id).await,
                Some(Ask::Sync) => retry_ms = FIRST_RETRY_MS,
                // The wait ran out: the next one is longer.
                None => {}
            }
        }
    }

    /// The refused list as the saved sync state has it.
    async fn load_refused(self, store: &IdbStore) {
        if let Ok(engine) = saved_engine(store).await {
            self.refused.set(engine.state().refused.clone());
        }
    }

    /// Takes a refused command off the list while no session runs.
    async fn dismiss_here(self, store: &IdbStore, command_id: &str) {
        if let Ok(mut engine) = saved_engine(store).await {
            if engine.dismiss(store, command_id).await.is_ok() {
                self.refused.set(engine.state().refused.clone());
            }
        }
    }

    /// What the shell says after `error` stopped a sync.
    async fn problem(self, store: &IdbStore, error: SyncError) -> SyncStatus {
        let server = self
            .settings()
            .map(|settings| settings.server)
            .unwrap_or_default();
        match error {
            SyncError::Unreachable(_) if !online() => SyncStatus::Offline {
                changes: pending(store).await.unwrap_or_default(),
            },
            SyncError::Unreachable(why) => {
                SyncStatus::Stopped(Problem::Unreachable { server, why })
            }
            SyncError::NotAllowed(_) => SyncStatus::Stopped(Problem::NotAllowed),
            SyncError::NoJetStream => SyncStatus::Stopped(Problem::NoJetStream),
            SyncError::Refused(why) | SyncError::Protocol(why) => {
                SyncStatus::Stopped(Problem::Other(why))
            }
            SyncError::Store(error) => SyncStatus::Stopped(Problem::Other(error.to_string())),
        }
    }
}

split_point! {
    sync_loop;
    /// The sync loop. A split point, like the views loaded when first opened (`ui/later.rs`):
    /// the connection, the sync engine and the NATS client are fetched after the first download,
    /// once the tab holds the sync lock and the device has sync settings.
    fn sync_loop(
        syncing: Syncing,
        ctx: AppCtx,
        store: Rc<IdbStore>,
        asks: mpsc::UnboundedReceiver<Ask>,
        start_shop: bool,
    ) -> Result<Later<()>, SplitLoaderError> {
        Ok(Box::pin(async move {
            syncing.sync_loop(&ctx, store, asks, start_shop).await;
        }))
    }
}

/// Narrows the page's Content-Security-Policy to connect to its own origin and `server`
/// only (none without one): a second policy, which a browser applies on top of the first,
/// so it can only take away. The built page allows any `wss:` so that a new server can be
/// tried; once chosen, only it.
fn allow_only(server: Option<&str>) {
    // The benchmark build syncs from its entry points, not from settings.
    if cfg!(feature = "bench") {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let policy = match server {
        Some(origin) => format!("connect-src 'self' {origin}"),
        None => "connect-src 'self'".to_owned(),
    };
    let added = document.create_element("meta").and_then(|meta| {
        meta.set_attribute("http-equiv", "Content-Security-Policy")?;
        meta.set_attribute("content", &policy)?;
        match document.query_selector("head")? {
            Some(head) => head.append_child(&meta).map(drop),
            None => Ok(()),
        }
    });
    // Without it the page keeps the built policy, which allows WebSockets to any wss: host.
    let _ = added;
}

/// An engine over the sync state `store` saved, for reading it or dismissing a refusal
/// while no session runs: neither needs the shop's name.
async fn saved_engine(store: &IdbStore) -> Result<SyncEngine, StoreError> {
    SyncEngine::open(store, ShopLog::new("", 1)).await
}

/// Events of the log not yet in the shop's order, as the saved sync state says.
async fn pending(store: &IdbStore) -> Result<u64, StoreError> {
    let engine = saved_engine(store).await?;
    let head = store.last().await?.map_or(0, |event| event.seq);
    Ok(head.saturating_sub(engine.state().confirmed()))
}

/// One connection's life: from connecting to the connection lost or the settings changed.
struct Session<'a> {
    syncing: Syncing,
    ctx: AppCtx,
    store: &'a Rc<IdbStore>,
    settings: SyncSettings,
}

impl<'a> Session<'a> {
    fn new(
        syncing: Syncing,
        ctx: &AppCtx,
        store: &'a Rc<IdbStore>,
        settings: SyncSettings,
    ) -> Self {
        Session {
            syncing,
            ctx: *ctx,
            store,
            settings,
        }
    }

    /// Syncs until the connection is lost (an error) or the seller stops sync or changes its
    /// settings (`Ok`).
    async fn run(
        self,
        asks: &mut mpsc::UnboundedReceiver<Ask>,
        start_shop: bool,
    ) -> Result<(), Ended> {
        let store = &**self.store;
        self.syncing.status.set(SyncStatus::Connecting);
        let transport = WebSocketTransport::open(&self.settings.server).await?;
        let mut client =
            NatsClient::connect(transport, &self.settings.user, &self.settings.password).await?;
        // Three copies on a cluster; a single server keeps one (`SyncEngine::start`).
        let log = ShopLog::new(&self.settings.shop, 3);
        let mut engine = SyncEngine::open(store, log.clone()).await?;
        let writes = engine.may_append(&mut client).await?;
        self.syncing.keep(|kept| kept.read_only = !writes);
        if !writes {
            engine.read_only();
        }
        let here = store.last().await?.map_or(0, |event| event.seq);
        let Some(size) = engine.look_up(&mut client).await? else {
            if writes && start_shop {
                engine.start(&mut client).await?;
                engine.join(store).await?;
                return self.follow(engine, client, asks, &log).await;
            }
            return Err(Ended::Stuck(Problem::NoShop {
                shop: self.settings.shop.clone(),
                may_start: writes,
            }));
        };
        if !engine.joined() {
            // A device's first sync with this shop: its log and the shop's are not to be
            // mixed. Once joined, its pushes may be in the shop's log before its cursor
            // says so (an acknowledgement lost with the connection).
            if here > 0 && size.messages > 0 {
                return Err(Ended::Stuck(Problem::BothHaveOrders {
                    here,
                    shop: size.messages,
                }));
            }
            engine.join(store).await?;
        }
        if size.last > engine.state().cursor + SHOWN_FROM {
            let status = self.syncing.status;
            let of = size.last;
            status.set(SyncStatus::Pulling { pulled: 0, of });
            engine.on_pulled(move |pulled| status.set(SyncStatus::Pulling { pulled, of }));
        }
        self.follow(engine, client, asks, &log).await
    }

    /// Syncs now, then each time another device pushes, this device makes a command, or
    /// ten seconds pass (which also tells a lost connection).
    async fn follow(
        &self,
        mut engine: SyncEngine,
        mut client: NatsClient<WebSocketTransport>,
        asks: &mut mpsc::UnboundedReceiver<Ask>,
        log: &ShopLog,
    ) -> Result<(), Ended> {
        let settings = self.syncing.settings();
        let mut watching = false;
        loop {
            let synced = engine
                .sync(&**self.store, &mut client, &ShopDecider)
                .await?;
            engine.on_pulled(|_| {});
            let changes = self.after(&engine, &synced).await?;
            if changes > 0 && synced.pulled > 0 {
                // The stock process wrote after what was pulled: push that too.
                continue;
            }
            if !watching {
                client.watch(&log.subjects()).await?;
                watching = true;
            }
            let asked = {
                let nudged = pin!(client.nudged());
                match select(nudged, asks.next()).await {
                    Either::Left((Ok(()) | Err(SyncError::Unreachable(_)), _)) => None,
                    Either::Left((Err(error), _)) => return Err(error.into()),
                    Either::Right((ask, _)) => Some(ask),
                }
            };
            match asked {
                None | Some(Some(Ask::Sync | Ask::StartShop)) => {}
                Some(Some(Ask::Dismiss(command_id))) => {
                    engine.dismiss(&**self.store, &command_id).await?;
                    self.syncing.refused.set(engine.state().refused.clone());
                }
                Some(None) => return Ok(()),
            }
            if !online() {
                return Err(SyncError::Unreachable("offline".into()).into());
            }
            if !self.syncing.on() || self.syncing.settings() != settings {
                return Ok(());
            }
        }
    }

    /// Brings the views up to date with what a sync did, and says how many changes made
    /// here are still not in the shop's log.
    async fn after(&self, engine: &SyncEngine, synced: &Synced) -> Result<u64, StoreError> {
        let ctx = self.ctx;
        let store = &**self.store;
        if synced
            .rebased_after
            .is_some_and(|after| after < ctx.views.head())
        {
            // The log was rewritten below what the views and the kept states folded: they
            // start again from the saved read side (or the log's start); the other tabs
            // reload.
            ctx.commands.kept.with_value(KeptStates::forget);
            ctx.views.reset();
            ctx.views.restore(store).await?;
            ctx.log.announce_replaced();
        }
        let moved = synced.pulled > 0 || synced.rebased_after.is_some();
        if moved {
            ctx.commands.catch_up_and_run_stock(self.store).await?;
        }
        let last = store.last().await?;
        if moved {
            ctx.log.announce(last.as_ref());
        }
        self.syncing.refused.set(engine.state().refused.clone());
        let head = last.map_or(0, |event| event.seq);
        let changes = head.saturating_sub(engine.state().confirmed());
        if changes == 0 {
            self.syncing.keep(|kept| kept.confirmed_at = Some(now()));
            self.syncing.status.set(SyncStatus::Synced);
        } else {
            self.syncing.status.set(SyncStatus::Waiting { changes });
        }
        Ok(changes)
    }
}
