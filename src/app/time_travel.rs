//! Time travel: the read side as it was after an earlier event, replayed from the log into a
//! fresh read side beside the live one.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Views;
use crate::es::idb::IdbStore;
use crate::es::{EventStore, StoreError, READ_BATCH};
use crate::read::ReadSide;

/// The read models as they were after an earlier event: what time travel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PastView {
    /// The seq of the last event folded in.
    pub after: u64,
    pub models: ReadSide,
}

/// Where time travel stands.
// One value, kept in one signal: boxing the past read models would save no memory that
// matters.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum TimeTravel {
    Live,
    /// Replaying the log up to this seq.
    Loading(u64),
    Past(PastView),
}

impl Views {
    /// Shows the read models as they were after event `seq` (the log is replayed up to it),
    /// or live again for `None`.
    pub fn travel_to(self, seq: Option<u64>) {
        let Some(seq) = seq else {
            return self.set_time_travel.set(TimeTravel::Live);
        };
        let Ok(store) = self.log.store() else {
            return;
        };
        self.set_time_travel.set(TimeTravel::Loading(seq));
        spawn_local(async move {
            match replay_until(&store, seq).await {
                // A later request replaced this one meanwhile: drop this result.
                Ok(_) if self.time_travel.get_untracked() != TimeTravel::Loading(seq) => {}
                Ok(models) => self
                    .set_time_travel
                    .set(TimeTravel::Past(PastView { after: seq, models })),
                Err(error) => {
                    self.set_time_travel.set(TimeTravel::Live);
                    self.log.failed(&error);
                }
            }
        });
    }
}

/// A fresh read side folded from the log's events up to and including `seq`.
async fn replay_until(store: &IdbStore, seq: u64) -> Result<ReadSide, StoreError> {
    let mut models = ReadSide::default();
    while models.checkpoint() < seq {
        let from = models.checkpoint() + 1;
        let limit = u32::try_from(seq - models.checkpoint())
            .unwrap_or(READ_BATCH)
            .min(READ_BATCH);
        let batch = store.read_all(from, limit).await?;
        if models.apply_stored(from, &batch) == 0 {
            break;
        }
    }
    Ok(models)
}
