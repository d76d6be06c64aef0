//! Small helpers.

/// At most `max` characters of `s`, with an ellipsis when cut (for error messages).
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_owned(),
    }
}

/// Removes every occurrence of `secret` from `text` (an error body may echo a key).
pub fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(k) if k.len() >= 4 => text.replace(k, "[redacted]"),
        _ => text.to_owned(),
    }
}

pub fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Whether a base URL points at this machine (a local server needs no key).
pub fn is_local_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls() {
        assert!(is_local_url("http://127.0.0.1:8080/v1"));
        assert!(is_local_url("http://localhost:11434/v1"));
        assert!(is_local_url("http://[::1]:8080"));
        assert!(!is_local_url("https://api.openai.com/v1"));
        assert!(!is_local_url("http://127.0.0.1.evil.com/v1"));
    }

    #[test]
    fn clip_and_redact() {
        assert_eq!(clip("abcdef", 3), "abc...");
        assert_eq!(clip("ab", 3), "ab");
        assert_eq!(
            redact("bad key sk-123", Some("sk-123")),
            "bad key [redacted]"
        );
    }
}
