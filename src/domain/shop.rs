//! The shop as a whole: every command any of its aggregates takes ([`ShopCommand`]), every
//! event they record ([`ShopEvent`], for read models that fold more than one kind of stream),
//! the names of the streams, and the currency of a shop that has not chosen one.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::customer::{CustomerCommand, CustomerEvent};
use super::{
    Currency, OrderCommand, OrderEvent, ProductCommand, ProductEvent, ShopSettingsCommand,
    ShopSettingsEvent, Sku,
};

/// The currency of a shop that has not chosen one (see [`super::ShopSettings`]).
pub const SHOP_CURRENCY: Currency = Currency::new(*b"USD");

/// The stream of the order with this id.
#[must_use]
pub fn order_stream(order_id: &str) -> String {
    format!("order-{order_id}")
}

/// The stream of the product with this SKU: one stream per SKU.
#[must_use]
pub fn product_stream(sku: &Sku) -> String {
    format!("product-{}", sku.as_str())
}

/// The SKU whose stream this is: the inverse of [`product_stream`]. `None` for a stream that
/// is not a product's.
#[must_use]
pub fn product_sku(stream_id: &str) -> Option<Sku> {
    let text = stream_id.strip_prefix("product-")?;
    Sku::parse(text).ok().filter(|sku| sku.as_str() == text)
}

/// A command for one of the shop's aggregates. Its JSON is how a device records it for sync
/// to decide it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShopCommand {
    /// For the order in stream `stream_id` (see [`order_stream`]).
    Order {
        stream_id: String,
        command: OrderCommand,
    },
    /// For the product with this SKU.
    Product { sku: Sku, command: ProductCommand },
    /// For the shop's own stream, [`super::SHOP_STREAM`].
    Shop(ShopSettingsCommand),
    /// For the customer with this id (see [`super::customer::customer_stream`]).
    Customer {
        customer_id: String,
        command: CustomerCommand,
    },
}

/// An event of any of the shop's aggregates. Stored exactly as the aggregate's own event
/// (event types are unique across aggregates), so reading one as a `ShopEvent` changes
/// nothing in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ShopEvent {
    Order(OrderEvent),
    Product(ProductEvent),
    Shop(ShopSettingsEvent),
    Customer(CustomerEvent),
}

impl<'de> Deserialize<'de> for ShopEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        first_kind(
            || OrderEvent::deserialize(&value),
            || ProductEvent::deserialize(&value),
            || ShopSettingsEvent::deserialize(&value),
            || CustomerEvent::deserialize(&value),
        )
        .map_err(D::Error::custom)
    }
}

/// Every shop event is at schema version 1; nothing to upcast yet.
impl crate::es::EventSchema for ShopEvent {
    /// Read from the text without building a tree first, as the derived reading does.
    fn from_tagged_json(json: &str) -> serde_json::Result<Self> {
        first_kind(
            || serde_json::from_str(json),
            || serde_json::from_str(json),
            || serde_json::from_str(json),
            || serde_json::from_str(json),
        )
    }
}

/// An order event, or else (its type is not an order event's) a product event, or else a
/// settings event, or else a customer event. Any other error is that kind's own (a payload
/// of the wrong shape).
fn first_kind<E: std::fmt::Display>(
    order: impl FnOnce() -> Result<OrderEvent, E>,
    product: impl FnOnce() -> Result<ProductEvent, E>,
    settings: impl FnOnce() -> Result<ShopSettingsEvent, E>,
    customer: impl FnOnce() -> Result<CustomerEvent, E>,
) -> Result<ShopEvent, E> {
    let unknown = |error: &E| error.to_string().starts_with("unknown variant");
    match order() {
        Err(error) if unknown(&error) => {}
        other => return other.map(ShopEvent::Order),
    }
    match product() {
        Err(error) if unknown(&error) => {}
        other => return other.map(ShopEvent::Product),
    }
    match settings() {
        Err(error) if unknown(&error) => customer().map(ShopEvent::Customer),
        other => other.map(ShopEvent::Shop),
    }
}
