//! The order decider as a specification: given events, when a command, then events or an
//! error.
#![cfg(not(target_arch = "wasm32"))]

use orderlog::domain::order::lines_total;
use orderlog::domain::{
    CreateOrder, CustomerName, InputError, Money, Order, OrderCommand, OrderError, OrderEvent,
    OrderLine, Quantity, Sku, Timestamp,
};
use orderlog::es::Aggregate;

struct Given(Vec<OrderEvent>);

struct Then(Result<Vec<OrderEvent>, OrderError>);

fn given(events: impl IntoIterator<Item = OrderEvent>) -> Given {
    Given(events.into_iter().collect())
}

impl Given {
    #[allow(clippy::needless_pass_by_value)] // `.when(command)` reads as the specification
    fn when(self, command: OrderCommand) -> Then {
        let order = self.0.iter().fold(Order::default(), Order::evolve);
        Then(order.decide(&command))
    }
}

impl Then {
    #[track_caller]
    fn then(self, expected: Vec<OrderEvent>) {
        assert_eq!(self.0, Ok(expected));
    }

    #[track_caller]
    fn then_err(self, expected: OrderError) {
        assert_eq!(self.0, Err(expected));
    }
}

fn line(sku: &str, quantity: u32, cents: u64) -> OrderLine {
    OrderLine {
        sku: Sku::parse(sku).unwrap(),
        quantity: Quantity::new(quantity).unwrap(),
        unit_price: Money::from_cents(cents),
    }
}

fn create(lines: Vec<OrderLine>) -> CreateOrder {
    CreateOrder {
        customer: CustomerName::parse("Ada Lovelace").unwrap(),
        lines,
        created_at: Timestamp(1_767_225_600_000),
    }
}

fn created(lines: Vec<OrderLine>) -> OrderEvent {
    let command = create(lines);
    OrderEvent::OrderCreated {
        customer: command.customer,
        lines: command.lines,
        created_at: command.created_at,
    }
}

#[test]
fn a_new_order_is_created_with_its_customer_and_lines() {
    given([])
        .when(OrderCommand::Create(create(vec![line("TEA-1", 2, 450)])))
        .then(vec![created(vec![line("TEA-1", 2, 450)])]);
}

#[test]
fn creating_an_order_that_exists_is_refused() {
    given([created(vec![line("TEA-1", 1, 450)])])
        .when(OrderCommand::Create(create(vec![line("TEA-1", 1, 450)])))
        .then_err(OrderError::AlreadyCreated);
}

#[test]
fn an_order_without_lines_is_refused() {
    given([])
        .when(OrderCommand::Create(create(vec![])))
        .then_err(OrderError::NoLines);
}

#[test]
fn an_order_whose_total_overflows_is_refused_never_wrapped() {
    let huge = u64::MAX / 2;
    given([])
        .when(OrderCommand::Create(create(vec![
            line("A", 1, huge),
            line("B", 2, huge),
        ])))
        .then_err(OrderError::TotalTooLarge);
}

#[test]
fn the_total_is_the_sum_of_quantity_times_unit_price_in_cents() {
    assert_eq!(
        lines_total(&[line("A", 3, 199), line("B", 1, 1)]),
        Some(Money::from_cents(598))
    );
}

#[test]
fn bad_input_never_becomes_a_command_value() {
    assert_eq!(CustomerName::parse("   "), Err(InputError::Empty));
    assert_eq!(Quantity::parse("0"), Err(InputError::Zero));
    assert_eq!(Money::parse("abc"), Err(InputError::NotANumber));
    assert_eq!(Money::parse("-1"), Err(InputError::Negative));
}

#[test]
fn order_created_is_stored_in_a_fixed_json_shape() {
    let stored = orderlog::es::codec::encode(&created(vec![line("TEA-1", 2, 450)])).unwrap();
    assert_eq!(stored.event_type, "OrderCreated");
    assert_eq!(
        stored.payload,
        r#"{"created_at":1767225600000,"customer":"Ada Lovelace","lines":[{"quantity":2,"sku":"TEA-1","unit_price":450}]}"#
    );
    let decoded: OrderEvent =
        orderlog::es::codec::decode(&stored.event_type, stored.schema_version, &stored.payload)
            .unwrap();
    assert_eq!(decoded, created(vec![line("TEA-1", 2, 450)]));
}
