//! The shop folded once: every order by the order decider's own `Order::evolve`, every
//! product by `Product::evolve`. Every read model and query reads these folds, so none of them
//! restates a rule, none keeps a second copy, and no two of them can disagree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::customer::{customer_id, Customer};
use crate::domain::{product_sku, Order, OrderEvent, Product, Shop, ShopEvent, Sku, SHOP_STREAM};
use crate::es::Aggregate;

/// What folding one event changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Folded {
    /// The order at this creation index.
    Order(usize),
    /// The product with this SKU.
    Product(Sku),
    /// The shop's settings or invoices.
    Shop,
    /// The customer with this id.
    Customer(String),
    /// Nothing: an event of an order never created, or of a stream that is no product's.
    Nothing,
}

/// Every created order, in creation order, and every product stream, by SKU.
///
/// Saved in parts: the products with the rest of the read side, the orders apart, in parts of
/// [`ORDERS_PER_PART`] (see [`ShopFolds::orders_parts`]), so that no part takes long to decode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopFolds {
    /// In creation order: an order's index here gives its number.
    #[serde(skip)]
    orders: Vec<Order>,
    /// Each order's stream id, at the same index as its fold.
    #[serde(skip)]
    streams: Vec<String>,
    #[serde(skip)]
    index_by_stream: BTreeMap<String, usize>,
    products: BTreeMap<Sku, Product>,
    /// The shop's own stream: its settings and invoice numbers.
    #[serde(default)]
    shop: Shop,
    /// Every customer stream, by customer id.
    #[serde(default)]
    customers: BTreeMap<String, Customer>,
}

/// How many orders' folds one saved part holds: about 1 MB of JSON for the demo shop's
/// orders, a few milliseconds to decode.
pub const ORDERS_PER_PART: usize = 2_000;

/// Some orders' folds with their streams, in creation order: a saved part.
#[derive(Serialize)]
struct OrdersPart<'a> {
    orders: &'a [Order],
    streams: &'a [String],
}

#[derive(Deserialize)]
pub(super) struct OwnedOrdersPart {
    orders: Vec<Order>,
    streams: Vec<String>,
}

impl ShopFolds {
    /// Folds `event` of stream `stream_id` into its order or product, and says which.
    pub fn apply(&mut self, stream_id: &str, event: &ShopEvent) -> Folded {
        match event {
            ShopEvent::Order(event) => self.apply_order(stream_id, event),
            ShopEvent::Product(event) => {
                // Product events live only in product streams.
                let Some(sku) = product_sku(stream_id) else {
                    return Folded::Nothing;
                };
                let product = self.products.entry(sku.clone()).or_default();
                *product = std::mem::take(product).evolve(event);
                Folded::Product(sku)
            }
            // Settings events live only in the shop's stream.
            ShopEvent::Shop(event) if stream_id == SHOP_STREAM => {
                self.shop = std::mem::take(&mut self.shop).evolve(event);
                Folded::Shop
            }
            ShopEvent::Shop(_) => Folded::Nothing,
            // Customer events live only in customer streams.
            ShopEvent::Customer(event) => {
                let Some(id) = customer_id(stream_id) else {
                    return Folded::Nothing;
                };
                let customer = self.customers.entry(id.to_owned()).or_default();
                *customer = std::mem::take(customer).evolve(event);
                Folded::Customer(id.to_owned())
            }
        }
    }

    fn apply_order(&mut self, stream_id: &str, event: &OrderEvent) -> Folded {
        let index = match (self.index_by_stream.get(stream_id), event) {
            (Some(index), _) => *index,
            (None, OrderEvent::OrderCreated { .. }) => {
                let index = self.orders.len();
                self.index_by_stream.insert(stream_id.to_owned(), index);
                self.streams.push(stream_id.to_owned());
                self.orders.push(Order::default());
                index
            }
            // An order that was never created has nothing to fold into.
            (None, _) => return Folded::Nothing,
        };
        let order = &mut self.orders[index];
        *order = std::mem::take(order).evolve(event);
        Folded::Order(index)
    }

    /// The orders' folds as saved parts of [`ORDERS_PER_PART`] orders, in creation order.
    ///
    /// # Errors
    /// When an order does not serialise.
    pub(super) fn orders_parts(&self) -> Result<Vec<String>, serde_json::Error> {
        self.orders
            .chunks(ORDERS_PER_PART)
            .zip(self.streams.chunks(ORDERS_PER_PART))
            .map(|(orders, streams)| serde_json::to_string(&OrdersPart { orders, streams }))
            .collect()
    }

    /// Appends a saved part's orders after those restored so far; `false` when the part
    /// does not hold together (a stream per order, each once in the shop).
    pub(super) fn restore_orders(&mut self, part: OwnedOrdersPart) -> bool {
        if part.orders.len() != part.streams.len() {
            return false;
        }
        for stream in &part.streams {
            let index = self.index_by_stream.len();
            if self.index_by_stream.insert(stream.clone(), index).is_some() {
                return false;
            }
        }
        self.orders.extend(part.orders);
        self.streams.extend(part.streams);
        true
    }

    /// Every created order, in creation order.
    #[must_use]
    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// The stream id and the fold of the order created `index`-th (from 0).
    #[must_use]
    pub fn order_at(&self, index: usize) -> Option<(&str, &Order)> {
        Some((self.streams.get(index)?.as_str(), self.orders.get(index)?))
    }

    /// The creation index and the fold of the order in stream `stream_id`.
    #[must_use]
    pub fn order(&self, stream_id: &str) -> Option<(usize, &Order)> {
        let index = *self.index_by_stream.get(stream_id)?;
        Some((index, self.orders.get(index)?))
    }

    /// The shop's settings and invoice numbers.
    #[must_use]
    pub fn settings(&self) -> &Shop {
        &self.shop
    }

    /// Each customer's fold, by id (merged ones included).
    pub fn customers(&self) -> impl Iterator<Item = (&str, &Customer)> {
        self.customers
            .iter()
            .map(|(id, customer)| (id.as_str(), customer))
    }

    #[must_use]
    pub fn customer(&self, customer_id: &str) -> Option<&Customer> {
        self.customers.get(customer_id)
    }

    /// The customer `customer_id` stands for now: itself, or the customer it was merged
    /// into, followed through merges (a loop of merges, which two devices merging each into
    /// the other could make, stops where it would go round again).
    #[must_use]
    pub fn surviving<'a>(&'a self, customer_id: &'a str) -> &'a str {
        let mut id = customer_id;
        for _ in 0..=self.customers.len() {
            match self.customers.get(id).and_then(Customer::merged_into) {
                Some(into) if into != customer_id => id = into,
                _ => break,
            }
        }
        id
    }

    /// Each product's fold, sorted by SKU.
    pub fn products(&self) -> impl Iterator<Item = (&Sku, &Product)> {
        self.products.iter()
    }

    #[must_use]
    pub fn product(&self, sku: &Sku) -> Option<&Product> {
        self.products.get(sku)
    }
}
