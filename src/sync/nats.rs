//! The NATS client protocol as bytes, and nothing else: what a client sends
//! ([`ClientOp::encode`]) and what a server sends, parsed from any split of the stream
//! ([`Parser`]). No sockets, no clock: a transport (a WebSocket in the browser, TCP in the
//! native tests) feeds it. The protocol is text framed by `\r\n`, with byte-counted payloads
//! (<https://docs.nats.io/reference/reference-protocols/nats-protocol>); a wasm32 client
//! crate does not exist, so orderlog speaks it with this.

use std::fmt;

/// What a client sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientOp<'a> {
    /// The connection's options, a JSON object.
    Connect(&'a str),
    /// A message to `subject`; with headers it is sent as `HPUB`.
    Pub {
        subject: &'a str,
        reply_to: Option<&'a str>,
        headers: &'a [(&'a str, &'a str)],
        payload: &'a [u8],
    },
    /// Asks for the messages of `subject` under the subscription id `sid`.
    Sub {
        subject: &'a str,
        sid: u64,
    },
    Unsub {
        sid: u64,
    },
    Ping,
    Pong,
}

impl ClientOp<'_> {
    /// The op as the server reads it.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        match self {
            ClientOp::Connect(options) => format!("CONNECT {options}\r\n").into_bytes(),
            ClientOp::Pub {
                subject,
                reply_to,
                headers,
                payload,
            } => {
                let reply = reply_to.map_or_else(String::new, |reply| format!(" {reply}"));
                let mut op = if headers.is_empty() {
                    format!("PUB {subject}{reply} {}\r\n", payload.len()).into_bytes()
                } else {
                    let mut block = String::from("NATS/1.0\r\n");
                    for (name, value) in *headers {
                        for part in [name, ": ", value, "\r\n"] {
                            block.push_str(part);
                        }
                    }
                    block.push_str("\r\n");
                    let total = block.len() + payload.len();
                    let mut op =
                        format!("HPUB {subject}{reply} {} {total}\r\n", block.len()).into_bytes();
                    op.extend_from_slice(block.as_bytes());
                    op
                };
                op.extend_from_slice(payload);
                op.extend_from_slice(b"\r\n");
                op
            }
            ClientOp::Sub { subject, sid } => format!("SUB {subject} {sid}\r\n").into_bytes(),
            ClientOp::Unsub { sid } => format!("UNSUB {sid}\r\n").into_bytes(),
            ClientOp::Ping => b"PING\r\n".to_vec(),
            ClientOp::Pong => b"PONG\r\n".to_vec(),
        }
    }
}

/// A message delivered to a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub sid: u64,
    pub reply_to: Option<String>,
    pub headers: Headers,
    pub payload: Vec<u8>,
}

/// A message's headers: the status line's code and description (a server's "no
/// responders", 503, or "no messages", 404), and the fields in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    pub status: Option<u16>,
    pub description: String,
    pub fields: Vec<(String, String)>,
}

impl Headers {
    /// The first value of the field `name`, whatever its case.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What a server sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerOp {
    /// The server's description of itself, a JSON object.
    Info(String),
    Msg(Message),
    Ping,
    Pong,
    Ok,
    /// The server's complaint; it closes the connection after most of them.
    Err(String),
}

/// Bytes that are not the NATS protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server sent what is not the NATS protocol: {}",
            self.0
        )
    }
}

impl std::error::Error for ProtocolError {}

/// The longest control line taken: the server's `max_control_line` default (4 KiB), with
/// room for an `INFO`, which servers send longer.
const MAX_LINE: usize = 64 * 1024;

/// Reads server ops from the bytes a transport received, in whatever pieces they came.
#[derive(Debug, Default)]
pub struct Parser {
    buffer: Vec<u8>,
}

impl Parser {
    /// Takes the next bytes from the server.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole op, or `None` until more bytes come.
    ///
    /// # Errors
    /// [`ProtocolError`] for bytes that are not an op; the stream cannot be read past them.
    pub fn next_op(&mut self) -> Result<Option<ServerOp>, ProtocolError> {
        let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") else {
            if self.buffer.len() > MAX_LINE {
                return Err(ProtocolError("a control line over 64 KiB".into()));
            }
            return Ok(None);
        };
        let line = std::str::from_utf8(&self.buffer[..end])
            .map_err(|_| ProtocolError("a control line that is not UTF-8".into()))?
            .to_owned();
        let (word, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let op = match word.to_ascii_uppercase().as_str() {
            "PING" => ServerOp::Ping,
            "PONG" => ServerOp::Pong,
            "+OK" => ServerOp::Ok,
            "-ERR" => ServerOp::Err(rest.trim().trim_matches('\'').to_owned()),
            "INFO" => ServerOp::Info(rest.trim().to_owned()),
            "MSG" => return self.message(end, rest, false),
            "HMSG" => return self.message(end, rest, true),
            _ => return Err(ProtocolError(format!("an unknown op {word:?}"))),
        };
        self.buffer.drain(..end + 2);
        Ok(Some(op))
    }

    /// A `MSG` or `HMSG` whose control line ends at `end`, once its payload is here.
    fn message(
        &mut self,
        end: usize,
        args: &str,
        with_headers: bool,
    ) -> Result<Option<ServerOp>, ProtocolError> {
        let bad = || ProtocolError(format!("a message line {args:?}"));
        let args: Vec<&str> = args.split_ascii_whitespace().collect();
        let number = |text: &str| text.parse::<usize>().map_err(|_| bad());
        let (subject, sid, reply_to, header_len, total) = match (with_headers, args.as_slice()) {
            (false, [subject, sid, total]) => (subject, sid, None, 0, number(total)?),
            (false, [subject, sid, reply, total]) => (subject, sid, Some(reply), 0, number(total)?),
            (true, [subject, sid, headers, total]) => {
                (subject, sid, None, number(headers)?, number(total)?)
            }
            (true, [subject, sid, reply, headers, total]) => {
                (subject, sid, Some(reply), number(headers)?, number(total)?)
            }
            _ => return Err(bad()),
        };
        if header_len > total {
            return Err(bad());
        }
        let start = end + 2;
        if self.buffer.len() < start + total + 2 {
            return Ok(None);
        }
        if &self.buffer[start + total..start + total + 2] != b"\r\n" {
            return Err(ProtocolError("a payload longer than its count".into()));
        }
        let headers = if with_headers {
            parse_headers(&self.buffer[start..start + header_len])?
        } else {
            Headers::default()
        };
        let message = Message {
            subject: (*subject).to_owned(),
            sid: sid.parse().map_err(|_| bad())?,
            reply_to: reply_to.map(|reply| (*reply).to_owned()),
            headers,
            payload: self.buffer[start + header_len..start + total].to_vec(),
        };
        self.buffer.drain(..start + total + 2);
        Ok(Some(ServerOp::Msg(message)))
    }
}

/// `NATS/1.0[ code[ description]]`, then `Name: value` lines, then an empty line.
fn parse_headers(block: &[u8]) -> Result<Headers, ProtocolError> {
    let text = std::str::from_utf8(block)
        .map_err(|_| ProtocolError("headers that are not UTF-8".into()))?;
    let mut lines = text.split("\r\n");
    let status = lines.next().unwrap_or_default();
    let Some(status) = status.strip_prefix("NATS/1.0") else {
        return Err(ProtocolError(format!("a header block starting {status:?}")));
    };
    let status = status.trim();
    let (code, description) = status.split_once(' ').unwrap_or((status, ""));
    let mut headers = Headers {
        status: code.parse().ok(),
        description: description.trim().to_owned(),
        fields: Vec::new(),
    };
    for line in lines.filter(|line| !line.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(ProtocolError(format!("a header line {line:?}")));
        };
        headers
            .fields
            .push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(headers)
}
