//! Data in and out of the browser: reading a Shopify orders export into the commands a
//! seller would have issued. Pure: text in, commands (or reasons) out; the shell runs them.

pub mod shopify;
