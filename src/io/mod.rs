//! Data in and out of the browser: a Shopify orders export read as commands and written
//! back, the event log as a proven backup file, and a cash-up as CSV. Pure: text in, commands, events or
//! reasons out; the shell runs them and does the I/O.

pub mod backup;
pub mod cash_up;
pub mod shopify;
