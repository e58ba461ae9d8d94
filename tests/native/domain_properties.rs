//! Properties of the deciders over random command sequences: whatever a seller sends, the
//! accepted events keep the books straight (nothing paid beyond the total, refunded beyond
//! what was paid, shipped beyond what was ordered, no stock below zero), statuses agree with
//! the amounts, folds are deterministic, the stock policy never asks a product for
//! something the product refuses, and stock is conserved across sales, returns and restocks.

use std::collections::BTreeMap;

use orderlog::domain::stock_policy::react;
use orderlog::domain::{
    CreateOrder, Currency, CustomerName, Discount, FinancialStatus, FulfilLines, LineId,
    LineQuantity, Money, Order, OrderCommand, OrderEvent, OrderLine, PaymentMethod, Product,
    ProductCommand, ProductEvent, ProductName, Quantity, Rate, RateName, RefundGiven, Remark,
    ReservationId, ReturnedLine, Sku, TaxRate, Timestamp,
};
use orderlog::es::{codec, Aggregate};
use proptest::prelude::*;

const AT: Timestamp = Timestamp(1_767_225_600_000);

fn usd() -> Currency {
    Currency::new(*b"USD")
}

fn units() -> impl Strategy<Value = Quantity> {
    (1u32..6).prop_map(|q| Quantity::new(q).unwrap())
}

fn line_id() -> impl Strategy<Value = LineId> {
    (1u32..5).prop_map(LineId)
}

/// Mostly everyday amounts, now and then one large enough to overflow a total.
fn money() -> impl Strategy<Value = Money> {
    prop_oneof![
        30 => (0u64..2_500).prop_map(Money::from_cents),
        1 => Just(Money::from_cents(u64::MAX / 3)),
        1 => Just(Money::from_cents(u64::MAX)),
    ]
}

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![9 => Just(usd()), 1 => Just(Currency::new(*b"EUR"))]
}

/// A percentage from 0% to 100%, to the thousandth.
fn rate() -> impl Strategy<Value = Rate> {
    prop_oneof![
        3 => (0u32..=30_000).prop_map(|t| Rate::from_thousandths(t).unwrap()),
        1 => (0u32..=Rate::WHOLE).prop_map(|t| Rate::from_thousandths(t).unwrap()),
    ]
}

/// No rate, or one of two names at any rate.
fn tax() -> impl Strategy<Value = Option<TaxRate>> {
    proptest::option::of(
        (prop::sample::select(vec!["VAT", "Reduced"]), rate()).prop_map(|(name, rate)| TaxRate {
            name: RateName::parse(name).unwrap(),
            rate,
        }),
    )
}

fn line() -> impl Strategy<Value = OrderLine> {
    (
        (line_id(), 1u32..4, units(), money(), money()),
        proptest::option::of(rate()),
        tax(),
    )
        .prop_map(
            |((line_id, sku, quantity, unit_price, discount), discount_percent, tax)| OrderLine {
                line_id,
                sku: Sku::parse(&format!("SKU-{sku}")).unwrap(),
                product_name: ProductName::parse("Thing").unwrap(),
                quantity,
                unit_price,
                // Under 10.00: some fit their line, some exceed it.
                discount: Money::from_cents(discount.cents() % 1_000),
                discount_percent,
                tax,
            },
        )
}

fn create() -> impl Strategy<Value = OrderCommand> {
    (proptest::collection::vec(line(), 0..3), any::<bool>()).prop_map(|(lines, inclusive)| {
        OrderCommand::Create(CreateOrder {
            name: None,
            customer: CustomerName::parse("Ada").unwrap(),
            email: None,
            customer_id: None,
            exchange_for: None,
            currency: usd(),
            prices_include_tax: inclusive,
            lines,
            created_at: AT,
        })
    })
}

fn order_command() -> impl Strategy<Value = OrderCommand> {
    let fulfil_lines = prop_oneof![
        Just(FulfilLines::AllRemaining),
        proptest::collection::vec(
            (line_id(), units()).prop_map(|(line_id, quantity)| LineQuantity { line_id, quantity }),
            0..3
        )
        .prop_map(FulfilLines::Only),
    ];
    prop_oneof![
        1 => create(),
        4 => line().prop_map(OrderCommand::AddLine),
        2 => (line_id(), units())
            .prop_map(|(line_id, quantity)| OrderCommand::ChangeLineQuantity { line_id, quantity }),
        1 => line_id().prop_map(|line_id| OrderCommand::RemoveLine { line_id }),
        1 => (money(), money()).prop_map(|(tax, shipping)| OrderCommand::SetCharges { tax, shipping }),
        1 => proptest::option::of(prop_oneof![
            rate().prop_map(Discount::Percent),
            money().prop_map(Discount::Amount),
        ])
        .prop_map(|discount| OrderCommand::SetDiscount { discount }),
        3 => Just(OrderCommand::Place { at: AT }),
        6 => (money(), currency()).prop_map(|(amount, currency)| OrderCommand::RecordPayment {
            amount,
            currency,
            method: PaymentMethod::Cash,
            at: AT,
        }),
        4 => fulfil_lines.prop_map(|lines| OrderCommand::Fulfil { lines, at: AT }),
        1 => Just(OrderCommand::Cancel {
            reason: Remark::parse("changed their mind").unwrap(),
            at: AT,
        }),
        3 => (money(), currency()).prop_map(|(amount, currency)| OrderCommand::RecordRefund {
            amount,
            currency,
            method: Some(PaymentMethod::Cash),
            at: AT,
        }),
        2 => (1u32..5).prop_map(|payment| OrderCommand::VoidPayment {
            payment,
            reason: Remark::parse("entered twice").unwrap(),
            at: AT,
        }),
        1 => Just(OrderCommand::Reopen { at: AT }),
        2 => (
            proptest::collection::vec(
                (line_id(), units(), any::<bool>()).prop_map(|(line_id, quantity, restock)| {
                    ReturnedLine { line_id, quantity, restock }
                }),
                0..3,
            ),
            proptest::option::of(money()),
        )
            .prop_map(|(lines, refund)| OrderCommand::Return {
                lines,
                refund: refund.map(|amount| RefundGiven {
                    amount,
                    currency: usd(),
                    method: PaymentMethod::Card,
                }),
                at: AT,
            }),
        1 => Just(OrderCommand::AddNote {
            text: Remark::parse("called").unwrap(),
            at: AT,
        }),
    ]
}

/// What a seller does next: a command as generated, or one that reads the order first, as
/// a seller looking at the screen would (random amounts seldom hit the balance exactly).
#[derive(Clone, Debug)]
enum Step {
    Send(OrderCommand),
    PayTheBalance,
    RefundEverything,
    /// A unit of every line that can come back, restocked, with the refund the return
    /// proposes, held to what is refundable (as the return form does).
    ReturnOneOfEach,
}

impl Step {
    fn command(&self, order: &Order) -> OrderCommand {
        match self {
            Step::Send(command) => command.clone(),
            Step::PayTheBalance => OrderCommand::RecordPayment {
                amount: order.balance_due().unwrap_or_default(),
                currency: usd(),
                method: PaymentMethod::Card,
                at: AT,
            },
            Step::RefundEverything => OrderCommand::RecordRefund {
                amount: order.refundable().unwrap_or_default(),
                currency: usd(),
                method: None,
                at: AT,
            },
            Step::ReturnOneOfEach => {
                let lines: Vec<ReturnedLine> = order
                    .lines()
                    .iter()
                    .filter(|state| state.returnable() > 0)
                    .map(|state| ReturnedLine {
                        line_id: state.line.line_id,
                        quantity: Quantity::new(1).unwrap(),
                        restock: true,
                    })
                    .collect();
                let proposed = order
                    .value_of_return(&lines)
                    .unwrap_or_default()
                    .min(order.refundable().unwrap_or_default());
                OrderCommand::Return {
                    lines,
                    refund: (proposed > Money::ZERO).then_some(RefundGiven {
                        amount: proposed,
                        currency: usd(),
                        method: PaymentMethod::Cash,
                    }),
                    at: AT,
                }
            }
        }
    }
}

/// A create followed by anything: the sequences a seller could send one order.
fn order_commands() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        12 => order_command().prop_map(Step::Send),
        1 => Just(Step::PayTheBalance),
        1 => Just(Step::RefundEverything),
        1 => Just(Step::ReturnOneOfEach),
    ];
    (create(), proptest::collection::vec(step, 0..40)).prop_map(|(first, rest)| {
        let mut steps = vec![Step::Send(first)];
        steps.extend(rest);
        steps
    })
}

/// Each accepted command's events with the order as it was before each event.
fn run_order(steps: &[Step]) -> (Order, Vec<(Order, OrderEvent)>) {
    let mut order = Order::default();
    let mut history = Vec::new();
    for step in steps {
        if let Ok(events) = order.decide(&step.command(&order)) {
            for event in events {
                let next = order.clone().evolve(&event);
                history.push((order, event));
                order = next;
            }
        }
    }
    (order, history)
}

/// The total is the sum of the rounded lines plus charges minus discounts, whichever way it
/// is counted; every discount stays within what it is taken off, and no tax is negative or
/// more than what it is on.
fn check_pricing(order: &Order, total: Money) -> Result<(), TestCaseError> {
    let lines = order.line_figures().unwrap_or_default();
    let cents = |m: Money| i128::from(m.cents());
    let sum = |f: &dyn Fn(&orderlog::domain::LineFigures) -> Money| -> i128 {
        lines.iter().map(|l| cents(f(l))).sum()
    };
    let line_tax = sum(&|l| l.tax);
    let added_tax = if order.prices_include_tax() {
        0
    } else {
        line_tax
    };
    let charges = cents(order.tax()) + cents(order.shipping());
    prop_assert_eq!(
        cents(total),
        sum(&|l| l.net) + added_tax + charges,
        "the total is the rounded lines plus charges: {:?}",
        order
    );
    prop_assert_eq!(
        cents(total),
        sum(&|l| l.gross) - cents(order.discounts().unwrap_or_default()) + added_tax + charges,
        "the total is the gross less discounts plus tax and charges: {:?}",
        order
    );
    prop_assert_eq!(
        sum(&|l| l.order_discount),
        cents(order.order_discount().unwrap_or_default()),
        "the order's discount is shared whole: {:?}",
        order
    );
    prop_assert_eq!(
        cents(order.total_tax().unwrap_or_default()),
        line_tax + cents(order.tax()),
        "the tax by rate sums to the order's tax: {:?}",
        order
    );
    for line in &lines {
        prop_assert!(line.line_discount.checked_add(line.order_discount) <= Some(line.gross));
        prop_assert!(line.tax <= line.net || !order.prices_include_tax());
        let untaxed = line.rate.is_none() && line.tax == Money::ZERO;
        prop_assert!(
            line.rate.is_some() || untaxed,
            "tax without a rate: {:?}",
            order
        );
    }
    Ok(())
}

fn check_order_books(order: &Order) -> Result<(), TestCaseError> {
    let total = order.total();
    prop_assert!(total.is_some(), "the total fits: {order:?}");
    let total = total.unwrap_or_default();
    check_pricing(order, total)?;
    prop_assert!(order.paid() <= total, "paid above the total: {order:?}");
    prop_assert!(
        order.balance_due().is_some(),
        "balance due below zero: {order:?}"
    );
    prop_assert!(
        order.refunded() <= order.paid(),
        "refunded above paid: {order:?}"
    );
    let counted = |refunds: bool| {
        order
            .payments()
            .iter()
            .filter(|p| !p.is_void() && p.refund == refunds)
            .fold(Money::ZERO, |sum, p| sum.saturating_add(p.amount))
    };
    prop_assert_eq!(
        counted(false),
        order.paid(),
        "paid is the payments not voided"
    );
    prop_assert_eq!(counted(true), order.refunded(), "refunded is the refunds");
    for state in order.lines() {
        prop_assert!(
            state.fulfilled <= state.line.quantity.get(),
            "fulfilled beyond ordered: {order:?}"
        );
        prop_assert!(
            state.restocked <= state.returned && state.returned <= state.fulfilled,
            "returned beyond fulfilled, or restocked beyond returned: {order:?}"
        );
        prop_assert!(
            state.line.discount_amount().unwrap_or_default()
                <= state.line.gross().unwrap_or_default()
        );
    }
    let paid = order.paid();
    let refunded = order.refunded();
    let consistent = match order.financial_status() {
        FinancialStatus::Voided => order.is_cancelled() && paid == Money::ZERO,
        FinancialStatus::Refunded => refunded > Money::ZERO && refunded == paid,
        FinancialStatus::PartiallyRefunded => refunded > Money::ZERO && refunded < paid,
        FinancialStatus::Paid => refunded == Money::ZERO && paid == total,
        FinancialStatus::PartiallyPaid => {
            refunded == Money::ZERO && paid > Money::ZERO && paid < total
        }
        FinancialStatus::Pending => !order.is_cancelled() && paid == Money::ZERO,
    };
    prop_assert!(
        consistent,
        "{:?} with paid {paid}, refunded {refunded}, total {total}",
        order.financial_status()
    );
    Ok(())
}

fn product_command() -> impl Strategy<Value = ProductCommand> {
    let reservation = (0u32..3, 1u32..3).prop_map(|(order, line)| ReservationId {
        order_id: format!("order-{order}"),
        line_id: LineId(line),
    });
    let quantity = (1u32..12).prop_map(|q| Quantity::new(q).unwrap());
    prop_oneof![
        1 => Just(ProductCommand::Register {
            sku: Sku::parse("SKU-1").unwrap(),
            name: ProductName::parse("Thing").unwrap(),
            price: Money::from_cents(100),
        }),
        3 => quantity.clone().prop_map(|quantity| ProductCommand::ReceiveStock { quantity }),
        2 => (-15i64..15).prop_map(|by| ProductCommand::AdjustStock {
            by,
            reason: Remark::parse("counted").unwrap(),
        }),
        1 => (0u64..10).prop_map(|level| ProductCommand::SetReorderLevel { level }),
        1 => proptest::option::of(prop::sample::select(vec!["VAT", "Reduced"]))
            .prop_map(|rate| ProductCommand::SetTaxRate { rate: rate.map(|name| RateName::parse(name).unwrap()) }),
        4 => (reservation.clone(), quantity.clone())
            .prop_map(|(reservation, quantity)| ProductCommand::Reserve { reservation, quantity }),
        1 => reservation.clone().prop_map(|reservation| ProductCommand::Release { reservation }),
        3 => (reservation.clone(), quantity.clone())
            .prop_map(|(reservation, quantity)| ProductCommand::Consume { reservation, quantity }),
        1 => (reservation, quantity)
            .prop_map(|(reservation, quantity)| ProductCommand::Restock { reservation, quantity }),
    ]
}

/// Units the events put on hand, counted without saturation.
fn on_hand_by_the_book(events: &[ProductEvent]) -> i128 {
    events
        .iter()
        .map(|event| match event {
            ProductEvent::StockReceived { quantity }
            | ProductEvent::StockRestocked { quantity, .. } => i128::from(quantity.get()),
            ProductEvent::StockAdjusted { by, .. } => i128::from(*by),
            ProductEvent::StockConsumed {
                from_reserved,
                from_available,
                ..
            } => -i128::from(*from_reserved) - i128::from(*from_available),
            _ => 0,
        })
        .sum()
}

/// Three products with `stock` units each (none registered when 0), and the order's steps
/// with every product command the stock policy asks, each one accepted, as the shell runs
/// them. The products with the events each took.
#[allow(clippy::type_complexity)]
fn run_with_stock(
    steps: &[Step],
    stock: &[u32],
) -> Result<(Order, BTreeMap<Sku, (Product, Vec<ProductEvent>)>), TestCaseError> {
    let mut products = BTreeMap::new();
    for (n, units) in stock.iter().enumerate() {
        let sku = Sku::parse(&format!("SKU-{}", n + 1)).unwrap();
        let mut events = Vec::new();
        if let Ok(quantity) = Quantity::new(*units) {
            events.push(ProductEvent::ProductRegistered {
                sku: sku.clone(),
                name: ProductName::parse("Thing").unwrap(),
                price: Money::from_cents(100),
            });
            events.push(ProductEvent::StockReceived { quantity });
        }
        let product = events.iter().fold(Product::default(), Product::evolve);
        products.insert(sku, (product, events));
    }
    let (order, history) = run_order(steps);
    for (before, event) in &history {
        for (sku, command) in react("order-1", before, event) {
            let (product, mut events) = products.remove(&sku).unwrap_or_default();
            let decided = product.decide(&command);
            prop_assert!(
                decided.is_ok(),
                "{:?} refused {:?}: {:?}",
                sku,
                command,
                decided
            );
            let decided = decided.unwrap_or_default();
            let product = decided.iter().fold(product, Product::evolve);
            events.extend(decided);
            products.insert(sku, (product, events));
        }
    }
    Ok((order, products))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_price_with_tax_added_holds_the_same_tax_within_a_minor_unit(
        net in 0u64..=Money::MAX_INPUT.cents(),
        rate in rate(),
    ) {
        let net = Money::from_cents(net);
        let added = rate.of(net);
        let gross = net.checked_add(added).unwrap();
        let held = rate.included_in(gross);
        prop_assert!(held.cents().abs_diff(added.cents()) <= 1, "{net:?} at {rate}: {added:?} added, {held:?} held");
        prop_assert!(held <= gross);
    }

    #[test]
    fn a_shared_discount_always_sums_to_the_discount(
        weights in proptest::collection::vec(0u64..100_000, 1..6),
        percent in rate(),
    ) {
        let weights: Vec<Money> = weights.into_iter().map(Money::from_cents).collect();
        let whole = weights.iter().fold(Money::ZERO, |s, w| s.checked_add(*w).unwrap());
        let discount = percent.of(whole);
        let shares = orderlog::domain::tax::share(discount, &weights);
        let shared = shares.iter().fold(Money::ZERO, |s, w| s.checked_add(*w).unwrap());
        prop_assert_eq!(shared, discount);
        for (share, weight) in shares.iter().zip(&weights) {
            prop_assert!(share <= weight);
        }
    }

    #[test]
    fn accepted_order_commands_keep_the_books_straight(steps in order_commands()) {
        let mut order = Order::default();
        for step in &steps {
            if let Ok(events) = order.decide(&step.command(&order)) {
                for event in &events {
                    if let OrderEvent::RefundRecorded { amount, .. } = event {
                        prop_assert!(
                            Some(*amount) <= order.refundable(),
                            "a refund of {amount} above what is refundable: {order:?}"
                        );
                    }
                }
                order = events.iter().fold(order, Order::evolve);
                check_order_books(&order)?;
            }
        }
    }

    #[test]
    fn folding_the_same_events_twice_gives_the_same_order(steps in order_commands()) {
        let (order, history) = run_order(&steps);
        let events: Vec<OrderEvent> = history.into_iter().map(|(_, event)| event).collect();
        let refolded = events.iter().fold(Order::default(), Order::evolve);
        prop_assert_eq!(&refolded, &order);
        let stored: Vec<OrderEvent> = events
            .iter()
            .map(|event| {
                let stored = codec::encode(event).unwrap();
                codec::decode(&stored.event_type, stored.schema_version, &stored.payload).unwrap()
            })
            .collect();
        prop_assert_eq!(stored.iter().fold(Order::default(), Order::evolve), order.clone());
        for step in &steps {
            let command = step.command(&order);
            prop_assert_eq!(order.decide(&command), refolded.decide(&command));
        }
    }

    #[test]
    fn accepted_product_commands_never_take_stock_below_zero_or_below_reserved(
        commands in proptest::collection::vec(product_command(), 0..60)
    ) {
        let mut product = Product::default();
        let mut events = Vec::new();
        for command in &commands {
            if let Ok(decided) = product.decide(command) {
                for event in decided {
                    product = product.evolve(&event);
                    events.push(event);
                }
                prop_assert_eq!(i128::from(product.on_hand()), on_hand_by_the_book(&events));
                prop_assert!(product.reserved() <= product.on_hand(), "{:?}", product);
                prop_assert_eq!(product.available() + product.reserved(), product.on_hand());
                prop_assert!(product
                    .reservations()
                    .all(|r| r.reserved + r.back_ordered > 0));
            }
        }
        prop_assert_eq!(events.iter().fold(Product::default(), Product::evolve), product);
    }

    #[test]
    fn the_stock_policy_only_asks_what_products_accept(
        steps in order_commands(),
        stock in proptest::collection::vec(0u32..8, 3),
    ) {
        let (order, products) = run_with_stock(&steps, &stock)?;
        let shipped_all = !order.lines().is_empty()
            && order.lines().iter().all(|state| state.remaining() == 0);
        let settled = order.is_cancelled() || shipped_all;
        if settled {
            for (product, _) in products.values() {
                prop_assert!(
                    product.reservations().all(|r| r.id.order_id != "order-1"),
                    "{:?} still holds stock for a settled order", product
                );
            }
        }
    }

    #[test]
    fn stock_is_conserved_across_sales_returns_and_restocks(
        steps in order_commands(),
        stock in proptest::collection::vec(0u32..8, 3),
    ) {
        let (order, products) = run_with_stock(&steps, &stock)?;
        for (sku, (product, events)) in &products {
            let lines = || order.lines().iter().filter(|state| &state.line.sku == sku);
            let received: u64 = events.iter().map(|event| match event {
                ProductEvent::StockReceived { quantity } => u64::from(quantity.get()),
                _ => 0,
            }).sum();
            let (mut sold, mut not_on_hand, mut restocked) = (0u64, 0u64, 0u64);
            for event in events {
                match event {
                    ProductEvent::StockConsumed { from_reserved, from_available, not_on_hand: short, .. } => {
                        sold += from_reserved + from_available + short;
                        not_on_hand += short;
                    }
                    ProductEvent::StockRestocked { quantity, .. } => restocked += u64::from(quantity.get()),
                    _ => {}
                }
            }
            // What is on hand is what was received, less what was sold out of it, plus what came back to the shelf.
            // (Added up on both sides: a unit restocked can be sold again, so more can leave
            // from stock than was received.)
            prop_assert_eq!(product.on_hand() + (sold - not_on_hand), received + restocked, "{:?}: {:?}", sku, events);
            // Each unit shipped is sold once, and each unit the order restocked is back once.
            prop_assert_eq!(sold, lines().map(|state| u64::from(state.fulfilled)).sum::<u64>());
            prop_assert_eq!(restocked, lines().map(|state| u64::from(state.restocked)).sum::<u64>());
        }
    }
}
