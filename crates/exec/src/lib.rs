//! aura-exec: running the user's code.
//!
//! - [`sandbox`]: the OS sandbox every run (and, on request, a terminal) goes through: the
//!   policy, the probe of what this machine enforces, and the helper mode that applies the
//!   layers in a fresh single-threaded process before `exec`ing the program.
//! - [`pty`]: terminal sessions on a real pseudo-terminal, output batched to a sink.
//! - [`run`]: one program run with stdout and stderr apart, exit code, wall time, peak
//!   memory, a wall-clock limit and Stop that kills the whole tree.
//! - [`lang`]: which command runs a file, by language.
//!
//! The crate knows nothing of the app or the UI: callers pass sinks and callbacks.
//!
//! ```no_run
//! // First line of every binary that may spawn sandboxed programs:
//! aura_exec::sandbox::run_helper_if_requested();
//! ```

pub mod lang;
#[cfg(unix)]
mod procs;
pub mod pty;
pub mod run;
pub mod sandbox;
