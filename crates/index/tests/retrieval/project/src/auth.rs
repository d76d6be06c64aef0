//! Passwords and session tokens.

use std::time::{Duration, SystemTime};

/// Derives a stored hash from a password and a random salt (many rounds, slow on purpose).
pub fn hash_password(password: &str, salt: &[u8]) -> [u8; 32] {
    let mut state = [0u8; 32];
    for (i, b) in salt.iter().chain(password.as_bytes()).enumerate() {
        state[i % 32] ^= *b;
    }
    for round in 0..100_000u32 {
        for i in 0..32 {
            state[i] = state[i].wrapping_mul(31).wrapping_add((round as u8) ^ state[(i + 7) % 32]);
        }
    }
    state
}

pub struct SessionToken {
    pub user_id: u64,
    pub issued_at: SystemTime,
    pub lifetime: Duration,
}

/// A token is valid until its lifetime has passed since it was issued.
pub fn token_expired(token: &SessionToken, now: SystemTime) -> bool {
    match now.duration_since(token.issued_at) {
        Ok(age) => age > token.lifetime,
        Err(_) => false,
    }
}
