//! People who use Rapport: accounts, passwords, log-in with throttling, and the [`Actor`] that
//! every guarded operation receives.

mod login;
mod password;
mod users;

pub use login::{MAX_FREE_FAILURES, login};
pub use password::{MIN_PASSWORD_LEN, hash_password, verify_password};
pub use users::{
    NewUser, User, UserUpdate, change_password, create_user, create_user_as, get_user, list_users,
    reset_password, set_locale, update_user,
};

use crate::permission::{self, Action, Role};
use serde::{Deserialize, Serialize};

/// The logged-in person on whose behalf an operation runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user's id.
    pub user_id: i64,
    /// Log-in name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// Their department, if any.
    pub department_id: Option<i64>,
    /// Preferred UI language (`zh-CN`, `en`), empty for "follow the OS".
    pub locale: String,
    /// Set when an admin reset the password: the UI asks for a new one first.
    pub must_change_password: bool,
}

impl Actor {
    /// Refuse unless this actor's role allows `action`.
    pub fn require(&self, action: Action) -> crate::Result<()> {
        permission::require(self.role, action)
    }
}
