//! Small values that carry their own rules: a customer name that is never blank, a SKU, a
//! quantity that is never zero, a UTC timestamp. Each `parse` turns what a person typed into
//! the value or an [`InputError`] a shop owner understands.

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a typed value was refused. The UI shows the message next to the field.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum InputError {
    #[error("this field is required")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must be a number, like 12.50")]
    NotANumber,
    #[error("must be a whole number, like 3")]
    NotAWholeNumber,
    #[error("cannot be negative")]
    Negative,
    #[error("must be at least 1")]
    Zero,
    #[error("use at most two decimals (cents)")]
    TooManyDecimals,
    #[error("is too large")]
    TooLarge,
}

fn bounded_text(text: &str, max: usize) -> Result<String, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    if text.chars().count() > max {
        return Err(InputError::TooLong { max });
    }
    Ok(text.to_owned())
}

/// The name of the customer an order is for: trimmed, never blank, at most 200 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerName(String);

impl CustomerName {
    pub const MAX_CHARS: usize = 200;

    /// # Errors
    /// [`InputError::Empty`] for a blank name, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<CustomerName, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(CustomerName)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stock keeping unit: the seller's code for a product. Trimmed, never blank, at most 64
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sku(String);

impl Sku {
    pub const MAX_CHARS: usize = 64;

    /// # Errors
    /// [`InputError::Empty`] for a blank SKU, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<Sku, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(Sku)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many units of a line: a positive whole number, at most one million.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(NonZeroU32);

impl Quantity {
    pub const MAX: u32 = 1_000_000;

    /// # Errors
    /// [`InputError::Zero`] for `0`; [`InputError::Negative`], [`InputError::NotAWholeNumber`],
    /// [`InputError::TooLarge`] or [`InputError::Empty`] for what is not a count of units.
    pub fn parse(text: &str) -> Result<Quantity, InputError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(InputError::Empty);
        }
        if text.starts_with('-') {
            return Err(InputError::Negative);
        }
        if !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(InputError::NotAWholeNumber);
        }
        let units: u32 = text.parse().map_err(|_| InputError::TooLarge)?;
        Quantity::new(units)
    }

    /// # Errors
    /// [`InputError::Zero`] for 0, [`InputError::TooLarge`] above [`Self::MAX`].
    pub fn new(units: u32) -> Result<Quantity, InputError> {
        if units > Self::MAX {
            return Err(InputError::TooLarge);
        }
        NonZeroU32::new(units).map(Quantity).ok_or(InputError::Zero)
    }

    #[must_use]
    pub fn get(self) -> u32 {
        self.0.get()
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A moment in UTC, as milliseconds since the Unix epoch. It comes in with a command; the
/// domain never reads a clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_name_is_trimmed() {
        assert_eq!(
            CustomerName::parse("  Ada Lovelace ").map(|n| n.as_str().to_owned()),
            Ok("Ada Lovelace".to_owned())
        );
    }

    #[test]
    fn a_blank_customer_name_is_rejected_as_empty() {
        assert_eq!(CustomerName::parse(""), Err(InputError::Empty));
        assert_eq!(CustomerName::parse(" \t "), Err(InputError::Empty));
    }

    #[test]
    fn a_customer_name_over_200_characters_is_rejected() {
        assert!(CustomerName::parse(&"é".repeat(200)).is_ok());
        assert_eq!(
            CustomerName::parse(&"é".repeat(201)),
            Err(InputError::TooLong { max: 200 })
        );
    }

    #[test]
    fn a_blank_sku_is_rejected_as_empty() {
        assert_eq!(Sku::parse("  "), Err(InputError::Empty));
    }

    #[test]
    fn quantities_parse_as_positive_whole_numbers() {
        assert_eq!(Quantity::parse(" 3 ").map(Quantity::get), Ok(3));
        assert_eq!(Quantity::parse("1000000").map(Quantity::get), Ok(1_000_000));
    }

    #[test]
    fn bad_quantities_are_rejected_with_the_reason() {
        for (text, error) in [
            ("0", InputError::Zero),
            ("00", InputError::Zero),
            ("", InputError::Empty),
            ("-2", InputError::Negative),
            ("1.5", InputError::NotAWholeNumber),
            ("two", InputError::NotAWholeNumber),
            ("1000001", InputError::TooLarge),
            ("99999999999", InputError::TooLarge),
        ] {
            assert_eq!(Quantity::parse(text), Err(error), "parsing {text:?}");
        }
    }
}
