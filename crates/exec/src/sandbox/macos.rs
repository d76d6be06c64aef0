//! macOS: `sandbox-exec` with a deny-default profile around the helper, which adds the
//! rlimits. Written for macOS and compiled there only: it cannot be tested on the Linux
//! machines this project is built on, so treat it as unverified.

use std::ffi::OsString;

use super::helper::{Report, Spec};
use super::{SandboxError, WrapRequest};

/// Deny everything, then allow reading the system, reading and writing the writable roots
/// (passed as parameters), running programs, and the network only when allowed.
const PROFILE: &str = r#"(version 1)
(deny default)
(allow process-exec process-fork)
(allow signal (target same-sandbox))
(allow sysctl-read)
(allow mach-lookup)
(allow ipc-posix-shm)
(allow file-read-metadata)
(allow file-read* (subpath "/usr") (subpath "/bin") (subpath "/sbin") (subpath "/System")
  (subpath "/Library") (subpath "/private/etc") (subpath "/opt") (subpath "/Applications")
  (subpath "/dev") (subpath "/private/var/db/timezone"))
(allow file-read* file-write* (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/ttys"))
"#;

pub(super) fn wrap(
    argv: Vec<OsString>,
    req: &WrapRequest<'_>,
) -> Result<Vec<OsString>, SandboxError> {
    let mut profile = PROFILE.to_owned();
    let mut params: Vec<OsString> = Vec::new();
    let roots = req
        .policy
        .read_write
        .iter()
        .chain(std::iter::once(&req.temp_dir.to_path_buf()));
    for (i, root) in roots.enumerate() {
        profile.push_str(&format!(
            "(allow file-read* file-write* (subpath (param \"RW{i}\")))\n"
        ));
        params.push("-D".into());
        params.push(format!("RW{i}={}", root.display()).into());
    }
    for (i, root) in req.policy.read_only.iter().enumerate() {
        profile.push_str(&format!("(allow file-read* (subpath (param \"RO{i}\")))\n"));
        params.push("-D".into());
        params.push(format!("RO{i}={}", root.display()).into());
    }
    if req.policy.allow_net {
        profile.push_str("(allow network*)\n");
    }
    let mut out: Vec<OsString> = vec!["/usr/bin/sandbox-exec".into(), "-p".into(), profile.into()];
    out.extend(params);
    out.extend(argv);
    Ok(out)
}

pub(super) fn apply(spec: &Spec) -> Report {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let mut report = Report::default();
    if spec.layers.rlimits {
        let l = &spec.policy.limits;
        let mib = 1024 * 1024;
        let set = |r, v: u64| {
            setrlimit(
                r,
                Rlimit {
                    current: Some(v),
                    maximum: Some(v),
                },
            )
        };
        let res = set(Resource::Core, 0)
            .and_then(|()| set(Resource::Cpu, u64::from(l.cpu_secs.max(1))))
            .and_then(|()| set(Resource::Fsize, u64::from(l.file_mb.max(1)) * mib));
        match res {
            Ok(()) => report.rlimits = true,
            Err(e) => report.errors.push(format!("rlimits: {e}")),
        }
    }
    report
}
