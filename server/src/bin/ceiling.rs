//! `ceiling`: the bare web server that `scripts/bench` measures beside Convene, as
//! the most this machine's web stack can answer: axum on tokio, as Convene runs
//! them, answering every GET with one fixed HTML page of about 1.2 KB, with no
//! database, no rendering, no compression and no middleware.
#![forbid(unsafe_code)]

use axum::response::Html;
use axum::Router;
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "ceiling",
    about = "A bare axum server answering one fixed page"
)]
struct Args {
    /// The loopback port to listen on.
    #[arg(long)]
    port: u16,
}

/// About 1.2 KB of HTML, shaped like a small page.
fn page() -> String {
    let mut p = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceiling</title></head><body><main><h1>A fixed page</h1>",
    );
    while p.len() < 1150 {
        p.push_str("<p>The same paragraph, written once at start-up and sent as it is.</p>");
    }
    p.push_str("</main></body></html>");
    p
}

/// The same allocator as `convene serve`, so that the two are compared fairly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let page: &'static str = Box::leak(page().into_boxed_str());
    let app = Router::new().fallback(move || async move { Html(page) });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await?;
    axum::serve(listener, app).await
}
