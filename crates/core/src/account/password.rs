//! Password hashing with Argon2id (memory-hard, the OWASP recommendation) through the
//! RustCrypto `argon2` crate, in PHC string form so parameters can be raised later without
//! breaking stored hashes.

use crate::{Error, Result};
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (hashing cost is bounded, and no one types more).
const MAX_PASSWORD_LEN: usize = 256;

fn hasher() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's minimum for Argon2id, ~50 ms on a laptop.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Check the password policy, then hash it. The plain text is never stored or logged.
pub fn hash_password(plain: &str) -> Result<String> {
    let n = plain.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(Error::invalid(
            "password.too_short",
            "password",
            format!("a password needs at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if n > MAX_PASSWORD_LEN {
        return Err(Error::invalid(
            "password.too_long",
            "password",
            "the password is too long",
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(plain.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid("password.hash_failed", "password", e.to_string()))
}

/// Does `plain` match the stored PHC hash? A malformed stored hash never matches.
pub fn verify_password(plain: &str, stored: &str) -> bool {
    if plain.len() > MAX_PASSWORD_LEN * 4 {
        return false;
    }
    PasswordHash::new(stored)
        .map(|h| hasher().verify_password(plain.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsE", &a));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn policy_is_enforced() {
        assert_eq!(
            hash_password("short").unwrap_err().code(),
            "password.too_short"
        );
        assert!(hash_password(&"x".repeat(300)).is_err());
        assert!(
            hash_password("密码密码密码密码").is_ok(),
            "CJK passwords count characters"
        );
    }
}
