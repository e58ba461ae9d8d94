//! The Decider contract every aggregate implements: `decide` and `evolve` are pure and
//! synchronous; everything an aggregate needs from outside arrives inside the command.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::codec::EventSchema;

/// A consistency boundary: one event stream, folded into state by `evolve`, guarded by
/// `decide`. `Default` is the state before the stream's first event. The state serialises
/// so that it can be snapshotted.
pub trait Aggregate: Default + Serialize + DeserializeOwned {
    /// Cloned when a conflicting append makes [`crate::es::execute`] decide again.
    type Command: Clone;
    /// Stored through [`crate::es::codec`].
    type Event: EventSchema;
    type Error: std::error::Error;

    /// The shape of the serialised state; bump it when the state's fields change, and old
    /// snapshots are ignored.
    const STATE_VERSION: u32 = 1;

    /// Which events the command produces in this state, or why it is refused.
    ///
    /// # Errors
    /// The domain's reason for refusing the command.
    fn decide(&self, command: &Self::Command) -> Result<Vec<Self::Event>, Self::Error>;

    /// The state after `event`. Total: it never validates, the event already happened.
    #[must_use]
    fn evolve(self, event: &Self::Event) -> Self;
}
