//! A NATS client over any transport of bytes: the handshake, requests and their replies, as
//! the sync engine's [`Connection`]. The browser carries it over a WebSocket
//! ([`super::websocket`]); the native tests over TCP, against the same server.

use super::engine::{Connection, SyncError};
use super::jetstream::Outgoing;
use super::nats::{ClientOp, Message, Parser, ServerOp};

/// What carries the bytes between the client and the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `bytes` to the server.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost.
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), SyncError>;

    /// The next bytes the server sent.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost, or nothing came in the
    /// transport's time.
    async fn receive(&mut self) -> Result<Vec<u8>, SyncError>;
}

/// A connection to a NATS server as a device of a shop.
pub struct NatsClient<T> {
    transport: T,
    parser: Parser,
    next_sid: u64,
    /// Where replies to this connection come: a subject prefix no other connection uses.
    inbox: String,
    /// The subscription [`NatsClient::watch`] made, if any.
    watching: Option<u64>,
    /// Whether a message came to it since [`NatsClient::nudged`] last returned.
    nudge: bool,
}

impl<T: Transport> NatsClient<T> {
    /// Introduces itself over `transport` as `user`, and waits for the server to take it.
    ///
    /// # Errors
    /// [`SyncError::NotAllowed`] for a user or password the server refuses;
    /// [`SyncError::Unreachable`] when the connection is lost; [`SyncError::Protocol`] for
    /// a server that does not speak NATS.
    pub async fn connect(transport: T, user: &str, password: &str) -> Result<Self, SyncError> {
        let mut client = NatsClient {
            transport,
            parser: Parser::default(),
            next_sid: 1,
            inbox: format!("_INBOX.{}", uuid::Uuid::new_v4().simple()),
            watching: None,
            nudge: false,
        };
        let ServerOp::Info(_) = client.read().await? else {
            return Err(SyncError::Protocol(
                "the server did not introduce itself".into(),
            ));
        };
        let options = serde_json::json!({
            "verbose": false,
            "pedantic": false,
            "headers": true,
            "no_responders": true,
            "protocol": 1,
            "lang": "orderlog",
            "version": env!("CARGO_PKG_VERSION"),
            "user": user,
            "pass": password,
        })
        .to_string();
        client.send(&ClientOp::Connect(&options)).await?;
        client.send(&ClientOp::Ping).await?;
        match client.read().await? {
            ServerOp::Pong => Ok(client),
            ServerOp::Err(error) => Err(refusal(error)),
            other => Err(SyncError::Protocol(format!(
                "not an answer to PING: {other:?}"
            ))),
        }
    }

    async fn send(&mut self, op: &ClientOp<'_>) -> Result<(), SyncError> {
        self.transport.send(op.encode()).await
    }

    /// The next op that is not a ping (answered).
    async fn read(&mut self) -> Result<ServerOp, SyncError> {
        loop {
            match self
                .parser
                .next_op()
                .map_err(|error| SyncError::Protocol(error.to_string()))?
            {
                Some(ServerOp::Ping) => self.send(&ClientOp::Pong).await?,
                Some(op) => return Ok(op),
                None => {
                    let bytes = self.transport.receive().await?;
                    self.parser.push(&bytes);
                }
            }
        }
    }

    async fn publish_to(
        &mut self,
        message: &Outgoing,
        reply_to: Option<&str>,
    ) -> Result<(), SyncError> {
        let headers: Vec<(&str, &str)> = message
            .headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        self.send(&ClientOp::Pub {
            subject: &message.subject,
            reply_to,
            headers: &headers,
            payload: &message.payload,
        })
        .await
    }

    /// Publishes `message` with a reply subject of its own, and collects the replies up to
    /// the first for which `last` holds.
    async fn replies(
        &mut self,
        message: &Outgoing,
        last: impl Fn(&Message) -> bool,
    ) -> Result<Vec<Message>, SyncError> {
        let sid = self.next_sid;
        self.next_sid += 1;
        let inbox = format!("{}.{sid}", self.inbox);
        self.send(&ClientOp::Sub {
            subject: &inbox,
            sid,
        })
        .await?;
        self.publish_to(message, Some(&inbox)).await?;
        let mut replies = Vec::new();
        loop {
            match self.read().await? {
                ServerOp::Msg(reply) if reply.sid == sid => {
                    let done = last(&reply);
                    replies.push(reply);
                    if done {
                        break;
                    }
                }
                ServerOp::Err(error) => return Err(refusal(error)),
                op => self.note(&op),
            }
        }
        self.send(&ClientOp::Unsub { sid }).await?;
        Ok(replies)
    }
}

impl<T: Transport> NatsClient<T> {
    /// Subscribes to `subject` (plain NATS, not `JetStream`: every message published there,
    /// stored or not), so that [`NatsClient::nudged`] tells when one came: another device
    /// pushed to the shop's log, and it is time to pull.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost.
    pub async fn watch(&mut self, subject: &str) -> Result<(), SyncError> {
        let sid = self.next_sid;
        self.next_sid += 1;
        self.send(&ClientOp::Sub { subject, sid }).await?;
        self.watching = Some(sid);
        Ok(())
    }

    /// Waits until a message comes to the watched subject, or one came while this client
    /// waited for replies since it last returned.
    ///
    /// # Errors
    /// [`SyncError::Unreachable`] when the connection is lost or the transport's time runs
    /// out first (nothing came: wait again).
    pub async fn nudged(&mut self) -> Result<(), SyncError> {
        while !self.nudge {
            match self.read().await? {
                ServerOp::Err(error) => return Err(refusal(error)),
                op => self.note(&op),
            }
        }
        self.nudge = false;
        Ok(())
    }

    /// Notes a message to the watched subject; every other op is no answer to anything.
    fn note(&mut self, op: &ServerOp) {
        if let ServerOp::Msg(message) = op {
            if Some(message.sid) == self.watching {
                self.nudge = true;
            }
        }
    }
}

/// The server's `-ERR`, typed.
fn refusal(error: String) -> SyncError {
    if error.contains("Authorization Violation") || error.contains("Permissions Violation") {
        SyncError::NotAllowed(error)
    } else {
        SyncError::Refused(error)
    }
}

impl<T: Transport> Connection for NatsClient<T> {
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError> {
        self.publish_to(message, None).await
    }

    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError> {
        let mut replies = self.replies(message, |_| true).await?;
        Ok(replies.remove(0))
    }

    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError> {
        self.replies(message, |reply| reply.headers.status.is_some())
            .await
    }
}
