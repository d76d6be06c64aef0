//! `aura-appimage-pack RUNTIME APPDIR OUT`: writes the AppImage OUT (used by scripts/package).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [runtime, appdir, out] = args.as_slice() else {
        let _ = writeln!(
            std::io::stderr(),
            "usage: aura-appimage-pack RUNTIME APPDIR OUT"
        );
        return ExitCode::from(2);
    };
    match aura_appimage::pack::pack(runtime, appdir, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "aura-appimage-pack: {e}");
            ExitCode::FAILURE
        }
    }
}
