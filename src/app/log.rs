//! The log in this browser, as the shell holds it: opening the IndexedDB store (and what the
//! seller is told while it opens, or when it cannot), the other tabs that write to it, and
//! the reads the event log and an order's history page through.

use std::rc::Rc;

use leptos::prelude::*;

use super::event_log::{self, EventPage, EventQuery};
use super::tabs::TabChannel;
use crate::domain::Currency;
use crate::es::idb::{Durability, IdbStore, Wait};
use crate::es::{Envelope, EventStore, StoreError};
use crate::read::history::HistoryRow;

/// The IndexedDB database the app keeps its log in.
pub const DATABASE_NAME: &str = "orderlog";

/// Whether the event store can be used yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreStatus {
    Opening,
    /// Opening waits for another tab that holds the data open with an older version.
    Blocked,
    /// Opening moves the log of an older version into this version's storage, once.
    Upgrading,
    Ready,
    /// A newer orderlog in another tab needed the data: this tab let go of it and must be
    /// reloaded to go on.
    Superseded,
    /// The browser refused: the message says what happened and what to do.
    Failed(String),
}

/// The open store, its status and the channel to the other tabs.
#[derive(Clone, Copy)]
pub struct Log {
    pub status: ReadSignal<StoreStatus>,
    set_status: WriteSignal<StoreStatus>,
    store: StoredValue<Option<Rc<IdbStore>>, LocalStorage>,
    tabs: StoredValue<Option<Rc<TabChannel>>, LocalStorage>,
}

impl Log {
    pub(super) fn new() -> Log {
        let (status, set_status) = signal(StoreStatus::Opening);
        Log {
            status,
            set_status,
            store: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
        }
    }

    /// Opens the database (waiting, and saying so, while an older tab blocks an upgrade or
    /// an upgrade moves the log).
    /// `None`, with the status saying why, when the browser refuses.
    pub(super) async fn open(self) -> Option<Rc<IdbStore>> {
        let waiting = move |wait| {
            self.set_status.set(match wait {
                Wait::Blocked => StoreStatus::Blocked,
                Wait::MovingTheLog => StoreStatus::Upgrading,
            });
        };
        let opened = IdbStore::open_or_wait(DATABASE_NAME, Durability::Strict, waiting).await;
        self.set_status.set(StoreStatus::Opening);
        let store = match opened {
            Ok(store) => Rc::new(store),
            Err(error) => {
                self.failed(&error);
                return None;
            }
        };
        store.close_when_outdated(move || self.set_status.set(StoreStatus::Superseded));
        self.store.set_value(Some(Rc::clone(&store)));
        Some(store)
    }

    pub(super) fn ready(self) {
        self.set_status.set(StoreStatus::Ready);
    }

    /// The log could not be read: the views cannot be trusted until a reload.
    pub(super) fn failed(self, error: &StoreError) {
        self.set_status.set(StoreStatus::Failed(format!(
            "Orders cannot be loaded: {error}. Check that this browser allows site storage \
             (it is off in some private windows), close other orderlog tabs, and reload."
        )));
    }

    /// The open store, or why there is none yet.
    pub(super) fn store(self) -> Result<Rc<IdbStore>, String> {
        self.store
            .get_value()
            .ok_or_else(|| "Orders are still loading; try again in a moment.".to_owned())
    }

    fn store_for_reading(self) -> Result<Rc<IdbStore>, StoreError> {
        self.store
            .get_value()
            .ok_or_else(|| StoreError::Storage("the log is still opening".into()))
    }

    /// Listens to the other tabs: `on_news` runs whenever one of them wrote.
    pub(super) fn listen(self, on_news: impl FnMut() + 'static) {
        self.tabs.set_value(TabChannel::open(on_news).map(Rc::new));
    }

    /// Tells the other tabs the log's head moved to `last`.
    pub(super) fn announce(self, last: Option<&Envelope>) {
        if let (Some(head), Some(tabs)) = (last, self.tabs.get_value()) {
            tabs.announce(head.seq);
        }
    }

    /// Tells the other tabs the whole log was replaced, so they reload.
    pub(super) fn announce_replaced(self) {
        if let Some(tabs) = self.tabs.get_value() {
            tabs.announce_replaced();
        }
    }

    /// An order's history: the rows of the events of its stream from `from_version` on,
    /// oldest first.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn history(
        self,
        stream_id: String,
        from_version: u64,
        currency: Currency,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        let store = self.store_for_reading()?;
        let events = store.read_stream(&stream_id, from_version).await?;
        Ok(events
            .iter()
            .map(|event| HistoryRow::of(event, currency))
            .collect())
    }

    /// Reads a page of the log for the event-log view.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn event_page(self, query: EventQuery) -> Result<EventPage, StoreError> {
        let store = self.store_for_reading()?;
        event_log::page(&*store, &query).await
    }

    /// Every event of the log, read in batches: what a backup holds.
    pub(super) async fn read_everything(self) -> Result<Vec<Envelope>, StoreError> {
        let store = self.store_for_reading()?;
        let mut events = Vec::new();
        loop {
            let batch = store
                .read_all(events.len() as u64 + 1, crate::es::READ_BATCH)
                .await?;
            let full = batch.len() == crate::es::READ_BATCH as usize;
            events.extend(batch);
            if !full {
                return Ok(events);
            }
        }
    }
}
