//! The contract of an event store, shared by the in-memory and the IndexedDB implementation
//! and checked by one conformance suite run against both (`tests/conformance/`).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{CommandMeta, Envelope, NewEvent};

/// How many events one read returns at most; replay reads batch after batch.
pub const READ_BATCH: u32 = 1_000;

/// One command's events for one stream, to be written all or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendRequest {
    pub stream_id: String,
    /// The stream's version the command was decided against (0 for a new stream).
    pub expected_version: u64,
    pub events: Vec<NewEvent>,
    pub meta: CommandMeta,
}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("stream {stream_id} changed meanwhile: expected version {expected}, found {actual}")]
    Conflict {
        stream_id: String,
        expected: u64,
        actual: u64,
    },
    #[error("the browser's storage refused: {0}")]
    Storage(String),
    /// The browser's quota for this site is used up (`QuotaExceededError`): the write was
    /// refused whole.
    #[error(
        "this browser's storage for orderlog is full, so nothing was saved. Download a backup \
         (Import page), then free space: clear other sites' data, or ask the browser to keep \
         this site's"
    )]
    Full,
    #[error("a stored event could not be read: {0}")]
    Corrupt(String),
    /// The log grew since the caller read it (another tab wrote): nothing was written.
    #[error("the log changed while it was being rewritten; read it again")]
    Moved,
}

/// An append-only log of [`Envelope`]s with optimistic concurrency per stream.
///
/// The futures are not `Send`: IndexedDB lives on one thread, and so does the app.
#[allow(async_fn_in_trait)]
pub trait EventStore {
    /// Appends `request.events` to the end of the stream, all or nothing, and returns them as
    /// stored. A retry is safe: when the stream has moved past `expected_version` and
    /// `request.meta.command_id` was appended before, it writes nothing and returns the
    /// events of that first append. The log is asked for the command only then, so that a
    /// bulk load of new streams costs no lookup per command; a caller that decides against
    /// the stream's current state asks [`EventStore::read_command`] first, as
    /// [`crate::es::execute`] does. A command id is appended once: a new request carrying
    /// the id of a command already in the log is a conflict.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the stream is not at `expected_version` or the command
    /// id is taken (nothing is written); [`StoreError::Storage`] when the storage refuses the
    /// write.
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError>;

    /// Appends several requests, in order, in one write: all of them or none. A request
    /// that is a retry (as in [`EventStore::append`]) writes nothing and stands for its
    /// earlier events. Returns every request's events, in order. Bulk writes (imports, demo data)
    /// use it; a batch that conflicts anywhere writes nothing.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] for the first request whose stream is not at its expected
    /// version; [`StoreError::Storage`] when the storage refuses the write.
    async fn append_batch(&self, requests: Vec<AppendRequest>)
        -> Result<Vec<Envelope>, StoreError>;

    /// Replaces the whole log with `events` (a proven backup, in seq order) and drops every
    /// snapshot and saved read model, and a [`SyncedStore`]'s state and recorded commands
    /// (they described the old log), all in one write: a failure or a closed tab leaves the
    /// old log, never a mix.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses; nothing changed then.
    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError>;

    /// The stream's events with `stream_version >= from_version`, in order.
    ///
    /// # Errors
    /// [`StoreError::Storage`] or [`StoreError::Corrupt`] when the log cannot be read.
    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError>;

    /// At most `limit` events with `seq >= from_seq`, in order.
    ///
    /// # Errors
    /// [`StoreError::Storage`] or [`StoreError::Corrupt`] when the log cannot be read.
    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError>;

    /// The events a command appended, in order; empty if it never ran.
    ///
    /// # Errors
    /// [`StoreError::Storage`] or [`StoreError::Corrupt`] when the log cannot be read.
    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError>;

    /// The last event of the log, if any: its seq is the log's head.
    ///
    /// # Errors
    /// [`StoreError::Storage`] or [`StoreError::Corrupt`] when the log cannot be read.
    async fn last(&self) -> Result<Option<Envelope>, StoreError>;
}

/// A log a sync engine (`crate::sync`) keeps in the shop's order. Beside the log it keeps the
/// engine's state and the commands decided here (the app's text of each, by id: the outbox),
/// as text it does not read, and it replaces the events after a seq (the device's own, not
/// yet in the shop's order) by the shop's, in the same write as that state.
#[allow(async_fn_in_trait)]
pub trait SyncedStore: EventStore {
    /// The state last saved, if any.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage cannot be read.
    async fn load_sync_state(&self) -> Result<Option<String>, StoreError>;

    /// Replaces the saved state.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write; nothing changed then.
    async fn save_sync_state(&self, state: &str) -> Result<(), StoreError>;

    /// Keeps `command` (the app's text of a command decided here) under its id, to be
    /// decided again if the shop's order changes under it.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write.
    async fn record(&self, command_id: &str, command: &str) -> Result<(), StoreError>;

    /// The texts recorded under `command_ids`, each or none, in the order asked, read at
    /// once.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage cannot be read.
    async fn recorded(&self, command_ids: &[String]) -> Result<Vec<Option<String>>, StoreError>;

    /// Forgets the commands recorded under `command_ids`, in one write; an id never
    /// recorded is no error.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write.
    async fn forget(&self, command_ids: &[String]) -> Result<(), StoreError>;

    /// Keeps the log's events up to `seq`, replaces the ones after it by `events` (chained
    /// after event `seq`, from seq `seq + 1`), deletes the snapshots of the streams whose
    /// events it removes, and saves `state`: all in one write, or nothing. `head` is the seq
    /// of the log's last event when the caller read what it replaces.
    ///
    /// # Errors
    /// [`StoreError::Moved`] when the log no longer ends at `head` (a write since would be
    /// lost); [`StoreError::Conflict`] when an event does not follow its stream's last kept
    /// version, or its command id is taken by a kept event; [`StoreError::Corrupt`] when
    /// `events` do not chain after event `seq`; [`StoreError::Storage`] when the storage
    /// refuses. Nothing changed then.
    async fn rebase(
        &self,
        seq: u64,
        head: u64,
        events: Vec<Envelope>,
        state: &str,
    ) -> Result<(), StoreError>;
}

/// An aggregate's state saved after a stream version, so that loading it reads only the
/// events after that version. Never required for correctness: without it the stream is
/// folded from the start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub stream_id: String,
    pub stream_version: u64,
    /// The aggregate's `STATE_VERSION` when saved; another version is ignored.
    pub state_version: u32,
    /// The state as JSON text.
    pub state: String,
}

/// A read model saved with its checkpoint, so that a start replays only the log's tail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReadModel {
    pub name: String,
    /// The projection's `VERSION` when saved; another version means rebuild.
    pub version: u32,
    /// The seq of the last event folded in.
    pub checkpoint: u64,
    /// That event's hash: a saved copy from another log (a restored backup) is not reused.
    pub checkpoint_hash: String,
    /// How many parts the saved copy has: this one, named after the read model, and the
    /// others, named by [`SavedReadModel::part_name`], each decoded in a task of its own.
    #[serde(default = "one_part")]
    pub parts: u32,
    /// The read model, or this part of it, as JSON text.
    pub state: String,
}

fn one_part() -> u32 {
    1
}

impl SavedReadModel {
    /// The name the `index`-th part (from 0) of the read model `name` is saved under.
    #[must_use]
    pub fn part_name(name: &str, index: u32) -> String {
        match index {
            0 => name.to_owned(),
            _ => format!("{name}#{index}"),
        }
    }
}

/// Saved copies of what the log derives: aggregate snapshots and read models. Losing any of
/// them loses nothing; they only make loading faster.
#[allow(async_fn_in_trait)]
pub trait SnapshotStore {
    /// # Errors
    /// [`StoreError::Storage`] when the storage cannot be read.
    async fn load_snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError>;

    /// Replaces the stream's snapshot.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write.
    async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError>;

    /// Deletes every snapshot.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses.
    async fn clear_snapshots(&self) -> Result<(), StoreError>;

    /// # Errors
    /// [`StoreError::Storage`] when the storage cannot be read.
    async fn load_read_model(&self, name: &str) -> Result<Option<SavedReadModel>, StoreError>;

    /// The saved read models of those names (the other parts of one saved copy), each or
    /// none, in the order asked, read at once.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage cannot be read.
    async fn load_read_models(
        &self,
        names: &[String],
    ) -> Result<Vec<Option<SavedReadModel>>, StoreError>;

    /// Deletes the saved read models of those names, in one write; a name never saved is no
    /// error.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write; nothing changed then.
    async fn delete_read_models(&self, names: &[&str]) -> Result<(), StoreError>;

    /// Replaces the saved read models of those names (the parts of one saved copy), all in
    /// one write: a tab closed midway leaves the old ones or the new ones, never a mix.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the storage refuses the write; nothing changed then.
    async fn save_read_model(&self, parts: &[SavedReadModel]) -> Result<(), StoreError>;
}
