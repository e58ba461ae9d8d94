//! The event log: every stored event, newest first, filtered by stream and type, each
//! expandable to its envelope; and the time-travel control.

use leptos::prelude::*;

use crate::app::event_log::{EventPage, EventQuery};
use crate::app::{use_app, TimeTravel};
use crate::read::history::EventRow;
use crate::ui::format::{plural, seq_range, seqs};

#[component]
pub fn EventLogPage() -> impl IntoView {
    let app = use_app();
    let stream = RwSignal::new(String::new());
    let event_type = RwSignal::new(String::new());
    let before = RwSignal::new(None::<u64>);
    let pages = LocalResource::new(move || {
        let query = EventQuery {
            stream: stream.get().trim().to_owned(),
            event_type: event_type.get().trim().to_owned(),
            before: before.get(),
        };
        // New events show up at once on the first page.
        let _ = app.views.head();
        async move { app.log.event_page(query).await }
    });
    let head = move || app.views.head();

    view! {
        <main class="event-log">
            <section aria-labelledby="travel-heading" class="panel">
                <h2 id="travel-heading">"Time travel"</h2>
                <TravelSlider head=Signal::derive(head) />
            </section>
            <section aria-labelledby="events-heading" class="panel">
                <h2 id="events-heading">"Event log"</h2>
                <div class="filters">
                    <div class="field">
                        <label for="filter-stream">"Stream"</label>
                        <input id="filter-stream" type="search" bind:value=stream on:input=move |_| before.set(None) />
                    </div>
                    <div class="field">
                        <label for="filter-type">"Event type"</label>
                        <input id="filter-type" type="search" bind:value=event_type on:input=move |_| before.set(None) />
                    </div>
                </div>
                <Suspense fallback=|| view! { <p role="status">"Reading the log…"</p> }>
                    {move || pages.get().map(|page| match page {
                        Ok(page) => view! { <EventTable page=page before=before /> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{format!("The log could not be read: {error}.")}</p> }.into_any(),
                    })}
                </Suspense>
            </section>
        </main>
    }
}

#[component]
fn TravelSlider(head: Signal<u64>) -> impl IntoView {
    let app = use_app();
    let position = move || match app.views.time_travel.get() {
        TimeTravel::Live => head.get(),
        TimeTravel::Loading(seq) => seq,
        TimeTravel::Past(past) => past.after,
    };
    view! {
        <div class="field">
            <label for="travel">"Show the shop as it was after event"</label>
            <div class="travel-control">
                <input
                    id="travel"
                    type="range"
                    min="1"
                    max=move || head.get().max(1).to_string()
                    prop:value=move || position().to_string()
                    disabled=move || head.get() == 0
                    on:change=move |event| {
                        let seq = event_target_value(&event).parse::<u64>().ok();
                        app.views.travel_to(seq.filter(|seq| *seq < head.get_untracked()));
                    }
                />
                <output for="travel">{move || format!("{} of {}", position(), head.get())}</output>
            </div>
        </div>
    }
}

#[component]
fn EventTable(page: EventPage, before: RwSignal<Option<u64>>) -> impl IntoView {
    if page.events.is_empty() {
        return view! { <p>"No events match."</p> }.into_any();
    }
    let older = page.older;
    let at_newest = before.get_untracked().is_none();
    // Newest first: a gap goes above the first event older than it.
    let mut gaps = page.missing.into_iter().peekable();
    let mut rows = Vec::new();
    for event in page.events {
        while let Some(gap) = gaps.next_if(|(from, _)| *from > event.seq) {
            rows.push(view! { <GapRow gap=gap /> }.into_any());
        }
        rows.push(view! { <EventLine event=event /> }.into_any());
    }
    rows.extend(gaps.map(|gap| view! { <GapRow gap=gap /> }.into_any()));
    view! {
        <table class="cards" aria-labelledby="events-heading">
            <thead>
                <tr>
                    <th scope="col" class="num">"Seq"</th>
                    <th scope="col">"Recorded (UTC)"</th>
                    <th scope="col">"Stream"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Details"</th>
                    <th scope="col">"Time travel"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="pager">
            <button type="button" aria-keyshortcuts="[" disabled=at_newest on:click=move |_| before.set(None)>"Newest events"</button>
            <button type="button" aria-keyshortcuts="]" disabled=older.is_none() on:click=move |_| before.set(older)>"Older events"</button>
        </div>
    }
    .into_any()
}

/// Seqs the log does not hold, where they would be.
#[component]
fn GapRow(gap: (u64, u64)) -> impl IntoView {
    let (from, to) = gap;
    let count = to - from + 1;
    view! {
        <tr class="damaged">
            <th scope="row" class="num" data-label="Seq">{seq_range(gap)}</th>
            <td colspan="5" class="whole">
                <strong class="damaged">
                    {format!(
                        "Missing: the log does not hold {} ({count} {}); left out of every view.",
                        seqs(gap),
                        plural(count, "record", "records")
                    )}
                </strong>
            </td>
        </tr>
    }
}

/// One stored event.
#[component]
fn EventLine(event: EventRow) -> impl IntoView {
    let app = use_app();
    let seq = event.seq;
    let is_damaged = event.damaged.is_some();
    let damaged = event.damaged.map(|error| view! { <strong class="damaged">{format!("Damaged, left out of every view: {error}")}</strong> });
    view! {
        <tr class:damaged=is_damaged>
            <th scope="row" class="num" data-label="Seq">{seq}</th>
            <td>{crate::ui::format::utc(event.recorded_at)}</td>
            <td class="mono whole">{event.stream_id}</td>
            <td class="whole">{event.event_type}{damaged}</td>
            <td class="whole">
                <details>
                    <summary>{format!("Event {seq}")}</summary>
                    <h3>"Payload"</h3>
                    <pre>{event.payload}</pre>
                    <h3>"Envelope"</h3>
                    <pre>{event.envelope}</pre>
                </details>
            </td>
            <td class="whole">
                <button type="button" class="link" on:click=move |_| app.views.travel_to(Some(seq))>
                    {format!("Show the shop after event {seq}")}
                </button>
            </td>
        </tr>
    }
}
