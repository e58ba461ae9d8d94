//! Projections fold stored events into read models. The [`ProjectionRunner`] keeps each
//! projection's checkpoint (the last seq applied), so an event is applied exactly once:
//! catch-up reads from the checkpoint, and events already seen are ignored.

use serde::de::DeserializeOwned;

use super::codec::{self, CodecError};
use super::{Envelope, EventStore, StoreError, READ_BATCH};

/// A read model built by folding events. No business rules: it records what happened.
pub trait Projection {
    type Event: DeserializeOwned;

    /// Folds one event in. `envelope` gives its position, stream and time.
    fn apply(&mut self, envelope: &Envelope, event: &Self::Event);
}

/// A projection and how far into the log it has read.
#[derive(Clone, Debug, Default)]
pub struct ProjectionRunner<P> {
    projection: P,
    checkpoint: u64,
    skipped: Vec<(u64, CodecError)>,
}

impl<P: Projection> ProjectionRunner<P> {
    #[must_use]
    pub fn new(projection: P) -> Self {
        ProjectionRunner {
            projection,
            checkpoint: 0,
            skipped: Vec::new(),
        }
    }

    #[must_use]
    pub fn read_model(&self) -> &P {
        &self.projection
    }

    /// The seq of the last event applied (0 before the first).
    #[must_use]
    pub fn checkpoint(&self) -> u64 {
        self.checkpoint
    }

    /// Events that could not be read, by seq: skipped and reported, never a crash.
    #[must_use]
    pub fn skipped(&self) -> &[(u64, CodecError)] {
        &self.skipped
    }

    /// Applies the events that follow the checkpoint, in order, and returns how many it
    /// applied. Events at or before the checkpoint are ignored. It stops at a gap (an event
    /// beyond checkpoint + 1): [`catch_up`] then reads what is missing from the store.
    pub fn apply_all(&mut self, envelopes: &[Envelope]) -> usize {
        let mut applied = 0;
        for envelope in envelopes {
            if envelope.seq <= self.checkpoint {
                continue;
            }
            if envelope.seq != self.checkpoint + 1 {
                break;
            }
            match codec::decode::<P::Event>(&envelope.event_type, &envelope.payload) {
                Ok(event) => self.projection.apply(envelope, &event),
                Err(error) => self.skipped.push((envelope.seq, error)),
            }
            self.checkpoint = envelope.seq;
            applied += 1;
        }
        applied
    }
}

/// Brings a projection up to the end of the log: reads everything after `checkpoint()`,
/// batch by batch, and hands each batch to `apply`, which returns how many events it applied
/// (as [`ProjectionRunner::apply_all`] does). Returns how many were applied in all.
///
/// The runner is reached through closures so that it can live wherever the caller keeps it
/// (a signal, a `RefCell`) without being borrowed across an `await`.
///
/// # Errors
/// The store's error, or [`StoreError::Corrupt`] when the log has a gap; what was applied
/// before it stays applied.
pub async fn catch_up<S: EventStore>(
    store: &S,
    checkpoint: impl Fn() -> u64,
    mut apply: impl FnMut(&[Envelope]) -> usize,
) -> Result<usize, StoreError> {
    let mut applied = 0;
    loop {
        let from = checkpoint() + 1;
        let batch = store.read_all(from, READ_BATCH).await?;
        let applied_now = apply(&batch);
        if applied_now == 0 && !batch.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "event {from} is missing from the log"
            )));
        }
        applied += applied_now;
        if batch.len() < READ_BATCH as usize {
            return Ok(applied);
        }
    }
}
