//! The cache key: a hash of the normalised request and the models it may go to.

use crate::types::{Prompt, Request};

/// Line endings and trailing whitespace do not change an answer; they do not change the key.
fn normalise(s: &str) -> String {
    s.replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// `kind` and `chain` (provider/model pairs in order) are part of the key: the same
/// question to another model is another answer.
pub fn key(kind: &str, chain: &[(String, String)], req: &Request) -> String {
    let prompt = match &req.prompt {
        Prompt::Chat(messages) => serde_json::json!(
            messages
                .iter()
                .map(|m| (m.role.as_str(), normalise(&m.content)))
                .collect::<Vec<_>>()
        ),
        // Whitespace matters to a completion: keep it exact.
        Prompt::Fim { prefix, suffix } => serde_json::json!({"prefix": prefix, "suffix": suffix}),
    };
    let canonical = serde_json::json!({
        "v": 1, "kind": kind, "chain": chain, "prompt": prompt,
        "max_tokens": req.max_tokens, "temperature": req.temperature, "stop": req.stop,
    });
    blake3::hash(canonical.to_string().as_bytes())
        .to_hex()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Message, Role};

    fn req(text: &str) -> Request {
        Request {
            prompt: Prompt::Chat(vec![Message::new(Role::User, text)]),
            max_tokens: 10,
            temperature: None,
            stop: vec![],
        }
    }

    #[test]
    fn normalised_requests_share_a_key_and_others_do_not() {
        let chain = vec![("a".to_owned(), "m".to_owned())];
        assert_eq!(
            key("chat", &chain, &req("hi  \r\nthere\n")),
            key("chat", &chain, &req("hi\nthere"))
        );
        assert_ne!(
            key("chat", &chain, &req("hi")),
            key("chat", &chain, &req("ho"))
        );
        assert_ne!(
            key("chat", &chain, &req("hi")),
            key("edit", &chain, &req("hi"))
        );
        let other = vec![("a".to_owned(), "m2".to_owned())];
        assert_ne!(
            key("chat", &chain, &req("hi")),
            key("chat", &other, &req("hi"))
        );
    }
}
