//! The Sync page's form: where the shop's sync server is, which shop, and who this device is
//! there. The settings it makes are kept on this device only.

use serde::{Deserialize, Serialize};

use super::{Fields, FormError};
use crate::domain::InputError;

/// The longest server address, user name or password taken.
const MAX_CHARS: usize = 200;
/// The longest shop name: it names the shop's stream on the server.
pub const MAX_SHOP_CHARS: usize = 32;

/// How this device reaches its shop's log. The password is never shown back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// The server's WebSocket address, `wss://…` (or `ws://` on a development machine).
    pub server: String,
    /// The shop's name on the server: its log's name.
    pub shop: String,
    pub user: String,
    pub password: String,
}

impl SyncSettings {
    /// The server's origin: its scheme, host and port, what the page's
    /// Content-Security-Policy lets it connect to.
    #[must_use]
    pub fn origin(&self) -> &str {
        let host_at = self.server.find("://").map_or(0, |at| at + 3);
        let end = self.server[host_at..]
            .find(['/', '?', '#'])
            .map_or(self.server.len(), |at| host_at + at);
        &self.server[..end]
    }
}

/// The Sync page's fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncForm {
    pub server: String,
    pub shop: String,
    pub user: String,
    /// Left empty to keep the password saved for the same server and user.
    pub password: String,
}

impl SyncForm {
    /// The settings the form holds. An empty password keeps `saved`'s, when `saved` is for
    /// the same server and user.
    ///
    /// # Errors
    /// Each refused field, by its label.
    pub fn to_settings(&self, saved: Option<&SyncSettings>) -> Result<SyncSettings, FormError> {
        let mut fields = Fields::default();
        let server = fields.check("Server address", server(&self.server));
        let shop = fields.check("Shop", shop(&self.shop));
        let user = fields.check("User", text(&self.user));
        let kept = saved
            .filter(|saved| {
                Some(&saved.server) == server.as_ref() && Some(&saved.user) == user.as_ref()
            })
            .map(|saved| saved.password.clone());
        let password = match (self.password.as_str(), kept) {
            ("", Some(kept)) => Some(kept),
            (typed, _) => fields.check("Password", text(typed)),
        };
        match (server, shop, user, password) {
            (Some(server), Some(shop), Some(user), Some(password)) if fields.0.is_empty() => {
                Ok(SyncSettings {
                    server,
                    shop,
                    user,
                    password,
                })
            }
            _ => Err(fields.refused()),
        }
    }
}

fn text(typed: &str) -> Result<String, InputError> {
    let typed = typed.trim();
    match typed.chars().count() {
        0 => Err(InputError::Empty),
        n if n > MAX_CHARS => Err(InputError::TooLong { max: MAX_CHARS }),
        _ => Ok(typed.to_owned()),
    }
}

/// A WebSocket address with a host: `wss://sync.example.com`, `ws://127.0.0.1:4223`.
fn server(typed: &str) -> Result<String, InputError> {
    let address = text(typed)?;
    let host = address
        .strip_prefix("wss://")
        .or_else(|| address.strip_prefix("ws://"))
        .ok_or(InputError::NotASyncAddress)?;
    if host.is_empty() || host.starts_with('/') || host.contains(char::is_whitespace) {
        return Err(InputError::NotASyncAddress);
    }
    Ok(address)
}

/// Letters, digits, `-` and `_`: the shop's log is a stream of that name.
fn shop(typed: &str) -> Result<String, InputError> {
    let name = typed.trim();
    if name.is_empty() {
        return Err(InputError::Empty);
    }
    if name.chars().count() > MAX_SHOP_CHARS {
        return Err(InputError::TooLong {
            max: MAX_SHOP_CHARS,
        });
    }
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    {
        return Err(InputError::NotAShopName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(server: &str, shop: &str, user: &str, password: &str) -> SyncForm {
        SyncForm {
            server: server.into(),
            shop: shop.into(),
            user: user.into(),
            password: password.into(),
        }
    }

    fn saved() -> SyncSettings {
        SyncSettings {
            server: "wss://sync.example.com".into(),
            shop: "stall-17".into(),
            user: "till-1".into(),
            password: "secret".into(),
        }
    }

    #[test]
    fn a_filled_form_is_the_settings_trimmed() {
        assert_eq!(
            form(" wss://sync.example.com ", "stall-17", " till-1", "secret").to_settings(None),
            Ok(saved())
        );
    }

    #[test]
    fn each_bad_field_is_named_with_its_reason() {
        let refused = form("https://sync.example.com", "stall 17", "", "").to_settings(None);
        assert_eq!(
            refused,
            Err(FormError::Fields(vec![
                ("Server address", InputError::NotASyncAddress),
                ("Shop", InputError::NotAShopName),
                ("User", InputError::Empty),
                ("Password", InputError::Empty),
            ]))
        );
        for address in ["ws://", "wss:///path", "wss://a b", "sync.example.com"] {
            assert_eq!(
                server(address),
                Err(InputError::NotASyncAddress),
                "{address}"
            );
        }
        assert_eq!(
            shop(&"s".repeat(MAX_SHOP_CHARS + 1)),
            Err(InputError::TooLong {
                max: MAX_SHOP_CHARS
            })
        );
    }

    #[test]
    fn the_origin_is_the_address_without_its_path() {
        for (address, origin) in [
            ("wss://sync.example.com", "wss://sync.example.com"),
            (
                "wss://sync.example.com:8443/nats?x=1",
                "wss://sync.example.com:8443",
            ),
            ("ws://127.0.0.1:4223#top", "ws://127.0.0.1:4223"),
        ] {
            let settings = SyncSettings {
                server: address.into(),
                ..saved()
            };
            assert_eq!(settings.origin(), origin);
        }
    }

    #[test]
    fn an_empty_password_keeps_the_saved_one_for_the_same_server_and_user_only() {
        let kept =
            form("wss://sync.example.com", "stall-17", "till-1", "").to_settings(Some(&saved()));
        assert_eq!(kept, Ok(saved()));
        let other_user =
            form("wss://sync.example.com", "stall-17", "till-2", "").to_settings(Some(&saved()));
        assert_eq!(
            other_user,
            Err(FormError::Fields(vec![("Password", InputError::Empty)]))
        );
    }
}
