//! Command execution: load the aggregate (its latest snapshot, then the events after it),
//! decide, append with the expected version; on a conflict, load again and decide again, a
//! bounded number of times. Every [`SNAPSHOT_EVERY`] events of a stream, its state is saved.
//! A caller that runs command after command ([`Kept`]) decides against the state its last
//! command left, and loads only when that state turns out to be out of date.

use std::cell::RefCell;
use std::rc::Rc;

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

/// How many streams' states a [`Kept`] holds: the streams most recently commanded.
pub const KEPT_STREAMS: usize = 16;

/// The states the last commands left their streams in, for [`execute_kept`]: the next command
/// on one of them is decided without reading the stream. A kept state that is out of date
/// (another tab wrote the stream since) costs a conflict and a load, never a wrong decision:
/// the append checks the stream version it was decided on, and a refusal is only given
/// after deciding again on the stored stream. Forget them when the log is replaced.
pub struct Kept<A> {
    /// The least recently kept first.
    states: Rc<RefCell<Vec<KeptState<A>>>>,
}

/// A stream's id and the state its last command left.
type KeptState<A> = (String, Loaded<A>);

impl<A> Clone for Kept<A> {
    fn clone(&self) -> Self {
        Kept {
            states: Rc::clone(&self.states),
        }
    }
}

impl<A> Default for Kept<A> {
    fn default() -> Self {
        Kept {
            states: Rc::default(),
        }
    }
}

impl<A> Kept<A> {
    /// Takes the state kept for `stream_id`, if any.
    fn take(&self, stream_id: &str) -> Option<Loaded<A>> {
        let mut states = self.states.borrow_mut();
        let at = states.iter().position(|(stream, _)| stream == stream_id)?;
        Some(states.remove(at).1)
    }

    /// Keeps `loaded` for `stream_id`, forgetting the least recently kept beyond
    /// [`KEPT_STREAMS`].
    fn keep(&self, stream_id: &str, loaded: Loaded<A>) {
        let mut states = self.states.borrow_mut();
        states.retain(|(stream, _)| stream != stream_id);
        if states.len() >= KEPT_STREAMS {
            states.remove(0);
        }
        states.push((stream_id.to_owned(), loaded));
    }

    /// Forgets every kept state: the log was replaced.
    pub fn forget(&self) {
        self.states.borrow_mut().clear();
    }

    /// How many streams' states are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.states.borrow().len()
    }

    /// Whether no state is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
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
    execute_kept(store, &Kept::<A>::default(), stream_id, command, meta).await
}

/// [`execute`], deciding against the state `kept` holds for the stream when it holds one,
/// and keeping the state the command leaves.
///
/// # Errors
/// As [`execute`].
pub async fn execute_kept<A: Aggregate, S: EventStore + SnapshotStore>(
    store: &S,
    kept: &Kept<A>,
    stream_id: &str,
    command: &A::Command,
    meta: &CommandMeta,
) -> Result<Vec<Envelope>, ExecuteError<A::Error>> {
    let earlier = store.read_command(&meta.command_id).await?;
    if !earlier.is_empty() {
        return Ok(earlier);
    }
    let mut known = kept.take(stream_id);
    for _ in 0..MAX_ATTEMPTS {
        let (loaded, was_kept) = match known.take() {
            Some(loaded) => (loaded, true),
            None => (load::<A, S>(store, stream_id).await?, false),
        };
        let events = match loaded.state.decide(command) {
            Ok(events) => events,
            // The kept state may be out of date: only the stored stream refuses.
            Err(_) if was_kept => continue,
            Err(refusal) => return Err(ExecuteError::Domain(refusal)),
        };
        let request = AppendRequest {
            stream_id: stream_id.to_owned(),
            expected_version: loaded.version,
            events: events.iter().map(codec::encode).collect::<Result<_, _>>()?,
            meta: meta.clone(),
        };
        match store.append(request).await {
            Ok(appended) => {
                let before = loaded.version;
                if let Ok(after) = fold(loaded, &appended) {
                    snapshot_if_due(store, stream_id, before, &after).await;
                    kept.keep(stream_id, after);
                }
                return Ok(appended);
            }
            Err(StoreError::Conflict { .. }) => {}
            Err(error) => return Err(ExecuteError::Store(error)),
        }
    }
    Err(ExecuteError::TooManyConflicts)
}

/// Saves the stream's state when the append that took it from version `before` to `after`
/// crossed a multiple of [`SNAPSHOT_EVERY`]. A snapshot is an optimisation: failing to make
/// or save one is not the command's failure.
async fn snapshot_if_due<A: Aggregate, S: SnapshotStore>(
    store: &S,
    stream_id: &str,
    before: u64,
    after: &Loaded<A>,
) {
    if after.version / SNAPSHOT_EVERY == before / SNAPSHOT_EVERY {
        return;
    }
    let Ok(state) = serde_json::to_string(&after.state) else {
        return;
    };
    let snapshot = Snapshot {
        stream_id: stream_id.to_owned(),
        stream_version: after.version,
        state_version: A::STATE_VERSION,
        state,
    };
    // Ignored on purpose: without the snapshot, the next load folds the whole stream.
    let _ = store.save_snapshot(&snapshot).await;
}
