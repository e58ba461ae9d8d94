//! The NATS protocol as orderlog speaks it: the parser over any split of a server's bytes,
//! the ops a client sends, and both against a real `JetStream` server on 127.0.0.1, the one
//! the test command starts (its address in `ORDERLOG_NATS`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use futures::executor::block_on;
use orderlog::sync::jetstream::Outgoing;
use orderlog::sync::nats::{ClientOp, Headers, Message, Parser, ProtocolError, ServerOp};
use orderlog::sync::{Connection as _, NatsClient, SyncError, Transport};
use proptest::prelude::*;

/// A server's bytes: its INFO, a ping, a message with a reply subject, a message with a
/// status and headers, an OK and an error.
const FROM_SERVER: &[u8] = b"INFO {\"server_id\":\"N1\",\"headers\":true}\r\n\
PING\r\n\
MSG orders.1 7 _INBOX.a 5\r\nhello\r\n\
HMSG orders.2 7 40 43\r\nNATS/1.0 409 Conflict\r\nNats-Seq:  12\r\n\r\nabc\r\n\
+OK\r\n\
-ERR 'Authorization Violation'\r\n";

fn expected() -> Vec<ServerOp> {
    vec![
        ServerOp::Info("{\"server_id\":\"N1\",\"headers\":true}".into()),
        ServerOp::Ping,
        ServerOp::Msg(Message {
            subject: "orders.1".into(),
            sid: 7,
            reply_to: Some("_INBOX.a".into()),
            headers: Headers::default(),
            payload: b"hello".to_vec(),
        }),
        ServerOp::Msg(Message {
            subject: "orders.2".into(),
            sid: 7,
            reply_to: None,
            headers: Headers {
                status: Some(409),
                description: "Conflict".into(),
                fields: vec![("Nats-Seq".into(), "12".into())],
            },
            payload: b"abc".to_vec(),
        }),
        ServerOp::Ok,
        ServerOp::Err("Authorization Violation".into()),
    ]
}

fn parse_all(parser: &mut Parser) -> Result<Vec<ServerOp>, ProtocolError> {
    let mut ops = Vec::new();
    while let Some(op) = parser.next_op()? {
        ops.push(op);
    }
    Ok(ops)
}

#[test]
fn a_servers_bytes_read_as_its_ops() {
    let mut parser = Parser::default();
    parser.push(FROM_SERVER);
    assert_eq!(parse_all(&mut parser), Ok(expected()));
}

proptest! {
    /// However the transport cuts the bytes, the same ops come out, each once it is whole.
    #[test]
    fn any_split_of_the_bytes_reads_as_the_same_ops(cuts in proptest::collection::vec(0..FROM_SERVER.len(), 0..8)) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        let mut parser = Parser::default();
        let mut ops = Vec::new();
        let mut from = 0;
        for cut in cuts.into_iter().chain([FROM_SERVER.len()]) {
            parser.push(&FROM_SERVER[from..cut]);
            from = cut;
            ops.extend(parse_all(&mut parser).unwrap());
        }
        prop_assert_eq!(ops, expected());
    }
}

#[test]
fn what_is_not_the_protocol_is_refused() {
    for bytes in [
        &b"HELLO there\r\n"[..],
        b"MSG orders.1 7\r\nhello\r\n",
        b"MSG orders.1 7 3\r\nhello\r\n",
        b"HMSG orders.1 7 9 3\r\nNATS/1.0\r\n\r\n\r\n",
    ] {
        let mut parser = Parser::default();
        parser.push(bytes);
        assert!(
            parser.next_op().is_err(),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn a_client_publishes_with_headers_as_hpub_and_without_as_pub() {
    let plain = ClientOp::Pub {
        subject: "orders.1",
        reply_to: Some("_INBOX.a"),
        headers: &[],
        payload: b"hi",
    };
    assert_eq!(plain.encode(), b"PUB orders.1 _INBOX.a 2\r\nhi\r\n");
    let expecting = ClientOp::Pub {
        subject: "orders.1",
        reply_to: None,
        headers: &[("Nats-Expected-Last-Subject-Sequence", "0")],
        payload: b"hi",
    };
    let block = "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 0\r\n\r\n";
    assert_eq!(
        String::from_utf8(expecting.encode()).unwrap(),
        format!(
            "HPUB orders.1 {} {}\r\n{block}hi\r\n",
            block.len(),
            block.len() + 2
        )
    );
}

/// TCP to the server, for the app's NATS client: each read waits at most 5 s.
pub(crate) struct Tcp(TcpStream);

impl Transport for Tcp {
    async fn send(&mut self, bytes: Vec<u8>) -> Result<(), SyncError> {
        self.0
            .write_all(&bytes)
            .map_err(|error| SyncError::Unreachable(error.to_string()))
    }

    async fn receive(&mut self) -> Result<Vec<u8>, SyncError> {
        let mut buffer = vec![0; 64 * 1024];
        match self.0.read(&mut buffer) {
            Ok(0) => Err(SyncError::Unreachable(
                "the server closed the connection".into(),
            )),
            Ok(read) => {
                buffer.truncate(read);
                Ok(buffer)
            }
            Err(error) => Err(SyncError::Unreachable(format!("no answer: {error}"))),
        }
    }
}

/// The app's NATS client over TCP, with the blocking calls the tests make.
pub(crate) struct Connection(NatsClient<Tcp>);

/// The demo shop's two devices and the other shop's one, as `sync/dev.conf` has them.
pub(crate) const TILL_1: (&str, &str) = ("demo-till-1", "demo-till-1-secret");
pub(crate) const TILL_2: (&str, &str) = ("demo-till-2", "demo-till-2-secret");
/// The demo shop's device that may only read its log (`sync/dev.conf`).
pub(crate) const READER: (&str, &str) = ("demo-reader", "demo-reader-secret");
pub(crate) const OTHER_SHOP: (&str, &str) = ("other-till", "other-till-secret");

impl Connection {
    /// Connects as `user` to the test command's server.
    pub(crate) fn open(user: (&str, &str)) -> Result<Connection, SyncError> {
        let address = std::env::var("ORDERLOG_NATS").expect(
            "ORDERLOG_NATS names no server: the test command starts one (scripts/test), or \
             run scripts/sync-server and set ORDERLOG_NATS=127.0.0.1:4222",
        );
        Connection::open_at(&address, user)
    }

    /// Connects as `user` to the server at `address`.
    pub(crate) fn open_at(
        address: &str,
        (user, password): (&str, &str),
    ) -> Result<Connection, SyncError> {
        let unreachable = |error: std::io::Error| SyncError::Unreachable(error.to_string());
        let stream = TcpStream::connect(address).map_err(unreachable)?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(unreachable)?;
        // Each request waits for its reply: no holding small writes back (Nagle).
        stream.set_nodelay(true).map_err(unreachable)?;
        block_on(NatsClient::connect(Tcp(stream), user, password)).map(Connection)
    }

    /// Publishes and waits for the one reply, or the server's refusal.
    pub(crate) fn request(
        &mut self,
        subject: &str,
        headers: &[(&'static str, &str)],
        payload: &[u8],
    ) -> Result<Message, SyncError> {
        let message = Outgoing {
            subject: subject.to_owned(),
            headers: headers
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .collect(),
            payload: payload.to_vec(),
        };
        block_on(self.0.request(&message))
    }

    fn json(
        &mut self,
        subject: &str,
        headers: &[(&'static str, &str)],
        payload: &str,
    ) -> serde_json::Value {
        let reply = self
            .request(subject, headers, payload.as_bytes())
            .expect("an answer");
        serde_json::from_slice(&reply.payload).expect("a JSON reply")
    }

    /// Creates the stream `name` over `log.<name>.>` in this device's shop.
    fn create_stream(&mut self, name: &str) {
        let created = self.json(
            &format!("$JS.API.STREAM.CREATE.{name}"),
            &[],
            &format!(r#"{{"name":"{name}","subjects":["log.{name}.>"],"storage":"memory"}}"#),
        );
        assert_eq!(created["config"]["name"], name, "{created}");
    }

    /// Watches `subject` (see `NatsClient::watch`).
    pub(crate) fn watch(&mut self, subject: &str) -> Result<(), SyncError> {
        block_on(self.0.watch(subject))
    }

    /// Waits for a message to the watched subject (see `NatsClient::nudged`).
    pub(crate) fn nudged(&mut self) -> Result<(), SyncError> {
        block_on(self.0.nudged())
    }

    /// What the server says of the stream `stream`.
    pub(crate) fn stream_info(&mut self, stream: &str) -> serde_json::Value {
        self.json(&format!("$JS.API.STREAM.INFO.{stream}"), &[], "")
    }

    fn messages(&mut self, stream: &str) -> serde_json::Value {
        self.stream_info(stream)["state"]["messages"].clone()
    }
}

impl orderlog::sync::Connection for Connection {
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError> {
        self.0.publish(message).await
    }

    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError> {
        self.0.request(message).await
    }

    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError> {
        self.0.request_all(message).await
    }
}

#[test]
fn a_real_jetstream_keeps_one_order_per_subject_and_refuses_a_stale_expectation() {
    let mut till = Connection::open(TILL_1).expect("the demo shop's till");
    let name = format!("expect{}", std::process::id());
    till.create_stream(&name);
    let subject = format!("log.{name}.order-1");

    let expect_new = [("Nats-Expected-Last-Subject-Sequence", "0")];
    let first = till.json(&subject, &expect_new, "{\"n\":1}");
    assert_eq!(
        (first["stream"].as_str(), first["seq"].as_u64()),
        (Some(name.as_str()), Some(1)),
        "{first}"
    );
    let stale = till.json(&subject, &expect_new, "{\"n\":2}");
    assert_eq!(stale["error"]["err_code"], 10071, "{stale}");
    let next = till.json(
        &subject,
        &[("Nats-Expected-Last-Subject-Sequence", "1")],
        "{\"n\":2}",
    );
    assert_eq!(next["seq"], 2, "{next}");
}

#[test]
fn a_shops_devices_share_its_log_and_no_other_shop_reads_or_writes_it_nor_any_device_deletes_it() {
    let name = format!("shared{}", std::process::id());
    let subject = format!("log.{name}.order-1");
    let mut till_1 = Connection::open(TILL_1).expect("the demo shop's first till");
    let mut till_2 = Connection::open(TILL_2).expect("its second till");
    let mut other = Connection::open(OTHER_SHOP).expect("the other shop's till");
    till_1.create_stream(&name);
    till_1.json(&subject, &[], "{\"n\":1}");

    assert_eq!(till_2.messages(&name), 1, "the same shop reads it");
    let unseen = other.json(&format!("$JS.API.STREAM.INFO.{name}"), &[], "");
    assert_eq!(unseen["error"]["code"], 404, "{unseen}");
    // The other shop's publish reaches no stream: nobody answers it.
    let unheard = other
        .request(&subject, &[], b"{\"n\":2}")
        .expect("an answer");
    assert_eq!(unheard.headers.status, Some(503));
    for refused in ["DELETE", "PURGE"] {
        let answer = till_1.request(&format!("$JS.API.STREAM.{refused}.{name}"), &[], b"");
        let error = answer.expect_err(refused);
        assert!(
            matches!(&error, SyncError::NotAllowed(why) if why.contains("Permissions Violation")),
            "{refused}: {error}"
        );
    }
    assert_eq!(till_1.messages(&name), 1, "nothing written or removed");
}

#[test]
fn a_wrong_password_is_refused_by_the_server() {
    let refused = Connection::open(("demo-till-1", "not-its-password")).map(|_| ());
    assert_eq!(
        refused,
        Err(SyncError::NotAllowed("Authorization Violation".to_owned()))
    );
}
