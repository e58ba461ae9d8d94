//! The browser's [`Transport`] for the NATS client: a WebSocket to the server's WebSocket
//! listener (`ws://` on a development machine, `wss://` in production), the bytes of each
//! frame handed to the client as they come.

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::client::Transport;
use super::engine::SyncError;
use crate::tasks::after_ms;

/// How long a connection waits for the server to open, or to answer, before giving up.
pub const ANSWER_MS: i32 = 10_000;

/// What the socket's handlers pass on.
enum Incoming {
    Open,
    Bytes(Vec<u8>),
    Closed(String),
}

/// A WebSocket to a NATS server, and the handlers that feed its frames in.
pub struct WebSocketTransport {
    socket: WebSocket,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl WebSocketTransport {
    /// Opens a WebSocket to `url` and waits until it is open.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] for an address that is not a WebSocket's, or a server that
    /// does not answer there.
    pub async fn open(url: &str) -> Result<WebSocketTransport, SyncError> {
        let socket = WebSocket::new(url).map_err(|_| {
            SyncError::Unreachable(format!(
                "{url} is not a WebSocket address (ws:// or wss://)"
            ))
        })?;
        socket.set_binary_type(BinaryType::Arraybuffer);
        let (sender, incoming) = mpsc::unbounded();
        let opened = sender.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let _ = opened.unbounded_send(Incoming::Open);
        });
        let received = sender.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let bytes = match event.data().dyn_into::<js_sys::ArrayBuffer>() {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(text) => text.as_string().unwrap_or_default().into_bytes(),
            };
            let _ = received.unbounded_send(Incoming::Bytes(bytes));
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            let _ = sender.unbounded_send(Incoming::Closed(format!(
                "the connection closed (code {})",
                event.code()
            )));
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut transport = WebSocketTransport {
            socket,
            incoming,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        };
        match transport.next().await? {
            Incoming::Open => Ok(transport),
            Incoming::Bytes(_) | Incoming::Closed(_) => Err(SyncError::Unreachable(format!(
                "no sync server answers at {url}"
            ))),
        }
    }

    /// What the handlers passed on next, within [`ANSWER_MS`].
    async fn next(&mut self) -> Result<Incoming, SyncError> {
        let next = self.incoming.next();
        let timeout = Box::pin(after_ms(ANSWER_MS));
        match select(next, timeout).await {
            Either::Left((Some(incoming), _)) => Ok(incoming),
            Either::Left((None, _)) => Err(SyncError::Unreachable("the connection closed".into())),
            Either::Right(_) => Err(SyncError::Unreachable(format!(
                "the sync server did not answer within {} s",
                ANSWER_MS / 1_000
            ))),
        }
    }
}

impl Transport for WebSocketTransport {
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), SyncError> {
        self.socket
            .send_with_u8_array(&bytes)
            .map_err(|_| SyncError::Unreachable("the connection is closed".into()))
    }

    async fn receive(&mut self) -> Result<Vec<u8>, SyncError> {
        match self.next().await? {
            Incoming::Bytes(bytes) => Ok(bytes),
            Incoming::Closed(why) => Err(SyncError::Unreachable(why)),
            Incoming::Open => Ok(Vec::new()),
        }
    }
}

impl Drop for WebSocketTransport {
    fn drop(&mut self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}
