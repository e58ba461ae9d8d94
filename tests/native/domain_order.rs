//! The order decider as a specification: given events, when a command, then events or an
//! error. One rule per test; the figures and statuses derived from the state follow, then the
//! stored JSON.

use orderlog::domain::{
    CreateOrder, Currency, CustomerName, Email, FinancialStatus, FulfilLines, FulfilmentStatus,
    LineId, LineQuantity, Money, Order, OrderCommand, OrderError, OrderEvent, OrderLine, OrderName,
    PaymentMethod, ProductName, Quantity, Remark, Sku, Timestamp,
};
use orderlog::es::codec;

use crate::support;

const CREATED_AT: Timestamp = Timestamp(1_767_225_600_000);
const LATER: Timestamp = Timestamp(1_767_229_200_000);

fn given(events: impl IntoIterator<Item = OrderEvent>) -> support::Given<Order> {
    support::given(events)
}

fn order_after(events: impl IntoIterator<Item = OrderEvent>) -> Order {
    events
        .into_iter()
        .fold(Order::default(), |order, event| order.evolve(&event))
}

fn cents(cents: u64) -> Money {
    Money::from_cents(cents)
}

fn usd() -> Currency {
    Currency::new(*b"USD")
}

fn eur() -> Currency {
    Currency::new(*b"EUR")
}

fn remark(text: &str) -> Remark {
    Remark::parse(text).unwrap()
}

fn units(quantity: u32) -> Quantity {
    Quantity::new(quantity).unwrap()
}

/// Line `id`: `quantity` units of `TEA-{id}` at `unit_cents`, no discount.
fn line(id: u32, quantity: u32, unit_cents: u64) -> OrderLine {
    OrderLine {
        line_id: LineId(id),
        sku: Sku::parse(&format!("TEA-{id}")).unwrap(),
        product_name: ProductName::parse(&format!("Tea no. {id}")).unwrap(),
        quantity: units(quantity),
        unit_price: cents(unit_cents),
        discount: Money::ZERO,
        discount_percent: None,
        tax: None,
    }
}

fn discounted(line: OrderLine, discount_cents: u64) -> OrderLine {
    OrderLine {
        discount: cents(discount_cents),
        ..line
    }
}

fn create(lines: Vec<OrderLine>) -> CreateOrder {
    CreateOrder {
        name: Some(OrderName::parse("#A-17").unwrap()),
        customer: CustomerName::parse("Ada Lovelace").unwrap(),
        email: Some(Email::parse("ada@example.com").unwrap()),
        customer_id: None,
        exchange_for: None,
        currency: usd(),
        prices_include_tax: false,
        lines,
        created_at: CREATED_AT,
    }
}

// Events.

fn created() -> OrderEvent {
    let command = create(vec![]);
    OrderEvent::OrderCreated {
        name: command.name,
        customer: command.customer,
        email: command.email,
        customer_id: None,
        exchange_for: None,
        currency: command.currency,
        prices_include_tax: false,
        created_at: command.created_at,
    }
}

fn added(line: OrderLine) -> OrderEvent {
    OrderEvent::LineAdded(line)
}

fn charges_set(tax: u64, shipping: u64) -> OrderEvent {
    OrderEvent::ChargesSet {
        tax: cents(tax),
        shipping: cents(shipping),
    }
}

fn placed() -> OrderEvent {
    OrderEvent::OrderPlaced { at: LATER }
}

fn paid(amount: u64) -> OrderEvent {
    OrderEvent::PaymentRecorded {
        amount: cents(amount),
        currency: usd(),
        method: PaymentMethod::Card,
        at: LATER,
    }
}

fn refunded(amount: u64) -> OrderEvent {
    OrderEvent::RefundRecorded {
        amount: cents(amount),
        currency: usd(),
        method: None,
        at: LATER,
    }
}

fn shipped(lines: &[(u32, u32)]) -> Vec<LineQuantity> {
    lines
        .iter()
        .map(|&(id, quantity)| LineQuantity {
            line_id: LineId(id),
            quantity: units(quantity),
        })
        .collect()
}

fn fulfilled(lines: &[(u32, u32)]) -> OrderEvent {
    OrderEvent::LinesFulfilled {
        lines: shipped(lines),
        at: LATER,
    }
}

fn cancelled(refund_owed: u64) -> OrderEvent {
    OrderEvent::OrderCancelled {
        reason: remark("customer changed their mind"),
        refund_owed: cents(refund_owed),
        at: LATER,
    }
}

/// Created with line 1 (2 × 5.00) and line 2 (1 × 3.00): a draft totalling 13.00.
fn draft() -> Vec<OrderEvent> {
    vec![created(), added(line(1, 2, 500)), added(line(2, 1, 300))]
}

/// The draft, placed: 13.00 due.
fn placed_order() -> Vec<OrderEvent> {
    let mut events = draft();
    events.push(placed());
    events
}

fn with(
    mut events: Vec<OrderEvent>,
    more: impl IntoIterator<Item = OrderEvent>,
) -> Vec<OrderEvent> {
    events.extend(more);
    events
}

// Commands.

fn pay(amount: u64) -> OrderCommand {
    pay_in(amount, usd())
}

fn pay_in(amount: u64, currency: Currency) -> OrderCommand {
    OrderCommand::RecordPayment {
        amount: cents(amount),
        currency,
        method: PaymentMethod::Card,
        at: LATER,
    }
}

fn refund(amount: u64) -> OrderCommand {
    refund_in(amount, usd())
}

fn refund_in(amount: u64, currency: Currency) -> OrderCommand {
    OrderCommand::RecordRefund {
        amount: cents(amount),
        currency,
        method: None,
        at: LATER,
    }
}

fn fulfil(lines: &[(u32, u32)]) -> OrderCommand {
    OrderCommand::Fulfil {
        lines: FulfilLines::Only(shipped(lines)),
        at: LATER,
    }
}

fn fulfil_all() -> OrderCommand {
    OrderCommand::Fulfil {
        lines: FulfilLines::AllRemaining,
        at: LATER,
    }
}

fn cancel() -> OrderCommand {
    OrderCommand::Cancel {
        reason: remark("customer changed their mind"),
        at: LATER,
    }
}

fn place() -> OrderCommand {
    OrderCommand::Place { at: LATER }
}

fn change_quantity(id: u32, quantity: u32) -> OrderCommand {
    OrderCommand::ChangeLineQuantity {
        line_id: LineId(id),
        quantity: units(quantity),
    }
}

fn remove(id: u32) -> OrderCommand {
    OrderCommand::RemoveLine {
        line_id: LineId(id),
    }
}

fn set_charges(tax: u64, shipping: u64) -> OrderCommand {
    OrderCommand::SetCharges {
        tax: cents(tax),
        shipping: cents(shipping),
    }
}

fn add_note(text: &str) -> OrderCommand {
    OrderCommand::AddNote {
        text: remark(text),
        at: LATER,
    }
}

// Creating.

#[test]
fn given_nothing_when_creating_with_lines_then_the_order_then_each_line_is_recorded() {
    given([])
        .when(OrderCommand::Create(create(vec![
            line(1, 2, 500),
            line(2, 1, 300),
        ])))
        .then(draft());
}

#[test]
fn given_nothing_when_creating_without_lines_then_only_the_order_is_recorded() {
    given([])
        .when(OrderCommand::Create(create(vec![])))
        .then(vec![created()]);
}

#[test]
fn given_an_order_when_creating_it_again_then_it_already_exists() {
    given([created()])
        .when(OrderCommand::Create(create(vec![])))
        .then_err(OrderError::AlreadyCreated);
}

#[test]
fn given_nothing_when_creating_with_two_lines_of_one_id_then_the_duplicate_is_refused() {
    given([])
        .when(OrderCommand::Create(create(vec![
            line(1, 1, 100),
            line(1, 2, 100),
        ])))
        .then_err(OrderError::DuplicateLine(LineId(1)));
}

#[test]
fn given_nothing_when_creating_with_a_discount_above_its_line_then_it_is_refused() {
    given([])
        .when(OrderCommand::Create(create(vec![discounted(
            line(1, 2, 500),
            1_001,
        )])))
        .then_err(OrderError::DiscountExceedsLine {
            line_id: LineId(1),
            line_total: cents(1_000).of(usd()),
        });
}

#[test]
fn given_nothing_when_creating_lines_whose_sum_overflows_then_it_is_refused_never_wrapped() {
    let huge = u64::MAX / 2;
    given([])
        .when(OrderCommand::Create(create(vec![
            line(1, 1, huge),
            line(2, 2, huge),
        ])))
        .then_err(OrderError::TotalTooLarge);
}

#[test]
fn the_order_a_create_would_make_is_the_one_creating_it_makes_or_its_refusal() {
    let with_lines = create(vec![line(1, 2, 500), line(2, 1, 300)]);
    assert_eq!(Order::would_create(&with_lines), Ok(order_after(draft())));
    assert_eq!(
        Order::would_create(&with_lines).map(|order| order.total()),
        Ok(Some(cents(1_300)))
    );
    assert_eq!(
        Order::would_create(&create(vec![line(1, 1, 100), line(1, 2, 100)])),
        Err(OrderError::DuplicateLine(LineId(1)))
    );
}

#[test]
fn given_nothing_when_any_other_command_then_the_order_does_not_exist() {
    for command in [
        OrderCommand::AddLine(line(1, 1, 100)),
        change_quantity(1, 2),
        remove(1),
        set_charges(1, 1),
        place(),
        pay(100),
        fulfil_all(),
        cancel(),
        refund(100),
        add_note("hello"),
    ] {
        given([]).when(command).then_err(OrderError::NotCreated);
    }
}

// Lines, before placing.

#[test]
fn given_a_draft_when_adding_a_line_then_it_is_recorded() {
    given(draft())
        .when(OrderCommand::AddLine(discounted(line(3, 4, 250), 100)))
        .then(vec![added(discounted(line(3, 4, 250), 100))]);
}

#[test]
fn given_a_draft_when_adding_a_line_with_an_id_in_use_then_it_is_refused() {
    given(draft())
        .when(OrderCommand::AddLine(line(2, 1, 100)))
        .then_err(OrderError::DuplicateLine(LineId(2)));
}

#[test]
fn given_a_draft_when_adding_a_line_discounted_to_zero_then_it_is_recorded() {
    given(draft())
        .when(OrderCommand::AddLine(discounted(line(3, 2, 250), 500)))
        .then(vec![added(discounted(line(3, 2, 250), 500))]);
}

#[test]
fn given_a_draft_when_adding_a_line_discounted_above_its_total_then_it_is_refused() {
    given(draft())
        .when(OrderCommand::AddLine(discounted(line(3, 2, 250), 501)))
        .then_err(OrderError::DiscountExceedsLine {
            line_id: LineId(3),
            line_total: cents(500).of(usd()),
        });
}

#[test]
fn given_a_draft_when_adding_a_line_whose_quantity_times_price_overflows_then_it_is_refused() {
    given(draft())
        .when(OrderCommand::AddLine(line(3, 3, u64::MAX / 2)))
        .then_err(OrderError::TotalTooLarge);
}

#[test]
fn given_a_draft_when_changing_a_line_quantity_then_it_is_recorded() {
    given(draft())
        .when(change_quantity(1, 5))
        .then(vec![OrderEvent::LineQuantityChanged {
            line_id: LineId(1),
            quantity: units(5),
        }]);
}

#[test]
fn given_a_draft_when_changing_a_line_to_its_own_quantity_then_nothing_is_recorded() {
    given(draft()).when(change_quantity(1, 2)).then(vec![]);
}

#[test]
fn given_a_draft_when_changing_the_quantity_of_an_unknown_line_then_it_is_refused() {
    given(draft())
        .when(change_quantity(9, 1))
        .then_err(OrderError::UnknownLine(LineId(9)));
}

#[test]
fn given_a_discounted_line_when_lowering_its_quantity_below_the_discount_then_it_is_refused() {
    given([created(), added(discounted(line(1, 2, 500), 800))])
        .when(change_quantity(1, 1))
        .then_err(OrderError::DiscountExceedsLine {
            line_id: LineId(1),
            line_total: cents(500).of(usd()),
        });
}

#[test]
fn given_a_draft_when_raising_a_quantity_past_the_largest_total_then_it_is_refused() {
    given([created(), added(line(1, 1, u64::MAX / 4))])
        .when(change_quantity(1, 5))
        .then_err(OrderError::TotalTooLarge);
}

#[test]
fn given_a_draft_when_removing_a_line_then_it_is_recorded() {
    given(draft())
        .when(remove(2))
        .then(vec![OrderEvent::LineRemoved { line_id: LineId(2) }]);
}

#[test]
fn given_a_draft_when_removing_an_unknown_line_then_it_is_refused() {
    given(draft())
        .when(remove(9))
        .then_err(OrderError::UnknownLine(LineId(9)));
}

#[test]
fn given_a_placed_order_when_changing_lines_or_charges_then_they_are_locked() {
    for command in [
        OrderCommand::AddLine(line(3, 1, 100)),
        change_quantity(1, 1),
        remove(1),
        set_charges(100, 100),
    ] {
        given(placed_order())
            .when(command)
            .then_err(OrderError::LockedAfterPlacing);
    }
}

// Charges.

#[test]
fn given_a_draft_when_setting_tax_and_shipping_then_they_are_recorded() {
    given(draft())
        .when(set_charges(130, 495))
        .then(vec![charges_set(130, 495)]);
}

#[test]
fn given_charges_when_setting_the_same_charges_then_nothing_is_recorded() {
    given(with(draft(), [charges_set(130, 495)]))
        .when(set_charges(130, 495))
        .then(vec![]);
}

#[test]
fn given_a_draft_when_setting_charges_that_overflow_the_total_then_they_are_refused() {
    given(draft())
        .when(set_charges(u64::MAX, 0))
        .then_err(OrderError::TotalTooLarge);
}

// Placing.

#[test]
fn given_a_draft_with_lines_when_placing_then_it_is_placed() {
    given(draft()).when(place()).then(vec![placed()]);
}

#[test]
fn given_a_draft_without_lines_when_placing_then_it_needs_a_line() {
    given([created()])
        .when(place())
        .then_err(OrderError::NoLines);
}

#[test]
fn given_a_draft_whose_lines_were_removed_when_placing_then_it_needs_a_line() {
    given([
        created(),
        added(line(1, 1, 100)),
        OrderEvent::LineRemoved { line_id: LineId(1) },
    ])
    .when(place())
    .then_err(OrderError::NoLines);
}

#[test]
fn given_a_placed_order_when_placing_again_then_it_is_already_placed() {
    given(placed_order())
        .when(place())
        .then_err(OrderError::AlreadyPlaced);
}

#[test]
fn given_a_draft_when_paying_refunding_or_fulfilling_then_it_must_be_placed_first() {
    for command in [pay(100), refund(100), fulfil_all()] {
        given(draft()).when(command).then_err(OrderError::NotPlaced);
    }
}

// Payments.

#[test]
fn given_a_placed_order_when_paying_part_of_the_balance_then_the_payment_is_recorded() {
    given(placed_order()).when(pay(500)).then(vec![paid(500)]);
}

#[test]
fn given_a_part_paid_order_when_paying_exactly_the_balance_then_the_payment_is_recorded() {
    given(with(placed_order(), [paid(500)]))
        .when(pay(800))
        .then(vec![paid(800)]);
}

#[test]
fn given_a_placed_order_when_paying_above_the_balance_due_then_it_is_an_overpayment() {
    given(with(placed_order(), [paid(500)]))
        .when(pay(801))
        .then_err(OrderError::Overpayment {
            due: cents(800).of(usd()),
        });
}

#[test]
fn given_a_paid_order_when_paying_again_then_nothing_is_due() {
    given(with(placed_order(), [paid(1_300)]))
        .when(pay(1))
        .then_err(OrderError::Overpayment {
            due: Money::ZERO.of(usd()),
        });
}

#[test]
fn given_a_refund_when_paying_again_then_the_balance_was_not_reopened() {
    given(with(placed_order(), [paid(1_300), refunded(300)]))
        .when(pay(300))
        .then_err(OrderError::Overpayment {
            due: Money::ZERO.of(usd()),
        });
}

#[test]
fn given_an_order_in_dollars_when_paying_in_euros_then_the_currency_is_refused() {
    given(placed_order())
        .when(pay_in(500, eur()))
        .then_err(OrderError::CurrencyMismatch {
            order: usd(),
            given: eur(),
        });
}

#[test]
fn given_a_placed_order_when_paying_nothing_then_the_amount_is_refused() {
    given(placed_order())
        .when(pay(0))
        .then_err(OrderError::ZeroAmount);
}

#[test]
fn given_tax_and_shipping_when_paying_the_whole_total_then_the_payment_is_recorded() {
    given([
        created(),
        added(discounted(line(1, 2, 500), 200)),
        charges_set(64, 500),
        placed(),
    ])
    .when(pay(1_364))
    .then(vec![paid(1_364)]);
}

// Refunds.

#[test]
fn given_a_payment_when_refunding_part_of_it_then_the_refund_is_recorded() {
    given(with(placed_order(), [paid(1_000)]))
        .when(refund(400))
        .then(vec![refunded(400)]);
}

#[test]
fn given_earlier_refunds_when_refunding_more_than_what_is_left_then_it_is_refused() {
    given(with(placed_order(), [paid(1_000), refunded(400)]))
        .when(refund(601))
        .then_err(OrderError::RefundExceedsPaid {
            refundable: cents(600).of(usd()),
        });
}

#[test]
fn given_nothing_paid_when_refunding_then_there_is_nothing_to_refund() {
    given(placed_order())
        .when(refund(1))
        .then_err(OrderError::RefundExceedsPaid {
            refundable: Money::ZERO.of(usd()),
        });
}

#[test]
fn given_an_order_in_dollars_when_refunding_in_euros_then_the_currency_is_refused() {
    given(with(placed_order(), [paid(1_000)]))
        .when(refund_in(100, eur()))
        .then_err(OrderError::CurrencyMismatch {
            order: usd(),
            given: eur(),
        });
}

#[test]
fn given_a_payment_when_refunding_nothing_then_the_amount_is_refused() {
    given(with(placed_order(), [paid(1_000)]))
        .when(refund(0))
        .then_err(OrderError::ZeroAmount);
}

#[test]
fn given_a_cancelled_paid_order_when_refunding_what_is_owed_then_the_refund_is_recorded() {
    given(with(placed_order(), [paid(1_300), cancelled(1_300)]))
        .when(refund(1_300))
        .then(vec![refunded(1_300)]);
}

// Fulfilment.

#[test]
fn given_a_placed_order_when_fulfilling_all_then_every_remaining_unit_ships() {
    given(with(placed_order(), [fulfilled(&[(1, 1)])]))
        .when(fulfil_all())
        .then(vec![fulfilled(&[(1, 1), (2, 1)])]);
}

#[test]
fn given_a_placed_order_when_fulfilling_given_lines_then_those_units_ship() {
    given(placed_order())
        .when(fulfil(&[(2, 1), (1, 1)]))
        .then(vec![fulfilled(&[(2, 1), (1, 1)])]);
}

#[test]
fn given_a_placed_order_when_fulfilling_more_than_remains_then_it_is_refused() {
    given(with(placed_order(), [fulfilled(&[(1, 1)])]))
        .when(fulfil(&[(1, 2)]))
        .then_err(OrderError::OverFulfilment {
            line_id: LineId(1),
            remaining: 1,
        });
}

#[test]
fn given_a_placed_order_when_fulfilling_an_unknown_line_then_it_is_refused() {
    given(placed_order())
        .when(fulfil(&[(9, 1)]))
        .then_err(OrderError::UnknownLine(LineId(9)));
}

#[test]
fn given_a_placed_order_when_fulfilling_a_line_listed_twice_then_it_is_refused() {
    given(placed_order())
        .when(fulfil(&[(1, 1), (1, 1)]))
        .then_err(OrderError::LineListedTwice(LineId(1)));
}

#[test]
fn given_a_fulfilled_order_when_fulfilling_all_then_nothing_is_left() {
    given(with(placed_order(), [fulfilled(&[(1, 2), (2, 1)])]))
        .when(fulfil_all())
        .then_err(OrderError::NothingToFulfil);
}

#[test]
fn given_a_placed_order_when_fulfilling_no_lines_then_nothing_is_fulfilled() {
    given(placed_order())
        .when(fulfil(&[]))
        .then_err(OrderError::NothingToFulfil);
}

// Cancelling.

#[test]
fn given_a_draft_when_cancelling_then_it_is_cancelled_with_no_refund_owed() {
    given(draft()).when(cancel()).then(vec![cancelled(0)]);
}

#[test]
fn given_payments_and_refunds_when_cancelling_then_what_was_kept_is_owed_back() {
    given(with(placed_order(), [paid(1_000), refunded(250)]))
        .when(cancel())
        .then(vec![cancelled(750)]);
}

#[test]
fn given_a_partly_fulfilled_order_when_cancelling_then_it_is_cancelled() {
    given(with(placed_order(), [fulfilled(&[(1, 2)])]))
        .when(cancel())
        .then(vec![cancelled(0)]);
}

#[test]
fn given_a_fully_fulfilled_order_when_cancelling_then_it_is_refused() {
    given(with(placed_order(), [fulfilled(&[(1, 2), (2, 1)])]))
        .when(cancel())
        .then_err(OrderError::AlreadyFulfilled);
}

#[test]
fn given_a_cancelled_order_when_anything_but_a_refund_or_a_note_then_it_is_cancelled() {
    for command in [
        pay(100),
        fulfil_all(),
        fulfil(&[(1, 1)]),
        cancel(),
        place(),
        OrderCommand::AddLine(line(3, 1, 100)),
        change_quantity(1, 1),
        remove(1),
        set_charges(1, 1),
    ] {
        given(with(placed_order(), [cancelled(0)]))
            .when(command)
            .then_err(OrderError::Cancelled);
    }
}

// Notes.

#[test]
fn given_an_order_at_any_stage_when_adding_a_note_then_it_is_recorded() {
    for history in [
        draft(),
        placed_order(),
        with(placed_order(), [cancelled(0)]),
    ] {
        given(history)
            .when(add_note("leave it with the neighbour"))
            .then(vec![OrderEvent::NoteAdded {
                text: remark("leave it with the neighbour"),
                at: LATER,
            }]);
    }
}

// Figures and statuses derived from the state.

#[test]
fn the_subtotal_is_quantity_times_unit_price_less_discounts() {
    let order = order_after([
        created(),
        added(discounted(line(1, 3, 199), 97)),
        added(line(2, 1, 1)),
    ]);
    assert_eq!(order.subtotal(), Some(cents(3 * 199 - 97 + 1)));
}

#[test]
fn the_total_adds_tax_and_shipping_to_the_subtotal() {
    let order = order_after(with(draft(), [charges_set(104, 495)]));
    assert_eq!(
        (order.subtotal(), order.total()),
        (Some(cents(1_300)), Some(cents(1_300 + 104 + 495)))
    );
}

#[test]
fn the_balance_due_is_the_total_less_payments_and_a_refund_does_not_reopen_it() {
    let order = order_after(with(placed_order(), [paid(500), paid(300), refunded(200)]));
    assert_eq!(order.balance_due(), Some(cents(500)));
}

#[test]
fn what_is_refundable_is_payments_less_refunds() {
    let order = order_after(with(
        placed_order(),
        [paid(1_000), refunded(300), refunded(100)],
    ));
    assert_eq!(order.refundable(), Some(cents(600)));
}

#[test]
fn a_cancelled_order_owes_back_what_was_paid_and_not_yet_refunded() {
    let owed = |events: Vec<OrderEvent>| order_after(events).refund_owed();
    assert_eq!(owed(with(placed_order(), [paid(1_000)])), Money::ZERO);
    assert_eq!(
        owed(with(placed_order(), [paid(1_000), cancelled(1_000)])),
        cents(1_000)
    );
    assert_eq!(
        owed(with(
            placed_order(),
            [paid(1_000), cancelled(1_000), refunded(400)]
        )),
        cents(600)
    );
}

#[test]
fn the_financial_status_follows_payments_refunds_and_cancellation() {
    for (history, status) in [
        (draft(), FinancialStatus::Pending),
        (placed_order(), FinancialStatus::Pending),
        (
            with(placed_order(), [paid(1)]),
            FinancialStatus::PartiallyPaid,
        ),
        (with(placed_order(), [paid(1_300)]), FinancialStatus::Paid),
        (
            with(placed_order(), [paid(1_300), refunded(1)]),
            FinancialStatus::PartiallyRefunded,
        ),
        (
            with(placed_order(), [paid(500), refunded(500)]),
            FinancialStatus::Refunded,
        ),
        (
            with(placed_order(), [cancelled(0)]),
            FinancialStatus::Voided,
        ),
        (with(draft(), [cancelled(0)]), FinancialStatus::Voided),
        (
            with(placed_order(), [paid(1_300), cancelled(1_300)]),
            FinancialStatus::Paid,
        ),
        (
            with(
                placed_order(),
                [paid(1_300), cancelled(1_300), refunded(1_300)],
            ),
            FinancialStatus::Refunded,
        ),
        (
            vec![created(), added(discounted(line(1, 1, 500), 500)), placed()],
            FinancialStatus::Paid,
        ),
    ] {
        let order = order_after(history.clone());
        assert_eq!(order.financial_status(), status, "after {history:?}");
    }
}

#[test]
fn the_fulfilment_status_follows_the_units_shipped() {
    for (history, status) in [
        (placed_order(), FulfilmentStatus::Unfulfilled),
        (
            with(placed_order(), [fulfilled(&[(1, 1)])]),
            FulfilmentStatus::Partial,
        ),
        (
            with(placed_order(), [fulfilled(&[(1, 2)]), fulfilled(&[(2, 1)])]),
            FulfilmentStatus::Fulfilled,
        ),
        (vec![created()], FulfilmentStatus::Unfulfilled),
    ] {
        let order = order_after(history.clone());
        assert_eq!(order.fulfilment_status(), status, "after {history:?}");
    }
}

#[test]
fn every_refusal_reads_as_a_shop_owner_would_say_it() {
    for (error, message) in [
        (OrderError::NotCreated, "this order does not exist"),
        (OrderError::AlreadyCreated, "this order already exists"),
        (OrderError::Cancelled, "this order is cancelled"),
        (OrderError::AlreadyPlaced, "this order is already placed"),
        (
            OrderError::LockedAfterPlacing,
            "lines and charges cannot change once the order is placed",
        ),
        (
            OrderError::NotPlaced,
            "place the order before recording payments, refunds or fulfilment",
        ),
        (OrderError::NoLines, "an order needs at least one line"),
        (
            OrderError::DuplicateLine(LineId(2)),
            "this order already has a line 2",
        ),
        (
            OrderError::UnknownLine(LineId(9)),
            "this order has no line 9",
        ),
        (
            OrderError::DiscountExceedsLine {
                line_id: LineId(1),
                line_total: cents(1_000).of(usd()),
            },
            "the discount on line 1 exceeds its total of 10.00",
        ),
        (
            OrderError::TotalTooLarge,
            "the order total is too large to record",
        ),
        (
            OrderError::CurrencyMismatch {
                order: usd(),
                given: eur(),
            },
            "this order is in USD, not EUR",
        ),
        (OrderError::ZeroAmount, "the amount must be more than zero"),
        (
            OrderError::Overpayment {
                due: cents(1_200).of(usd()),
            },
            "payment exceeds the balance due of 12.00",
        ),
        (
            OrderError::RefundExceedsPaid {
                refundable: cents(600).of(usd()),
            },
            "refund exceeds the 6.00 paid and not yet refunded",
        ),
        (
            OrderError::LineListedTwice(LineId(1)),
            "line 1 is listed twice",
        ),
        (
            OrderError::OverFulfilment {
                line_id: LineId(1),
                remaining: 1,
            },
            "line 1 has only 1 units left to fulfil",
        ),
        (OrderError::NothingToFulfil, "nothing is left to fulfil"),
        (
            OrderError::AlreadyFulfilled,
            "a fulfilled order cannot be cancelled",
        ),
    ] {
        assert_eq!(error.to_string(), message);
    }
}

// The stored shape.

#[test]
fn order_created_is_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&created()).unwrap();
    assert_eq!(stored.event_type, "OrderCreated");
    assert_eq!(
        stored.payload,
        r##"{"created_at":1767225600000,"currency":"USD","customer":"Ada Lovelace","email":"ada@example.com","name":"#A-17"}"##
    );
}

#[test]
fn line_added_is_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&added(discounted(line(1, 2, 450), 100))).unwrap();
    assert_eq!(stored.event_type, "LineAdded");
    assert_eq!(
        stored.payload,
        r#"{"discount":100,"line_id":1,"product_name":"Tea no. 1","quantity":2,"sku":"TEA-1","unit_price":450}"#
    );
}

#[test]
fn payment_recorded_is_stored_in_a_fixed_json_shape() {
    let stored = codec::encode(&OrderEvent::PaymentRecorded {
        amount: cents(1_350),
        currency: usd(),
        method: PaymentMethod::BankTransfer,
        at: LATER,
    })
    .unwrap();
    assert_eq!(stored.event_type, "PaymentRecorded");
    assert_eq!(
        stored.payload,
        r#"{"amount":1350,"at":1767229200000,"currency":"USD","method":"bank_transfer"}"#
    );
}

#[test]
fn every_order_event_reads_back_as_it_was_stored() {
    let events = with(
        placed_order(),
        [
            OrderEvent::LineQuantityChanged {
                line_id: LineId(1),
                quantity: units(3),
            },
            OrderEvent::LineRemoved { line_id: LineId(2) },
            charges_set(1, 2),
            paid(100),
            fulfilled(&[(1, 1)]),
            cancelled(100),
            refunded(100),
            OrderEvent::NoteAdded {
                text: remark("called"),
                at: LATER,
            },
        ],
    );
    for event in events {
        let stored = codec::encode(&event).unwrap();
        let read: OrderEvent =
            codec::decode(&stored.event_type, stored.schema_version, &stored.payload).unwrap();
        assert_eq!(read, event);
    }
}

#[test]
fn an_order_state_survives_a_json_snapshot() {
    let order = order_after(with(
        placed_order(),
        [paid(100), fulfilled(&[(1, 1)]), cancelled(100)],
    ));
    let snapshot = serde_json::to_string(&order).unwrap();
    assert_eq!(serde_json::from_str::<Order>(&snapshot).unwrap(), order);
}

#[test]
fn an_order_is_filed_under_a_tag_once_at_any_stage_and_a_tag_it_lacks_is_not_removed() {
    let tag = |text: &str| orderlog::domain::Tag::parse(text).unwrap();
    let cancelled = OrderEvent::OrderCancelled {
        reason: remark("changed their mind"),
        refund_owed: Money::ZERO,
        at: LATER,
    };
    given([created(), cancelled.clone()])
        .when(OrderCommand::AddTag { tag: tag("Gift") })
        .then(vec![OrderEvent::TagAdded { tag: tag("Gift") }]);
    let tagged = [created(), OrderEvent::TagAdded { tag: tag("Gift") }];
    given(tagged.clone())
        .when(OrderCommand::AddTag { tag: tag("gift") })
        .then(vec![]);
    given(tagged.clone())
        .when(OrderCommand::RemoveTag { tag: tag("GIFT") })
        .then(vec![OrderEvent::TagRemoved { tag: tag("Gift") }]);
    given(tagged)
        .when(OrderCommand::RemoveTag {
            tag: tag("wholesale"),
        })
        .then_err(OrderError::NoSuchTag("wholesale".into()));
}
