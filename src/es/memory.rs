//! An [`EventStore`] in memory: the reference implementation the IndexedDB store is held
//! to, and the store of native tests.

use std::cell::RefCell;

use super::{AppendRequest, Envelope, EventStore, StoreError};

/// The whole log in a `Vec`, in seq order (`events[i].seq == i + 1`).
#[derive(Debug, Default)]
pub struct MemoryStore {
    events: RefCell<Vec<Envelope>>,
}

impl MemoryStore {
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

impl EventStore for MemoryStore {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        let mut events = self.events.borrow_mut();
        let earlier: Vec<Envelope> = events
            .iter()
            .filter(|e| e.command_id == request.meta.command_id)
            .cloned()
            .collect();
        if !earlier.is_empty() {
            return Ok(earlier);
        }
        let actual = events
            .iter()
            .rev()
            .find(|e| e.stream_id == request.stream_id)
            .map_or(0, |e| e.stream_version);
        if actual != request.expected_version {
            return Err(StoreError::Conflict {
                stream_id: request.stream_id,
                expected: request.expected_version,
                actual,
            });
        }
        let appended = Envelope::chain_after(
            events.last(),
            &request.stream_id,
            actual,
            &request.events,
            &request.meta,
        );
        events.extend(appended.iter().cloned());
        Ok(appended)
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        Ok(self
            .events
            .borrow()
            .iter()
            .filter(|e| e.stream_id == stream_id && e.stream_version >= from_version)
            .cloned()
            .collect())
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        let start = usize::try_from(from_seq.saturating_sub(1)).unwrap_or(usize::MAX);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(self
            .events
            .borrow()
            .iter()
            .skip(start)
            .take(limit)
            .cloned()
            .collect())
    }
}
