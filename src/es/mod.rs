//! The event-sourcing engine, generic over any domain: the stored [`Envelope`], the
//! [`EventStore`] trait with an in-memory and an IndexedDB implementation, command execution
//! with optimistic concurrency ([`execute`]), and the [`ProjectionRunner`] that folds stored
//! events into read models.
//!
//! It knows nothing about orders. It alone decides the stored JSON shape (see [`codec`]), and
//! [`idb`] is the only file in the crate that knows IndexedDB.

mod aggregate;
mod batch;
pub mod codec;
mod envelope;
mod execute;
pub mod idb;
mod memory;
mod projection;
mod store;

pub use aggregate::Aggregate;
pub use batch::{Batch, Planned};
pub use codec::{CodecError, EventSchema, Upcaster};
pub use envelope::{
    sha256_hex, verify, verify_chain, ChainError, CommandMeta, Envelope, NewEvent, VerifyError,
    GENESIS_HASH,
};
pub use execute::{
    execute, execute_kept, load, ExecuteError, Kept, Loaded, KEPT_STREAMS, MAX_ATTEMPTS,
    SNAPSHOT_EVERY,
};
pub use memory::MemoryStore;
pub use projection::{
    catch_up, catch_up_in_pages, Projection, ProjectionRunner, Restoring, UnreadableEvents,
};
pub use store::{
    AppendRequest, EventStore, SavedReadModel, Snapshot, SnapshotStore, StoreError, SyncedStore,
    READ_BATCH,
};
