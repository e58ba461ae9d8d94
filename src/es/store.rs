//! The contract of an event store, shared by the in-memory and the IndexedDB implementation
//! and checked by one conformance suite run against both (`tests/conformance/`).

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
    #[error("a stored event could not be read: {0}")]
    Corrupt(String),
}

/// An append-only log of [`Envelope`]s with optimistic concurrency per stream.
///
/// The futures are not `Send`: IndexedDB lives on one thread, and so does the app.
#[allow(async_fn_in_trait)]
pub trait EventStore {
    /// Appends `request.events` to the end of the stream, all or nothing, and returns them as
    /// stored. If `request.meta.command_id` was appended before, writes nothing and returns
    /// the events of that first append.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the stream is not at `expected_version` (nothing is
    /// written); [`StoreError::Storage`] when the storage refuses the write.
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError>;

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
}
