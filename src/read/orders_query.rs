//! Filtering, searching, sorting and paging the orders list: what the orders view shows of
//! it. Pure, and measured natively over 100,000 rows (`tests/native/orders_query.rs`).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::{OrderRow, OrdersList};
use crate::domain::{FinancialStatus, FulfilmentStatus};

/// Rows on one page of the orders view.
pub const PAGE_ROWS: usize = 50;

/// The columns the orders view sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// What the seller asked the orders view for. Saved as a preference (without the page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersQuery {
    /// Matches number (`#1001` or `1001`), customer, email or SKU, ignoring case.
    pub search: String,
    pub status: StatusFilter,
    pub sort: SortKey,
    pub descending: bool,
    /// 0-based.
    #[serde(skip)]
    pub page: usize,
}

impl Default for OrdersQuery {
    /// Newest first.
    fn default() -> Self {
        OrdersQuery {
            search: String::new(),
            status: StatusFilter::All,
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

/// The page of `list` that `query` asks for.
#[must_use]
pub fn query(list: &OrdersList, query: &OrdersQuery) -> OrdersPage {
    let needle = query.search.trim().to_lowercase();
    let needle = needle.strip_prefix('#').unwrap_or(&needle);
    let mut matching: Vec<&OrderRow> = list
        .rows()
        .iter()
        .filter(|row| {
            query.status.keeps(row) && (needle.is_empty() || row.search_text.contains(needle))
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
