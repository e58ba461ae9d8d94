//! An [`EventStore`] in memory: the reference implementation the IndexedDB store is held
//! to, and the store of native tests.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::{
    verify_chain, AppendRequest, Envelope, EventStore, SavedReadModel, Snapshot, SnapshotStore,
    StoreError, SyncedStore,
};

/// The whole log in a `Vec`, in seq order (`events[i].seq == i + 1`), and the saved states
/// by key.
#[derive(Debug, Default)]
pub struct MemoryStore {
    events: RefCell<Vec<Envelope>>,
    snapshots: RefCell<BTreeMap<String, Snapshot>>,
    read_models: RefCell<BTreeMap<String, SavedReadModel>>,
    sync_state: RefCell<Option<String>>,
}

impl MemoryStore {
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

impl EventStore for MemoryStore {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        self.append_batch(vec![request]).await
    }

    async fn append_batch(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<Envelope>, StoreError> {
        let mut events = self.events.borrow_mut();
        // Work on a copy, so that a conflict half way leaves the log as it was.
        let mut log = events.clone();
        let mut written = Vec::new();
        for request in requests {
            let actual = log
                .iter()
                .rev()
                .find(|e| e.stream_id == request.stream_id)
                .map_or(0, |e| e.stream_version);
            let earlier = commands_events(&log, &request.meta.command_id);
            match (actual == request.expected_version, earlier.is_empty()) {
                // A new command against the version it was decided on.
                (true, true) => {}
                // A retry: the stream moved on with the command's first run, its answer.
                (false, false) => {
                    written.extend(earlier);
                    continue;
                }
                // A stale version, or a command id another append took.
                _ => {
                    return Err(StoreError::Conflict {
                        stream_id: request.stream_id,
                        expected: request.expected_version,
                        actual,
                    })
                }
            }
            let appended = Envelope::chain_after(
                log.last().map(Envelope::link),
                &request.stream_id,
                actual,
                &request.events,
                &request.meta,
            );
            log.extend(appended.iter().cloned());
            written.extend(appended);
        }
        *events = log;
        Ok(written)
    }

    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError> {
        *self.events.borrow_mut() = events;
        self.snapshots.borrow_mut().clear();
        self.read_models.borrow_mut().clear();
        Ok(())
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

    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        Ok(commands_events(&self.events.borrow(), command_id))
    }

    async fn last(&self) -> Result<Option<Envelope>, StoreError> {
        Ok(self.events.borrow().last().cloned())
    }
}

fn commands_events(events: &[Envelope], command_id: &str) -> Vec<Envelope> {
    events
        .iter()
        .filter(|e| e.command_id == command_id)
        .cloned()
        .collect()
}

impl SnapshotStore for MemoryStore {
    async fn load_snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError> {
        Ok(self.snapshots.borrow().get(stream_id).cloned())
    }

    async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.snapshots
            .borrow_mut()
            .insert(snapshot.stream_id.clone(), snapshot.clone());
        Ok(())
    }

    async fn clear_snapshots(&self) -> Result<(), StoreError> {
        self.snapshots.borrow_mut().clear();
        Ok(())
    }

    async fn load_read_model(&self, name: &str) -> Result<Option<SavedReadModel>, StoreError> {
        Ok(self.read_models.borrow().get(name).cloned())
    }

    async fn load_read_models(
        &self,
        names: &[String],
    ) -> Result<Vec<Option<SavedReadModel>>, StoreError> {
        let saved = self.read_models.borrow();
        Ok(names.iter().map(|name| saved.get(name).cloned()).collect())
    }

    async fn delete_read_models(&self, names: &[&str]) -> Result<(), StoreError> {
        let mut saved = self.read_models.borrow_mut();
        for name in names {
            saved.remove(*name);
        }
        Ok(())
    }

    async fn save_read_model(&self, parts: &[SavedReadModel]) -> Result<(), StoreError> {
        let mut saved = self.read_models.borrow_mut();
        for part in parts {
            saved.insert(part.name.clone(), part.clone());
        }
        Ok(())
    }
}

impl SyncedStore for MemoryStore {
    async fn load_sync_state(&self) -> Result<Option<String>, StoreError> {
        Ok(self.sync_state.borrow().clone())
    }

    async fn save_sync_state(&self, state: &str) -> Result<(), StoreError> {
        *self.sync_state.borrow_mut() = Some(state.to_owned());
        Ok(())
    }

    async fn rebase(&self, seq: u64, events: Vec<Envelope>, state: &str) -> Result<(), StoreError> {
        let mut log = self.events.borrow_mut();
        let kept = usize::try_from(seq).map_or(log.len(), |seq| seq.min(log.len()));
        verify_chain(kept.checked_sub(1).map(|last| &log[last]), &events)
            .map_err(|broken| StoreError::Corrupt(broken.to_string()))?;
        let mut versions = BTreeMap::new();
        for event in &events {
            let actual = match versions.get(event.stream_id.as_str()) {
                Some(&version) => version,
                None => log[..kept]
                    .iter()
                    .rev()
                    .find(|e| e.stream_id == event.stream_id)
                    .map_or(0, |e| e.stream_version),
            };
            let taken = log[..kept].iter().any(|e| e.command_id == event.command_id);
            if event.stream_version != actual + 1 || taken {
                return Err(StoreError::Conflict {
                    stream_id: event.stream_id.clone(),
                    expected: event.stream_version.saturating_sub(1),
                    actual,
                });
            }
            versions.insert(event.stream_id.as_str(), event.stream_version);
        }
        let mut snapshots = self.snapshots.borrow_mut();
        for removed in &log[kept..] {
            snapshots.remove(&removed.stream_id);
        }
        log.truncate(kept);
        log.extend(events);
        *self.sync_state.borrow_mut() = Some(state.to_owned());
        Ok(())
    }
}
