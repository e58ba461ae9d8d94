//! Customers as the views see them: a query over the customers' and orders' folds, like the
//! dashboard. A customer's orders are the orders created for it, or for any customer merged
//! into it; what they spent and owe is derived from those orders when asked.
//!
//! The definitions:
//! - **spent**: payments received less refunds given, over the customer's orders, cancelled
//!   ones included (money a cancelled order kept was spent);
//! - **owed**: the balance due of the customer's live orders (placed, not cancelled);
//! - **orders**: the customer's placed orders, cancelled or not (drafts are not orders yet).
//!
//! The dashboard counts customers by who placed each order ([`customer_key`]): the customer
//! record it was made for (the one kept, after merges), else its email (in any case), else the
//! name on it, so that imported orders and orders typed without a record count too.

use std::collections::BTreeMap;

use super::dashboard::sum;
use super::ShopFolds;
use crate::domain::customer::CustomerDetails;
use crate::domain::{Money, Order};

/// A customer kept (not merged into another) with what their orders come to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: String,
    pub details: CustomerDetails,
    /// Placed orders, cancelled or not.
    pub orders: u64,
    pub spent: Money,
    pub owed: Money,
}

/// A customer's page: their row, the customers merged into them, and their orders (with
/// drafts) by creation index, latest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerPage {
    pub row: CustomerRow,
    /// Set when this customer was merged into another: the one kept.
    pub merged_into: Option<String>,
    /// Customers merged into this one: id and name.
    pub merged: Vec<(String, String)>,
    pub orders: Vec<usize>,
}

/// Each kept customer's order indexes, by customer id, in creation order.
fn orders_by_customer(shop: &ShopFolds) -> BTreeMap<&str, Vec<usize>> {
    let mut by_customer: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, order) in shop.orders().iter().enumerate() {
        if let Some(id) = order.header().and_then(|h| h.customer_id.as_deref()) {
            by_customer
                .entry(shop.surviving(id))
                .or_default()
                .push(index);
        }
    }
    by_customer
}

fn row(shop: &ShopFolds, id: &str, details: &CustomerDetails, orders: &[usize]) -> CustomerRow {
    let folds: Vec<&Order> = orders
        .iter()
        .filter_map(|index| shop.orders().get(*index))
        .collect();
    CustomerRow {
        id: id.to_owned(),
        details: details.clone(),
        orders: folds.iter().filter(|order| order.was_placed()).count() as u64,
        spent: sum(folds
            .iter()
            .map(|order| order.refundable().unwrap_or_default())),
        owed: sum(folds
            .iter()
            .filter(|order| order.was_placed() && !order.is_cancelled())
            .map(|order| order.balance_due().unwrap_or_default())),
    }
}

/// Every kept customer, by name (then id).
#[must_use]
pub fn rows(shop: &ShopFolds) -> Vec<CustomerRow> {
    let by_customer = orders_by_customer(shop);
    let mut rows: Vec<CustomerRow> = shop
        .customers()
        .filter(|(_, customer)| customer.merged_into().is_none())
        .filter_map(|(id, customer)| {
            let orders = by_customer.get(id).map_or(&[][..], Vec::as_slice);
            Some(row(shop, id, customer.details()?, orders))
        })
        .collect();
    rows.sort_by(|a, b| {
        a.details
            .name
            .as_str()
            .to_lowercase()
            .cmp(&b.details.name.as_str().to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// The page of customer `id`; `None` for no such customer.
#[must_use]
pub fn page(shop: &ShopFolds, id: &str) -> Option<CustomerPage> {
    let customer = shop.customer(id)?;
    let details = customer.details()?;
    let kept = shop.surviving(id);
    let by_customer = orders_by_customer(shop);
    // A merged customer's page shows the orders of the one kept.
    let mut orders = by_customer.get(kept).cloned().unwrap_or_default();
    orders.reverse();
    let merged = shop
        .customers()
        .filter(|(other, c)| {
            *other != id && c.merged_into().is_some() && shop.surviving(other) == id
        })
        .filter_map(|(other, c)| Some((other.to_owned(), c.details()?.name.as_str().to_owned())))
        .collect();
    Some(CustomerPage {
        row: row(
            shop,
            id,
            details,
            by_customer.get(kept).map_or(&[][..], Vec::as_slice),
        ),
        merged_into: (kept != id).then(|| kept.to_owned()),
        merged,
        orders,
    })
}

/// Kept customers by email, lowercased: whom an imported order with that email is for.
#[must_use]
pub fn by_email(shop: &ShopFolds) -> BTreeMap<String, String> {
    shop.customers()
        .filter(|(_, customer)| customer.merged_into().is_none())
        .filter_map(|(id, customer)| {
            let email = customer.details()?.email.as_ref()?;
            Some((email.as_str().to_lowercase(), id.to_owned()))
        })
        .collect()
}

/// Who placed `order`, for counting customers: `id:` the customer record (the one kept), else
/// `email:` its email lowercased, else `name:` the name on it lowercased. `None` before it is
/// created.
#[must_use]
pub fn customer_key(shop: &ShopFolds, order: &Order) -> Option<String> {
    let header = order.header()?;
    Some(match (&header.customer_id, &header.email) {
        (Some(id), _) => format!("id:{}", shop.surviving(id)),
        (None, Some(email)) => format!("email:{}", email.as_str().to_lowercase()),
        (None, None) => format!("name:{}", header.customer.as_str().to_lowercase()),
    })
}

/// How many customers placed orders, and how many of them placed two or more: the
/// dashboard's Customers and Repeat customers, over `placed` orders.
#[must_use]
pub fn counts<'a>(shop: &ShopFolds, placed: impl Iterator<Item = &'a Order>) -> (u64, u64) {
    let mut orders: BTreeMap<String, u64> = BTreeMap::new();
    for order in placed {
        if let Some(key) = customer_key(shop, order) {
            *orders.entry(key).or_default() += 1;
        }
    }
    let repeat = orders.values().filter(|n| **n >= 2).count();
    (orders.len() as u64, repeat as u64)
}
