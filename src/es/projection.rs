//! Projections fold stored events into read models. The [`ProjectionRunner`] keeps each
//! projection's checkpoint (the last seq applied), so an event is applied exactly once:
//! catch-up reads from the checkpoint, and events already seen are ignored. A runner can be
//! saved with its checkpoint and restored, so a start replays only the log's tail.

use futures::future::join;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::codec::{self, CodecError, EventSchema};
use super::{Envelope, EventStore, SavedReadModel, StoreError, READ_BATCH};

/// A read model built by folding events. No business rules: it records what happened.
pub trait Projection {
    type Event: EventSchema;
    /// The name its saved copy is kept under.
    const NAME: &'static str;
    /// Bump it when the fold or the read model's fields change: saved copies of another
    /// version are rebuilt from the log.
    const VERSION: u32;

    /// Folds one event in. `envelope` gives its position, stream and time.
    fn apply(&mut self, envelope: &Envelope, event: &Self::Event);

    /// Called once a saved copy has been decoded, to rebuild what the copy leaves out
    /// (anything derived from the rest). Returns whether the copy holds together; if not,
    /// it is discarded and the read model rebuilt from the log. Nothing to do by default.
    fn restored(&mut self) -> bool {
        true
    }

    /// The saved copy as JSON parts, each small enough to decode in one short task of the
    /// page: the whole read model as one part by default.
    ///
    /// # Errors
    /// When the read model does not serialise.
    fn save_parts(&self) -> Result<Vec<String>, serde_json::Error>
    where
        Self: Serialize,
    {
        Ok(vec![serde_json::to_string(self)?])
    }

    /// Decodes the `index`-th part (from 0) of a saved copy into a read model restored from
    /// the parts before it (from `Default` for the first): the inverse of
    /// [`Projection::save_parts`].
    ///
    /// # Errors
    /// When the part does not decode.
    fn restore_part(&mut self, index: u32, part: &str) -> Result<(), serde_json::Error>
    where
        Self: DeserializeOwned,
    {
        let _ = index;
        *self = serde_json::from_str(part)?;
        Ok(())
    }
}

/// What a runner does with a stored event it cannot read (an unknown type, a payload of the
/// wrong shape): never a crash either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnreadableEvents {
    /// Skip it, advance past it, and report it in [`ProjectionRunner::skipped`].
    #[default]
    SkipAndReport,
    /// Stop before it and report it in [`ProjectionRunner::halted`]; nothing after it is
    /// applied.
    Halt,
}

/// A projection and how far into the log it has read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectionRunner<P> {
    projection: P,
    checkpoint: u64,
    checkpoint_hash: String,
    policy: UnreadableEvents,
    skipped: Vec<(u64, CodecError)>,
    missing: Vec<(u64, u64)>,
    halted: Option<(u64, CodecError)>,
}

impl<P: Projection> ProjectionRunner<P> {
    /// A runner that has read nothing yet and skips unreadable events.
    #[must_use]
    pub fn new(projection: P) -> Self {
        Self::with_policy(projection, UnreadableEvents::SkipAndReport)
    }

    #[must_use]
    pub fn with_policy(projection: P, policy: UnreadableEvents) -> Self {
        ProjectionRunner {
            projection,
            checkpoint: 0,
            checkpoint_hash: String::new(),
            policy,
            skipped: Vec::new(),
            missing: Vec::new(),
            halted: None,
        }
    }

    #[must_use]
    pub fn read_model(&self) -> &P {
        &self.projection
    }

    /// The projection itself, to hand over work it queued (a process manager's commands to
    /// run). A read model changes only through [`Self::apply_all`]; nothing else should
    /// write through this.
    pub fn read_model_mut(&mut self) -> &mut P {
        &mut self.projection
    }

    /// The seq of the last event applied (0 before the first).
    #[must_use]
    pub fn checkpoint(&self) -> u64 {
        self.checkpoint
    }

    /// Events that could not be read, by seq, under [`UnreadableEvents::SkipAndReport`].
    #[must_use]
    pub fn skipped(&self) -> &[(u64, CodecError)] {
        &self.skipped
    }

    /// Seqs the log does not hold (a gap: records deleted or lost), as inclusive ranges,
    /// passed over under [`UnreadableEvents::SkipAndReport`]; only [`catch_up`] can tell a
    /// gap in the log from events not read yet.
    #[must_use]
    pub fn missing(&self) -> &[(u64, u64)] {
        &self.missing
    }

    /// The event the runner stopped before, under [`UnreadableEvents::Halt`].
    #[must_use]
    pub fn halted(&self) -> Option<&(u64, CodecError)> {
        self.halted.as_ref()
    }

    /// Applies the events that follow the checkpoint, in order, and returns how many it
    /// applied. Events at or before the checkpoint are ignored. It stops at a gap (an event
    /// beyond checkpoint + 1): [`catch_up`] then reads what is missing from the store.
    pub fn apply_all(&mut self, envelopes: &[Envelope]) -> usize {
        self.apply(envelopes, None)
    }

    /// Applies `envelopes` read from the store: everything it holds from seq `from` up to the
    /// last of them. A seq in between that is not there is missing from the log: under
    /// [`UnreadableEvents::SkipAndReport`] it is reported in [`Self::missing`] and passed
    /// over; under [`UnreadableEvents::Halt`] the runner stops before it.
    pub fn apply_stored(&mut self, from: u64, envelopes: &[Envelope]) -> usize {
        self.apply(envelopes, Some(from))
    }

    fn apply(&mut self, envelopes: &[Envelope], stored_from: Option<u64>) -> usize {
        let mut applied = 0;
        for envelope in envelopes {
            if envelope.seq <= self.checkpoint {
                continue;
            }
            if self.halted.is_some() {
                break;
            }
            if envelope.seq != self.checkpoint + 1 {
                let known_gap = stored_from.is_some_and(|from| from <= self.checkpoint + 1);
                if !known_gap || self.policy == UnreadableEvents::Halt {
                    break;
                }
                self.missing.push((self.checkpoint + 1, envelope.seq - 1));
            }
            match codec::decode::<P::Event>(
                &envelope.event_type,
                envelope.schema_version,
                &envelope.payload,
            ) {
                Ok(event) => self.projection.apply(envelope, &event),
                Err(error) if self.policy == UnreadableEvents::SkipAndReport => {
                    self.skipped.push((envelope.seq, error));
                }
                Err(error) => {
                    self.halted = Some((envelope.seq, error));
                    break;
                }
            }
            self.checkpoint = envelope.seq;
            self.checkpoint_hash.clone_from(&envelope.hash);
            applied += 1;
        }
        applied
    }
}

impl<P: Projection + Serialize> ProjectionRunner<P> {
    /// The read model and its checkpoint, ready to be saved: its parts in order (see
    /// [`Projection::save_parts`]), each stamped with the checkpoint, so that parts of
    /// different saves are never mixed.
    ///
    /// # Errors
    /// When the read model does not serialise.
    pub fn save(&self) -> Result<Vec<SavedReadModel>, serde_json::Error> {
        let parts = self.projection.save_parts()?;
        let count = u32::try_from(parts.len()).unwrap_or(u32::MAX);
        Ok((0..count)
            .zip(parts)
            .map(|(index, state)| SavedReadModel {
                name: SavedReadModel::part_name(P::NAME, index),
                version: P::VERSION,
                checkpoint: self.checkpoint,
                checkpoint_hash: self.checkpoint_hash.clone(),
                parts: count,
                state,
            })
            .collect())
    }
}

impl<P: Projection + Default + DeserializeOwned> ProjectionRunner<P> {
    /// Resumes from a saved copy (its parts, in order) when it fits this log, or starts from
    /// nothing (a full rebuild) when it is missing, of another projection version,
    /// unreadable, incomplete, or saved from another log: `at_checkpoint` is this log's event
    /// at the saved checkpoint, and its hash must be the one saved.
    #[must_use]
    pub fn restore(
        saved: Vec<SavedReadModel>,
        at_checkpoint: Option<&Envelope>,
        policy: UnreadableEvents,
    ) -> Self {
        let mut parts = saved.into_iter();
        let mut restoring = Self::decode_saved(parts.next(), at_checkpoint, policy);
        while restoring.next_part().is_some() {
            restoring.decode_part(parts.next());
        }
        restoring.finish()
    }

    /// The first step of [`Self::restore`]: checks the saved copy's first part and decodes
    /// it. Then [`Restoring::decode_part`] takes each part [`Restoring::next_part`] names (or
    /// [`Restoring::parts_left`] names all at once),
    /// and [`Restoring::finish`] rebuilds what the copy leaves out: a shell can let the page
    /// breathe between the steps, each of which is work enough for one task.
    pub fn decode_saved(
        saved: Option<SavedReadModel>,
        at_checkpoint: Option<&Envelope>,
        policy: UnreadableEvents,
    ) -> Restoring<P> {
        let decoded = saved
            .filter(|s| s.name == P::NAME && s.version == P::VERSION && s.parts > 0)
            .filter(|s| {
                at_checkpoint.is_some_and(|e| e.seq == s.checkpoint && e.hash == s.checkpoint_hash)
            })
            .and_then(|s| {
                let mut projection = P::default();
                projection.restore_part(0, &s.state).ok()?;
                Some((
                    ProjectionRunner {
                        checkpoint: s.checkpoint,
                        checkpoint_hash: s.checkpoint_hash,
                        ..Self::with_policy(projection, policy)
                    },
                    s.parts,
                ))
            });
        let (decoded, parts) = decoded.map_or((None, 0), |(runner, parts)| (Some(runner), parts));
        Restoring {
            decoded,
            policy,
            parts,
            next: 1,
        }
    }
}

/// A saved read model being decoded, part by part: see [`ProjectionRunner::decode_saved`].
#[derive(Debug)]
#[must_use]
pub struct Restoring<P> {
    decoded: Option<ProjectionRunner<P>>,
    policy: UnreadableEvents,
    parts: u32,
    next: u32,
}

impl<P: Projection + DeserializeOwned> Restoring<P> {
    /// The name of the part to decode next, while the saved copy is still usable and has
    /// parts left.
    #[must_use]
    pub fn next_part(&self) -> Option<String> {
        (self.decoded.is_some() && self.next < self.parts)
            .then(|| SavedReadModel::part_name(P::NAME, self.next))
    }

    /// The names of the parts still to decode, in order, while the saved copy is still
    /// usable: to read them at once, then hand them to [`Self::decode_part`] one by one.
    #[must_use]
    pub fn parts_left(&self) -> Vec<String> {
        if self.decoded.is_none() {
            return Vec::new();
        }
        (self.next..self.parts)
            .map(|index| SavedReadModel::part_name(P::NAME, index))
            .collect()
    }

    /// Decodes the part [`Self::next_part`] named. A part that is missing, saved at another
    /// checkpoint or by another version, or unreadable discards the whole copy.
    pub fn decode_part(&mut self, saved: Option<SavedReadModel>) {
        let Some(mut runner) = self.decoded.take() else {
            return;
        };
        let fits = saved.filter(|s| {
            s.name == SavedReadModel::part_name(P::NAME, self.next)
                && s.version == P::VERSION
                && s.checkpoint == runner.checkpoint
                && s.checkpoint_hash == runner.checkpoint_hash
        });
        if let Some(part) = fits {
            if runner
                .projection
                .restore_part(self.next, &part.state)
                .is_ok()
            {
                self.decoded = Some(runner);
            }
        }
        self.next += 1;
    }
}

impl<P: Projection + Default> Restoring<P> {
    /// The runner: resumed from the saved copy when every part was decoded and the copy
    /// holds together ([`Projection::restored`]), otherwise starting from nothing.
    pub fn finish(self) -> ProjectionRunner<P> {
        let complete = self.next >= self.parts;
        self.decoded
            .filter(|_| complete)
            .and_then(|mut runner| runner.projection.restored().then_some(runner))
            .unwrap_or_else(|| ProjectionRunner::with_policy(P::default(), self.policy))
    }
}

/// Brings a projection up to the end of the log: reads everything after `checkpoint()`,
/// batch by batch, and hands each batch to `apply` with the seq it was read from, which
/// returns how many events it applied (as [`ProjectionRunner::apply_stored`] does). Returns
/// how many were applied in all.
///
/// The runner is reached through closures so that it can live wherever the caller keeps it
/// (a signal, a `RefCell`) without being borrowed across an `await`.
///
/// # Errors
/// The store's error, or [`StoreError::Corrupt`] when the log cannot be applied past an event
/// (a gap or an unreadable event, under [`UnreadableEvents::Halt`]); what was applied before
/// it stays applied.
pub async fn catch_up<S: EventStore>(
    store: &S,
    checkpoint: impl Fn() -> u64,
    apply: impl FnMut(u64, &[Envelope]) -> usize,
) -> Result<usize, StoreError> {
    catch_up_in_pages(store, checkpoint, || READ_BATCH, apply).await
}

/// [`catch_up`] reading pages of `page_size()` events, asked before each read: a shell can
/// size them by the time the last one took, so that folding one never blocks the page for
/// long, whatever the device. The next page is read while the last one is applied: the read
/// waits on the storage, the apply on the CPU.
///
/// # Errors
/// As [`catch_up`].
pub async fn catch_up_in_pages<S: EventStore>(
    store: &S,
    checkpoint: impl Fn() -> u64,
    mut page_size: impl FnMut() -> u32,
    mut apply: impl FnMut(u64, &[Envelope]) -> usize,
) -> Result<usize, StoreError> {
    let mut applied = 0;
    let mut from = checkpoint() + 1;
    let mut limit = page_size().max(1);
    let mut page = store.read_all(from, limit).await?;
    loop {
        let last_page = page.len() < limit as usize;
        // Where the next page starts once this one is applied, unless applying stops short.
        let next_from = page.last().map_or(from, |event| event.seq + 1);
        let next_limit = page_size().max(1);
        let (next, applied_now) = if last_page {
            (None, apply(from, &page))
        } else {
            let (next, applied_now) = join(store.read_all(next_from, next_limit), async {
                apply(from, &page)
            })
            .await;
            (Some(next), applied_now)
        };
        if applied_now == 0 && !page.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "the log cannot be applied past event {}: event {from} is missing or unreadable",
                from - 1
            )));
        }
        applied += applied_now;
        let Some(next) = next else {
            return Ok(applied);
        };
        (from, limit, page) = if checkpoint() + 1 == next_from {
            (next_from, next_limit, next?)
        } else {
            let from = checkpoint() + 1;
            let limit = page_size().max(1);
            (from, limit, store.read_all(from, limit).await?)
        };
    }
}
