//! Bulk writes through real commands: demo data now, imports later. Every command is
//! decided by its aggregate (so every rule checks it) in memory with `es::Batch`, and the
//! events go to the store a chunk at a time, thousands of events per transaction.

use std::collections::BTreeMap;

use crate::domain::customer::{customer_stream, Customer, CustomerCommand};
use crate::domain::{Order, OrderCommand, Product, ProductCommand};
pub use crate::es::Planned;
use crate::es::{Aggregate, Batch, Envelope, EventStore, ExecuteError, StoreError};

/// Commands appended per transaction.
pub const CHUNK: usize = 1_000;

/// What a bulk load came to.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    /// How much the log grew: commands that ran before (a second load) write nothing.
    pub written: u64,
    /// Commands the domain refused, by position in their list, with the reason. Nothing of
    /// them was written; the rest went on.
    pub refused: Vec<(usize, String)>,
    /// The load was stopped (progress answered `false`) before the end.
    pub stopped: bool,
}

/// Decides and appends `products`, then `orders`, reporting `(done, total)` commands and the
/// events just written after each chunk (so the views can fold them without reading them
/// back, and the stock process can follow them); `progress` answers whether to go on. A
/// chunk ends only where the stream changes, so a stream's consecutive commands are written
/// together: stopping never leaves half an order. Products and orders are new streams: a stream that exists makes
/// its chunk a conflict, and the load stops there with what was written before it kept.
///
/// # Errors
/// The store's error for the chunk that failed.
pub async fn load<S: EventStore>(
    store: &S,
    products: Vec<Planned<ProductCommand>>,
    orders: Vec<Planned<OrderCommand>>,
    progress: impl AsyncFnMut(usize, usize, &[Envelope]) -> bool,
) -> Result<BulkOutcome, StoreError> {
    load_with_customers(store, products, Vec::new(), orders, progress).await
}

/// [`load`], with an import's `customers`: each written in the chunk before the first chunk
/// of orders that names it, so a load stopped or cut off midway leaves whole orders with
/// their customers (customers no order names come last).
///
/// # Errors
/// The store's error for the chunk that failed.
pub async fn load_with_customers<S: EventStore>(
    store: &S,
    products: Vec<Planned<ProductCommand>>,
    customers: Vec<Planned<CustomerCommand>>,
    orders: Vec<Planned<OrderCommand>>,
    mut progress: impl AsyncFnMut(usize, usize, &[Envelope]) -> bool,
) -> Result<BulkOutcome, StoreError> {
    let total = products.len() + customers.len() + orders.len();
    let head = || async { store.last().await.map(|last| last.map_or(0, |e| e.seq)) };
    let before = head().await?;
    let mut outcome = BulkOutcome::default();
    let mut done =
        load_one::<Product, S>(store, products, 0, total, &mut outcome, &mut progress).await?;
    if customers.is_empty() {
        // One batch over all the orders: the demo's orders interleave in time, and a batch
        // keeps each stream's state from one chunk to the next.
        if !outcome.stopped {
            done = load_one::<Order, S>(store, orders, done, total, &mut outcome, &mut progress)
                .await?;
        }
    } else {
        // An import's plan holds each order's commands together, so a batch per chunk of
        // whole orders sees each stream once.
        let mut waiting: BTreeMap<String, Planned<CustomerCommand>> = customers
            .into_iter()
            .map(|planned| (planned.0.clone(), planned))
            .collect();
        for chunk in chunks(orders) {
            if outcome.stopped {
                break;
            }
            let named: Vec<Planned<CustomerCommand>> = chunk
                .iter()
                .filter_map(|(_, command, _)| match command {
                    OrderCommand::Create(create) => create.customer_id.as_deref(),
                    _ => None,
                })
                .filter_map(|id| waiting.remove(&customer_stream(id)))
                .collect();
            if !named.is_empty() {
                done =
                    load_one::<Customer, S>(store, named, done, total, &mut outcome, &mut progress)
                        .await?;
            }
            if !outcome.stopped {
                done = load_one::<Order, S>(store, chunk, done, total, &mut outcome, &mut progress)
                    .await?;
            }
        }
        let unnamed: Vec<Planned<CustomerCommand>> = waiting.into_values().collect();
        if !outcome.stopped && !unnamed.is_empty() {
            done =
                load_one::<Customer, S>(store, unnamed, done, total, &mut outcome, &mut progress)
                    .await?;
        }
    }
    // Asked to stop only once everything was written: nothing was left undone.
    outcome.stopped &= done < total;
    outcome.written = head().await? - before;
    Ok(outcome)
}

/// `orders` in chunks of about [`CHUNK`] commands, each ending where a stream does (a plan
/// holds each order's commands together).
fn chunks(orders: Vec<Planned<OrderCommand>>) -> Vec<Vec<Planned<OrderCommand>>> {
    let mut chunks: Vec<Vec<Planned<OrderCommand>>> = vec![Vec::new()];
    for planned in orders {
        let full = chunks.last().is_some_and(|chunk| {
            chunk.len() >= CHUNK
                && chunk
                    .last()
                    .is_some_and(|(stream, _, _)| *stream != planned.0)
        });
        if full {
            chunks.push(Vec::new());
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(planned);
        }
    }
    chunks
}

async fn load_one<A: Aggregate, S: EventStore>(
    store: &S,
    commands: Vec<Planned<A::Command>>,
    done_before: usize,
    total: usize,
    outcome: &mut BulkOutcome,
    progress: &mut impl AsyncFnMut(usize, usize, &[Envelope]) -> bool,
) -> Result<usize, StoreError> {
    let mut batch = Batch::<A>::new();
    let mut done = done_before;
    let mut last_stream = String::new();
    for (index, (stream, command, meta)) in commands.into_iter().enumerate() {
        if batch.pending() >= CHUNK && stream != last_stream {
            let written = store.append_batch(batch.take_requests()).await?;
            if !progress(done, total, &written).await {
                outcome.stopped = true;
                return Ok(done);
            }
        }
        match batch.decide(&stream, &command, meta) {
            Ok(()) => {}
            Err(ExecuteError::Domain(refusal)) => outcome
                .refused
                .push((done_before + index, refusal.to_string())),
            Err(other) => outcome
                .refused
                .push((done_before + index, other.to_string())),
        }
        done += 1;
        last_stream = stream;
    }
    let written = store.append_batch(batch.take_requests()).await?;
    outcome.stopped = !progress(done, total, &written).await;
    Ok(done)
}
