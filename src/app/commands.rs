//! The command path: a command from the UI is stamped with its id and time once, executed
//! against its aggregate, folded into the views, announced to the other tabs, and followed by
//! the stock commands it calls for.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;

use super::stock::{Stock, StockRun};
use super::sync::RecordedCommand;
use super::{Device, Log, Syncing, Views};
use crate::domain::customer::{customer_stream, Customer, CustomerCommand, CustomerDetails};
use crate::domain::{
    order_stream, product_stream, Order, OrderCommand, Product, Shop, ShopCommand, Timestamp,
    SHOP_STREAM,
};
use crate::es::idb::IdbStore;
use crate::es::{execute, execute_kept, CommandMeta, ExecuteError, Kept, StoreError, SyncedStore};
use crate::forms::{FormError, OrderForm, Unstamped};
use crate::read::PendingCommand;
use crate::tasks::{split_point, Later};

/// Runs commands and what follows from them.
#[derive(Clone, Copy)]
pub struct Commands {
    pub(super) log: Log,
    pub(super) views: Views,
    pub(super) device: Device,
    pub(super) syncing: Syncing,
    /// The states this tab's last commands left their streams in (see [`Kept`]).
    pub(super) kept: StoredValue<KeptStates, LocalStorage>,
}

/// The order and product states kept between commands.
#[derive(Clone, Default)]
pub(super) struct KeptStates {
    orders: Kept<Order>,
    products: Kept<Product>,
}

impl KeptStates {
    /// Forgets every kept state: the log was replaced.
    pub(super) fn forget(&self) {
        self.orders.forget();
        self.products.forget();
    }
}

/// Why a device that only reads the shop makes no change.
pub const READ_ONLY: &str = "this device only reads the shop: its sync user may not change it";

pub(super) fn now() -> i64 {
    // Whole milliseconds since the epoch fit an i64 for the next 292 million years.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    now
}

/// A new id for a record (a command, an order, a customer): a UUID v4.
#[must_use]
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Why a form's command was not saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotSaved {
    /// The form's text: nothing ran.
    Form(FormError),
    /// The aggregate or the storage refused the command: a sentence for the seller.
    Refused(String),
}

fn reason<E: std::fmt::Display>(error: ExecuteError<E>) -> String {
    match error {
        ExecuteError::Domain(refusal) => refusal.to_string(),
        other => other.to_string(),
    }
}

impl Commands {
    /// Creates an order from the form, and first the customer's record when `keep_customer`
    /// asks for one (a name typed, not picked). On success the orders list already shows it.
    ///
    /// # Errors
    /// The refused fields, or why the order or the storage refused it; nothing is written
    /// then.
    pub async fn create_order(
        self,
        mut form: OrderForm,
        keep_customer: bool,
    ) -> Result<(), NotSaved> {
        let settings = self
            .views
            .with_live(|models| models.shop().settings().settings().clone());
        let mut command = form.to_command(&settings).map_err(NotSaved::Form)?;
        // A customer to keep is registered first, and the order made for the new record.
        if keep_customer && form.customer_id.is_none() {
            let created = command.at(Timestamp(0));
            let customer_id = new_id();
            let details = CustomerDetails::named(created.customer, created.email);
            self.run(Unstamped::from(ShopCommand::Customer {
                customer_id: customer_id.clone(),
                command: CustomerCommand::Register(details),
            }))
            .await
            .map_err(NotSaved::Refused)?;
            form.customer_id = Some(customer_id);
            command = form.to_command(&settings).map_err(NotSaved::Form)?;
        }
        let stream_id = order_stream(&new_id());
        self.run(command.map(|create| ShopCommand::Order {
            stream_id,
            command: OrderCommand::Create(create),
        }))
        .await
        .map_err(NotSaved::Refused)
    }

    /// Runs a command, stamped with the time now (the time it carries and the time it is
    /// recorded at are one instant), then brings the views up to date, runs the stock
    /// commands it calls for, and tells the other tabs.
    ///
    /// # Errors
    /// What the aggregate or the storage refused, as a sentence for the seller; nothing is
    /// written then.
    pub async fn run(self, command: Unstamped<ShopCommand>) -> Result<(), String> {
        match run_later(self, command).await {
            Ok(running) => running.await,
            Err(_) => Err(format!("Not saved: {UNLOADED}.")),
        }
    }

    /// [`Commands::run`], its code here.
    async fn run_now(self, command: Unstamped<ShopCommand>) -> Result<(), String> {
        let store = self.log.store()?;
        let refused = |reason: String| format!("Not saved: {reason}.");
        if self.syncing.read_only() {
            return Err(refused(READ_ONLY.to_owned()));
        }
        let now = Timestamp(now());
        let command = command.at(now);
        let meta = CommandMeta::direct(new_id(), now.0);
        let kept = self.kept.get_value();
        let appended = match &command {
            ShopCommand::Order { stream_id, command } => {
                execute_kept(&*store, &kept.orders, stream_id, command, &meta)
                    .await
                    .map_err(|error| refused(reason(error)))?
            }
            ShopCommand::Product { sku, command } => {
                let stream = product_stream(sku);
                execute_kept(&*store, &kept.products, &stream, command, &meta)
                    .await
                    .map_err(|error| refused(reason(error)))?
            }
            ShopCommand::Shop(command) => execute::<Shop, _>(&*store, SHOP_STREAM, command, &meta)
                .await
                .map_err(|error| refused(reason(error)))?,
            ShopCommand::Customer {
                customer_id,
                command,
            } => execute::<Customer, _>(&*store, &customer_stream(customer_id), command, &meta)
                .await
                .map_err(|error| refused(reason(error)))?,
        };
        let refreshed = async {
            if self.syncing.recording() && !appended.is_empty() {
                let recorded = RecordedCommand {
                    command,
                    recorded_at: now.0,
                };
                store.record(&meta.command_id, &recorded.text()).await?;
                self.syncing.nudge();
            }
            self.views.after_write(&store, &appended).await?;
            self.log.announce(appended.last());
            self.device.refresh_storage();
            self.run_stock(&store).await
        };
        refreshed.await.map_err(|error| {
            format!("Saved, but the views could not be refreshed: {error}. Reload the page.")
        })
    }

    /// Runs the product commands the stock process manager has queued, then folds the events
    /// they appended. Commands the store could not take stay queued for the next run.
    pub(super) async fn run_stock(self, store: &Rc<IdbStore>) -> Result<(), StoreError> {
        self.run_stock_on(store, &mut Stock::default()).await
    }

    /// [`Commands::run_stock`] on the products as `stock` keeps them from its earlier runs.
    pub(super) async fn run_stock_on(
        self,
        store: &Rc<IdbStore>,
        stock: &mut Stock,
    ) -> Result<(), StoreError> {
        let pending = self.views.take_stock_commands();
        if pending.is_empty() || self.syncing.read_only() {
            // A device that only reads leaves the stock commands to the devices that write.
            return Ok(());
        }
        let Ok(running) =
            run_stock_later(Rc::clone(store), std::mem::take(stock), pending.clone()).await
        else {
            // Its code did not arrive: the commands stay queued for the next run.
            self.views.retry_stock_commands(pending);
            return Ok(());
        };
        let (kept, outcome) = running.await;
        *stock = kept;
        self.views.retry_stock_commands(outcome.failed);
        if let Some((command, reason)) = outcome.refused.first() {
            web_sys::console::warn_1(
                &format!(
                    "stock: {} refused {:?}: {reason}",
                    command.sku.as_str(),
                    command.command
                )
                .into(),
            );
        }
        self.views.after_write(store, &outcome.appended).await?;
        self.log.announce(outcome.appended.last());
        Ok(())
    }

    /// Reads what this tab has not seen, then runs the stock commands it calls for.
    pub(super) async fn catch_up_and_run_stock(
        self,
        store: &Rc<IdbStore>,
    ) -> Result<(), StoreError> {
        self.views.catch_up(store).await?;
        self.run_stock(store).await
    }

    /// Another tab wrote: read what this tab has not seen, and sync it.
    pub(super) fn refresh(self) {
        self.syncing.nudge();
        spawn_local(async move {
            let Ok(store) = self.log.store() else {
                return;
            };
            if let Err(error) = self.catch_up_and_run_stock(&store).await {
                self.log.failed(&error);
            }
        });
    }
}

/// Why a command did not run when the code that writes did not arrive.
const UNLOADED: &str = "the part of orderlog that saves changes did not arrive (this device \
                        may be offline, or a newer version replaced this one); nothing was \
                        written. Reload orderlog and try again";

split_point! {
    writes, preload = preload_writes;
    /// [`Commands::run_now`] as a split point: the write side (the deciders, the appending, the
    /// recording for sync) is not in the first download; it is fetched as soon as the orders
    /// show (`AppCtx::open`), or by a change made before that.
    pub(crate) fn run_later(
        commands: Commands,
        command: Unstamped<ShopCommand>,
    ) -> Result<Later<Result<(), String>>, SplitLoaderError> {
        Ok(Box::pin(commands.run_now(command)))
    }
}

split_point! {
    writes;
    /// [`Stock::run`] as a split point: the stock process's code (the product decider, the batch
    /// write) comes with the rest of the write side.
    pub(crate) fn run_stock_later(
        store: Rc<IdbStore>,
        stock: Stock,
        commands: Vec<PendingCommand>,
    ) -> Result<Later<(Stock, StockRun)>, SplitLoaderError> {
        Ok(Box::pin(async move {
            let mut stock = stock;
            let outcome = stock.run(&*store, commands).await;
            (stock, outcome)
        }))
    }
}
