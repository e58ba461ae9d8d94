//! Command execution: load the aggregate from its stream, decide, append with the expected
//! version; on a conflict, load again and decide again, a bounded number of times.

use thiserror::Error;

use super::codec::{self, CodecError};
use super::{Aggregate, AppendRequest, CommandMeta, Envelope, EventStore, StoreError};

/// How many times a command is decided before a run of conflicting writes gives up.
pub const MAX_ATTEMPTS: u32 = 3;

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

/// Runs `command` against the aggregate in `stream_id` and returns the events it appended.
///
/// Running a command whose `meta.command_id` was already appended to the stream writes
/// nothing and returns the events of the first run, so a retry or a double click is safe.
///
/// # Errors
/// [`ExecuteError::Domain`] when the aggregate refuses the command; the store's, or the
/// codec's, error when reading or writing fails; [`ExecuteError::TooManyConflicts`] after
/// [`MAX_ATTEMPTS`] conflicting appends.
pub async fn execute<A: Aggregate, S: EventStore>(
    store: &S,
    stream_id: &str,
    command: &A::Command,
    meta: &CommandMeta,
) -> Result<Vec<Envelope>, ExecuteError<A::Error>> {
    for _ in 0..MAX_ATTEMPTS {
        let history = store.read_stream(stream_id, 1).await?;
        let earlier: Vec<Envelope> = history
            .iter()
            .filter(|e| e.command_id == meta.command_id)
            .cloned()
            .collect();
        if !earlier.is_empty() {
            return Ok(earlier);
        }
        let version = history.last().map_or(0, |e| e.stream_version);
        let state = history.iter().try_fold(A::default(), |state, envelope| {
            codec::decode::<A::Event>(&envelope.event_type, &envelope.payload)
                .map(|event| state.evolve(&event))
        })?;
        let events = state.decide(command).map_err(ExecuteError::Domain)?;
        let events = events
            .iter()
            .map(codec::encode)
            .collect::<Result<Vec<_>, _>>()?;
        let request = AppendRequest {
            stream_id: stream_id.to_owned(),
            expected_version: version,
            events,
            meta: meta.clone(),
        };
        match store.append(request).await {
            Err(StoreError::Conflict { .. }) => {}
            outcome => return outcome.map_err(ExecuteError::Store),
        }
    }
    Err(ExecuteError::TooManyConflicts)
}
