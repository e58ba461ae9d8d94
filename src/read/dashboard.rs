//! The dashboard: the shop at a glance. Order counts, sales, discounts, refunds, money
//! collected and outstanding, the average order, units sold, orders by status, sales by day
//! and by month (the shop's days, cut at its midnight), the best selling products, the order
//! lines waiting for stock and the products to reorder.
//!
//! It is a query over the shared folds of the orders and products ([`ShopFolds`]): every
//! figure is derived from their totals and statuses when asked, so the dashboard and the
//! deciders cannot disagree; no rule is restated here. What it adds are the definitions of
//! the figures, written on [`DashboardFigures`].

use std::collections::BTreeMap;

use super::local_time::{local_date, LocalOffset};

use super::orders_list::order_number;
use super::products::{self, ProductRow};
use super::ShopFolds;
use crate::domain::{
    FinancialStatus, FulfilmentStatus, LineId, Money, Order, Product, Sku, Timestamp,
};

/// How many products [`DashboardFigures::top_products`] lists.
pub const TOP_PRODUCTS: usize = 5;

/// How many days [`DashboardFigures::sales_by_day`] lists: the latest week with sales.
pub const DAYS_SHOWN: usize = 7;

/// How many lines [`DashboardFigures::back_ordered_lines`] lists; [`BackOrders`] counts
/// them all. A shop that imported years of orders without its stock can have tens of
/// thousands.
pub const BACK_ORDERED_LINES: usize = 20;

/// Financial statuses in the order the dashboard shows them.
pub const FINANCIAL_STATUSES: [FinancialStatus; 6] = [
    FinancialStatus::Pending,
    FinancialStatus::PartiallyPaid,
    FinancialStatus::Paid,
    FinancialStatus::PartiallyRefunded,
    FinancialStatus::Refunded,
    FinancialStatus::Voided,
];

/// Fulfilment statuses in the order the dashboard shows them.
pub const FULFILMENT_STATUSES: [FulfilmentStatus; 3] = [
    FulfilmentStatus::Unfulfilled,
    FulfilmentStatus::Partial,
    FulfilmentStatus::Fulfilled,
];

/// The dashboard's figures, derived from the orders and products as they stand.
///
/// Only orders that are placed count: an order counts once it is placed, a draft counts
/// nowhere, and an order cancelled before it was placed never counts either. "Live" means
/// placed and not cancelled. An order placed and then cancelled counts in
/// [`orders`](Self::orders), [`cancelled`](Self::cancelled) and
/// [`by_financial_status`](Self::by_financial_status), and in no other figure: its payments
/// and refunds are not in sales, refunds, collected or outstanding.
///
/// Money is summed to the cent; a sum stops at the largest amount instead of wrapping (far
/// beyond any real shop: each order's figures are checked by its decider).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DashboardFigures {
    /// Placed orders, cancelled or not.
    pub orders: u64,
    /// Placed orders that were cancelled.
    pub cancelled: u64,
    /// Customers who placed an order (cancelled or not), each counted once: by their
    /// customer record, else their email, else their name (`customers::customer_key`).
    pub customers: u64,
    /// Of those, the customers who placed two orders or more.
    pub repeat_customers: u64,
    /// Live orders: placed and not cancelled.
    pub live: u64,
    /// Live orders not fully fulfilled.
    pub open: u64,
    /// The sum of the totals of live orders.
    pub sales: Money,
    /// The sum refunded on live orders.
    pub refunds: Money,
    /// Sales − refunds.
    pub net_sales: Money,
    /// What discounts took off live orders: the lines' own discounts and the orders'.
    pub discounts: Money,
    /// Payments received − refunds, on live orders.
    pub collected: Money,
    /// The sum of the balances due of live orders.
    pub outstanding: Money,
    /// Sales / live orders, rounded half to even to the cent; `None` without live orders.
    pub average_order_value: Option<Money>,
    /// Units over the lines of live orders.
    pub units: u64,
    /// Placed orders (cancelled ones included) by financial status: every status, zero
    /// counts included, in the order of [`FINANCIAL_STATUSES`].
    pub by_financial_status: Vec<(FinancialStatus, u64)>,
    /// Live orders by fulfilment status: every status, zero counts included, in the order
    /// of [`FULFILMENT_STATUSES`].
    pub by_fulfilment_status: Vec<(FulfilmentStatus, u64)>,
    /// Sales of live orders by the shop's calendar month the order was created in (in the
    /// shop's time zone), oldest first; a month shows when a live order was created in it.
    pub sales_by_month: Vec<MonthSales>,
    /// Sales and live orders by the shop's calendar day the order was created on: the
    /// latest [`DAYS_SHOWN`] days on which a live order was created, oldest first.
    pub sales_by_day: Vec<DaySales>,
    /// At most [`TOP_PRODUCTS`] SKUs sold on live orders, by net sales (highest first), ties
    /// by SKU (ascending).
    pub top_products: Vec<ProductSales>,
    /// Every reservation still waiting for units (as the product streams record it),
    /// counted.
    pub back_orders: BackOrders,
    /// The first [`BACK_ORDERED_LINES`] of them by order number then line; reservations of
    /// orders the dashboard never saw come last.
    pub back_ordered_lines: Vec<BackOrderedLine>,
    /// The products with fewer units available than their reorder level, by SKU.
    pub below_reorder_level: Vec<ProductRow>,
}

/// The sales of one of the shop's days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DaySales {
    pub year: i32,
    /// 1 for January to 12 for December.
    pub month: u8,
    pub day: u8,
    /// Live orders created that day.
    pub orders: u64,
    pub sales: Money,
}

/// The sales of one of the shop's calendar months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthSales {
    pub year: i32,
    /// 1 for January to 12 for December.
    pub month: u8,
    pub sales: Money,
}

/// What one SKU sold on live orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductSales {
    pub sku: Sku,
    /// The catalogue name when the product is registered, otherwise the name on its line
    /// in the earliest created live order that sold it.
    pub name: String,
    pub units: u64,
    /// The sum of its lines' quantity × unit price − line discount.
    pub net_sales: Money,
}

/// The order lines waiting for units that were not on hand, all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackOrders {
    pub lines: u64,
    /// The units they wait for.
    pub units: u64,
}

/// An order line waiting for units that were not on hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackOrderedLine {
    /// The order's stream id, as the reservation names it.
    pub order_id: String,
    /// The order's number in the orders list; `None` for an order the dashboard never saw
    /// created.
    pub order_number: Option<u64>,
    pub line_id: LineId,
    pub sku: Sku,
    /// Units reserved for the line that were not on hand.
    pub back_ordered: u64,
}

/// Every figure, computed from the orders and products as they stand: a pass over the
/// orders, their lines and the products. `zone` places each order on the shop's calendar.
#[must_use]
pub fn figures(shop: &ShopFolds, zone: &dyn LocalOffset) -> DashboardFigures {
    let placed: Vec<&Order> = shop
        .orders()
        .iter()
        .filter(|order| order.was_placed())
        .collect();
    let live: Vec<&Order> = placed
        .iter()
        .copied()
        .filter(|order| !order.is_cancelled())
        .collect();
    let live_count = live.len() as u64;
    let (back_orders, back_ordered_lines) = back_ordered_lines(shop);
    let (customers, repeat_customers) = super::customers::counts(shop, placed.iter().copied());
    // The decider refuses any change whose figures overflow: they are `Some`.
    let sales = sum(live.iter().map(|order| order.total().unwrap_or_default()));
    let refunds = sum(live.iter().map(|order| order.refunded()));
    let by_fulfilment_status = count_by(&FULFILMENT_STATUSES, &live, Order::fulfilment_status);
    let fulfilled = by_fulfilment_status
        .iter()
        .find(|(status, _)| *status == FulfilmentStatus::Fulfilled)
        .map_or(0, |(_, count)| *count);
    DashboardFigures {
        orders: placed.len() as u64,
        cancelled: (placed.len() - live.len()) as u64,
        customers,
        repeat_customers,
        live: live_count,
        open: live_count - fulfilled,
        sales,
        refunds,
        // Refunds never exceed payments, nor payments the total, order by order.
        net_sales: sales.checked_sub(refunds).unwrap_or_default(),
        discounts: sum(live
            .iter()
            .map(|order| order.discounts().unwrap_or_default())),
        collected: sum(live
            .iter()
            .map(|order| order.refundable().unwrap_or_default())),
        outstanding: sum(live
            .iter()
            .map(|order| order.balance_due().unwrap_or_default())),
        average_order_value: average_half_even(sales, live_count),
        units: live
            .iter()
            .map(|order| order.units())
            .fold(0, u64::saturating_add),
        by_financial_status: count_by(&FINANCIAL_STATUSES, &placed, Order::financial_status),
        by_fulfilment_status,
        sales_by_month: sales_by_month(&live, zone),
        sales_by_day: sales_by_day(&live, zone),
        top_products: top_products(shop, &live),
        back_orders,
        back_ordered_lines,
        below_reorder_level: products::rows(shop)
            .into_iter()
            .filter(|row| row.below_reorder_level)
            .collect(),
    }
}

fn top_products(shop: &ShopFolds, live_orders: &[&Order]) -> Vec<ProductSales> {
    let mut sold: BTreeMap<&Sku, ProductSales> = BTreeMap::new();
    for state in live_orders.iter().flat_map(|order| order.lines()) {
        let line = &state.line;
        let entry = sold.entry(&line.sku).or_insert_with(|| ProductSales {
            sku: line.sku.clone(),
            name: shop
                .product(&line.sku)
                .and_then(Product::listing)
                .map_or_else(
                    || line.product_name.as_str().to_owned(),
                    |listing| listing.name.as_str().to_owned(),
                ),
            units: 0,
            net_sales: Money::ZERO,
        });
        entry.units = entry.units.saturating_add(u64::from(line.quantity.get()));
        entry.net_sales = entry
            .net_sales
            .saturating_add(line.total().unwrap_or_default());
    }
    let mut top: Vec<ProductSales> = sold.into_values().collect();
    top.sort_by(|a, b| {
        b.net_sales
            .cmp(&a.net_sales)
            .then_with(|| a.sku.cmp(&b.sku))
    });
    top.truncate(TOP_PRODUCTS);
    top
}

/// A back-ordered reservation, borrowed from the folds until it is one of those listed.
struct Waiting<'a> {
    /// `None` for an order the dashboard never saw created.
    order_number: Option<u64>,
    line_id: LineId,
    order_id: &'a str,
    sku: &'a Sku,
    back_ordered: u64,
}

impl Waiting<'_> {
    /// By order number then line; orders the dashboard never saw last.
    fn order(&self) -> (bool, Option<u64>, LineId, &str) {
        (
            self.order_number.is_none(),
            self.order_number,
            self.line_id,
            self.order_id,
        )
    }
}

/// Every back-ordered reservation counted, and the first [`BACK_ORDERED_LINES`] of them.
fn back_ordered_lines(shop: &ShopFolds) -> (BackOrders, Vec<BackOrderedLine>) {
    let mut waiting: Vec<Waiting> = shop
        .products()
        .flat_map(|(sku, product)| {
            product
                .reservations()
                .filter(|reservation| reservation.back_ordered > 0)
                .map(move |reservation| {
                    let order_id = reservation.id.order_id.as_str();
                    Waiting {
                        order_number: shop.order(order_id).map(|(index, _)| order_number(index)),
                        line_id: reservation.id.line_id,
                        order_id,
                        sku,
                        back_ordered: reservation.back_ordered,
                    }
                })
        })
        .collect();
    let counted = BackOrders {
        lines: waiting.len() as u64,
        units: waiting
            .iter()
            .map(|line| line.back_ordered)
            .fold(0, u64::saturating_add),
    };
    let by_order = |a: &Waiting, b: &Waiting| a.order().cmp(&b.order());
    if waiting.len() > BACK_ORDERED_LINES {
        waiting.select_nth_unstable_by(BACK_ORDERED_LINES, by_order);
        waiting.truncate(BACK_ORDERED_LINES);
    }
    waiting.sort_unstable_by(by_order);
    let first = waiting
        .into_iter()
        .map(|line| BackOrderedLine {
            order_id: line.order_id.to_owned(),
            order_number: line.order_number,
            line_id: line.line_id,
            sku: line.sku.clone(),
            back_ordered: line.back_ordered,
        })
        .collect();
    (counted, first)
}

/// The amounts added up, stopping at the largest amount instead of wrapping.
pub(super) fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    amounts.fold(Money::ZERO, Money::saturating_add)
}

/// How many of `orders` have each of `statuses`, in that order, zeros included.
fn count_by<S: Copy + PartialEq>(
    statuses: &[S],
    orders: &[&Order],
    status_of: impl Fn(&Order) -> S,
) -> Vec<(S, u64)> {
    let of_orders: Vec<S> = orders.iter().map(|order| status_of(order)).collect();
    statuses
        .iter()
        .map(|status| {
            let count = of_orders.iter().filter(|s| *s == status).count();
            (*status, count as u64)
        })
        .collect()
}

fn sales_by_month(live: &[&Order], zone: &dyn LocalOffset) -> Vec<MonthSales> {
    let mut by_month: BTreeMap<(i32, u8), Money> = BTreeMap::new();
    for order in live {
        let Some((year, month, _)) = order.header().and_then(|h| date_of(h.created_at, zone))
        else {
            continue;
        };
        let month = (year, month);
        let sales = by_month.entry(month).or_default();
        *sales = sales.saturating_add(order.total().unwrap_or_default());
    }
    by_month
        .into_iter()
        .map(|((year, month), sales)| MonthSales { year, month, sales })
        .collect()
}

fn sales_by_day(live: &[&Order], zone: &dyn LocalOffset) -> Vec<DaySales> {
    let mut by_day: BTreeMap<(i32, u8, u8), (u64, Money)> = BTreeMap::new();
    for order in live {
        let Some(day) = order.header().and_then(|h| date_of(h.created_at, zone)) else {
            continue;
        };
        let (orders, sales) = by_day.entry(day).or_default();
        *orders += 1;
        *sales = sales.saturating_add(order.total().unwrap_or_default());
    }
    let skip = by_day.len().saturating_sub(DAYS_SHOWN);
    by_day
        .into_iter()
        .skip(skip)
        .map(|((year, month, day), (orders, sales))| DaySales {
            year,
            month,
            day,
            orders,
            sales,
        })
        .collect()
}

/// The shop's year, month (1 to 12) and day of a timestamp (see [`local_date`]).
fn date_of(at: Timestamp, zone: &dyn LocalOffset) -> Option<(i32, u8, u8)> {
    let date = local_date(at, zone)?;
    Some((date.year(), u8::from(date.month()), date.day()))
}

/// `total / count` to the cent, a remainder of exactly half rounded to the even cent
/// (banker's rounding: 2.5 → 2, 3.5 → 4); `None` when `count` is zero.
fn average_half_even(total: Money, count: u64) -> Option<Money> {
    let cents = total.cents();
    let quotient = cents.checked_div(count)?;
    let remainder = cents % count;
    // Compared without doubling the remainder, which could overflow.
    let above_half = remainder > count - remainder;
    let exactly_half = remainder == count - remainder;
    let round_up = above_half || (exactly_half && quotient % 2 == 1);
    Some(Money::from_cents(quotient + u64::from(round_up)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn average(total: u64, count: u64) -> Option<u64> {
        average_half_even(Money::from_cents(total), count).map(Money::cents)
    }

    #[test]
    fn an_exact_half_rounds_to_the_even_cent() {
        assert_eq!(average(10, 4), Some(2), "2.5");
        assert_eq!(average(14, 4), Some(4), "3.5");
        assert_eq!(average(5, 2), Some(2), "2.5");
        assert_eq!(average(1, 2), Some(0), "0.5");
    }

    #[test]
    fn other_remainders_round_to_the_nearest_cent() {
        assert_eq!(average(1, 3), Some(0), "0.33…");
        assert_eq!(average(2, 3), Some(1), "0.66…");
        assert_eq!(average(11, 4), Some(3), "2.75");
        assert_eq!(average(9, 4), Some(2), "2.25");
        assert_eq!(average(12, 4), Some(3), "exact");
    }

    #[test]
    fn an_average_of_nothing_is_none() {
        assert_eq!(average(0, 0), None);
        assert_eq!(average(100, 0), None);
    }

    #[test]
    fn the_largest_amounts_average_without_overflow() {
        assert_eq!(average(u64::MAX, 1), Some(u64::MAX));
        assert_eq!(
            average(u64::MAX, 2),
            Some(u64::MAX / 2 + 1),
            "…7.5 rounds to even"
        );
        assert_eq!(average(u64::MAX, u64::MAX), Some(1));
        assert_eq!(average(u64::MAX - 1, u64::MAX), Some(1));
    }
}
