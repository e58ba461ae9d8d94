//! Bulk loads (the demo shop, a Shopify import) as the seller sees them: started, followed
//! on a progress bar, stopped between orders. The writing itself is `bulk::load`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::commands::now;
use super::stock::Stock;
use super::{bulk, Commands};
use crate::demo;
use crate::domain::customer::CustomerCommand;
use crate::domain::{OrderCommand, ProductCommand, Timestamp};
use crate::es::{Envelope, EventStore};

/// The seed of the demo shop: the same shop every time, so loading it twice adds nothing.
const DEMO_SEED: u64 = 7;

/// How a bulk load is going.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkProgress {
    /// Commands decided so far, of `total`.
    pub done: usize,
    pub total: usize,
    pub running: bool,
    /// The seller asked to stop; the load stops between orders.
    pub stop_requested: bool,
    pub message: String,
}

/// The bulk load running or last run.
#[derive(Clone, Copy)]
pub struct BulkLoads {
    /// The load's progress, once one started.
    pub progress: ReadSignal<Option<BulkProgress>>,
    set_progress: WriteSignal<Option<BulkProgress>>,
    commands: Commands,
}

impl BulkLoads {
    pub(super) fn new(commands: &Commands) -> BulkLoads {
        let (progress, set_progress) = signal(None);
        BulkLoads {
            progress,
            set_progress,
            commands: *commands,
        }
    }

    /// Fills the store with a demo shop of `orders` orders through real commands (loading
    /// it again adds nothing).
    pub fn load_demo(self, orders: usize) {
        let plan = demo::plan(orders, DEMO_SEED, Timestamp(now()));
        self.run(
            "the demo shop",
            demo::planned(plan.products),
            Vec::new(),
            demo::planned(plan.orders),
        );
    }

    /// Imports the orders of a previewed Shopify export (importing it again adds nothing).
    pub fn import(self, plan: crate::io::shopify::ImportPlan) {
        self.run("the import", plan.products, plan.customers, plan.commands);
    }

    /// Asks a running load to stop after the orders it is writing.
    pub fn stop(self) {
        self.set_progress.update(|bulk| {
            if let Some(bulk) = bulk {
                bulk.stop_requested = true;
            }
        });
    }

    fn run(
        self,
        what: &'static str,
        products: Vec<bulk::Planned<ProductCommand>>,
        customers: Vec<bulk::Planned<CustomerCommand>>,
        orders: Vec<bulk::Planned<OrderCommand>>,
    ) {
        let Commands {
            log, views, device, ..
        } = self.commands;
        let Ok(store) = log.store() else {
            return;
        };
        if self.progress.get_untracked().is_some_and(|b| b.running) {
            return;
        }
        if self.commands.syncing.read_only() {
            self.set_progress.set(Some(BulkProgress {
                done: 0,
                total: products.len() + customers.len() + orders.len(),
                running: false,
                stop_requested: false,
                message: format!("Nothing was loaded: {}.", super::commands::READ_ONLY),
            }));
            return;
        }
        self.set_progress.set(Some(BulkProgress {
            done: 0,
            total: products.len() + customers.len() + orders.len(),
            running: true,
            stop_requested: false,
            message: format!("Loading {what}…"),
        }));
        spawn_local(async move {
            // The views fold each chunk as it is written, instead of reading it back, and
            // the stock process runs what it asks for on products read once.
            let gap = std::cell::Cell::new(false);
            let mut stock = Stock::default();
            let mut failure = None;
            let progress = async |done, total, written: &[Envelope]| {
                if !views.apply(written) {
                    gap.set(true);
                }
                if let Err(error) = self.commands.run_stock_on(&store, &mut stock).await {
                    failure = Some(error);
                    return false;
                }
                self.set_progress
                    .try_update(|bulk| {
                        bulk.as_mut().is_some_and(|bulk| {
                            (bulk.done, bulk.total) = (done, total);
                            !bulk.stop_requested
                        })
                    })
                    .unwrap_or(false)
            };
            let loaded =
                bulk::load_with_customers(&*store, products, customers, orders, progress).await;
            let refreshed = async {
                if let Some(error) = failure {
                    return Err(error);
                }
                // Another tab wrote in between: read what this one has not seen.
                if gap.get() {
                    views.catch_up(&store).await?;
                }
                self.commands.run_stock(&store).await
            };
            let refreshed = refreshed.await;
            let head = store.last().await.ok().flatten();
            log.announce(head.as_ref());
            self.commands.syncing.nudge();
            device.refresh_storage();
            let message = match (loaded, refreshed) {
                (Ok(outcome), Ok(())) => {
                    let mut message = if outcome.stopped {
                        format!(
                            "Stopped: {what} wrote {} events, whole orders only.",
                            outcome.written
                        )
                    } else {
                        format!("Done: {what} wrote {} events.", outcome.written)
                    };
                    if let Some((_, first)) = outcome.refused.first() {
                        message = format!(
                            "{message} {} commands were refused, the first: {first}.",
                            outcome.refused.len()
                        );
                    }
                    message
                }
                (Err(error), _) | (_, Err(error)) => format!("{what} failed: {error}."),
            };
            self.set_progress.update(|bulk| {
                if let Some(bulk) = bulk {
                    bulk.running = false;
                    bulk.message = message;
                }
            });
        });
    }
}
