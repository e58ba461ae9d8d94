//! The products view: one row per product stream, sorted by SKU, with its catalogue entry and
//! its stock figures: a query over the products' shared folds (`Product::evolve` and
//! its figures), so the view and the product decider cannot disagree; no rule is restated
//! here. A SKU that orders reserved before anyone registered it has a stream, so it has a row
//! too: with an empty name and no price, as its `Product` state has no listing.

use serde::{Deserialize, Serialize};

use super::ShopFolds;
use crate::domain::{Money, Product, RateName, Sku};

/// What the products table shows of one product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub sku: Sku,
    /// The catalogue name; empty until the product is registered.
    pub name: String,
    /// The catalogue price; `None` until the product is registered.
    pub price: Option<Money>,
    /// Units in the shop, reserved or not.
    pub on_hand: u64,
    /// Units on hand held for order lines.
    pub reserved: u64,
    /// Units order lines wait for because they were not on hand.
    pub back_ordered: u64,
    /// On hand − reserved.
    pub available: u64,
    pub reorder_level: u64,
    /// Fewer units available than the reorder level.
    pub below_reorder_level: bool,
    /// The name of the shop's rate it sells at; `None`: the shop's default.
    pub tax_rate: Option<RateName>,
}

/// The registered products whose SKU or name holds `text` (in any case), SKUs starting with
/// it first, at most `at_most`: what the new-order form offers as the seller types.
#[must_use]
pub fn matching<'a>(rows: &'a [ProductRow], text: &str, at_most: usize) -> Vec<&'a ProductRow> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Vec::new();
    }
    // Those whose SKU starts with the text first, each group in the list's order: a
    // partition, which is the stable sort by that one flag without a sort's code.
    let (mut found, rest): (Vec<&ProductRow>, Vec<&ProductRow>) = rows
        .iter()
        .filter(|row| row.price.is_some())
        .filter(|row| {
            row.sku.as_str().to_lowercase().contains(&text)
                || row.name.to_lowercase().contains(&text)
        })
        .partition(|row| row.sku.as_str().to_lowercase().starts_with(&text));
    found.extend(rest);
    found.truncate(at_most);
    found
}

impl ProductRow {
    /// The row of the product with this SKU, as its state stands.
    pub(super) fn of(sku: &Sku, product: &Product) -> ProductRow {
        let listing = product.listing();
        ProductRow {
            sku: sku.clone(),
            name: listing.map_or_else(String::new, |l| l.name.as_str().to_owned()),
            price: listing.map(|l| l.price),
            on_hand: product.on_hand(),
            reserved: product.reserved(),
            back_ordered: product.back_ordered(),
            available: product.available(),
            reorder_level: product.reorder_level(),
            below_reorder_level: product.is_below_reorder_level(),
            tax_rate: product.tax_rate().cloned(),
        }
    }
}

/// One row per product stream, sorted by SKU.
pub(super) fn rows(shop: &ShopFolds) -> Vec<ProductRow> {
    shop.products()
        .map(|(sku, product)| ProductRow::of(sku, product))
        .collect()
}
