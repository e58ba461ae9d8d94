//! The read side: everything that follows the log, folded in memory, with no I/O and no
//! knowledge of signals or IndexedDB. Each stored event is decoded once (by the one
//! [`ProjectionRunner`] the shell keeps over [`ReadModels`]) and folded once, into
//! [`ShopFolds`]: one fold per order and per product. The read models registered in
//! [`read_models!`] below see each event beside those folds, before and after it is folded,
//! and keep only what the folds do not hold (the orders list's rows, the stock process's
//! queue). The dashboard's figures and the products' rows are queries over the folds.
//!
//! Adding a read model is a file with a type that implements [`ReadModel`], and one line in
//! the list below: checkpoint, catch-up, save, restore and the reporting of unreadable and
//! missing events then cover it.

mod cash_up;
pub mod customers;
mod dashboard;
mod folds;
pub mod history;
mod local_time;
mod orders_list;
pub mod orders_query;
mod products;
mod stock;

pub use cash_up::{CashUp, MethodMoney, METHODS};
pub use dashboard::{
    BackOrderedLine, BackOrders, DashboardFigures, DaySales, MonthSales, ProductSales,
    BACK_ORDERED_LINES, DAYS_SHOWN, FINANCIAL_STATUSES, FULFILMENT_STATUSES, TOP_PRODUCTS,
};
pub use folds::{Folded, ShopFolds};
pub use local_time::{local_date, parse_day, FixedOffset, LocalOffset, Utc};
pub use orders_list::{OrderRow, OrdersList, FIRST_ORDER_NUMBER};
pub use products::{matching, ProductRow};
pub use stock::{PendingCommand, StockProcess};

use serde::{Deserialize, Serialize};

use crate::domain::{Order, ShopEvent, Sku};
use crate::es::{Envelope, Projection, ProjectionRunner};

/// A read model: what the views (or a process manager) keep beyond the shared folds, built
/// by seeing every event once, in log order.
pub trait ReadModel: Default + Serialize + for<'de> Deserialize<'de> {
    /// Sees `event` while `shop` is as it was before it: for a process manager, which reacts
    /// to what an event changes. Nothing by default.
    fn before(&mut self, envelope: &Envelope, event: &ShopEvent, shop: &ShopFolds) {
        let _ = (envelope, event, shop);
    }

    /// Sees an event once `shop` has folded it; `folded` says which order or product changed.
    fn apply(&mut self, envelope: &Envelope, folded: &Folded, shop: &ShopFolds);

    /// Rebuilds what a saved copy leaves out, from the folds restored so far: called after
    /// each part of the saved copy, so it builds only for what it has not seen (orders past
    /// those it has rows for). Returns whether the copy holds together; if not, the read
    /// side is rebuilt from the log. Nothing to do by default.
    fn restored(&mut self, shop: &ShopFolds) -> bool {
        let _ = shop;
        true
    }
}

/// Declares the read side: the shared folds and every registered read model, one line each.
macro_rules! read_models {
    ($($(#[$doc:meta])* $name:ident: $model:ty,)+) => {
        /// The shared folds and every read model, folded together from the log.
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct ReadModels {
            shop: ShopFolds,
            $($(#[$doc])* $name: $model,)+
        }

        impl ReadModels {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(&self) -> &$model {
                    &self.$name
                }
            )+

            fn fold(&mut self, envelope: &Envelope, event: &ShopEvent) -> Folded {
                $(self.$name.before(envelope, event, &self.shop);)+
                let folded = self.shop.apply(&envelope.stream_id, event);
                $(self.$name.apply(envelope, &folded, &self.shop);)+
                folded
            }

            fn restore_each(&mut self) -> bool {
                true $(&& self.$name.restored(&self.shop))+
            }
        }
    };
}

read_models! {
    /// The orders list: a row per order.
    orders: OrdersList,
    /// The stock process manager: product commands the stock policy asked for, not yet run.
    stock: StockProcess,
}

impl ReadModels {
    /// The shared folds of every order and product.
    #[must_use]
    pub fn shop(&self) -> &ShopFolds {
        &self.shop
    }

    /// The stock process, to hand over the commands it queued; a read model changes only
    /// through the log otherwise.
    pub fn stock_mut(&mut self) -> &mut StockProcess {
        &mut self.stock
    }

    /// The row and the fold of the order in stream `stream_id`.
    #[must_use]
    pub fn order(&self, stream_id: &str) -> Option<(&OrderRow, &Order)> {
        let (index, order) = self.shop.order(stream_id)?;
        Some((self.orders.rows().get(index)?, order))
    }

    /// The exchanges of the order in stream `stream_id`: the order whose return it
    /// exchanges, if it is an exchange, and the orders that exchange its returns. The first
    /// is stored on the order, the others are found here.
    #[must_use]
    pub fn exchanges(&self, stream_id: &str) -> Exchanges {
        let numbered = |index: usize| {
            let (stream, _) = self.shop.order_at(index)?;
            Some((stream.to_owned(), self.orders.rows().get(index)?.number))
        };
        let of = self
            .shop
            .order(stream_id)
            .and_then(|(_, order)| order.header()?.exchange_for.clone())
            .and_then(|original| numbered(self.shop.order(&original)?.0));
        let by = self
            .shop
            .orders()
            .iter()
            .enumerate()
            .filter(|(_, order)| {
                order.header().and_then(|h| h.exchange_for.as_deref()) == Some(stream_id)
            })
            .filter_map(|(index, _)| numbered(index))
            .collect();
        Exchanges { of, by }
    }

    /// Every order's number and fold, in creation order.
    pub fn numbered_orders(&self) -> impl Iterator<Item = (u64, &Order)> {
        self.orders
            .rows()
            .iter()
            .map(|row| row.number)
            .zip(self.shop.orders())
    }

    /// The dashboard's figures, as the orders and products stand, on the calendar of `zone`.
    #[must_use]
    pub fn figures(&self, zone: &dyn LocalOffset) -> DashboardFigures {
        dashboard::figures(&self.shop, zone)
    }

    /// The cash-up of the shop's days `from` to `to`, both included, on the calendar of
    /// `zone`.
    #[must_use]
    pub fn cash_up(&self, from: time::Date, to: time::Date, zone: &dyn LocalOffset) -> CashUp {
        CashUp::of(&self.shop, from, to, zone)
    }

    /// Every kept customer with their figures, by name.
    #[must_use]
    pub fn customer_rows(&self) -> Vec<customers::CustomerRow> {
        customers::rows(&self.shop)
    }

    /// The page of customer `id`.
    #[must_use]
    pub fn customer_page(&self, id: &str) -> Option<customers::CustomerPage> {
        customers::page(&self.shop, id)
    }

    /// One row per product stream, sorted by SKU.
    #[must_use]
    pub fn product_rows(&self) -> Vec<ProductRow> {
        products::rows(&self.shop)
    }

    /// The row of one SKU; `None` when no event of its stream has been seen.
    #[must_use]
    pub fn product_row(&self, sku: &Sku) -> Option<ProductRow> {
        self.shop
            .product(sku)
            .map(|product| ProductRow::of(sku, product))
    }
}

/// An order's exchanges, each as its stream id and number.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exchanges {
    /// The order whose return this one exchanges.
    pub of: Option<(String, u64)>,
    /// The orders that exchange this one's returns.
    pub by: Vec<(String, u64)>,
}

/// The names earlier versions saved read models under, each its own copy of the orders
/// (before there was one list of read models): deleted at start.
pub const RETIRED_COPIES: [&str; 4] = ["orders_list", "dashboard", "products", "stock_process"];

impl Projection for ReadModels {
    type Event = ShopEvent;
    const NAME: &'static str = "read_models";
    const VERSION: u32 = 3;

    fn apply(&mut self, envelope: &Envelope, event: &ShopEvent) {
        self.fold(envelope, event);
    }

    fn restored(&mut self) -> bool {
        self.restore_each()
    }

    /// The read models and the products' folds first, then the orders' folds in parts.
    fn save_parts(&self) -> Result<Vec<String>, serde_json::Error> {
        let mut parts = vec![serde_json::to_string(self)?];
        parts.extend(self.shop.orders_parts()?);
        Ok(parts)
    }

    /// Each part of orders is folded into the read models as it is decoded (their rows,
    /// say), so that no step of a restore does all the work.
    fn restore_part(&mut self, index: u32, part: &str) -> Result<(), serde_json::Error> {
        let holds = if index == 0 {
            *self = serde_json::from_str(part)?;
            true
        } else {
            let orders = serde_json::from_str(part)?;
            self.shop.restore_orders(orders) && self.restore_each()
        };
        if holds {
            Ok(())
        } else {
            Err(serde::de::Error::custom(
                "a saved part does not hold together",
            ))
        }
    }
}

/// The read side with its checkpoint: what the shell keeps and feeds the log to.
pub type ReadSide = ProjectionRunner<ReadModels>;

impl ReadSide {
    /// Stored events the read side could not read and left out, by seq, with why.
    #[must_use]
    pub fn unreadable(&self) -> Vec<(u64, String)> {
        self.skipped()
            .iter()
            .map(|(seq, error)| (*seq, error.to_string()))
            .collect()
    }

    /// Whether every event up to the checkpoint was read: nothing unreadable, nothing
    /// missing.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.skipped().is_empty() && self.missing().is_empty()
    }
}
