//! The shop itself, one stream (`shop`): its settings (name, address, tax number, currency,
//! time zone, tax rates, whether prices include tax) and its invoice numbers, a gap-free
//! sequence that only this stream hands out, so a number is never given twice, whichever
//! device asks, and never reused.
//!
//! The settings are recorded whole each time they change: one event says what the shop looks
//! like from then on. What the stream cannot see, whether the shop has orders, the command
//! states (the shell reads it from the orders it shows).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::values::{bounded_text, InputError};
use super::{Currency, RateName, TaxRate, TimeZone, Timestamp};
use crate::es::Aggregate;

/// The stream holding the shop's settings and invoice numbers.
pub const SHOP_STREAM: &str = "shop";

/// A line of the shop's details (its name, its tax or VAT number): trimmed, never blank, at
/// most 100 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShopLine(String);

impl ShopLine {
    pub const MAX_CHARS: usize = 100;

    /// # Errors
    /// [`InputError::Empty`] for blank text, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<ShopLine, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(ShopLine)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shop's postal address as it goes on a receipt, line breaks kept: at most 400
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Address(String);

impl Address {
    pub const MAX_CHARS: usize = 400;

    /// # Errors
    /// [`InputError::Empty`] for blank text, [`InputError::TooLong`] past [`Self::MAX_CHARS`].
    pub fn parse(text: &str) -> Result<Address, InputError> {
        bounded_text(text, Self::MAX_CHARS).map(Address)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the shop is, as its settings page sets it. `Default` is a shop nobody has set up: no
/// name, US dollars, UTC, prices without tax, no rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSettings {
    pub name: Option<ShopLine>,
    pub address: Option<Address>,
    pub tax_number: Option<ShopLine>,
    /// Every new order's currency.
    pub currency: Currency,
    /// Where the shop's days begin and end: times are shown, and days and months counted, in
    /// it.
    pub time_zone: TimeZone,
    /// Prices are entered with tax included (as in most of Europe) or without (as in the US).
    pub prices_include_tax: bool,
    /// The rates a line may be taxed at, each name once.
    pub tax_rates: Vec<TaxRate>,
    /// The name of the rate a new line takes when its product names none; `None`: untaxed.
    pub default_rate: Option<RateName>,
}

impl Default for ShopSettings {
    fn default() -> ShopSettings {
        ShopSettings {
            name: None,
            address: None,
            tax_number: None,
            currency: super::SHOP_CURRENCY,
            time_zone: TimeZone::default(),
            prices_include_tax: false,
            tax_rates: Vec::new(),
            default_rate: None,
        }
    }
}

impl ShopSettings {
    /// The rate with this name.
    #[must_use]
    pub fn rate(&self, name: &RateName) -> Option<&TaxRate> {
        self.tax_rates.iter().find(|rate| &rate.name == name)
    }

    /// The rate a new line takes by default.
    #[must_use]
    pub fn default_tax_rate(&self) -> Option<&TaxRate> {
        self.default_rate.as_ref().and_then(|name| self.rate(name))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShopSettingsCommand {
    /// Replaces the settings. `shop_has_orders`: the shell's word that the shop has orders,
    /// which keeps its currency.
    Change {
        settings: ShopSettings,
        shop_has_orders: bool,
    },
    /// Gives the order in stream `order_id` the next invoice number, once: asked again, it
    /// keeps the number it has.
    IssueInvoice { order_id: String, at: Timestamp },
}

/// Stored as its variant's name, the event type, and its data, the payload (see `es::codec`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShopSettingsEvent {
    SettingsChanged(ShopSettings),
    InvoiceIssued {
        number: u64,
        order_id: String,
        at: Timestamp,
    },
}

/// Every settings event is at schema version 1; nothing to upcast yet.
impl crate::es::EventSchema for ShopSettingsEvent {}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ShopSettingsError {
    #[error("the shop has orders in {current}: its currency cannot change (each order keeps the currency it was made in)")]
    CurrencyLocked { current: Currency },
    #[error("the tax rate {0} is listed twice")]
    DuplicateRate(String),
    #[error("the default rate {0} is not one of the shop's rates")]
    UnknownDefaultRate(String),
}

/// An order's invoice: its number and when it was issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub number: u64,
    pub at: Timestamp,
}

/// The shop stream's state: its settings and the invoice numbers given so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    settings: ShopSettings,
    /// Each invoiced order's invoice, by the order's stream.
    invoices: BTreeMap<String, Invoice>,
    /// The last number given; 0 before the first.
    last_invoice: u64,
}

impl Shop {
    #[must_use]
    pub fn settings(&self) -> &ShopSettings {
        &self.settings
    }

    /// The invoice of the order in stream `order_id`, if it has one.
    #[must_use]
    pub fn invoice(&self, order_id: &str) -> Option<Invoice> {
        self.invoices.get(order_id).copied()
    }
}

impl Aggregate for Shop {
    type Command = ShopSettingsCommand;
    type Event = ShopSettingsEvent;
    type Error = ShopSettingsError;

    fn decide(
        &self,
        command: &ShopSettingsCommand,
    ) -> Result<Vec<ShopSettingsEvent>, ShopSettingsError> {
        use ShopSettingsCommand as C;
        match command {
            C::Change { settings, .. } if *settings == self.settings => Ok(vec![]),
            C::Change {
                settings,
                shop_has_orders: true,
            } if settings.currency != self.settings.currency => {
                Err(ShopSettingsError::CurrencyLocked {
                    current: self.settings.currency,
                })
            }
            C::Change { settings, .. } => {
                rates_hold_together(settings)?;
                Ok(vec![ShopSettingsEvent::SettingsChanged(settings.clone())])
            }
            C::IssueInvoice { order_id, .. } if self.invoices.contains_key(order_id) => Ok(vec![]),
            C::IssueInvoice { order_id, at } => Ok(vec![ShopSettingsEvent::InvoiceIssued {
                number: self.last_invoice + 1,
                order_id: order_id.clone(),
                at: *at,
            }]),
        }
    }

    fn evolve(mut self, event: &ShopSettingsEvent) -> Shop {
        match event {
            ShopSettingsEvent::SettingsChanged(settings) => self.settings = settings.clone(),
            ShopSettingsEvent::InvoiceIssued {
                number,
                order_id,
                at,
            } => {
                self.invoices.insert(
                    order_id.clone(),
                    Invoice {
                        number: *number,
                        at: *at,
                    },
                );
                self.last_invoice = self.last_invoice.max(*number);
            }
        }
        self
    }
}

/// Each rate's name once, and the default one of them.
fn rates_hold_together(settings: &ShopSettings) -> Result<(), ShopSettingsError> {
    for (index, rate) in settings.tax_rates.iter().enumerate() {
        if settings.tax_rates[..index]
            .iter()
            .any(|earlier| earlier.name == rate.name)
        {
            return Err(ShopSettingsError::DuplicateRate(
                rate.name.as_str().to_owned(),
            ));
        }
    }
    match &settings.default_rate {
        Some(name) if settings.rate(name).is_none() => Err(ShopSettingsError::UnknownDefaultRate(
            name.as_str().to_owned(),
        )),
        _ => Ok(()),
    }
}
