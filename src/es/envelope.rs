//! The stored form of an event, the [`Envelope`], and the hash chain that links each one to
//! the event before it so that [`verify_chain`] can prove the log was not altered.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::{EventStore, StoreError, READ_BATCH};

/// The hash the first event chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event ready to be appended: its type, schema version and JSON payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
}

/// Who asked, and when: travels with a command into every event it produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandMeta {
    /// Unique per command; appending the same id twice writes nothing the second time.
    pub command_id: String,
    /// The id of the user action or import this command belongs to.
    pub correlation_id: String,
    /// The id of the command or event that caused this command.
    pub causation_id: String,
    /// UTC milliseconds since the Unix epoch.
    pub recorded_at: i64,
}

impl CommandMeta {
    /// Meta for a command the user issued directly: it is its own correlation and cause.
    #[must_use]
    pub fn direct(command_id: String, recorded_at: i64) -> CommandMeta {
        CommandMeta {
            correlation_id: command_id.clone(),
            causation_id: command_id.clone(),
            command_id,
            recorded_at,
        }
    }
}

/// One stored event. Field names are the stored JSON shape; changing one is a schema change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Global position: 1, 2, 3… with no gaps, assigned inside the appending transaction.
    pub seq: u64,
    pub stream_id: String,
    /// Position within the stream: 1, 2, 3…
    pub stream_version: u64,
    pub event_type: String,
    pub schema_version: u32,
    /// UTC milliseconds since the Unix epoch.
    pub recorded_at: i64,
    pub command_id: String,
    pub correlation_id: String,
    pub causation_id: String,
    /// The event's data as JSON text.
    pub payload: String,
    /// Hex SHA-256 of the previous event's hash and this event's canonical bytes.
    pub hash: String,
}

/// The hashed part of an envelope: every field but the hash, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: u64,
    stream_id: &'a str,
    stream_version: u64,
    event_type: &'a str,
    schema_version: u32,
    recorded_at: i64,
    command_id: &'a str,
    correlation_id: &'a str,
    causation_id: &'a str,
    payload: &'a str,
}

impl Envelope {
    /// The hash this envelope must carry when it follows an event whose hash is `previous`.
    ///
    /// # Panics
    /// Never: a struct of strings and integers always serialises.
    #[must_use]
    pub fn chained_hash(&self, previous: &str) -> String {
        let canonical = Canonical {
            seq: self.seq,
            stream_id: &self.stream_id,
            stream_version: self.stream_version,
            event_type: &self.event_type,
            schema_version: self.schema_version,
            recorded_at: self.recorded_at,
            command_id: &self.command_id,
            correlation_id: &self.correlation_id,
            causation_id: &self.causation_id,
            payload: &self.payload,
        };
        let bytes = serde_json::to_vec(&canonical)
            .expect("a struct of strings and integers always serialises");
        sha256_hex(&[previous.as_bytes(), b"\n", &bytes])
    }

    /// Where the next event chains on: this event's seq and hash.
    #[must_use]
    pub fn link(&self) -> (u64, &str) {
        (self.seq, &self.hash)
    }

    /// Builds the envelopes of one append, chained after `head` (the [`Envelope::link`] of
    /// the last stored event, if any), for a stream currently at `stream_version`.
    #[must_use]
    pub fn chain_after(
        head: Option<(u64, &str)>,
        stream_id: &str,
        stream_version: u64,
        events: &[NewEvent],
        meta: &CommandMeta,
    ) -> Vec<Envelope> {
        let mut seq = head.map_or(0, |(seq, _)| seq);
        let mut previous = head.map_or(GENESIS_HASH, |(_, hash)| hash).to_owned();
        let mut version = stream_version;
        events
            .iter()
            .map(|event| {
                seq += 1;
                version += 1;
                let mut envelope = Envelope {
                    seq,
                    stream_id: stream_id.to_owned(),
                    stream_version: version,
                    event_type: event.event_type.clone(),
                    schema_version: event.schema_version,
                    recorded_at: meta.recorded_at,
                    command_id: meta.command_id.clone(),
                    correlation_id: meta.correlation_id.clone(),
                    causation_id: meta.causation_id.clone(),
                    payload: event.payload.clone(),
                    hash: String::new(),
                };
                envelope.hash = envelope.chained_hash(&previous);
                previous.clone_from(&envelope.hash);
                envelope
            })
            .collect()
    }
}

/// The lowercase hex SHA-256 of `parts`, one after the other.
#[must_use]
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    let digest = parts
        .iter()
        .fold(Sha256::new(), Digest::chain_update)
        .finalize();
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Where the log stops being the one that was written.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ChainError {
    #[error("event {found} follows {previous}: the log has a gap or is out of sequence")]
    Gap { previous: u64, found: u64 },
    #[error("event {seq} does not match its hash: it was altered, or one before it was")]
    HashMismatch { seq: u64 },
}

/// Why [`verify`] could not prove the log intact.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] ChainError),
    #[error(transparent)]
    Unreadable(#[from] StoreError),
}

/// Reads the whole log, batch by batch, and proves it is the one that was written: seqs
/// from 1 with no gap, every hash chained to the one before. Returns how many events it
/// checked.
///
/// # Errors
/// [`VerifyError::Broken`] naming the first bad seq, or the store's error.
pub async fn verify<S: EventStore>(store: &S) -> Result<u64, VerifyError> {
    let mut previous: Option<Envelope> = None;
    let mut checked = 0;
    loop {
        let from = previous.as_ref().map_or(1, |p| p.seq + 1);
        let batch = store.read_all(from, READ_BATCH).await?;
        verify_chain(previous.as_ref(), &batch)?;
        checked += batch.len() as u64;
        let full = batch.len() == READ_BATCH as usize;
        previous = batch.into_iter().last().or(previous);
        if !full {
            return Ok(checked);
        }
    }
}

/// Checks that `events` continue the log after `previous` (the event just before them, or
/// `None` when they start at seq 1): no gaps, and every hash chains.
///
/// # Errors
/// The first event at which the chain breaks.
pub fn verify_chain(previous: Option<&Envelope>, events: &[Envelope]) -> Result<(), ChainError> {
    let mut last_seq = previous.map_or(0, |p| p.seq);
    let mut last_hash = previous.map_or(GENESIS_HASH, |p| p.hash.as_str());
    for event in events {
        if event.seq != last_seq + 1 {
            return Err(ChainError::Gap {
                previous: last_seq,
                found: event.seq,
            });
        }
        if event.chained_hash(last_hash) != event.hash {
            return Err(ChainError::HashMismatch { seq: event.seq });
        }
        last_seq = event.seq;
        last_hash = &event.hash;
    }
    Ok(())
}
