//! Returns as specifications: units that were fulfilled come back by line, each line's
//! either back to stock or not, with a refund proposed from what was paid for them and never
//! above what is refundable; the restocked units reach their product once.

use orderlog::domain::stock_policy::react;
use orderlog::domain::{
    CreateOrder, Currency, CustomerName, FulfilLines, LineId, Money, Order, OrderCommand,
    OrderError, OrderEvent, OrderLine, PaymentMethod, Product, ProductCommand, ProductEvent,
    ProductName, Quantity, Rate, RateName, RefundGiven, Remark, ReservationId, ReturnedLine, Sku,
    TaxRate, Timestamp,
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

fn units(n: u32) -> Quantity {
    Quantity::new(n).unwrap()
}

fn given(events: impl IntoIterator<Item = OrderEvent>) -> support::Given<Order> {
    support::given(events)
}

fn after(events: &[OrderEvent]) -> Order {
    events.iter().fold(Order::default(), Aggregate::evolve)
}

fn line(id: u32, sku: &str, quantity: u32, unit_price: u64) -> OrderLine {
    OrderLine {
        line_id: LineId(id),
        sku: Sku::parse(sku).unwrap(),
        product_name: ProductName::parse(sku).unwrap(),
        quantity: units(quantity),
        unit_price: cents(unit_price),
        discount: Money::ZERO,
        discount_percent: None,
        tax: None,
    }
}

/// Created with `lines`, placed, paid in full in cash, and fulfilled whole.
fn sold(lines: Vec<OrderLine>) -> Vec<OrderEvent> {
    let create = CreateOrder {
        name: None,
        customer: CustomerName::parse("Ada").unwrap(),
        email: None,
        customer_id: None,
        exchange_for: None,
        currency: usd(),
        prices_include_tax: false,
        lines,
        created_at: AT,
    };
    let mut events = Order::default()
        .decide(&OrderCommand::Create(create))
        .unwrap();
    events.push(OrderEvent::OrderPlaced { at: AT });
    let total = after(&events).total().unwrap();
    events.push(OrderEvent::PaymentRecorded {
        amount: total,
        currency: usd(),
        method: PaymentMethod::Cash,
        at: AT,
    });
    events.extend(
        after(&events)
            .decide(&OrderCommand::Fulfil {
                lines: FulfilLines::AllRemaining,
                at: AT,
            })
            .unwrap(),
    );
    events
}

/// Tea 2 × 5.00, cups 1 × 12.00, a pot 1 × 30.00: 52.00, paid and shipped.
fn three_lines() -> Vec<OrderEvent> {
    sold(vec![
        line(1, "TEA", 2, 500),
        line(2, "CUP", 1, 1_200),
        line(3, "POT", 1, 3_000),
    ])
}

fn back(line_id: u32, quantity: u32, restock: bool) -> ReturnedLine {
    ReturnedLine {
        line_id: LineId(line_id),
        quantity: units(quantity),
        restock,
    }
}

fn return_of(lines: Vec<ReturnedLine>, refund: Option<u64>) -> OrderCommand {
    OrderCommand::Return {
        lines,
        refund: refund.map(|amount| RefundGiven {
            amount: cents(amount),
            currency: usd(),
            method: PaymentMethod::Cash,
        }),
        at: AT,
    }
}

fn returned(lines: Vec<ReturnedLine>) -> OrderEvent {
    OrderEvent::LinesReturned { lines, at: AT }
}

fn refunded_in_cash(amount: u64) -> OrderEvent {
    OrderEvent::RefundRecorded {
        amount: cents(amount),
        currency: usd(),
        method: Some(PaymentMethod::Cash),
        at: AT,
    }
}

fn with(
    mut events: Vec<OrderEvent>,
    more: impl IntoIterator<Item = OrderEvent>,
) -> Vec<OrderEvent> {
    events.extend(more);
    events
}

#[test]
fn a_line_comes_back_to_stock_with_its_refund_in_one_step() {
    given(three_lines())
        .when(return_of(vec![back(2, 1, true)], Some(1_200)))
        .then(vec![
            returned(vec![back(2, 1, true)]),
            refunded_in_cash(1_200),
        ]);
    let order = after(&with(
        three_lines(),
        [returned(vec![back(2, 1, true)]), refunded_in_cash(1_200)],
    ));
    let cup = order.line(LineId(2)).unwrap();
    assert_eq!((cup.returned, cup.restocked, cup.returnable()), (1, 1, 0));
    assert_eq!(order.refunded(), cents(1_200));
    assert_eq!(order.units_returned(), 1);
    assert!(order.payments()[1].refund);
    assert_eq!(order.payments()[1].method, Some(PaymentMethod::Cash));
}

#[test]
fn a_return_without_a_refund_is_only_the_units_and_one_not_restocked_stays_off_the_shelf() {
    given(three_lines())
        .when(return_of(vec![back(1, 1, false), back(3, 1, true)], None))
        .then(vec![returned(vec![back(1, 1, false), back(3, 1, true)])]);
    let order = after(&with(
        three_lines(),
        [returned(vec![back(1, 1, false), back(3, 1, true)])],
    ));
    let tea = order.line(LineId(1)).unwrap();
    assert_eq!((tea.returned, tea.restocked), (1, 0));
}

#[test]
fn only_units_fulfilled_and_not_returned_yet_come_back() {
    let once = with(three_lines(), [returned(vec![back(1, 1, true)])]);
    given(once.clone())
        .when(return_of(vec![back(1, 2, true)], None))
        .then_err(OrderError::ReturnExceedsFulfilled {
            line_id: LineId(1),
            returnable: 1,
        });
    given(once)
        .when(return_of(vec![back(1, 1, true)], None))
        .then(vec![returned(vec![back(1, 1, true)])]);
    let placed_not_shipped = three_lines()[..5].to_vec();
    given(placed_not_shipped)
        .when(return_of(vec![back(1, 1, true)], None))
        .then_err(OrderError::ReturnExceedsFulfilled {
            line_id: LineId(1),
            returnable: 0,
        });
}

#[test]
fn a_return_names_each_line_once_and_at_least_one_unit() {
    given(three_lines())
        .when(return_of(vec![], None))
        .then_err(OrderError::NothingToReturn);
    given(three_lines())
        .when(return_of(vec![back(1, 1, true), back(1, 1, false)], None))
        .then_err(OrderError::LineListedTwice(LineId(1)));
    given(three_lines())
        .when(return_of(vec![back(9, 1, true)], None))
        .then_err(OrderError::UnknownLine(LineId(9)));
}

#[test]
fn a_returns_refund_never_exceeds_what_was_paid_less_what_was_refunded() {
    let partly_refunded = with(three_lines(), [refunded_in_cash(5_000)]);
    given(partly_refunded.clone())
        .when(return_of(vec![back(3, 1, true)], Some(3_000)))
        .then_err(OrderError::RefundExceedsPaid {
            refundable: cents(200).of(usd()),
        });
    given(partly_refunded)
        .when(return_of(vec![back(3, 1, true)], Some(200)))
        .then(vec![
            returned(vec![back(3, 1, true)]),
            refunded_in_cash(200),
        ]);
    given(three_lines())
        .when(return_of(vec![back(3, 1, true)], Some(0)))
        .then_err(OrderError::ZeroAmount);
}

#[test]
fn a_draft_has_nothing_to_return_and_a_cancelled_order_takes_back_what_it_shipped() {
    given(three_lines()[..4].to_vec())
        .when(return_of(vec![back(1, 1, true)], None))
        .then_err(OrderError::NotPlaced);
    let shipped_one = sold(vec![line(1, "TEA", 2, 500)])[..4].to_vec();
    let cancelled = with(
        shipped_one,
        [
            OrderEvent::LinesFulfilled {
                lines: vec![orderlog::domain::LineQuantity {
                    line_id: LineId(1),
                    quantity: units(1),
                }],
                at: AT,
            },
            OrderEvent::OrderCancelled {
                reason: Remark::parse("the rest never came").unwrap(),
                refund_owed: cents(1_000),
                at: AT,
            },
        ],
    );
    given(cancelled)
        .when(return_of(vec![back(1, 1, true)], Some(500)))
        .then(vec![
            returned(vec![back(1, 1, true)]),
            refunded_in_cash(500),
        ]);
}

#[test]
fn the_refund_proposed_is_what_was_paid_for_the_units_and_one_by_one_comes_to_the_whole_line() {
    // 3 × 3.33 at 10% added: 9.99 and 1.00 of tax, 10.99 paid for the line.
    let taxed = OrderLine {
        tax: Some(TaxRate {
            name: RateName::parse("VAT").unwrap(),
            rate: Rate::parse("10").unwrap(),
        }),
        ..line(1, "JAM", 3, 333)
    };
    let history = sold(vec![taxed, line(2, "CUP", 1, 1_200)]);
    let order = after(&history);
    assert_eq!(
        order.value_of_return(&[back(1, 3, true)]),
        Some(cents(1_099))
    );
    assert_eq!(
        order.value_of_return(&[back(1, 3, true), back(2, 1, true)]),
        Some(cents(2_299))
    );
    let mut order = order;
    let mut one_by_one = Vec::new();
    for _ in 0..3 {
        let value = order.value_of_return(&[back(1, 1, true)]).unwrap();
        one_by_one.push(value.cents());
        order = order.evolve(&returned(vec![back(1, 1, true)]));
    }
    assert_eq!(one_by_one, vec![366, 367, 366]);
    assert_eq!(one_by_one.iter().sum::<u64>(), 1_099);
}

#[test]
fn a_refund_proposed_on_a_discounted_order_is_what_the_units_cost_after_the_discount() {
    let mut history = sold(vec![line(1, "TEA", 2, 500), line(2, "CUP", 1, 1_000)]);
    // The order's 10% discount was set before it was placed: re-sell it with it.
    let draft = history[..3].to_vec();
    let discounted = with(
        draft,
        [OrderEvent::OrderDiscountSet {
            discount: Some(orderlog::domain::Discount::Percent(
                Rate::parse("10").unwrap(),
            )),
        }],
    );
    history = with(discounted, [OrderEvent::OrderPlaced { at: AT }]);
    let order = after(&history);
    assert_eq!(order.total(), Some(cents(1_800)));
    assert_eq!(order.value_of_return(&[back(1, 1, true)]), Some(cents(450)));
}

#[test]
fn restocked_units_go_back_to_their_product_and_the_others_do_not() {
    let before = after(&three_lines());
    let event = returned(vec![back(1, 2, true), back(2, 1, false), back(3, 1, true)]);
    let reservation = |line_id| ReservationId {
        order_id: "order-a".into(),
        line_id: LineId(line_id),
    };
    assert_eq!(
        react("order-a", &before, &event),
        vec![
            (
                Sku::parse("TEA").unwrap(),
                ProductCommand::Restock {
                    reservation: reservation(1),
                    quantity: units(2),
                }
            ),
            (
                Sku::parse("POT").unwrap(),
                ProductCommand::Restock {
                    reservation: reservation(3),
                    quantity: units(1),
                }
            ),
        ]
    );
    assert_eq!(
        react("order-a", &before, &refunded_in_cash(100)),
        vec![],
        "a refund alone moves no stock"
    );
}

#[test]
fn a_product_takes_restocked_units_back_on_hand_registered_or_not() {
    let restock = ProductCommand::Restock {
        reservation: ReservationId {
            order_id: "order-a".into(),
            line_id: LineId(1),
        },
        quantity: units(2),
    };
    let registered = ProductEvent::ProductRegistered {
        sku: Sku::parse("TEA").unwrap(),
        name: ProductName::parse("Tea").unwrap(),
        price: cents(500),
    };
    let received = ProductEvent::StockReceived { quantity: units(3) };
    let product = [registered, received]
        .iter()
        .fold(Product::default(), Product::evolve);
    let events = product.decide(&restock).unwrap();
    assert_eq!(
        events,
        vec![ProductEvent::StockRestocked {
            reservation: ReservationId {
                order_id: "order-a".into(),
                line_id: LineId(1),
            },
            quantity: units(2),
        }]
    );
    assert_eq!(events.iter().fold(product, Product::evolve).on_hand(), 5);
    let unregistered = Product::default().decide(&restock).unwrap();
    assert_eq!(
        unregistered
            .iter()
            .fold(Product::default(), Product::evolve)
            .on_hand(),
        2
    );
}

#[test]
fn the_stored_shape_of_a_return_and_a_refund_with_its_method() {
    let stored = |event: &OrderEvent| {
        let new = codec::encode(event).unwrap();
        (new.event_type, new.payload)
    };
    assert_eq!(
        stored(&returned(vec![back(2, 1, true), back(3, 2, false)])),
        (
            "LinesReturned".to_owned(),
            r#"{"at":1767225600000,"lines":[{"line_id":2,"quantity":1,"restock":true},{"line_id":3,"quantity":2,"restock":false}]}"#.to_owned()
        )
    );
    assert_eq!(
        stored(&refunded_in_cash(1_200)),
        (
            "RefundRecorded".to_owned(),
            r#"{"amount":1200,"at":1767225600000,"currency":"USD","method":"cash"}"#.to_owned()
        )
    );
    let restocked = codec::encode(&ProductEvent::StockRestocked {
        reservation: ReservationId {
            order_id: "order-a".into(),
            line_id: LineId(2),
        },
        quantity: units(1),
    })
    .unwrap();
    assert_eq!(
        (restocked.event_type.as_str(), restocked.payload.as_str()),
        (
            "StockRestocked",
            r#"{"quantity":1,"reservation":{"line_id":2,"order_id":"order-a"}}"#
        )
    );
}
