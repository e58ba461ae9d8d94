//! Filtering, searching, sorting and paging the orders list: what the orders view shows of
//! it. Pure, and measured natively over 100,000 rows (`tests/native/orders_query.rs`).

use std::cmp::Ordering;

use time::Date;

use super::local_time::{local_date, parse_day, LocalOffset};
use super::{OrderRow, OrdersList};
use crate::domain::{FinancialStatus, FulfilmentStatus};

/// Rows on one page of the orders view.
pub const PAGE_ROWS: usize = 50;

/// The columns the orders view sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Number,
    Date,
    Customer,
    FinancialStatus,
    FulfilmentStatus,
    Items,
    Total,
    BalanceDue,
}

/// Which orders a status filter keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    Draft,
    /// Placed, not cancelled, not fully fulfilled.
    Open,
    Cancelled,
    Financial(FinancialStatus),
    Fulfilment(FulfilmentStatus),
}

impl StatusFilter {
    fn keeps(self, row: &OrderRow) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Draft => row.draft,
            StatusFilter::Open => {
                !row.draft && !row.cancelled && row.fulfilment_status != FulfilmentStatus::Fulfilled
            }
            StatusFilter::Cancelled => row.cancelled,
            StatusFilter::Financial(status) => !row.draft && row.financial_status == status,
            StatusFilter::Fulfilment(status) => {
                !row.draft && !row.cancelled && row.fulfilment_status == status
            }
        }
    }
}

/// What the seller asked the orders view for: in the address, and saved as a preference
/// (without the page and the days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrdersQuery {
    /// Matches number (`#1001` or `1001`), customer, email or SKU, ignoring case.
    pub search: String,
    pub status: StatusFilter,
    /// The first and the last day (both kept) the orders were created on, on the shop's
    /// calendar; `None`: no bound. Kept in the address, not as a preference: a range is
    /// for the task at hand.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only orders filed under this tag (in any case); `None`: any.
    pub tag: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// 0-based.
    pub page: usize,
}

impl Default for OrdersQuery {
    /// Newest first.
    fn default() -> Self {
        OrdersQuery {
            search: String::new(),
            status: StatusFilter::All,
            from: None,
            to: None,
            tag: None,
            sort: SortKey::Number,
            descending: true,
            page: 0,
        }
    }
}

/// One page of the rows that match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrdersPage {
    pub rows: Vec<OrderRow>,
    /// How many rows match in all.
    pub matching: usize,
    /// How many rows the list has, matching or not.
    pub total: usize,
    /// The page shown (0-based, clamped to the last page).
    pub page: usize,
    pub pages: usize,
}

fn compare(key: SortKey, a: &OrderRow, b: &OrderRow) -> Ordering {
    let by = match key {
        SortKey::Number => Ordering::Equal,
        SortKey::Date => a.created_at.cmp(&b.created_at),
        SortKey::Customer => a.customer.to_lowercase().cmp(&b.customer.to_lowercase()),
        SortKey::FinancialStatus => a
            .financial_status
            .to_string()
            .cmp(&b.financial_status.to_string()),
        SortKey::FulfilmentStatus => a
            .fulfilment_status
            .to_string()
            .cmp(&b.fulfilment_status.to_string()),
        SortKey::Items => a.items.cmp(&b.items),
        SortKey::Total => a.total.cmp(&b.total),
        SortKey::BalanceDue => a.balance_due.cmp(&b.balance_due),
    };
    by.then(a.number.cmp(&b.number))
}

/// How the address names each sort key.
const SORT_NAMES: [(SortKey, &str); 8] = [
    (SortKey::Number, "number"),
    (SortKey::Date, "date"),
    (SortKey::Customer, "customer"),
    (SortKey::FinancialStatus, "payment"),
    (SortKey::FulfilmentStatus, "fulfilment"),
    (SortKey::Items, "items"),
    (SortKey::Total, "total"),
    (SortKey::BalanceDue, "balance"),
];

/// A status filter's label as the address writes it: `payment-pending`.
fn status_name(label: &str) -> String {
    label.to_lowercase().replace(' ', "-")
}

impl OrdersQuery {
    /// The query as the address's parameters, each only when it is not the default's:
    /// `q`, `status`, `from`, `to`, `tag`, `sort`, `order` and `page` (from 1).
    #[must_use]
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let plain = OrdersQuery::default();
        let mut params = Vec::new();
        if !self.search.trim().is_empty() {
            params.push(("q", self.search.clone()));
        }
        if self.status != plain.status {
            if let Some((_, label)) = STATUS_FILTERS.iter().find(|(s, _)| *s == self.status) {
                params.push(("status", status_name(label)));
            }
        }
        params.extend(self.from.map(|day| ("from", day.to_string())));
        params.extend(self.to.map(|day| ("to", day.to_string())));
        params.extend(
            self.tag
                .clone()
                .filter(|t| !t.trim().is_empty())
                .map(|t| ("tag", t)),
        );
        if self.sort != plain.sort {
            if let Some((_, name)) = SORT_NAMES.iter().find(|(key, _)| *key == self.sort) {
                params.push(("sort", (*name).to_owned()));
            }
        }
        if self.descending != plain.descending {
            params.push((
                "order",
                if self.descending { "desc" } else { "asc" }.to_owned(),
            ));
        }
        if self.page > 0 {
            params.push(("page", (self.page + 1).to_string()));
        }
        params
    }

    /// The query the address's parameters (`get`) ask for; a parameter missing or not
    /// understood is the default's.
    #[must_use]
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> OrdersQuery {
        let plain = OrdersQuery::default();
        let day = |name: &str| get(name).as_deref().and_then(parse_day);
        OrdersQuery {
            search: get("q").unwrap_or_default(),
            status: get("status")
                .and_then(|name| {
                    STATUS_FILTERS
                        .iter()
                        .find(|(_, label)| status_name(label) == name)
                })
                .map_or(plain.status, |(status, _)| *status),
            from: day("from"),
            to: day("to"),
            tag: get("tag").filter(|t| !t.trim().is_empty()),
            sort: get("sort")
                .and_then(|name| SORT_NAMES.iter().find(|(_, n)| *n == name))
                .map_or(plain.sort, |(key, _)| *key),
            descending: get("order").map_or(plain.descending, |order| order != "asc"),
            page: get("page")
                .and_then(|page| page.parse::<usize>().ok())
                .map_or(0, |page| page.saturating_sub(1)),
        }
    }

    /// Whether `row` was created within the days asked for, on the calendar of `zone`.
    fn in_days(&self, row: &OrderRow, zone: &dyn LocalOffset) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        local_date(row.created_at, zone).is_some_and(|day| {
            self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day <= to)
        })
    }
}

/// The page of `list` that `query` asks for, its days on the calendar of `zone`.
#[must_use]
pub fn query(list: &OrdersList, query: &OrdersQuery, zone: &dyn LocalOffset) -> OrdersPage {
    let needle = query.search.trim().to_lowercase();
    let needle = needle.strip_prefix('#').unwrap_or(&needle);
    // Rows keep their tags lowercased: the tag asked for is lowercased once, here.
    let tag = query
        .tag
        .as_deref()
        .map(|tag| tag.trim().to_lowercase())
        .filter(|tag| !tag.is_empty());
    let mut matching: Vec<&OrderRow> = list
        .rows()
        .iter()
        .filter(|row| {
            query.status.keeps(row)
                && (needle.is_empty() || row.search_text.contains(needle))
                && tag.as_ref().is_none_or(|tag| row.tags.contains(tag))
                && query.in_days(row, zone)
        })
        .collect();
    if query.sort != SortKey::Number {
        matching.sort_by(|a, b| compare(query.sort, a, b));
    }
    if query.descending {
        matching.reverse();
    }
    let pages = matching.len().div_ceil(PAGE_ROWS).max(1);
    let page = query.page.min(pages - 1);
    let rows = matching
        .iter()
        .skip(page * PAGE_ROWS)
        .take(PAGE_ROWS)
        .map(|row| (*row).clone())
        .collect();
    OrdersPage {
        rows,
        matching: matching.len(),
        total: list.rows().len(),
        page,
        pages,
    }
}

/// The status filters the orders view offers, with their labels.
pub const STATUS_FILTERS: [(StatusFilter, &str); 13] = [
    (StatusFilter::All, "All orders"),
    (StatusFilter::Draft, "Drafts"),
    (StatusFilter::Open, "Open"),
    (StatusFilter::Cancelled, "Cancelled"),
    (
        StatusFilter::Financial(FinancialStatus::Pending),
        "Payment pending",
    ),
    (
        StatusFilter::Financial(FinancialStatus::PartiallyPaid),
        "Partially paid",
    ),
    (StatusFilter::Financial(FinancialStatus::Paid), "Paid"),
    (
        StatusFilter::Financial(FinancialStatus::PartiallyRefunded),
        "Partially refunded",
    ),
    (
        StatusFilter::Financial(FinancialStatus::Refunded),
        "Refunded",
    ),
    (StatusFilter::Financial(FinancialStatus::Voided), "Voided"),
    (
        StatusFilter::Fulfilment(FulfilmentStatus::Unfulfilled),
        "Unfulfilled",
    ),
    (
        StatusFilter::Fulfilment(FulfilmentStatus::Partial),
        "Partially fulfilled",
    ),
    (
        StatusFilter::Fulfilment(FulfilmentStatus::Fulfilled),
        "Fulfilled",
    ),
];
