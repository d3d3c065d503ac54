//! Reading objects from the repository's pack files with a delta-base cache, as git reads them.
//!
//! gix's pack cache keeps the objects asked for; git's (`core.deltaBaseCacheLimit`) keeps every object on the way
//! down a delta chain too. A history walk asks for the trees of neighbouring commits, which are deltas of one
//! another and of shared bases: without the bases in the cache each request inflates its chain again from the
//! base (the audit inflated twice the zlib streams `git log --raw` does). This reader keeps both, and the
//! undeltified objects a walk reads (each tree is read twice in a row: as a commit's, then as its parent's),
//! least recently used first out, within [`CACHE_BYTES`].
//!
//! It is an accelerator, never an authority: anything it cannot read plainly (an object not in a pack it opened,
//! a base in another pack, a damaged entry or delta, an object over [`MAX_OBJECT_BYTES`]) is `None`, and the
//! caller reads the object through gix, which finds it or reports the error in its own words.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use gix::objs::Kind;
use gix::odb::pack;

/// A reader's cache is a share of the packs' size (the trees a history walk reads again grow with it), within
/// these bounds: 1 MiB keeps a small history from inflating its bases again (esphome's 29 MB of packs, the
/// generated 11 MB); git.git's 318 MB get 10 MiB (3.9 s, where 1 MiB took 7.4 s and 16 MiB 3.4 s, for 10 MB more).
const CACHE_SHARE: u64 = 32;
const MIN_CACHE_BYTES: usize = 1 << 20;
const CACHE_BYTES: usize = 16 << 20;
/// An object or delta larger than this is left to gix (and not cached).
const MAX_OBJECT_BYTES: u64 = 64 << 20;
/// More packs than this (a repository never repacked) are left to gix, whose multi-pack index finds an object
/// in one lookup where this reader would search every pack's index.
const MAX_PACKS: usize = 16;
/// A chain longer than this is damaged (git's default depth is 50, its maximum 4,095).
const MAX_CHAIN: usize = 10_000;

/// The packs of one object directory, opened once and shared by every handle's [`Reader`].
pub(super) struct Packs {
    bundles: Vec<pack::Bundle>,
    /// Each reader's cache size: [`CACHE_SHARE`] of the packs' bytes, within [`CACHE_BYTES`].
    cache_bytes: usize,
}

impl Packs {
    /// The packs in `objects/pack` (largest first); `None` when there are none or too many to be worth it, or
    /// when the repository replaces objects (`refs/replace`: gix applies them, this reader would not). A pack
    /// that cannot be opened is left out: its objects are read through gix.
    pub(super) fn open(store: &gix::odb::Store) -> Option<Arc<Packs>> {
        if store.replacements().next().is_some() {
            return None;
        }
        let mut indexes: Vec<(u64, std::path::PathBuf)> =
            std::fs::read_dir(store.path().join("pack"))
                .ok()?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "idx"))
                .filter_map(|idx| {
                    // Regular files only: opening a FIFO would block.
                    let pack = std::fs::metadata(idx.with_extension("pack")).ok()?;
                    let regular = pack.is_file() && std::fs::metadata(&idx).ok()?.is_file();
                    regular.then_some((pack.len(), idx))
                })
                .collect();
        if indexes.is_empty() || indexes.len() > MAX_PACKS {
            return None;
        }
        indexes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut bytes = 0u64;
        let bundles: Vec<pack::Bundle> = indexes
            .iter()
            .filter_map(|(size, idx)| {
                let bundle = pack::Bundle::at(idx, store.object_hash()).ok()?;
                bytes += size;
                Some(bundle)
            })
            .collect();
        let share = usize::try_from(bytes / CACHE_SHARE).unwrap_or(usize::MAX);
        (!bundles.is_empty()).then(|| {
            Arc::new(Packs {
                bundles,
                cache_bytes: share.clamp(MIN_CACHE_BYTES, CACHE_BYTES),
            })
        })
    }
}

/// One handle's reader: the shared packs, its own cache and buffers.
pub(super) struct Reader {
    packs: Arc<Packs>,
    cache: BaseCache,
    inflate: gix::zlib::Inflate,
    chain: Vec<pack::data::Entry>,
    delta: Vec<u8>,
    /// The pack the last object was found in, searched first.
    last: usize,
}

impl Reader {
    pub(super) fn new(packs: Arc<Packs>) -> Reader {
        Reader {
            cache: BaseCache {
                limit: packs.cache_bytes,
                ..BaseCache::default()
            },
            inflate: Default::default(),
            packs,
            chain: Vec::new(),
            delta: Vec::new(),
            last: 0,
        }
    }

    /// `id`'s kind, its bytes in `out`; `None` when it is not plainly readable from the packs (see the module).
    /// With `keep`, the objects resolved on the way are cached for the next reads (a history walk); without, the
    /// cache is only read (a one-off read keeps no memory).
    pub(super) fn read(&mut self, id: &gix::oid, out: &mut Vec<u8>, keep: bool) -> Option<Kind> {
        let (at, offset) = self.locate(id)?;
        let bundle = &self.packs.bundles[at];
        let mut cursor = bundle.pack.entry(offset).ok()?;
        self.chain.clear();
        // Down the chain to an object this cache holds, or to the chain's base.
        let (kind, mut object) = loop {
            if let Some(hit) = self.cache.get(at, cursor.data_offset) {
                break hit;
            }
            let base_offset = match cursor.header {
                pack::data::entry::Header::OfsDelta { base_distance } => {
                    cursor.checked_base_pack_offset(base_distance)?
                }
                pack::data::entry::Header::RefDelta { base_id } => bundle
                    .index
                    .pack_offset_at_index(bundle.index.lookup(base_id)?),
                header => {
                    let kind = header.as_kind()?;
                    if self.chain.is_empty() && !keep {
                        // Not a delta, nothing to keep: straight into `out`.
                        sized(out, cursor.decompressed_size)?;
                        bundle
                            .pack
                            .decompress_entry(&cursor, &mut self.inflate, out)
                            .ok()?;
                        return Some(kind);
                    }
                    let mut data = Vec::new();
                    sized(&mut data, cursor.decompressed_size)?;
                    bundle
                        .pack
                        .decompress_entry(&cursor, &mut self.inflate, &mut data)
                        .ok()?;
                    let data = Arc::new(data);
                    if keep {
                        self.cache.put(at, cursor.data_offset, kind, data.clone());
                    }
                    break (kind, data);
                }
            };
            if self.chain.len() >= MAX_CHAIN {
                return None;
            }
            let base = bundle.pack.entry(base_offset).ok()?;
            self.chain.push(cursor);
            cursor = base;
        };
        // Back up the chain, each result the next delta's base, and cached for the neighbours that share it.
        while let Some(delta) = self.chain.pop() {
            sized(&mut self.delta, delta.decompressed_size)?;
            bundle
                .pack
                .decompress_entry(&delta, &mut self.inflate, &mut self.delta)
                .ok()?;
            let result = Arc::new(apply(&object, &self.delta)?);
            if keep {
                self.cache.put(at, delta.data_offset, kind, result.clone());
            }
            object = result;
        }
        out.clear();
        out.extend_from_slice(&object);
        Some(kind)
    }

    /// The pack holding `id` and its offset there: the last pack used first, the rest largest first.
    fn locate(&mut self, id: &gix::oid) -> Option<(usize, u64)> {
        let bundles = &self.packs.bundles;
        let order =
            std::iter::once(self.last).chain((0..bundles.len()).filter(|&at| at != self.last));
        for at in order {
            let index = &bundles.get(at)?.index;
            if let Some(position) = index.lookup(id) {
                self.last = at;
                return Some((at, index.pack_offset_at_index(position)));
            }
        }
        None
    }
}

/// `buf` made `size` bytes long (its old bytes left or zeroed: they are written over); `None` over
/// [`MAX_OBJECT_BYTES`].
fn sized(buf: &mut Vec<u8>, size: u64) -> Option<()> {
    let size = usize::try_from(size)
        .ok()
        .filter(|&size| size as u64 <= MAX_OBJECT_BYTES)?;
    buf.resize(size, 0);
    Some(())
}

/// git's delta format applied to `base`: the two sizes, then copy (from the base) and insert (literal)
/// instructions. `None` when the delta is damaged: a size that disagrees, an instruction past its data or the
/// base, more or fewer bytes than the result size it announced.
fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    fn size(delta: &[u8], at: &mut usize) -> Option<u64> {
        let mut size = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *delta.get(*at)?;
            *at += 1;
            size |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(size);
            }
        }
        None
    }
    let mut at = 0;
    if size(delta, &mut at)? != base.len() as u64 {
        return None;
    }
    let result_size = size(delta, &mut at)?;
    if result_size > MAX_OBJECT_BYTES {
        return None;
    }
    let result_size = result_size as usize;
    let mut out = Vec::with_capacity(result_size);
    while let Some(&op) = delta.get(at) {
        at += 1;
        let bytes = if op & 0x80 != 0 {
            // Copy: which offset and size bytes follow is said by the op's low seven bits.
            let mut field = |bits: u8, shifts: std::ops::Range<u32>| -> Option<usize> {
                let mut value = 0usize;
                for (bit, shift) in shifts.enumerate() {
                    if bits & (1 << bit) != 0 {
                        value |= usize::from(*delta.get(at)?) << (shift * 8);
                        at += 1;
                    }
                }
                Some(value)
            };
            let offset = field(op & 0x0f, 0..4)?;
            let size = match field((op >> 4) & 0x07, 0..3)? {
                0 => 0x10000,
                size => size,
            };
            base.get(offset..offset.checked_add(size)?)?
        } else if op != 0 {
            let end = at + usize::from(op);
            let bytes = delta.get(at..end)?;
            at = end;
            bytes
        } else {
            return None;
        };
        if out.len() + bytes.len() > result_size {
            return None;
        }
        out.extend_from_slice(bytes);
    }
    (out.len() == result_size).then_some(out)
}

/// A cached object: its last use, its kind, its bytes.
type Cached = (u64, Kind, Arc<Vec<u8>>);

/// Objects by (pack, entry offset), least recently used evicted first, within [`CACHE_BYTES`]. The use order is a
/// queue of (use, key) where a key's earlier uses stay behind as stale marks, skipped when they come out and
/// cleared when they outnumber the entries: every step is constant time on average.
#[derive(Default)]
struct BaseCache {
    entries: HashMap<(usize, u64), Cached, BuildHasherDefault<OffsetHasher>>,
    by_use: VecDeque<(u64, (usize, u64))>,
    tick: u64,
    bytes: usize,
    limit: usize,
}

impl BaseCache {
    fn get(&mut self, pack: usize, offset: u64) -> Option<(Kind, Arc<Vec<u8>>)> {
        let entry = self.entries.get_mut(&(pack, offset))?;
        self.tick += 1;
        entry.0 = self.tick;
        let found = (entry.1, entry.2.clone());
        self.by_use.push_back((self.tick, (pack, offset)));
        self.compact();
        Some(found)
    }

    fn put(&mut self, pack: usize, offset: u64, kind: Kind, data: Arc<Vec<u8>>) {
        if data.len() > self.limit / 4 || self.entries.contains_key(&(pack, offset)) {
            return;
        }
        self.bytes += data.len();
        while self.bytes > self.limit {
            let Some((tick, oldest)) = self.by_use.pop_front() else {
                break;
            };
            if self
                .entries
                .get(&oldest)
                .is_some_and(|entry| entry.0 == tick)
            {
                if let Some((_, _, evicted)) = self.entries.remove(&oldest) {
                    self.bytes -= evicted.len();
                }
            }
        }
        self.tick += 1;
        self.by_use.push_back((self.tick, (pack, offset)));
        self.entries.insert((pack, offset), (self.tick, kind, data));
        self.compact();
    }

    /// The queue without its stale marks, once they are most of it.
    fn compact(&mut self) {
        if self.by_use.len() > 2 * self.entries.len() + 64 {
            let entries = &self.entries;
            self.by_use
                .retain(|(tick, key)| entries.get(key).is_some_and(|entry| entry.0 == *tick));
        }
    }
}

/// Pack offsets are distinct numbers already: one multiplication spreads them (SipHash was 2% of an audit).
#[derive(Default)]
struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::Scenario;
    use gix::prelude::Find;

    /// A history whose trees and blobs git stores as delta chains: a file and its folder edited by every commit.
    fn deltified() -> Scenario {
        let s = Scenario::new();
        let mut text = String::new();
        for n in 0..30 {
            s.write(&format!("top-level-file-{n:02}.md"), "same\n");
        }
        for n in 0..40 {
            text.push_str(&format!("line {n}: {}\n", "words ".repeat(n % 7 + 3)));
            s.write("ops/model.toml", &text);
            s.write(
                &format!("src/area-{}/file-{n}.txt", n % 3),
                &format!("{n}\n"),
            );
            s.write(
                &format!("top-level-file-{:02}.md", n % 30),
                &format!("{n}\n"),
            );
            s.commit(&format!("commit {n}"));
        }
        s.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
        s
    }

    fn packs_of(s: &Scenario) -> Arc<Packs> {
        Packs::open(s.open().repo.objects.store_ref()).expect("the repository's pack")
    }

    /// Every object of `packs` (its id and whether the pack stores it as a delta).
    fn objects(packs: &Packs) -> Vec<(gix::ObjectId, bool)> {
        let bundle = &packs.bundles[0];
        bundle
            .index
            .iter()
            .map(|entry| {
                let header = bundle.pack.entry(entry.pack_offset).unwrap().header;
                (entry.oid, header.is_delta())
            })
            .collect()
    }

    #[test]
    fn every_packed_object_reads_as_gix_reads_it() {
        let s = deltified();
        let repo = s.open();
        let packs = packs_of(&s);
        let objects = objects(&packs);
        let deltas = objects.iter().filter(|(_, delta)| *delta).count();
        assert!(
            deltas >= 40,
            "the history stores deltas ({deltas} of {})",
            objects.len()
        );
        let mut reader = Reader::new(packs.clone());
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        // Forwards and backwards: each order finds other bases cached; a reader that keeps nothing finds none.
        let mut order: Vec<_> = objects.iter().chain(objects.iter().rev()).collect();
        order.extend(objects.iter());
        for (at, (id, _)) in order.iter().enumerate() {
            let keep = at < 2 * objects.len();
            if !keep && at == 2 * objects.len() {
                reader = Reader::new(packs.clone());
            }
            let kind = reader
                .read(id, &mut ours, keep)
                .expect("read from the pack");
            let data = repo
                .repo
                .objects
                .try_find(id, &mut theirs)
                .unwrap()
                .unwrap();
            assert_eq!((kind, ours.as_slice()), (data.kind, data.data), "{id}");
        }
        assert!(
            reader.cache.entries.is_empty(),
            "reads without `keep` kept nothing"
        );
    }

    #[test]
    fn a_history_walk_finds_the_bases_cached() {
        let s = deltified();
        let packs = packs_of(&s);
        let mut reader = Reader::new(packs.clone());
        let mut out = Vec::new();
        // The trees of the history, newest first, as the audit's walk reads them.
        let trees: Vec<gix::ObjectId> = s
            .git(&["log", "--format=%T"])
            .lines()
            .map(|tree| gix::ObjectId::from_hex(tree.as_bytes()).unwrap())
            .collect();
        for tree in &trees {
            assert_eq!(reader.read(tree, &mut out, true), Some(Kind::Tree));
        }
        assert!(!reader.cache.entries.is_empty());
        // Read again, each is in the cache: nothing is inflated (a broken inflater would fail otherwise).
        let hits = trees
            .iter()
            .filter(|tree| {
                let (at, offset) = reader.locate(tree).unwrap();
                let entry = packs.bundles[at].pack.entry(offset).unwrap();
                reader.cache.get(at, entry.data_offset).is_some()
            })
            .count();
        assert_eq!(
            hits,
            trees.len(),
            "every tree of the walk stayed cached, deltified or not"
        );
        // An undeltified tree read on its own is kept too (the walk reads it again as the parent's).
        let whole = trees
            .iter()
            .find(|tree| {
                let (at, offset) = reader.locate(tree).unwrap();
                !packs.bundles[at]
                    .pack
                    .entry(offset)
                    .unwrap()
                    .header
                    .is_delta()
            })
            .expect("an undeltified tree");
        let mut fresh = Reader::new(packs.clone());
        assert_eq!(fresh.read(whole, &mut out, true), Some(Kind::Tree));
        assert_eq!(fresh.cache.entries.len(), 1);
    }

    #[test]
    fn a_damaged_entry_is_left_to_gix_never_a_panic() {
        let s = deltified();
        let packs = packs_of(&s);
        let (id, _) = *objects(&packs).iter().find(|(_, delta)| *delta).unwrap();
        let offset = packs.bundles[0].pack.entry(
            packs.bundles[0]
                .index
                .pack_offset_at_index(packs.bundles[0].index.lookup(id).unwrap()),
        );
        let data_offset = offset.unwrap().data_offset as usize;
        let path = packs.bundles[0].pack.path().to_owned();
        drop(packs);
        let mut bytes = std::fs::read(&path).unwrap();
        for byte in &mut bytes[data_offset + 2..data_offset + 10] {
            *byte ^= 0x5a;
        }
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&path, permissions).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let mut reader = Reader::new(packs_of(&s));
        assert_eq!(reader.read(&id, &mut Vec::new(), true), None);
        // gix, reading the same entry, says why.
        let repo = s.open();
        assert!(repo.repo.objects.try_find(&id, &mut Vec::new()).is_err());
    }

    #[test]
    fn replaced_objects_and_many_packs_are_left_to_gix() {
        let s = deltified();
        assert!(Packs::open(s.open().repo.objects.store_ref()).is_some());
        let first = s.git(&["rev-list", "--max-parents=0", "HEAD"]);
        s.git(&["replace", &first, "HEAD"]);
        assert!(
            Packs::open(s.open().repo.objects.store_ref()).is_none(),
            "gix applies refs/replace; the reader would not"
        );
        s.git(&["replace", "-d", &first]);
        // A FIFO where an index belongs is not opened (the open would block); the real pack is still read.
        let fifo = s.root.join(".git/objects/pack/pack-fifo.idx");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            std::fs::write(fifo.with_extension("pack"), b"PACK").unwrap();
            let packs = Packs::open(s.open().repo.objects.store_ref()).expect("the real pack");
            assert_eq!(packs.bundles.len(), 1);
            std::fs::remove_file(&fifo).unwrap();
            std::fs::remove_file(fifo.with_extension("pack")).unwrap();
        }
        for n in 0..MAX_PACKS {
            s.write("more.txt", &format!("{n}\n"));
            s.commit("one more pack");
            s.git(&["repack", "-q"]);
        }
        assert!(
            Packs::open(s.open().repo.objects.store_ref()).is_none(),
            "17 packs"
        );
    }

    /// A delta as git writes it: the two sizes, then the instructions.
    fn delta(base: usize, result: usize, ops: &[u8]) -> Vec<u8> {
        fn size(mut n: usize, out: &mut Vec<u8>) {
            loop {
                let byte = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    out.push(byte);
                    return;
                }
                out.push(byte | 0x80);
            }
        }
        let mut out = Vec::new();
        size(base, &mut out);
        size(result, &mut out);
        out.extend_from_slice(ops);
        out
    }

    #[test]
    fn a_delta_copies_from_the_base_and_inserts_its_own_bytes() {
        let base = b"hello, world".repeat(30);
        // Copy 5 bytes at 7 ("world"), insert "!!", copy 256 bytes at 0 (size 1 in its second byte).
        let ops = [0x91, 7, 5, 2, b'!', b'!', 0xa0, 1];
        let out = apply(&base, &delta(base.len(), 263, &ops)).expect("a sound delta");
        let mut want = b"world!!".to_vec();
        want.extend_from_slice(&base[..256]);
        assert_eq!(out, want);
        // A copy with no size byte copies 0x10000 bytes.
        let big = vec![7u8; 0x10000];
        assert_eq!(
            apply(&big, &delta(big.len(), 0x10000, &[0x80])),
            Some(big.clone())
        );
    }

    #[test]
    fn a_damaged_delta_is_none_never_a_panic() {
        let base = b"0123456789".to_vec();
        let cases: [(&str, Vec<u8>); 8] = [
            ("base size disagrees", delta(9, 1, &[1, b'x'])),
            ("copy past the base", delta(10, 4, &[0x91, 8, 4])),
            ("copy offset byte missing", delta(10, 4, &[0x91])),
            ("insert past the delta", delta(10, 4, &[4, b'x'])),
            ("reserved op 0", delta(10, 1, &[0, 1, b'x'])),
            ("more than announced", delta(10, 1, &[2, b'x', b'y'])),
            ("fewer than announced", delta(10, 3, &[1, b'x'])),
            ("size never ends", vec![0x80; 12]),
        ];
        for (what, delta) in cases {
            assert_eq!(apply(&base, &delta), None, "{what}");
        }
        // A copy at the largest offset there is.
        let far = delta(10, 1, &[0x9f, 0xff, 0xff, 0xff, 0xff, 1]);
        assert_eq!(apply(&base, &far), None);
    }

    #[test]
    fn the_cache_evicts_the_least_recently_used_first() {
        let mut cache = BaseCache {
            limit: CACHE_BYTES,
            ..BaseCache::default()
        };
        let block = || Arc::new(vec![0u8; CACHE_BYTES / 4]);
        for offset in 0..4 {
            cache.put(0, offset, Kind::Tree, block());
        }
        assert!(cache.get(0, 0).is_some(), "used again: now the newest");
        cache.put(0, 4, Kind::Tree, block());
        assert!(
            cache.get(0, 1).is_none(),
            "the least recently used went first"
        );
        for offset in [0, 2, 3, 4] {
            assert!(cache.get(0, offset).is_some(), "{offset} kept");
        }
        assert_eq!(cache.bytes, CACHE_BYTES);
        // Too large to cache: not kept, nothing evicted.
        cache.put(1, 0, Kind::Blob, Arc::new(vec![0u8; CACHE_BYTES / 4 + 1]));
        assert!(cache.get(1, 0).is_none());
        assert_eq!(cache.entries.len(), 4);
    }
}
