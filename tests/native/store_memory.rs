//! The event-store conformance suite against the in-memory store, natively.

use futures::executor::block_on;
use orderlog::es::MemoryStore;

use crate::conformance;

macro_rules! memory_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                block_on(conformance::$case(&MemoryStore::new()));
            }
        )*
    };
}

for_each_case!(memory_cases);
for_each_synced_case!(memory_cases);
