//! The stored shape of events: encoding, decoding, and upcasting old payloads on read.

use orderlog::es::codec::{decode, encode};
use orderlog::es::{CodecError, EventSchema, Upcaster};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Version 1 stored `{"name": "..."}`; version 2 split it into first and last names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum CustomerEvent {
    Registered { first: String, last: String },
}

fn split_name(mut v1: Value) -> Value {
    let name = v1["name"].take();
    let name = name.as_str().unwrap_or_default();
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    json!({ "first": first, "last": last })
}

impl EventSchema for CustomerEvent {
    fn current_version(_event_type: &str) -> u32 {
        2
    }

    fn upcasters() -> &'static [Upcaster] {
        &[Upcaster {
            event_type: "Registered",
            from_version: 1,
            upcast: split_name,
        }]
    }
}

fn registered(first: &str, last: &str) -> CustomerEvent {
    CustomerEvent::Registered {
        first: first.into(),
        last: last.into(),
    }
}

#[test]
fn a_new_event_is_written_at_its_current_schema_version() {
    let stored = encode(&registered("Ada", "Lovelace")).unwrap();
    assert_eq!(
        (
            stored.event_type.as_str(),
            stored.schema_version,
            stored.payload.as_str()
        ),
        ("Registered", 2, r#"{"first":"Ada","last":"Lovelace"}"#)
    );
}

#[test]
fn an_old_payload_is_upcast_on_read() {
    assert_eq!(
        decode("Registered", 1, r#"{"name":"Ada Lovelace"}"#),
        Ok(registered("Ada", "Lovelace"))
    );
}

#[test]
fn a_current_payload_is_read_as_it_is() {
    assert_eq!(
        decode("Registered", 2, r#"{"first":"Grace","last":"Hopper"}"#),
        Ok(registered("Grace", "Hopper"))
    );
}

#[test]
fn a_payload_from_a_newer_schema_is_refused_with_the_reason() {
    assert_eq!(
        decode::<CustomerEvent>("Registered", 3, "{}"),
        Err(CodecError::TooNew {
            event_type: "Registered".into(),
            version: 3,
            current: 2
        })
    );
}

#[test]
fn an_unknown_event_type_is_named() {
    assert_eq!(
        decode::<CustomerEvent>("Deleted", 2, "{}"),
        Err(CodecError::UnknownType("Deleted".into()))
    );
}

#[test]
fn a_payload_that_is_not_json_is_a_decode_error() {
    assert!(matches!(
        decode::<CustomerEvent>("Registered", 2, "{oops"),
        Err(CodecError::Decode { .. })
    ));
}
