//! Command execution: load the aggregate (its latest snapshot, then the events after it),
//! decide, append with the expected version; on a conflict, load again and decide again, a
//! bounded number of times. Every [`SNAPSHOT_EVERY`] events of a stream, its state is saved.

use thiserror::Error;

use super::codec::{self, CodecError};
use super::{
    Aggregate, AppendRequest, CommandMeta, Envelope, EventStore, Snapshot, SnapshotStore,
    StoreError,
};

/// How many times a command is decided before a run of conflicting writes gives up.
pub const MAX_ATTEMPTS: u32 = 3;

/// A stream's state is snapshotted each time its version crosses a multiple of this.
pub const SNAPSHOT_EVERY: u64 = 25;

#[derive(Debug, Error, PartialEq)]
pub enum ExecuteError<E> {
    /// The domain refused the command (after reloading, if another write came first).
    #[error(transparent)]
    Domain(E),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error("it kept changing while being saved; try again")]
    TooManyConflicts,
}

/// An aggregate's state and the stream version it reflects.
pub struct Loaded<A> {
    pub state: A,
    pub version: u64,
}

/// Loads the aggregate in `stream_id`: from its snapshot when there is a usable one, then the
/// events after it. A missing, unreadable or outdated snapshot only means a longer fold.
///
/// # Errors
/// The store's error reading the stream, or the codec's for an event it cannot read.
pub async fn load<A: Aggregate, S: EventStore + SnapshotStore>(
    store: &S,
    stream_id: &str,
) -> Result<Loaded<A>, ExecuteError<A::Error>> {
    let snapshot = store
        .load_snapshot(stream_id)
        .await
        .ok()
        .flatten()
        .filter(|s| s.state_version == A::STATE_VERSION)
        .and_then(|s| {
            serde_json::from_str::<A>(&s.state)
                .ok()
                .map(|state| Loaded {
                    state,
                    version: s.stream_version,
                })
        });
    let start = snapshot.unwrap_or(Loaded {
        state: A::default(),
        version: 0,
    });
    let tail = store.read_stream(stream_id, start.version + 1).await?;
    fold(start, &tail)
}

fn fold<A: Aggregate>(
    start: Loaded<A>,
    envelopes: &[Envelope],
) -> Result<Loaded<A>, ExecuteError<A::Error>> {
    envelopes.iter().try_fold(start, |loaded, envelope| {
        let event = codec::decode::<A::Event>(
            &envelope.event_type,
            envelope.schema_version,
            &envelope.payload,
        )?;
        Ok(Loaded {
            state: loaded.state.evolve(&event),
            version: envelope.stream_version,
        })
    })
}

/// Runs `command` against the aggregate in `stream_id` and returns the events it appended.
///
/// Running a command whose `meta.command_id` was already appended writes nothing and
/// returns the events of the first run, so a retry or a double click is safe.
///
/// # Errors
/// [`ExecuteError::Domain`] when the aggregate refuses the command; the store's, or the
/// codec's, error when reading or writing fails; [`ExecuteError::TooManyConflicts`] after
/// [`MAX_ATTEMPTS`] conflicting appends.
pub async fn execute<A: Aggregate, S: EventStore + SnapshotStore>(
    store: &S,
    stream_id: &str,
    command: &A::Command,
    meta: &CommandMeta,
) -> Result<Vec<Envelope>, ExecuteError<A::Error>> {
    let earlier = store.read_command(&meta.command_id).await?;
    if !earlier.is_empty() {
        return Ok(earlier);
    }
    for _ in 0..MAX_ATTEMPTS {
        let loaded = load::<A, S>(store, stream_id).await?;
        let events = loaded.state.decide(command).map_err(ExecuteError::Domain)?;
        let request = AppendRequest {
            stream_id: stream_id.to_owned(),
            expected_version: loaded.version,
            events: events.iter().map(codec::encode).collect::<Result<_, _>>()?,
            meta: meta.clone(),
        };
        match store.append(request).await {
            Ok(appended) => {
                snapshot_if_due(store, stream_id, loaded, &appended).await;
                return Ok(appended);
            }
            Err(StoreError::Conflict { .. }) => {}
            Err(error) => return Err(ExecuteError::Store(error)),
        }
    }
    Err(ExecuteError::TooManyConflicts)
}

/// Saves the stream's state when this append crossed a multiple of [`SNAPSHOT_EVERY`]. A
/// snapshot is an optimisation: failing to make or save one is not the command's failure.
async fn snapshot_if_due<A: Aggregate, S: SnapshotStore>(
    store: &S,
    stream_id: &str,
    before: Loaded<A>,
    appended: &[Envelope],
) {
    let Some(after) = appended.last().map(|e| e.stream_version) else {
        return;
    };
    if after / SNAPSHOT_EVERY == before.version / SNAPSHOT_EVERY {
        return;
    }
    let Ok(loaded) = fold(before, appended) else {
        return;
    };
    let Ok(state) = serde_json::to_string(&loaded.state) else {
        return;
    };
    let snapshot = Snapshot {
        stream_id: stream_id.to_owned(),
        stream_version: loaded.version,
        state_version: A::STATE_VERSION,
        state,
    };
    // Ignored on purpose: without the snapshot, the next load folds the whole stream.
    let _ = store.save_snapshot(&snapshot).await;
}
