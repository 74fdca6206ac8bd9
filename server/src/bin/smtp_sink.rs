//! `smtp_sink`: the SMTP server of the report-sending benchmark (`scripts/bench`).
//!
//! Listens on loopback and accepts every message, speaking enough of RFC 5321 for
//! lettre and other plain clients: EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed),
//! RSET, NOOP, QUIT; no TLS and no AUTH (EHLO advertises neither, so a client set
//! up without TLS never asks for STARTTLS). For every recipient of every message
//! it takes, it appends one line to the log before answering 250, written in one
//! `write` to a file opened for appending:
//!
//! ```text
//! <unix milliseconds> <recipient address> <Message-ID header value>
//! ```
//!
//! so the log holds exactly the messages a sender was told were accepted, in the
//! order they were, whatever happens to the sender. Each connection is a task of
//! its own. Never deployed.
#![forbid(unsafe_code)]

use clap::Parser;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Parser)]
#[command(
    name = "smtp_sink",
    about = "An SMTP server on loopback that accepts every message and logs its recipients and Message-ID"
)]
struct Args {
    /// The port on 127.0.0.1 (0: any free one; the first line printed names it).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Where each accepted message's lines go (appended).
    #[arg(long, value_name = "FILE")]
    log: PathBuf,
}

/// The log, shared by the connections.
type Log = Arc<Mutex<std::fs::File>>;

/// The longest command line taken (RFC 5321 says 512 octets; some room for
/// extensions' parameters).
const MAX_COMMAND: usize = 4096;

fn millis() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// The address of `MAIL FROM:<a> PARAMS` or `RCPT TO:<a> PARAMS` after the colon:
/// `a`, without the angle brackets and parameters.
fn path_address(rest: &str) -> String {
    let rest = rest.trim_start();
    match rest.strip_prefix('<') {
        Some(inner) => inner.split('>').next().unwrap_or_default().to_owned(),
        None => rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// The value of the message's `Message-ID` header, unfolded ("-" when it has none).
fn message_id(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let mut value: Option<String> = None;
    for line in text.split("\r\n") {
        if line.is_empty() {
            break;
        }
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((name, v)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("message-id") {
                value = Some(v.trim().to_owned());
            }
        }
    }
    value
        .filter(|v| !v.is_empty())
        .map_or_else(|| "-".to_owned(), |v| v.replace(char::is_whitespace, ""))
}

/// Reads one line (up to LF) into `line`, at most `limit` bytes; false at the end
/// of the connection.
async fn read_line<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
    line: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<bool> {
    line.clear();
    let n = r.read_until(b'\n', line).await?;
    if line.len() > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "line too long",
        ));
    }
    Ok(n > 0)
}

async fn session(stream: TcpStream, log: Log) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.localhost ESMTP smtp_sink ready\r\n")
        .await?;
    let mut sender: Option<String> = None;
    let mut recipients: Vec<String> = Vec::new();
    let mut line = Vec::with_capacity(512);
    let mut data = Vec::with_capacity(64 * 1024);
    loop {
        if !read_line(&mut r, &mut line, MAX_COMMAND).await? {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_owned();
        let verb = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let upper = text.to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => {
                sender = None;
                recipients.clear();
                b"250-sink.localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n"
            }
            "HELO" => {
                sender = None;
                recipients.clear();
                b"250 sink.localhost\r\n"
            }
            "MAIL" if upper.starts_with("MAIL FROM:") => {
                sender = Some(path_address(&text["MAIL FROM:".len()..]));
                recipients.clear();
                b"250 2.1.0 OK\r\n"
            }
            "RCPT" if upper.starts_with("RCPT TO:") => {
                if sender.is_none() {
                    b"503 5.5.1 MAIL first\r\n"
                } else {
                    recipients.push(path_address(&text["RCPT TO:".len()..]));
                    b"250 2.1.5 OK\r\n"
                }
            }
            "DATA" => {
                if recipients.is_empty() {
                    b"503 5.5.1 RCPT first\r\n"
                } else {
                    w.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    data.clear();
                    loop {
                        // Lines of a message are at most 1,000 octets; be lenient.
                        if !read_line(&mut r, &mut line, 1 << 20).await? {
                            return Ok(());
                        }
                        if line == b".\r\n" || line == b".\n" {
                            break;
                        }
                        // Dot-unstuffing (RFC 5321, 4.5.2).
                        let l = line.strip_prefix(b".").unwrap_or(&line);
                        data.extend_from_slice(l);
                    }
                    let id = message_id(&data);
                    let at = millis();
                    let mut lines = String::new();
                    for to in &recipients {
                        lines.push_str(&format!("{at} {to} {id}\n"));
                    }
                    {
                        // One write per message: lines of concurrent messages
                        // never interleave. A file is not buffered in-process.
                        let mut f = log.lock().unwrap_or_else(|e| e.into_inner());
                        f.write_all(lines.as_bytes())?;
                        f.flush()?;
                    }
                    sender = None;
                    recipients.clear();
                    b"250 2.0.0 OK queued\r\n"
                }
            }
            "RSET" => {
                sender = None;
                recipients.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                w.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 command not implemented\r\n",
        };
        w.write_all(reply).await?;
    }
}

async fn run(args: Args) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.log)
        .map_err(|e| format!("cannot open {}: {e}", args.log.display()))?;
    let log: Log = Arc::new(Mutex::new(file));
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("the listening address: {e}"))?;
    println!(
        "smtp_sink listening on {addr}, logging to {}",
        args.log.display()
    );
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors, say: wait a little rather than spin.
                eprintln!("smtp_sink: accept: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let log = log.clone();
        tokio::spawn(async move {
            if let Err(e) = session(stream, log).await {
                eprintln!("smtp_sink: a connection ended: {e}");
            }
        });
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("smtp_sink: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("smtp_sink: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_brackets_and_parameters() {
        assert_eq!(path_address("<a@b.example> BODY=8BITMIME"), "a@b.example");
        assert_eq!(path_address(" <a@b.example>"), "a@b.example");
        assert_eq!(path_address("<>"), "");
        assert_eq!(path_address("a@b.example SIZE=10"), "a@b.example");
    }

    #[test]
    fn the_message_id_is_read_from_the_headers_only_and_unfolded() {
        let data = b"From: x@y\r\nMessage-ID:\r\n <1.2@convene.example>\r\nSubject: s\r\n\r\nMessage-ID: <not@this>\r\n";
        assert_eq!(message_id(data), "<1.2@convene.example>");
        assert_eq!(message_id(b"Subject: s\r\n\r\nbody\r\n"), "-");
        assert_eq!(
            message_id(b"message-id: <a@b>\r\n\r\n"),
            "<a@b>",
            "header names are case-insensitive"
        );
    }
}
