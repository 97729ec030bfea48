//! Pagination of long lists: what the UI asks for ([`Page`]) and what it gets back ([`Paged`]).

use serde::{Deserialize, Serialize};

/// Largest page a list returns, whatever is asked.
pub const MAX_PAGE: u32 = 200;

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Rows to skip.
    #[serde(default)]
    pub offset: u32,
    /// Rows to return (1..=[`MAX_PAGE`]; 0 means the default of 50).
    #[serde(default)]
    pub limit: u32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            offset: 0,
            limit: 50,
        }
    }
}

impl Page {
    /// The limit actually applied.
    pub fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => 50,
            n => n.min(MAX_PAGE),
        }
    }
}

/// One page of a list and the size of the whole list, for "1–50 of 312".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paged<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped() {
        assert_eq!(Page::default().effective_limit(), 50);
        assert_eq!(
            Page {
                offset: 0,
                limit: 0
            }
            .effective_limit(),
            50
        );
        assert_eq!(
            Page {
                offset: 0,
                limit: 10_000
            }
            .effective_limit(),
            MAX_PAGE
        );
        assert_eq!(
            Page {
                offset: 0,
                limit: 7
            }
            .effective_limit(),
            7
        );
    }
}
