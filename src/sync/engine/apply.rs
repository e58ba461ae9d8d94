//! Applying a page of the shop's log to this device's log: its own pushes coming back are
//! confirmed where they are; from the first other event on, the pending events are set
//! aside, the shop's appended in one write with the engine's state ([`SyncedStore::rebase`]),
//! and the commands set aside put back on top ([`Undecided`]). An event that cannot be
//! applied is quarantined: one the checks here refuse (not an event, altered, misfiled, of a
//! type the app does not know, out of order within the page), or one the store refuses (not
//! its stream's next version, or a command already in the log).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Decider, Quarantined, Redecision, Refused, SyncEngine, SyncError, SyncState, Synced};
use crate::es::{AppendRequest, CommandMeta, Envelope, NewEvent, StoreError, SyncedStore};
use crate::sync::jetstream::{Pulled, WireEvent};

/// A command a rebase set aside, to be put back on the shop's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Undecided {
    /// A recorded command (its id; its text is the store's, `SyncedStore::recorded`), to be
    /// decided again.
    Recorded(String),
    /// The events of a command written before sync, never recorded, to be appended again as
    /// they were if their streams did not move.
    AsItWas(Vec<WireEvent>),
}

/// An event of the shop's log that is not this device's own, and where it came from.
struct Fresh {
    seq: u64,
    subject: String,
    event: WireEvent,
}

impl SyncEngine {
    /// Applies one page of the shop's log; read again from the log when another tab wrote
    /// to it meanwhile.
    pub(super) async fn apply<S: SyncedStore, D: Decider<S>>(
        &mut self,
        store: &S,
        decider: &D,
        pulled: &[Pulled],
        synced: &mut Synced,
    ) -> Result<(), SyncError> {
        loop {
            match self
                .apply_page(store, decider, pulled.to_vec(), synced)
                .await
            {
                Err(SyncError::Store(StoreError::Moved)) => {}
                applied => return applied,
            }
        }
    }

    async fn apply_page<S: SyncedStore, D: Decider<S>>(
        &mut self,
        store: &S,
        decider: &D,
        pulled: Vec<Pulled>,
        synced: &mut Synced,
    ) -> Result<(), SyncError> {
        let confirmed = self.state.confirmed();
        let pending = store.read_all(confirmed + 1, u32::MAX).await?;
        let head_seq = pending.last().map_or(confirmed, |event| event.seq);
        let mut next = self.state.clone();
        let mut quarantined = Vec::new();
        let mut own = 0;
        let mut fresh = Vec::new();
        for message in pulled {
            if message.seq != next.cursor + 1 {
                return Err(SyncError::Protocol(format!(
                    "message {} follows {}",
                    message.seq, next.cursor
                )));
            }
            next.cursor = message.seq;
            match message.event {
                Ok(event)
                    if fresh.is_empty()
                        && pending.get(own).is_some_and(|p| WireEvent::of(p) == event) =>
                {
                    self.placed(&pending[own], message.seq);
                    own += 1;
                }
                Ok(event) => match in_page(&fresh, &event).and_then(|()| decider.check(&event)) {
                    Ok(()) => fresh.push(Fresh {
                        seq: message.seq,
                        subject: message.subject,
                        event,
                    }),
                    Err(reason) => {
                        quarantined.push(quarantine(message.seq, message.subject, reason));
                    }
                },
                Err(reason) => quarantined.push(quarantine(message.seq, message.subject, reason)),
            }
        }
        self.to_forget.extend(confirmed_own(&pending, own));
        let kept = confirmed + own as u64;
        // Only a page holding others' events reads the log's head and the outbox.
        let (head, recorded) = if fresh.is_empty() {
            (None, HashSet::new())
        } else {
            let head = match own.checked_sub(1) {
                Some(last) => pending.get(last).cloned(),
                None => store.read_all(confirmed, 1).await?.into_iter().next(),
            };
            let recorded = recorded_among(store, &pending[own..]).await?;
            (head.filter(|head| head.seq == kept), recorded)
        };
        loop {
            quarantined.sort_by_key(|q| q.seq);
            let mut attempt = next.clone();
            attempt.quarantined.extend(quarantined.iter().cloned());
            attempt.quarantined.sort_by_key(|q| q.seq);
            if fresh.is_empty() {
                self.state = attempt;
                synced.quarantined.extend(quarantined);
                return Ok(());
            }
            set_aside(&mut attempt, &pending[own..], &fresh, &recorded);
            let text = serde_json::to_string(&attempt).expect("plain data always serialises");
            let chained = chain(head.as_ref(), &fresh);
            match store.rebase(kept, head_seq, chained.clone(), &text).await {
                Ok(()) => {
                    self.state = attempt;
                    self.ahead.clear();
                    for (event, f) in chained.iter().zip(&fresh) {
                        self.placed(event, f.seq);
                    }
                    self.to_forget
                        .extend(fresh.iter().map(|f| f.event.command_id.clone()));
                    synced.quarantined.extend(quarantined);
                    synced.rebased_after =
                        Some(synced.rebased_after.map_or(kept, |at| at.min(kept)));
                    break;
                }
                Err(StoreError::Conflict {
                    stream_id,
                    expected,
                    actual,
                }) => quarantined.push(refused_by_store(&mut fresh, &stream_id, expected, actual)?),
                Err(error) => return Err(error.into()),
            }
        }
        self.decide_undecided(store, decider, synced).await
    }

    /// Puts back, oldest first, the commands a rebase set aside: a recorded one decided
    /// again (a refusal goes to the refused list), one written before sync appended again as
    /// it was. What is done is saved; a failure leaves the rest for the next sync.
    pub(super) async fn decide_undecided<S: SyncedStore, D: Decider<S>>(
        &mut self,
        store: &S,
        decider: &D,
        synced: &mut Synced,
    ) -> Result<(), SyncError> {
        while let Some(undecided) = self.state.undecided.first().cloned() {
            let refusal = match undecided {
                Undecided::Recorded(command_id) => {
                    let ids = [command_id];
                    let Some(Some(command)) = store.recorded(&ids).await?.pop() else {
                        self.state.undecided.remove(0);
                        continue;
                    };
                    let [command_id] = ids;
                    match decider.redecide(store, &command_id, &command).await {
                        Ok(()) => None,
                        Err(Redecision::Refused(reason)) => {
                            self.to_forget.push(command_id.clone());
                            Some((command_id, command, reason))
                        }
                        Err(Redecision::Failed(error)) => {
                            self.save(store).await?;
                            return Err(error.into());
                        }
                    }
                }
                Undecided::AsItWas(events) => append_as_it_was(store, &events)
                    .await?
                    .err()
                    .map(|reason| (events[0].command_id.clone(), String::new(), reason)),
            };
            if let Some((command_id, command, reason)) = refusal {
                let refused = Refused {
                    command_id,
                    command,
                    reason,
                };
                synced.refused.push(refused.clone());
                self.state.refused.push(refused);
            }
            self.state.undecided.remove(0);
        }
        Ok(self.save(store).await?)
    }
}

/// Takes out of `fresh` the event the store refused (the one of `stream_id` after version
/// `expected`, where the stream is at `actual`; a taken command id when they are equal), and
/// quarantines it.
fn refused_by_store(
    fresh: &mut Vec<Fresh>,
    stream_id: &str,
    expected: u64,
    actual: u64,
) -> Result<Quarantined, SyncError> {
    let at = fresh
        .iter()
        .position(|f| f.event.stream_id == stream_id && f.event.stream_version == expected + 1)
        .ok_or_else(|| {
            SyncError::Protocol(format!("the store refused {stream_id} at {expected}"))
        })?;
    let refused = fresh.remove(at);
    let reason = if expected == actual {
        format!(
            "its command {} is in the log already",
            refused.event.command_id
        )
    } else {
        format!(
            "it is version {} of {stream_id}, which is at version {actual}",
            refused.event.stream_version
        )
    };
    Ok(quarantine(refused.seq, refused.subject, reason))
}

fn quarantine(seq: u64, subject: String, reason: String) -> Quarantined {
    Quarantined {
        seq,
        subject,
        reason,
    }
}

/// Whether `event` follows the page's earlier fresh events: the next version of a stream
/// they hold, and not a command they hold but for the one just before it.
fn in_page(fresh: &[Fresh], event: &WireEvent) -> Result<(), String> {
    if let Some(earlier) = fresh
        .iter()
        .rev()
        .find(|f| f.event.stream_id == event.stream_id)
    {
        if event.stream_version != earlier.event.stream_version + 1 {
            return Err(format!(
                "it is version {} of {}, which is at version {}",
                event.stream_version, event.stream_id, earlier.event.stream_version
            ));
        }
    }
    let repeated = fresh
        .last()
        .is_none_or(|last| last.event.command_id != event.command_id)
        && fresh.iter().any(|f| f.event.command_id == event.command_id);
    if repeated {
        return Err(format!(
            "its command {} is in the log already",
            event.command_id
        ));
    }
    Ok(())
}

/// The commands of `events`, each with its events, in order: a command's events are
/// appended together, so they follow each other in the log.
fn commands_of(events: &[Envelope]) -> impl Iterator<Item = (&str, &[Envelope])> {
    events
        .chunk_by(|a, b| a.command_id == b.command_id)
        .map(|events| (events[0].command_id.as_str(), events))
}

/// The commands whose events all came back among the first `own` pending events: they are
/// in the shop's order.
fn confirmed_own(pending: &[Envelope], own: usize) -> Vec<String> {
    let still_pending = pending.get(own).map(|e| e.command_id.as_str());
    commands_of(&pending[..own])
        .map(|(id, _)| id)
        .filter(|id| Some(*id) != still_pending)
        .map(str::to_owned)
        .collect()
}

/// Which of the commands of `removed` (pending events a rebase sets aside) were recorded,
/// read at once.
async fn recorded_among<S: SyncedStore>(
    store: &S,
    removed: &[Envelope],
) -> Result<HashSet<String>, StoreError> {
    let ids: Vec<String> = commands_of(removed).map(|(id, _)| id.to_owned()).collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let texts = store.recorded(&ids).await?;
    Ok(ids
        .into_iter()
        .zip(texts)
        .filter_map(|(id, text)| text.map(|_| id))
        .collect())
}

/// Sets aside the pending events `removed`: a recorded command the shop's log did not
/// bring back is to be decided again; one written before sync, never recorded, to be
/// appended as it was; one a process manager issued (caused by an event, not by the seller)
/// is left to be issued again from the rebased log.
fn set_aside(
    state: &mut SyncState,
    removed: &[Envelope],
    fresh: &[Fresh],
    recorded: &HashSet<String>,
) {
    let brought_back: HashSet<&str> = fresh.iter().map(|f| f.event.command_id.as_str()).collect();
    for (id, events) in commands_of(removed) {
        if brought_back.contains(id) {
            continue;
        }
        if recorded.contains(id) {
            state.undecided.push(Undecided::Recorded(id.to_owned()));
        } else if events[0].causation_id == id {
            state.undecided.push(Undecided::AsItWas(
                events.iter().map(WireEvent::of).collect(),
            ));
        }
    }
}

/// The fresh events chained after `head`, the last kept event.
fn chain(head: Option<&Envelope>, fresh: &[Fresh]) -> Vec<Envelope> {
    let mut chained: Vec<Envelope> = Vec::with_capacity(fresh.len());
    for f in fresh {
        let previous = chained.last().or(head).map(Envelope::link);
        let envelope = f.event.clone().after(previous);
        chained.push(envelope);
    }
    chained
}

/// Appends again, as they were, the events of a command written before sync, or says why
/// not: a stream of it moved. Done already (a sync stopped after it), it writes nothing.
async fn append_as_it_was<S: SyncedStore>(
    store: &S,
    events: &[WireEvent],
) -> Result<Result<(), String>, StoreError> {
    let Some(first) = events.first() else {
        return Ok(Ok(()));
    };
    if !store.read_command(&first.command_id).await?.is_empty() {
        return Ok(Ok(()));
    }
    let mut requests: Vec<AppendRequest> = Vec::new();
    for event in events {
        let new = NewEvent {
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            payload: event.payload.clone(),
        };
        match requests.last_mut() {
            Some(request) if request.stream_id == event.stream_id => request.events.push(new),
            _ => requests.push(AppendRequest {
                stream_id: event.stream_id.clone(),
                expected_version: event.stream_version - 1,
                events: vec![new],
                meta: CommandMeta {
                    command_id: event.command_id.clone(),
                    correlation_id: event.correlation_id.clone(),
                    causation_id: event.causation_id.clone(),
                    recorded_at: event.recorded_at,
                },
            }),
        }
    }
    match store.append_batch(requests).await {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::Conflict { stream_id, .. }) => Ok(Err(format!(
            "{stream_id} was changed on another device before this change was sent"
        ))),
        Err(error) => Err(error),
    }
}
