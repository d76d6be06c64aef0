//! Secrets (API keys, tokens): never in the database, settings or logs.
//!
//! [`Secrets`] is the one way in. [`KeyringSecrets`] is the OS keyring (Secret Service on
//! Linux, Keychain on macOS, Credential Manager on Windows); [`MemorySecrets`] is for tests;
//! [`EnvFallback`] wraps either and, only when the user opted in, answers a read the store
//! cannot from an environment variable (`OPENAI_API_KEY`, ...) so a headless Linux box
//! without a keyring service can still use a provider.

use std::collections::HashMap;
use std::sync::Mutex;

use aura_core::{Error, ErrorCode};

/// The keyring "service" every Aura secret is filed under; the name is the account.
pub const KEYRING_SERVICE: &str = "dev.aura.Aura";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// No keyring service answers (headless Linux without gnome-keyring/KWallet, ...).
    #[error(
        "no OS keyring is available ({0}); start a Secret Service (gnome-keyring, KWallet) \
         or opt in to environment variables (ai.use_env_keys = true, e.g. OPENAI_API_KEY)"
    )]
    Unavailable(String),
    #[error("secret name {0:?} is not valid (letters, digits, '.', '-', '_' only)")]
    BadName(String),
    #[error("the keyring refused: {0}")]
    Failed(String),
}

impl From<SecretsError> for Error {
    fn from(e: SecretsError) -> Self {
        let code = match e {
            SecretsError::BadName(_) => ErrorCode::InvalidInput,
            SecretsError::Unavailable(_) | SecretsError::Failed(_) => ErrorCode::PermissionDenied,
        };
        Error::new(code, e.to_string())
    }
}

/// A small key-value store for secrets. Names are plain identifiers (`provider.openai`).
pub trait Secrets: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError>;
    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError>;
    /// Removes a secret; removing one that is not there is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretsError>;
    /// Whether a secret is stored, without handing it out.
    fn is_set(&self, name: &str) -> Result<bool, SecretsError> {
        Ok(self.get(name)?.is_some())
    }
    /// Where secrets go, for the UI ("OS keyring", "memory").
    fn backend(&self) -> &'static str;
}

fn check_name(name: &str) -> Result<(), SecretsError> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(SecretsError::BadName(name.to_owned()))
    }
}

/// The OS keyring.
#[derive(Debug, Default)]
pub struct KeyringSecrets;

impl KeyringSecrets {
    fn entry(name: &str) -> Result<keyring::Entry, SecretsError> {
        check_name(name)?;
        keyring::Entry::new(KEYRING_SERVICE, name).map_err(map_keyring)
    }
}

fn map_keyring(e: keyring::Error) -> SecretsError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            SecretsError::Unavailable(inner.to_string())
        }
        other => SecretsError::Failed(other.to_string()),
    }
}

impl Secrets for KeyringSecrets {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        match Self::entry(name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        Self::entry(name)?.set_password(value).map_err(map_keyring)
    }

    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn backend(&self) -> &'static str {
        "OS keyring"
    }
}

/// Secrets held in memory only (tests; nothing is persisted).
#[derive(Debug, Default)]
pub struct MemorySecrets {
    map: Mutex<HashMap<String, String>>,
}

impl MemorySecrets {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Secrets for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        check_name(name)?;
        Ok(self.map().get(name).cloned())
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        check_name(name)?;
        self.map().insert(name.to_owned(), value.to_owned());
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        check_name(name)?;
        self.map().remove(name);
        Ok(())
    }
    fn backend(&self) -> &'static str {
        "memory"
    }
}

/// Reads an environment variable (or a fake environment in tests).
type Lookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Reads fall back to environment variables when the inner store has no value or cannot
/// be reached; writes always go to the inner store (an env var is never written).
pub struct EnvFallback<S> {
    inner: S,
    /// Secret name -> environment variable, e.g. `provider.openai` -> `OPENAI_API_KEY`.
    vars: HashMap<String, String>,
    lookup: Lookup,
}

impl<S> std::fmt::Debug for EnvFallback<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvFallback")
            .field("vars", &self.vars.values().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<S: Secrets> EnvFallback<S> {
    /// Falls back to the process environment.
    pub fn new(inner: S, vars: HashMap<String, String>) -> Self {
        Self::with_lookup(inner, vars, |var| std::env::var(var).ok())
    }

    /// Falls back to `lookup` (tests pass a fake environment).
    pub fn with_lookup(
        inner: S,
        vars: HashMap<String, String>,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner,
            vars,
            lookup: Box::new(lookup),
        }
    }

    fn env_value(&self, name: &str) -> Option<String> {
        let var = self.vars.get(name)?;
        (self.lookup)(var).filter(|v| !v.trim().is_empty())
    }
}

impl<S: Secrets> Secrets for EnvFallback<S> {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        match self.inner.get(name) {
            Ok(Some(v)) => Ok(Some(v)),
            Ok(None) => Ok(self.env_value(name)),
            Err(e) => self.env_value(name).map(Some).ok_or(e),
        }
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        self.inner.set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        self.inner.delete(name)
    }
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
}

impl<S: Secrets + ?Sized> Secrets for std::sync::Arc<S> {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        (**self).get(name)
    }
    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        (**self).set(name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        (**self).delete(name)
    }
    fn backend(&self) -> &'static str {
        (**self).backend()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_roundtrip_and_delete() {
        let s = MemorySecrets::default();
        assert_eq!(s.get("provider.a").unwrap(), None);
        s.set("provider.a", "k1").unwrap();
        assert!(s.is_set("provider.a").unwrap());
        assert_eq!(s.get("provider.a").unwrap().as_deref(), Some("k1"));
        s.delete("provider.a").unwrap();
        s.delete("provider.a").unwrap();
        assert_eq!(s.get("provider.a").unwrap(), None);
    }

    #[test]
    fn bad_names_are_refused() {
        let s = MemorySecrets::default();
        for bad in ["", "a b", "a/b", "ü"] {
            assert!(
                matches!(s.set(bad, "x"), Err(SecretsError::BadName(_))),
                "{bad}"
            );
        }
    }

    /// A store that always fails like a missing keyring service.
    struct Down;
    impl Secrets for Down {
        fn get(&self, _: &str) -> Result<Option<String>, SecretsError> {
            Err(SecretsError::Unavailable("no bus".into()))
        }
        fn set(&self, _: &str, _: &str) -> Result<(), SecretsError> {
            Err(SecretsError::Unavailable("no bus".into()))
        }
        fn delete(&self, _: &str) -> Result<(), SecretsError> {
            Err(SecretsError::Unavailable("no bus".into()))
        }
        fn backend(&self) -> &'static str {
            "down"
        }
    }

    #[test]
    fn env_fallback_answers_only_for_mapped_names_and_keeps_the_error_otherwise() {
        let vars = HashMap::from([
            ("provider.x".to_owned(), "X_API_KEY".to_owned()),
            ("provider.empty".to_owned(), "EMPTY_KEY".to_owned()),
        ]);
        let env = |var: &str| match var {
            "X_API_KEY" => Some("from-env".to_owned()),
            "EMPTY_KEY" => Some("  ".to_owned()),
            _ => None,
        };
        let s = EnvFallback::with_lookup(Down, vars.clone(), env);
        assert_eq!(s.get("provider.x").unwrap().as_deref(), Some("from-env"));
        let e = s.get("provider.other").unwrap_err();
        assert!(e.to_string().contains("ai.use_env_keys"), "{e}");
        assert!(
            s.get("provider.empty").is_err(),
            "a blank variable is no key"
        );
        assert!(
            s.set("provider.x", "v").is_err(),
            "writes never go to the env"
        );

        // A stored value wins over the environment.
        let mem = MemorySecrets::default();
        mem.set("provider.x", "stored").unwrap();
        let s = EnvFallback::with_lookup(mem, vars, env);
        assert_eq!(s.get("provider.x").unwrap().as_deref(), Some("stored"));
    }
}
