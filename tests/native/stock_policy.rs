//! The stock policy as a specification: given an order, when an event happens to it, then
//! the product commands it calls for; and, run against the product decider, the stock that
//! results.

use orderlog::domain::stock_policy::react;
use orderlog::domain::{
    Currency, CustomerName, LineId, LineQuantity, Money, Order, OrderEvent, OrderLine,
    PaymentMethod, Product, ProductCommand, ProductEvent, ProductName, Quantity, Remark,
    ReservationId, Sku, Timestamp,
};
use orderlog::es::Aggregate;

const AT: Timestamp = Timestamp(1_767_225_600_000);
const ORDER: &str = "order-7";

fn units(quantity: u32) -> Quantity {
    Quantity::new(quantity).unwrap()
}

fn sku(text: &str) -> Sku {
    Sku::parse(text).unwrap()
}

fn res(line: u32) -> ReservationId {
    ReservationId {
        order_id: ORDER.into(),
        line_id: LineId(line),
    }
}

fn line(id: u32, sku_text: &str, quantity: u32) -> OrderLine {
    OrderLine {
        line_id: LineId(id),
        sku: sku(sku_text),
        product_name: ProductName::parse(sku_text).unwrap(),
        quantity: units(quantity),
        unit_price: Money::from_cents(450),
        discount: Money::ZERO,
        discount_percent: None,
        tax: None,
    }
}

/// An order with line 1 (3 × TEA-1) and line 2 (1 × MUG-2).
fn draft() -> Vec<OrderEvent> {
    vec![
        OrderEvent::OrderCreated {
            name: None,
            customer: CustomerName::parse("Ada Lovelace").unwrap(),
            email: None,
            customer_id: None,
            exchange_for: None,
            currency: Currency::new(*b"USD"),
            prices_include_tax: false,
            created_at: AT,
        },
        OrderEvent::LineAdded(line(1, "TEA-1", 3)),
        OrderEvent::LineAdded(line(2, "MUG-2", 1)),
    ]
}

fn placed_order() -> Vec<OrderEvent> {
    let mut events = draft();
    events.push(OrderEvent::OrderPlaced { at: AT });
    events
}

fn fulfilled(lines: &[(u32, u32)]) -> OrderEvent {
    OrderEvent::LinesFulfilled {
        lines: lines
            .iter()
            .map(|&(id, quantity)| LineQuantity {
                line_id: LineId(id),
                quantity: units(quantity),
            })
            .collect(),
        at: AT,
    }
}

fn cancelled() -> OrderEvent {
    OrderEvent::OrderCancelled {
        reason: Remark::parse("out of stock").unwrap(),
        refund_owed: Money::ZERO,
        at: AT,
    }
}

/// The commands the policy calls for when `event` follows `history`.
fn when(history: &[OrderEvent], event: &OrderEvent) -> Vec<(Sku, ProductCommand)> {
    let before = history.iter().fold(Order::default(), Order::evolve);
    react(ORDER, &before, event)
}

#[test]
fn given_a_draft_when_it_is_placed_then_stock_is_reserved_for_each_line() {
    assert_eq!(
        when(&draft(), &OrderEvent::OrderPlaced { at: AT }),
        vec![
            (
                sku("TEA-1"),
                ProductCommand::Reserve {
                    reservation: res(1),
                    quantity: units(3),
                }
            ),
            (
                sku("MUG-2"),
                ProductCommand::Reserve {
                    reservation: res(2),
                    quantity: units(1),
                }
            ),
        ]
    );
}

#[test]
fn given_a_placed_order_when_lines_are_fulfilled_then_the_shipped_units_are_consumed() {
    assert_eq!(
        when(&placed_order(), &fulfilled(&[(1, 2)])),
        vec![(
            sku("TEA-1"),
            ProductCommand::Consume {
                reservation: res(1),
                quantity: units(2),
            }
        )]
    );
}

#[test]
fn given_a_partly_shipped_order_when_it_is_cancelled_then_the_unshipped_lines_are_released() {
    let mut history = placed_order();
    history.push(fulfilled(&[(2, 1)]));
    assert_eq!(
        when(&history, &cancelled()),
        vec![(
            sku("TEA-1"),
            ProductCommand::Release {
                reservation: res(1)
            }
        )]
    );
}

#[test]
fn given_a_draft_when_it_is_cancelled_then_nothing_was_reserved_to_release() {
    assert_eq!(when(&draft(), &cancelled()), vec![]);
}

#[test]
fn given_an_order_when_anything_else_happens_then_stock_is_untouched() {
    for event in [
        OrderEvent::LineAdded(line(3, "TEA-1", 1)),
        OrderEvent::LineQuantityChanged {
            line_id: LineId(1),
            quantity: units(9),
        },
        OrderEvent::LineRemoved { line_id: LineId(2) },
        OrderEvent::ChargesSet {
            tax: Money::ZERO,
            shipping: Money::from_cents(500),
        },
        OrderEvent::PaymentRecorded {
            amount: Money::from_cents(100),
            currency: Currency::new(*b"USD"),
            method: PaymentMethod::Cash,
            at: AT,
        },
        OrderEvent::RefundRecorded {
            amount: Money::from_cents(100),
            currency: Currency::new(*b"USD"),
            method: Some(PaymentMethod::Cash),
            at: AT,
        },
        OrderEvent::NoteAdded {
            text: Remark::parse("gift wrap").unwrap(),
            at: AT,
        },
    ] {
        assert_eq!(when(&placed_order(), &event), vec![], "after {event:?}");
    }
}

/// Runs the policy's commands for `sku_text` against a product, as the shell will.
fn run_on_product(product: Product, commands: &[(Sku, ProductCommand)], sku_text: &str) -> Product {
    commands
        .iter()
        .filter(|(target, _)| *target == sku(sku_text))
        .fold(product, |product, (_, command)| {
            let events = product.decide(command).unwrap();
            events.iter().fold(product, Product::evolve)
        })
}

#[test]
fn given_a_sku_no_product_registered_when_the_order_is_placed_then_it_is_back_ordered() {
    let commands = when(&draft(), &OrderEvent::OrderPlaced { at: AT });
    let mug = run_on_product(Product::default(), &commands, "MUG-2");
    assert_eq!(
        (
            mug.listing(),
            mug.on_hand(),
            mug.reserved(),
            mug.back_ordered()
        ),
        (None, 0, 0, 1)
    );
}

#[test]
fn given_stock_when_an_order_is_placed_partly_shipped_and_cancelled_then_stock_balances() {
    let tea = [
        ProductEvent::ProductRegistered {
            sku: sku("TEA-1"),
            name: ProductName::parse("Sencha").unwrap(),
            price: Money::from_cents(450),
        },
        ProductEvent::StockReceived { quantity: units(5) },
    ]
    .iter()
    .fold(Product::default(), Product::evolve);

    let mut history = draft();
    let mut tea = tea;
    for event in [
        OrderEvent::OrderPlaced { at: AT },
        fulfilled(&[(1, 2)]),
        cancelled(),
    ] {
        tea = run_on_product(tea, &when(&history, &event), "TEA-1");
        history.push(event);
    }
    assert_eq!(
        (
            tea.on_hand(),
            tea.reserved(),
            tea.available(),
            tea.reservations().count()
        ),
        (3, 0, 3, 0)
    );
}
