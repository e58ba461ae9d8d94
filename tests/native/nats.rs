//! The NATS protocol as orderlog speaks it: the parser over any split of a server's bytes,
//! the ops a client sends, and both against a real `JetStream` server on 127.0.0.1, the one
//! the test command starts (its address in `ORDERLOG_NATS`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use orderlog::sync::jetstream::Outgoing;
use orderlog::sync::nats::{ClientOp, Headers, Message, Parser, ProtocolError, ServerOp};
use orderlog::sync::SyncError;
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

/// A blocking connection over TCP, enough to put the protocol to a real server; the sync
/// engine's [`orderlog::sync::Connection`] in the native tests.
pub(crate) struct Connection {
    stream: TcpStream,
    parser: Parser,
    next_sid: u64,
    /// Where its replies come: a prefix no other connection uses, or the tests running at
    /// once would take each other's replies.
    inbox: String,
}

/// Connections opened by this process so far: each one's inbox is its own.
static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The demo shop's two devices and the other shop's one, as `sync/dev.conf` has them.
pub(crate) const TILL_1: (&str, &str) = ("demo-till-1", "demo-till-1-secret");
pub(crate) const TILL_2: (&str, &str) = ("demo-till-2", "demo-till-2-secret");
pub(crate) const OTHER_SHOP: (&str, &str) = ("other-till", "other-till-secret");

impl Connection {
    /// Connects as `user` to the test command's server, or the server's answer when it will
    /// not have it.
    pub(crate) fn open(user: (&str, &str)) -> Result<Connection, String> {
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
    ) -> Result<Connection, String> {
        let stream = TcpStream::connect(address).map_err(|error| error.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|error| error.to_string())?;
        let mut connection = Connection {
            stream,
            parser: Parser::default(),
            next_sid: 1,
            inbox: format!(
                "_INBOX.orderlog-tests-{}-{}",
                std::process::id(),
                OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ),
        };
        let ServerOp::Info(_) = connection.read()? else {
            return Err("the server did not introduce itself".into());
        };
        let options = serde_json::json!({
            "verbose": false, "pedantic": false, "headers": true, "no_responders": true, "protocol": 1,
            "lang": "orderlog-tests", "version": "0", "user": user, "pass": password,
        })
        .to_string();
        connection.send(&ClientOp::Connect(&options))?;
        connection.send(&ClientOp::Ping)?;
        match connection.read()? {
            ServerOp::Pong => Ok(connection),
            ServerOp::Err(error) => Err(error),
            other => Err(format!("not an answer to PING: {other:?}")),
        }
    }

    pub(crate) fn send(&mut self, op: &ClientOp<'_>) -> Result<(), String> {
        self.stream
            .write_all(&op.encode())
            .map_err(|error| error.to_string())
    }

    /// The next op that is not a ping (answered).
    pub(crate) fn read(&mut self) -> Result<ServerOp, String> {
        let mut buffer = [0; 4096];
        loop {
            match self.parser.next_op().map_err(|error| error.to_string())? {
                Some(ServerOp::Ping) => self.send(&ClientOp::Pong)?,
                Some(op) => return Ok(op),
                None => {
                    let read = self
                        .stream
                        .read(&mut buffer)
                        .map_err(|error| format!("no answer: {error}"))?;
                    if read == 0 {
                        return Err("the server closed the connection".into());
                    }
                    self.parser.push(&buffer[..read]);
                }
            }
        }
    }

    /// Publishes and waits for the one reply, or the server's refusal.
    pub(crate) fn request(
        &mut self,
        subject: &str,
        headers: &[(&str, &str)],
        payload: &[u8],
    ) -> Result<Message, String> {
        self.request_until(subject, headers, payload, |_| true)
            .map(|mut replies| replies.remove(0))
    }

    /// Publishes and collects the replies up to the first for which `last` holds.
    fn request_until(
        &mut self,
        subject: &str,
        headers: &[(&str, &str)],
        payload: &[u8],
        last: impl Fn(&Message) -> bool,
    ) -> Result<Vec<Message>, String> {
        let sid = self.send_request(subject, headers, payload)?;
        let mut replies = Vec::new();
        let answer = loop {
            match self.read()? {
                ServerOp::Msg(message) if message.sid == sid => {
                    let done = last(&message);
                    replies.push(message);
                    if done {
                        break Ok(replies);
                    }
                }
                ServerOp::Err(error) => break Err(error),
                _ => {}
            }
        };
        self.send(&ClientOp::Unsub { sid })?;
        answer
    }

    /// Subscribes a reply subject of its own and publishes with it; returns its sid.
    pub(crate) fn send_request(
        &mut self,
        subject: &str,
        headers: &[(&str, &str)],
        payload: &[u8],
    ) -> Result<u64, String> {
        let sid = self.next_sid;
        self.next_sid += 1;
        let inbox = format!("{}.{sid}", self.inbox);
        self.send(&ClientOp::Sub {
            subject: &inbox,
            sid,
        })?;
        self.send(&ClientOp::Pub {
            subject,
            reply_to: Some(&inbox),
            headers,
            payload,
        })?;
        Ok(sid)
    }

    fn json(
        &mut self,
        subject: &str,
        headers: &[(&str, &str)],
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

    fn messages(&mut self, stream: &str) -> serde_json::Value {
        let info = self.json(&format!("$JS.API.STREAM.INFO.{stream}"), &[], "");
        info["state"]["messages"].clone()
    }
}

fn header_pairs(message: &Outgoing) -> Vec<(&str, &str)> {
    message
        .headers
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

fn lost(error: String) -> SyncError {
    SyncError::Unreachable(error)
}

impl orderlog::sync::Connection for Connection {
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError> {
        self.send(&ClientOp::Pub {
            subject: &message.subject,
            reply_to: None,
            headers: &header_pairs(message),
            payload: &message.payload,
        })
        .map_err(lost)
    }

    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError> {
        Connection::request(
            self,
            &message.subject,
            &header_pairs(message),
            &message.payload,
        )
        .map_err(lost)
    }

    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError> {
        self.request_until(
            &message.subject,
            &header_pairs(message),
            &message.payload,
            |reply| reply.headers.status.is_some(),
        )
        .map_err(lost)
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
            error.contains("Permissions Violation"),
            "{refused}: {error}"
        );
    }
    assert_eq!(till_1.messages(&name), 1, "nothing written or removed");
}

#[test]
fn a_wrong_password_is_refused_by_the_server() {
    let refused = Connection::open(("demo-till-1", "not-its-password")).map(|_| ());
    assert_eq!(refused, Err("Authorization Violation".to_owned()));
}
