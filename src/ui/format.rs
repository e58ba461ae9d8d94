//! How times (UTC, to the minute), counts and links read on screen.

use time::OffsetDateTime;

/// `2026-11-23 13:12` for a UTC timestamp in milliseconds; the raw number if it is out of
/// the calendar's range. Written field by field: `time`'s format descriptions would bring
/// its whole formatter into the first download for this one shape.
#[must_use]
pub fn utc(millis: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).map_or_else(
        |_| millis.to_string(),
        |at| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute()
            )
        },
    )
}

/// An inclusive range of seqs as numbers: "5" or "5–7".
pub fn seq_range((from, to): (u64, u64)) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}–{to}")
    }
}

/// An inclusive range of seqs in words: "event 5" or "events 5–7".
pub fn seqs(range: (u64, u64)) -> String {
    let (from, to) = range;
    format!(
        "{} {}",
        plural(to - from + 1, "event", "events"),
        seq_range(range)
    )
}

/// `one` for a count of 1, `many` otherwise.
pub fn plural<'a>(count: u64, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// The address of an order's page. A stream id may hold any character (an imported order's
/// holds its Shopify name, `#1001`), so it is escaped.
pub fn order_href(stream_id: &str) -> String {
    format!(
        "/orders/{}",
        leptos_router::location::Url::escape(stream_id)
    )
}

/// The address of a customer's page.
pub fn customer_href(customer_id: &str) -> String {
    format!(
        "/customers/{}",
        leptos_router::location::Url::escape(customer_id)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_timestamp_reads_as_its_utc_minute() {
        assert_eq!(super::utc(1_767_225_600_000), "2026-01-01 00:00");
        assert_eq!(super::utc(1_763_903_520_000), "2025-11-23 13:12");
        assert_eq!(super::utc(-1), "1969-12-31 23:59");
        assert_eq!(super::utc(i64::MAX), i64::MAX.to_string());
    }

    #[test]
    fn a_range_of_seqs_reads_as_one_event_or_several() {
        assert_eq!(super::seqs((5, 5)), "event 5");
        assert_eq!(super::seqs((5, 7)), "events 5–7");
        assert_eq!(super::seq_range((5, 5)), "5");
        assert_eq!(super::seq_range((5, 7)), "5–7");
    }
}
