//! Local servers on their default ports, offered without configuration: Ollama on 11434
//! and llama.cpp's server on 8080 (both speak the OpenAI API under `/v1`).

use std::time::Duration;

use aura_core::settings::{ProviderKind, ProviderSettings};

pub const OLLAMA_PORT: u16 = 11434;
pub const LLAMACPP_PORT: u16 = 8080;

const PROBE_TIMEOUT: Duration = Duration::from_millis(400);

async fn get_json(http: &reqwest::Client, url: &str) -> Option<serde_json::Value> {
    let resp = tokio::time::timeout(PROBE_TIMEOUT, http.get(url).send())
        .await
        .ok()?
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    tokio::time::timeout(PROBE_TIMEOUT, resp.json())
        .await
        .ok()?
        .ok()
}

fn local(id: &str, port: u16, model: String) -> ProviderSettings {
    ProviderSettings {
        id: id.into(),
        kind: ProviderKind::Openai,
        base_url: format!("http://127.0.0.1:{port}/v1"),
        model,
        ..ProviderSettings::default()
    }
}

/// The local servers that answer now, with the first model each lists.
pub async fn probe(http: &reqwest::Client, ollama: u16, llamacpp: u16) -> Vec<ProviderSettings> {
    let (ollama_url, llamacpp_url) = (
        format!("http://127.0.0.1:{ollama}/api/tags"),
        format!("http://127.0.0.1:{llamacpp}/v1/models"),
    );
    let (o, l) = tokio::join!(get_json(http, &ollama_url), get_json(http, &llamacpp_url));
    let mut out = Vec::new();
    if let Some(v) = o {
        let model = v
            .pointer("/models/0/name")
            .and_then(|m| m.as_str())
            .unwrap_or("llama3.2")
            .to_owned();
        out.push(local("ollama", ollama, model));
    }
    if let Some(v) = l {
        let model = v
            .pointer("/data/0/id")
            .and_then(|m| m.as_str())
            .unwrap_or("default")
            .to_owned();
        out.push(local("llamacpp", llamacpp, model));
    }
    out
}
