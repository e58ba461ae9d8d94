//! Read models: plain structs that fold stored events into what a view shows. They record
//! what happened and hold no business rules; they do no I/O and know nothing of signals or
//! IndexedDB. Each implements [`crate::es::Projection`] and is tested by folding events.
//! [`ReadModels`] groups the runners of all of them, so the shell feeds them as one.

mod dashboard;
pub mod history;
mod order_folds;
mod orders_list;
pub mod orders_query;
mod products;

pub use dashboard::{
    BackOrderedLine, Dashboard, DashboardFigures, MonthSales, ProductSales, FINANCIAL_STATUSES,
    FULFILMENT_STATUSES, TOP_PRODUCTS,
};
pub use order_folds::OrderFolds;
pub use orders_list::{OrderRow, OrdersList};
pub use products::{ProductRow, ProductsView};

use crate::es::{Envelope, ProjectionRunner};

/// Every read model the views use, each with its checkpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadModels {
    pub orders: ProjectionRunner<OrdersList>,
    pub dashboard: ProjectionRunner<Dashboard>,
    pub products: ProjectionRunner<ProductsView>,
}

impl ReadModels {
    /// The seq up to which every read model has applied the log: the least of their
    /// checkpoints.
    #[must_use]
    pub fn checkpoint(&self) -> u64 {
        self.orders
            .checkpoint()
            .min(self.dashboard.checkpoint())
            .min(self.products.checkpoint())
    }

    /// Stored events some read model could not read and left out (skipped, by the runners'
    /// policy), by seq, with why; each seq once.
    #[must_use]
    pub fn unreadable(&self) -> Vec<(u64, String)> {
        let mut all: Vec<(u64, String)> = [
            self.orders.skipped(),
            self.dashboard.skipped(),
            self.products.skipped(),
        ]
        .into_iter()
        .flatten()
        .map(|(seq, error)| (*seq, error.to_string()))
        .collect();
        all.sort_by_key(|(seq, _)| *seq);
        all.dedup_by_key(|(seq, _)| *seq);
        all
    }

    /// Seqs missing from the log (a gap) that the read models passed over, as inclusive
    /// ranges, in order; each range once.
    #[must_use]
    pub fn missing(&self) -> Vec<(u64, u64)> {
        let mut all: Vec<(u64, u64)> = [
            self.orders.missing(),
            self.dashboard.missing(),
            self.products.missing(),
        ]
        .concat();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Whether every event up to the checkpoints was read: nothing unreadable, nothing
    /// missing.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.unreadable().is_empty() && self.missing().is_empty()
    }

    /// Applies, to each read model, the events it has not seen yet. Returns the most any of
    /// them applied: 0 for a non-empty batch means none could go on (a gap or a halt).
    pub fn apply_all(&mut self, envelopes: &[Envelope]) -> usize {
        let orders = self.orders.apply_all(envelopes);
        let dashboard = self.dashboard.apply_all(envelopes);
        let products = self.products.apply_all(envelopes);
        orders.max(dashboard).max(products)
    }

    /// Applies events read from the store from seq `from` on, passing over seqs missing from
    /// the log (see [`ProjectionRunner::apply_stored`]). Returns the most any applied.
    pub fn apply_stored(&mut self, from: u64, envelopes: &[Envelope]) -> usize {
        let orders = self.orders.apply_stored(from, envelopes);
        let dashboard = self.dashboard.apply_stored(from, envelopes);
        let products = self.products.apply_stored(from, envelopes);
        orders.max(dashboard).max(products)
    }
}
