//! The [`EventStore`] and [`SnapshotStore`] in the browser's IndexedDB: the one source of
//! truth, and the only file in the crate that knows IndexedDB.
//!
//! Schema, version [`SCHEMA_VERSION`], built step by step by [`upgrade`]:
//! 1. object store `events`, keyed by `seq`, with a unique index `stream` on
//!    `[stream_id, stream_version]` (two writers can never both take a stream version,
//!    whatever raced) and an index `command_id` (idempotent appends). Records are
//!    [`Envelope`]s as plain objects; the payload stays JSON text.
//! 2. object stores `snapshots` (keyed by `stream_id`) and `read_models` (keyed by `name`).

use std::collections::HashMap;
use std::future::Future;
use std::ops::RangeInclusive;

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use indexed_db_futures::index::Index;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyPath;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{
    AppendRequest, Envelope, EventStore, SavedReadModel, Snapshot, SnapshotStore, StoreError,
};

/// The database schema this code writes. Each version's upgrade step lives in [`upgrade`].
pub const SCHEMA_VERSION: u32 = 2;

const EVENTS: &str = "events";
const SNAPSHOTS: &str = "snapshots";
const READ_MODELS: &str = "read_models";
const BY_STREAM: &str = "stream";
const BY_COMMAND: &str = "command_id";
/// The largest integer a JavaScript number holds exactly; the upper bound of version ranges.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// How hard the browser must flush an append to disk before reporting it done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk before the append completes: what a record of money deserves.
    Strict,
    /// Completes once the operating system has the data: faster, may lose the last writes on
    /// a power cut.
    Relaxed,
}

/// An open orderlog database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
    durability: Durability,
}

/// The store's error for what the browser said; a full quota is told apart, so the seller
/// hears what to do about it.
fn storage(error: impl std::fmt::Display) -> StoreError {
    let said = error.to_string();
    if said.contains("QuotaExceededError") {
        StoreError::Full
    } else {
        StoreError::Storage(said)
    }
}

/// Commits `tx`. The browser refuses a write it cannot keep (a full quota) by aborting the
/// transaction as it commits, so an abort answers with the transaction's own error, not
/// only that it was aborted.
async fn commit(tx: Transaction<'_>) -> Result<(), IdbError> {
    let sys = tx.as_sys().clone();
    tx.commit()
        .await
        .map_err(|aborted| sys.error().map_or(aborted, IdbError::from))
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// Brings a database at `old_version` up to [`SCHEMA_VERSION`], one step per version.
fn upgrade(old_version: f64, db: &Database) -> Result<(), IdbError> {
    if old_version < 1.0 {
        let events = db
            .create_object_store(EVENTS)
            .with_key_path(KeyPath::from("seq"))
            .build()?;
        events
            .create_index(
                BY_STREAM,
                KeyPath::from(vec!["stream_id", "stream_version"]),
            )
            .with_unique(true)
            .build()?;
        events
            .create_index(BY_COMMAND, KeyPath::from("command_id"))
            .build()?;
    }
    if old_version < 2.0 {
        db.create_object_store(SNAPSHOTS)
            .with_key_path(KeyPath::from("stream_id"))
            .build()?;
        db.create_object_store(READ_MODELS)
            .with_key_path(KeyPath::from("name"))
            .build()?;
    }
    Ok(())
}

/// The keys `[stream_id, version]` of the stream's events from `from_version` on.
fn stream_range(stream_id: &str, from_version: u64) -> RangeInclusive<(&str, f64)> {
    #[allow(clippy::cast_precision_loss)] // stream versions stay far below 2^53
    let from = from_version as f64;
    (stream_id, from)..=(stream_id, MAX_SAFE_INTEGER)
}

/// The event with the highest seq, read with one step of a backwards cursor. The request
/// goes out at once; the returned future reads its answer.
fn last_event<'a>(
    events: &'a ObjectStore<'_>,
) -> Result<impl Future<Output = Result<Option<Envelope>, IdbError>> + 'a, IdbError> {
    let cursor = events
        .open_cursor()
        .with_direction(CursorDirection::Prev)
        .serde()?;
    Ok(async move {
        match cursor.await? {
            Some(mut cursor) => cursor.next_record_ser().await,
            None => Ok(None),
        }
    })
}

/// The stream's version: the key of its last event in the stream index, read with one step
/// of a backwards key cursor (a count would walk the whole stream). The request goes out at
/// once; the returned future reads its answer.
fn stream_version<'a>(
    by_stream: &'a Index<'_>,
    stream_id: &'a str,
) -> Result<impl Future<Output = Result<u64, IdbError>> + 'a, IdbError> {
    let cursor = by_stream
        .open_key_cursor()
        .with_query(stream_range(stream_id, 1))
        .with_direction(CursorDirection::Prev)
        .serde()?;
    Ok(async move {
        let Some(mut cursor) = cursor.await? else {
            return Ok(0);
        };
        let key: Option<(String, f64)> = cursor.next_key_ser().await?;
        // Stream versions are whole numbers far below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(key.map_or(0, |(_, version)| version as u64))
    })
}

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database called `name`.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the browser refuses to open it: IndexedDB disabled,
    /// storage blocked, or an upgrade blocked by another tab.
    pub async fn open(name: &str, durability: Durability) -> Result<IdbStore, StoreError> {
        IdbStore::open_or_wait(name, durability, || {}).await
    }

    /// Opens the database as [`IdbStore::open`] does; when an upgrade has to wait because
    /// another connection (an older tab) holds the database open, calls `blocked` and goes
    /// on waiting: the open completes once that connection closes.
    ///
    /// # Errors
    /// As [`IdbStore::open`].
    pub async fn open_or_wait(
        name: &str,
        durability: Durability,
        blocked: impl FnOnce() + 'static,
    ) -> Result<IdbStore, StoreError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| upgrade(event.old_version(), &db))
            .with_on_blocked(move |_| {
                blocked();
                Ok(())
            })
            .await
            .map_err(|error: OpenDbError| match error {
                // The library reports any exception `indexedDB.open` throws (storage turned
                // off for the site) as a zero version, which ours never is.
                OpenDbError::VersionZero => {
                    StoreError::Storage("it would not open the database".to_owned())
                }
                error => storage(error),
            })?;
        Ok(IdbStore { db, durability })
    }

    /// Deletes the database called `name` (tests start from nothing with it).
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the browser refuses.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(storage)?
            .await
            .map_err(storage)
    }

    /// When another connection asks to upgrade or delete the database (a newer orderlog in
    /// another tab), closes this one at once, so that the other is not kept waiting, and
    /// then calls `closed`: this connection takes no more requests.
    pub fn close_when_outdated(&self, closed: impl FnOnce() + 'static) {
        let db = self.db.as_sys().clone();
        let on_version_change = Closure::once_into_js(move || {
            db.close();
            closed();
        });
        self.db
            .as_sys()
            .set_onversionchange(Some(on_version_change.unchecked_ref()));
    }

    /// Closes the connection, so that another one may upgrade or delete the database.
    pub fn close(self) {
        self.db.close();
    }

    fn read(&self, store: &str) -> Result<Transaction<'_>, StoreError> {
        self.db.transaction(store).build().map_err(storage)
    }

    fn write(&self, store: &str) -> Result<Transaction<'_>, IdbError> {
        let durability = match self.durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        };
        self.db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(durability))
            .build()
    }

    async fn stream_version(&self, stream_id: &str) -> Result<u64, StoreError> {
        let stream = self.read_stream(stream_id, 1).await?;
        Ok(stream.last().map_or(0, |e| e.stream_version))
    }

    /// Appends every request in one readwrite transaction. Every read the batch needs (the
    /// last event, each stream's version) goes out at once, so a batch of a thousand
    /// commands waits for one round of answers, not a thousand. Only a request whose stream
    /// has moved on is looked up by command id (a retry answers with its earlier events). A
    /// conflict drops the transaction, which rolls back everything the batch had added.
    async fn try_append_all(
        &self,
        requests: &[AppendRequest],
    ) -> Result<Result<Vec<Envelope>, StoreError>, IdbError> {
        let tx = self.write(EVENTS)?;
        let events = tx.object_store(EVENTS)?;
        let by_command = events.index(BY_COMMAND)?;
        let by_stream = events.index(BY_STREAM)?;

        let head_read = last_event(&events)?;
        let mut streams: Vec<&str> = requests.iter().map(|r| r.stream_id.as_str()).collect();
        streams.sort_unstable();
        streams.dedup();
        let version_reads = streams
            .iter()
            .map(|stream| stream_version(&by_stream, stream))
            .collect::<Result<Vec<_>, _>>()?;

        let mut head = head_read.await?;
        let mut versions: HashMap<&str, u64> = HashMap::with_capacity(streams.len());
        for (stream, version) in streams.into_iter().zip(version_reads) {
            versions.insert(stream, version.await?);
        }
        // The requests that will find their stream moved on, once those before them are
        // appended: retries, or conflicts. Their command lookups go out at once.
        let mut will_be = versions.clone();
        let lookups = requests
            .iter()
            .map(|request| {
                let version = will_be.entry(request.stream_id.as_str()).or_insert(0);
                if *version == request.expected_version {
                    *version += request.events.len() as u64;
                    return Ok(None);
                }
                let lookup = by_command
                    .get_all::<Envelope>()
                    .with_query(request.meta.command_id.as_str())
                    .serde()?;
                Ok(Some(lookup))
            })
            .collect::<Result<Vec<_>, IdbError>>()?;
        // Commands appended earlier in this batch: the lookups went out before their adds.
        let mut in_batch: HashMap<&str, Vec<Envelope>> = HashMap::new();
        let mut written = Vec::new();
        for (request, lookup) in requests.iter().zip(lookups) {
            let actual = versions
                .get(request.stream_id.as_str())
                .copied()
                .unwrap_or(0);
            if let Some(lookup) = lookup {
                let mut earlier: Vec<Envelope> =
                    match in_batch.get(request.meta.command_id.as_str()) {
                        Some(appended) => appended.clone(),
                        None => lookup.await?.collect::<Result<_, _>>()?,
                    };
                if earlier.is_empty() {
                    return Ok(Err(StoreError::Conflict {
                        stream_id: request.stream_id.clone(),
                        expected: request.expected_version,
                        actual,
                    }));
                }
                earlier.sort_by_key(|e| e.seq);
                written.extend(earlier);
                continue;
            }
            let appended = Envelope::chain_after(
                head.as_ref(),
                &request.stream_id,
                actual,
                &request.events,
                &request.meta,
            );
            for envelope in &appended {
                // `add`, not `put`: a seq or stream version that exists fails the whole
                // transaction.
                events.add(envelope).serde()?;
            }
            versions.insert(request.stream_id.as_str(), actual + appended.len() as u64);
            if let Some(last) = appended.last() {
                head = Some(last.clone());
            }
            in_batch.insert(request.meta.command_id.as_str(), appended.clone());
            written.extend(appended);
        }
        drop((by_command, by_stream));
        drop(events);
        commit(tx).await?;
        Ok(Ok(written))
    }

    /// Clears the log, the snapshots and the saved read models and adds `events`, in one
    /// readwrite transaction over the three stores.
    async fn try_replace_all(&self, events: &[Envelope]) -> Result<(), IdbError> {
        let durability = match self.durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        };
        let tx = self
            .db
            .transaction([EVENTS, SNAPSHOTS, READ_MODELS])
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(durability))
            .build()?;
        {
            for store in [SNAPSHOTS, READ_MODELS] {
                tx.object_store(store)?.clear()?;
            }
            let log = tx.object_store(EVENTS)?;
            log.clear()?;
            for envelope in events {
                log.add(envelope).serde()?;
            }
        }
        commit(tx).await
    }

    async fn put<T: serde::Serialize>(&self, store: &str, value: &T) -> Result<(), IdbError> {
        let tx = self.write(store)?;
        tx.object_store(store)?.put(value).serde()?;
        commit(tx).await
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.read(store)?;
        tx.object_store(store)
            .map_err(storage)?
            .get(key)
            .serde()
            .map_err(storage)?
            .await
            .map_err(corrupt)
    }
}

impl EventStore for IdbStore {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        self.append_batch(vec![request]).await
    }

    async fn append_batch(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<Envelope>, StoreError> {
        match self.try_append_all(&requests).await {
            Ok(outcome) => outcome,
            // A unique index refused a write another connection made first.
            Err(IdbError::DomException(exception))
                if exception.to_string().contains("Constraint") =>
            {
                let Some(request) = requests.into_iter().next() else {
                    return Ok(Vec::new());
                };
                Err(StoreError::Conflict {
                    actual: self.stream_version(&request.stream_id).await?,
                    stream_id: request.stream_id,
                    expected: request.expected_version,
                })
            }
            Err(error) => Err(storage(error)),
        }
    }

    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError> {
        self.try_replace_all(&events).await.map_err(storage)
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        let tx = self.read(EVENTS)?;
        let events = tx.object_store(EVENTS).map_err(storage)?;
        events
            .index(BY_STREAM)
            .map_err(storage)?
            .get_all::<Envelope>()
            .with_query(stream_range(stream_id, from_version))
            .serde()
            .map_err(storage)?
            .await
            .map_err(storage)?
            .collect::<Result<Vec<Envelope>, _>>()
            .map_err(corrupt)
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        #[allow(clippy::cast_precision_loss)] // seqs stay far below 2^53
        let from = from_seq as f64;
        let tx = self.read(EVENTS)?;
        let events = tx.object_store(EVENTS).map_err(storage)?;
        events
            .get_all::<Envelope>()
            .with_query(from..)
            .with_limit(limit)
            .serde()
            .map_err(storage)?
            .await
            .map_err(storage)?
            .collect::<Result<Vec<Envelope>, _>>()
            .map_err(corrupt)
    }

    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        let tx = self.read(EVENTS)?;
        let events = tx.object_store(EVENTS).map_err(storage)?;
        let mut found = events
            .index(BY_COMMAND)
            .map_err(storage)?
            .get_all::<Envelope>()
            .with_query(command_id)
            .serde()
            .map_err(storage)?
            .await
            .map_err(storage)?
            .collect::<Result<Vec<Envelope>, _>>()
            .map_err(corrupt)?;
        found.sort_by_key(|e| e.seq);
        Ok(found)
    }

    async fn last(&self) -> Result<Option<Envelope>, StoreError> {
        let tx = self.read(EVENTS)?;
        let events = tx.object_store(EVENTS).map_err(storage)?;
        let last = last_event(&events).map_err(storage)?.await;
        last.map_err(storage)
    }
}

impl SnapshotStore for IdbStore {
    async fn load_snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError> {
        self.get(SNAPSHOTS, stream_id).await
    }

    async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.put(SNAPSHOTS, snapshot).await.map_err(storage)
    }

    async fn clear_snapshots(&self) -> Result<(), StoreError> {
        let tx = self.write(SNAPSHOTS).map_err(storage)?;
        tx.object_store(SNAPSHOTS)
            .map_err(storage)?
            .clear()
            .map_err(storage)?;
        commit(tx).await.map_err(storage)
    }

    async fn load_read_model(&self, name: &str) -> Result<Option<SavedReadModel>, StoreError> {
        self.get(READ_MODELS, name).await
    }

    async fn load_read_models(
        &self,
        names: &[String],
    ) -> Result<Vec<Option<SavedReadModel>>, StoreError> {
        let tx = self.read(READ_MODELS)?;
        let store = tx.object_store(READ_MODELS).map_err(storage)?;
        // Every request goes out before the first answer is awaited.
        let reads = names
            .iter()
            .map(|name| store.get(name.as_str()).serde())
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage)?;
        let mut saved = Vec::with_capacity(reads.len());
        for read in reads {
            saved.push(read.await.map_err(corrupt)?);
        }
        Ok(saved)
    }

    async fn delete_read_models(&self, names: &[&str]) -> Result<(), StoreError> {
        let delete_all = async {
            let tx = self.write(READ_MODELS)?;
            let store = tx.object_store(READ_MODELS)?;
            for name in names {
                store.delete(*name).primitive()?;
            }
            commit(tx).await
        };
        delete_all.await.map_err(storage)
    }

    async fn save_read_model(&self, parts: &[SavedReadModel]) -> Result<(), StoreError> {
        let put_all = async {
            let tx = self.write(READ_MODELS)?;
            let store = tx.object_store(READ_MODELS)?;
            for part in parts {
                store.put(part).serde()?;
            }
            commit(tx).await
        };
        put_all.await.map_err(storage)
    }
}
