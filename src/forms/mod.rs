//! What a seller types into a form, turned into commands: every field's text either parses
//! into the domain's values or yields the reason shown for it. Pure and tested natively:
//! no signals, no storage, no clock. A command that carries a time leaves a form
//! [`Unstamped`]: the command path gives it the instant it runs it, the one it records it at.
//!
//! One convention for every form: a parser returns the command or a [`FormError`] naming
//! each refused field. A control shows it as one message beside its button; the new-order
//! form shows each field's reason next to that field.
//!
//! - [`new_order`]: the new-order form (a customer and one line).
//! - [`order`]: the controls of an order's page (lines, charges, payment, fulfilment, …).
//! - [`product`]: the controls of the products view (register, receive, adjust, reorder).
//! - [`sync`]: the Sync page (server, shop, user, password).

pub mod new_order;
pub mod order;
pub mod product;
pub mod sync;

use std::fmt;

use crate::domain::{InputError, Timestamp};

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

/// A form's fields parsed one after another, keeping every refusal, so that the form names
/// each bad field at once instead of only the first.
#[derive(Default)]
struct Fields(Vec<(&'static str, InputError)>);

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
