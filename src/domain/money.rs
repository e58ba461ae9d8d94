//! Money as integer minor units (cents): never a float, never negative, and every sum or
//! product checked, so an overflow is an error and never a wrap.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::values::{Currency, InputError};

/// An amount of money in minor units (cents). It cannot be negative.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(u64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// The largest amount a form accepts: 1,000,000,000.00. Far above any real order line,
    /// and low enough that every figure stays exact in a JavaScript number.
    pub const MAX_INPUT: Money = Money(100_000_000_000);

    #[must_use]
    pub const fn from_cents(cents: u64) -> Money {
        Money(cents)
    }

    #[must_use]
    pub const fn cents(self) -> u64 {
        self.0
    }

    #[must_use]
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` when that would be negative.
    #[must_use]
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `self + other`, stopping at the largest amount. Only for folding events that a decider
    /// already checked with [`Money::checked_add`]: folds are total and never fail.
    #[must_use]
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    #[must_use]
    pub fn checked_mul(self, factor: u64) -> Option<Money> {
        self.0.checked_mul(factor).map(Money)
    }

    /// Parses what a person types as a price in a currency with two decimals: `12`, `12.5`,
    /// `12.50`, `1,234.50`, `$3`.
    ///
    /// # Errors
    /// As [`Money::parse_in`].
    pub fn parse(text: &str) -> Result<Money, InputError> {
        Money::parse_in(text, 2)
    }

    /// Parses what a person types as a price in a currency with `minor_units` decimals (2
    /// for USD, 0 for JPY, 3 for BHD): `1,234.5` is 123,450 minor units of USD and 1,234,500
    /// of BHD. A comma groups thousands; the point is the decimal point.
    ///
    /// # Errors
    /// An empty field, anything that is not a decimal number, a negative amount, more
    /// decimals than the currency has, or an amount above [`Money::MAX_INPUT`] (in cents,
    /// whatever the currency), each with its own [`InputError`].
    pub fn parse_in(text: &str, minor_units: u8) -> Result<Money, InputError> {
        let text = text.trim();
        let text = text.strip_prefix('$').unwrap_or(text).trim_start();
        if text.is_empty() {
            return Err(InputError::Empty);
        }
        if text.starts_with('-') {
            return Err(InputError::Negative);
        }
        let digits: String = text.chars().filter(|c| *c != ',').collect();
        let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(InputError::NotANumber);
        }
        let places = usize::from(minor_units);
        let fraction = if places == 0 {
            // "1200." or "1200.00" in yen is still 1200.
            fraction.trim_end_matches('0')
        } else {
            fraction
        };
        if fraction.len() > places {
            return Err(if places == 0 {
                InputError::NoDecimals
            } else {
                InputError::TooManyDecimals
            });
        }
        let scale = 10_u64.pow(u32::from(minor_units));
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| InputError::TooLarge)?
        };
        let fraction: u64 = if places == 0 {
            0
        } else {
            format!("{fraction:0<places$}")
                .parse()
                .map_err(|_| InputError::NotANumber)?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|c| c.checked_add(fraction))
            .ok_or(InputError::TooLarge)?;
        if minor > Money::MAX_INPUT.0 {
            return Err(InputError::TooLarge);
        }
        Ok(Money(minor))
    }

    /// `1234.50` for two minor units, `1235` for none, `1.235` for three: no grouping, as
    /// files and form fields want it.
    #[must_use]
    pub fn to_plain_in(self, minor_units: u8) -> String {
        if minor_units == 0 {
            return self.0.to_string();
        }
        let scale = 10_u64.pow(u32::from(minor_units));
        let places = usize::from(minor_units);
        format!("{}.{:0places$}", self.0 / scale, self.0 % scale)
    }
}

impl Money {
    /// `1234.50`: no thousands separators, as files (CSV) want it.
    #[must_use]
    pub fn to_plain(self) -> String {
        self.to_plain_in(2)
    }
}

/// `1234.5` dollars shows as `1,234.50`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_grouped(f, *self, 2)
    }
}

/// `money` with grouped thousands and `minor_units` decimals.
fn write_grouped(f: &mut fmt::Formatter<'_>, money: Money, minor_units: u8) -> fmt::Result {
    let scale = 10_u64.pow(u32::from(minor_units));
    let whole = (money.0 / scale).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if minor_units == 0 {
        f.write_str(&grouped)
    } else {
        let places = usize::from(minor_units);
        write!(f, "{grouped}.{:0places$}", money.0 % scale)
    }
}

/// An amount in a currency, as the domain's refusals say it: grouped thousands and the
/// currency's own minor units (`1,234.50` of USD, `1,235` of JPY, `1.235` of BHD). The
/// browser's locale is the UI's business (`ui::locale`), not the domain's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount {
    pub money: Money,
    pub currency: Currency,
}

impl Money {
    /// This amount of `currency`.
    #[must_use]
    pub fn of(self, currency: Currency) -> Amount {
        Amount {
            money: self,
            currency,
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_grouped(f, self.money, self.currency.minor_units())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_to_exact_cents() {
        for (text, cents) in [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            (" 0.99 ", 99),
            (".5", 50),
            ("3.", 300),
            ("$4.05", 405),
            ("1,234.56", 123_456),
            ("0", 0),
        ] {
            assert_eq!(
                Money::parse(text),
                Ok(Money::from_cents(cents)),
                "parsing {text:?}"
            );
        }
    }

    #[test]
    fn bad_prices_are_rejected_with_the_reason() {
        for (text, error) in [
            ("", InputError::Empty),
            ("   ", InputError::Empty),
            ("abc", InputError::NotANumber),
            ("1.2.3", InputError::NotANumber),
            ("1e3", InputError::NotANumber),
            (".", InputError::NotANumber),
            ("-1", InputError::Negative),
            ("-0.01", InputError::Negative),
            ("1.999", InputError::TooManyDecimals),
            ("1000000000.01", InputError::TooLarge),
            ("99999999999999999999999", InputError::TooLarge),
        ] {
            assert_eq!(Money::parse(text), Err(error), "parsing {text:?}");
        }
    }

    #[test]
    fn amounts_parse_in_the_minor_units_of_their_currency() {
        assert_eq!(Money::parse_in("1,234", 0), Ok(Money::from_cents(1_234)));
        assert_eq!(Money::parse_in("1200.00", 0), Ok(Money::from_cents(1_200)));
        assert_eq!(Money::parse_in("12.5", 0), Err(InputError::NoDecimals));
        assert_eq!(Money::parse_in("1.5", 3), Ok(Money::from_cents(1_500)));
        assert_eq!(Money::parse_in("0.125", 3), Ok(Money::from_cents(125)));
        assert_eq!(
            Money::parse_in("0.1255", 3),
            Err(InputError::TooManyDecimals)
        );
        assert_eq!(Money::from_cents(1_235).to_plain_in(0), "1235");
        assert_eq!(Money::from_cents(1_235).to_plain_in(3), "1.235");
        assert_eq!(Money::from_cents(5).to_plain_in(2), "0.05");
    }

    #[test]
    fn money_displays_with_two_decimals_and_grouped_thousands() {
        assert_eq!(Money::from_cents(0).to_string(), "0.00");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
        assert_eq!(Money::from_cents(123_456).to_string(), "1,234.56");
        assert_eq!(Money::from_cents(100_000_000).to_string(), "1,000,000.00");
    }

    #[test]
    fn an_amount_says_its_currencys_minor_units() {
        let amount = |code: &[u8; 3]| Money::from_cents(1_234_567).of(Currency::new(*code));
        assert_eq!(amount(b"USD").to_string(), "12,345.67");
        assert_eq!(amount(b"JPY").to_string(), "1,234,567");
        assert_eq!(amount(b"BHD").to_string(), "1,234.567");
    }

    #[test]
    fn overflow_is_none_never_a_wrap() {
        assert_eq!(
            Money::from_cents(u64::MAX).checked_add(Money::from_cents(1)),
            None
        );
        assert_eq!(Money::from_cents(u64::MAX / 2 + 1).checked_mul(2), None);
    }

    #[test]
    fn subtracting_more_than_there_is_is_none_never_a_wrap() {
        assert_eq!(
            Money::from_cents(5).checked_sub(Money::from_cents(3)),
            Some(Money::from_cents(2))
        );
        assert_eq!(Money::from_cents(3).checked_sub(Money::from_cents(5)), None);
    }

    #[test]
    fn a_saturating_sum_stops_at_the_largest_amount() {
        assert_eq!(
            Money::from_cents(u64::MAX).saturating_add(Money::from_cents(1)),
            Money::from_cents(u64::MAX)
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_amount_a_form_accepts_reads_back_from_its_display(cents in 0..=Money::MAX_INPUT.cents()) {
            let money = Money::from_cents(cents);
            prop_assert_eq!(Money::parse(&money.to_string()), Ok(money));
        }

        #[test]
        fn any_amount_reads_back_from_its_plain_text_in_any_minor_units(
            minor in 0..=Money::MAX_INPUT.cents(),
            units in 0_u8..=3,
        ) {
            let money = Money::from_cents(minor);
            prop_assert_eq!(Money::parse_in(&money.to_plain_in(units), units), Ok(money));
        }
    }
}
