//! The products view: one row per product stream, sorted by SKU, with its catalogue entry and
//! its stock figures. Each row is derived from the product's own fold (`Product::evolve` and
//! its figures), so the view and the product decider cannot disagree; no rule is restated
//! here. A SKU that orders reserved before anyone registered it has a stream, so it has a row
//! too: with an empty name and no price, as its `Product` state has no listing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{product_sku, Money, Product, ShopEvent, Sku};
use crate::es::{Aggregate, Envelope, Projection};

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
}

impl ProductRow {
    /// The row of the product with this SKU, as its state stands.
    fn of(sku: &Sku, product: &Product) -> ProductRow {
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
        }
    }
}

/// Every product stream's state, by SKU.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductsView {
    products: BTreeMap<Sku, Product>,
}

impl ProductsView {
    /// One row per product stream, sorted by SKU.
    #[must_use]
    pub fn rows(&self) -> Vec<ProductRow> {
        self.products
            .iter()
            .map(|(sku, product)| ProductRow::of(sku, product))
            .collect()
    }

    /// The row of one SKU; `None` when no event of its stream has been seen.
    #[must_use]
    pub fn row(&self, sku: &Sku) -> Option<ProductRow> {
        self.products
            .get(sku)
            .map(|product| ProductRow::of(sku, product))
    }

    /// Each product's state, sorted by SKU: for the read models that derive more from it.
    pub(super) fn products(&self) -> impl Iterator<Item = (&Sku, &Product)> {
        self.products.iter()
    }

    pub(super) fn product(&self, sku: &Sku) -> Option<&Product> {
        self.products.get(sku)
    }
}

impl Projection for ProductsView {
    type Event = ShopEvent;
    const NAME: &'static str = "products";
    const VERSION: u32 = 1;

    fn apply(&mut self, envelope: &Envelope, event: &ShopEvent) {
        let ShopEvent::Product(event) = event else {
            return;
        };
        // Product events live only in product streams; another stream has no SKU to show.
        let Some(sku) = product_sku(&envelope.stream_id) else {
            return;
        };
        let product = self.products.entry(sku).or_default();
        *product = std::mem::take(product).evolve(event);
    }
}
