//! Customers (seed step 1, table 1 新客户信息登记表): master records and contacts, tags and
//! industries, key-field approval, the append-only history, archive and erasure, duplicates and
//! merging, instant search, and spreadsheet import and export.
//!
//! Files: `model.rs` types; `fields.rs` / `contact_rules.rs` pure validation; `number.rs`
//! numbering; `store.rs` create/read/edit; `changes.rs` applying one field change;
//! `change_request.rs` approvals; `history.rs`; `list.rs`; `tags.rs`; `search_index.rs` and
//! `search.rs`; `dedupe.rs`; `merge.rs`; `archive.rs` (archive, restore, erase); `import/`
//! (CSV/XLSX decode, column mapping, rows, preview/apply); `export.rs` (CSV/XLSX); `views.rs`
//! (saved list views and the column set); `bulk.rs` (bulk actions on a list selection).
//! `review.rs` the quarter-end review (清查).

pub mod archive;
pub mod bulk;
pub mod change_request;
pub mod changes;
pub mod contact_rules;
pub mod dedupe;
pub mod export;
pub mod fields;
pub mod history;
pub mod import;
pub mod list;
pub mod merge;
pub mod model;
pub mod number;
pub mod review;
pub mod scope;
pub mod search;
pub mod search_index;
pub mod store;
pub mod tags;
pub mod views;

#[cfg(test)]
mod search_bench;
#[cfg(test)]
mod tests;

pub use archive::{archive_customer, erase_customer, erase_customer_and_files, restore_customer};
pub use bulk::{BulkAction, BulkInput, BulkSummary, Selection, bulk_apply};
pub use change_request::{
    ChangeRequest, PendingRequest, RequestStatus, decide_change, key_fields, list_pending,
    set_key_fields,
};
pub use dedupe::{
    DuplicateMatch, DuplicateProbe, DuplicateReason, check_duplicates, find_duplicates,
};
pub use history::{HistoryEntry, HistoryKind, history};
pub use list::{CustomerPage, ListQuery, SortKey, list_customers};
pub use merge::{MergePreview, merge_customers, merge_preview};
pub use model::{
    Contact, ContactInput, Customer, CustomerDetail, CustomerInput, CustomerUpdate, NewCustomer,
    Stage, Tag, Tier,
};
pub use search::{ContactHit, CustomerHit, SearchResults, search};
pub use store::{UpdateOutcome, create_customer, get_customer, update_customer};
pub use tags::{list_industries, list_tags, save_industries, save_tag};
pub use views::{SavedView, ViewInput, delete_view, list_views, rename_view, save_view};
