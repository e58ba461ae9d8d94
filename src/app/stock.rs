//! Runs the product commands the stock process manager (`read::StockProcess`) queued, in one
//! write: each product read once, the commands decided in memory and appended together.
//! A `Stock` kept from run to run (a bulk load runs one after each chunk) reads no product
//! twice.

use std::collections::HashSet;

use crate::domain::{product_stream, Product, ProductError, ProductEvent};
use crate::es::{
    codec, Aggregate, Batch, CommandMeta, Envelope, EventStore, ExecuteError, SnapshotStore,
};
use crate::read::PendingCommand;

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

/// The products as the runs so far left them, so that a bulk load, which runs the stock
/// commands after each chunk, reads each product once and not once per chunk.
#[derive(Default)]
pub struct Stock {
    /// Each product read or written so far, as it stands, with its stream version.
    products: Batch<Product>,
    /// The products in `products`.
    loaded: HashSet<String>,
    /// The ids of the commands their streams held when read.
    done: HashSet<String>,
}

impl Stock {
    /// Runs `commands` in order against their product streams, all in one write: a product
    /// this `Stock` has not seen is read, the commands are decided in memory and appended
    /// together. A command that ran before (its id is in its product's stream) is skipped,
    /// so a second run writes nothing. If the write fails (another tab wrote to a product
    /// meanwhile, or the storage refused), every command comes back as failed, to be run
    /// again, and the products are forgotten, to be read again.
    pub async fn run<S: EventStore + SnapshotStore>(
        &mut self,
        store: &S,
        commands: Vec<PendingCommand>,
    ) -> StockRun {
        let mut outcome = StockRun::default();
        let mut decided = Vec::new();
        for pending in commands {
            let stream = product_stream(&pending.sku);
            if self.loaded.insert(stream.clone()) {
                let Ok((state, version, ids)) = load_with_commands(store, &stream).await else {
                    // Unread, so its later commands must not be decided as if it were new.
                    self.loaded.remove(&stream);
                    outcome.failed.push(pending);
                    continue;
                };
                self.products.seed(&stream, state, version);
                self.done.extend(ids);
            }
            if self.done.contains(&pending.command_id) {
                continue;
            }
            let meta = CommandMeta {
                command_id: pending.command_id.clone(),
                correlation_id: pending.correlation_id.clone(),
                causation_id: pending.causation_id.clone(),
                recorded_at: pending.recorded_at,
            };
            match self.products.decide(&stream, &pending.command, meta) {
                Ok(()) => decided.push(pending),
                Err(ExecuteError::Domain(refusal)) => {
                    outcome.refused.push((pending, refusal.to_string()));
                }
                Err(_) => outcome.failed.push(pending),
            }
        }
        if let Ok(appended) = store.append_batch(self.products.take_requests()).await {
            outcome.appended = appended;
        } else {
            outcome.failed.extend(decided);
            *self = Stock::default();
        }
        outcome
    }
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
