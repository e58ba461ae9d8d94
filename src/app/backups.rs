//! Backup and restore as the shell runs them: the whole log written out as a backup file
//! (`io::backup`), and a proven backup put in place of the log, all or nothing.

use leptos::prelude::*;

use super::commands::KeptStates;
use super::Commands;
use crate::es::{Envelope, EventStore, StoreError};

/// Downloads and restores of the whole log.
#[derive(Clone, Copy)]
pub struct Backups {
    pub(super) commands: Commands,
}

impl Backups {
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
