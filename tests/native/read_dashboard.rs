//! The dashboard as a fold: given a shop's log, written by real commands and the stock policy,
//! every figure the dashboard shows, computed by hand; and, over random shops, the figures
//! agree with each other and with folding the log one event at a time.

use orderlog::domain::{
    order_stream, FinancialStatus, FulfilmentStatus, LineId, Money, OrderCommand, ProductCommand,
    Timestamp,
};
use orderlog::es::{ProjectionRunner, UnreadableEvents};
use orderlog::read::{
    BackOrderedLine, BackOrders, DashboardFigures, DaySales, FixedOffset, LocalOffset, MonthSales,
    ProductRow, ProductSales, ReadModels, Utc, BACK_ORDERED_LINES, DAYS_SHOWN, FIRST_ORDER_NUMBER,
};
use proptest::prelude::*;

use crate::support::random_shop::{run, steps};
use crate::support::shop::{
    cancel, cents, create, fulfil_all, line, pay, place, refund, sku, Shop, DAY, JAN_2026,
};

/// The figures in UTC, but for the days and the customers: those have specifications of
/// their own (below).
fn figures(shop: &Shop) -> DashboardFigures {
    DashboardFigures {
        sales_by_day: vec![],
        customers: 0,
        repeat_customers: 0,
        ..shop.fold::<ReadModels>().figures(&Utc)
    }
}

fn figures_in(shop: &Shop, zone: &dyn LocalOffset) -> DashboardFigures {
    shop.fold::<ReadModels>().figures(zone)
}

/// Placed orders by financial status, in the dashboard's order: pending, partially paid,
/// paid, partially refunded, refunded, voided.
fn financial(counts: [u64; 6]) -> Vec<(FinancialStatus, u64)> {
    let [pending, partially_paid, paid, partially_refunded, refunded, voided] = counts;
    vec![
        (FinancialStatus::Pending, pending),
        (FinancialStatus::PartiallyPaid, partially_paid),
        (FinancialStatus::Paid, paid),
        (FinancialStatus::PartiallyRefunded, partially_refunded),
        (FinancialStatus::Refunded, refunded),
        (FinancialStatus::Voided, voided),
    ]
}

/// Live orders by fulfilment status: unfulfilled, partially fulfilled, fulfilled.
fn fulfilment(counts: [u64; 3]) -> Vec<(FulfilmentStatus, u64)> {
    let [unfulfilled, partial, fulfilled] = counts;
    vec![
        (FulfilmentStatus::Unfulfilled, unfulfilled),
        (FulfilmentStatus::Partial, partial),
        (FulfilmentStatus::Fulfilled, fulfilled),
    ]
}

fn month(year: i32, month: u8, sales: u64) -> MonthSales {
    MonthSales {
        year,
        month,
        sales: cents(sales),
    }
}

fn sold(sku_text: &str, name: &str, units: u64, net_sales: u64) -> ProductSales {
    ProductSales {
        sku: sku(sku_text),
        name: name.into(),
        units,
        net_sales: cents(net_sales),
    }
}

/// The figures of a shop with no placed order.
fn nothing() -> DashboardFigures {
    DashboardFigures {
        orders: 0,
        cancelled: 0,
        customers: 0,
        repeat_customers: 0,
        live: 0,
        open: 0,
        sales: Money::ZERO,
        refunds: Money::ZERO,
        net_sales: Money::ZERO,
        discounts: Money::ZERO,
        collected: Money::ZERO,
        outstanding: Money::ZERO,
        average_order_value: None,
        units: 0,
        by_financial_status: financial([0; 6]),
        by_fulfilment_status: fulfilment([0; 3]),
        sales_by_month: vec![],
        sales_by_day: vec![],
        top_products: vec![],
        back_orders: BackOrders::default(),
        back_ordered_lines: vec![],
        below_reorder_level: vec![],
    }
}

/// Tea (4.50) and a mug (12.50), a hundred of each on hand.
fn stocked_shop() -> Shop {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 100)
        .stocked("MUG-2", "Mug", 1_250, 100);
    shop
}

/// Order `id`: 2 × tea at 4.50 and 1 × mug at 12.50 (21.50), tax 1.50, shipping 5.00:
/// 28.00 in all, created on 1 January 2026.
fn created_order(shop: &mut Shop, id: &str) {
    shop.order(
        id,
        create(
            JAN_2026,
            vec![line(1, "TEA-1", 2, 450, 0), line(2, "MUG-2", 1, 1_250, 0)],
        ),
    )
    .order(
        id,
        OrderCommand::SetCharges {
            tax: cents(150),
            shipping: cents(500),
        },
    );
}

fn placed_order(shop: &mut Shop, id: &str) {
    created_order(shop, id);
    shop.order(id, place());
}

/// The figures of a shop whose only order is [`placed_order`], unpaid and unshipped.
fn one_placed_unpaid_order() -> DashboardFigures {
    DashboardFigures {
        orders: 1,
        live: 1,
        open: 1,
        sales: cents(2_800),
        net_sales: cents(2_800),
        outstanding: cents(2_800),
        average_order_value: Some(cents(2_800)),
        units: 3,
        by_financial_status: financial([1, 0, 0, 0, 0, 0]),
        by_fulfilment_status: fulfilment([1, 0, 0]),
        sales_by_month: vec![month(2026, 1, 2_800)],
        top_products: vec![sold("MUG-2", "Mug", 1, 1_250), sold("TEA-1", "Tea", 2, 900)],
        ..nothing()
    }
}

#[test]
fn given_an_empty_shop_then_every_figure_is_zero_and_every_status_is_listed() {
    assert_eq!(figures(&Shop::default()), nothing());
}

#[test]
fn given_a_draft_order_then_it_counts_nowhere() {
    let mut shop = stocked_shop();
    created_order(&mut shop, "a");

    assert_eq!(figures(&shop), nothing());
}

#[test]
fn given_a_draft_cancelled_before_it_was_placed_then_it_counts_nowhere() {
    let mut shop = stocked_shop();
    created_order(&mut shop, "a");
    shop.order("a", cancel());

    assert_eq!(figures(&shop), nothing());
}

#[test]
fn given_a_placed_unpaid_order_then_all_of_its_total_is_outstanding() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");

    assert_eq!(figures(&shop), one_placed_unpaid_order());
}

#[test]
fn given_a_partly_paid_order_then_the_payment_is_collected_and_the_rest_outstanding() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");
    shop.order("a", pay(1_000));

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            collected: cents(1_000),
            outstanding: cents(1_800),
            by_financial_status: financial([0, 1, 0, 0, 0, 0]),
            ..one_placed_unpaid_order()
        }
    );
}

#[test]
fn given_a_paid_and_fulfilled_order_then_nothing_is_open_or_outstanding() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");
    shop.order("a", pay(2_800)).order("a", fulfil_all());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            open: 0,
            collected: cents(2_800),
            outstanding: Money::ZERO,
            by_financial_status: financial([0, 0, 1, 0, 0, 0]),
            by_fulfilment_status: fulfilment([0, 0, 1]),
            ..one_placed_unpaid_order()
        }
    );
}

#[test]
fn given_a_partly_refunded_order_then_the_refund_leaves_net_sales_and_collected() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");
    shop.order("a", pay(2_800)).order("a", refund(300));

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            refunds: cents(300),
            net_sales: cents(2_500),
            collected: cents(2_500),
            outstanding: Money::ZERO,
            by_financial_status: financial([0, 0, 0, 1, 0, 0]),
            ..one_placed_unpaid_order()
        }
    );
}

#[test]
fn given_an_order_cancelled_after_payment_then_it_counts_as_an_order_and_cancelled_only() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");
    shop.order("a", pay(1_000)).order("a", cancel());
    shop.order("b", create(JAN_2026, vec![line(1, "TEA-1", 1, 450, 0)]))
        .order("b", place());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            orders: 2,
            cancelled: 1,
            live: 1,
            open: 1,
            sales: cents(450),
            net_sales: cents(450),
            outstanding: cents(450),
            average_order_value: Some(cents(450)),
            units: 1,
            // a: 10.00 of 28.00 paid, nothing refunded yet; b: nothing paid.
            by_financial_status: financial([1, 1, 0, 0, 0, 0]),
            by_fulfilment_status: fulfilment([1, 0, 0]),
            sales_by_month: vec![month(2026, 1, 450)],
            top_products: vec![sold("TEA-1", "Tea", 1, 450)],
            ..nothing()
        }
    );
}

#[test]
fn given_a_refund_on_a_cancelled_order_then_it_is_not_in_refunds() {
    let mut shop = stocked_shop();
    placed_order(&mut shop, "a");
    shop.order("a", pay(1_000))
        .order("a", cancel())
        .order("a", refund(1_000));

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            orders: 1,
            cancelled: 1,
            by_financial_status: financial([0, 0, 0, 0, 1, 0]),
            ..nothing()
        }
    );
}

#[test]
fn given_orders_across_months_then_sales_fall_in_the_utc_month_each_was_created() {
    let mut shop = stocked_shop();
    let tea = |quantity| vec![line(1, "TEA-1", quantity, 450, 0)];
    let mug = || vec![line(1, "MUG-2", 1, 1_250, 0)];
    // 31 December 2025 12:00; 31 January 23:59:59.999; 1 February 00:00; 15 January.
    shop.order("a", create(Timestamp(JAN_2026.0 - DAY / 2), tea(1)))
        .order("b", create(Timestamp(JAN_2026.0 + 31 * DAY - 1), tea(2)))
        .order("c", create(Timestamp(JAN_2026.0 + 31 * DAY), mug()))
        .order("d", create(Timestamp(JAN_2026.0 + 14 * DAY), mug()));
    for id in ["a", "b", "c", "d"] {
        shop.order(id, place());
    }
    shop.order("d", cancel());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            orders: 4,
            cancelled: 1,
            live: 3,
            open: 3,
            sales: cents(2_600),
            net_sales: cents(2_600),
            outstanding: cents(2_600),
            // 26.00 / 3 = 8.666…
            average_order_value: Some(cents(867)),
            units: 4,
            by_financial_status: financial([3, 0, 0, 0, 0, 1]),
            by_fulfilment_status: fulfilment([3, 0, 0]),
            sales_by_month: vec![
                month(2025, 12, 450),
                month(2026, 1, 900),
                month(2026, 2, 1_250)
            ],
            top_products: vec![
                sold("TEA-1", "Tea", 3, 1_350),
                sold("MUG-2", "Mug", 1, 1_250)
            ],
            ..nothing()
        }
    );
}

#[test]
fn given_six_products_sold_then_the_top_five_by_net_sales_show_ties_by_sku() {
    let mut shop = Shop::default();
    for (sku_text, name) in [
        ("A-1", "Alpha"),
        ("B-2", "Bravo"),
        ("C-3", "Charlie"),
        ("D-4", "Delta"),
        ("E-5", "Echo"),
        ("F-6", "Foxtrot"),
    ] {
        shop.stocked(sku_text, name, 100, 10);
    }
    shop.order(
        "a",
        create(
            JAN_2026,
            vec![
                line(1, "E-5", 1, 100, 0),
                line(2, "C-3", 3, 400, 300),
                line(3, "B-2", 2, 500, 0),
                line(4, "A-1", 1, 1_000, 0),
                line(5, "D-4", 1, 950, 0),
                line(6, "F-6", 1, 50, 0),
            ],
        ),
    )
    .order("a", place())
    .order("b", create(JAN_2026, vec![line(1, "E-5", 1, 900, 0)]))
    .order("b", place());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            orders: 2,
            live: 2,
            open: 2,
            sales: cents(4_900),
            net_sales: cents(4_900),
            // The line discounts above.
            discounts: cents(300),
            outstanding: cents(4_900),
            average_order_value: Some(cents(2_450)),
            units: 10,
            by_financial_status: financial([2, 0, 0, 0, 0, 0]),
            by_fulfilment_status: fulfilment([2, 0, 0]),
            sales_by_month: vec![month(2026, 1, 4_900)],
            top_products: vec![
                // Three at 10.00, by SKU; the names are the catalogue's, not the lines'.
                sold("A-1", "Alpha", 1, 1_000),
                sold("B-2", "Bravo", 2, 1_000),
                sold("E-5", "Echo", 2, 1_000),
                sold("D-4", "Delta", 1, 950),
                // 3 × 4.00 − 3.00: without its discount it would lead.
                sold("C-3", "Charlie", 3, 900),
            ],
            ..nothing()
        }
    );
}

/// Two teas on hand, to be reordered below one available; order a wants 3 teas and a
/// never-registered MUG-9, order b one tea.
fn short_of_stock() -> Shop {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 450, 2)
        .product("TEA-1", ProductCommand::SetReorderLevel { level: 1 })
        .order(
            "a",
            create(
                JAN_2026,
                vec![line(1, "TEA-1", 3, 450, 0), line(2, "MUG-9", 1, 800, 0)],
            ),
        )
        .order("a", place())
        .order("b", create(JAN_2026, vec![line(1, "TEA-1", 1, 450, 0)]))
        .order("b", place());
    shop
}

fn back_ordered(order: &str, number: u64, line_id: u32, sku_text: &str) -> BackOrderedLine {
    BackOrderedLine {
        order_id: order_stream(order),
        order_number: Some(number),
        line_id: LineId(line_id),
        sku: sku(sku_text),
        back_ordered: 1,
    }
}

fn tea_row(on_hand: u64, reserved: u64, back_ordered: u64) -> ProductRow {
    ProductRow {
        sku: sku("TEA-1"),
        name: "Tea".into(),
        price: Some(cents(450)),
        on_hand,
        reserved,
        back_ordered,
        available: on_hand - reserved,
        reorder_level: 1,
        below_reorder_level: on_hand - reserved < 1,
        tax_rate: None,
    }
}

fn short_of_stock_figures() -> DashboardFigures {
    DashboardFigures {
        orders: 2,
        live: 2,
        open: 2,
        sales: cents(2_600),
        net_sales: cents(2_600),
        outstanding: cents(2_600),
        average_order_value: Some(cents(1_300)),
        units: 5,
        by_financial_status: financial([2, 0, 0, 0, 0, 0]),
        by_fulfilment_status: fulfilment([2, 0, 0]),
        sales_by_month: vec![month(2026, 1, 2_600)],
        top_products: vec![
            sold("TEA-1", "Tea", 4, 1_800),
            // Never registered: the name it was sold under.
            sold("MUG-9", "MUG-9 (as sold)", 1, 800),
        ],
        back_orders: BackOrders { lines: 3, units: 3 },
        back_ordered_lines: vec![
            back_ordered("a", 1001, 1, "TEA-1"),
            back_ordered("a", 1001, 2, "MUG-9"),
            back_ordered("b", 1002, 1, "TEA-1"),
        ],
        below_reorder_level: vec![tea_row(2, 2, 2)],
        ..nothing()
    }
}

#[test]
fn given_orders_beyond_the_stock_then_their_back_ordered_lines_and_the_product_to_reorder_show() {
    assert_eq!(figures(&short_of_stock()), short_of_stock_figures());
}

#[test]
fn given_more_back_ordered_lines_than_it_lists_then_the_first_by_order_number_show_and_all_count() {
    let count = BACK_ORDERED_LINES + 5;
    let mut shop = Shop::default();
    // Created in the reverse of their ids' order: the first created has the last id.
    for n in 0..count {
        let id = format!("o{:03}", count - n);
        shop.order(&id, create(JAN_2026, vec![line(1, "MUG-9", 2, 800, 0)]))
            .order(&id, place());
    }

    let figures = figures(&shop);
    assert_eq!(
        figures.back_orders,
        BackOrders {
            lines: count as u64,
            units: 2 * count as u64
        }
    );
    let listed: Vec<Option<u64>> = figures
        .back_ordered_lines
        .iter()
        .map(|line| line.order_number)
        .collect();
    let first: Vec<Option<u64>> = (FIRST_ORDER_NUMBER..)
        .take(BACK_ORDERED_LINES)
        .map(Some)
        .collect();
    assert_eq!(listed, first);
}

#[test]
fn given_back_ordered_lines_when_their_order_ships_then_they_leave_the_list() {
    let mut shop = short_of_stock();
    shop.order("a", fulfil_all());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            open: 1,
            by_fulfilment_status: fulfilment([1, 0, 1]),
            back_orders: BackOrders { lines: 1, units: 1 },
            back_ordered_lines: vec![back_ordered("b", 1002, 1, "TEA-1")],
            below_reorder_level: vec![tea_row(0, 0, 1)],
            ..short_of_stock_figures()
        }
    );
}

#[test]
fn given_back_ordered_lines_when_their_order_is_cancelled_then_they_leave_the_list() {
    let mut shop = short_of_stock();
    shop.order("b", cancel());

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            cancelled: 1,
            live: 1,
            open: 1,
            sales: cents(2_150),
            net_sales: cents(2_150),
            outstanding: cents(2_150),
            average_order_value: Some(cents(2_150)),
            units: 4,
            by_financial_status: financial([1, 0, 0, 0, 0, 1]),
            by_fulfilment_status: fulfilment([1, 0, 0]),
            sales_by_month: vec![month(2026, 1, 2_150)],
            top_products: vec![
                sold("TEA-1", "Tea", 3, 1_350),
                sold("MUG-9", "MUG-9 (as sold)", 1, 800),
            ],
            back_orders: BackOrders { lines: 2, units: 2 },
            back_ordered_lines: vec![
                back_ordered("a", 1001, 1, "TEA-1"),
                back_ordered("a", 1001, 2, "MUG-9"),
            ],
            below_reorder_level: vec![tea_row(2, 2, 1)],
            ..short_of_stock_figures()
        }
    );
}

/// Live orders of these totals, one tea line each, tea in stock.
fn shop_with_totals(totals: &[u64]) -> Shop {
    let mut shop = Shop::default();
    shop.stocked("TEA-1", "Tea", 100, 100);
    for (n, total) in totals.iter().enumerate() {
        let id = n.to_string();
        shop.order(&id, create(JAN_2026, vec![line(1, "TEA-1", 1, *total, 0)]))
            .order(&id, place());
    }
    shop
}

fn average_of(totals: &[u64]) -> DashboardFigures {
    let sales = totals.iter().sum();
    let count = totals.len() as u64;
    DashboardFigures {
        orders: count,
        live: count,
        open: count,
        sales: cents(sales),
        net_sales: cents(sales),
        outstanding: cents(sales),
        units: count,
        by_financial_status: financial([count, 0, 0, 0, 0, 0]),
        by_fulfilment_status: fulfilment([count, 0, 0]),
        sales_by_month: vec![month(2026, 1, sales)],
        top_products: vec![sold("TEA-1", "Tea", count, sales)],
        ..nothing()
    }
}

#[test]
fn given_an_average_of_an_odd_cent_and_a_half_then_it_rounds_down_to_the_even_cent() {
    assert_eq!(
        figures(&shop_with_totals(&[100, 101])),
        DashboardFigures {
            // 201 / 2 = 100.5
            average_order_value: Some(cents(100)),
            ..average_of(&[100, 101])
        }
    );
}

#[test]
fn given_an_average_of_an_even_cent_and_a_half_then_it_rounds_up_to_the_even_cent() {
    assert_eq!(
        figures(&shop_with_totals(&[101, 102])),
        DashboardFigures {
            // 203 / 2 = 101.5
            average_order_value: Some(cents(102)),
            ..average_of(&[101, 102])
        }
    );
}

#[test]
fn given_an_average_of_a_third_of_a_cent_then_it_rounds_to_the_nearest_cent() {
    assert_eq!(
        figures(&shop_with_totals(&[100, 100, 101])),
        DashboardFigures {
            // 301 / 3 = 100.33…
            average_order_value: Some(cents(100)),
            ..average_of(&[100, 100, 101])
        }
    );
}

#[test]
fn given_sales_beyond_the_largest_amount_then_the_sums_stop_there_and_never_wrap() {
    let largest = Money::from_cents(u64::MAX);
    let huge = u64::MAX - 1;
    let shop = shop_with_totals(&[huge, huge]);

    assert_eq!(
        figures(&shop),
        DashboardFigures {
            orders: 2,
            live: 2,
            open: 2,
            sales: largest,
            net_sales: largest,
            outstanding: largest,
            // u64::MAX / 2 = …807.5, to the even cent.
            average_order_value: Some(cents(u64::MAX / 2 + 1)),
            units: 2,
            by_financial_status: financial([2, 0, 0, 0, 0, 0]),
            by_fulfilment_status: fulfilment([2, 0, 0]),
            sales_by_month: vec![MonthSales {
                year: 2026,
                month: 1,
                sales: largest
            }],
            top_products: vec![ProductSales {
                sku: sku("TEA-1"),
                name: "Tea".into(),
                units: 2,
                net_sales: largest,
            }],
            ..nothing()
        }
    );
}

proptest! {
    #[test]
    fn the_figures_of_any_shop_agree_with_each_other(steps in steps()) {
        let f = figures(&run(&steps));

        prop_assert_eq!(f.net_sales.checked_add(f.refunds), Some(f.sales));
        prop_assert!(f.collected <= f.sales);
        prop_assert_eq!(
            f.outstanding.checked_add(f.collected).and_then(|m| m.checked_add(f.refunds)),
            Some(f.sales),
            "outstanding + collected + refunds = sales"
        );
        prop_assert_eq!(f.orders, f.live + f.cancelled);
        prop_assert_eq!(f.by_financial_status.len(), 6);
        prop_assert_eq!(f.by_financial_status.iter().map(|(_, n)| n).sum::<u64>(), f.orders);
        prop_assert_eq!(f.by_fulfilment_status.len(), 3);
        prop_assert_eq!(f.by_fulfilment_status.iter().map(|(_, n)| n).sum::<u64>(), f.live);
        prop_assert_eq!(f.open, f.live - f.by_fulfilment_status[2].1);
        prop_assert_eq!(
            f.sales_by_month.iter().map(|m| m.sales.cents()).sum::<u64>(),
            f.sales.cents()
        );
        prop_assert!(f.sales_by_month.windows(2).all(|w| (w[0].year, w[0].month) < (w[1].year, w[1].month)));
        // Four SKUs at most: the top five cover every unit and every line sold.
        prop_assert_eq!(f.top_products.iter().map(|p| p.units).sum::<u64>(), f.units);
        prop_assert!(f.top_products.iter().map(|p| p.net_sales.cents()).sum::<u64>() <= f.sales.cents());
        let ranked = f.top_products.windows(2).all(|w| {
            w[0].net_sales > w[1].net_sales
                || (w[0].net_sales == w[1].net_sales && w[0].sku < w[1].sku)
        });
        prop_assert!(ranked, "{:?}", f.top_products);
        match f.average_order_value {
            None => prop_assert_eq!(f.live, 0),
            Some(average) => {
                let off = i128::from(average.cents()) * i128::from(f.live) - i128::from(f.sales.cents());
                prop_assert!(2 * off.abs() <= i128::from(f.live), "{} is not the nearest cent", average);
            }
        }
        prop_assert!(f.below_reorder_level.iter().all(|row| row.below_reorder_level));
        prop_assert!(f.back_ordered_lines.iter().all(|line| line.back_ordered > 0));
    }

    #[test]
    fn folding_one_event_at_a_time_equals_folding_all_at_once(steps in steps()) {
        let events = run(&steps).events();
        let mut at_once = ProjectionRunner::new(ReadModels::default());
        at_once.apply_all(&events);
        let mut one_by_one = ProjectionRunner::new(ReadModels::default());
        for event in &events {
            one_by_one.apply_all(std::slice::from_ref(event));
        }

        prop_assert_eq!(one_by_one.read_model(), at_once.read_model());
        prop_assert_eq!(one_by_one.checkpoint(), events.len() as u64);
    }

    #[test]
    fn a_saved_dashboard_reads_back_the_same(steps in steps()) {
        let events = run(&steps).events();
        let mut side = ProjectionRunner::new(ReadModels::default());
        side.apply_all(&events);
        let saved = side.save().unwrap();
        let restored = ProjectionRunner::<ReadModels>::restore(
            saved,
            events.last(),
            UnreadableEvents::Halt,
        );

        prop_assert_eq!(restored.checkpoint(), events.len() as u64);
        prop_assert_eq!(restored.read_model().figures(&Utc), side.read_model().figures(&Utc));
        prop_assert_eq!(restored.read_model(), side.read_model());
    }
}

// The shop's days and months, cut at its midnight.

fn placed_at(shop: &mut Shop, id: &str, at: Timestamp, unit_cents: u64) {
    shop.order(id, create(at, vec![line(1, "TEA-1", 1, unit_cents, 0)]))
        .order(id, place());
}

const HOUR: i64 = 3_600_000;

#[test]
fn a_sale_late_in_the_evening_counts_on_the_shops_day_not_utcs() {
    // 2 January 2026, 04:30 UTC is 1 January, 23:30 in New York in winter (UTC−5).
    let mut shop = stocked_shop();
    placed_at(
        &mut shop,
        "late",
        Timestamp(JAN_2026.0 + DAY + 4 * HOUR + HOUR / 2),
        450,
    );
    let day = |figures: DashboardFigures| {
        figures
            .sales_by_day
            .iter()
            .map(|d| (d.year, d.month, d.day, d.orders, d.sales))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        day(figures_in(&shop, &FixedOffset(-5 * 60))),
        vec![(2026, 1, 1, 1, cents(450))]
    );
    assert_eq!(
        day(figures_in(&shop, &Utc)),
        vec![(2026, 1, 2, 1, cents(450))]
    );
}

#[test]
fn a_sale_at_the_turn_of_a_month_counts_in_the_shops_month() {
    // 1 January 2026, 00:30 in Tokyo (UTC+9) is still December in UTC.
    let mut shop = stocked_shop();
    placed_at(
        &mut shop,
        "early",
        Timestamp(JAN_2026.0 - 8 * HOUR - HOUR / 2),
        450,
    );
    assert_eq!(
        figures_in(&shop, &FixedOffset(9 * 60)).sales_by_month,
        vec![month(2026, 1, 450)]
    );
    assert_eq!(
        figures_in(&shop, &Utc).sales_by_month,
        vec![month(2025, 12, 450)]
    );
}

#[test]
fn the_days_listed_are_the_latest_with_sales_oldest_first_each_with_its_orders() {
    let mut shop = stocked_shop();
    for n in 0..10_i64 {
        // One order a day for ten days, two on the last.
        placed_at(
            &mut shop,
            &format!("d{n}"),
            Timestamp(JAN_2026.0 + n * DAY + HOUR),
            100,
        );
    }
    placed_at(
        &mut shop,
        "extra",
        Timestamp(JAN_2026.0 + 9 * DAY + 2 * HOUR),
        250,
    );
    let days = figures_in(&shop, &Utc).sales_by_day;
    assert_eq!(days.len(), DAYS_SHOWN);
    assert_eq!(
        days.first(),
        Some(&DaySales {
            year: 2026,
            month: 1,
            day: 4,
            orders: 1,
            sales: cents(100)
        })
    );
    assert_eq!(
        days.last(),
        Some(&DaySales {
            year: 2026,
            month: 1,
            day: 10,
            orders: 2,
            sales: cents(350)
        })
    );
}

#[test]
fn discounts_are_the_lines_and_the_orders_on_live_orders() {
    let mut shop = stocked_shop();
    // 2 × tea at 4.50 less 1.00 on the line, then 10% off the 8.00 left: 0.80.
    shop.order("a", create(JAN_2026, vec![line(1, "TEA-1", 2, 450, 100)]))
        .order(
            "a",
            OrderCommand::SetDiscount {
                discount: Some(orderlog::domain::Discount::Percent(
                    orderlog::domain::Rate::parse("10").unwrap(),
                )),
            },
        )
        .order("a", place());
    // A cancelled order's discount is not counted.
    shop.order("b", create(JAN_2026, vec![line(1, "TEA-1", 1, 450, 50)]))
        .order("b", place())
        .order("b", cancel());
    let figures = figures(&shop);
    assert_eq!(figures.discounts, cents(180));
    assert_eq!(figures.sales, cents(720));
}
