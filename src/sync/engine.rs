//! The sync engine: keeps this device's log in the shop's order, pushing what was decided
//! here and pulling what the shop's other devices wrote.
//!
//! The log is the shop's order so far (every event the shop's `JetStream` stream holds, in its
//! sequence, less what was quarantined) followed by this device's pending events, the
//! commands decided here and not yet in the shop's log. Pending commands are pushed oldest
//! first, one at a time, each append expecting the last sequence of its subjects. Pulling
//! reads the shop's log from the cursor on: its first events may be this device's own pushes
//! coming back (confirmed where they are); anything else rebases, as `git rebase` does: the
//! pending events are set aside, the shop's appended, and each pending command decided again
//! on top (its id kept, so a command that came back in the pull is not decided twice). A
//! command the shop's order now refuses is kept in the refused list with the domain's words.
//! The engine knows streams, versions and command ids; deciding is the [`Decider`]'s.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::jetstream::{
    self, Ack, Fetched, LogSize, NotCreated, Outgoing, Pulled, ShopLog, WireEvent, USER_INFO,
};
use super::nats::Message;
use crate::es::{Envelope, StoreError, SyncedStore, READ_BATCH};

mod apply;

pub use apply::Undecided;

/// How many messages one pull asks for.
pub const PULL_BATCH: u32 = 1_000;

/// How many pushes go between saves of the engine's state. A state saved behind the log
/// loses nothing: the pushes it does not know of come back in the next pull as this
/// device's own, and are confirmed where they are.
const SAVE_EVERY: u64 = 100;

/// How many times in a row a push may find the shop's log ahead of it with nothing new to
/// pull before the sync stops (to be tried again later).
const MAX_UNSEEN: u32 = 50;

/// Why a sync stopped. Nothing local is lost by any of them: the next sync goes on.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum SyncError {
    #[error("the sync server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the sync server refused this device's name or password: {0}")]
    NotAllowed(String),
    #[error("the sync server does not keep logs (JetStream is off for this shop)")]
    NoJetStream,
    #[error("the sync server answered what orderlog does not understand: {0}")]
    Protocol(String),
    #[error("the sync server refused: {0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A connection to the shop's NATS server, over whatever carries its bytes (TCP natively, a
/// WebSocket in the browser).
#[allow(async_fn_in_trait)]
pub trait Connection {
    /// Publishes `message` and waits for nothing.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost.
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError>;

    /// Publishes `message` and waits for its one reply.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost or no reply comes in time.
    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError>;

    /// Publishes `message` and collects its replies up to the first with a status (the end).
    ///
    /// # Errors
    /// As [`Connection::request`].
    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError>;
}

/// What deciding means, for the engine: the app's commands and events.
#[allow(async_fn_in_trait)]
pub trait Decider<S> {
    /// Decides the command recorded as `command` (see [`SyncEngine::record`]) again, against
    /// `store`, and appends its events under `command_id`.
    ///
    /// # Errors
    /// [`Redecision::Refused`] with the domain's words; [`Redecision::Failed`] when the store
    /// failed (the command is decided again at the next sync).
    async fn redecide(&self, store: &S, command_id: &str, command: &str) -> Result<(), Redecision>;

    /// Whether an event of the shop's log can be applied here: a known type and schema,
    /// readable, in a stream of its kind. An event that cannot is quarantined, with these
    /// words.
    ///
    /// # Errors
    /// Why it cannot.
    fn check(&self, event: &WireEvent) -> Result<(), String>;
}

/// Why a command decided again was not appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redecision {
    Refused(String),
    Failed(StoreError),
}

/// A message of the shop's log that is not applied here: its sequence, subject and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    pub seq: u64,
    pub subject: String,
    pub reason: String,
}

/// A command the shop's order refused when it was decided again, and the domain's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub command_id: String,
    /// As recorded; empty for a command that was never recorded (written before sync).
    pub command: String,
    pub reason: String,
}

/// What the engine keeps between syncs, saved beside the log (`SyncedStore`); the commands
/// decided here are kept there too, each on its own (`SyncedStore::record`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The last sequence of the shop's log read here, applied or quarantined.
    pub cursor: u64,
    /// In sequence order.
    pub quarantined: Vec<Quarantined>,
    /// Commands a rebase set aside and not yet put back, oldest first.
    #[serde(default)]
    pub undecided: Vec<Undecided>,
    /// Oldest first.
    pub refused: Vec<Refused>,
    /// The shop (its log's name) this device's log joined: its own pushes may be in that
    /// log before the cursor says so, and they are not another shop's orders.
    #[serde(default)]
    pub joined: Option<String>,
}

impl SyncState {
    /// How many of the log's events are in the shop's order: the rest are pending.
    #[must_use]
    pub fn confirmed(&self) -> u64 {
        self.cursor - self.quarantined.len() as u64
    }

    /// The shop's sequence of the confirmed event at `seq` in this device's log.
    fn shop_seq(&self, seq: u64) -> u64 {
        self.quarantined
            .iter()
            .fold(seq, |at, q| if q.seq <= at { at + 1 } else { at })
    }
}

/// What one [`SyncEngine::sync`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// Messages read from the shop's log.
    pub pulled: u64,
    /// Commands pushed.
    pub pushed: u64,
    /// The seq after which the log was rewritten, if it was: what was folded after it is
    /// out of date.
    pub rebased_after: Option<u64>,
    pub refused: Vec<Refused>,
    pub quarantined: Vec<Quarantined>,
}

/// How a push went.
enum Pushed {
    /// Nothing was pending.
    Nothing,
    /// Stored right after what this device had read: confirmed where it is.
    InPlace,
    /// Stored after, or refused because of, what this device has not read yet.
    Behind,
}

/// One device's sync with its shop's log.
pub struct SyncEngine {
    log: ShopLog,
    state: SyncState,
    stream_ready: bool,
    /// Recorded commands now in the shop's log, or refused: forgotten at the next save.
    to_forget: Vec<String>,
    /// Pending events read ahead of the push, from the first not yet in the shop's order.
    ahead: VecDeque<Envelope>,
    /// Each stream's last event in the shop's order as far as this engine saw it: its
    /// version and shop sequence, what the next push to it expects.
    positions: HashMap<String, (u64, u64)>,
    /// The server lets this device read the shop's log, not append to it: nothing is pushed.
    read_only: bool,
    /// Told the cursor after each page pulled.
    on_pulled: Box<dyn Fn(u64)>,
}

impl SyncEngine {
    /// The engine for `log`, with the state `store` kept.
    ///
    /// # Errors
    /// The store's error reading it; [`StoreError::Corrupt`] for a state it cannot read.
    pub async fn open<S: SyncedStore>(store: &S, log: ShopLog) -> Result<SyncEngine, StoreError> {
        let state = match store.load_sync_state().await? {
            Some(text) => serde_json::from_str(&text)
                .map_err(|error| StoreError::Corrupt(format!("the sync state: {error}")))?,
            None => SyncState::default(),
        };
        Ok(SyncEngine {
            log,
            state,
            stream_ready: false,
            to_forget: Vec::new(),
            ahead: VecDeque::new(),
            positions: HashMap::new(),
            read_only: false,
            on_pulled: Box::new(|_| {}),
        })
    }

    /// Whether the server lets this device's user append to the shop's log (it may only be
    /// allowed to read it).
    ///
    /// # Errors
    /// The connection's; [`SyncError::Protocol`] for an answer that does not say.
    pub async fn may_append<C: Connection>(&self, connection: &mut C) -> Result<bool, SyncError> {
        let reply = connection
            .request(&api(USER_INFO.to_owned(), String::new()))
            .await?;
        self.log
            .may_append(answered(&reply)?)
            .map_err(SyncError::Protocol)
    }

    /// From now on, only pulls: the server refuses this device's appends.
    pub fn read_only(&mut self) {
        self.read_only = true;
    }

    /// Looks the shop's log up on the server: its size, or `None` when the shop is not
    /// there. Once found, a sync does not ask to create it.
    ///
    /// # Errors
    /// The connection's, or the server's refusal.
    pub async fn look_up<C: Connection>(
        &mut self,
        connection: &mut C,
    ) -> Result<Option<LogSize>, SyncError> {
        let (subject, body) = self.log.info();
        let reply = connection.request(&api(subject, body)).await?;
        let size = jetstream::found(&reply).map_err(not_created)?;
        self.stream_ready = size.is_some();
        Ok(size)
    }

    /// Starts the shop's log on the server (or finds it made as asked), with as many
    /// replicas as the log asks, or one on a server that is not a cluster.
    ///
    /// # Errors
    /// The connection's, or the server's refusal.
    pub async fn start<C: Connection>(&mut self, connection: &mut C) -> Result<(), SyncError> {
        let mut created = self.create_stream(connection).await?;
        if created == Err(NotCreated::NotClustered) && self.log.replicas > 1 {
            self.log.replicas = 1;
            created = self.create_stream(connection).await?;
        }
        created.map_err(not_created)?;
        self.stream_ready = true;
        Ok(())
    }

    /// Whether this device's log already joined the shop's (see [`SyncEngine::join`]).
    #[must_use]
    pub fn joined(&self) -> bool {
        self.state.joined.as_deref() == Some(self.log.stream.as_str())
    }

    /// Notes, and saves at once, that this device's log joins the shop's: from now on, what
    /// it holds is the shop's, pushed or to be pushed, even before any push is confirmed.
    ///
    /// # Errors
    /// The store's.
    pub async fn join<S: SyncedStore>(&mut self, store: &S) -> Result<(), StoreError> {
        self.state.joined = Some(self.log.stream.clone());
        self.save(store).await
    }

    /// Calls `told` with the cursor after each page a sync pulls: a long pull's progress.
    pub fn on_pulled(&mut self, told: impl Fn(u64) + 'static) {
        self.on_pulled = Box::new(told);
    }

    /// Takes the command `command_id` off the refused list, and saves that.
    ///
    /// # Errors
    /// The store's.
    pub async fn dismiss<S: SyncedStore>(
        &mut self,
        store: &S,
        command_id: &str,
    ) -> Result<(), StoreError> {
        self.state.refused.retain(|r| r.command_id != command_id);
        self.save(store).await
    }

    #[must_use]
    pub fn state(&self) -> &SyncState {
        &self.state
    }

    /// Records a command just decided and appended here, to be decided again if the shop's
    /// order changes under it. `command` is the app's, read back only by its [`Decider`].
    ///
    /// # Errors
    /// The store's error keeping it.
    pub async fn record<S: SyncedStore>(
        &self,
        store: &S,
        command_id: &str,
        command: &str,
    ) -> Result<(), StoreError> {
        store.record(command_id, command).await
    }

    /// Saves the state, and forgets the recorded commands now in the shop's log.
    async fn save<S: SyncedStore>(&mut self, store: &S) -> Result<(), StoreError> {
        if !self.to_forget.is_empty() {
            store.forget(&self.to_forget).await?;
            self.to_forget.clear();
        }
        store.save_sync_state(&self.text()).await
    }

    fn text(&self) -> String {
        serde_json::to_string(&self.state).expect("strings and integers always serialise")
    }

    /// Pulls what the shop wrote and pushes what was decided here, until nothing is
    /// pending or the server stops it.
    ///
    /// # Errors
    /// The connection's, the server's or the store's; what was done before stays done.
    pub async fn sync<S: SyncedStore, C: Connection, D: Decider<S>>(
        &mut self,
        store: &S,
        connection: &mut C,
        decider: &D,
    ) -> Result<Synced, SyncError> {
        let mut synced = Synced::default();
        if !self.stream_ready {
            self.create_stream(connection).await?.map_err(not_created)?;
            self.stream_ready = true;
        }
        // A sync stopped midway may have left commands set aside.
        self.decide_undecided(store, decider, &mut synced).await?;
        let mut unseen = 0;
        loop {
            let before = synced.pulled;
            self.pull(store, connection, decider, &mut synced).await?;
            if synced.pulled > before {
                unseen = 0;
            }
            let pushed = if self.read_only {
                Pushed::Nothing
            } else {
                self.push_next(store, connection).await?
            };
            match pushed {
                Pushed::Nothing => {
                    self.save(store).await?;
                    return Ok(synced);
                }
                Pushed::InPlace => {
                    synced.pushed += 1;
                    if synced.pushed % SAVE_EVERY == 0 {
                        self.save(store).await?;
                    }
                }
                // What it is behind may not be readable yet (a push from a connection
                // that dropped, still being stored): pull again, a bounded number of times.
                Pushed::Behind if unseen < MAX_UNSEEN => unseen += 1,
                Pushed::Behind => {
                    return Err(SyncError::Unreachable(
                        "the shop's log does not show what the server says it holds yet".into(),
                    ))
                }
            }
        }
    }

    async fn create_stream<C: Connection>(
        &self,
        connection: &mut C,
    ) -> Result<Result<(), NotCreated>, SyncError> {
        let (subject, body) = self.log.create();
        let reply = connection.request(&api(subject, body)).await?;
        Ok(jetstream::created(&reply))
    }

    /// Reads the shop's log from the cursor to its end, applying it page by page, each page
    /// ending on a whole command (a command is appended whole, or not at all).
    async fn pull<S: SyncedStore, C: Connection, D: Decider<S>>(
        &mut self,
        store: &S,
        connection: &mut C,
        decider: &D,
        synced: &mut Synced,
    ) -> Result<(), SyncError> {
        let mut limit = PULL_BATCH;
        loop {
            let (subject, body) = self.log.fetch(self.state.cursor + 1, limit);
            let replies = connection.request_all(&api(subject, body)).await?;
            if let Some(reply) = replies.first() {
                answered(reply)?;
            }
            let mut pulled = Vec::new();
            for reply in &replies {
                match self.log.fetched(reply).map_err(SyncError::Protocol)? {
                    Fetched::Message(message) => pulled.push(message),
                    Fetched::End => break,
                }
            }
            if pulled.is_empty() {
                return Ok(());
            }
            if pulled.len() == limit as usize {
                // A full page: its last command may go on in the next.
                match whole_commands(&pulled) {
                    0 => {
                        limit = limit.saturating_mul(2);
                        continue;
                    }
                    whole => pulled.truncate(whole),
                }
            }
            limit = PULL_BATCH;
            synced.pulled += pulled.len() as u64;
            self.apply(store, decider, &pulled, synced).await?;
            (self.on_pulled)(self.state.cursor);
        }
    }

    /// Pushes the oldest pending command.
    async fn push_next<S: SyncedStore, C: Connection>(
        &mut self,
        store: &S,
        connection: &mut C,
    ) -> Result<Pushed, SyncError> {
        let Some(events) = self.next_command(store).await? else {
            return Ok(Pushed::Nothing);
        };
        let command_id = events[0].command_id.clone();
        let mut expected = HashMap::new();
        for event in &events {
            if !expected.contains_key(&event.stream_id) {
                let last = self.last_shop_seq(store, event).await?;
                expected.insert(event.stream_id.clone(), last);
            }
        }
        let messages = self
            .log
            .publication(&events, |stream_id| expected[stream_id]);
        let (last, earlier) = messages.split_last().expect("a command has events");
        for message in earlier {
            connection.publish(message).await?;
        }
        let reply = connection.request(last).await?;
        match Ack::read(answered(&reply)?) {
            Ack::Stored { last, count }
                if count == events.len() as u64 && last - count == self.state.cursor =>
            {
                for (at, event) in (last + 1 - count..).zip(&events) {
                    self.placed(event, at);
                }
                self.state.cursor = last;
                self.to_forget.push(command_id);
                Ok(Pushed::InPlace)
            }
            Ack::Stored { .. } | Ack::Duplicate | Ack::Stale => Ok(Pushed::Behind),
            Ack::Refused(reason) => Err(SyncError::Refused(reason)),
        }
    }

    /// Notes that `event` is at `seq` in the shop's order.
    fn placed(&mut self, event: &Envelope, seq: u64) {
        self.positions
            .insert(event.stream_id.clone(), (event.stream_version, seq));
    }

    /// The events of the oldest pending command, if any.
    async fn next_command<S: SyncedStore>(
        &mut self,
        store: &S,
    ) -> Result<Option<Vec<Envelope>>, StoreError> {
        let from = self.state.confirmed() + 1;
        if self.ahead.front().map(|e| e.seq) != Some(from) {
            self.ahead = store.read_all(from, READ_BATCH).await?.into();
        }
        let Some(command_id) = self.ahead.front().map(|e| e.command_id.clone()) else {
            return Ok(None);
        };
        let mut events = Vec::new();
        loop {
            while let Some(event) = self.ahead.pop_front() {
                if event.command_id != command_id {
                    self.ahead.push_front(event);
                    return Ok(Some(events));
                }
                events.push(event);
            }
            // The events read ahead ran out within the command: it may go on.
            let next = events.last().map_or(from, |e| e.seq + 1);
            self.ahead = store.read_all(next, READ_BATCH).await?.into();
            if self
                .ahead
                .front()
                .is_none_or(|e| e.command_id != command_id)
            {
                return Ok(Some(events));
            }
        }
    }

    /// The shop's sequence of the last message on `event`'s subject before it: its stream's
    /// previous event (confirmed, as every command before it is), or a message quarantined
    /// there since; 0 for none.
    async fn last_shop_seq<S: SyncedStore>(
        &mut self,
        store: &S,
        event: &Envelope,
    ) -> Result<u64, SyncError> {
        let previous = match (event.stream_version, self.positions.get(&event.stream_id)) {
            (1, _) => 0,
            (version, Some(&(known, seq))) if known == version - 1 => seq,
            (version, _) => {
                let before = store.read_stream(&event.stream_id, version - 1).await?;
                before
                    .first()
                    .map(|e| self.state.shop_seq(e.seq))
                    .unwrap_or_default()
            }
        };
        let subject = self.log.subject(&event.stream_id);
        let quarantined = self
            .state
            .quarantined
            .iter()
            .filter(|q| q.subject == subject)
            .map(|q| q.seq)
            .max()
            .unwrap_or_default();
        Ok(previous.max(quarantined))
    }
}

/// How many of `pulled` end on a whole command: all but the last command's events (and any
/// message that is not an event among them); 0 when the page is one command.
fn whole_commands(pulled: &[Pulled]) -> usize {
    let last_command = pulled
        .iter()
        .rev()
        .find_map(|message| message.event.as_ref().ok())
        .map(|event| event.command_id.as_str());
    pulled
        .iter()
        .rposition(|message| {
            message
                .event
                .as_ref()
                .is_ok_and(|event| Some(event.command_id.as_str()) != last_command)
        })
        .map_or(0, |at| at + 1)
}

/// `reply`, unless it says no server of the log answers now (503: none has `JetStream` for
/// the account, or a cluster is choosing the log's leader): try again later.
fn answered(reply: &Message) -> Result<&Message, SyncError> {
    match reply.headers.status {
        Some(503) => Err(SyncError::Unreachable(
            "no server of the shop's log answers at the moment".into(),
        )),
        _ => Ok(reply),
    }
}

fn not_created(error: NotCreated) -> SyncError {
    match error {
        NotCreated::NoJetStream => SyncError::NoJetStream,
        NotCreated::NotClustered => {
            SyncError::Refused("the server is not a cluster: it keeps one copy only".into())
        }
        NotCreated::Refused(reason) => SyncError::Refused(reason),
    }
}

/// A request to the `JetStream` API.
fn api(subject: String, body: String) -> Outgoing {
    Outgoing {
        subject,
        headers: Vec::new(),
        payload: body.into_bytes(),
    }
}
