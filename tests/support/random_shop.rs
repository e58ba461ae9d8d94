//! Random shops for property tests: a few orders over four SKUs, and the steps a seller
//! might take with them, run through [`Shop`]. Many steps are refused, as a seller's might be;
//! refused steps change nothing.

use orderlog::domain::{
    FulfilLines, LineId, LineQuantity, OrderCommand, ProductCommand, ProductName, Timestamp,
};
use proptest::prelude::*;

use super::shop::{
    cancel, cents, create, fulfil_all, line, pay, place, refund, sku, units, Shop, DAY, JAN_2026,
};

/// Up to 40 steps of a random shop.
pub fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(step(), 0..40)
}

/// What a seller may do in a random shop; many steps are refused, as a seller's might be.
#[derive(Clone, Debug)]
pub enum Step {
    /// Lines of (SKU 0..4, quantity, unit price, discount in percent of the line).
    Create {
        order: u8,
        month: u8,
        lines: Vec<(u8, u32, u64, u64)>,
    },
    Charges {
        order: u8,
        tax: u64,
        shipping: u64,
    },
    Place(u8),
    Pay(u8, u64),
    PayTheBalance(u8),
    Refund(u8, u64),
    FulfilAll(u8),
    FulfilOne(u8, u32),
    Cancel(u8),
    /// Register SKU n if need be and receive so many units.
    Stock(u8, u32),
    ReorderLevel(u8, u64),
}

fn step() -> impl Strategy<Value = Step> {
    let order = 0u8..4;
    let new_line = (0u8..4, 1u32..5, 0u64..3_000, 0u64..=100);
    prop_oneof![
        3 => (order.clone(), 0u8..4, proptest::collection::vec(new_line, 0..4))
            .prop_map(|(order, month, lines)| Step::Create { order, month, lines }),
        1 => (order.clone(), 0u64..500, 0u64..1_000)
            .prop_map(|(order, tax, shipping)| Step::Charges { order, tax, shipping }),
        3 => order.clone().prop_map(Step::Place),
        2 => (order.clone(), 1u64..3_000).prop_map(|(order, amount)| Step::Pay(order, amount)),
        2 => order.clone().prop_map(Step::PayTheBalance),
        2 => (order.clone(), 1u64..2_000).prop_map(|(order, amount)| Step::Refund(order, amount)),
        1 => order.clone().prop_map(Step::FulfilAll),
        1 => (order.clone(), 1u32..4).prop_map(|(order, line)| Step::FulfilOne(order, line)),
        1 => order.prop_map(Step::Cancel),
        1 => (0u8..4, 1u32..6).prop_map(|(sku, units)| Step::Stock(sku, units)),
        1 => (0u8..4, 0u64..6).prop_map(|(sku, level)| Step::ReorderLevel(sku, level)),
    ]
}

fn sku_text(n: u8) -> String {
    format!("SKU-{n}")
}

/// Runs the steps; refused ones change nothing.
pub fn run(steps: &[Step]) -> Shop {
    let mut shop = Shop::default();
    for step in steps {
        let (order, command) = match step {
            Step::Create {
                order,
                month,
                lines,
            } => {
                let lines = lines
                    .iter()
                    .enumerate()
                    .map(|(n, &(sku, quantity, price, percent))| {
                        let discount = price * u64::from(quantity) * percent / 100;
                        let id = u32::try_from(n).unwrap() + 1;
                        line(id, &sku_text(sku), quantity, price, discount)
                    })
                    .collect();
                let created_at = Timestamp(JAN_2026.0 + i64::from(*month) * 31 * DAY);
                (order, create(created_at, lines))
            }
            Step::Charges {
                order,
                tax,
                shipping,
            } => (
                order,
                OrderCommand::SetCharges {
                    tax: cents(*tax),
                    shipping: cents(*shipping),
                },
            ),
            Step::Place(order) => (order, place()),
            Step::Pay(order, amount) => (order, pay(*amount)),
            Step::PayTheBalance(order) => {
                let due = shop
                    .order_state(&order.to_string())
                    .balance_due()
                    .unwrap_or_default();
                (order, pay(due.cents()))
            }
            Step::Refund(order, amount) => (order, refund(*amount)),
            Step::FulfilAll(order) => (order, fulfil_all()),
            Step::FulfilOne(order, line_id) => (
                order,
                OrderCommand::Fulfil {
                    lines: FulfilLines::Only(vec![LineQuantity {
                        line_id: LineId(*line_id),
                        quantity: units(1),
                    }]),
                    at: JAN_2026,
                },
            ),
            Step::Cancel(order) => (order, cancel()),
            Step::ReorderLevel(sku_number, level) => {
                let command = ProductCommand::SetReorderLevel { level: *level };
                let _ = shop.try_product(&sku(&sku_text(*sku_number)), &command);
                continue;
            }
            Step::Stock(sku_number, received) => {
                let sku = sku(&sku_text(*sku_number));
                let _ = shop.try_product(
                    &sku,
                    &ProductCommand::Register {
                        name: ProductName::parse("Thing").unwrap(),
                        price: cents(100),
                        sku: sku.clone(),
                    },
                );
                shop.try_product(
                    &sku,
                    &ProductCommand::ReceiveStock {
                        quantity: units(*received),
                    },
                )
                .unwrap();
                continue;
            }
        };
        let _ = shop.try_order(&order.to_string(), &command);
    }
    shop
}
