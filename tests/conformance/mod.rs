//! The event-store contract, written once and run against every implementation: natively
//! against `MemoryStore` (`tests/native/store_memory.rs`) and in headless Chromium against
//! `IdbStore` (`tests/browser.rs`). Each case takes a fresh, empty store.

use orderlog::es::{
    verify, verify_chain, AppendRequest, ChainError, CommandMeta, Envelope, EventStore, NewEvent,
    SavedReadModel, Snapshot, SnapshotStore, StoreError,
};

/// Calls `$callback!` with the name of every case, so each runner lists them all.
macro_rules! for_each_case {
    ($callback:ident) => {
        $callback!(
            appends_get_gap_free_seqs_and_stream_versions,
            read_stream_returns_one_stream_from_a_version,
            read_all_reads_from_a_seq_in_batches,
            a_stale_expected_version_is_a_conflict_and_writes_nothing,
            the_same_command_twice_is_written_once,
            the_stored_log_chains_its_hashes,
            two_writers_at_one_version_exactly_one_wins,
            snapshots_are_saved_replaced_and_cleared,
            read_models_are_saved_and_replaced_by_name,
            the_last_event_and_a_commands_events_are_found,
            a_whole_log_verifies,
            a_batch_appends_every_request_in_order,
            a_batch_with_a_conflict_anywhere_writes_nothing,
            replacing_the_log_keeps_only_the_new_events_and_drops_saved_state,
        );
    };
}

fn event(n: u32) -> NewEvent {
    NewEvent {
        event_type: "Happened".into(),
        schema_version: 1,
        payload: format!("{{\"n\":{n}}}"),
    }
}

fn request(
    stream_id: &str,
    expected_version: u64,
    command_id: &str,
    events: &[u32],
) -> AppendRequest {
    AppendRequest {
        stream_id: stream_id.into(),
        expected_version,
        events: events.iter().copied().map(event).collect(),
        meta: CommandMeta {
            command_id: command_id.into(),
            correlation_id: format!("corr-{command_id}"),
            causation_id: format!("cause-{command_id}"),
            recorded_at: 1_700_000_000_000,
        },
    }
}

fn positions(events: &[Envelope]) -> Vec<(u64, &str, u64)> {
    events
        .iter()
        .map(|e| (e.seq, e.stream_id.as_str(), e.stream_version))
        .collect()
}

async fn all<S: EventStore>(store: &S) -> Vec<Envelope> {
    store.read_all(1, u32::MAX).await.expect("read_all")
}

pub async fn appends_get_gap_free_seqs_and_stream_versions<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("first append");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("second append");
    let third = store
        .append(request("a", 2, "c3", &[4]))
        .await
        .expect("third append");

    assert_eq!(positions(&third), vec![(4, "a", 3)]);
    let stored = all(store).await;
    assert_eq!(
        positions(&stored),
        vec![(1, "a", 1), (2, "a", 2), (3, "b", 1), (4, "a", 3)]
    );
    let first = &stored[0];
    assert_eq!(
        (
            first.event_type.as_str(),
            first.schema_version,
            first.payload.as_str(),
            first.recorded_at
        ),
        ("Happened", 1, "{\"n\":1}", 1_700_000_000_000)
    );
    assert_eq!(
        (
            first.command_id.as_str(),
            first.correlation_id.as_str(),
            first.causation_id.as_str()
        ),
        ("c1", "corr-c1", "cause-c1")
    );
}

pub async fn read_stream_returns_one_stream_from_a_version<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1, 2, 3]))
        .await
        .expect("append a");
    store
        .append(request("b", 0, "c2", &[4]))
        .await
        .expect("append b");

    let from_two = store.read_stream("a", 2).await.expect("read a");
    assert_eq!(positions(&from_two), vec![(2, "a", 2), (3, "a", 3)]);
    assert_eq!(store.read_stream("missing", 1).await, Ok(vec![]));
}

pub async fn read_all_reads_from_a_seq_in_batches<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1, 2, 3, 4, 5]))
        .await
        .expect("append");

    let page = store.read_all(2, 3).await.expect("read page");
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert_eq!(store.read_all(6, 10).await, Ok(vec![]));
}

pub async fn a_stale_expected_version_is_a_conflict_and_writes_nothing<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("append");

    let stale = store.append(request("a", 1, "c2", &[3, 4])).await;
    assert_eq!(
        stale,
        Err(StoreError::Conflict {
            stream_id: "a".into(),
            expected: 1,
            actual: 2
        })
    );
    assert_eq!(
        all(store).await.len(),
        2,
        "nothing of the refused append is stored"
    );
}

pub async fn the_same_command_twice_is_written_once<S: EventStore>(store: &S) {
    let first = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("first");
    let again = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("retry");

    assert_eq!(again, first, "the retry returns the first append's events");
    assert_eq!(all(store).await, first, "and writes nothing");
}

pub async fn the_stored_log_chains_its_hashes<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("append");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("append");
    let stored = all(store).await;
    assert_eq!(verify_chain(None, &stored), Ok(()));

    let mut tampered = stored.clone();
    tampered[1].payload = "{\"n\":20}".into();
    assert_eq!(
        verify_chain(None, &tampered),
        Err(ChainError::HashMismatch { seq: 2 })
    );
    let truncated = [stored[0].clone(), stored[2].clone()];
    assert_eq!(
        verify_chain(None, &truncated),
        Err(ChainError::Gap {
            previous: 1,
            found: 3
        })
    );
}

pub async fn two_writers_at_one_version_exactly_one_wins<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1]))
        .await
        .expect("append");

    let (left, right) = futures::future::join(
        store.append(request("a", 1, "left", &[2])),
        store.append(request("a", 1, "right", &[3])),
    )
    .await;
    let wins = [&left, &right]
        .iter()
        .filter(|outcome| outcome.is_ok())
        .count();
    assert_eq!(wins, 1, "exactly one writer wins: {left:?} {right:?}");
    let loser = if left.is_ok() { right } else { left };
    assert_eq!(
        loser,
        Err(StoreError::Conflict {
            stream_id: "a".into(),
            expected: 1,
            actual: 2
        })
    );
    assert_eq!(positions(&all(store).await), vec![(1, "a", 1), (2, "a", 2)]);
}

pub async fn snapshots_are_saved_replaced_and_cleared<S: EventStore + SnapshotStore>(store: &S) {
    assert_eq!(store.load_snapshot("a").await, Ok(None));
    let first = Snapshot {
        stream_id: "a".into(),
        stream_version: 25,
        state_version: 1,
        state: "{\"count\":25}".into(),
    };
    store.save_snapshot(&first).await.expect("save");
    assert_eq!(store.load_snapshot("a").await, Ok(Some(first.clone())));

    let second = Snapshot {
        stream_version: 50,
        state: "{\"count\":50}".into(),
        ..first
    };
    store.save_snapshot(&second).await.expect("replace");
    assert_eq!(store.load_snapshot("a").await, Ok(Some(second)));

    store.clear_snapshots().await.expect("clear");
    assert_eq!(store.load_snapshot("a").await, Ok(None));
}

pub async fn read_models_are_saved_and_replaced_by_name<S: EventStore + SnapshotStore>(store: &S) {
    assert_eq!(store.load_read_model("orders").await, Ok(None));
    let saved = SavedReadModel {
        name: "orders".into(),
        version: 1,
        checkpoint: 7,
        checkpoint_hash: "abc".into(),
        parts: 1,
        state: "{\"rows\":[]}".into(),
    };
    store
        .save_read_model(std::slice::from_ref(&saved))
        .await
        .expect("save");
    let newer = SavedReadModel {
        checkpoint: 9,
        ..saved
    };
    let part = SavedReadModel {
        name: SavedReadModel::part_name("orders", 1),
        ..newer.clone()
    };
    store
        .save_read_model(&[newer.clone(), part.clone()])
        .await
        .expect("replace");
    assert_eq!(
        store.load_read_model("orders").await,
        Ok(Some(newer.clone()))
    );
    assert_eq!(
        store.load_read_model("orders#1").await,
        Ok(Some(part.clone()))
    );

    let names = ["orders#1", "orders#2", "orders"].map(String::from);
    assert_eq!(
        store.load_read_models(&names).await,
        Ok(vec![Some(part), None, Some(newer.clone())]),
        "several read at once, in the order asked, a missing one as none"
    );

    store
        .delete_read_models(&["orders#1", "never saved"])
        .await
        .expect("delete");
    assert_eq!(store.load_read_model("orders#1").await, Ok(None));
    assert_eq!(
        store.load_read_model("orders").await,
        Ok(Some(newer)),
        "only those named are deleted"
    );
}

pub async fn the_last_event_and_a_commands_events_are_found<S: EventStore>(store: &S) {
    assert_eq!(store.last().await, Ok(None));
    store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("append");
    let second = store
        .append(request("b", 0, "c2", &[3, 4]))
        .await
        .expect("append");

    assert_eq!(store.last().await, Ok(second.last().cloned()));
    assert_eq!(store.read_command("c2").await, Ok(second));
    assert_eq!(store.read_command("never").await, Ok(vec![]));
}

pub async fn a_whole_log_verifies<S: EventStore>(store: &S) {
    assert_eq!(verify(store).await, Ok(0));
    for n in 0..5 {
        store
            .append(request(&format!("s{n}"), 0, &format!("c{n}"), &[1, 2]))
            .await
            .expect("append");
    }
    assert_eq!(verify(store).await, Ok(10));
}

pub async fn a_batch_appends_every_request_in_order<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c0", &[1]))
        .await
        .expect("append");
    let batch = vec![
        request("a", 1, "c1", &[2, 3]),
        request("b", 0, "c2", &[4]),
        request("a", 3, "c3", &[5]),
        request("a", 0, "c0", &[1]),
    ];

    let written = store.append_batch(batch).await.expect("batch");
    assert_eq!(
        positions(&written),
        vec![
            (2, "a", 2),
            (3, "a", 3),
            (4, "b", 1),
            (5, "a", 4),
            (1, "a", 1)
        ],
        "a command appended before stands for its earlier events"
    );
    assert_eq!(all(store).await.len(), 5);
    assert_eq!(verify(store).await, Ok(5));
}

pub async fn a_batch_with_a_conflict_anywhere_writes_nothing<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c0", &[1]))
        .await
        .expect("append");
    let batch = vec![
        request("b", 0, "c1", &[2]),
        request("c", 0, "c2", &[3]),
        request("a", 0, "c3", &[4]),
    ];

    assert_eq!(
        store.append_batch(batch).await,
        Err(StoreError::Conflict {
            stream_id: "a".into(),
            expected: 0,
            actual: 1
        })
    );
    assert_eq!(positions(&all(store).await), vec![(1, "a", 1)]);
    assert_eq!(store.read_command("c1").await, Ok(vec![]));
}

pub async fn replacing_the_log_keeps_only_the_new_events_and_drops_saved_state<
    S: EventStore + SnapshotStore,
>(
    store: &S,
) {
    let backup = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("append");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("append");
    let snapshot = Snapshot {
        stream_id: "a".into(),
        stream_version: 2,
        state_version: 1,
        state: "{}".into(),
    };
    store.save_snapshot(&snapshot).await.expect("snapshot");

    store.replace_all(backup.clone()).await.expect("replace");
    assert_eq!(all(store).await, backup);
    assert_eq!(store.load_snapshot("a").await, Ok(None));
    assert_eq!(store.read_command("c2").await, Ok(vec![]));
    let next = store
        .append(request("b", 0, "c3", &[4]))
        .await
        .expect("append after");
    assert_eq!(positions(&next), vec![(3, "b", 1)]);
}
