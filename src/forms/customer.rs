//! A customer's form as typed (name, email, phone, address, notes, tags), turned into the
//! customer's details; and the choice of the customer another is merged into. Pure and
//! tested natively.

use super::{optional, Fields, FormError};
use crate::domain::customer::CustomerDetails;
use crate::domain::settings::Address;
use crate::domain::{CustomerName, Email, InputError, Phone, Remark, Tag};

/// The customer form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub notes: String,
    /// Comma-separated: `wholesale, gift`.
    pub tags: String,
}

impl CustomerForm {
    /// The form filled with a customer's details, to change them.
    #[must_use]
    pub fn of(details: &CustomerDetails) -> CustomerForm {
        let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
        CustomerForm {
            name: details.name.as_str().to_owned(),
            email: text(details.email.as_ref().map(Email::as_str)),
            phone: text(details.phone.as_ref().map(Phone::as_str)),
            address: text(details.address.as_ref().map(Address::as_str)),
            notes: text(details.notes.as_ref().map(Remark::as_str)),
            tags: details
                .tags
                .iter()
                .map(Tag::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The details typed; only the name is required.
    ///
    /// # Errors
    /// Each field refused, by its label (`Name`, `Email`, `Phone`, `Address`, `Notes`,
    /// `Tags`).
    pub fn to_details(&self) -> Result<CustomerDetails, FormError> {
        let mut fields = Fields::default();
        let name = fields.check("Name", CustomerName::parse(&self.name));
        let email = fields.check("Email", optional(&self.email, Email::parse));
        let phone = fields.check("Phone", optional(&self.phone, Phone::parse));
        let address = fields.check("Address", optional(&self.address, Address::parse));
        let notes = fields.check("Notes", optional(&self.notes, Remark::parse));
        let tags = fields.check("Tags", Tag::parse_list(&self.tags));
        match (name, email, phone, address, notes, tags) {
            (Some(name), Some(email), Some(phone), Some(address), Some(notes), Some(tags)) => {
                Ok(CustomerDetails {
                    name,
                    email,
                    phone,
                    address,
                    notes,
                    tags,
                })
            }
            _ => Err(fields.refused()),
        }
    }
}

/// How a customer is offered to be picked: `Ada Lovelace <ada@example.com>`, or the name
/// alone without an email.
#[must_use]
pub fn label(details: &CustomerDetails) -> String {
    match &details.email {
        Some(email) => format!("{} <{}>", details.name.as_str(), email.as_str()),
        None => details.name.as_str().to_owned(),
    }
}

/// The customer `chosen` (by its label among `choices`, each a label and an id) that customer
/// `this` is merged into.
///
/// # Errors
/// [`InputError::Empty`] when none of the choices, or `this` itself, was chosen.
pub fn merge_into<'a>(
    this: &str,
    chosen: &str,
    choices: &'a [(String, String)],
) -> Result<&'a str, FormError> {
    choices
        .iter()
        .find(|(label, id)| label == chosen && id != this)
        .map(|(_, id)| id.as_str())
        .ok_or(FormError::Field(InputError::Empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_name_alone_is_a_customer_and_what_it_shows_reads_back_the_same() {
        let typed = CustomerForm {
            name: " Ada Lovelace ".into(),
            tags: "wholesale, VIP".into(),
            ..CustomerForm::default()
        };
        let details = typed.to_details().unwrap();
        assert_eq!(details.name.as_str(), "Ada Lovelace");
        assert_eq!((&details.email, &details.phone), (&None, &None));
        let shown = CustomerForm::of(&details);
        assert_eq!(shown.tags, "wholesale, VIP");
        assert_eq!(shown.to_details().unwrap(), details);
    }

    #[test]
    fn every_bad_field_is_named() {
        let refused = CustomerForm {
            name: String::new(),
            email: "ada at example".into(),
            phone: "call me".into(),
            ..CustomerForm::default()
        }
        .to_details()
        .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Name: this field is required; Email: must be an email address, like ada@example.com; Phone: must be a phone number: digits, spaces, and + - ( ) only"
        );
    }

    #[test]
    fn a_customer_is_merged_into_another_chosen_never_into_itself() {
        let choices = vec![
            (
                "Ada Lovelace <ada@example.com>".to_owned(),
                "ada".to_owned(),
            ),
            ("A. Lovelace".to_owned(), "ada-2".to_owned()),
        ];
        assert_eq!(
            merge_into("ada-2", "Ada Lovelace <ada@example.com>", &choices),
            Ok("ada")
        );
        assert!(merge_into("ada-2", "A. Lovelace", &choices).is_err());
        assert!(merge_into("ada-2", "", &choices).is_err());
    }
}
