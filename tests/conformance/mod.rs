//! The event-store contract, written once and run against every implementation: natively
//! against `MemoryStore` (`tests/native/store_memory.rs`) and in headless Chromium against
//! `IdbStore` (`tests/browser.rs`). Each case takes a fresh, empty store.

use orderlog::es::{
    verify, verify_chain, AppendRequest, ChainError, CommandMeta, Envelope, EventStore,
    MemoryStore, NewEvent, SavedReadModel, Snapshot, SnapshotStore, StoreError, SyncedStore,
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
            a_stream_whose_events_span_many_appends_is_read_whole_and_from_a_version,
            a_stream_that_shares_a_batch_with_others_is_read_alone,
            read_all_starts_and_stops_inside_a_batch,
            a_conflict_deep_inside_a_large_batch_writes_nothing,
            a_command_repeated_within_one_batch_is_written_once,
            a_command_id_is_appended_once_whatever_the_stream,
            a_replaced_log_is_read_and_appended_to_as_written,
        );
    };
}

/// Calls `$callback!` with the name of every case of the [`SyncedStore`] contract.
macro_rules! for_each_synced_case {
    ($callback:ident) => {
        $callback!(
            a_rebase_keeps_the_log_to_a_seq_and_replaces_the_rest_with_the_shops_events,
            a_rebase_that_does_not_follow_the_kept_log_changes_nothing,
            a_rebase_after_another_write_changes_nothing,
            recorded_commands_are_kept_read_at_once_and_forgotten,
            a_restored_log_drops_the_sync_state_and_the_recorded_commands,
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

pub async fn a_stream_whose_events_span_many_appends_is_read_whole_and_from_a_version<
    S: EventStore,
>(
    store: &S,
) {
    for n in 0..30 {
        store
            .append(request("a", n, &format!("a{n}"), &[1]))
            .await
            .expect("append a");
        store
            .append(request("b", n, &format!("b{n}"), &[2]))
            .await
            .expect("append b");
    }

    let whole = store.read_stream("a", 1).await.expect("read a");
    assert_eq!(
        whole.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        (1..=30).collect::<Vec<_>>()
    );
    assert!(whole.iter().all(|e| e.stream_id == "a"));
    let tail = store.read_stream("a", 28).await.expect("read a's tail");
    assert_eq!(
        positions(&tail),
        vec![(55, "a", 28), (57, "a", 29), (59, "a", 30)]
    );
}

pub async fn a_stream_that_shares_a_batch_with_others_is_read_alone<S: EventStore>(store: &S) {
    store
        .append_batch(vec![
            request("a", 0, "c1", &[1, 2]),
            request("b", 0, "c2", &[3]),
            request("a", 2, "c3", &[4]),
            request("c", 0, "c4", &[5, 6]),
        ])
        .await
        .expect("batch");
    store
        .append(request("b", 1, "c5", &[7]))
        .await
        .expect("append b");

    assert_eq!(
        positions(&store.read_stream("b", 1).await.expect("read b")),
        vec![(3, "b", 1), (7, "b", 2)]
    );
    assert_eq!(
        positions(&store.read_stream("a", 2).await.expect("read a")),
        vec![(2, "a", 2), (4, "a", 3)]
    );
    assert_eq!(
        positions(&store.read_command("c4").await.expect("read c4")),
        vec![(5, "c", 1), (6, "c", 2)]
    );
}

pub async fn read_all_starts_and_stops_inside_a_batch<S: EventStore>(store: &S) {
    store
        .append_batch(vec![
            request("a", 0, "c1", &[1, 2, 3]),
            request("b", 0, "c2", &[4, 5, 6, 7]),
        ])
        .await
        .expect("batch");
    store
        .append(request("c", 0, "c3", &[8, 9]))
        .await
        .expect("append");

    let seqs = |events: Vec<Envelope>| events.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(
        seqs(store.read_all(3, 3).await.expect("read")),
        vec![3, 4, 5]
    );
    assert_eq!(
        seqs(store.read_all(6, 3).await.expect("read")),
        vec![6, 7, 8]
    );
    assert_eq!(seqs(store.read_all(9, 1).await.expect("read")), vec![9]);
    assert_eq!(
        seqs(store.read_all(5, 0).await.expect("read")),
        Vec::<u64>::new()
    );
}

pub async fn a_conflict_deep_inside_a_large_batch_writes_nothing<S: EventStore>(store: &S) {
    store
        .append(request("s1500", 0, "before", &[1]))
        .await
        .expect("append");
    let batch = (0..2_000)
        .map(|n| request(&format!("s{n}"), 0, &format!("c{n}"), &[1, 2]))
        .collect();

    assert_eq!(
        store.append_batch(batch).await,
        Err(StoreError::Conflict {
            stream_id: "s1500".into(),
            expected: 0,
            actual: 1
        })
    );
    assert_eq!(all(store).await.len(), 1);
    assert_eq!(store.read_stream("s0", 1).await, Ok(vec![]));
    assert_eq!(store.read_command("c1999").await, Ok(vec![]));
}

pub async fn a_command_repeated_within_one_batch_is_written_once<S: EventStore>(store: &S) {
    let written = store
        .append_batch(vec![
            request("a", 0, "c1", &[1, 2]),
            request("a", 0, "c1", &[1, 2]),
        ])
        .await
        .expect("batch");

    assert_eq!(
        positions(&written),
        vec![(1, "a", 1), (2, "a", 2), (1, "a", 1), (2, "a", 2)],
        "the repeat stands for the first one's events"
    );
    assert_eq!(all(store).await.len(), 2);
    assert_eq!(
        store
            .append_batch(vec![
                request("b", 0, "c2", &[3]),
                request("c", 0, "c2", &[4]),
            ])
            .await,
        Err(StoreError::Conflict {
            stream_id: "c".into(),
            expected: 0,
            actual: 0
        }),
        "one command id for two streams in one batch"
    );
    assert_eq!(
        all(store).await.len(),
        2,
        "and nothing of that batch is stored"
    );
}

pub async fn a_command_id_is_appended_once_whatever_the_stream<S: EventStore>(store: &S) {
    store
        .append(request("a", 0, "c1", &[1]))
        .await
        .expect("append");

    assert_eq!(
        store.append(request("b", 0, "c1", &[2])).await,
        Err(StoreError::Conflict {
            stream_id: "b".into(),
            expected: 0,
            actual: 0
        })
    );
    assert_eq!(store.read_stream("b", 1).await, Ok(vec![]));
    assert_eq!(
        positions(&store.read_command("c1").await.expect("read")),
        vec![(1, "a", 1)]
    );
}

pub async fn a_replaced_log_is_read_and_appended_to_as_written<S: EventStore>(store: &S) {
    // A log of 2,500 commands of one event and one of three, written elsewhere.
    let source = MemoryStore::new();
    let mut requests: Vec<AppendRequest> = (0..2_500)
        .map(|n| {
            request(
                &format!("s{}", n % 7),
                u64::from(n / 7),
                &format!("c{n}"),
                &[n],
            )
        })
        .collect();
    requests.push(request("long", 0, "three", &[1, 2, 3]));
    let log = source.append_batch(requests).await.expect("the source log");

    store.replace_all(log.clone()).await.expect("replace");
    assert_eq!(all(store).await, log);
    assert_eq!(verify(store).await, Ok(2_503));
    assert_eq!(
        store.read_stream("s3", 300).await.expect("read s3"),
        source.read_stream("s3", 300).await.expect("read source")
    );
    assert_eq!(
        positions(&store.read_command("three").await.expect("read")),
        vec![(2_501, "long", 1), (2_502, "long", 2), (2_503, "long", 3)]
    );
    assert_eq!(
        store.append(request("s0", 0, "c0", &[0])).await,
        source.read_command("c0").await,
        "a retry of a restored command answers with its events"
    );
    let next = store
        .append(request("long", 3, "four", &[4]))
        .await
        .expect("append after");
    assert_eq!(positions(&next), vec![(2_504, "long", 4)]);
}

/// Events as another device appended them: `stream_id` at `version` onwards, chained after
/// `head`, the last kept event.
fn shops_events(head: &Envelope, stream_id: &str, version: u64, command_id: &str) -> Vec<Envelope> {
    let request = request(stream_id, version, command_id, &[90, 91]);
    Envelope::chain_after(
        Some(head.link()),
        stream_id,
        version,
        &request.events,
        &request.meta,
    )
}

fn snapshot_of(stream_id: &str) -> Snapshot {
    Snapshot {
        stream_id: stream_id.into(),
        stream_version: 1,
        state_version: 1,
        state: "{}".into(),
    }
}

pub async fn a_rebase_keeps_the_log_to_a_seq_and_replaces_the_rest_with_the_shops_events<
    S: SyncedStore + SnapshotStore,
>(
    store: &S,
) {
    assert_eq!(store.load_sync_state().await, Ok(None));
    let kept = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("the shop's events");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("this device's first");
    store
        .append(request("a", 2, "c3", &[4]))
        .await
        .expect("this device's second");
    for stream in ["a", "b", "untouched"] {
        store
            .save_snapshot(&snapshot_of(stream))
            .await
            .expect("snapshot");
    }
    store.save_sync_state("before").await.expect("state");

    let theirs = shops_events(&kept[1], "a", 2, "c9");
    store
        .rebase(2, 4, theirs.clone(), "after")
        .await
        .expect("rebase");

    let stored = all(store).await;
    assert_eq!(
        positions(&stored),
        vec![(1, "a", 1), (2, "a", 2), (3, "a", 3), (4, "a", 4)]
    );
    assert_eq!(stored[2..], theirs[..]);
    assert_eq!(verify(store).await, Ok(4));
    assert_eq!(store.load_sync_state().await, Ok(Some("after".into())));
    assert_eq!(store.read_command("c2").await, Ok(vec![]), "removed");
    assert_eq!(store.read_stream("b", 1).await, Ok(vec![]), "removed");
    for (stream, kept) in [("a", false), ("b", false), ("untouched", true)] {
        assert_eq!(
            store.load_snapshot(stream).await.expect("load").is_some(),
            kept,
            "{stream}: a snapshot of a stream that lost events is deleted"
        );
    }
    let next = store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("a removed command appended again");
    assert_eq!(positions(&next), vec![(5, "b", 1)]);
}

pub async fn a_rebase_that_does_not_follow_the_kept_log_changes_nothing<S: SyncedStore>(store: &S) {
    let kept = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("kept");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("to be replaced");
    store.save_sync_state("before").await.expect("state");
    let before = all(store).await;

    let skipping_a_version = shops_events(&kept[1], "a", 3, "c9");
    let taking_a_kept_command = shops_events(&kept[1], "c", 0, "c1");
    let mut altered = shops_events(&kept[1], "c", 0, "c9");
    altered[1].payload = "{\"n\":0}".into();
    let after_another_head = shops_events(&kept[0], "c", 0, "c9");
    for (events, why) in [
        (skipping_a_version, "a stream version skipped"),
        (taking_a_kept_command, "a kept command's id"),
        (altered, "an altered event"),
        (after_another_head, "chained after another event"),
    ] {
        let refused = store.rebase(2, 3, events, "after").await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Conflict { .. } | StoreError::Corrupt(_))
            ),
            "{why}: {refused:?}"
        );
        assert_eq!(all(store).await, before, "{why}: the log is unchanged");
        assert_eq!(
            store.load_sync_state().await,
            Ok(Some("before".into())),
            "{why}: the state is unchanged"
        );
    }
}

pub async fn a_rebase_after_another_write_changes_nothing<S: SyncedStore>(store: &S) {
    // Given a device's log of the shop's events and a pending one, read for a rebase.
    let kept = store
        .append(request("a", 0, "c1", &[1, 2]))
        .await
        .expect("kept");
    store
        .append(request("b", 0, "c2", &[3]))
        .await
        .expect("pending");
    store.save_sync_state("before").await.expect("state");

    // When another tab appends before the rebase is written.
    store
        .append(request("b", 1, "c3", &[4]))
        .await
        .expect("another tab's command");
    let before = all(store).await;
    let refused = store
        .rebase(2, 3, shops_events(&kept[1], "c", 0, "c9"), "after")
        .await;

    // Then the rebase is refused whole: the other tab's command is not lost.
    assert_eq!(refused, Err(StoreError::Moved));
    assert_eq!(all(store).await, before);
    assert_eq!(store.load_sync_state().await, Ok(Some("before".into())));
}

pub async fn recorded_commands_are_kept_read_at_once_and_forgotten<S: SyncedStore>(store: &S) {
    store.record("c1", "first").await.expect("record");
    store.record("c2", "second").await.expect("record");
    let ids = |ids: &[&str]| ids.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>();

    assert_eq!(
        store.recorded(&ids(&["c2", "never", "c1"])).await,
        Ok(vec![Some("second".into()), None, Some("first".into())]),
        "each or none, in the order asked"
    );
    store.forget(&ids(&["c1", "never"])).await.expect("forget");
    assert_eq!(
        store.recorded(&ids(&["c1", "c2"])).await,
        Ok(vec![None, Some("second".into())]),
        "only those named are forgotten"
    );
}

pub async fn a_restored_log_drops_the_sync_state_and_the_recorded_commands<S: SyncedStore>(
    store: &S,
) {
    store
        .append(request("a", 0, "c1", &[1]))
        .await
        .expect("append");
    store
        .save_sync_state("of the log before")
        .await
        .expect("state");
    store.record("c1", "first").await.expect("record");
    let backup = all(store).await;

    store.replace_all(backup.clone()).await.expect("restore");

    assert_eq!(store.load_sync_state().await, Ok(None));
    assert_eq!(store.recorded(&["c1".to_owned()]).await, Ok(vec![None]));
    assert_eq!(all(store).await, backup);
}
