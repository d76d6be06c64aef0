fn main() {
    // The config lives at the repository root (the design keeps it there).
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri.conf.json is valid and the icons it names exist");
}
