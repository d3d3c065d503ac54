//! Walking history: the commits of a range, oldest first, and what a commit says about itself.

use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::bstr::ByteSlice;

use super::{other, short_id, GitError, ObjectId, Repo};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub short_id: String,
    /// The commit's root tree.
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub author_name: String,
    pub author_email: String,
    pub author_time: i64,
    /// The committer's time: what `git log` orders by.
    pub commit_time: i64,
    pub subject: String,
    /// (token, value) in message order, the token as written.
    pub trailers: Vec<(String, String)>,
}

impl Repo {
    /// Commits reachable from `head` and not from `base`, oldest first: parents before children, ties by commit
    /// time. With `first_parent`, only the first-parent chain of `head` is followed (everything reachable from
    /// `base` is still excluded). If the walk reaches a shallow boundary first, the list would be incomplete:
    /// `HistoryTruncated`.
    pub fn range(
        &self,
        base: ObjectId,
        head: ObjectId,
        first_parent: bool,
    ) -> Result<Vec<ObjectId>, GitError> {
        let context = || {
            format!(
                "listing commits from {} to {}",
                short_id(&base),
                short_id(&head)
            )
        };
        for end in [base, head] {
            if !self.repo.has_object(end) {
                return Err(if self.is_shallow() {
                    GitError::MissingInShallowClone {
                        rev: short_id(&end),
                    }
                } else {
                    GitError::Other {
                        context: context(),
                        message: format!(
                            "commit {} is not in this repository; run `git fetch`",
                            short_id(&end)
                        ),
                    }
                });
            }
        }
        Ok(self
            .range_infos(base, head, first_parent)?
            .into_iter()
            .map(|info| info.id)
            .collect())
    }

    /// `range`, with each commit as read: every commit of the range and of the excluded side near it is read
    /// once (a walk by commit time reads each parent for its time, then again to continue from it, and the
    /// audit read each a third time; without a commit-graph, as in a fresh clone, that was most of its cost).
    ///
    /// git's walk: the base's side is marked uninteresting and the mark spreads to parents; the walk stops when
    /// only uninteresting commits are queued (after a few more, for commits whose clocks are wrong). A commit
    /// reached from `head` first and only later found to be reachable from `base` is dropped at the end, so a
    /// wrong clock can make the walk read more, never list a commit of the base.
    pub fn range_infos(
        &self,
        base: ObjectId,
        head: ObjectId,
        first_parent: bool,
    ) -> Result<Vec<CommitInfo>, GitError> {
        // A second thread reads the commits the walk will meet next (their ids are known from their children),
        // so the walk mostly finds them read; it reads one itself when it gets there first.
        let ahead = Ahead::default();
        let walk = std::thread::scope(|scope| {
            // Each commit is read once: the handles keep no caches (a lookup and a copy per commit for nothing).
            let helper = self.clone();
            let ahead = &ahead;
            if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
                scope.spawn(move || ahead.run(&helper, first_parent));
            } else {
                ahead.stop();
            }
            // Stopped however the walk ends (an error, or a panic unwinding: the other thread must not wait on).
            struct StopWhenDone<'a>(&'a Ahead);
            impl Drop for StopWhenDone<'_> {
                fn drop(&mut self) {
                    self.0.stop();
                }
            }
            let _stop = StopWhenDone(ahead);
            self.walk_range(ahead, base, head, first_parent)
        })?;
        let RangeWalk { seen, listed, .. } = walk;
        let listed: Vec<(CommitInfo, Vec<ObjectId>)> = listed
            .into_iter()
            .filter(|(info, _)| !seen.get(&info.id).is_some_and(|n| n.uninteresting))
            .collect();
        // The walk's state goes before the list is ordered: on a long history it is as large as the list.
        drop(seen);
        Ok(infos_oldest_first(listed))
    }

    /// `range_infos`' walk, reading commits through `ahead`.
    fn walk_range(
        &self,
        ahead: &Ahead,
        base: ObjectId,
        head: ObjectId,
        first_parent: bool,
    ) -> Result<RangeWalk, GitError> {
        let mut walk = RangeWalk {
            first_parent,
            ..RangeWalk::default()
        };
        walk.push(self, ahead, base, true)?;
        walk.push(self, ahead, head, false)?;
        let mut slop = SLOP;
        while let Some((_, id)) = walk.queue.pop() {
            if walk.interesting_queued == 0 {
                if slop == 0 {
                    break;
                }
                slop -= 1;
            }
            let Some(info) = walk.pending.remove(&id) else {
                continue;
            };
            let uninteresting = walk.seen.get(&id).is_some_and(|n| n.uninteresting);
            let parents: Vec<ObjectId> = if !uninteresting && first_parent {
                info.parents.iter().take(1).copied().collect()
            } else {
                info.parents.clone()
            };
            if let Some(node) = walk.seen.get_mut(&id) {
                node.done = true;
                node.parents = parents.clone();
            }
            if uninteresting {
                if !self.is_shallow_boundary(&id) {
                    for parent in parents {
                        walk.push(self, ahead, parent, true)?;
                    }
                }
                continue;
            }
            walk.interesting_queued -= 1;
            if self.is_shallow_boundary(&id) && !info.parents.is_empty() {
                return Err(GitError::HistoryTruncated {
                    commit: short_id(&id),
                });
            }
            for parent in &parents {
                walk.push(self, ahead, *parent, false)?;
            }
            walk.listed.push((info, parents));
        }
        Ok(walk)
    }

    /// Commits reachable from `head` whose commit time is at or after `since` and before `until` (seconds since
    /// the epoch), oldest first as `range` orders them, each as read. The walk goes by commit time and reads each
    /// commit once; it does not go past commits older than `since`; newer ones than `until` are passed through, not
    /// listed. With `first_parent`, only the first-parent chain, up to its first commit older than `since`. A
    /// shallow boundary inside the window: `HistoryTruncated`.
    pub fn window_infos(
        &self,
        head: ObjectId,
        since: i64,
        until: i64,
        first_parent: bool,
    ) -> Result<Vec<CommitInfo>, GitError> {
        let mut seen: HashSet<ObjectId> = HashSet::from([head]);
        let mut queue: BinaryHeap<(i64, ObjectId)> = BinaryHeap::new();
        let mut pending: HashMap<ObjectId, CommitInfo> = HashMap::new();
        let info = self.commit_info(head)?;
        queue.push((info.commit_time, head));
        pending.insert(head, info);
        let mut listed: Vec<(CommitInfo, Vec<ObjectId>)> = Vec::new();
        while let Some((time, id)) = queue.pop() {
            let Some(info) = pending.remove(&id) else {
                continue;
            };
            if time < since {
                if first_parent {
                    break;
                }
                continue;
            }
            if self.is_shallow_boundary(&id) && !info.parents.is_empty() {
                return Err(GitError::HistoryTruncated {
                    commit: short_id(&id),
                });
            }
            let parents: Vec<ObjectId> = if first_parent {
                info.parents.iter().take(1).copied().collect()
            } else {
                info.parents.clone()
            };
            for parent in &parents {
                if seen.insert(*parent) {
                    let parent_info = self.commit_info(*parent)?;
                    queue.push((parent_info.commit_time, *parent));
                    pending.insert(*parent, parent_info);
                }
            }
            if time < until {
                listed.push((info, parents));
            }
        }
        Ok(infos_oldest_first(listed))
    }

    /// The newest commit on `head`'s first-parent chain made before `until` (seconds since the epoch): the end of
    /// a window that closes before `head`; `None` when every commit of the chain is that recent.
    pub fn last_before(&self, head: ObjectId, until: i64) -> Result<Option<ObjectId>, GitError> {
        let context = || format!("listing the commits before {}", short_id(&head));
        let walk = self
            .repo
            .rev_walk([head])
            .first_parent_only()
            .all()
            .map_err(|err| self.walk_error(err, context()))?;
        for info in walk {
            let info = info.map_err(|err| self.walk_error(err, context()))?;
            let time = match info.commit_time {
                Some(time) => time,
                None => self.committer_time(info.id)?,
            };
            if time < until {
                return Ok(Some(info.id));
            }
        }
        Ok(None)
    }

    /// The committer's time of a commit, in seconds since the epoch.
    fn committer_time(&self, commit: ObjectId) -> Result<i64, GitError> {
        let mut scratch = self.scratch.borrow_mut();
        let committer = self
            .commit_iter(commit, &mut scratch.commit)?
            .committer()
            .map_err(|err| other(format!("reading commit {}", short_id(&commit)), err))?;
        Ok(committer.seconds())
    }

    fn walk_error(&self, err: gix::Error, context: String) -> GitError {
        if self.is_shallow() && err.is_not_found() {
            GitError::HistoryTruncated {
                commit: short_id(&self.shallow[0]),
            }
        } else {
            other(context, err)
        }
    }

    /// The raw commit object (headers and message, as hashed), and the repository's hash kind: what a signature
    /// check reads.
    pub fn commit_object(&self, id: ObjectId) -> Result<(Vec<u8>, gix::hash::Kind), GitError> {
        let mut buf = Vec::new();
        self.commit_iter(id, &mut buf)?;
        Ok((buf, self.repo.object_hash()))
    }

    pub fn commit_info(&self, id: ObjectId) -> Result<CommitInfo, GitError> {
        let mut scratch = self.scratch.borrow_mut();
        let context = || format!("reading commit {}", short_id(&id));
        let commit = self.commit_ref(id, &mut scratch.commit)?;
        let author = commit.author().map_err(|err| other(context(), err))?;
        let message = gix::objs::commit::MessageRef::from_bytes(commit.message);
        let trailers = message
            .body()
            .map(|body| {
                body.trailers()
                    .map(|t| {
                        (
                            t.token.to_str_lossy().into_owned(),
                            t.value.to_str_lossy().into_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(CommitInfo {
            id,
            short_id: short_id(&id),
            tree: commit.tree(),
            parents: commit.parents().collect(),
            author_name: author.name.to_str_lossy().into_owned(),
            author_email: author.email.to_str_lossy().into_owned(),
            author_time: author.seconds(),
            commit_time: commit.time().map_or(0, |t| t.seconds),
            subject: message.summary().to_str_lossy().into_owned(),
            trailers,
        })
    }
}

/// Commits read after the walk ran out of interesting ones, in case a wrong clock hid an uninteresting mark (git
/// uses five).
const SLOP: usize = 5;

/// One commit the range walk has met.
#[derive(Default)]
struct Node {
    /// Reachable from the base (so not in the range).
    uninteresting: bool,
    /// Taken from the queue: its parents were pushed.
    done: bool,
    /// The parents it was continued to (for spreading a late uninteresting mark).
    parents: Vec<ObjectId>,
}

/// The state of `range_infos`: every commit met, the queue by commit time, the commits read but not yet taken.
#[derive(Default)]
struct RangeWalk {
    seen: HashMap<ObjectId, Node>,
    queue: BinaryHeap<(i64, ObjectId)>,
    pending: HashMap<ObjectId, CommitInfo>,
    interesting_queued: usize,
    listed: Vec<(CommitInfo, Vec<ObjectId>)>,
    first_parent: bool,
}

/// Commits read at most this far ahead of the range walk (read but not yet met).
const READ_AHEAD: usize = 4096;

/// Commits read ahead of the range walk by a second thread: the parents of every commit read, newest first.
/// The walk takes a commit read ahead, or reads it itself.
#[derive(Default)]
struct Ahead {
    state: std::sync::Mutex<AheadState>,
    wake: std::sync::Condvar,
}

#[derive(Default)]
struct AheadState {
    /// Commits to read, by their child's commit time.
    queue: BinaryHeap<(i64, ObjectId)>,
    /// Commits read or being read, by either thread: true once the walk has met it.
    claimed: HashMap<ObjectId, bool>,
    /// Read by the second thread, not yet met by the walk.
    ready: HashMap<ObjectId, CommitInfo>,
    /// The walk is over (or the second thread stopped): nothing more is read ahead.
    stop: bool,
}

impl Ahead {
    fn lock(&self) -> std::sync::MutexGuard<'_, AheadState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn wait<'a>(
        &self,
        state: std::sync::MutexGuard<'a, AheadState>,
    ) -> std::sync::MutexGuard<'a, AheadState> {
        self.wake
            .wait(state)
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The walk's read of `id`: read ahead, or now (also when the other thread is reading it: the walk does not
    /// wait for it, and that read is dropped).
    fn read(&self, repo: &Repo, id: ObjectId, first_parent: bool) -> Result<CommitInfo, GitError> {
        let mut state = self.lock();
        state.claimed.insert(id, true);
        if let Some(info) = state.ready.remove(&id) {
            let was_full = state.ready.len() + 1 >= READ_AHEAD;
            drop(state);
            if was_full {
                self.wake.notify_all();
            }
            return Ok(info);
        }
        drop(state);
        let info = repo.commit_info(id)?;
        let mut state = self.lock();
        state.queue_parents(&info, first_parent);
        drop(state);
        self.wake.notify_all();
        Ok(info)
    }

    /// The second thread: reads queued commits until `stop`.
    fn run(&self, repo: &Repo, first_parent: bool) {
        let mut state = self.lock();
        loop {
            if state.stop {
                return;
            }
            let next = if state.ready.len() < READ_AHEAD {
                state.queue.pop()
            } else {
                None
            };
            let Some((_, id)) = next else {
                state = self.wait(state);
                continue;
            };
            if state.claimed.contains_key(&id) {
                continue;
            }
            state.claimed.insert(id, false);
            drop(state);
            let info = repo.commit_info(id);
            state = self.lock();
            // Met by the walk meanwhile (it read it itself), or not readable (the walk reads it for its error).
            if let (Ok(info), Some(false)) = (info, state.claimed.get(&id)) {
                state.queue_parents(&info, first_parent);
                state.ready.insert(id, info);
            }
        }
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.wake.notify_all();
    }
}

impl AheadState {
    /// Queue the parents of `info` not claimed yet (only the first with `first_parent`: the walk follows the
    /// others only on the base's side, which it mostly does not read far).
    fn queue_parents(&mut self, info: &CommitInfo, first_parent: bool) {
        if self.stop {
            return;
        }
        let followed = if first_parent { 1 } else { info.parents.len() };
        for parent in info.parents.iter().take(followed) {
            if !self.claimed.contains_key(parent) {
                self.queue.push((info.commit_time, *parent));
            }
        }
    }
}

impl RangeWalk {
    /// Meet `id`: read it once and queue it, or, met before, spread an uninteresting mark.
    fn push(
        &mut self,
        repo: &Repo,
        ahead: &Ahead,
        id: ObjectId,
        uninteresting: bool,
    ) -> Result<(), GitError> {
        if self.seen.contains_key(&id) {
            if uninteresting {
                self.mark_uninteresting(id);
            }
            return Ok(());
        }
        let info = match ahead.read(repo, id, self.first_parent) {
            Ok(info) => info,
            // The base's side may run into a shallow clone's missing history: it just ends there.
            Err(_) if uninteresting && repo.is_shallow() => return Ok(()),
            Err(err) => return Err(err),
        };
        self.seen.insert(
            id,
            Node {
                uninteresting,
                ..Node::default()
            },
        );
        self.queue.push((info.commit_time, id));
        self.pending.insert(id, info);
        if !uninteresting {
            self.interesting_queued += 1;
        }
        Ok(())
    }

    /// Mark `id` and, through the commits already taken, its ancestors uninteresting.
    fn mark_uninteresting(&mut self, id: ObjectId) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(node) = self.seen.get_mut(&id) else {
                continue;
            };
            if node.uninteresting {
                continue;
            }
            node.uninteresting = true;
            if node.done {
                stack.extend(node.parents.iter().copied());
            } else {
                self.interesting_queued -= 1;
            }
        }
    }
}

/// The listed commits (each with the parents the walk followed) in `oldest_first_positions` order.
fn infos_oldest_first(mut listed: Vec<(CommitInfo, Vec<ObjectId>)>) -> Vec<CommitInfo> {
    let order = oldest_first_positions(&listed);
    // Moved into that order in place (each cycle of the permutation walked once): a copy of the list would be
    // the listing's peak memory on a long history.
    let mut home = vec![0usize; order.len()];
    for (at, &from) in order.iter().enumerate() {
        home[from] = at;
    }
    for i in 0..listed.len() {
        while home[i] != i {
            let to = home[i];
            listed.swap(i, to);
            home.swap(i, to);
        }
    }
    listed.into_iter().map(|(info, _)| info).collect()
}

/// Topological order, parents before children; among commits ready at the same time, the older first: as
/// positions in `commits`.
fn oldest_first_positions(commits: &[(CommitInfo, Vec<ObjectId>)]) -> Vec<usize> {
    let position: HashMap<ObjectId, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.0.id, i))
        .collect();
    let mut waiting_on = vec![0usize; commits.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); commits.len()];
    for (i, (_, parents)) in commits.iter().enumerate() {
        for parent in parents {
            if let Some(&p) = position.get(parent) {
                waiting_on[i] += 1;
                children[p].push(i);
            }
        }
    }
    let key = |i: usize| std::cmp::Reverse((commits[i].0.commit_time, commits[i].0.id));
    let mut ready: BinaryHeap<(std::cmp::Reverse<(i64, ObjectId)>, usize)> = (0..commits.len())
        .filter(|&i| waiting_on[i] == 0)
        .map(|i| (key(i), i))
        .collect();
    let mut order = Vec::with_capacity(commits.len());
    while let Some((_, i)) = ready.pop() {
        order.push(i);
        for &child in &children[i] {
            waiting_on[child] -= 1;
            if waiting_on[child] == 0 {
                ready.push((key(child), child));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::Scenario;

    #[test]
    fn a_range_whose_base_is_beyond_the_shallow_boundary_is_truncated() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.git(&["branch", "old"]);
        for n in 2..5 {
            s.write("a.toml", &format!("a = {n}\n"));
            s.commit("next");
        }
        let d = s.id("HEAD");
        let shallow = s.sibling("shallow");
        let url = format!("file://{}", s.root.display());
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "2",
            "--no-single-branch",
            &url,
            shallow.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&shallow).unwrap();
        assert_eq!(repo.resolve_commit("origin/old").unwrap(), a);
        let boundary = s.id("HEAD~1");
        for first_parent in [false, true] {
            let err = repo.range(a, d, first_parent).unwrap_err();
            assert!(
                matches!(&err, GitError::HistoryTruncated { commit } if *commit == short_id(&boundary)),
                "{err:?}"
            );
        }
        assert_eq!(repo.range(boundary, d, false).unwrap(), vec![d]);
        let err = repo.merge_base(a, d).unwrap_err();
        assert!(matches!(err, GitError::HistoryTruncated { .. }), "{err:?}");
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), boundary);
        let err = repo.resolve_commit("main~2").unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if rev == "main~2"),
            "{err:?}"
        );
    }

    /// A and B on main, C on a branch from A, D on main, M merging C an hour later: `(scenario, [a, b, c, d, m])`.
    fn merged_history() -> (Scenario, [ObjectId; 5]) {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.write("b.toml", "b = 1\n");
        let b = s.commit("B");
        s.git(&["checkout", "-q", "-b", "feature", "HEAD~1"]);
        s.write("c.toml", "c = 1\n");
        let c = s.commit("C");
        s.git(&["checkout", "-q", "main"]);
        s.write("d.toml", "d = 1\n");
        let d = s.commit("D");
        s.clock.set(s.clock.get() + 3600);
        s.git(&["merge", "-q", "--no-ff", "-m", "M", "feature"]);
        let m = s.id("HEAD");
        (s, [a, b, c, d, m])
    }

    #[test]
    fn range_lists_oldest_first_through_a_merge() {
        let (s, [a, b, c, d, m]) = merged_history();
        let repo = s.open();

        assert_eq!(repo.range(a, m, false).unwrap(), vec![b, c, d, m]);
        assert_eq!(repo.range(a, m, true).unwrap(), vec![b, d, m]);
        assert_eq!(repo.range(b, m, false).unwrap(), vec![c, d, m]);
        assert_eq!(repo.range(c, m, true).unwrap(), vec![b, d, m]);
        assert!(repo.range(m, m, false).unwrap().is_empty());
        assert!(repo.range(m, a, false).unwrap().is_empty());
        assert_eq!(repo.commit_info(m).unwrap().parents, vec![d, c]);
    }

    #[test]
    fn a_base_ancestor_dated_in_the_future_is_never_listed() {
        // X is an ancestor of both ends, dated a day ahead: the walk by commit time meets it from the head first,
        // before the base's side marks it; it must still not be listed (nor its ancestors).
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let w = s.commit("W");
        s.clock.set(s.clock.get() + 24 * 3600);
        s.write("a.toml", "a = 2\n");
        let x = s.commit("X, from the future");
        s.clock.set(s.clock.get() - 48 * 3600);
        s.git(&["branch", "side"]);
        s.write("a.toml", "a = 3\n");
        let y = s.commit("Y, the base");
        s.git(&["checkout", "-q", "side"]);
        s.write("b.toml", "b = 1\n");
        let z = s.commit("Z, the head");
        let repo = s.open();
        assert_eq!(repo.range(y, z, false).unwrap(), vec![z]);
        assert_eq!(repo.range(y, z, true).unwrap(), vec![z]);
        assert_eq!(repo.range(w, z, false).unwrap(), vec![x, z]);
        // What git itself lists.
        let listed = s.git(&["rev-list", &format!("{y}..{z}")]);
        assert_eq!(listed.trim(), z.to_string());
    }

    #[test]
    fn a_window_lists_its_commits_once_oldest_first_through_a_merge() {
        // The merged history, then E after the window.
        let (s, [a, b, c, d, m]) = merged_history();
        s.write("e.toml", "e = 1\n");
        let e = s.commit("E");
        let repo = s.open();
        let time = |id| repo.commit_info(id).unwrap().commit_time;
        let ids = |infos: Vec<CommitInfo>| infos.into_iter().map(|i| i.id).collect::<Vec<_>>();
        // From B's time up to (not including) E's: B, C, D, M; first parents: B, D, M.
        let (since, until) = (time(b), time(e));
        assert_eq!(
            ids(repo.window_infos(e, since, until, false).unwrap()),
            vec![b, c, d, m]
        );
        assert_eq!(
            ids(repo.window_infos(e, since, until, true).unwrap()),
            vec![b, d, m]
        );
        // Everything: A too, and E when the window ends after it.
        assert_eq!(
            ids(repo.window_infos(e, time(a), time(e) + 1, false).unwrap()),
            vec![a, b, c, d, m, e]
        );
        assert!(repo
            .window_infos(e, time(e) + 1, time(e) + 2, false)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn range_orders_parents_before_children_despite_clock_skew() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.write("a.toml", "a = 2\n");
        let b = s.commit("B");
        s.clock.set(s.clock.get() - 10 * 3600);
        s.write("a.toml", "a = 3\n");
        let c = s.commit("C, dated before its parent");
        let repo = s.open();
        assert_eq!(repo.range(a, c, false).unwrap(), vec![b, c]);
    }

    #[test]
    fn commit_info_reads_author_subject_and_trailers() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("Add the core team\nwrapped subject\n\nBecause we need one.\n\nApproved-by: Ana <ana@x.example>\nRefs: #12\n");
        let info = s.open().commit_info(first).unwrap();
        assert_eq!(info.id, first);
        assert_eq!(info.short_id, first.to_string()[..7]);
        assert!(info.parents.is_empty());
        assert_eq!(info.author_name, "Ana");
        assert_eq!(info.author_email, "ana@x.example");
        assert_eq!(info.author_time, 1_700_003_600);
        assert_eq!(info.subject, "Add the core team wrapped subject");
        assert_eq!(
            info.trailers,
            vec![
                ("Approved-by".to_owned(), "Ana <ana@x.example>".to_owned()),
                ("Refs".to_owned(), "#12".to_owned())
            ]
        );
        let second = s.commit("No body");
        let info = s.open().commit_info(second).unwrap();
        assert_eq!(info.trailers, vec![]);
        assert_eq!(info.parents, vec![first]);
    }
}
