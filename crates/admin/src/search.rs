//! `search QUERY`: the app's instant search, for scripting. One match per line, tab-separated:
//! `customer<TAB>number<TAB>name` or `contact<TAB>customer name<TAB>name<TAB>mobile<TAB>email`.

use crate::common::{actor, msg, open_existing};
use std::path::Path;

/// Arguments of `search`.
#[derive(clap::Args)]
pub struct Args {
    /// Name, number, phone fragment, email, tag or pinyin (full or initials).
    query: String,
    /// At most this many customers and this many contacts.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Search as this user (what they may see); default the first admin (everything).
    #[arg(long)]
    user: Option<String>,
}

/// Print the matches; no match is not an error.
pub fn run(dir: &Path, a: Args) -> Result<(), String> {
    let conn = open_existing(dir)?;
    let who = actor(&conn, a.user.as_deref())?;
    let r = rapport_core::customer::search(&conn, &who, &a.query, a.limit).map_err(msg)?;
    for c in &r.customers {
        println!("customer\t{}\t{}", c.number, c.name);
    }
    for k in &r.contacts {
        println!(
            "contact\t{}\t{}\t{}\t{}",
            k.customer_name, k.name, k.mobile, k.email
        );
    }
    Ok(())
}
