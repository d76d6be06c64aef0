//! `aura-provider-server [--port N] [--port-file FILE]`: the scriptable local provider as a
//! process, for the end-to-end tests. Prints `listening http://127.0.0.1:PORT` once ready
//! (and writes the port to FILE), then serves until killed. Script it over HTTP:
//! `POST /__script` queues a reply (JSON of `aura_testkit::provider::Reply`),
//! `POST /__default` sets the default one, `GET /__requests` lists what it received.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write as _;

fn main() {
    let mut port: u16 = 0;
    let mut port_file: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--port-file" => port_file = args.next(),
            other => {
                eprintln!("aura-provider-server: unknown argument {other:?}");
                std::process::exit(2);
            }
        }
    }
    let server = match aura_testkit::provider::ProviderServer::start_on(port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("aura-provider-server: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    if let Some(f) = port_file {
        // Written whole then renamed, so a reader never sees half a number.
        let tmp = format!("{f}.tmp");
        if std::fs::write(&tmp, server.addr().port().to_string()).is_err()
            || std::fs::rename(&tmp, &f).is_err()
        {
            eprintln!("aura-provider-server: cannot write {f}");
            std::process::exit(1);
        }
    }
    println!("listening {}", server.url());
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
