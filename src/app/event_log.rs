//! Pages of the event log, newest first, for the event-log view. The log is the store
//! itself, so this reads the store a page at a time instead of keeping every envelope in
//! memory: a shop's whole history would not fit a read model. Each page arrives as rows
//! ([`EventRow`]), already decoded. Generic over the store, so it is tested natively against
//! the in-memory one.

use crate::es::{Envelope, EventStore, StoreError, READ_BATCH};
use crate::read::history::EventRow;

/// Events on one page.
pub const PAGE_SIZE: usize = 50;

/// Which events to show. Empty filters match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// Only this stream (exact id).
    pub stream: String,
    /// Only this event type (exact name).
    pub event_type: String,
    /// Only events before this seq; `None` starts at the newest.
    pub before: Option<u64>,
}

/// One page of events, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventPage {
    pub events: Vec<EventRow>,
    /// The log's newest seq when the page was read.
    pub head: u64,
    /// The `before` of the next, older page; `None` on the last page.
    pub older: Option<u64>,
    /// Seqs the log does not hold within the span this page covers (a gap), newest first,
    /// as inclusive ranges; found only when the query filters nothing.
    pub missing: Vec<(u64, u64)>,
}

impl EventQuery {
    fn matches(&self, envelope: &Envelope) -> bool {
        (self.stream.is_empty() || envelope.stream_id == self.stream)
            && (self.event_type.is_empty() || envelope.event_type == self.event_type)
    }
}

/// Reads the page `query` asks for.
///
/// # Errors
/// The store's error, when the log cannot be read.
pub async fn page<S: EventStore>(store: &S, query: &EventQuery) -> Result<EventPage, StoreError> {
    let head = store.last().await?.map_or(0, |e| e.seq);
    let upper = query
        .before
        .map_or(head, |before| before.saturating_sub(1).min(head));
    let mut events = Vec::with_capacity(PAGE_SIZE);
    let mut more = false;
    if query.stream.is_empty() {
        let mut cursor = upper;
        while cursor > 0 && !more {
            let from = cursor.saturating_sub(u64::from(READ_BATCH) - 1).max(1);
            let count = u32::try_from(cursor - from + 1).unwrap_or(READ_BATCH);
            let batch = store.read_all(from, count).await?;
            for envelope in batch.into_iter().rev().filter(|e| query.matches(e)) {
                if events.len() == PAGE_SIZE {
                    more = true;
                    break;
                }
                events.push(envelope);
            }
            cursor = from - 1;
        }
    } else {
        let stream = store.read_stream(&query.stream, 1).await?;
        for envelope in stream
            .into_iter()
            .rev()
            .filter(|e| e.seq <= upper && query.matches(e))
        {
            if events.len() == PAGE_SIZE {
                more = true;
                break;
            }
            events.push(envelope);
        }
    }
    let older = if more {
        events.last().map(|e| e.seq)
    } else {
        None
    };
    let missing = if query.stream.is_empty() && query.event_type.is_empty() {
        missing_between(upper, events.iter().map(|e| e.seq), older.is_none())
    } else {
        Vec::new()
    };
    Ok(EventPage {
        events: events.iter().map(EventRow::of).collect(),
        head,
        older,
        missing,
    })
}

/// The seqs from `upper` down that `seqs` (newest first, every one the log holds in that
/// span) skip, newest first; down to seq 1 when `to_the_start`.
fn missing_between(
    upper: u64,
    seqs: impl IntoIterator<Item = u64>,
    to_the_start: bool,
) -> Vec<(u64, u64)> {
    let mut missing = Vec::new();
    let mut expected = upper;
    for seq in seqs {
        if seq < expected {
            missing.push((seq + 1, expected));
        }
        expected = seq.saturating_sub(1);
    }
    if to_the_start && expected >= 1 {
        missing.push((1, expected));
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::missing_between;

    #[test]
    fn a_page_names_the_seqs_it_skips_newest_first() {
        assert_eq!(missing_between(9, [9, 8, 5, 4, 1], true), [(6, 7), (2, 3)]);
        assert_eq!(
            missing_between(9, [7, 6], false),
            [(8, 9)],
            "none below an older page's top"
        );
        assert_eq!(missing_between(9, [7, 6], true), [(8, 9), (1, 5)]);
        assert_eq!(missing_between(3, [3, 2, 1], true), []);
        assert_eq!(missing_between(0, [], true), []);
    }
}
