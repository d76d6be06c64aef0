//! How results and errors are printed.

use aura_core::Error;
use serde::Serialize;

pub fn error(json: bool, e: &Error) {
    if json {
        println!("{}", serde_json::json!({ "error": e }));
    } else {
        eprintln!("aura: {}: {}", e.code, e.message);
    }
}

/// Prints `value` as JSON, or runs `text` to print it for a person.
pub fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T)) {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("aura: Internal: cannot encode output: {e}"),
        }
    } else {
        text(value);
    }
}
