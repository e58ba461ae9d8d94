//! The given/when/then harness shared by the deciders' specifications: fold the given events
//! with `evolve`, decide the command, compare the events or the error.

use std::fmt::Debug;

use orderlog::es::Aggregate;

pub struct Given<A>(A);

pub struct Then<A: Aggregate>(Result<Vec<A::Event>, A::Error>);

/// The aggregate after `events`.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = A::Event>) -> Given<A> {
    Given(
        events
            .into_iter()
            .fold(A::default(), |state, event| state.evolve(&event)),
    )
}

impl<A: Aggregate> Given<A> {
    #[allow(clippy::needless_pass_by_value)] // `.when(command)` reads as the specification
    pub fn when(self, command: A::Command) -> Then<A> {
        Then(self.0.decide(&command))
    }
}

impl<A: Aggregate> Then<A>
where
    A::Event: Debug + PartialEq,
    A::Error: PartialEq,
{
    #[track_caller]
    pub fn then(self, expected: Vec<A::Event>) {
        assert_eq!(self.0, Ok(expected));
    }

    #[track_caller]
    pub fn then_err(self, expected: A::Error) {
        assert_eq!(self.0, Err(expected));
    }
}
