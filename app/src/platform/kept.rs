//! Answers kept as written and compressed, in a cache of bounded size: what the
//! calendar feeds and the anonymous pages share. Compressed once when kept (brotli
//! at quality 5, gzip at 6), so a kept answer costs no compression per request.
use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// A body as written and in both compressed forms.
pub struct Kept {
    pub raw: Bytes,
    pub br: Bytes,
    pub gzip: Bytes,
}

impl Kept {
    pub fn of(body: impl Into<Bytes>) -> Self {
        use std::io::Write as _;
        let raw: Bytes = body.into();
        // Quality 5 with a window sized to the body (256 KiB to 4 MiB; below 256
        // KiB the encoder was slower, not faster): a 9 KB event page compresses in
        // 0.3 ms instead of 3.7 (quality 9, a 4 MiB window) and comes out one byte
        // larger (2,717 bytes against 2,718).
        let window = (usize::BITS - raw.len().max(1).leading_zeros()).clamp(18, 22);
        let mut br = brotli::CompressorWriter::new(Vec::new(), 4096, 5, window);
        let _ = br.write_all(&raw);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        let _ = gz.write_all(&raw);
        Kept {
            br: br.into_inner().into(),
            gzip: gz.finish().unwrap_or_default().into(),
            raw,
        }
    }

    pub fn size(&self) -> usize {
        self.raw.len() + self.br.len() + self.gzip.len()
    }

    /// The form the request's `Accept-Encoding` takes best: its
    /// `Content-Encoding` (None for the raw bytes) and the bytes.
    pub fn negotiate(&self, request: &HeaderMap) -> (Option<&'static str>, Bytes) {
        let accepts = |coding: &str| {
            request
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| {
                    a.split(',').any(|c| {
                        let mut parts = c.split(';');
                        parts.next().is_some_and(|n| n.trim() == coding)
                            && !parts.any(|q| q.trim().replace(' ', "") == "q=0")
                    })
                })
        };
        if accepts("br") {
            (Some("br"), self.br.clone())
        } else if accepts("gzip") {
            (Some("gzip"), self.gzip.clone())
        } else {
            (None, self.raw.clone())
        }
    }
}

/// The first 16 bytes of the SHA-256 of `parts` (each followed by a NUL), in hex:
/// what the ETags of kept pages and feeds are made of.
pub fn digest(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether the request's `If-None-Match` names `etag` (or `*`), weak or strong
/// alike (the weak comparison of RFC 9110, right for GET and HEAD).
pub fn etag_matches(request: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == "*" || bare(t) == bare(etag))
        })
}

/// What a [`Bounded`] cache holds says how big it is.
pub trait Weighed {
    fn bytes(&self) -> usize;
}

impl Weighed for Kept {
    fn bytes(&self) -> usize {
        self.size()
    }
}

impl Weighed for String {
    fn bytes(&self) -> usize {
        self.len()
    }
}

/// A map of at most `limit` bytes, keys and values counted: the oldest entries go
/// first when it is full; an entry larger than a quarter of it is never kept.
/// Replacing or removing an entry costs the same however many are kept (the
/// session viewers are tens of thousands): the order of entries is a queue of
/// (generation, key), in which a replaced or removed entry's old place is passed
/// over when it comes up, and which is swept when over half of it is such places.
pub struct Bounded<V> {
    entries: HashMap<String, (u64, Arc<V>)>,
    order: VecDeque<(u64, String)>,
    next: u64,
    bytes: usize,
    limit: usize,
}

impl<V: Weighed> Bounded<V> {
    pub fn new(limit: usize) -> Self {
        Bounded {
            entries: HashMap::new(),
            order: VecDeque::new(),
            next: 0,
            bytes: 0,
            limit,
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        self.entries.get(key).map(|(_, v)| v.clone())
    }

    /// Keeps `value` under `key`, in place of what was there.
    pub fn put(&mut self, key: &str, value: Arc<V>) {
        let size = key.len() + value.bytes();
        self.remove(key);
        if size > self.limit / 4 {
            return;
        }
        let generation = self.next;
        self.next += 1;
        self.bytes += size;
        self.entries.insert(key.to_owned(), (generation, value));
        self.order.push_back((generation, key.to_owned()));
        while self.bytes > self.limit {
            let Some((generation, oldest)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&oldest).is_some_and(|e| e.0 == generation) {
                self.remove(&oldest);
            }
        }
        if self.order.len() > 2 * self.entries.len() + 64 {
            let entries = &self.entries;
            self.order
                .retain(|(g, k)| entries.get(k).is_some_and(|e| e.0 == *g));
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let Some((_, old)) = self.entries.remove(key) {
            self.bytes -= key.len() + old.bytes();
        }
    }

    /// The most it keeps.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// How many bytes are kept.
    pub fn size(&self) -> usize {
        self.bytes
    }
}

/// What `cache` keeps under `key`, or `make`'s value, then kept there (made
/// outside the lock: two callers may make the same value at once, never a wrong one).
pub fn remember<V: Weighed>(
    cache: &std::sync::Mutex<Bounded<V>>,
    key: &str,
    make: impl FnOnce() -> V,
) -> Arc<V> {
    if let Some(kept) = cache.lock().ok().and_then(|c| c.get(key)) {
        return kept;
    }
    let made = Arc::new(make());
    if let Ok(mut c) = cache.lock() {
        c.put(key, made.clone());
    }
    made
}

/// A byte limit from the environment variable `name`, else `default`.
pub fn limit_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_go_first_and_the_size_stays_under_the_limit() {
        let mut c: Bounded<Kept> = Bounded::new(40_000);
        for i in 0..50 {
            let body: String = (0..2000)
                .map(|j| char::from(b'a' + ((i * 7 + j * 13) % 26) as u8))
                .collect();
            c.put(&format!("k{i}"), Arc::new(Kept::of(body)));
            assert!(c.size() <= 40_000, "{}", c.size());
        }
        assert!(c.get("k49").is_some(), "the newest stays");
        assert!(c.get("k0").is_none(), "the oldest went");
        // Replacing an entry counts it once.
        let before = c.size();
        let again = c.get("k49").unwrap();
        c.put("k49", again);
        assert_eq!(c.size(), before);
    }

    #[test]
    fn an_entry_replaced_many_times_keeps_its_place_once_and_the_queue_stays_short() {
        let mut c: Bounded<String> = Bounded::new(10_000);
        for round in 0..1_000 {
            c.put("a", Arc::new(format!("{round}")));
            c.put(&format!("b{}", round % 10), Arc::new("x".repeat(10)));
        }
        assert!(
            c.order.len() <= 2 * c.entries.len() + 64,
            "{}",
            c.order.len()
        );
        assert_eq!(c.get("a").as_deref().map(String::as_str), Some("999"));
        assert_eq!(
            c.size(),
            1 + 3 + 10 * (2 + 10),
            "each kept entry counted once"
        );
        // Full: the entry put longest ago goes first, even one replaced since
        // (its place is its newest put's).
        c.put("a", Arc::new("newest".into()));
        c.put("big", Arc::new("y".repeat(2_480)));
        for i in 0..3 {
            c.put(&format!("big{i}"), Arc::new("y".repeat(2_480)));
        }
        assert!(c.size() <= 10_000, "{}", c.size());
        assert!(c.get("b0").is_none(), "an old one went");
        assert!(c.get("a").is_some(), "the one put again recently stays");
        c.remove("a");
        assert!(c.get("a").is_none());
    }

    #[test]
    fn keys_count_toward_the_limit_and_a_remembered_value_is_made_once() {
        let c = std::sync::Mutex::new(Bounded::<String>::new(4_000));
        let long_key = "k".repeat(900);
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            "v".to_owned()
        };
        assert_eq!(*remember(&c, &long_key, make), "v");
        assert_eq!(*remember(&c, &long_key, make), "v");
        assert_eq!(made.get(), 1, "made once, then kept");
        assert_eq!(c.lock().unwrap().size(), 901);
        // A key over a quarter of the limit is never kept, whatever its value.
        let huge_key = "k".repeat(1_001);
        remember(&c, &huge_key, make);
        remember(&c, &huge_key, make);
        assert_eq!(made.get(), 3);
    }

    #[test]
    fn the_best_encoding_the_client_accepts_is_chosen() {
        let k = Kept::of("hello hello hello hello");
        let mut h = HeaderMap::new();
        assert_eq!(k.negotiate(&h).0, None);
        h.insert(header::ACCEPT_ENCODING, "gzip, br;q=0".parse().unwrap());
        assert_eq!(k.negotiate(&h).0, Some("gzip"));
        h.insert(header::ACCEPT_ENCODING, "br, gzip".parse().unwrap());
        assert_eq!(k.negotiate(&h).0, Some("br"));
    }
}
