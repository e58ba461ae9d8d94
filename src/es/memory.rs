//! An [`EventStore`] in memory: the reference implementation the IndexedDB store is held
//! to, and the store of native tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use super::{
    verify_chain, AppendRequest, Envelope, EventStore, SavedReadModel, Snapshot, SnapshotStore,
    StoreError, SyncedStore,
};

/// The whole log in a `Vec`, in seq order (`events[i].seq == i + 1`), and the saved states
/// by key.
#[derive(Debug, Default)]
pub struct MemoryStore {
    log: RefCell<Log>,
    snapshots: RefCell<BTreeMap<String, Snapshot>>,
    read_models: RefCell<BTreeMap<String, SavedReadModel>>,
    sync_state: RefCell<Option<String>>,
    outbox: RefCell<HashMap<String, String>>,
}

impl MemoryStore {
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }
}

/// The events, and where each stream's and each command's are, so that no read scans them
/// all.
#[derive(Debug, Default)]
struct Log {
    events: Vec<Envelope>,
    streams: HashMap<String, Vec<usize>>,
    commands: HashMap<String, Vec<usize>>,
}

impl Log {
    fn version(&self, stream_id: &str) -> u64 {
        self.streams
            .get(stream_id)
            .and_then(|at| at.last())
            .map_or(0, |&at| self.events[at].stream_version)
    }

    fn command_events(&self, command_id: &str) -> Vec<Envelope> {
        self.commands
            .get(command_id)
            .map(|at| at.iter().map(|&at| self.events[at].clone()).collect())
            .unwrap_or_default()
    }

    fn push(&mut self, event: Envelope) {
        let at = self.events.len();
        self.streams
            .entry(event.stream_id.clone())
            .or_default()
            .push(at);
        self.commands
            .entry(event.command_id.clone())
            .or_default()
            .push(at);
        self.events.push(event);
    }

    /// Keeps the first `len` events.
    fn truncate(&mut self, len: usize) {
        while self.events.len() > len {
            let event = self.events.pop().expect("longer than len");
            for (index, key) in [
                (&mut self.streams, &event.stream_id),
                (&mut self.commands, &event.command_id),
            ] {
                if let Some(at) = index.get_mut(key) {
                    at.pop();
                    if at.is_empty() {
                        index.remove(key);
                    }
                }
            }
        }
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
        let mut log = self.log.borrow_mut();
        // A conflict half way takes the log back to this length: all or nothing.
        let before = log.events.len();
        let mut written = Vec::new();
        for request in requests {
            let actual = log.version(&request.stream_id);
            let earlier = log.command_events(&request.meta.command_id);
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
                    log.truncate(before);
                    return Err(StoreError::Conflict {
                        stream_id: request.stream_id,
                        expected: request.expected_version,
                        actual,
                    });
                }
            }
            let appended = Envelope::chain_after(
                log.events.last().map(Envelope::link),
                &request.stream_id,
                actual,
                &request.events,
                &request.meta,
            );
            for event in &appended {
                log.push(event.clone());
            }
            written.extend(appended);
        }
        Ok(written)
    }

    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError> {
        let mut log = Log::default();
        for event in events {
            log.push(event);
        }
        *self.log.borrow_mut() = log;
        self.snapshots.borrow_mut().clear();
        self.read_models.borrow_mut().clear();
        *self.sync_state.borrow_mut() = None;
        self.outbox.borrow_mut().clear();
        Ok(())
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        let log = self.log.borrow();
        Ok(log
            .streams
            .get(stream_id)
            .map(|at| {
                at.iter()
                    .map(|&at| &log.events[at])
                    .filter(|e| e.stream_version >= from_version)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        let start = usize::try_from(from_seq.saturating_sub(1)).unwrap_or(usize::MAX);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(self
            .log
            .borrow()
            .events
            .iter()
            .skip(start)
            .take(limit)
            .cloned()
            .collect())
    }

    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        Ok(self.log.borrow().command_events(command_id))
    }

    async fn last(&self) -> Result<Option<Envelope>, StoreError> {
        Ok(self.log.borrow().events.last().cloned())
    }
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

    async fn record(&self, command_id: &str, command: &str) -> Result<(), StoreError> {
        self.outbox
            .borrow_mut()
            .insert(command_id.to_owned(), command.to_owned());
        Ok(())
    }

    async fn recorded(&self, command_ids: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        let outbox = self.outbox.borrow();
        Ok(command_ids
            .iter()
            .map(|id| outbox.get(id).cloned())
            .collect())
    }

    async fn forget(&self, command_ids: &[String]) -> Result<(), StoreError> {
        let mut outbox = self.outbox.borrow_mut();
        for id in command_ids {
            outbox.remove(id);
        }
        Ok(())
    }

    async fn rebase(
        &self,
        seq: u64,
        head: u64,
        events: Vec<Envelope>,
        state: &str,
    ) -> Result<(), StoreError> {
        let mut log = self.log.borrow_mut();
        if log.events.len() as u64 != head {
            return Err(StoreError::Moved);
        }
        let kept = usize::try_from(seq).map_or(log.events.len(), |seq| seq.min(log.events.len()));
        verify_chain(kept.checked_sub(1).map(|last| &log.events[last]), &events)
            .map_err(|broken| StoreError::Corrupt(broken.to_string()))?;
        let removed = log.events[kept..].to_vec();
        log.truncate(kept);
        for event in &events {
            let actual = log.version(&event.stream_id);
            let taken = log
                .commands
                .get(&event.command_id)
                .is_some_and(|at| at[0] < kept);
            if event.stream_version != actual + 1 || taken {
                let conflict = StoreError::Conflict {
                    stream_id: event.stream_id.clone(),
                    expected: event.stream_version.saturating_sub(1),
                    actual,
                };
                log.truncate(kept);
                for event in removed {
                    log.push(event);
                }
                return Err(conflict);
            }
            log.push(event.clone());
        }
        let mut snapshots = self.snapshots.borrow_mut();
        for event in &removed {
            snapshots.remove(&event.stream_id);
        }
        *self.sync_state.borrow_mut() = Some(state.to_owned());
        Ok(())
    }
}
