//! The sandbox helper mode as a binary of its own: for aura-exec's tests and the benchmarks,
//! which cannot re-run `aura` or `aura-desktop`.

fn main() {
    aura_exec::sandbox::run_helper_if_requested();
    #[allow(clippy::print_stderr, reason = "a tool's usage line")]
    {
        eprintln!("usage: aura-sandbox-helper __aura-sandbox SPEC -- PROGRAM [ARGS...]");
    }
    std::process::exit(2);
}
