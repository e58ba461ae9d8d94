//! The cash-up as specifications: a shop's day, written by real commands, and every figure
//! of its cash-up worked by hand; a day is cut at the shop's midnight; a later day's events
//! (a void, a return with its refund, a cancellation) never change an earlier day's cash-up;
//! and the CSV holds the same figures.

use orderlog::domain::{
    Money, OrderCommand, PaymentMethod, Quantity, Rate, RateName, RefundGiven, Remark,
    ReturnedLine, TaxRate, Timestamp,
};
use orderlog::io::cash_up;
use orderlog::read::{CashUp, FixedOffset, MethodMoney, ReadModels};
use time::macros::date;

use crate::support::shop::{cents, create, fulfil_all, line, usd, Shop, JAN_2026};

/// New York in winter: five hours behind UTC.
const NEW_YORK: FixedOffset = FixedOffset(-300);
const HOUR: i64 = 3_600_000;

/// `hours` after midnight of 1 January 2026 in New York.
fn ny(hours: f64) -> Timestamp {
    #[allow(clippy::cast_possible_truncation)]
    Timestamp(JAN_2026.0 + 5 * HOUR + (hours * 3_600_000.0) as i64)
}

fn paid(amount: u64, method: PaymentMethod, at: Timestamp) -> OrderCommand {
    OrderCommand::RecordPayment {
        amount: cents(amount),
        currency: usd(),
        method,
        at,
    }
}

fn cash_up(shop: &Shop, from: time::Date, to: time::Date) -> CashUp {
    shop.fold::<ReadModels>().cash_up(from, to, &NEW_YORK)
}

fn method(
    method: PaymentMethod,
    (payment_count, payments): (u64, u64),
    voids: u64,
    (refund_count, refunds): (u64, u64),
) -> MethodMoney {
    MethodMoney {
        method: Some(method),
        payments: cents(payments),
        payment_count,
        voids: cents(voids),
        refunds: cents(refunds),
        refund_count,
    }
}

/// New Year's Day at a New York stall:
/// - order a at 10:00: 2 × tea at 4.50 and a 12.50 mug at 20% (2.50 tax), 24.00, paid in
///   cash and handed over;
/// - order b at 15:00: a 30.00 pot less 10%, 27.00, 10.00 by card and 17.00 by transfer;
/// - order c at 23:30 (already 2 January in UTC): 5.00 tea paid in cash.
///
/// And an order d placed at 00:30 on 2 January: not that day's.
fn new_years_day() -> Shop {
    let mut shop = Shop::default();
    shop.stocked("TEA", "Tea", 450, 10)
        .stocked("MUG", "Mug", 1_250, 10)
        .stocked("POT", "Pot", 3_000, 10);
    let vat = TaxRate {
        name: RateName::parse("VAT").unwrap(),
        rate: Rate::parse("20").unwrap(),
    };
    let mug = orderlog::domain::OrderLine {
        tax: Some(vat),
        ..line(2, "MUG", 1, 1_250, 0)
    };
    let pot = orderlog::domain::OrderLine {
        discount_percent: Some(Rate::parse("10").unwrap()),
        ..line(1, "POT", 1, 3_000, 0)
    };
    shop.order("a", create(ny(10.0), vec![line(1, "TEA", 2, 450, 0), mug]))
        .order("a", OrderCommand::Place { at: ny(10.0) })
        .order("a", paid(2_400, PaymentMethod::Cash, ny(10.0)))
        .order("a", fulfil_all())
        .order("b", create(ny(15.0), vec![pot]))
        .order("b", OrderCommand::Place { at: ny(15.0) })
        .order("b", paid(1_000, PaymentMethod::Card, ny(15.0)))
        .order("b", paid(1_700, PaymentMethod::BankTransfer, ny(15.1)))
        .order("c", create(ny(23.5), vec![line(1, "TEA", 1, 500, 0)]))
        .order("c", OrderCommand::Place { at: ny(23.5) })
        .order("c", paid(500, PaymentMethod::Cash, ny(23.5)))
        .order("d", create(ny(24.5), vec![line(1, "TEA", 1, 450, 0)]))
        .order("d", OrderCommand::Place { at: ny(24.5) })
        .order("d", paid(450, PaymentMethod::Cash, ny(24.5)));
    shop
}

#[test]
fn a_days_cash_up_counts_what_each_method_took_and_what_was_sold_that_day() {
    let day = cash_up(
        &new_years_day(),
        date!(2026 - 01 - 01),
        date!(2026 - 01 - 01),
    );
    assert_eq!(
        day.by_method,
        vec![
            method(PaymentMethod::Cash, (2, 2_900), 0, (0, 0)),
            method(PaymentMethod::Card, (1, 1_000), 0, (0, 0)),
            method(PaymentMethod::BankTransfer, (1, 1_700), 0, (0, 0)),
            method(PaymentMethod::Other, (0, 0), 0, (0, 0)),
        ]
    );
    assert_eq!(day.net_taken(), 5_600);
    assert_eq!((day.placed, day.sales), (3, cents(2_400 + 2_700 + 500)));
    assert_eq!(day.discounts, cents(300));
    assert_eq!(day.tax_by_rate.len(), 1);
    assert_eq!(
        (day.tax_by_rate[0].base, day.tax_by_rate[0].tax),
        (cents(1_250), cents(250))
    );
    assert_eq!((day.cancelled, day.units_returned), (0, 0));
}

#[test]
fn a_day_ends_at_the_shops_midnight_and_a_range_takes_every_day_in_it() {
    let shop = new_years_day();
    let second = cash_up(&shop, date!(2026 - 01 - 02), date!(2026 - 01 - 02));
    assert_eq!((second.placed, second.sales), (1, cents(450)));
    assert_eq!(second.net_taken(), 450);
    let both = cash_up(&shop, date!(2026 - 01 - 01), date!(2026 - 01 - 02));
    assert_eq!((both.placed, both.net_taken()), (4, 6_050));
    let before = cash_up(&shop, date!(2025 - 12 - 31), date!(2025 - 12 - 31));
    assert_eq!(
        (before.placed, before.net_taken(), before.sales),
        (0, 0, Money::ZERO)
    );
}

#[test]
fn a_later_void_return_or_cancellation_counts_on_its_own_day_and_never_changes_a_past_one() {
    let mut shop = new_years_day();
    let first = date!(2026 - 01 - 01);
    let second = date!(2026 - 01 - 02);
    let as_it_was = cash_up(&shop, first, first);

    // 2 January: the transfer was a mistake, a tea of order a comes back to the shelf with
    // its 4.50 in cash, and order c is cancelled with its 5.00 refunded in cash.
    shop.order(
        "b",
        OrderCommand::VoidPayment {
            payment: 2,
            reason: Remark::parse("never arrived").unwrap(),
            at: ny(33.0),
        },
    )
    .order(
        "a",
        OrderCommand::Return {
            lines: vec![ReturnedLine {
                line_id: orderlog::domain::LineId(1),
                quantity: Quantity::new(1).unwrap(),
                restock: true,
            }],
            refund: Some(RefundGiven {
                amount: cents(450),
                currency: usd(),
                method: PaymentMethod::Cash,
            }),
            at: ny(34.0),
        },
    )
    .order(
        "c",
        OrderCommand::Cancel {
            reason: Remark::parse("wrong tea").unwrap(),
            at: ny(35.0),
        },
    )
    .order(
        "c",
        OrderCommand::RecordRefund {
            amount: cents(500),
            currency: usd(),
            method: Some(PaymentMethod::Cash),
            at: ny(35.0),
        },
    );

    assert_eq!(
        cash_up(&shop, first, first),
        as_it_was,
        "1 January is as it was"
    );
    let next = cash_up(&shop, second, second);
    assert_eq!(
        next.by_method,
        vec![
            method(PaymentMethod::Cash, (1, 450), 0, (2, 950)),
            method(PaymentMethod::Card, (0, 0), 0, (0, 0)),
            method(PaymentMethod::BankTransfer, (0, 0), 1_700, (0, 0)),
            method(PaymentMethod::Other, (0, 0), 0, (0, 0)),
        ]
    );
    assert_eq!(next.net_taken(), 450 - 950 - 1_700);
    assert_eq!((next.cancelled, next.cancelled_sales), (1, cents(500)));
    assert_eq!((next.units_returned, next.units_restocked), (1, 1));
    assert_eq!((next.placed, next.sales), (1, cents(450)), "order d only");
}

#[test]
fn refunds_recorded_without_a_method_are_listed_apart() {
    let mut shop = new_years_day();
    shop.order(
        "a",
        OrderCommand::RecordRefund {
            amount: cents(100),
            currency: usd(),
            method: None,
            at: ny(11.0),
        },
    );
    let day = cash_up(&shop, date!(2026 - 01 - 01), date!(2026 - 01 - 01));
    assert_eq!(
        day.by_method.last(),
        Some(&MethodMoney {
            method: None,
            refunds: cents(100),
            refund_count: 1,
            ..MethodMoney::default()
        })
    );
    assert_eq!(day.net_taken(), 5_500);
}

#[test]
fn the_csv_holds_every_figure_of_the_cash_up() {
    let day = cash_up(
        &new_years_day(),
        date!(2026 - 01 - 01),
        date!(2026 - 01 - 01),
    );
    let text = cash_up::write(&day, usd()).unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|row| row.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let find = |section: &str, item: &str| {
        rows.iter()
            .find(|row| row[0] == section && row[1] == item)
            .unwrap_or_else(|| panic!("no {section} {item} in {text}"))
            .clone()
    };
    assert!(text.starts_with("section,item,count,base,amount\n"));
    assert_eq!(find("period", "from")[4], "2026-01-01");
    assert_eq!(find("payments", "Cash")[2..], ["2", "", "29.00"]);
    assert_eq!(find("payments", "Bank transfer")[4], "17.00");
    assert_eq!(find("net", "Total")[4], "56.00");
    assert_eq!(find("sales", "Orders placed")[2..], ["3", "", "56.00"]);
    assert_eq!(find("tax", "VAT 20%")[3..], ["12.50", "2.50"]);
    assert_eq!(find("returns", "Units returned")[2], "0");
    assert_eq!(
        cash_up::signed_plain(-1_234, usd()),
        "-12.34",
        "a day that gave back more than it took"
    );
}
