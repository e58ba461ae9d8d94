//! The stock process manager: it follows the log, asks the domain's `stock_policy` what each
//! order event means for stock, and runs those product commands. Orders never reach into
//! products; this is the only bridge.
//!
//! It is a projection ([`StockProcess`]): its checkpoint and its queue of pending commands
//! are saved and restored with the read models, so a tab closed between an order's append
//! and its product commands runs them on the next start. Every product command's id is made
//! from the seq of the order event that caused it, so running one twice writes nothing the
//! second time.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::{
    product_stream, stock_policy, Order, OrderEvent, Product, ProductCommand, ProductError,
    ProductEvent, ShopEvent, Sku,
};
use crate::es::{
    codec, Aggregate, Batch, CommandMeta, Envelope, EventStore, ExecuteError, Projection,
    SnapshotStore,
};

/// A product command the policy asked for, not yet run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCommand {
    pub sku: Sku,
    pub command: ProductCommand,
    /// `stock-<seq>-<n>`: the n-th command for the order event at seq.
    pub command_id: String,
    /// The order command that caused it.
    pub causation_id: String,
    pub correlation_id: String,
    pub recorded_at: i64,
}

/// Each order as the policy needs it (before each event), until the policy is done with it
/// (`stock_policy::done_with`), and the commands still to run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockProcess {
    orders: BTreeMap<String, Order>,
    pending: Vec<PendingCommand>,
}

impl StockProcess {
    /// The commands waiting to be run, oldest first.
    #[must_use]
    pub fn pending(&self) -> &[PendingCommand] {
        &self.pending
    }

    /// Hands the pending commands over to be run; they are no longer pending here.
    pub fn take_pending(&mut self) -> Vec<PendingCommand> {
        std::mem::take(&mut self.pending)
    }

    /// Puts back commands that could not be run, ahead of newer ones.
    pub fn retry_later(&mut self, failed: Vec<PendingCommand>) {
        let newer = std::mem::replace(&mut self.pending, failed);
        self.pending.extend(newer);
    }
}

impl Projection for StockProcess {
    type Event = ShopEvent;
    const NAME: &'static str = "stock_process";
    const VERSION: u32 = 1;

    fn apply(&mut self, envelope: &Envelope, event: &ShopEvent) {
        let ShopEvent::Order(event) = event else {
            return;
        };
        // An order it does not hold was created before and finished: nothing to do.
        let Some(before) = self
            .orders
            .remove(&envelope.stream_id)
            .or_else(|| matches!(event, OrderEvent::OrderCreated { .. }).then(Order::default))
        else {
            return;
        };
        let commands = stock_policy::react(&envelope.stream_id, &before, event);
        self.pending
            .extend(
                commands
                    .into_iter()
                    .enumerate()
                    .map(|(n, (sku, command))| PendingCommand {
                        sku,
                        command,
                        command_id: format!("stock-{}-{n}", envelope.seq),
                        causation_id: envelope.command_id.clone(),
                        correlation_id: envelope.correlation_id.clone(),
                        recorded_at: envelope.recorded_at,
                    }),
            );
        let after = before.evolve(event);
        if !stock_policy::done_with(&after) {
            self.orders.insert(envelope.stream_id.clone(), after);
        }
    }

    /// Copies saved before orders were forgotten still hold finished ones: they go here.
    fn restored(&mut self) -> bool {
        self.orders
            .retain(|_, order| !stock_policy::done_with(order));
        true
    }
}

/// What running the pending commands came to.
#[derive(Debug, Default)]
pub struct StockRun {
    /// Every event the commands appended, in order.
    pub appended: Vec<Envelope>,
    /// Commands the store could not take (storage errors, a run of conflicts): run them
    /// again later.
    pub failed: Vec<PendingCommand>,
    /// Commands a product refused: the policy asked for something the product would not do.
    /// Reported, not retried.
    pub refused: Vec<(PendingCommand, String)>,
}

/// Runs `commands` in order against their product streams, all in one write: each product
/// is read once, the commands are decided in memory and appended together. A command that
/// ran before (its id is in its product's stream) is skipped, so a second run writes nothing.
/// If the write fails (another tab wrote to a product meanwhile, or the storage refused),
/// every command comes back as failed, to be run again.
pub async fn run<S: EventStore + SnapshotStore>(
    store: &S,
    commands: Vec<PendingCommand>,
) -> StockRun {
    let mut outcome = StockRun::default();
    let mut batch = Batch::<Product>::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut loaded: BTreeSet<String> = BTreeSet::new();
    let mut decided = Vec::new();
    for pending in commands {
        let stream = product_stream(&pending.sku);
        if loaded.insert(stream.clone()) {
            let Ok((state, version, ids)) = load_with_commands(store, &stream).await else {
                // Unread, so its later commands must not be decided as if it were new.
                loaded.remove(&stream);
                outcome.failed.push(pending);
                continue;
            };
            batch.seed(&stream, state, version);
            done.extend(ids);
        }
        if done.contains(&pending.command_id) {
            continue;
        }
        let meta = CommandMeta {
            command_id: pending.command_id.clone(),
            correlation_id: pending.correlation_id.clone(),
            causation_id: pending.causation_id.clone(),
            recorded_at: pending.recorded_at,
        };
        match batch.decide(&stream, &pending.command, meta) {
            Ok(()) => decided.push(pending),
            Err(ExecuteError::Domain(refusal)) => {
                outcome.refused.push((pending, refusal.to_string()));
            }
            Err(_) => outcome.failed.push(pending),
        }
    }
    match store.append_batch(batch.take_requests()).await {
        Ok(appended) => outcome.appended = appended,
        Err(_) => outcome.failed.extend(decided),
    }
    outcome
}

/// A product's state, its stream version and the ids of the commands already in it.
async fn load_with_commands<S: EventStore>(
    store: &S,
    stream: &str,
) -> Result<(Product, u64, Vec<String>), ExecuteError<ProductError>> {
    let events = store.read_stream(stream, 1).await?;
    let mut state = Product::default();
    for envelope in &events {
        let event = codec::decode::<ProductEvent>(
            &envelope.event_type,
            envelope.schema_version,
            &envelope.payload,
        )?;
        state = state.evolve(&event);
    }
    let version = events.last().map_or(0, |e| e.stream_version);
    Ok((
        state,
        version,
        events.into_iter().map(|e| e.command_id).collect(),
    ))
}
