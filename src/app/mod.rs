//! The shell: wires the domain and the engine to the browser. [`AppCtx`] is a set of small
//! handles, each a capability in a file of its own: the [`Log`] (the store, its status, the
//! other tabs), the [`Views`] (the read side in signals, time travel), [`Commands`], the
//! [`BulkLoads`], [`Backups`], the [`Device`] and [`Syncing`]. Components reach them through [`use_app`];
//! only these handles write the signals.
//!
//! Business rules do not live here; they are in `domain/`. What the user typed is parsed in
//! [`crate::forms`] and the demo shop planned in [`crate::demo`], both pure and tested
//! natively.

mod backups;
pub mod bulk;
mod changes;
mod commands;
pub mod device;
pub mod event_log;
mod loads;
mod locks;
mod log;
pub mod prefs;
pub mod rescue;
mod saving;
mod service_worker;
pub mod stock;
pub mod sync;
mod syncing;
mod tabs;
mod time_travel;
mod views;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::es::SnapshotStore;
use crate::read;

pub use backups::Backups;
pub use changes::LeftOut;
pub(crate) use commands::preload_writes;
pub use commands::{new_id, Commands, NotSaved};
pub use device::Device;
pub use loads::{BulkLoads, BulkProgress};
pub use log::{Log, StoreStatus, DATABASE_NAME};
pub use syncing::{Problem, SyncStatus, Syncing};
pub use time_travel::{PastView, TimeTravel};
pub use views::Views;

/// A start that replayed at least this many events saves the read models, so that the next
/// start replays only what comes after.
const SAVE_AFTER_REPLAYING: usize = 1_000;

/// The app's handles, provided once at the root.
#[derive(Clone, Copy)]
pub struct AppCtx {
    pub log: Log,
    pub views: Views,
    pub commands: Commands,
    pub loads: BulkLoads,
    pub backups: Backups,
    pub device: Device,
    pub syncing: Syncing,
}

/// The app's context. Panics outside the component tree that [`AppCtx::provide`] set up.
#[must_use]
pub fn use_app() -> AppCtx {
    expect_context::<AppCtx>()
}

impl AppCtx {
    /// Creates the context, provides it to the component tree, and starts opening the store
    /// and replaying the log into the read models.
    #[must_use]
    pub fn provide() -> AppCtx {
        let log = Log::new();
        let views = Views::new(log);
        let device = Device::watch();
        let syncing = Syncing::new();
        let commands = Commands {
            log,
            views,
            device,
            syncing,
            kept: StoredValue::new_local(commands::KeptStates::default()),
        };
        let ctx = AppCtx {
            log,
            views,
            commands,
            loads: BulkLoads::new(&commands),
            backups: Backups::new(&commands),
            device,
            syncing,
        };
        provide_context(ctx);
        spawn_local(ctx.open());
        ctx
    }

    /// Opens the store, restores the read side and replays the log's tail into it, runs the
    /// stock commands left queued, then follows the other tabs. Once the orders show, the
    /// write side's code is fetched (`commands::run_later`), so the first change seldom
    /// waits for it; a change made before it arrives waits, and one made while it cannot
    /// arrive says why it is not saved.
    async fn open(self) {
        let Some(store) = self.log.open().await else {
            return;
        };
        let loaded = async {
            self.views.restore(&store).await?;
            let replayed = self.views.catch_up(&store).await?;
            self.commands.run_stock(&store).await?;
            Ok(replayed)
        };
        match loaded.await {
            Ok(replayed) => {
                if replayed >= SAVE_AFTER_REPLAYING {
                    self.views.save();
                }
                self.log.ready();
                spawn_local(async {
                    let _ = preload_writes().await;
                });
            }
            Err(error) => return self.log.failed(&error),
        }
        let commands = self.commands;
        self.log.listen(move || commands.refresh());
        self.views.save_when_hidden();
        Syncing::run(&self, std::rc::Rc::clone(&store));
        // Once the shop shows: the copies saved by earlier versions only take space. Failing
        // to delete them loses nothing; the next start tries again.
        let _ = store.delete_read_models(&read::RETIRED_COPIES).await;
    }
}
