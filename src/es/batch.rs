//! A unit of work for bulk writes (imports, demo data): many commands decided in memory, one
//! after another, then appended together with [`EventStore::append_batch`], one
//! transaction for thousands of events instead of one each.

use std::collections::HashMap;

use super::codec;
#[cfg(doc)]
use super::EventStore;
use super::{Aggregate, AppendRequest, CommandMeta, ExecuteError};

/// A command for one stream, with its meta: what a bulk write decides and appends.
pub type Planned<C> = (String, C, CommandMeta);

/// Commands decided against the states this batch has built, waiting to be appended.
pub struct Batch<A: Aggregate> {
    streams: HashMap<String, (A, u64)>,
    requests: Vec<AppendRequest>,
}

impl<A: Aggregate> Default for Batch<A> {
    fn default() -> Self {
        Batch {
            streams: HashMap::new(),
            requests: Vec::new(),
        }
    }
}

impl<A: Aggregate> Batch<A> {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts the stream from a state loaded from the store (`version` is its stream
    /// version), for a batch that also writes to streams that exist.
    pub fn seed(&mut self, stream_id: &str, state: A, version: u64) {
        self.streams.insert(stream_id.to_owned(), (state, version));
    }

    /// Decides `command` against the stream as this batch has left it. A stream the batch
    /// has not touched yet is taken to be new; if the store already has events for it, the
    /// append is a conflict and writes nothing of its batch. A refused command changes
    /// nothing.
    ///
    /// # Errors
    /// [`ExecuteError::Domain`] when the aggregate refuses; [`ExecuteError::Codec`] when an
    /// event cannot be encoded.
    pub fn decide(
        &mut self,
        stream_id: &str,
        command: &A::Command,
        meta: CommandMeta,
    ) -> Result<(), ExecuteError<A::Error>> {
        let (state, version) = self.streams.remove(stream_id).unwrap_or_default();
        let decided = state
            .decide(command)
            .map_err(ExecuteError::Domain)
            .and_then(|events| {
                let encoded = events
                    .iter()
                    .map(codec::encode)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((events, encoded))
            });
        let (events, encoded) = match decided {
            Ok(decided) => decided,
            Err(error) => {
                self.streams.insert(stream_id.to_owned(), (state, version));
                return Err(error);
            }
        };
        let after = events.iter().fold(state, Aggregate::evolve);
        self.requests.push(AppendRequest {
            stream_id: stream_id.to_owned(),
            expected_version: version,
            events: encoded,
            meta,
        });
        self.streams
            .insert(stream_id.to_owned(), (after, version + events.len() as u64));
        Ok(())
    }

    /// How many decided commands wait to be appended.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.requests.len()
    }

    /// The decided commands, for [`EventStore::append_batch`]. The batch keeps the states,
    /// so it can go on deciding and be appended again in chunks.
    pub fn take_requests(&mut self) -> Vec<AppendRequest> {
        std::mem::take(&mut self.requests)
    }
}
