//! A cash-up written as CSV, for a spreadsheet or the accountant: one row per figure, with
//! its section, what it is, how many (where counted), the base (tax only) and the amount,
//! amounts plain in the currency's minor units (`12.50`, `-3.00`, `1200` for yen).

use crate::domain::{Currency, Money};
use crate::read::{CashUp, MethodMoney};

/// The header row.
pub const COLUMNS: [&str; 5] = ["section", "item", "count", "base", "amount"];

/// How the cash-up names a payment method (`None`: refunds recorded without one).
#[must_use]
pub fn method_name(money: &MethodMoney) -> &'static str {
    money
        .method
        .map_or("Not recorded", crate::forms::order::method_label)
}

/// A signed amount in minor units, written plain: `-3.00`.
#[must_use]
pub fn signed_plain(cents: i128, currency: Currency) -> String {
    let minus = if cents < 0 { "-" } else { "" };
    let size = u64::try_from(cents.unsigned_abs()).unwrap_or(u64::MAX);
    format!(
        "{minus}{}",
        Money::from_cents(size).to_plain_in(currency.minor_units())
    )
}

/// The cash-up in `currency` as CSV text.
///
/// # Errors
/// Only if the CSV writer fails, which writing to memory does not.
pub fn write(cash_up: &CashUp, currency: Currency) -> Result<String, String> {
    let plain = |amount: Money| amount.to_plain_in(currency.minor_units());
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut row =
        |section: &str, item: &str, count: Option<u64>, base: Option<Money>, amount: String| {
            rows.push([
                section.to_owned(),
                item.to_owned(),
                count.map(|n| n.to_string()).unwrap_or_default(),
                base.map(plain).unwrap_or_default(),
                amount,
            ]);
        };
    row("period", "from", None, None, cash_up.from.to_string());
    row("period", "to", None, None, cash_up.to.to_string());
    row("period", "currency", None, None, currency.to_string());
    for money in &cash_up.by_method {
        let name = method_name(money);
        row(
            "payments",
            name,
            Some(money.payment_count),
            None,
            plain(money.payments),
        );
        row("voids", name, None, None, plain(money.voids));
        row(
            "refunds",
            name,
            Some(money.refund_count),
            None,
            plain(money.refunds),
        );
        row("net", name, None, None, signed_plain(money.net(), currency));
    }
    let totals = cash_up.totals();
    row(
        "payments",
        "Total",
        Some(totals.payment_count),
        None,
        plain(totals.payments),
    );
    row("voids", "Total", None, None, plain(totals.voids));
    row(
        "refunds",
        "Total",
        Some(totals.refund_count),
        None,
        plain(totals.refunds),
    );
    row(
        "net",
        "Total",
        None,
        None,
        signed_plain(cash_up.net_taken(), currency),
    );
    row(
        "sales",
        "Orders placed",
        Some(cash_up.placed),
        None,
        plain(cash_up.sales),
    );
    row("sales", "Discounts", None, None, plain(cash_up.discounts));
    for at_rate in &cash_up.tax_by_rate {
        let name = at_rate
            .rate
            .as_ref()
            .map_or_else(|| "Tax charged".to_owned(), ToString::to_string);
        row("tax", &name, None, Some(at_rate.base), plain(at_rate.tax));
    }
    row(
        "sales",
        "Orders cancelled",
        Some(cash_up.cancelled),
        None,
        plain(cash_up.cancelled_sales),
    );
    row(
        "returns",
        "Units returned",
        Some(cash_up.units_returned),
        None,
        String::new(),
    );
    row(
        "returns",
        "Units restocked",
        Some(cash_up.units_restocked),
        None,
        String::new(),
    );
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for record in rows {
        writer.write_record(record).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
