//! How a domain event becomes a stored `(event_type, schema_version, payload)` and back.
//! Domain events are adjacently tagged enums: `{"type": "OrderCreated", "data": {…}}`; the
//! store keeps the tag as the event type and the data, as JSON text, as the payload.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use super::NewEvent;

/// The schema version written with every new event. Bumped, per event type, together with
/// an upcaster, when a stored shape changes.
pub const CURRENT_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("event could not be encoded: {0}")]
    Encode(String),
    #[error("event {event_type} could not be read: {reason}")]
    Decode { event_type: String, reason: String },
}

/// Splits a domain event into its stored parts.
///
/// # Errors
/// [`CodecError::Encode`] when the event is not an adjacently tagged enum.
pub fn encode<E: Serialize>(event: &E) -> Result<NewEvent, CodecError> {
    let value = serde_json::to_value(event).map_err(|e| CodecError::Encode(e.to_string()))?;
    let Value::Object(mut fields) = value else {
        return Err(CodecError::Encode("not a tagged enum".into()));
    };
    let Some(Value::String(event_type)) = fields.remove("type") else {
        return Err(CodecError::Encode("no \"type\" tag".into()));
    };
    let data = fields.remove("data").unwrap_or(Value::Null);
    Ok(NewEvent {
        event_type,
        schema_version: CURRENT_SCHEMA_VERSION,
        payload: data.to_string(),
    })
}

/// Rebuilds a domain event from its stored type and payload.
///
/// # Errors
/// [`CodecError::Decode`] for an unknown event type or a payload of the wrong shape.
pub fn decode<E: DeserializeOwned>(event_type: &str, payload: &str) -> Result<E, CodecError> {
    let fail = |reason: String| CodecError::Decode {
        event_type: event_type.to_owned(),
        reason,
    };
    let data: Value = serde_json::from_str(payload).map_err(|e| fail(e.to_string()))?;
    let mut tagged = serde_json::Map::with_capacity(2);
    tagged.insert("type".into(), Value::String(event_type.to_owned()));
    tagged.insert("data".into(), data);
    serde_json::from_value(Value::Object(tagged)).map_err(|e| fail(e.to_string()))
}
