//! How a domain event becomes a stored `(event_type, schema_version, payload)` and back.
//! Domain events are enums in serde's default (externally tagged) form, `{"OrderCreated":
//! {…}}`; the store keeps the variant's name as the event type and its data, as JSON text,
//! as the payload. (That form, unlike the adjacently tagged one, is read without a fallback
//! that buffers the data when it comes before the tag: half the decoding code.)
//!
//! Stored payloads are never rewritten. When an event's shape changes, its type's schema
//! version goes up and an [`Upcaster`] turns the old payload into the new one on read.

use std::borrow::Cow;
use std::cell::Cell;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use super::NewEvent;

/// One step of schema evolution: rewrites a payload of `event_type` stored at
/// `from_version` into the shape of `from_version + 1`.
#[derive(Clone, Copy, Debug)]
pub struct Upcaster {
    pub event_type: &'static str,
    pub from_version: u32,
    pub upcast: fn(Value) -> Value,
}

/// What the engine needs to know of a domain's events to store and read them.
pub trait EventSchema: Serialize + DeserializeOwned {
    /// The schema version new events of `event_type` are written with.
    #[must_use]
    fn current_version(event_type: &str) -> u32 {
        let _ = event_type;
        1
    }

    /// The steps that bring older payloads up to date, in any order.
    #[must_use]
    fn upcasters() -> &'static [Upcaster] {
        &[]
    }

    /// Reads an event from its tagged JSON text, `{"<type>": <data>}`. An enum of
    /// several aggregates' events overrides it to ask each of them in turn.
    ///
    /// # Errors
    /// The text is not such an event.
    fn from_tagged_json(json: &str) -> serde_json::Result<Self> {
        serde_json::from_str(json)
    }
}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("event could not be encoded: {0}")]
    Encode(String),
    #[error("unknown event type {0}")]
    UnknownType(String),
    #[error("event {event_type} v{version} was written by a newer orderlog (this one reads up to v{current})")]
    TooNew {
        event_type: String,
        version: u32,
        current: u32,
    },
    #[error("event {event_type} could not be read: {reason}")]
    Decode { event_type: String, reason: String },
}

/// Splits a domain event into its stored parts.
///
/// # Errors
/// [`CodecError::Encode`] when the event is not an externally tagged enum.
pub fn encode<E: EventSchema>(event: &E) -> Result<NewEvent, CodecError> {
    let value = serde_json::to_value(event).map_err(|e| CodecError::Encode(e.to_string()))?;
    let (event_type, data) = match value {
        // A variant without data is its name alone.
        Value::String(event_type) => (event_type, Value::Null),
        Value::Object(fields) if fields.len() == 1 => fields
            .into_iter()
            .next()
            .ok_or_else(|| CodecError::Encode("not a tagged enum".into()))?,
        _ => return Err(CodecError::Encode("not a tagged enum".into())),
    };
    Ok(NewEvent {
        schema_version: E::current_version(&event_type),
        event_type,
        payload: data.to_string(),
    })
}

thread_local! {
    static DECODED: Cell<u64> = const { Cell::new(0) };
}

/// How many stored payloads [`decode`] has read on this thread so far: what shows that the
/// read side decodes each event once, however many read models follow the log.
#[must_use]
pub fn decoded_on_this_thread() -> u64 {
    DECODED.with(Cell::get)
}

/// Rebuilds a domain event from its stored type, schema version and payload, upcasting old
/// payloads first.
///
/// # Errors
/// [`CodecError::UnknownType`] for a type this domain does not have,
/// [`CodecError::TooNew`] for a payload from a newer schema, [`CodecError::Decode`] for a
/// payload of the wrong shape or a missing upcasting step.
pub fn decode<E: EventSchema>(
    event_type: &str,
    schema_version: u32,
    payload: &str,
) -> Result<E, CodecError> {
    DECODED.with(|decoded| decoded.set(decoded.get() + 1));
    let fail = |reason: String| CodecError::Decode {
        event_type: event_type.to_owned(),
        reason,
    };
    let current = E::current_version(event_type);
    if schema_version > current {
        return Err(CodecError::TooNew {
            event_type: event_type.to_owned(),
            version: schema_version,
            current,
        });
    }
    let data = if schema_version == current {
        // Read as stored, once it is known to be one JSON value: no tree is built.
        serde_json::from_str::<IgnoredAny>(payload).map_err(|e| fail(e.to_string()))?;
        Cow::Borrowed(payload)
    } else {
        let mut data: Value = serde_json::from_str(payload).map_err(|e| fail(e.to_string()))?;
        for version in schema_version..current {
            let step = E::upcasters()
                .iter()
                .find(|u| u.event_type == event_type && u.from_version == version)
                .ok_or_else(|| fail(format!("no upcaster from v{version}")))?;
            data = (step.upcast)(data);
        }
        Cow::Owned(data.to_string())
    };
    let tagged = format!("{{{}:{data}}}", Value::String(event_type.to_owned()));
    E::from_tagged_json(&tagged).map_err(|e| {
        let reason = e.to_string();
        if reason.starts_with("unknown variant") {
            CodecError::UnknownType(event_type.to_owned())
        } else {
            fail(reason)
        }
    })
}
