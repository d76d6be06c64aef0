//! The `[ai]` section: providers, models per role with fallback chains, timeouts, rate
//! limits, prices, cache. No key is ever here: keys live in the OS keyring (or, opted in,
//! in environment variables named by `key_env`).

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct AiSettings {
    /// Off: every AI surface says so and nothing is sent anywhere.
    pub enabled: bool,
    /// Read keys from environment variables (`OPENAI_API_KEY`, ...) when the keyring has
    /// none or there is no keyring service.
    pub use_env_keys: bool,
    /// Offer Ollama (127.0.0.1:11434) and llama.cpp's server (127.0.0.1:8080) when they
    /// answer.
    pub detect_local: bool,
    /// Inline completion (ghost text) in the editor.
    pub inline_completion: bool,
    pub inline_debounce_ms: u32,
    /// Cached answers live this long; 0 turns the cache off.
    pub cache_ttl_secs: u32,
    pub connect_timeout_ms: u32,
    /// Until the first byte of the answer.
    pub request_timeout_ms: u32,
    /// Longest silence inside a streamed answer.
    pub stream_idle_timeout_ms: u32,
    /// Retries of one provider before the chain moves on.
    pub max_retries: u32,
    /// Consecutive failures that open a provider's circuit breaker, and for how long.
    pub breaker_failures: u32,
    pub breaker_cooldown_secs: u32,
    /// Answers are cut off here (tokens).
    pub max_output_tokens: u32,
    /// Fallback chains per role: `"provider-id/model"` entries, tried in order. An empty
    /// chain uses every configured (and detected) provider with its default model.
    pub chat: Vec<String>,
    pub edit: Vec<String>,
    pub autocomplete: Vec<String>,
    pub cheap: Vec<String>,
    pub providers: Vec<ProviderSettings>,
    pub prices: Vec<PriceSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// OpenAI's API and everything that speaks it: Groq, OpenRouter, Ollama, llama.cpp's
    /// server, LM Studio, vLLM.
    Openai,
    Anthropic,
    Gemini,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderSettings {
    /// A short name used in chains and for its keyring entry (`provider.<id>`).
    pub id: String,
    pub kind: ProviderKind,
    /// E.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`,
    /// `https://api.anthropic.com/v1`, `https://generativelanguage.googleapis.com/v1beta`.
    pub base_url: String,
    /// The model used when a chain names only this provider.
    pub model: String,
    /// The autocomplete model, when it differs (must support fill-in-the-middle).
    pub fim_model: String,
    /// How the FIM prompt is spelled: `suffix` sends OpenAI's `suffix` field; a template
    /// with `{prefix}` and `{suffix}` (e.g. `<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>`)
    /// sends explicit FIM tokens.
    pub fim_template: String,
    /// Tokens the model accepts; prompts are trimmed to fit.
    pub context_window: u32,
    /// 0 = no limit.
    pub requests_per_minute: u32,
    /// 0 = no limit.
    pub max_concurrent: u32,
    /// The environment variable read for its key when `use_env_keys` is on; empty means
    /// the kind's usual one (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`).
    pub key_env: String,
    pub enabled: bool,
}

/// US dollars per million tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default, deny_unknown_fields)]
pub struct PriceSettings {
    /// A model name, or a prefix ending in `*` (`gpt-4o*`).
    pub model: String,
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl Default for AiSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            use_env_keys: false,
            detect_local: true,
            inline_completion: true,
            inline_debounce_ms: 250,
            cache_ttl_secs: 86_400,
            connect_timeout_ms: 3_000,
            request_timeout_ms: 60_000,
            stream_idle_timeout_ms: 30_000,
            max_retries: 2,
            breaker_failures: 3,
            breaker_cooldown_secs: 30,
            max_output_tokens: 1024,
            chat: Vec::new(),
            edit: Vec::new(),
            autocomplete: Vec::new(),
            cheap: Vec::new(),
            providers: Vec::new(),
            prices: vec![
                price("gpt-4o-mini*", 0.15, 0.60),
                price("gpt-4o*", 2.50, 10.00),
                price("claude-3-5-haiku*", 0.80, 4.00),
                price("claude-sonnet*", 3.00, 15.00),
                price("gemini-2.0-flash*", 0.10, 0.40),
            ],
        }
    }
}

fn price(model: &str, input: f64, output: f64) -> PriceSettings {
    PriceSettings {
        model: model.into(),
        input_per_mtok: input,
        output_per_mtok: output,
    }
}

impl Default for ProviderSettings {
    fn default() -> Self {
        Self {
            id: String::new(),
            kind: ProviderKind::Openai,
            base_url: String::new(),
            model: String::new(),
            fim_model: String::new(),
            fim_template: "suffix".into(),
            context_window: 8192,
            requests_per_minute: 0,
            max_concurrent: 4,
            key_env: String::new(),
            enabled: true,
        }
    }
}

impl Default for PriceSettings {
    fn default() -> Self {
        price("", 0.0, 0.0)
    }
}

impl ProviderKind {
    pub fn default_key_env(self) -> &'static str {
        match self {
            Self::Openai => "OPENAI_API_KEY",
            Self::Anthropic => "ANTHROPIC_API_KEY",
            Self::Gemini => "GEMINI_API_KEY",
        }
    }
}

impl ProviderSettings {
    /// The keyring entry of this provider's key.
    pub fn secret_name(&self) -> String {
        format!("provider.{}", self.id)
    }
    pub fn key_env(&self) -> &str {
        if self.key_env.is_empty() {
            self.kind.default_key_env()
        } else {
            &self.key_env
        }
    }
}

/// A provider id: what chains, keyring names and the UI use.
pub fn valid_provider_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl AiSettings {
    pub fn validate(&self) -> crate::Result<()> {
        let range = |key: &str, v: u32, lo: u32, hi: u32| {
            if v < lo || v > hi {
                Err(Error::invalid(format!(
                    "ai.{key}: must be between {lo} and {hi} (got {v})"
                )))
            } else {
                Ok(())
            }
        };
        range("inline_debounce_ms", self.inline_debounce_ms, 50, 5_000)?;
        range("cache_ttl_secs", self.cache_ttl_secs, 0, 31_536_000)?;
        range("connect_timeout_ms", self.connect_timeout_ms, 100, 120_000)?;
        range("request_timeout_ms", self.request_timeout_ms, 500, 900_000)?;
        range(
            "stream_idle_timeout_ms",
            self.stream_idle_timeout_ms,
            500,
            900_000,
        )?;
        range("max_retries", self.max_retries, 0, 10)?;
        range("breaker_failures", self.breaker_failures, 1, 100)?;
        range(
            "breaker_cooldown_secs",
            self.breaker_cooldown_secs,
            1,
            3_600,
        )?;
        range("max_output_tokens", self.max_output_tokens, 16, 200_000)?;
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            let key = format!("ai.providers[{i}]");
            if !valid_provider_id(&p.id) {
                return Err(Error::invalid(format!(
                    "{key}.id: {:?} must be 1-40 letters, digits, '-' or '_'",
                    p.id
                )));
            }
            if !seen.insert(p.id.as_str()) {
                return Err(Error::invalid(format!(
                    "{key}.id: {:?} is used twice",
                    p.id
                )));
            }
            if !(p.base_url.starts_with("http://") || p.base_url.starts_with("https://")) {
                return Err(Error::invalid(format!(
                    "{key}.base_url: must start with http:// or https:// (got {:?})",
                    p.base_url
                )));
            }
            if p.model.trim().is_empty() {
                return Err(Error::invalid(format!("{key}.model: must not be empty")));
            }
            if p.fim_template != "suffix"
                && !(p.fim_template.contains("{prefix}") && p.fim_template.contains("{suffix}"))
            {
                return Err(Error::invalid(format!(
                    "{key}.fim_template: must be \"suffix\" or contain {{prefix}} and {{suffix}}"
                )));
            }
            range(
                &format!("providers[{i}].context_window"),
                p.context_window,
                256,
                10_000_000,
            )?;
            range(
                &format!("providers[{i}].max_concurrent"),
                p.max_concurrent,
                0,
                1_000,
            )?;
            range(
                &format!("providers[{i}].requests_per_minute"),
                p.requests_per_minute,
                0,
                1_000_000,
            )?;
        }
        for (role, chain) in [
            ("chat", &self.chat),
            ("edit", &self.edit),
            ("autocomplete", &self.autocomplete),
            ("cheap", &self.cheap),
        ] {
            for entry in chain {
                let id = entry.split('/').next().unwrap_or("");
                if !valid_provider_id(id) {
                    return Err(Error::invalid(format!(
                        "ai.{role}: {entry:?} must be \"provider-id/model\" or \"provider-id\""
                    )));
                }
            }
        }
        for (i, p) in self.prices.iter().enumerate() {
            let price_ok = |v: f64| v.is_finite() && v >= 0.0;
            if p.model.trim().is_empty()
                || !price_ok(p.input_per_mtok)
                || !price_ok(p.output_per_mtok)
            {
                return Err(Error::invalid(format!(
                    "ai.prices[{i}]: needs a model and prices >= 0"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::settings::Settings;

    const GOOD: &str = r#"
[ai]
use_env_keys = true
chat = ["local/small", "backup"]

[[ai.providers]]
id = "local"
kind = "openai"
base_url = "http://127.0.0.1:8080/v1"
model = "small"
fim_template = "<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>"

[[ai.providers]]
id = "backup"
kind = "anthropic"
base_url = "https://api.anthropic.com/v1"
model = "claude-3-5-haiku-latest"
requests_per_minute = 50

[[ai.prices]]
model = "small"
input_per_mtok = 0.0
output_per_mtok = 0.0
"#;

    #[test]
    fn providers_chains_and_prices_parse() {
        let s = Settings::from_toml(GOOD).unwrap().settings;
        assert!(s.ai.use_env_keys);
        assert_eq!(s.ai.providers.len(), 2);
        assert_eq!(s.ai.providers[1].requests_per_minute, 50);
        assert_eq!(
            s.ai.providers[0].max_concurrent, 4,
            "defaults fill the rest"
        );
        assert_eq!(s.ai.chat, ["local/small", "backup"]);
        assert_eq!(s.ai.prices.len(), 1, "a price table replaces the defaults");
        let again = Settings::from_toml(&s.to_toml().unwrap()).unwrap().settings;
        assert_eq!(again, s);
    }

    #[test]
    fn bad_ai_values_name_their_key() {
        let cases = [
            ("[ai]\ninline_debounce_ms = 1\n", "ai.inline_debounce_ms"),
            ("[ai]\nchat = [\"bad id/x\"]\n", "ai.chat"),
            (
                "[[ai.providers]]\nid = \"a\"\nbase_url = \"ftp://x\"\nmodel = \"m\"\n",
                "ai.providers[0].base_url",
            ),
            (
                "[[ai.providers]]\nid = \"a\"\nbase_url = \"http://x\"\nmodel = \"m\"\n[[ai.providers]]\nid = \"a\"\nbase_url = \"http://y\"\nmodel = \"m\"\n",
                "used twice",
            ),
            (
                "[[ai.providers]]\nid = \"a\"\nbase_url = \"http://x\"\nmodel = \"m\"\nfim_template = \"<fim>\"\n",
                "fim_template",
            ),
            (
                "[[ai.prices]]\nmodel = \"m\"\ninput_per_mtok = -1.0\n",
                "ai.prices[0]",
            ),
        ];
        for (text, key) in cases {
            let e = Settings::from_toml(text).unwrap_err();
            assert!(e.message.contains(key), "{text}: {}", e.message);
        }
    }

    #[test]
    fn no_key_field_exists() {
        // Keys never belong in settings.toml: a `key` or `api_key` is not a setting.
        let text = "[[ai.providers]]\nid = \"a\"\nbase_url = \"http://x\"\nmodel = \"m\"\napi_key = \"sk-1\"\n";
        assert!(Settings::from_toml(text).is_err());
    }
}
