//! The customer aggregate: who buys from the shop (name, email, phone, address, notes, tags),
//! one stream per customer, `customer-<id>`. An order names its customer by id (set when it is
//! created); a customer found to be the same person as another is merged into it: the record
//! is closed, and the read side counts its orders as the other's. Nothing is ever deleted.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::settings::Address;
use super::{CustomerName, Email, Phone, Remark, Tag};
use crate::es::Aggregate;

/// The stream of the customer with this id.
#[must_use]
pub fn customer_stream(customer_id: &str) -> String {
    format!("customer-{customer_id}")
}

/// The id of the customer whose stream this is; `None` for another kind of stream.
#[must_use]
pub fn customer_id(stream_id: &str) -> Option<&str> {
    stream_id
        .strip_prefix("customer-")
        .filter(|id| !id.is_empty())
}

/// What a seller knows of a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: CustomerName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Remark>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl CustomerDetails {
    /// Only a name: a customer typed on the new-order form.
    #[must_use]
    pub fn named(name: CustomerName, email: Option<Email>) -> CustomerDetails {
        CustomerDetails {
            name,
            email,
            phone: None,
            address: None,
            notes: None,
            tags: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerCommand {
    Register(CustomerDetails),
    /// The details as they now are, whole.
    Change(CustomerDetails),
    /// This customer is the same person as customer `into`, which is kept.
    MergeInto {
        into: String,
    },
}

/// Stored as its variant's name, the event type, and its data, the payload (see `es::codec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerEvent {
    CustomerRegistered(CustomerDetails),
    CustomerChanged(CustomerDetails),
    /// Closed: the same person as customer `into`, whose record goes on.
    CustomerMerged {
        into: String,
    },
}

/// Every customer event is at schema version 1; nothing to upcast yet.
impl crate::es::EventSchema for CustomerEvent {}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum CustomerError {
    #[error("this customer already exists")]
    AlreadyRegistered,
    #[error("this customer does not exist")]
    NotRegistered,
    #[error("this customer was merged into another; change that one instead")]
    Merged,
}

/// The state of one customer stream. `Default` is a customer not registered yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    details: Option<CustomerDetails>,
    merged_into: Option<String>,
}

impl Customer {
    #[must_use]
    pub fn details(&self) -> Option<&CustomerDetails> {
        self.details.as_ref()
    }

    /// The customer this one was merged into, if it was.
    #[must_use]
    pub fn merged_into(&self) -> Option<&str> {
        self.merged_into.as_deref()
    }
}

impl Aggregate for Customer {
    type Command = CustomerCommand;
    type Event = CustomerEvent;
    type Error = CustomerError;

    fn decide(&self, command: &CustomerCommand) -> Result<Vec<CustomerEvent>, CustomerError> {
        use CustomerCommand as C;
        match (&self.details, &self.merged_into, command) {
            (None, _, C::Register(details)) => {
                Ok(vec![CustomerEvent::CustomerRegistered(details.clone())])
            }
            (Some(_), _, C::Register(_)) => Err(CustomerError::AlreadyRegistered),
            (None, _, C::Change(_) | C::MergeInto { .. }) => Err(CustomerError::NotRegistered),
            (Some(_), Some(_), C::Change(_) | C::MergeInto { .. }) => Err(CustomerError::Merged),
            (Some(now), None, C::Change(details)) if now == details => Ok(vec![]),
            (Some(_), None, C::Change(details)) => {
                Ok(vec![CustomerEvent::CustomerChanged(details.clone())])
            }
            (Some(_), None, C::MergeInto { into }) => {
                Ok(vec![CustomerEvent::CustomerMerged { into: into.clone() }])
            }
        }
    }

    fn evolve(mut self, event: &CustomerEvent) -> Customer {
        match event {
            CustomerEvent::CustomerRegistered(details)
            | CustomerEvent::CustomerChanged(details) => {
                self.details = Some(details.clone());
            }
            CustomerEvent::CustomerMerged { into } => self.merged_into = Some(into.clone()),
        }
        self
    }
}
