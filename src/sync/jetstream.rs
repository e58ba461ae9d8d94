//! How a shop's log lives in NATS `JetStream`, as pure functions: the stream's configuration,
//! the subject of each event stream, a command's events as the messages that append them,
//! the messages read back, and the server's answers. No sockets: [`super::Connection`] carries
//! what these make.
//!
//! A shop is one `JetStream` stream in the shop's account; each event stream (an order, a
//! product) is a subject under the stream's prefix. A message is one event without its seq
//! and hash (each device chains the shop's order itself); its `Orderlog-Hash` header is the
//! SHA-256 of its bytes, so that a reader tells a message altered on the way from one written
//! so.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::nats::Message;
use crate::es::{sha256_hex, Envelope};

/// The SHA-256 of a message's payload, in lowercase hex.
pub const HASH: &str = "Orderlog-Hash";
/// `JetStream`'s de-duplication: a message id seen within the stream's window is stored once.
pub const MSG_ID: &str = "Nats-Msg-Id";
/// The sequence of the subject's last message the publisher decided against; 0 for none.
pub const EXPECTED: &str = "Nats-Expected-Last-Subject-Sequence";
const BATCH_ID: &str = "Nats-Batch-Id";
const BATCH_SEQUENCE: &str = "Nats-Batch-Sequence";
const BATCH_COMMIT: &str = "Nats-Batch-Commit";
/// `JetStream`'s error code for a stale [`EXPECTED`].
const WRONG_LAST_SEQUENCE: u64 = 10_071;
/// `JetStream`'s error code for an atomic batch holding a message id it stored before.
const BATCH_DUPLICATE: u64 = 10_201;
/// `JetStream`'s error code for more than one replica asked of a single server.
const REPLICAS_NOT_SUPPORTED: u64 = 10_074;
/// `JetStream`'s error code for an account without `JetStream`.
const NOT_ENABLED: u64 = 10_039;

/// Where a shop's log lives: a stream in the shop's account, its subjects under `log.<name>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopLog {
    pub stream: String,
    /// How many servers keep a copy: 1 on one server, 3 in a production cluster.
    pub replicas: u8,
}

impl ShopLog {
    /// The log `name` (letters, digits, `-` and `_`), kept by `replicas` servers.
    #[must_use]
    pub fn new(name: &str, replicas: u8) -> ShopLog {
        ShopLog {
            stream: name.to_owned(),
            replicas,
        }
    }

    /// The subject of the event stream `stream_id`: one token, each byte other than a
    /// letter, a digit, `-` or `_` written `~` and its hex (a stream id may hold `.`, which
    /// separates tokens, or `#`).
    #[must_use]
    pub fn subject(&self, stream_id: &str) -> String {
        let mut subject = format!("log.{}.", self.stream);
        for byte in stream_id.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
                subject.push(char::from(byte));
            } else {
                // Writing to a String cannot fail.
                let _ = write!(subject, "~{byte:02X}");
            }
        }
        subject
    }

    /// Every subject of the log: what a device watches to hear of another's push.
    #[must_use]
    pub fn subjects(&self) -> String {
        format!("log.{}.>", self.stream)
    }

    /// The request that creates the stream, or finds it made as asked: its API subject and
    /// body. Nothing may delete or purge it, and it takes atomic batches.
    #[must_use]
    pub fn create(&self) -> (String, String) {
        let config = serde_json::json!({
            "name": self.stream,
            "subjects": [self.subjects()],
            "storage": "file",
            "num_replicas": self.replicas,
            "allow_atomic": true,
            "allow_direct": true,
            "deny_delete": true,
            "deny_purge": true,
        });
        (
            format!("$JS.API.STREAM.CREATE.{}", self.stream),
            config.to_string(),
        )
    }

    /// The request that looks the log's stream up: whether the shop is on the server, and
    /// how long its log is (read with [`found`]).
    #[must_use]
    pub fn info(&self) -> (String, String) {
        (
            format!("$JS.API.STREAM.INFO.{}", self.stream),
            String::new(),
        )
    }

    /// Whether the user the server describes in `reply` (its answer to [`USER_INFO`]) may
    /// append to this log: a subject of the log is in its publish permissions (or it has
    /// none), and none of its denials.
    ///
    /// # Errors
    /// An answer that is not the server's description of a user.
    pub fn may_append(&self, reply: &Message) -> Result<bool, String> {
        let answer: Value = serde_json::from_slice(&reply.payload)
            .map_err(|_| "the server's description of this user is not JSON".to_owned())?;
        let data = answer
            .get("data")
            .ok_or("the server did not describe this user")?;
        let publish = data.get("permissions").and_then(|p| p.get("publish"));
        let subject = self.subject("order-x");
        let listed = |list: &str| {
            publish
                .and_then(|p| p.get(list))
                .and_then(Value::as_array)
                .map(|patterns| {
                    patterns
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|pattern| subject_matches(pattern, &subject))
                })
        };
        Ok(listed("allow").unwrap_or(true) && !listed("deny").unwrap_or(false))
    }

    /// The request for at most `limit` messages from the stream sequence `from`: its subject
    /// and body. The server answers each message, then an end ([`Fetched::End`]).
    #[must_use]
    pub fn fetch(&self, from: u64, limit: u32) -> (String, String) {
        (
            format!("$JS.API.DIRECT.GET.{}", self.stream),
            serde_json::json!({ "seq": from, "batch": limit }).to_string(),
        )
    }

    /// A command's events (in seq order, one command's) as the messages that append them:
    /// each with its hash and an id made of the command's and its place, the first of each
    /// subject expecting `expected(stream_id)`, and, for more than one, an atomic batch
    /// whose last message commits it.
    ///
    /// # Panics
    /// Never: a struct of strings and integers always serialises.
    #[must_use]
    pub fn publication(
        &self,
        events: &[Envelope],
        expected: impl Fn(&str) -> u64,
    ) -> Vec<Outgoing> {
        let batch = events
            .first()
            .map(|first| sha256_hex(&[first.command_id.as_bytes()]))
            .unwrap_or_default();
        events
            .iter()
            .enumerate()
            .map(|(index, event)| {
                let payload = serde_json::to_vec(&WireEvent::of(event))
                    .expect("a struct of strings and integers always serialises");
                let mut headers = vec![
                    (HASH, sha256_hex(&[&payload])),
                    (MSG_ID, format!("{}:{index}", event.command_id)),
                ];
                if !events[..index]
                    .iter()
                    .any(|e| e.stream_id == event.stream_id)
                {
                    headers.push((EXPECTED, expected(&event.stream_id).to_string()));
                }
                if events.len() > 1 {
                    headers.push((BATCH_ID, batch.clone()));
                    headers.push((BATCH_SEQUENCE, (index + 1).to_string()));
                    if index + 1 == events.len() {
                        headers.push((BATCH_COMMIT, "1".to_owned()));
                    }
                }
                Outgoing {
                    subject: self.subject(&event.stream_id),
                    headers,
                    payload,
                }
            })
            .collect()
    }

    /// A message read back by [`ShopLog::fetch`].
    ///
    /// # Errors
    /// The server's refusal (a status other than the end), or a message without its place.
    pub fn fetched(&self, message: &Message) -> Result<Fetched, String> {
        match message.headers.status {
            // 204: the end of the batch; 404: nothing at or after the sequence asked.
            Some(204 | 404) => return Ok(Fetched::End),
            Some(status) => return Err(answered(status, &message.headers.description)),
            None => {}
        }
        let header = |name: &str| {
            message
                .headers
                .get(name)
                .ok_or_else(|| format!("a message without its {name} header"))
        };
        let seq = header("Nats-Sequence")?
            .parse()
            .map_err(|_| "a message whose sequence is not a number".to_owned())?;
        let subject = header("Nats-Subject")?;
        let event = self.event(subject, message.headers.get(HASH), &message.payload);
        Ok(Fetched::Message(Pulled {
            seq,
            subject: subject.to_owned(),
            event,
        }))
    }

    /// The event a message of `subject` carries, or why it is not one: its bytes as hashed,
    /// an event filed under its own stream's subject, at a version a stream can have.
    fn event(
        &self,
        subject: &str,
        hash: Option<&str>,
        payload: &[u8],
    ) -> Result<WireEvent, String> {
        if hash != Some(sha256_hex(&[payload]).as_str()) {
            return Err("its hash does not match its bytes".to_owned());
        }
        let event: WireEvent = serde_json::from_slice(payload)
            .map_err(|error| format!("it is not an event: {error}"))?;
        if self.subject(&event.stream_id) != subject {
            return Err(format!(
                "it was published to {subject}, not to its stream {}",
                event.stream_id
            ));
        }
        if event.stream_version == 0 {
            return Err(format!(
                "it is version 0 of {}: a stream's versions start at 1",
                event.stream_id
            ));
        }
        Ok(event)
    }
}

/// The subject a user asks the server about itself on (its account and permissions).
pub const USER_INFO: &str = "$SYS.REQ.USER.INFO";
/// `JetStream`'s error code for a stream that does not exist.
const STREAM_NOT_FOUND: u64 = 10_059;

/// Whether NATS subject `pattern` (tokens, `*` for any one, `>` for the rest) takes
/// `subject`.
fn subject_matches(pattern: &str, subject: &str) -> bool {
    let mut tokens = subject.split('.');
    for wanted in pattern.split('.') {
        match (wanted, tokens.next()) {
            (">", Some(_)) => return true,
            ("*", Some(_)) => {}
            (wanted, Some(token)) if wanted == token => {}
            _ => return false,
        }
    }
    tokens.next().is_none()
}

/// How long a shop's log is, as the server keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogSize {
    /// The messages it holds.
    pub messages: u64,
    /// The sequence of its last message; 0 for none.
    pub last: u64,
}

/// Reads the answer to [`ShopLog::info`]: the log's size, or `None` when the shop is not on
/// the server.
///
/// # Errors
/// Why the server did not say.
pub fn found(reply: &Message) -> Result<Option<LogSize>, NotCreated> {
    match api_answer(reply) {
        Ok(answer) => {
            let state = answer.get("state");
            let count = |name: &str| {
                state
                    .and_then(|state| state.get(name))
                    .and_then(Value::as_u64)
                    .unwrap_or_default()
            };
            Ok(Some(LogSize {
                messages: count("messages"),
                last: count("last_seq"),
            }))
        }
        Err(refusal) if refusal.code == Some(STREAM_NOT_FOUND) => Ok(None),
        Err(refusal) if refusal.status == Some(503) || refusal.code == Some(NOT_ENABLED) => {
            Err(NotCreated::NoJetStream)
        }
        Err(refusal) => Err(NotCreated::Refused(refusal.description)),
    }
}

/// Why [`ShopLog::create`] did not make the stream, or find it made as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotCreated {
    /// The account has no `JetStream`: no server answers its API (503), or it says so.
    NoJetStream,
    /// A single server, not a cluster: it keeps one copy only.
    NotClustered,
    /// Any other refusal, in the server's words.
    Refused(String),
}

/// Reads the answer to [`ShopLog::create`].
///
/// # Errors
/// Why the stream is not there.
pub fn created(reply: &Message) -> Result<(), NotCreated> {
    match api_answer(reply) {
        Ok(_) => Ok(()),
        Err(refusal) if refusal.status == Some(503) || refusal.code == Some(NOT_ENABLED) => {
            Err(NotCreated::NoJetStream)
        }
        Err(refusal) if refusal.code == Some(REPLICAS_NOT_SUPPORTED) => {
            Err(NotCreated::NotClustered)
        }
        Err(refusal) => Err(NotCreated::Refused(refusal.description)),
    }
}

/// A refusal of `JetStream`'s API: the reply's status or the answer's error, in the server's
/// words.
struct ApiRefusal {
    status: Option<u16>,
    code: Option<u64>,
    description: String,
}

/// The JSON answer of a `JetStream` API reply, or the server's refusal: a status (none
/// answered, say), or an answer holding an error.
fn api_answer(reply: &Message) -> Result<Value, ApiRefusal> {
    let refusal = |status, code, description| ApiRefusal {
        status,
        code,
        description,
    };
    if let Some(status) = reply.headers.status {
        let description = answered(status, &reply.headers.description);
        return Err(refusal(Some(status), None, description));
    }
    let answer: Value = serde_json::from_slice(&reply.payload)
        .map_err(|_| refusal(None, None, "the server's answer is not JSON".to_owned()))?;
    match answer.get("error") {
        Some(error) => Err(refusal(
            None,
            error.get("err_code").and_then(Value::as_u64),
            error
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("an error without a description")
                .to_owned(),
        )),
        None => Ok(answer),
    }
}

/// A reply's status, in words.
fn answered(status: u16, description: &str) -> String {
    format!("the server answered {status} {description}")
}

/// One message to publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub subject: String,
    pub headers: Vec<(&'static str, String)>,
    pub payload: Vec<u8>,
}

/// An event as it travels: an [`Envelope`] without the seq and hash the reader gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireEvent {
    pub stream_id: String,
    pub stream_version: u64,
    pub event_type: String,
    pub schema_version: u32,
    pub recorded_at: i64,
    pub command_id: String,
    pub correlation_id: String,
    pub causation_id: String,
    pub payload: String,
}

impl WireEvent {
    /// The envelope's event, without its place in this device's log.
    #[must_use]
    pub fn of(envelope: &Envelope) -> WireEvent {
        WireEvent {
            stream_id: envelope.stream_id.clone(),
            stream_version: envelope.stream_version,
            event_type: envelope.event_type.clone(),
            schema_version: envelope.schema_version,
            recorded_at: envelope.recorded_at,
            command_id: envelope.command_id.clone(),
            correlation_id: envelope.correlation_id.clone(),
            causation_id: envelope.causation_id.clone(),
            payload: envelope.payload.clone(),
        }
    }

    /// The event stored after `previous` (the [`Envelope::link`] of the log's last event).
    #[must_use]
    pub fn after(self, previous: Option<(u64, &str)>) -> Envelope {
        let mut envelope = Envelope {
            seq: previous.map_or(0, |(seq, _)| seq) + 1,
            stream_id: self.stream_id,
            stream_version: self.stream_version,
            event_type: self.event_type,
            schema_version: self.schema_version,
            recorded_at: self.recorded_at,
            command_id: self.command_id,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            payload: self.payload,
            hash: String::new(),
        };
        envelope.hash =
            envelope.chained_hash(previous.map_or(crate::es::GENESIS_HASH, |(_, hash)| hash));
        envelope
    }
}

/// A message of the shop's log as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pulled {
    /// Its place in the shop's order: the stream sequence.
    pub seq: u64,
    pub subject: String,
    /// Its event, or why it is not one.
    pub event: Result<WireEvent, String>,
}

/// One answer to [`ShopLog::fetch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    Message(Pulled),
    /// No more messages in this answer.
    End,
}

/// The server's answer to a publication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ack {
    /// Stored: the last message at stream sequence `last`, the `count` messages before it
    /// and it in order.
    Stored { last: u64, count: u64 },
    /// A message id the stream had already stored: published before, its answer lost.
    Duplicate,
    /// A subject moved past what the publisher expected: another device wrote first.
    Stale,
    /// Any other refusal, in the server's words.
    Refused(String),
}

impl Ack {
    /// Reads the reply to a publication.
    #[must_use]
    pub fn read(reply: &Message) -> Ack {
        let answer = match api_answer(reply) {
            Ok(answer) => answer,
            Err(refusal) => {
                return match refusal.code {
                    Some(WRONG_LAST_SEQUENCE) => Ack::Stale,
                    Some(BATCH_DUPLICATE) => Ack::Duplicate,
                    _ => Ack::Refused(refusal.description),
                }
            }
        };
        if answer.get("duplicate").and_then(Value::as_bool) == Some(true) {
            return Ack::Duplicate;
        }
        match answer.get("seq").and_then(Value::as_u64) {
            Some(last) => Ack::Stored {
                last,
                count: answer.get("count").and_then(Value::as_u64).unwrap_or(1),
            },
            None => Ack::Refused("the server's answer has no sequence".to_owned()),
        }
    }
}
