//! The [`EventStore`] and [`SnapshotStore`] in the browser's IndexedDB: the one source of
//! truth, and the only file in the crate that knows IndexedDB.
//!
//! Schema, version [`SCHEMA_VERSION`], built step by step by [`upgrade`]:
//! 1. object store `events`, one record per event (retired by 3).
//! 2. object stores `snapshots` (keyed by `stream_id`) and `read_models` (keyed by `name`).
//! 3. object store `pages`: one record per append, keyed by the seq of its first event, its
//!    events kept as one JSON text ([`PageRecord`]). Two unique multi-entry indexes make the
//!    database itself hold the log's rules: `versions`, over every event's
//!    `[stream_id, stream_version]` (a page taking a stream version already stored fails
//!    whole), and `commands`, over the ids of the commands it appended (a command is
//!    appended once). Upgrading a version 1 or 2 database copies `events` into pages and
//!    deletes it, inside the browser's upgrade transaction: the database is wholly one
//!    version or the other, whatever happens midway.
//! 4. object store `sync` (keyed by `name`): the sync engine's state, one record named
//!    `state` ([`SyncRecord`]), written with the log when a rebase replaces its tail; and
//!    `outbox` (keyed by `command_id`): the commands decided here, as the app recorded them
//!    ([`Recorded`]).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::ops::{Range, RangeInclusive};

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use indexed_db_futures::index::Index;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::{KeyPath, KeyRange};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::tasks::next_task;

use super::{
    verify_chain, AppendRequest, Envelope, EventStore, SavedReadModel, Snapshot, SnapshotStore,
    StoreError, SyncedStore,
};

/// The database schema this code writes. Each version's upgrade step lives in [`upgrade`].
pub const SCHEMA_VERSION: u32 = 4;

const PAGES: &str = "pages";
const SNAPSHOTS: &str = "snapshots";
const READ_MODELS: &str = "read_models";
const SYNC: &str = "sync";
const OUTBOX: &str = "outbox";
/// The name of the sync engine's state in [`SYNC`].
const SYNC_STATE: &str = "state";
const BY_VERSION: &str = "versions";
const BY_COMMAND: &str = "commands";
/// Schema 1 and 2's log, one record per event: read once by the upgrade, then deleted.
const RETIRED_EVENTS: &str = "events";
/// The events of a page: an append of more (a large batch, an upgrade, a restored backup)
/// is cut into pages of about this many, never splitting a command's events.
const PAGE_EVENTS: usize = 1_000;
/// The largest integer a JavaScript number holds exactly; the upper bound of version ranges.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// One page of the log as IndexedDB holds it: the events of one append.
#[derive(Serialize)]
struct PageRecord<'a> {
    /// The seq of the page's first event: the key. Seqs run on without a gap inside a page.
    seq: u64,
    /// The seq and hash of the page's last event: what the next append chains to.
    last: u64,
    hash: &'a str,
    /// The events, a JSON array of [`Envelope`]s, decoded only when read.
    events: String,
    /// Every event's `[stream_id, stream_version]`: the unique `versions` index.
    versions: Vec<(&'a str, u64)>,
    /// The commands this page appended, each once: the unique `commands` index.
    commands: Vec<&'a str>,
}

impl PageRecord<'_> {
    /// The page of `events` (in seq order, not empty). A command id in `indexed` is left
    /// out of the `commands` index, and every other one is added to it.
    fn of<'a>(events: &'a [Envelope], indexed: &mut HashSet<String>) -> PageRecord<'a> {
        let first = events.first().map_or(0, |e| e.seq);
        let (last, hash) = events.last().map_or((0, ""), Envelope::link);
        let mut commands = Vec::new();
        for event in events {
            if !indexed.contains(&event.command_id) {
                indexed.insert(event.command_id.clone());
                commands.push(event.command_id.as_str());
            }
        }
        PageRecord {
            seq: first,
            last,
            hash,
            // A struct of strings and integers always serialises.
            events: serde_json::to_string(events).unwrap_or_default(),
            versions: events
                .iter()
                .map(|e| (e.stream_id.as_str(), e.stream_version))
                .collect(),
            commands,
        }
    }
}

/// What a read takes from a stored page: its first seq and its events, still as text.
#[derive(Deserialize)]
struct Page {
    seq: u64,
    events: String,
}

impl Page {
    /// The page's events with seqs in `seqs`. Only those are decoded: the others are
    /// skipped as raw JSON.
    fn events_in(&self, seqs: RangeInclusive<u64>) -> Result<Vec<Envelope>, StoreError> {
        let raw: Vec<&RawValue> = serde_json::from_str(&self.events).map_err(corrupt)?;
        let skip = usize::try_from(seqs.start().saturating_sub(self.seq)).unwrap_or(usize::MAX);
        let take = usize::try_from(seqs.end().saturating_sub(*seqs.start()))
            .map_or(usize::MAX, |n| n.saturating_add(1));
        raw.iter()
            .skip(skip)
            .take(take)
            .map(|event| serde_json::from_str::<Envelope>(event.get()).map_err(corrupt))
            // A page altered outside orderlog may not run on without a gap: the seqs decide.
            .filter(|event| event.as_ref().map_or(true, |e| seqs.contains(&e.seq)))
            .collect()
    }

    fn events(&self) -> Result<Vec<Envelope>, StoreError> {
        serde_json::from_str(&self.events).map_err(corrupt)
    }

    /// The events the command `command_id` appended, in order.
    fn command_events(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        let mut events = self.events()?;
        events.retain(|e| e.command_id == command_id);
        Ok(events)
    }
}

/// The sync engine's state as [`SYNC`] holds it.
#[derive(Serialize, Deserialize)]
struct SyncRecord {
    name: String,
    state: String,
}

/// A command decided here as [`OUTBOX`] holds it.
#[derive(Serialize, Deserialize)]
struct Recorded {
    command_id: String,
    command: String,
}

/// What an append takes from the last page: where the log's chain ends.
#[derive(Deserialize)]
struct PageEnd {
    last: u64,
    hash: String,
}

/// What a request of a batch answers with.
enum Answer {
    /// A run of the events the batch appends.
    Appended(Range<usize>),
    /// The events its command appended before.
    Earlier(Vec<Envelope>),
}

impl Answer {
    /// Every request's events, in order, from `answers` over the batch's `page`, which
    /// `appended` of them appended.
    fn written(answers: Vec<Answer>, page: Vec<Envelope>, appended: usize) -> Vec<Envelope> {
        if appended == answers.len() {
            // Every request appended once, in order: the answer is the page itself.
            return page;
        }
        answers
            .into_iter()
            .flat_map(|answer| match answer {
                Answer::Appended(run) => page[run].to_vec(),
                Answer::Earlier(events) => events,
            })
            .collect()
    }
}

/// An append worked out from the log as it ended when read: the events it appends, chained
/// after that end, and what each request answers with.
struct Plan {
    /// The seq and hash of the log's last event when read.
    end: Option<(u64, String)>,
    page: Vec<Envelope>,
    answers: Vec<Answer>,
    /// How many requests appended (the others answer with earlier events).
    appended: usize,
}

/// How an append spends the page's main thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Writing {
    /// Reads, chains, serialises and adds in one readwrite transaction, which cannot wait
    /// for a later task: one task does all the work. For small appends.
    AllAtOnce,
    /// Reads in a read-only transaction, chains and serialises the pages a few hundred
    /// events per task (so the page paints and takes input meanwhile), then adds them in a
    /// readwrite transaction that first checks the log still ends where it was read. For
    /// large appends (a bulk load's chunks, the stock commands it calls for).
    Prepared,
}

/// The fewest events an append prepares ([`Writing::Prepared`]): a seller's command (a
/// handful) costs one transaction, not two.
const PREPARED_FROM: usize = 200;
/// The events a prepared append chains, or serialises, per task: a few milliseconds.
const EVENTS_PER_TASK: usize = 400;

/// Which streams' versions an append reads before it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reads {
    /// Every stream it writes to.
    Every,
    /// Only the streams it does not expect to be new.
    NewStreamsTrusted,
}

/// How hard the browser must flush an append to disk before reporting it done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk before the append completes: what a record of money deserves.
    Strict,
    /// Completes once the operating system has the data: faster, may lose the last writes on
    /// a power cut.
    Relaxed,
}

/// Why opening the database takes long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// An older connection (another tab) holds the database open; the open goes on once it
    /// closes.
    Blocked,
    /// The log of an older schema is being moved into pages, once.
    MovingTheLog,
}

/// An open orderlog database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
    durability: Durability,
}

/// The store's error for what the browser said; a full quota is told apart, so the seller
/// hears what to do about it.
fn storage(error: impl std::fmt::Display) -> StoreError {
    let said = error.to_string();
    if said.contains("QuotaExceededError") {
        StoreError::Full
    } else {
        StoreError::Storage(said)
    }
}

/// Commits `tx`. The browser refuses a write it cannot keep (a full quota) by aborting the
/// transaction as it commits, so an abort answers with the transaction's own error, not
/// only that it was aborted.
async fn commit(tx: Transaction<'_>) -> Result<(), IdbError> {
    let sys = tx.as_sys().clone();
    tx.commit()
        .await
        .map_err(|aborted| sys.error().map_or(aborted, IdbError::from))
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// Brings a database at `old_version` up to [`SCHEMA_VERSION`], one step per version.
async fn upgrade(old_version: f64, db: Database) -> Result<(), IdbError> {
    if old_version < 2.0 {
        db.create_object_store(SNAPSHOTS)
            .with_key_path(KeyPath::from("stream_id"))
            .build()?;
        db.create_object_store(READ_MODELS)
            .with_key_path(KeyPath::from("name"))
            .build()?;
    }
    if old_version < 3.0 {
        let pages = db
            .create_object_store(PAGES)
            .with_key_path(KeyPath::from("seq"))
            .build()?;
        for index in [BY_VERSION, BY_COMMAND] {
            pages
                .create_index(index, KeyPath::from(index))
                .with_unique(true)
                .with_multi_entry(true)
                .build()?;
        }
        if old_version >= 1.0 {
            copy_into_pages(&pages).await?;
            db.delete_object_store(RETIRED_EVENTS)?;
        }
    }
    if old_version < 4.0 {
        db.create_object_store(SYNC)
            .with_key_path(KeyPath::from("name"))
            .build()?;
        db.create_object_store(OUTBOX)
            .with_key_path(KeyPath::from("command_id"))
            .build()?;
    }
    Ok(())
}

/// Copies schema 1 and 2's log, one record per event, into pages, a thousand events at a
/// time, inside the upgrade transaction. Every event is copied as it is stored: a log that
/// does not verify is still kept whole, and `verify` names where it breaks, as before. The
/// records cross into Rust as one JSON text per thousand, the browser's fastest way.
async fn copy_into_pages(pages: &ObjectStore<'_>) -> Result<(), IdbError> {
    let events = pages.transaction().object_store(RETIRED_EVENTS)?;
    let mut paging = Paging::default();
    let mut from = 0.0;
    loop {
        let records: js_sys::Array = events
            .get_all::<JsValue>()
            .with_query::<f64, _>(KeyRange::LowerBound(from, true))
            .with_limit(u32::try_from(PAGE_EVENTS).unwrap_or(u32::MAX))
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let text = js_sys::JSON::stringify(&records).map_or_else(|_| String::new(), String::from);
        let chunk: Vec<Envelope> = serde_json::from_str(&text)
            .map_err(|error| IdbError::from(JsValue::from_str(&error.to_string())))?;
        let Some(last) = chunk.last() else { break };
        #[allow(clippy::cast_precision_loss)] // seqs stay far below 2^53
        {
            from = last.seq as f64;
        }
        for event in chunk {
            paging.add(pages, event)?;
        }
    }
    paging.finish(pages)
}

/// Cuts events (an append's, an upgrade's, a restored backup's) into pages of about
/// [`PAGE_EVENTS`] events, never splitting a command's events, so that each command id is
/// in one page's index, and a read decodes no more than about a page beyond what it asks.
#[derive(Default)]
struct Paging {
    pending: Vec<Envelope>,
    indexed: HashSet<String>,
}

impl Paging {
    /// Adds `events` (in seq order) to `pages`, cut into pages. `add`, not `put`: a seq,
    /// stream version or command id already stored fails the whole transaction.
    fn write_all(pages: &ObjectStore<'_>, events: &[Envelope]) -> Result<(), IdbError> {
        let mut paging = Paging::default();
        for (start, end) in Paging::cuts(events) {
            paging.write(pages, &events[start..end])?;
        }
        Ok(())
    }

    /// Where `events` (in seq order) are cut into pages: each page's start and end.
    fn cuts(events: &[Envelope]) -> Vec<(usize, usize)> {
        let mut cuts = Vec::new();
        let mut start = 0;
        for (at, event) in events.iter().enumerate() {
            if closes(&events[start..at], event) {
                cuts.push((start, at));
                start = at;
            }
        }
        if start < events.len() {
            cuts.push((start, events.len()));
        }
        cuts
    }

    /// Takes the next event, writing the page it closes, if any.
    fn add(&mut self, pages: &ObjectStore<'_>, event: Envelope) -> Result<(), IdbError> {
        match self.push(event) {
            Some(page) => self.write(pages, &page),
            None => Ok(()),
        }
    }

    /// Takes the next event; returns the page it closes, if any.
    fn push(&mut self, event: Envelope) -> Option<Vec<Envelope>> {
        let closed = closes(&self.pending, &event).then(|| std::mem::take(&mut self.pending));
        self.pending.push(event);
        closed
    }

    /// Adds the last page, if any events wait.
    fn finish(mut self, pages: &ObjectStore<'_>) -> Result<(), IdbError> {
        let page = std::mem::take(&mut self.pending);
        if page.is_empty() {
            return Ok(());
        }
        self.write(pages, &page)
    }

    /// Adds `page` to `pages`. A command id that an earlier page holds (only a log written
    /// before schema 3 could repeat one there) stays indexed by its first page.
    fn write(&mut self, pages: &ObjectStore<'_>, page: &[Envelope]) -> Result<(), IdbError> {
        pages.add(PageRecord::of(page, &mut self.indexed)).serde()?;
        Ok(())
    }
}

/// Whether `page` is full before `next`: it holds [`PAGE_EVENTS`] events or more, and `next`
/// starts another command.
fn closes(page: &[Envelope], next: &Envelope) -> bool {
    page.len() >= PAGE_EVENTS
        && page
            .last()
            .is_some_and(|last| last.command_id != next.command_id)
}

/// The keys `[stream_id, version]` of the stream's events from `from_version` on.
fn stream_range(stream_id: &str, from_version: u64) -> RangeInclusive<(&str, f64)> {
    #[allow(clippy::cast_precision_loss)] // stream versions stay far below 2^53
    let from = from_version as f64;
    (stream_id, from)..=(stream_id, MAX_SAFE_INTEGER)
}

/// The last page, read as `T` (where the chain ends, or the page itself) with one step of a
/// backwards cursor. The request goes out at once; the returned future reads its answer.
fn last_page<'a, T: serde::de::DeserializeOwned + 'a>(
    pages: &'a ObjectStore<'_>,
) -> Result<impl Future<Output = Result<Option<T>, IdbError>> + 'a, IdbError> {
    let cursor = pages
        .open_cursor()
        .with_direction(CursorDirection::Prev)
        .serde()?;
    Ok(async move {
        match cursor.await? {
            Some(mut cursor) => cursor.next_record_ser().await,
            None => Ok(None),
        }
    })
}

/// The stream's version: the highest key of its events in the `versions` index, read with
/// one step of a backwards key cursor (a count would walk the whole stream). The request
/// goes out at once; the returned future reads its answer.
fn stream_version<'a>(
    by_version: &'a Index<'_>,
    stream_id: &'a str,
) -> Result<impl Future<Output = Result<u64, IdbError>> + 'a, IdbError> {
    let cursor = by_version
        .open_key_cursor()
        .with_query(stream_range(stream_id, 1))
        .with_direction(CursorDirection::Prev)
        .serde()?;
    Ok(async move {
        let Some(mut cursor) = cursor.await? else {
            return Ok(0);
        };
        let key: Option<(String, f64)> = cursor.next_key_ser().await?;
        // Stream versions are whole numbers far below 2^53.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(key.map_or(0, |(_, version)| version as u64))
    })
}

/// Whether `events` follow the log in `pages` (as this transaction has it): each its
/// stream's next version, none with a command id a stored page holds. Every read goes out at
/// once. Refuses with [`StoreError::Conflict`] naming the first that does not (a taken
/// command id as `expected == actual`).
async fn follows_kept(
    pages: &ObjectStore<'_>,
    events: &[Envelope],
) -> Result<Result<(), StoreError>, IdbError> {
    let by_version = pages.index(BY_VERSION)?;
    let by_command = pages.index(BY_COMMAND)?;
    let mut version_reads = HashMap::new();
    let mut command_reads = HashMap::new();
    for event in events {
        if !version_reads.contains_key(event.stream_id.as_str()) {
            let read = stream_version(&by_version, &event.stream_id)?;
            version_reads.insert(event.stream_id.as_str(), read);
        }
        if !command_reads.contains_key(event.command_id.as_str()) {
            let read = by_command
                .count()
                .with_query(event.command_id.as_str())
                .primitive()?;
            command_reads.insert(event.command_id.as_str(), read);
        }
    }
    let mut versions = HashMap::new();
    for (stream, read) in version_reads {
        versions.insert(stream, read.await?);
    }
    let mut taken = HashSet::new();
    for (command, read) in command_reads {
        if read.await? > 0 {
            taken.insert(command);
        }
    }
    for event in events {
        let actual = versions[event.stream_id.as_str()];
        if event.stream_version != actual + 1 || taken.contains(event.command_id.as_str()) {
            return Ok(Err(StoreError::Conflict {
                stream_id: event.stream_id.clone(),
                expected: event.stream_version.saturating_sub(1),
                actual,
            }));
        }
        versions.insert(event.stream_id.as_str(), event.stream_version);
    }
    Ok(Ok(()))
}

/// A seq as the key of the page it starts.
#[allow(clippy::cast_precision_loss)] // seqs stay far below 2^53
fn seq_key(seq: u64) -> f64 {
    seq as f64
}

/// A store error as the browser's, to leave a transaction with.
fn into_idb(error: &StoreError) -> IdbError {
    IdbError::from(JsValue::from_str(&error.to_string()))
}

/// Works out an append of every request from the log in `pages`' transaction. Every read the
/// batch needs (the log's end, each stream's version) goes out at once, so a batch of a
/// thousand commands waits for one round of answers, not a thousand. Only a request whose
/// stream has moved on is looked up by command id (a retry answers with its earlier
/// events). A conflict is answered before anything is written.
///
/// With `Reads::NewStreamsTrusted`, a stream whose first request here expects version 0
/// is taken to be new without reading it (a bulk load writes thousands): if it is not,
/// the `versions` index refuses the page, and the caller tries again with
/// `Reads::Every` stream read, which tells a retry from a conflict.
///
/// With [`Writing::Prepared`] it chains [`EVENTS_PER_TASK`] events per task: every request
/// has gone out by then, and the transaction may end once they are answered.
async fn plan(
    pages: &ObjectStore<'_>,
    requests: &[AppendRequest],
    reads: Reads,
    writing: Writing,
) -> Result<Result<Plan, StoreError>, IdbError> {
    let by_command = pages.index(BY_COMMAND)?;
    let by_version = pages.index(BY_VERSION)?;

    let end_read = last_page::<PageEnd>(pages)?;
    let mut first_seen: HashSet<&str> = HashSet::new();
    let mut streams: Vec<&str> = requests
        .iter()
        .filter(|r| {
            first_seen.insert(r.stream_id.as_str())
                && (reads == Reads::Every || r.expected_version != 0)
        })
        .map(|r| r.stream_id.as_str())
        .collect();
    streams.sort_unstable();
    let version_reads = streams
        .iter()
        .map(|stream| stream_version(&by_version, stream))
        .collect::<Result<Vec<_>, _>>()?;

    let end = end_read.await?;
    let mut versions: HashMap<&str, u64> = HashMap::with_capacity(streams.len());
    for (stream, version) in streams.into_iter().zip(version_reads) {
        versions.insert(stream, version.await?);
    }
    // The requests that will find their stream moved on, once those before them are
    // appended: retries, or conflicts. Their command lookups go out at once.
    let mut will_be = versions.clone();
    let lookups = requests
        .iter()
        .map(|request| {
            let version = will_be.entry(request.stream_id.as_str()).or_insert(0);
            if *version == request.expected_version {
                *version += request.events.len() as u64;
                return Ok(None);
            }
            let lookup = by_command
                .get::<Page, _, _>(request.meta.command_id.as_str())
                .serde()?;
            Ok(Some(lookup))
        })
        .collect::<Result<Vec<_>, IdbError>>()?;
    // The events this batch appends, in order; each request answers with a run of them
    // (a retry of a command this batch appended, with that command's) or with its
    // earlier events.
    let mut page: Vec<Envelope> = Vec::new();
    let mut in_batch: HashMap<&str, Range<usize>> = HashMap::new();
    let mut answers = Vec::with_capacity(requests.len());
    let mut paused_at = 0;
    for (request, lookup) in requests.iter().zip(lookups) {
        let command = request.meta.command_id.as_str();
        let actual = versions
            .get(request.stream_id.as_str())
            .copied()
            .unwrap_or(0);
        let conflict = StoreError::Conflict {
            stream_id: request.stream_id.clone(),
            expected: request.expected_version,
            actual,
        };
        if writing == Writing::Prepared && page.len() >= paused_at + EVENTS_PER_TASK {
            paused_at = page.len();
            next_task().await;
        }
        let Some(lookup) = lookup else {
            if in_batch.contains_key(command) {
                // A command id this batch took already: a command is appended once.
                return Ok(Err(conflict));
            }
            let head = page
                .last()
                .map(Envelope::link)
                .or_else(|| end.as_ref().map(|end| (end.last, end.hash.as_str())));
            let appended = Envelope::chain_after(
                head,
                &request.stream_id,
                actual,
                &request.events,
                &request.meta,
            );
            versions.insert(request.stream_id.as_str(), actual + appended.len() as u64);
            let run = page.len()..page.len() + appended.len();
            page.extend(appended);
            in_batch.insert(command, run.clone());
            answers.push(Answer::Appended(run));
            continue;
        };
        if let Some(run) = in_batch.get(command) {
            answers.push(Answer::Appended(run.clone()));
            continue;
        }
        let earlier = lookup
            .await?
            .and_then(|stored| stored.command_events(command).ok())
            .unwrap_or_default();
        if earlier.is_empty() {
            return Ok(Err(conflict));
        }
        answers.push(Answer::Earlier(earlier));
    }
    drop((by_command, by_version));
    Ok(Ok(Plan {
        end: end.map(|end| (end.last, end.hash)),
        page,
        appended: in_batch.len(),
        answers,
    }))
}

impl Plan {
    /// Every request's events, in order.
    fn written(self) -> Vec<Envelope> {
        Answer::written(self.answers, self.page, self.appended)
    }
}

/// The page records of `events`, cut as [`Paging`] cuts them, serialised a few hundred
/// events per task.
async fn prepared_pages(events: &[Envelope]) -> Result<Vec<JsValue>, IdbError> {
    let mut indexed = HashSet::new();
    let mut records = Vec::new();
    let mut paused_at = 0;
    for (start, end) in Paging::cuts(events) {
        if start >= paused_at + EVENTS_PER_TASK {
            paused_at = start;
            next_task().await;
        }
        let record = PageRecord::of(&events[start..end], &mut indexed);
        records.push(serde_wasm_bindgen::to_value(&record).map_err(JsValue::from)?);
    }
    Ok(records)
}

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database called `name`.
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the browser refuses to open it: IndexedDB disabled,
    /// storage blocked, or an upgrade blocked by another tab.
    pub async fn open(name: &str, durability: Durability) -> Result<IdbStore, StoreError> {
        IdbStore::open_or_wait(name, durability, |_| {}).await
    }

    /// Opens the database as [`IdbStore::open`] does, telling `wait` why it takes long:
    /// another connection (an older tab) holds the database open, so the upgrade waits for
    /// it to close ([`Wait::Blocked`]); or the upgrade is moving an older schema's log into
    /// pages ([`Wait::MovingTheLog`]).
    ///
    /// # Errors
    /// As [`IdbStore::open`].
    pub async fn open_or_wait(
        name: &str,
        durability: Durability,
        wait: impl Fn(Wait) + 'static,
    ) -> Result<IdbStore, StoreError> {
        let wait = std::rc::Rc::new(wait);
        let told = std::rc::Rc::clone(&wait);
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed_fut(move |event, db| {
                let old_version = event.old_version();
                if (1.0..3.0).contains(&old_version) {
                    told(Wait::MovingTheLog);
                }
                upgrade(old_version, db)
            })
            .with_on_blocked(move |_| {
                wait(Wait::Blocked);
                Ok(())
            })
            .await
            .map_err(|error: OpenDbError| match error {
                // The library reports any exception `indexedDB.open` throws (storage turned
                // off for the site) as a zero version, which ours never is.
                OpenDbError::VersionZero => {
                    StoreError::Storage("it would not open the database".to_owned())
                }
                error => storage(error),
            })?;
        Ok(IdbStore { db, durability })
    }

    /// Deletes the database called `name` (tests start from nothing with it).
    ///
    /// # Errors
    /// [`StoreError::Storage`] when the browser refuses.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(storage)?
            .await
            .map_err(storage)
    }

    /// When another connection asks to upgrade or delete the database (a newer orderlog in
    /// another tab), closes this one at once, so that the other is not kept waiting, and
    /// then calls `closed`: this connection takes no more requests.
    pub fn close_when_outdated(&self, closed: impl FnOnce() + 'static) {
        let db = self.db.as_sys().clone();
        let on_version_change = Closure::once_into_js(move || {
            db.close();
            closed();
        });
        self.db
            .as_sys()
            .set_onversionchange(Some(on_version_change.unchecked_ref()));
    }

    /// Closes the connection, so that another one may upgrade or delete the database.
    pub fn close(self) {
        self.db.close();
    }

    fn read(&self, store: &str) -> Result<Transaction<'_>, StoreError> {
        self.db.transaction(store).build().map_err(storage)
    }

    fn write(&self, store: &str) -> Result<Transaction<'_>, IdbError> {
        self.db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .with_options(self.write_options())
            .build()
    }

    /// A write's options: the store's durability.
    fn write_options(&self) -> TransactionOptions {
        TransactionOptions::new().with_durability(match self.durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        })
    }

    async fn stream_version(&self, stream_id: &str) -> Result<u64, StoreError> {
        let tx = self.read(PAGES)?;
        let pages = tx.object_store(PAGES).map_err(storage)?;
        let by_version = pages.index(BY_VERSION).map_err(storage)?;
        let version = stream_version(&by_version, stream_id)
            .map_err(storage)?
            .await;
        version.map_err(storage)
    }

    /// Appends every request as one page (or, for a batch of more than [`PAGE_EVENTS`]
    /// events, pages of about that many), in one readwrite transaction: all of it, or
    /// nothing. A large append is prepared first ([`Writing::Prepared`]); if another
    /// connection appended meanwhile, it is worked out again inside the transaction.
    async fn try_append_all(
        &self,
        requests: &[AppendRequest],
        reads: Reads,
    ) -> Result<Result<Vec<Envelope>, StoreError>, IdbError> {
        let events: usize = requests.iter().map(|request| request.events.len()).sum();
        if events >= PREPARED_FROM {
            let plan = {
                let tx = self.db.transaction(PAGES).build()?;
                let pages = tx.object_store(PAGES)?;
                match plan(&pages, requests, reads, Writing::Prepared).await? {
                    Ok(plan) => plan,
                    Err(refused) => return Ok(Err(refused)),
                }
            };
            let records = prepared_pages(&plan.page).await?;
            let tx = self.write(PAGES)?;
            let pages = tx.object_store(PAGES)?;
            let end = last_page::<PageEnd>(&pages)?.await?;
            if end.map(|end| (end.last, end.hash)) == plan.end {
                for record in records {
                    pages.add(record).primitive()?;
                }
                drop(pages);
                commit(tx).await?;
                return Ok(Ok(plan.written()));
            }
        }
        let tx = self.write(PAGES)?;
        let pages = tx.object_store(PAGES)?;
        let plan = match plan(&pages, requests, reads, Writing::AllAtOnce).await? {
            Ok(plan) => plan,
            Err(refused) => return Ok(Err(refused)),
        };
        Paging::write_all(&pages, &plan.page)?;
        drop(pages);
        commit(tx).await?;
        Ok(Ok(plan.written()))
    }

    /// Clears the log, the snapshots, the saved read models and the sync state and outbox
    /// (they described the old log) and writes `events` as pages, in one readwrite
    /// transaction.
    async fn try_replace_all(&self, events: &[Envelope]) -> Result<(), IdbError> {
        let tx = self
            .db
            .transaction([PAGES, SNAPSHOTS, READ_MODELS, SYNC, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .with_options(self.write_options())
            .build()?;
        {
            for store in [SNAPSHOTS, READ_MODELS, SYNC, OUTBOX] {
                tx.object_store(store)?.clear()?;
            }
            let pages = tx.object_store(PAGES)?;
            pages.clear()?;
            Paging::write_all(&pages, events)?;
        }
        commit(tx).await
    }

    /// [`SyncedStore::rebase`] in one readwrite transaction: the pages after `seq` deleted
    /// (the one holding `seq` written again with its events up to it), the new events
    /// checked against the kept log's streams and commands, added as pages, the removed
    /// streams' snapshots deleted and the state put. A refusal writes nothing.
    async fn try_rebase(
        &self,
        seq: u64,
        head: u64,
        events: &[Envelope],
        state: &str,
    ) -> Result<Result<(), StoreError>, IdbError> {
        let tx = self
            .db
            .transaction([PAGES, SNAPSHOTS, SYNC])
            .with_mode(TransactionMode::Readwrite)
            .with_options(self.write_options())
            .build()?;
        let pages = tx.object_store(PAGES)?;
        let at = seq_key(seq);
        let holding = (seq > 0)
            .then(|| {
                pages
                    .open_cursor()
                    .with_query::<f64, _>(KeyRange::UpperBound(at, false))
                    .with_direction(CursorDirection::Prev)
                    .serde()
            })
            .transpose()?;
        let later = pages
            .get_all::<Page>()
            .with_query::<f64, _>(KeyRange::LowerBound(at, true))
            .serde()?;
        let holding: Option<Page> = match holding {
            Some(cursor) => match cursor.await? {
                Some(mut cursor) => cursor.next_record_ser().await?,
                None => None,
            },
            None => None,
        };
        let mut kept = match &holding {
            Some(page) => page.events().map_err(|error| into_idb(&error))?,
            None => Vec::new(),
        };
        let mut removed = kept.split_off(kept.partition_point(|e| e.seq <= seq));
        if let Err(broken) = verify_chain(kept.last().filter(|e| e.seq == seq), events) {
            return Ok(Err(StoreError::Corrupt(broken.to_string())));
        }
        if let (Some(page), false) = (&holding, removed.is_empty()) {
            pages.delete(seq_key(page.seq)).primitive()?;
            if !kept.is_empty() {
                pages
                    .add(PageRecord::of(&kept, &mut HashSet::new()))
                    .serde()?;
            }
        }
        for page in later.await? {
            let page = page?;
            pages.delete(seq_key(page.seq)).primitive()?;
            removed.extend(page.events().map_err(|error| into_idb(&error))?);
        }
        if removed.last().or(kept.last()).map_or(0, |e| e.seq) != head {
            return Ok(Err(StoreError::Moved));
        }
        if let Err(refused) = follows_kept(&pages, events).await? {
            return Ok(Err(refused));
        }
        Paging::write_all(&pages, events)?;
        let snapshots = tx.object_store(SNAPSHOTS)?;
        let streams: HashSet<&str> = removed.iter().map(|e| e.stream_id.as_str()).collect();
        for stream in streams {
            snapshots.delete(stream).primitive()?;
        }
        tx.object_store(SYNC)?
            .put(SyncRecord {
                name: SYNC_STATE.to_owned(),
                state: state.to_owned(),
            })
            .serde()?;
        drop((pages, snapshots));
        commit(tx).await?;
        Ok(Ok(()))
    }

    async fn put<T: serde::Serialize>(&self, store: &str, value: &T) -> Result<(), IdbError> {
        let tx = self.write(store)?;
        tx.object_store(store)?.put(value).serde()?;
        commit(tx).await
    }

    /// The records of `store` under `keys`, each or none, in the order asked: every request
    /// goes out before the first answer is awaited.
    async fn get_each<T: serde::de::DeserializeOwned, K: AsRef<str>>(
        &self,
        store: &str,
        keys: &[K],
    ) -> Result<Vec<Option<T>>, StoreError> {
        let tx = self.read(store)?;
        let records = tx.object_store(store).map_err(storage)?;
        let reads = keys
            .iter()
            .map(|key| records.get(key.as_ref()).serde())
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage)?;
        let mut found = Vec::with_capacity(reads.len());
        for read in reads {
            found.push(read.await.map_err(corrupt)?);
        }
        Ok(found)
    }

    /// Deletes the records of `store` under `keys`, in one write; a key never written is no
    /// error.
    async fn delete_each<K: AsRef<str>>(&self, store: &str, keys: &[K]) -> Result<(), StoreError> {
        let delete_all = async {
            let tx = self.write(store)?;
            let records = tx.object_store(store)?;
            for key in keys {
                records.delete(key.as_ref()).primitive()?;
            }
            commit(tx).await
        };
        delete_all.await.map_err(storage)
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.read(store)?;
        tx.object_store(store)
            .map_err(storage)?
            .get(key)
            .serde()
            .map_err(storage)?
            .await
            .map_err(corrupt)
    }
}

impl EventStore for IdbStore {
    async fn append(&self, request: AppendRequest) -> Result<Vec<Envelope>, StoreError> {
        self.append_batch(vec![request]).await
    }

    async fn append_batch(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<Envelope>, StoreError> {
        let constraint = |error: &IdbError| matches!(error, IdbError::DomException(exception) if exception.to_string().contains("Constraint"));
        let tried = match self
            .try_append_all(&requests, Reads::NewStreamsTrusted)
            .await
        {
            Err(error) if constraint(&error) => self.try_append_all(&requests, Reads::Every).await,
            tried => tried,
        };
        match tried {
            Ok(outcome) => outcome,
            // A unique index refused a write: a stream version or a command id another
            // connection took first.
            Err(error) if constraint(&error) => {
                let Some(request) = requests.into_iter().next() else {
                    return Ok(Vec::new());
                };
                Err(StoreError::Conflict {
                    actual: self.stream_version(&request.stream_id).await?,
                    stream_id: request.stream_id,
                    expected: request.expected_version,
                })
            }
            Err(error) => Err(storage(error)),
        }
    }

    async fn replace_all(&self, events: Vec<Envelope>) -> Result<(), StoreError> {
        self.try_replace_all(&events).await.map_err(storage)
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: u64,
    ) -> Result<Vec<Envelope>, StoreError> {
        let tx = self.read(PAGES)?;
        let pages = tx.object_store(PAGES).map_err(storage)?;
        // The pages holding the stream's events: one key per event, in stream order.
        let mut keys: Vec<f64> = pages
            .index(BY_VERSION)
            .map_err(storage)?
            .get_all_keys::<f64>()
            .with_query(stream_range(stream_id, from_version))
            .serde()
            .map_err(storage)?
            .await
            .map_err(storage)?
            .collect::<Result<_, _>>()
            .map_err(corrupt)?;
        keys.dedup();
        let reads = keys
            .into_iter()
            .map(|key| pages.get::<Page, _, _>(key).serde())
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage)?;
        let mut events = Vec::new();
        for read in reads {
            let Some(page) = read.await.map_err(storage)? else {
                continue;
            };
            events.extend(
                page.events()?
                    .into_iter()
                    .filter(|e| e.stream_id == stream_id && e.stream_version >= from_version),
            );
        }
        Ok(events)
    }

    async fn read_all(&self, from_seq: u64, limit: u32) -> Result<Vec<Envelope>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let to_seq = from_seq.saturating_add(u64::from(limit) - 1);
        #[allow(clippy::cast_precision_loss)] // seqs stay far below 2^53
        let (from, to) = (from_seq as f64, (to_seq as f64).min(MAX_SAFE_INTEGER));
        let tx = self.read(PAGES)?;
        let pages = tx.object_store(PAGES).map_err(storage)?;
        // The page holding `from_seq`, and every page that starts after it, up to `to_seq`:
        // both requests go out at once.
        let first = pages
            .open_cursor()
            .with_query::<f64, _>(KeyRange::UpperBound(from, false))
            .with_direction(CursorDirection::Prev)
            .serde()
            .map_err(storage)?;
        let rest = (limit > 1)
            .then(|| {
                pages
                    .get_all::<Page>()
                    .with_query::<f64, _>(KeyRange::Bound(from, true, to, false))
                    .serde()
            })
            .transpose()
            .map_err(storage)?;
        let first: Option<Page> = match first.await.map_err(storage)? {
            Some(mut cursor) => cursor.next_record_ser().await.map_err(storage)?,
            None => None,
        };
        let mut events = match first {
            Some(page) => page.events_in(from_seq..=to_seq)?,
            None => Vec::new(),
        };
        if let Some(rest) = rest {
            for page in rest.await.map_err(storage)? {
                events.extend(page.map_err(corrupt)?.events_in(from_seq..=to_seq)?);
            }
        }
        Ok(events)
    }

    async fn read_command(&self, command_id: &str) -> Result<Vec<Envelope>, StoreError> {
        let tx = self.read(PAGES)?;
        let pages = tx.object_store(PAGES).map_err(storage)?;
        let page: Option<Page> = pages
            .index(BY_COMMAND)
            .map_err(storage)?
            .get(command_id)
            .serde()
            .map_err(storage)?
            .await
            .map_err(corrupt)?;
        page.map_or_else(|| Ok(Vec::new()), |page| page.command_events(command_id))
    }

    async fn last(&self) -> Result<Option<Envelope>, StoreError> {
        let tx = self.read(PAGES)?;
        let pages = tx.object_store(PAGES).map_err(storage)?;
        let page: Option<Page> = last_page(&pages).map_err(storage)?.await.map_err(storage)?;
        match page {
            Some(page) => Ok(page.events()?.pop()),
            None => Ok(None),
        }
    }
}

impl SnapshotStore for IdbStore {
    async fn load_snapshot(&self, stream_id: &str) -> Result<Option<Snapshot>, StoreError> {
        self.get(SNAPSHOTS, stream_id).await
    }

    async fn save_snapshot(&self, snapshot: &Snapshot) -> Result<(), StoreError> {
        self.put(SNAPSHOTS, snapshot).await.map_err(storage)
    }

    async fn clear_snapshots(&self) -> Result<(), StoreError> {
        let tx = self.write(SNAPSHOTS).map_err(storage)?;
        tx.object_store(SNAPSHOTS)
            .map_err(storage)?
            .clear()
            .map_err(storage)?;
        commit(tx).await.map_err(storage)
    }

    async fn load_read_model(&self, name: &str) -> Result<Option<SavedReadModel>, StoreError> {
        self.get(READ_MODELS, name).await
    }

    async fn load_read_models(
        &self,
        names: &[String],
    ) -> Result<Vec<Option<SavedReadModel>>, StoreError> {
        self.get_each(READ_MODELS, names).await
    }

    async fn delete_read_models(&self, names: &[&str]) -> Result<(), StoreError> {
        self.delete_each(READ_MODELS, names).await
    }

    async fn save_read_model(&self, parts: &[SavedReadModel]) -> Result<(), StoreError> {
        let put_all = async {
            let tx = self.write(READ_MODELS)?;
            let store = tx.object_store(READ_MODELS)?;
            for part in parts {
                store.put(part).serde()?;
            }
            commit(tx).await
        };
        put_all.await.map_err(storage)
    }
}

impl SyncedStore for IdbStore {
    async fn load_sync_state(&self) -> Result<Option<String>, StoreError> {
        let record: Option<SyncRecord> = self.get(SYNC, SYNC_STATE).await?;
        Ok(record.map(|record| record.state))
    }

    async fn save_sync_state(&self, state: &str) -> Result<(), StoreError> {
        let record = SyncRecord {
            name: SYNC_STATE.to_owned(),
            state: state.to_owned(),
        };
        self.put(SYNC, &record).await.map_err(storage)
    }

    async fn record(&self, command_id: &str, command: &str) -> Result<(), StoreError> {
        let record = Recorded {
            command_id: command_id.to_owned(),
            command: command.to_owned(),
        };
        self.put(OUTBOX, &record).await.map_err(storage)
    }

    async fn recorded(&self, command_ids: &[String]) -> Result<Vec<Option<String>>, StoreError> {
        let records: Vec<Option<Recorded>> = self.get_each(OUTBOX, command_ids).await?;
        Ok(records
            .into_iter()
            .map(|record| record.map(|recorded| recorded.command))
            .collect())
    }

    async fn forget(&self, command_ids: &[String]) -> Result<(), StoreError> {
        self.delete_each(OUTBOX, command_ids).await
    }

    async fn rebase(
        &self,
        seq: u64,
        head: u64,
        events: Vec<Envelope>,
        state: &str,
    ) -> Result<(), StoreError> {
        self.try_rebase(seq, head, &events, state)
            .await
            .map_err(storage)?
    }
}
