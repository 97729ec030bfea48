//! The content-addressed file store: each distinct content lives once, at
//! `<data_dir>/attachments/ab/cdef…` where `abcdef…` is the SHA-256 of its bytes (lower-case hex).
//! Files are streamed into a temporary file inside `attachments/` (same file system), flushed
//! to disk, then renamed into place, so a crash never leaves a partial file under a final name.
//! No user-supplied text ever reaches a path here.

use crate::{Error, Result};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The folder inside the data folder that holds the blobs.
pub const DIR: &str = "attachments";

/// Prefix of temporary files being written.
const TEMP_PREFIX: &str = ".incoming-";

/// The blob folder of a data folder.
pub fn root(data_dir: &Path) -> PathBuf {
    data_dir.join(DIR)
}

/// Is `hash` a SHA-256 in lower-case hex?
pub fn is_hash(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the blob with this hash lives.
pub fn path_of(data_dir: &Path, hash: &str) -> Result<PathBuf> {
    if !is_hash(hash) {
        return Err(Error::invalid(
            "attachment.hash_invalid",
            "hash",
            "not a content hash",
        ));
    }
    Ok(root(data_dir).join(&hash[..2]).join(&hash[2..]))
}

/// The `attachment.too_large` error.
pub fn too_large(max_bytes: u64) -> Error {
    Error::invalid(
        "attachment.too_large",
        "file",
        format!(
            "the file is larger than the limit of {} MB",
            max_bytes.div_ceil(1024 * 1024)
        ),
    )
}

/// A temporary file that is removed unless it was moved into place.
struct Temp {
    path: PathBuf,
    keep: bool,
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn create_temp(dir: &Path) -> Result<(Temp, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = dir.join(format!("{TEMP_PREFIX}{}-{nanos}-{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => return Ok((Temp { path, keep: false }, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Copy `source` into the store, streaming, refusing more than `max_bytes`. Returns the hash
/// and size. Storing content that is already there leaves the existing file alone (unless its
/// size shows it is damaged, in which case the fresh copy replaces it).
pub fn store(data_dir: &Path, source: &Path, max_bytes: u64) -> Result<(String, u64)> {
    let meta = fs::metadata(source)?;
    if !meta.is_file() {
        return Err(Error::invalid(
            "attachment.not_a_file",
            "file",
            "only regular files can be attached",
        ));
    }
    if meta.len() > max_bytes {
        return Err(too_large(max_bytes));
    }
    let root = root(data_dir);
    fs::create_dir_all(&root)?;
    let (mut temp, mut out) = create_temp(&root)?;
    let mut input = File::open(source)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size: u64 = 0;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        size += n as u64;
        // The file may have grown since we looked at its size.
        if size > max_bytes {
            return Err(too_large(max_bytes));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
    }
    out.sync_all()?;
    drop(out);
    let hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dest = path_of(data_dir, &hash)?;
    let intact = fs::metadata(&dest).is_ok_and(|m| m.is_file() && m.len() == size);
    if !intact {
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(&temp.path, &dest)?;
        temp.keep = true;
    }
    Ok((hash, size))
}

/// Delete a blob's file; a file already gone is fine.
pub fn remove(data_dir: &Path, hash: &str) -> Result<()> {
    match fs::remove_file(path_of(data_dir, hash)?) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Every blob file in the store (by hash) and every leftover temporary file.
pub fn scan(data_dir: &Path) -> Result<(Vec<String>, Vec<PathBuf>)> {
    let root = root(data_dir);
    let mut hashes = Vec::new();
    let mut temps = Vec::new();
    let top = match fs::read_dir(&root) {
        Ok(d) => d,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok((hashes, temps)),
        Err(e) => return Err(e.into()),
    };
    for entry in top {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            temps.push(entry.path());
        } else if entry.file_type()?.is_dir() && name.len() == 2 {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                let hash = format!("{name}{}", inner.file_name().to_string_lossy());
                if is_hash(&hash) {
                    hashes.push(hash);
                }
            }
        }
    }
    Ok((hashes, temps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("a.txt");
        fs::write(&src, b"abc").unwrap();
        let (hash, size) = store(dir.path(), &src, 100).unwrap();
        // SHA-256("abc"), the FIPS 180-2 test vector.
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(size, 3);
        let dest = root(dir.path()).join("ba").join(&hash[2..]);
        assert_eq!(fs::read(&dest).unwrap(), b"abc");
        let copy = dir.path().join("b.bin");
        fs::write(&copy, b"abc").unwrap();
        assert_eq!(store(dir.path(), &copy, 100).unwrap().0, hash);
        let (blobs, temps) = scan(dir.path()).unwrap();
        assert_eq!(blobs, vec![hash.clone()]);
        assert!(temps.is_empty(), "no temporary file is left behind");
        // A damaged (truncated) blob is replaced by a fresh copy.
        fs::write(&dest, b"a").unwrap();
        store(dir.path(), &src, 100).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"abc");
        remove(dir.path(), &hash).unwrap();
        assert!(!dest.exists());
        remove(dir.path(), &hash).unwrap();
    }

    #[test]
    fn too_large_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("big.bin");
        fs::write(&src, vec![7u8; 11]).unwrap();
        assert_eq!(
            store(dir.path(), &src, 10).unwrap_err().code(),
            "attachment.too_large"
        );
        assert!(store(dir.path(), &src, 11).is_ok());
        let (_, temps) = scan(dir.path()).unwrap();
        assert!(temps.is_empty());
        assert_eq!(
            store(dir.path(), dir.path(), 10).unwrap_err().code(),
            "attachment.not_a_file"
        );
        assert!(path_of(dir.path(), "../../etc/passwd").is_err());
        assert!(
            path_of(dir.path(), &"A".repeat(64)).is_err(),
            "upper case is not ours"
        );
    }

    #[test]
    fn streams_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("big.bin");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&src, &data).unwrap();
        let (hash, size) = store(dir.path(), &src, 1 << 20).unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(fs::read(path_of(dir.path(), &hash).unwrap()).unwrap(), data);
        let expect: String = Sha256::digest(&data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, expect);
    }
}
