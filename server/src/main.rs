//! `convene`: serve (the default), migrate, seed-demo, seed-bench, backup.
#![forbid(unsafe_code)]

use app::platform::Clock;
use clap::{Parser, Subcommand};
use convene_server::{bench, config::Config, demo};
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "convene",
    version,
    about = "Meetings of European judicial networks"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default): migrates the database, adds the demo data to an empty one.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Add (or refresh) the demo networks, people and events; safe to repeat.
    SeedDemo,
    /// Add (or keep) the benchmark data: a copy of the First Plenary Meeting with R
    /// confirmed registrations and/or a published agenda of N talks, its organiser
    /// (bench.organiser@bench.demo.example, password convene-bench-2026) and a member
    /// of the network (bench.member@bench.demo.example, the same password); safe to
    /// repeat.
    #[command(group(
        clap::ArgGroup::new("what")
            .args(["registrations", "items", "burst", "report_recipients"])
            .required(true)
            .multiple(true)
    ))]
    SeedBench {
        /// How many confirmed registrations (of as many people) the copy holds
        /// (left as they are when not given).
        #[arg(long, value_name = "R")]
        registrations: Option<usize>,
        /// Replace the copy's agenda with a published one over its two days: 16
        /// blocks (plenaries, three parallel workshops, a closed session) and 6
        /// breaks, and N talks with a speaker each spread over the blocks.
        #[arg(long, value_name = "N")]
        items: Option<usize>,
        /// Also an event open for registration with N invited people, for the
        /// registration burst; each run clears its registrations and issues new links.
        #[arg(long, value_name = "N", requires = "links")]
        burst: Option<usize>,
        /// The burst event's in-person places.
        #[arg(long, value_name = "C", requires = "burst", default_value_t = 300)]
        capacity: i32,
        /// Where the burst's personal-link tokens go, one a line (/guest/TOKEN opens one).
        #[arg(long, value_name = "FILE", requires = "burst")]
        links: Option<PathBuf>,
        /// Also an ended meeting chaired by the organiser, with N confirmed
        /// participants (no accounts) and an approved outcome report not yet sent to
        /// them, for the report-sending benchmark (0, the default: none).
        #[arg(long, value_name = "N")]
        report_recipients: Option<usize>,
    },
    /// Queue a test message to ADDRESS, deliver it, and say whether the SMTP server took it.
    SendTestMail {
        /// The recipient.
        #[arg(long)]
        to: String,
    },
    /// Create a secretariat account (or make an existing person secretariat) and email
    /// a link to choose the password; with --password-stdin, read the password instead.
    CreateAdmin {
        /// The person's full name.
        #[arg(long)]
        name: String,
        /// The address they sign in with.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Write a consistent copy of the live SQLite database to FILE.
    Backup {
        /// The file to write; it must not exist yet.
        file: PathBuf,
    },
}

/// mimalloc: rendering a page allocates and frees many small strings, which it
/// does in a fraction of the time glibc's malloc takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("CONVENE_LOG")
                .or_else(|_| EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("convene: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // One sentence, no backtrace: the operator's next step is in it.
            eprintln!("convene: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env()?;
    match command {
        Command::Serve => {
            let shutdown = convene_server::shutdown_signal();
            tracing::info!(database = ?config.database_url, "starting");
            let prepared = convene_server::prepare(&config, Clock::System).await?;
            tracing::info!(
                backend = prepared.store.backend_name(),
                "listening on http://{}",
                prepared.addr
            );
            convene_server::serve(prepared, shutdown)
                .await
                .map_err(|e| format!("The server stopped with an error: {e}."))
        }
        Command::Migrate => {
            let store = convene_server::open_store(&config).await?;
            println!(
                "Database {:?} is migrated ({}).",
                config.database_url,
                store.backend_name()
            );
            store.close().await;
            Ok(())
        }
        Command::SeedDemo => {
            let store = convene_server::open_store(&config).await?;
            demo::seed(&store, Clock::System.now())
                .await
                .map_err(|e| format!("Adding the demo data failed: {e:#}."))?;
            demo::seed_spring_registrations(&store, Clock::System.now())
                .await
                .map_err(|e| format!("Adding the demo registrations failed: {e:#}."))?;
            println!("Demo data is in place in {:?}.", config.database_url);
            store.close().await;
            Ok(())
        }
        Command::SeedBench {
            registrations,
            items,
            burst,
            capacity,
            links,
            report_recipients,
        } => {
            let options = bench::Options {
                registrations,
                items,
                burst: burst.zip(links).map(|(people, links)| bench::Burst {
                    people,
                    capacity,
                    links,
                }),
            };
            let store = convene_server::open_store(&config).await?;
            let outcome = async {
                let report = bench::seed(&store, Clock::System.now(), &options).await?;
                let sending = match report_recipients.unwrap_or(0) {
                    0 => None,
                    n => Some(
                        bench::seed_report(&store, Clock::System.now(), n, report.organiser_id)
                            .await?,
                    ),
                };
                anyhow::Ok((report, sending))
            }
            .await;
            store.close().await;
            let (report, sending) =
                outcome.map_err(|e| format!("Adding the benchmark data failed: {e:#}."))?;
            println!("{}", bench::describe(&report, &options, &config));
            if let Some(sending) = &sending {
                println!("{}", bench::describe_report(sending, &config));
            }
            Ok(())
        }
        Command::SendTestMail { to } => {
            let store = convene_server::open_store(&config).await?;
            let outcome = convene_server::send_test_mail(&store, &config, &to).await;
            store.close().await;
            let line = outcome?;
            println!("{line}");
            Ok(())
        }
        Command::CreateAdmin {
            name,
            email,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| {
                    format!("Reading the password from standard input failed: {e}.")
                })?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let store = convene_server::open_store(&config).await?;
            let outcome =
                convene_server::create_admin(&store, &config, &name, &email, password.as_deref())
                    .await;
            store.close().await;
            println!("{}", outcome?);
            Ok(())
        }
        Command::Backup { file } => {
            convene_server::backup(&config, &file).await?;
            println!(
                "Wrote a consistent copy of the database to {}.",
                file.display()
            );
            Ok(())
        }
    }
}
