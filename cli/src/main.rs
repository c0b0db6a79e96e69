//! The `strata` command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use strata::report_formats::{self, Format};
use strata::{CacheConfig, DbSource, Limits, Platform, Progress, ScanOptions, Scanner, ScannerOptions, Severity};

mod progress;

/// Strata: container-image security scanner.
#[derive(Parser, Debug)]
#[command(name = "strata", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Scan an image or a root filesystem.
    Scan(ScanArgs),
    /// Vulnerability database commands.
    #[command(subcommand)]
    Db(DbCommand),
}

#[derive(Subcommand, Debug)]
enum DbCommand {
    /// Build a database file from advisory feeds (OSV JSON/YAML, distro feeds, archives).
    Build {
        /// Directories or files to import (repeatable).
        #[arg(long = "from", required = true)]
        from: Vec<PathBuf>,
        /// Output database file.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Show what a database holds (the embedded one by default).
    Info {
        /// A database file.
        #[arg(long)]
        db: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
struct ScanArgs {
    /// docker-archive:PATH, oci:PATH[:REF], oci-archive:PATH[:REF], dir:PATH, or a path.
    target: String,
    /// Output format.
    #[arg(short, long, default_value = "table")]
    format: String,
    /// Write the report to a file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Scanners to run, comma-separated (os,lang,vuln,secret,malware,config,compliance).
    #[arg(long, value_delimiter = ',')]
    scanners: Option<Vec<String>>,
    /// Scan only this platform of an index (os/arch[/variant]).
    #[arg(long)]
    platform: Option<String>,
    /// No progress output.
    #[arg(short, long)]
    quiet: bool,
    /// Layer cache directory.
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Do not use the layer cache.
    #[arg(long)]
    no_cache: bool,
    /// Cache size cap in MiB (least recently used entries are evicted).
    #[arg(long, default_value_t = 2048)]
    cache_max_mb: u64,
    /// Vulnerability database file (default: the embedded database).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Exit with this code when a finding at or above --fail-on is present.
    #[arg(long, default_value_t = 0)]
    exit_code: u8,
    /// Severity threshold for --exit-code (unknown, low, medium, high, critical).
    #[arg(long, default_value = "unknown")]
    fail_on: String,
    /// Threads for layer analysis (0 = all CPUs).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Secret rules configuration (YAML or TOML).
    #[arg(long)]
    secret_config: Option<PathBuf>,
    /// Max bytes of one file read for detectors.
    #[arg(long)]
    max_file_bytes: Option<u64>,
    /// Max entries per image layer (tar bombs; default 500000).
    #[arg(long)]
    max_entries: Option<u64>,
    /// Max entries of a dir: target, a live root included (default 10000000).
    #[arg(long)]
    max_dir_entries: Option<u64>,
    /// Max uncompressed bytes per layer.
    #[arg(long)]
    max_layer_bytes: Option<u64>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // One line: our operation and its causes.
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("strata: error: {}", chain.join(": "));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Db(cmd) => db(cmd),
    }
}

fn scan(a: ScanArgs) -> Result<u8> {
    let format = Format::parse(&a.format)
        .with_context(|| format!("unknown format {:?} (expected one of {})", a.format, Format::NAMES.join(", ")))?;
    let fail_on: Severity = a.fail_on.parse().map_err(anyhow::Error::msg)?;
    let platform = match &a.platform {
        Some(p) => Some(Platform::parse(p).with_context(|| format!("invalid platform {p:?} (expected os/arch[/variant])"))?),
        None => None,
    };
    let mut limits = Limits::default();
    if let Some(n) = a.max_file_bytes {
        limits.max_file_bytes = n;
    }
    if let Some(n) = a.max_entries {
        limits.max_entries = n;
    }
    if let Some(n) = a.max_dir_entries {
        limits.max_dir_entries = n;
    }
    if let Some(n) = a.max_layer_bytes {
        limits.max_layer_bytes = n;
    }
    let cache = if a.no_cache {
        None
    } else {
        a.cache_dir
            .clone()
            .or_else(CacheConfig::default_dir)
            .map(|dir| CacheConfig { dir, max_bytes: a.cache_max_mb << 20 })
    };
    let opts = ScannerOptions {
        db: match &a.db {
            Some(p) => DbSource::File(p.clone()),
            None => DbSource::Embedded,
        },
        cache,
        limits,
        threads: a.threads,
        secret_config: a.secret_config.clone(),
    };
    let scanner = Scanner::new(&opts)?;
    let bar = (!a.quiet && std::io::stderr().is_terminal()).then(progress::Bar::new);
    let progress: Option<strata::ProgressFn> =
        bar.clone().map(|b| Arc::new(move |p: &Progress| b.update(p)) as strata::ProgressFn);
    let scan_opts = ScanOptions { platform, progress, scanners: a.scanners.clone(), ..Default::default() };
    let output = scanner.scan(&a.target, &scan_opts).with_context(|| format!("cannot scan {}", a.target))?;
    if let Some(b) = &bar {
        b.finish();
    }
    let mut buf = Vec::new();
    report_formats::render(format, &output, &mut buf)?;
    match &a.output {
        Some(p) => std::fs::write(p, &buf).with_context(|| format!("cannot write {}", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
        }
    }
    let failing = output.reports().iter().map(|r| r.count_at_least(fail_on)).sum::<usize>();
    Ok(if a.exit_code != 0 && failing > 0 { a.exit_code } else { 0 })
}

fn db(cmd: DbCommand) -> Result<u8> {
    match cmd {
        DbCommand::Build { from, output } => {
            let report = strata::vulndb::build(&from, &output)
                .with_context(|| format!("cannot build the database {}", output.display()))?;
            eprintln!(
                "wrote {} ({} bytes): {} files read, {} unrecognised, {} failed, {} withdrawn, {} KEV ids",
                output.display(),
                report.bytes,
                report.files,
                report.unrecognised,
                report.error_count,
                report.withdrawn,
                report.known_exploited
            );
            for (source, n) in &report.by_source {
                eprintln!("  {source}: {n} advisories");
            }
            for e in report.errors.iter().take(20) {
                eprintln!("  error: {e}");
            }
            Ok(0)
        }
        DbCommand::Info { db } => {
            let src = match db {
                Some(p) => DbSource::File(p),
                None => DbSource::Embedded,
            };
            let db = strata::open_database(&src)?.context("no database")?;
            println!("{}", serde_json::to_string_pretty(db.info())?);
            Ok(0)
        }
    }
}
