//! Rates, tax and discounts, and the one rounding rule they share.
//!
//! A [`Rate`] is a percentage to the thousandth (8.875% is exact), from 0% to 100%. Every share
//! of an amount (a percentage discount, a line's tax) is rounded **half up to the minor unit,
//! per line**: an order's tax is the sum of its lines' rounded taxes, never the tax of its
//! sum. Tax on prices that exclude it is `net × rate`; on prices that include it,
//! `gross × rate / (1 + rate)`. An order's discount is shared over its lines in proportion to
//! their amounts (the largest remainders take the odd minor units), so each line's tax is on
//! what the customer pays for it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::values::{bounded_text, InputError};
use super::Money;

/// A percentage from 0% to 100%, in thousandths of a percent: `20%` is 20,000, `5.5%` 5,500.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Rate(u32);

impl Rate {
    /// Thousandths of a percent in 100%.
    pub const WHOLE: u32 = 100_000;

    /// # Errors
    /// [`InputError::RateOutOfRange`] above 100%.
    pub fn from_thousandths(thousandths: u32) -> Result<Rate, InputError> {
        if thousandths > Self::WHOLE {
            Err(InputError::RateOutOfRange)
        } else {
            Ok(Rate(thousandths))
        }
    }

    #[must_use]
    pub const fn thousandths(self) -> u32 {
        self.0
    }

    /// Reads a percentage as typed: `20`, `5.5`, `8.875`, `20 %`.
    ///
    /// # Errors
    /// An empty field, anything but a decimal number, more than three decimals, a negative
    /// rate or one above 100%, each with its own [`InputError`].
    pub fn parse(text: &str) -> Result<Rate, InputError> {
        let text = text.trim();
        let text = text.strip_suffix('%').unwrap_or(text).trim_end();
        if text.is_empty() {
            return Err(InputError::Empty);
        }
        if text.starts_with('-') {
            return Err(InputError::RateOutOfRange);
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(InputError::NotANumber);
        }
        if fraction.len() > 3 {
            return Err(InputError::TooManyDecimals);
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| InputError::RateOutOfRange)?
        };
        let fraction: u32 = format!("{fraction:0<3}")
            .parse()
            .map_err(|_| InputError::NotANumber)?;
        whole
            .checked_mul(1_000)
            .and_then(|t| t.checked_add(fraction))
            .ok_or(InputError::RateOutOfRange)
            .and_then(Rate::from_thousandths)
    }

    /// This share of `amount`, rounded half up to the minor unit.
    #[must_use]
    pub fn of(self, amount: Money) -> Money {
        Money::from_cents(divide_half_up(
            u128::from(amount.cents()) * u128::from(self.0),
            u128::from(Self::WHOLE),
        ))
    }

    /// The tax inside `gross`, a price that includes tax at this rate: `gross × rate / (1 +
    /// rate)`, rounded half up to the minor unit. Never more than `gross`.
    #[must_use]
    pub fn included_in(self, gross: Money) -> Money {
        Money::from_cents(divide_half_up(
            u128::from(gross.cents()) * u128::from(self.0),
            u128::from(Self::WHOLE + self.0),
        ))
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Rate, D::Error> {
        Rate::from_thousandths(u32::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// `20%`, `5.5%`, `8.875%`: no trailing zeros.
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 1_000, self.0 % 1_000);
        if fraction == 0 {
            write!(f, "{whole}%")
        } else {
            let fraction = format!("{fraction:03}");
            write!(f, "{whole}.{}%", fraction.trim_end_matches('0'))
        }
    }
}

/// `numerator / denominator`, rounded half up. The products here are at most
/// `u64::MAX × 200,000`, far inside `u128`; the quotient is at most the amount, so it fits
/// back into `u64`.
fn divide_half_up(numerator: u128, denominator: u128) -> u64 {
    let quotient = (numerator + denominator / 2) / denominator;
    u64::try_from(quotient).unwrap_or(u64::MAX)
}

/// What a tax rate is called on an order and a receipt: "VAT", "Reduced". Trimmed, never
/// blank, at most 40 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RateName(String);

impl RateName {
    pub const MAX_CHARS: usize = 40;

    /// # Errors
    /// [`InputError::Empty`] for a blank name, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<RateName, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(RateName)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A named tax rate, as a shop sets it and as an order line keeps it: a line keeps the rate
/// it was sold at, whatever the shop changes later.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaxRate {
    pub name: RateName,
    pub rate: Rate,
}

/// `VAT 20%`.
impl fmt::Display for TaxRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name.as_str(), self.rate)
    }
}

/// A discount on an order: a share of its lines' amounts, or a fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discount {
    Percent(Rate),
    Amount(Money),
}

impl Discount {
    /// What it takes off `amount`: never more than `amount`, so nothing goes below zero.
    #[must_use]
    pub fn of(self, amount: Money) -> Money {
        match self {
            Discount::Percent(rate) => rate.of(amount),
            Discount::Amount(fixed) => fixed.min(amount),
        }
    }
}

/// `amount` shared over `weights` in proportion, to the minor unit: the shares sum to
/// `amount` exactly (when the weights sum to at least `amount`'s base, as an order's lines
/// do for its discount), the odd minor units going to the largest remainders, the earlier
/// first. All zero weights share nothing.
#[must_use]
pub fn share(amount: Money, weights: &[Money]) -> Vec<Money> {
    let total: u128 = weights.iter().map(|w| u128::from(w.cents())).sum();
    if total == 0 {
        return vec![Money::ZERO; weights.len()];
    }
    let amount = u128::from(amount.cents());
    let mut shares: Vec<(u64, u128)> = weights
        .iter()
        .map(|weight| {
            let exact = amount * u128::from(weight.cents());
            (
                u64::try_from(exact / total).unwrap_or(u64::MAX),
                exact % total,
            )
        })
        .collect();
    let given: u128 = shares.iter().map(|(share, _)| u128::from(*share)).sum();
    let mut odd = amount.saturating_sub(given);
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    by_remainder.sort_by(|a, b| shares[*b].1.cmp(&shares[*a].1).then(a.cmp(b)));
    for index in by_remainder {
        if odd == 0 {
            break;
        }
        if shares[index].1 > 0 {
            shares[index].0 += 1;
            odd -= 1;
        }
    }
    shares
        .into_iter()
        .map(|(share, _)| Money::from_cents(share))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    #[test]
    fn rates_read_as_typed_to_the_thousandth_of_a_percent() {
        for (text, thousandths) in [
            ("20", 20_000),
            ("5.5", 5_500),
            ("8.875", 8_875),
            ("20 %", 20_000),
            ("0", 0),
            ("100", 100_000),
            (".5", 500),
        ] {
            assert_eq!(
                Rate::parse(text).map(Rate::thousandths),
                Ok(thousandths),
                "{text}"
            );
        }
    }

    #[test]
    fn rates_outside_0_to_100_percent_or_not_numbers_are_refused() {
        for (text, error) in [
            ("150", InputError::RateOutOfRange),
            ("-1", InputError::RateOutOfRange),
            ("100.001", InputError::RateOutOfRange),
            ("99999999999", InputError::RateOutOfRange),
            ("", InputError::Empty),
            ("%", InputError::Empty),
            ("twenty", InputError::NotANumber),
            ("1.2345", InputError::TooManyDecimals),
        ] {
            assert_eq!(Rate::parse(text), Err(error), "{text}");
        }
    }

    #[test]
    fn a_rate_reads_back_without_trailing_zeros() {
        assert_eq!(rate("20").to_string(), "20%");
        assert_eq!(rate("5.50").to_string(), "5.5%");
        assert_eq!(rate("8.875").to_string(), "8.875%");
        assert_eq!(rate("0.05").to_string(), "0.05%");
    }

    #[test]
    fn shares_round_half_up_to_the_minor_unit() {
        // 10% of 0.05 is 0.005: half a cent, rounded up.
        assert_eq!(rate("10").of(Money::from_cents(5)), Money::from_cents(1));
        // 10% of 0.04 is 0.004: rounded down.
        assert_eq!(rate("10").of(Money::from_cents(4)), Money::from_cents(0));
        assert_eq!(
            rate("20").of(Money::from_cents(1_000)),
            Money::from_cents(200)
        );
        assert_eq!(
            rate("100").of(Money::from_cents(999)),
            Money::from_cents(999)
        );
    }

    #[test]
    fn the_tax_inside_a_gross_price_is_rate_over_one_plus_rate() {
        // 12.00 including 20% VAT holds 2.00 of it.
        assert_eq!(
            rate("20").included_in(Money::from_cents(1_200)),
            Money::from_cents(200)
        );
        // 1.00 including 5.5%: 5.213… cents, so 5.
        assert_eq!(
            rate("5.5").included_in(Money::from_cents(100)),
            Money::from_cents(5)
        );
        // 0.21 including 5%: exactly 1 cent.
        assert_eq!(
            rate("5").included_in(Money::from_cents(21)),
            Money::from_cents(1)
        );
    }

    #[test]
    fn a_fixed_discount_never_takes_more_than_there_is() {
        let ten = Money::from_cents(1_000);
        assert_eq!(Discount::Amount(Money::from_cents(1_500)).of(ten), ten);
        assert_eq!(
            Discount::Percent(rate("15")).of(ten),
            Money::from_cents(150)
        );
    }

    #[test]
    fn a_shared_amount_sums_exactly_and_the_odd_cents_go_to_the_largest_remainders() {
        let weights = [1, 1, 1].map(Money::from_cents);
        assert_eq!(
            share(Money::from_cents(2), &weights),
            [1, 1, 0].map(Money::from_cents)
        );
        let weights = [300, 100].map(Money::from_cents);
        assert_eq!(
            share(Money::from_cents(101), &weights),
            [76, 25].map(Money::from_cents)
        );
        assert_eq!(share(Money::from_cents(5), &[Money::ZERO]), [Money::ZERO]);
    }
}
