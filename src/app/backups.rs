//! Backup and restore as the shell runs them: the whole log written out as a backup file
//! (`io::backup`), and a proven backup put in place of the log, all or nothing; and, while
//! the browser holds the shop's only copy, the reminder to download one.

use gloo_storage::Storage as _;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::commands::KeptStates;
use super::Commands;
use crate::es::{Envelope, EventStore, StoreError};

/// Where the reminder's state is kept: this device's localStorage.
const REMINDER: &str = "orderlog.backup-reminder";

/// When the last backup was downloaded, and when to remind the seller of the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupReminder {
    /// When the last backup was downloaded (UTC ms), if ever.
    pub last_at: Option<i64>,
    /// How many orders the shop had then.
    pub orders_then: u64,
    /// Remind once this many orders came since; 0 never reminds.
    pub every: u64,
    /// The order count at which the seller last said "Not now".
    pub dismissed_at: Option<u64>,
}

impl Default for BackupReminder {
    fn default() -> Self {
        BackupReminder {
            last_at: None,
            orders_then: 0,
            every: BackupReminder::EVERY,
            dismissed_at: None,
        }
    }
}

impl BackupReminder {
    /// The reminder's default: every 25 orders.
    pub const EVERY: u64 = 25;

    /// Orders since the last backup, of `orders` now.
    #[must_use]
    pub fn orders_since(&self, orders: u64) -> u64 {
        orders.saturating_sub(self.orders_then)
    }

    /// Whether to remind the seller at `orders`: a threshold (every `every` orders since the
    /// last backup) was reached, and not dismissed since it was.
    #[must_use]
    pub fn due(&self, orders: u64) -> bool {
        let since = self.orders_since(orders);
        if self.every == 0 || since < self.every {
            return false;
        }
        let threshold = self.orders_then + since / self.every * self.every;
        self.dismissed_at.is_none_or(|at| at < threshold)
    }

    /// A backup was downloaded at `orders`, `at`.
    fn downloaded(&mut self, orders: u64, at: i64) {
        self.last_at = Some(at);
        self.orders_then = orders;
        self.dismissed_at = None;
    }
}

/// Downloads and restores of the whole log, and the reminder.
#[derive(Clone, Copy)]
pub struct Backups {
    pub(super) commands: Commands,
    pub reminder: RwSignal<BackupReminder>,
}

impl Backups {
    pub(super) fn new(commands: &Commands) -> Backups {
        Backups {
            commands: *commands,
            reminder: RwSignal::new(gloo_storage::LocalStorage::get(REMINDER).unwrap_or_default()),
        }
    }

    fn remind(self, change: impl FnOnce(&mut BackupReminder)) {
        self.reminder.update(change);
        // A browser that refuses localStorage reminds again after a reload: nothing lost.
        let _ = self
            .reminder
            .with_untracked(|r| gloo_storage::LocalStorage::set(REMINDER, r));
    }

    /// A backup was downloaded with the shop at `orders`.
    pub fn downloaded(self, orders: u64) {
        self.remind(|r| r.downloaded(orders, super::commands::now()));
    }

    /// "Not now": no reminder until the next threshold.
    pub fn dismiss_reminder(self, orders: u64) {
        self.remind(|r| r.dismissed_at = Some(orders));
    }

    /// Remind every `every` orders; 0 never.
    pub fn remind_every(self, every: u64) {
        self.remind(|r| r.every = every);
    }

    /// The whole log as a backup file (see `io::backup`), read in batches.
    ///
    /// # Errors
    /// The store's error, when the log cannot be read.
    pub async fn backup(self) -> Result<String, StoreError> {
        let events = self.commands.log.read_everything().await?;
        Ok(crate::io::backup::write(&events))
    }

    /// Replaces everything in this browser with a proven backup's events (see
    /// `io::backup::read`), in one write, then rebuilds every view from them and makes the
    /// other tabs reload.
    ///
    /// # Errors
    /// What the storage refused; the old data is then untouched.
    pub async fn restore(self, events: Vec<Envelope>) -> Result<(), String> {
        let Commands {
            log,
            views,
            device,
            kept,
            ..
        } = self.commands;
        let store = log.store()?;
        store
            .replace_all(events)
            .await
            .map_err(|error| format!("Nothing was restored: {error}."))?;
        log.announce_replaced();
        kept.with_value(KeptStates::forget);
        views.reset();
        device.refresh_storage();
        self.commands
            .catch_up_and_run_stock(&store)
            .await
            .map_err(|error| {
                format!("Restored, but the views could not be rebuilt: {error}. Reload the page.")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(n: u64) -> BackupReminder {
        BackupReminder {
            every: n,
            ..BackupReminder::default()
        }
    }

    #[test]
    fn the_reminder_comes_at_the_threshold_and_not_before() {
        let reminder = every(10);
        assert!(!reminder.due(9));
        assert!(reminder.due(10));
        assert!(reminder.due(14));
        assert!(!every(0).due(1_000), "0 never reminds");
    }

    #[test]
    fn not_now_waits_for_the_next_threshold() {
        let mut reminder = every(10);
        reminder.dismissed_at = Some(12);
        assert!(!reminder.due(12));
        assert!(!reminder.due(19));
        assert!(reminder.due(20));
    }

    #[test]
    fn a_backup_starts_the_count_again() {
        let mut reminder = every(10);
        reminder.dismissed_at = Some(12);
        reminder.downloaded(25, 1_000);
        assert_eq!(reminder.orders_since(30), 5);
        assert!(!reminder.due(34));
        assert!(reminder.due(35));
        assert_eq!(reminder.last_at, Some(1_000));
    }
}
