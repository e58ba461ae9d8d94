//! The sync engine when servers fail: a server stopped in the middle of a push and started
//! again, and a three-server cluster whose log's leader is stopped mid-sync. Each test runs
//! servers of its own (`ORDERLOG_NATS_SERVER`, the binary the test command installed) on
//! free ports of 127.0.0.1, their data in a directory of their own. And the production
//! example (`sync/production/`), checked by the server itself.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use orderlog::sync::jetstream::Outgoing;
use orderlog::sync::nats::Message;
use orderlog::sync::{ShopLog, SyncError, Synced};

use crate::nats::Connection;
use crate::support::shop::{create, line, JAN_2026};
use crate::sync::{assert_same_log, Device};

const TILL_1: (&str, &str) = ("till-1", "till-1-secret");
const TILL_2: (&str, &str) = ("till-2", "till-2-secret");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// A NATS server this test runs: stopped and started again at will, on the same port and
/// data, and stopped for good when dropped.
struct Server {
    name: String,
    port: u16,
    config: PathBuf,
    dir: PathBuf,
    child: Option<Child>,
}

impl Server {
    /// Writes the configuration of server `name` (one shop, two tills; in `cluster` when
    /// given) and starts it.
    fn start(name: &str, port: u16, cluster: &str) -> Server {
        let dir = std::env::temp_dir().join(format!("orderlog-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a directory for the server");
        let config = dir.join("server.conf");
        let text = format!(
            r#"server_name: {name}
host: 127.0.0.1
port: {port}
jetstream {{ store_dir: "{data}" }}
{cluster}
accounts {{
  SHOP: {{
    jetstream: enabled
    users: [
      {{ user: till-1, password: till-1-secret }}
      {{ user: till-2, password: till-2-secret }}
    ]
  }}
}}
"#,
            data = dir.join("data").display()
        );
        std::fs::write(&config, text).expect("write the configuration");
        let mut server = Server {
            name: name.to_owned(),
            port,
            config,
            dir,
            child: None,
        };
        server.resume();
        server
    }

    fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts the stopped server again, with its data, and waits for its port.
    fn resume(&mut self) {
        let binary = std::env::var("ORDERLOG_NATS_SERVER")
            .expect("ORDERLOG_NATS_SERVER names the nats-server binary: the test command sets it");
        let log =
            std::fs::File::create(self.dir.join(format!("{}.log", self.name))).expect("a log file");
        let child = Command::new(binary)
            .arg("-c")
            .arg(&self.config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start nats-server");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(self.address()).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{} did not start",
                self.name
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server at once (SIGKILL): whatever it was doing is cut short.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Syncs until it succeeds, as a device does when the server comes back; panics after 30 s.
fn sync_until_done(device: &mut Device) -> Synced {
    let started = Instant::now();
    loop {
        let attempt = device
            .connect()
            .and_then(|mut connection| device.try_sync(&mut connection));
        match attempt {
            Ok(synced) => return synced,
            Err(error) if started.elapsed() < Duration::from_secs(30) => {
                eprintln!("sync again after: {error}");
                sleep(Duration::from_millis(200));
            }
            Err(error) => panic!("still failing after 30 s: {error}"),
        }
    }
}

/// A connection that calls `stop` once, when its `at`-th publication has been sent (its
/// acknowledgement never read).
struct StopsMidPush<'a> {
    inner: Connection,
    publications: u32,
    at: u32,
    stop: Option<Box<dyn FnOnce() + 'a>>,
}

impl orderlog::sync::Connection for StopsMidPush<'_> {
    async fn publish(&mut self, message: &Outgoing) -> Result<(), SyncError> {
        self.inner.publish(message).await
    }

    async fn request(&mut self, message: &Outgoing) -> Result<Message, SyncError> {
        if message.subject.starts_with("log.") {
            self.publications += 1;
            if self.publications == self.at {
                if let Some(stop) = self.stop.take() {
                    self.inner.publish(message).await?;
                    stop();
                    return Err(SyncError::Unreachable("the server stopped".into()));
                }
            }
        }
        orderlog::sync::Connection::request(&mut self.inner, message).await
    }

    async fn request_all(&mut self, message: &Outgoing) -> Result<Vec<Message>, SyncError> {
        self.inner.request_all(message).await
    }
}

/// `count` orders of one line each, decided on `device`.
fn orders(device: &mut Device, prefix: &str, count: u32) {
    for n in 0..count {
        device
            .order(
                &format!("{prefix}{n}"),
                create(JAN_2026, vec![line(1, "MUG", 1, 100, 0)]),
            )
            .unwrap();
    }
}

/// How many messages the stream `log` holds, as the server at `address` says.
fn stored(address: &str, log: &ShopLog) -> u64 {
    let info = Connection::open_at(address, TILL_1)
        .expect("connect")
        .stream_info(&log.stream);
    info["state"]["messages"].as_u64().expect("a count")
}

#[test]
fn a_server_stopped_mid_push_and_started_again_loses_nothing_and_doubles_nothing() {
    let server = std::cell::RefCell::new(Server::start("restarted", free_port(), ""));
    let address = server.borrow().address();
    let log = ShopLog::new("shop", 1);
    let mut till_1 = Device::at("till-1", &address, TILL_1, &log);
    let mut till_2 = Device::at("till-2", &address, TILL_2, &log);
    orders(&mut till_1, "a", 20);

    let mut stopping = StopsMidPush {
        inner: till_1.connect().unwrap(),
        publications: 0,
        at: 7,
        stop: Some(Box::new(|| server.borrow_mut().kill())),
    };
    let stopped = till_1.try_sync(&mut stopping);
    assert!(
        matches!(stopped, Err(SyncError::Unreachable(_))),
        "{stopped:?}"
    );
    assert_eq!(
        till_1.pending(),
        40 - 12,
        "six commands went before; nothing lost"
    );
    drop(stopping);

    server.borrow_mut().resume();
    sync_until_done(&mut till_1);
    sync_until_done(&mut till_2);

    assert_eq!(stored(&address, &log), 40, "every event once");
    assert_same_log(&till_1, &till_2);
}

#[test]
fn a_three_server_cluster_keeps_syncing_when_the_logs_leader_is_stopped() {
    let names = ["n1", "n2", "n3"];
    let ports: Vec<(u16, u16)> = names.iter().map(|_| (free_port(), free_port())).collect();
    let servers: Vec<std::cell::RefCell<Server>> = names
        .iter()
        .zip(&ports)
        .map(|(name, (port, route))| {
            let routes: Vec<String> = ports
                .iter()
                .filter(|(_, other)| other != route)
                .map(|(_, other)| format!("\"nats-route://127.0.0.1:{other}\""))
                .collect();
            let cluster = format!(
                "cluster {{ name: orderlog-test, host: 127.0.0.1, port: {route}, routes: [{}] }}",
                routes.join(", ")
            );
            std::cell::RefCell::new(Server::start(name, *port, &cluster))
        })
        .collect();
    let log = ShopLog::new("shop", 3);
    // The stream is made by the first sync, once the cluster has chosen its leaders.
    let mut first = Device::at("first", &servers[0].borrow().address(), TILL_1, &log);
    sync_until_done(&mut first);
    let leader = stream_leader(&servers[0].borrow().address(), &log);
    let leader = names
        .iter()
        .position(|name| *name == leader)
        .expect("a leader");
    let others: Vec<usize> = (0..3).filter(|&n| n != leader).collect();
    let mut till_1 = Device::at(
        "till-1",
        &servers[others[0]].borrow().address(),
        TILL_1,
        &log,
    );
    let mut till_2 = Device::at(
        "till-2",
        &servers[others[1]].borrow().address(),
        TILL_2,
        &log,
    );
    orders(&mut till_1, "a", 20);
    orders(&mut till_2, "b", 5);

    let mut stopping = StopsMidPush {
        inner: till_1.connect().unwrap(),
        publications: 0,
        at: 7,
        stop: Some(Box::new(|| servers[leader].borrow_mut().kill())),
    };
    let _ = till_1.try_sync(&mut stopping);
    drop(stopping);
    sync_until_done(&mut till_1);
    sync_until_done(&mut till_2);
    sync_until_done(&mut till_1);

    let survivor = servers[others[0]].borrow().address();
    assert_eq!(stored(&survivor, &log), 50, "every event once");
    assert_same_log(&till_1, &till_2);
    assert_ne!(
        stream_leader(&survivor, &log),
        names[leader],
        "another server leads the log"
    );
}

/// The name of the server leading `log`'s stream.
fn stream_leader(address: &str, log: &ShopLog) -> String {
    let info = Connection::open_at(address, TILL_1)
        .expect("connect")
        .stream_info(&log.stream);
    info["cluster"]["leader"]
        .as_str()
        .unwrap_or_else(|| panic!("no leader in {info}"))
        .to_owned()
}

/// `nats-server -t` on server `n`'s production configuration, with `env` set.
fn check_production(n: u32, env: &[(String, String)]) -> std::process::Output {
    let binary = std::env::var("ORDERLOG_NATS_SERVER").expect("ORDERLOG_NATS_SERVER");
    Command::new(binary)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/sync/production"))
        .args(["-t", "-c", &format!("nats-{n}.conf")])
        .env_clear()
        .envs(env.iter().cloned())
        .output()
        .expect("run nats-server -t")
}

#[test]
fn the_production_example_is_a_cluster_the_server_takes_and_no_server_starts_without_a_secret() {
    let tls = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
    let mut env: Vec<(String, String)> = [
        ("ORDERLOG_TLS_CERT", format!("{tls}/cert.pem")),
        ("ORDERLOG_TLS_KEY", format!("{tls}/key.pem")),
        ("ORDERLOG_TLS_CA", format!("{tls}/cert.pem")),
        ("ORDERLOG_APP_ORIGIN", "https://orders.example.com".into()),
    ]
    .map(|(name, value)| (name.to_owned(), value))
    .to_vec();
    for device in [
        "STALL_17_TILL_1",
        "STALL_17_TILL_2",
        "STALL_17_LAPTOP",
        "FIELD_REP_4_PHONE",
    ] {
        env.push((format!("{device}_PASSWORD"), format!("{device}-secret")));
    }
    for n in 1..=3 {
        let checked = check_production(n, &env);
        assert!(
            checked.status.success(),
            "nats-{n}.conf: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    env.pop();
    let missing = check_production(1, &env);
    assert!(!missing.status.success(), "a device's password is missing");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("FIELD_REP_4_PHONE_PASSWORD"));
}
