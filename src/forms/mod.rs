//! What a seller types into a form, turned into commands: every field's text either parses
//! into the domain's values or yields the reason shown for it. Pure and tested natively:
//! no signals, no storage, no clock. A command that carries a time leaves a form
//! [`Unstamped`]: the command path gives it the instant it runs it, the one it records it at.
//!
//! One convention for every form: a parser returns the command or a [`FormError`] naming
//! each refused field. A control shows it as one message beside its button; the new-order
//! form shows each field's reason next to that field.
//!
//! - [`customer`]: a customer's details, and merging two customers.
//! - [`new_order`]: the new-order form (a customer and one line).
//! - [`order`]: the controls of an order's page (lines, charges, payment, fulfilment, …).
//! - [`product`]: the controls of the products view (register, receive, adjust, reorder).
//! - [`settings`]: the shop's settings page (details, currency, time zone, tax rates).
//! - [`sync`]: the Sync page (server, shop, user, password).
//!
//! Numbers arrive as the browser's locale writes them ([`typed_decimal`] reads `4,50` in a
//! locale whose decimal separator is a comma).

pub mod customer;
pub mod new_order;
pub mod order;
pub mod product;
pub mod settings;
pub mod sync;

use std::fmt;

use crate::domain::{Currency, Discount, InputError, Money, Rate, Timestamp};

pub use new_order::OrderForm;

/// Why the text of a form makes no command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    /// The field of a form that has only one, refused for this reason; shown alone.
    Field(InputError),
    /// The refused fields of a form with several, each with its label, in the form's order;
    /// shown as `Label: reason`, joined by `; `.
    Fields(Vec<(&'static str, InputError)>),
}

impl FormError {
    /// One refused field of a form with several.
    #[must_use]
    pub fn named(label: &'static str, reason: InputError) -> FormError {
        FormError::Fields(vec![(label, reason)])
    }

    /// Why the field labelled `label` was refused, if it was.
    #[must_use]
    pub fn reason(&self, label: &str) -> Option<InputError> {
        match self {
            FormError::Field(_) => None,
            FormError::Fields(fields) => fields
                .iter()
                .find(|(field, _)| *field == label)
                .map(|(_, reason)| *reason),
        }
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::Field(reason) => reason.fmt(f),
            FormError::Fields(fields) => {
                for (n, (label, reason)) in fields.iter().enumerate() {
                    let separator = if n == 0 { "" } else { "; " };
                    write!(f, "{separator}{label}: {reason}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FormError {}

/// A decimal number as typed in a locale whose decimal separator is `decimal`, written with a
/// point and comma-grouped as the parsers read it. With a comma decimal (`de-DE`, `fr-FR`):
/// `4,50` is 4.50, `1.234,50` is 1,234.50, spaces group thousands, and a point is taken as
/// grouping only before groups of three digits (`1.234`), else as the decimal point (`4.50`).
/// With a point decimal, the text is left as typed.
#[must_use]
pub fn typed_decimal(text: &str, decimal: char) -> String {
    if decimal != ',' {
        return text.to_owned();
    }
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if text.contains(',') {
        return text.replace('.', "").replace(',', ".");
    }
    let mut groups = text.split('.');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    let grouped = !rest.is_empty()
        && (1..=3).contains(&first.trim_start_matches('-').len())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    if grouped {
        text.replace('.', "")
    } else {
        text
    }
}

/// An amount typed in `currency`, in its minor units (none for JPY, three for BHD).
///
/// # Errors
/// Why the amount is refused ([`Money::parse_in`]).
pub fn amount(text: &str, currency: Currency) -> Result<Money, InputError> {
    Money::parse_in(text, currency.minor_units())
}

/// An amount where an empty field means zero.
///
/// # Errors
/// Why a typed amount is refused.
pub fn amount_or_zero(text: &str, currency: Currency) -> Result<Money, InputError> {
    if text.trim().is_empty() {
        Ok(Money::ZERO)
    } else {
        amount(text, currency)
    }
}

/// A discount as typed: `10%` a percentage, `1.50` an amount in `currency`, empty none.
///
/// # Errors
/// A percentage outside 0% to 100%, or an amount that does not parse.
pub fn discount(text: &str, currency: Currency) -> Result<Option<Discount>, InputError> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.ends_with('%') {
        Rate::parse(text).map(|rate| Some(Discount::Percent(rate)))
    } else {
        amount(text, currency)
            .map(|amount| Some(Discount::Amount(amount)))
            .map_err(|error| match error {
                InputError::NotANumber => InputError::NotADiscount,
                other => other,
            })
    }
}

/// A form's fields parsed one after another, keeping every refusal, so that the form names
/// each bad field at once instead of only the first.
#[derive(Default)]
struct Fields(Vec<(&'static str, InputError)>);

/// Optional text: empty is `None`.
pub(super) fn optional<T>(
    text: &str,
    parse: fn(&str) -> Result<T, InputError>,
) -> Result<Option<T>, InputError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

impl Fields {
    /// The value of the field labelled `label`, or `None` with its refusal kept.
    fn check<T>(&mut self, label: &'static str, parsed: Result<T, InputError>) -> Option<T> {
        parsed.map_err(|reason| self.0.push((label, reason))).ok()
    }

    /// Every refusal kept.
    fn refused(self) -> FormError {
        FormError::Fields(self.0)
    }
}

/// A command built from what the seller typed, waiting for its time: the command path
/// stamps it ([`Unstamped::at`]) with the instant it runs it, the same instant it records
/// the command at, so a form never reads a clock.
pub struct Unstamped<C>(Box<dyn FnOnce(Timestamp) -> C>);

impl<C: 'static> Unstamped<C> {
    /// A command that takes its time from `build`.
    #[must_use]
    pub fn new(build: impl FnOnce(Timestamp) -> C + 'static) -> Unstamped<C> {
        Unstamped(Box::new(build))
    }

    /// The command, issued at `now`.
    #[must_use]
    pub fn at(self, now: Timestamp) -> C {
        (self.0)(now)
    }

    /// The command made into another (wrapped for its aggregate, say), still waiting for its
    /// time.
    #[must_use]
    pub fn map<D: 'static>(self, change: impl FnOnce(C) -> D + 'static) -> Unstamped<D> {
        Unstamped::new(move |now| change(self.at(now)))
    }
}

/// A command that carries no time, as it is.
impl<C: 'static> From<C> for Unstamped<C> {
    fn from(command: C) -> Unstamped<C> {
        Unstamped::new(move |_| command)
    }
}

impl<C> fmt::Debug for Unstamped<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unstamped(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_with_a_decimal_comma_read_as_their_value() {
        for (typed, read) in [
            ("4,50", "4.50"),
            ("1.234,50", "1234.50"),
            ("1 234,5", "1234.5"),
            ("1\u{202f}234,5", "1234.5"),
            ("1.234", "1234"),
            ("1.234.567", "1234567"),
            ("4.50", "4.50"),
            ("12", "12"),
            ("12.5", "12.5"),
        ] {
            assert_eq!(typed_decimal(typed, ','), read, "{typed}");
        }
        assert_eq!(typed_decimal("1,234.50", '.'), "1,234.50");
    }

    #[test]
    fn an_unstamped_command_takes_the_time_it_is_stamped_with() {
        let built = Unstamped::new(|at: Timestamp| (at, "placed")).map(|(at, what)| (at.0, what));
        assert_eq!(built.at(Timestamp(7)), (7, "placed"));
        assert_eq!(Unstamped::from("timeless").at(Timestamp(7)), "timeless");
    }

    #[test]
    fn a_single_fields_refusal_is_its_reason_alone() {
        assert_eq!(
            FormError::Field(InputError::Zero).to_string(),
            "must be at least 1"
        );
    }

    #[test]
    fn several_fields_refusals_are_named_in_the_forms_order() {
        let mut fields = Fields::default();
        assert_eq!(fields.check("Tax", Ok::<_, InputError>(1)), Some(1));
        assert_eq!(
            fields.check::<u8>("Shipping", Err(InputError::Negative)),
            None
        );
        assert_eq!(fields.check::<u8>("Note", Err(InputError::Empty)), None);
        let refused = fields.refused();
        assert_eq!(
            refused.to_string(),
            "Shipping: cannot be negative; Note: this field is required"
        );
        assert_eq!(refused.reason("Note"), Some(InputError::Empty));
        assert_eq!(refused.reason("Tax"), None);
    }
}
