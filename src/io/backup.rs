//! The event log as a backup file: newline-delimited JSON, a header line first (format,
//! version, event count, head hash), then every envelope in seq order. Reading a backup
//! proves it before anything could be written: known format and version, the count and the
//! head hash as announced, seqs gap-free from 1, each stream's versions 1, 2, 3…, the hash
//! chain intact, and every event type one the shop knows (or can upcast).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::ShopEvent;
use crate::es::{codec, verify_chain, ChainError, Envelope, GENESIS_HASH};

/// The name in every backup's header.
pub const FORMAT: &str = "orderlog-backup";
/// The backup format this code writes and reads.
pub const VERSION: u32 = 1;

/// The first line of a backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub events: u64,
    pub head_hash: String,
}

/// Why a backup file is refused. Nothing is written for a refused file.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum BackupError {
    #[error("the file is empty")]
    Empty,
    #[error("this is not an orderlog backup (line 1: {0})")]
    NotABackup(String),
    #[error("this backup is format version {0}; this orderlog reads version {VERSION}")]
    UnknownVersion(u32),
    #[error("line {line} is not an event: {reason}")]
    NotAnEvent { line: usize, reason: String },
    #[error("the header announces {announced} events, the file holds {found}")]
    WrongCount { announced: u64, found: u64 },
    #[error("the header's head hash is not the last event's: the file was cut or edited")]
    WrongHead,
    #[error(transparent)]
    Broken(#[from] ChainError),
    #[error(
        "event {seq} is version {found} of stream {stream_id}, which is at version {expected}"
    )]
    StreamOutOfOrder {
        seq: u64,
        stream_id: String,
        expected: u64,
        found: u64,
    },
    #[error("event {seq} has a type this orderlog does not know: {reason}")]
    UnknownEvent { seq: u64, reason: String },
}

/// Writes the backup of `events` (the whole log, in seq order).
///
/// # Panics
/// Never: headers and envelopes are strings and integers, which always serialise.
#[must_use]
pub fn write(events: &[Envelope]) -> String {
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
        events: events.len() as u64,
        head_hash: events
            .last()
            .map_or_else(|| GENESIS_HASH.to_owned(), |e| e.hash.clone()),
    };
    let mut text = serde_json::to_string(&header).expect("a header always serialises");
    text.push('\n');
    for event in events {
        text.push_str(&serde_json::to_string(event).expect("an envelope always serialises"));
        text.push('\n');
    }
    text
}

/// Reads and proves a backup; returns its events, ready to be restored.
///
/// # Errors
/// The first thing wrong with the file, as a [`BackupError`].
pub fn read(text: &str) -> Result<Vec<Envelope>, BackupError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, first) = lines.next().ok_or(BackupError::Empty)?;
    let header: Header =
        serde_json::from_str(first).map_err(|e| BackupError::NotABackup(e.to_string()))?;
    if header.format != FORMAT {
        return Err(BackupError::NotABackup(format!(
            "format {:?}",
            header.format
        )));
    }
    if header.version != VERSION {
        return Err(BackupError::UnknownVersion(header.version));
    }
    let events = lines
        .map(|(index, line)| {
            serde_json::from_str::<Envelope>(line).map_err(|e| BackupError::NotAnEvent {
                line: index + 1,
                reason: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if events.len() as u64 != header.events {
        return Err(BackupError::WrongCount {
            announced: header.events,
            found: events.len() as u64,
        });
    }
    verify_chain(None, &events)?;
    let head = events.last().map_or(GENESIS_HASH, |e| e.hash.as_str());
    if head != header.head_hash {
        return Err(BackupError::WrongHead);
    }
    let mut versions: HashMap<&str, u64> = HashMap::new();
    for event in &events {
        let version = versions.entry(event.stream_id.as_str()).or_insert(0);
        if event.stream_version != *version + 1 {
            return Err(BackupError::StreamOutOfOrder {
                seq: event.seq,
                stream_id: event.stream_id.clone(),
                expected: *version + 1,
                found: event.stream_version,
            });
        }
        *version += 1;
        codec::decode::<ShopEvent>(&event.event_type, event.schema_version, &event.payload)
            .map_err(|e| BackupError::UnknownEvent {
                seq: event.seq,
                reason: e.to_string(),
            })?;
    }
    Ok(events)
}
