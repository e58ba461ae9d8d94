//! Small values that carry their own rules: names and SKUs that are never blank, an email
//! address, a currency code, a quantity that is never zero, a line id, a UTC timestamp. Each
//! `parse` turns what a person typed into the value or an [`InputError`] a shop owner
//! understands. Money lives in `money.rs`; values that belong to one aggregate live with it.

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
    #[error("must be an email address, like ada@example.com")]
    NotAnEmail,
    #[error("must be a three-letter currency code, like USD")]
    NotACurrency,
    #[error("must be a WebSocket address, like wss://sync.example.com")]
    NotASyncAddress,
    #[error("use only letters, digits, - and _")]
    NotAShopName,
    #[error("must be from 0% to 100%")]
    RateOutOfRange,
    #[error("is not an ISO 4217 currency, like USD, EUR or JPY")]
    UnknownCurrency,
    #[error("must be a time zone name, like Europe/Paris or America/New_York")]
    NotATimeZone,
    #[error("this currency has no minor units: use whole amounts")]
    NoDecimals,
    #[error("must be one of the rates above")]
    NotARate,
    #[error("must be a percentage, like 10%, or an amount, like 1.50")]
    NotADiscount,
    #[error("must be a phone number: digits, spaces, and + - ( ) only")]
    NotAPhone,
    #[error("a tag cannot hold a comma")]
    CommaInTag,
}

pub(crate) fn bounded_text(text: &str, max: usize) -> Result<String, InputError> {
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

/// The seller's own name for an order, such as a marketplace's order number. Optional on an
/// order: the orders list numbers orders itself (#1001, #1002, …). At most 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderName(String);

impl OrderName {
    pub const MAX_CHARS: usize = 64;

    /// # Errors
    /// [`InputError::Empty`] for a blank name, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<OrderName, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(OrderName)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A customer's phone number as written (`+44 20 7946 0000`, `(555) 010-0199`): at most 32
/// characters of digits, spaces and `+ - ( ) .`, with at least three digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub const MAX_CHARS: usize = 32;

    /// # Errors
    /// [`InputError::Empty`], [`InputError::TooLong`], or [`InputError::NotAPhone`].
    pub fn parse(text: &str) -> Result<Phone, InputError> {
        let text = bounded_text(text, Self::MAX_CHARS)?;
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
        if !allowed || text.chars().filter(char::is_ascii_digit).count() < 3 {
            return Err(InputError::NotAPhone);
        }
        Ok(Phone(text))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A word a seller files customers or orders under (`wholesale`, `gift`): trimmed, at most 32
/// characters, no comma (tags are typed as a comma-separated list). Two tags that differ only
/// in case are the same tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tag(String);

impl Tag {
    pub const MAX_CHARS: usize = 32;

    /// # Errors
    /// [`InputError::Empty`], [`InputError::TooLong`], or [`InputError::CommaInTag`].
    pub fn parse(text: &str) -> Result<Tag, InputError> {
        let text = bounded_text(text, Self::MAX_CHARS)?;
        if text.contains(',') {
            return Err(InputError::CommaInTag);
        }
        Ok(Tag(text))
    }

    /// Tags typed as `gift, wholesale`: each one parsed, blanks skipped, the same tag (in
    /// any case) kept once, in the order first typed.
    ///
    /// # Errors
    /// The first tag refused.
    pub fn parse_list(text: &str) -> Result<Vec<Tag>, InputError> {
        let mut tags: Vec<Tag> = Vec::new();
        for part in text.split(',').filter(|part| !part.trim().is_empty()) {
            let tag = Tag(bounded_text(part, Self::MAX_CHARS)?);
            if !tags.iter().any(|known| known.same_as(&tag)) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    /// The same tag, whatever the case.
    #[must_use]
    pub fn same_as(&self, other: &Tag) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A customer's email address, checked lightly: one `@` with text on both sides, no spaces,
/// at most 254 characters. Whether it reaches anyone is not this type's business.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    /// # Errors
    /// [`InputError::Empty`] for a blank address, [`InputError::TooLong`] past
    /// [`Self::MAX_CHARS`], [`InputError::NotAnEmail`] for anything else that is not
    /// `someone@somewhere`.
    pub fn parse(text: &str) -> Result<Email, InputError> {
        let text = bounded_text(text, Self::MAX_CHARS)?;
        let mut parts = text.split('@');
        let well_formed = matches!(
            (parts.next(), parts.next(), parts.next()),
            (Some(local), Some(domain), None) if !local.is_empty() && !domain.is_empty()
        );
        if !well_formed || text.chars().any(char::is_whitespace) {
            return Err(InputError::NotAnEmail);
        }
        Ok(Email(text))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 4217 style currency code: three uppercase ASCII letters, such as `USD`. Stored as
/// the text `"USD"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The currency with this code, for constants: `Currency::new(*b"USD")`.
    ///
    /// # Panics
    /// When `code` is not three uppercase ASCII letters; in a `const` that is a compile error.
    #[must_use]
    pub const fn new(code: [u8; 3]) -> Currency {
        assert!(
            code[0].is_ascii_uppercase()
                && code[1].is_ascii_uppercase()
                && code[2].is_ascii_uppercase(),
            "a currency code is three uppercase ASCII letters"
        );
        Currency(code)
    }

    /// Reads a code as typed: trimmed, and `usd` is taken as `USD`.
    ///
    /// # Errors
    /// [`InputError::Empty`] for a blank field, [`InputError::NotACurrency`] for anything
    /// but three ASCII letters.
    pub fn parse(text: &str) -> Result<Currency, InputError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(InputError::Empty);
        }
        match text.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_alphabetic) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(InputError::NotACurrency),
        }
    }

    /// Reads a code as typed and checks that ISO 4217 lists it: what a shop may choose.
    /// Stored orders keep any three letters they were recorded with ([`Currency::parse`]).
    ///
    /// # Errors
    /// As [`Currency::parse`], and [`InputError::UnknownCurrency`] for a code ISO 4217 does
    /// not list or that has no minor units (gold, special drawing rights).
    pub fn parse_known(text: &str) -> Result<Currency, InputError> {
        let currency = Currency::parse(text)?;
        match iso_currency::Currency::from_code(&currency.to_string())
            .map(iso_currency::Currency::exponent)
        {
            Some(Some(_)) => Ok(currency),
            _ => Err(InputError::UnknownCurrency),
        }
    }

    /// Its minor units as ISO 4217 gives them: 2 for USD, 0 for JPY, 3 for BHD; 2 for a code
    /// it does not list.
    #[must_use]
    pub fn minor_units(self) -> u8 {
        iso_currency::Currency::from_code(&self.to_string())
            .and_then(iso_currency::Currency::exponent)
            .and_then(|e| u8::try_from(e).ok())
            .unwrap_or(2)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .iter()
            .try_for_each(|&letter| write!(f, "{}", char::from(letter)))
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Currency, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// What a product is called on an order line or in the catalogue. Trimmed, never blank, at
/// most 200 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProductName(String);

impl ProductName {
    pub const MAX_CHARS: usize = 200;

    /// # Errors
    /// [`InputError::Empty`] for a blank name, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<ProductName, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(ProductName)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text a seller writes down: a note on an order, the reason for a cancellation or a
/// stock adjustment. Trimmed, never blank, at most 1,000 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Remark(String);

impl Remark {
    pub const MAX_CHARS: usize = 1_000;

    /// # Errors
    /// [`InputError::Empty`] for blank text, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<Remark, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(Remark)
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

/// Which line of its order a line is. Chosen by whoever sends the command (the new-order
/// form uses 1), never generated by the domain; unique within one order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LineId(pub u32);

impl fmt::Display for LineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The name of a time zone in the IANA database: `Europe/Paris`, `America/New_York`, `UTC`.
/// Only its form is checked here (the domain holds no time zone database); the shell checks
/// that the browser knows it before a shop takes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeZone(String);

impl TimeZone {
    pub const MAX_CHARS: usize = 64;

    /// # Errors
    /// [`InputError::Empty`] for a blank name, [`InputError::NotATimeZone`] for anything but
    /// letters, digits, `/`, `_`, `-` and `+`, or a name that starts or ends with `/`.
    pub fn parse(text: &str) -> Result<TimeZone, InputError> {
        let text = bounded_text(text, Self::MAX_CHARS)?;
        let allowed = |c: char| c.is_ascii_alphanumeric() || "/_-+".contains(c);
        if !text.chars().all(allowed) || text.starts_with('/') || text.ends_with('/') {
            return Err(InputError::NotATimeZone);
        }
        Ok(TimeZone(text))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for TimeZone {
    fn default() -> TimeZone {
        TimeZone("UTC".to_owned())
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

    #[test]
    fn emails_with_one_at_and_text_on_both_sides_are_accepted_trimmed() {
        assert_eq!(
            Email::parse(" ada@example.com ").map(|e| e.as_str().to_owned()),
            Ok("ada@example.com".to_owned())
        );
        assert!(Email::parse("a@b").is_ok());
    }

    #[test]
    fn bad_emails_are_rejected_with_the_reason() {
        let longest_local = "a".repeat(Email::MAX_CHARS - 2);
        assert!(Email::parse(&format!("{longest_local}@b")).is_ok());
        for (text, error) in [
            ("", InputError::Empty),
            ("ada", InputError::NotAnEmail),
            ("@example.com", InputError::NotAnEmail),
            ("ada@", InputError::NotAnEmail),
            ("ada@@example.com", InputError::NotAnEmail),
            ("a@b@c", InputError::NotAnEmail),
            ("ada lovelace@example.com", InputError::NotAnEmail),
            (
                &format!("{longest_local}a@b"),
                InputError::TooLong { max: 254 },
            ),
        ] {
            assert_eq!(Email::parse(text), Err(error), "parsing {text:?}");
        }
    }

    #[test]
    fn currency_codes_are_three_letters_read_as_uppercase() {
        assert_eq!(Currency::parse(" usd "), Ok(Currency::new(*b"USD")));
        assert_eq!(
            Currency::parse("EUR").map(|c| c.to_string()),
            Ok("EUR".into())
        );
    }

    #[test]
    fn bad_currency_codes_are_rejected_with_the_reason() {
        for (text, error) in [
            ("", InputError::Empty),
            ("US", InputError::NotACurrency),
            ("USDX", InputError::NotACurrency),
            ("U$D", InputError::NotACurrency),
            ("ÜSD", InputError::NotACurrency),
        ] {
            assert_eq!(Currency::parse(text), Err(error), "parsing {text:?}");
        }
    }

    #[test]
    fn a_currency_is_stored_as_its_code_and_read_back_only_if_valid() {
        let usd = Currency::new(*b"USD");
        assert_eq!(serde_json::to_string(&usd).unwrap(), r#""USD""#);
        assert_eq!(serde_json::from_str::<Currency>(r#""USD""#).unwrap(), usd);
        assert!(serde_json::from_str::<Currency>(r#""DOLLARS""#).is_err());
    }

    #[test]
    fn names_and_remarks_are_trimmed_bounded_and_never_blank() {
        assert_eq!(
            OrderName::parse(" #77 ").map(|n| n.as_str().to_owned()),
            Ok("#77".into())
        );
        assert_eq!(OrderName::parse(""), Err(InputError::Empty));
        assert_eq!(
            ProductName::parse(&"x".repeat(201)),
            Err(InputError::TooLong { max: 200 })
        );
        assert_eq!(Remark::parse(" \n "), Err(InputError::Empty));
        assert_eq!(
            Remark::parse(&"x".repeat(1_001)),
            Err(InputError::TooLong { max: 1_000 })
        );
    }
}
