//! Corrections as specifications: a payment recorded by mistake is voided by a new event
//! with its reason, never edited; a placed order with nothing paid or fulfilled goes back to
//! a draft, and its stock is released.

use orderlog::domain::stock_policy::react;
use orderlog::domain::{
    CreateOrder, Currency, CustomerName, FinancialStatus, LineId, LineQuantity, Money, Order,
    OrderCommand, OrderError, OrderEvent, OrderLine, PaymentMethod, ProductCommand, ProductName,
    Quantity, Remark, ReservationId, Sku, Stage, Timestamp,
};
use orderlog::es::{codec, Aggregate};

use crate::support;

const AT: Timestamp = Timestamp(1_767_225_600_000);

fn usd() -> Currency {
    Currency::new(*b"USD")
}

fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

fn remark(text: &str) -> Remark {
    Remark::parse(text).unwrap()
}

fn given(events: impl IntoIterator<Item = OrderEvent>) -> support::Given<Order> {
    support::given(events)
}

fn after(events: &[OrderEvent]) -> Order {
    events.iter().fold(Order::default(), Aggregate::evolve)
}

/// Created with one line of 2 × 5.00, and placed: 10.00 due.
fn placed() -> Vec<OrderEvent> {
    let create = CreateOrder {
        name: None,
        customer: CustomerName::parse("Ada").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: usd(),
        prices_include_tax: false,
        lines: vec![OrderLine {
            line_id: LineId(1),
            sku: Sku::parse("TEA-1").unwrap(),
            product_name: ProductName::parse("Tea").unwrap(),
            quantity: Quantity::new(2).unwrap(),
            unit_price: cents(500),
            discount: Money::ZERO,
            discount_percent: None,
            tax: None,
        }],
        created_at: AT,
    };
    let mut events = Order::default()
        .decide(&OrderCommand::Create(create))
        .unwrap();
    events.push(OrderEvent::OrderPlaced { at: AT });
    events
}

fn with(
    mut events: Vec<OrderEvent>,
    more: impl IntoIterator<Item = OrderEvent>,
) -> Vec<OrderEvent> {
    events.extend(more);
    events
}

fn paid(amount: u64) -> OrderEvent {
    OrderEvent::PaymentRecorded {
        amount: cents(amount),
        currency: usd(),
        method: PaymentMethod::Card,
        at: AT,
    }
}

fn refunded(amount: u64) -> OrderEvent {
    OrderEvent::RefundRecorded {
        amount: cents(amount),
        currency: usd(),
        method: Some(PaymentMethod::Cash),
        at: AT,
    }
}

fn void(payment: u32) -> OrderCommand {
    OrderCommand::VoidPayment {
        payment,
        reason: remark("entered twice"),
        at: AT,
    }
}

fn voided(payment: u32, amount: u64) -> OrderEvent {
    OrderEvent::PaymentVoided {
        payment,
        amount: cents(amount),
        reason: remark("entered twice"),
        at: AT,
    }
}

#[test]
fn a_payment_recorded_by_mistake_is_voided_with_its_reason_and_the_balance_is_due_again() {
    let history = with(placed(), [paid(1_000), paid(1_000)]);
    given(history.clone())
        .when(void(2))
        .then(vec![voided(2, 1_000)]);
    let order = after(&with(history, [voided(2, 1_000)]));
    assert_eq!(order.paid(), cents(1_000));
    assert_eq!(order.balance_due(), Some(Money::ZERO));
    assert!(order.payments()[1].is_void(), "kept, marked void");
}

#[test]
fn a_void_payment_cannot_be_voided_again_nor_a_refund_nor_a_payment_that_is_not_there() {
    let history = with(placed(), [paid(600), refunded(100), voided(1, 600)]);
    given(history.clone())
        .when(void(1))
        .then_err(OrderError::AlreadyVoid(1));
    given(history.clone())
        .when(void(2))
        .then_err(OrderError::UnknownPayment(2));
    given(history)
        .when(void(9))
        .then_err(OrderError::UnknownPayment(9));
}

#[test]
fn a_void_never_leaves_less_paid_than_was_refunded() {
    given(with(placed(), [paid(600), paid(400), refunded(500)]))
        .when(void(1))
        .then_err(OrderError::VoidBelowRefunded {
            refunded: cents(500).of(usd()),
        });
    given(with(placed(), [paid(600), paid(400), refunded(500)]))
        .when(void(2))
        .then(vec![voided(2, 400)]);
}

#[test]
fn a_draft_has_no_payment_to_void() {
    given(placed()[..2].to_vec())
        .when(void(1))
        .then_err(OrderError::NotPlaced);
}

#[test]
fn a_placed_order_with_nothing_paid_or_fulfilled_reopens_as_a_draft() {
    given(placed())
        .when(OrderCommand::Reopen { at: AT })
        .then(vec![OrderEvent::OrderReopened { at: AT }]);
    let order = after(&with(placed(), [OrderEvent::OrderReopened { at: AT }]));
    assert_eq!(order.stage(), &Stage::Draft);
    assert_eq!(order.financial_status(), FinancialStatus::Pending);
}

#[test]
fn an_order_paid_or_shipped_in_part_does_not_reopen_until_its_payment_is_voided() {
    given(with(placed(), [paid(100)]))
        .when(OrderCommand::Reopen { at: AT })
        .then_err(OrderError::CannotReopen);
    let shipped = OrderEvent::LinesFulfilled {
        lines: vec![LineQuantity {
            line_id: LineId(1),
            quantity: Quantity::new(1).unwrap(),
        }],
        at: AT,
    };
    given(with(placed(), [shipped]))
        .when(OrderCommand::Reopen { at: AT })
        .then_err(OrderError::CannotReopen);
    given(with(placed(), [paid(100), voided(1, 100)]))
        .when(OrderCommand::Reopen { at: AT })
        .then(vec![OrderEvent::OrderReopened { at: AT }]);
    given(placed()[..2].to_vec())
        .when(OrderCommand::Reopen { at: AT })
        .then_err(OrderError::NotPlaced);
}

#[test]
fn reopening_releases_the_stock_placing_reserved() {
    let before = after(&placed());
    let commands = react("order-a", &before, &OrderEvent::OrderReopened { at: AT });
    assert_eq!(
        commands,
        vec![(
            Sku::parse("TEA-1").unwrap(),
            ProductCommand::Release {
                reservation: ReservationId {
                    order_id: "order-a".into(),
                    line_id: LineId(1),
                },
            }
        )]
    );
}

#[test]
fn corrections_are_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&voided(2, 1_000)).unwrap();
    assert_eq!(stored.event_type, "PaymentVoided");
    assert_eq!(
        stored.payload,
        r#"{"amount":1000,"at":1767225600000,"payment":2,"reason":"entered twice"}"#
    );
    let stored = codec::encode(&OrderEvent::OrderReopened { at: AT }).unwrap();
    assert_eq!(stored.event_type, "OrderReopened");
    assert_eq!(stored.payload, r#"{"at":1767225600000}"#);
}
