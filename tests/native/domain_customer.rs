//! Customers as specifications: registered once, their details changed whole, merged into
//! the record that is kept and then closed; the values a seller types for them; the stored
//! shape of their events.

use orderlog::domain::customer::{
    customer_id, customer_stream, Customer, CustomerCommand, CustomerDetails, CustomerError,
    CustomerEvent,
};
use orderlog::domain::settings::Address;
use orderlog::domain::{CustomerName, Email, InputError, Phone, Remark, Tag};
use orderlog::es::codec;

use crate::support;

fn given(events: impl IntoIterator<Item = CustomerEvent>) -> support::Given<Customer> {
    support::given(events)
}

fn ada() -> CustomerDetails {
    CustomerDetails::named(
        CustomerName::parse("Ada Lovelace").unwrap(),
        Some(Email::parse("ada@example.com").unwrap()),
    )
}

fn ada_with_phone() -> CustomerDetails {
    CustomerDetails {
        phone: Some(Phone::parse("+44 20 7946 0000").unwrap()),
        tags: vec![Tag::parse("wholesale").unwrap()],
        ..ada()
    }
}

#[test]
fn a_customer_is_registered_once() {
    given([])
        .when(CustomerCommand::Register(ada()))
        .then(vec![CustomerEvent::CustomerRegistered(ada())]);
    given([CustomerEvent::CustomerRegistered(ada())])
        .when(CustomerCommand::Register(ada()))
        .then_err(CustomerError::AlreadyRegistered);
}

#[test]
fn details_change_whole_and_the_same_details_change_nothing() {
    let registered = [CustomerEvent::CustomerRegistered(ada())];
    given(registered.clone())
        .when(CustomerCommand::Change(ada_with_phone()))
        .then(vec![CustomerEvent::CustomerChanged(ada_with_phone())]);
    given(registered)
        .when(CustomerCommand::Change(ada()))
        .then(vec![]);
    given([])
        .when(CustomerCommand::Change(ada()))
        .then_err(CustomerError::NotRegistered);
}

#[test]
fn a_merged_customer_is_closed_and_points_at_the_one_kept() {
    let merged = [
        CustomerEvent::CustomerRegistered(ada()),
        CustomerEvent::CustomerMerged { into: "c-2".into() },
    ];
    given([CustomerEvent::CustomerRegistered(ada())])
        .when(CustomerCommand::MergeInto { into: "c-2".into() })
        .then(vec![CustomerEvent::CustomerMerged { into: "c-2".into() }]);
    given(merged.clone())
        .when(CustomerCommand::Change(ada_with_phone()))
        .then_err(CustomerError::Merged);
    given(merged.clone())
        .when(CustomerCommand::MergeInto { into: "c-3".into() })
        .then_err(CustomerError::Merged);
    let customer = merged
        .iter()
        .fold(Customer::default(), orderlog::es::Aggregate::evolve);
    assert_eq!(customer.merged_into(), Some("c-2"));
    assert_eq!(customer.details(), Some(&ada()), "kept, as it was");
}

#[test]
fn a_customers_stream_is_named_by_its_id() {
    assert_eq!(customer_stream("c-1"), "customer-c-1");
    assert_eq!(customer_id("customer-c-1"), Some("c-1"));
    assert_eq!(customer_id("customer-"), None);
    assert_eq!(customer_id("order-c-1"), None);
}

#[test]
fn phones_and_tags_are_taken_as_people_write_them_and_refused_with_a_reason() {
    assert_eq!(
        Phone::parse(" (555) 010-0199 ").unwrap().as_str(),
        "(555) 010-0199"
    );
    assert_eq!(Phone::parse("call me"), Err(InputError::NotAPhone));
    assert_eq!(
        Phone::parse("+1"),
        Err(InputError::NotAPhone),
        "fewer than 3 digits"
    );
    assert_eq!(Phone::parse(""), Err(InputError::Empty));
    let tags = Tag::parse_list(" Wholesale, gift,,wholesale , VIP").unwrap();
    let names: Vec<&str> = tags.iter().map(Tag::as_str).collect();
    assert_eq!(
        names,
        ["Wholesale", "gift", "VIP"],
        "the same tag in any case once"
    );
    assert_eq!(Tag::parse("a,b"), Err(InputError::CommaInTag));
    assert_eq!(
        Tag::parse_list(&"x".repeat(33)),
        Err(InputError::TooLong { max: 32 })
    );
}

#[test]
fn the_stored_shape_of_a_customers_events() {
    let stored = |event: &CustomerEvent| {
        let new = codec::encode(event).unwrap();
        (new.event_type, new.payload)
    };
    let full = CustomerDetails {
        address: Some(Address::parse("1 Market Square\nYork").unwrap()),
        notes: Some(Remark::parse("prefers loose tea").unwrap()),
        ..ada_with_phone()
    };
    assert_eq!(
        stored(&CustomerEvent::CustomerRegistered(ada())),
        (
            "CustomerRegistered".to_owned(),
            r#"{"email":"ada@example.com","name":"Ada Lovelace"}"#.to_owned()
        )
    );
    assert_eq!(
        stored(&CustomerEvent::CustomerChanged(full)),
        (
            "CustomerChanged".to_owned(),
            r#"{"address":"1 Market Square\nYork","email":"ada@example.com","name":"Ada Lovelace","notes":"prefers loose tea","phone":"+44 20 7946 0000","tags":["wholesale"]}"#.to_owned()
        )
    );
    assert_eq!(
        stored(&CustomerEvent::CustomerMerged { into: "c-2".into() }),
        ("CustomerMerged".to_owned(), r#"{"into":"c-2"}"#.to_owned())
    );
}
