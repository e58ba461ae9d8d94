//! The NATS protocol as orderlog speaks it: the parser over any split of a server's bytes,
//! the ops a client sends, and both against a real `JetStream` server on 127.0.0.1, the one
//! the test command starts (its address in `ORDERLOG_NATS`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use orderlog::sync::nats::{ClientOp, Headers, Message, Parser, ProtocolError, ServerOp};
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

/// A blocking connection over TCP, enough to put the protocol to a real server.
struct Connection {
    stream: TcpStream,
    parser: Parser,
    next_sid: u64,
}

impl Connection {
    fn open() -> Connection {
        let address = std::env::var("ORDERLOG_NATS").expect(
            "ORDERLOG_NATS names no server: the test command starts one (scripts/test), or \
             run scripts/sync-server and set ORDERLOG_NATS=127.0.0.1:<its port>",
        );
        let stream = TcpStream::connect(&address).expect("connect to ORDERLOG_NATS");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut connection = Connection {
            stream,
            parser: Parser::default(),
            next_sid: 1,
        };
        assert!(matches!(connection.read(), ServerOp::Info(_)));
        connection.send(&ClientOp::Connect(
            r#"{"verbose":false,"pedantic":false,"headers":true,"protocol":1,"lang":"orderlog-tests","version":"0"}"#,
        ));
        connection.send(&ClientOp::Ping);
        assert_eq!(connection.read(), ServerOp::Pong);
        connection
    }

    fn send(&mut self, op: &ClientOp<'_>) {
        self.stream.write_all(&op.encode()).unwrap();
    }

    /// The next op that is not a ping (answered).
    fn read(&mut self) -> ServerOp {
        let mut buffer = [0; 4096];
        loop {
            match self.parser.next_op().unwrap() {
                Some(ServerOp::Ping) => self.send(&ClientOp::Pong),
                Some(op) => return op,
                None => {
                    let read = self.stream.read(&mut buffer).expect("the server answers");
                    assert!(read > 0, "the server closed the connection");
                    self.parser.push(&buffer[..read]);
                }
            }
        }
    }

    /// Publishes and waits for the one reply.
    fn request(&mut self, subject: &str, headers: &[(&str, &str)], payload: &[u8]) -> Message {
        let sid = self.next_sid;
        self.next_sid += 1;
        let inbox = format!("_INBOX.orderlog-tests.{sid}");
        self.send(&ClientOp::Sub {
            subject: &inbox,
            sid,
        });
        self.send(&ClientOp::Pub {
            subject,
            reply_to: Some(&inbox),
            headers,
            payload,
        });
        loop {
            match self.read() {
                ServerOp::Msg(message) if message.sid == sid => {
                    self.send(&ClientOp::Unsub { sid });
                    return message;
                }
                ServerOp::Err(error) => panic!("the server refused: {error}"),
                _ => {}
            }
        }
    }

    fn json(
        &mut self,
        subject: &str,
        headers: &[(&str, &str)],
        payload: &str,
    ) -> serde_json::Value {
        let reply = self.request(subject, headers, payload.as_bytes());
        serde_json::from_slice(&reply.payload).expect("a JSON reply")
    }
}

#[test]
fn a_real_jetstream_keeps_one_order_per_subject_and_refuses_a_stale_expectation() {
    let mut server = Connection::open();
    let name = format!("ORDERLOG_TEST_{}", std::process::id());
    let subject = format!("orderlog-test.{}.order-1", std::process::id());
    let created = server.json(
        &format!("$JS.API.STREAM.CREATE.{name}"),
        &[],
        &format!(
            r#"{{"name":"{name}","subjects":["orderlog-test.{}.>"],"storage":"memory"}}"#,
            std::process::id()
        ),
    );
    assert_eq!(created["config"]["name"], name.as_str(), "{created}");

    let expect_new = [("Nats-Expected-Last-Subject-Sequence", "0")];
    let first = server.json(&subject, &expect_new, "{\"n\":1}");
    assert_eq!(
        (first["stream"].as_str(), first["seq"].as_u64()),
        (Some(name.as_str()), Some(1)),
        "{first}"
    );
    let stale = server.json(&subject, &expect_new, "{\"n\":2}");
    assert_eq!(stale["error"]["err_code"], 10071, "{stale}");
    let next = server.json(
        &subject,
        &[("Nats-Expected-Last-Subject-Sequence", "1")],
        "{\"n\":2}",
    );
    assert_eq!(next["seq"], 2, "{next}");

    let deleted = server.json(&format!("$JS.API.STREAM.DELETE.{name}"), &[], "");
    assert_eq!(deleted["success"], true, "{deleted}");
}
