//! "Did you mean ...?": the closest known name to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous2: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(previous2[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut previous2, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            did_you_mean("ownr", ["owner", "title", "id"]),
            Some("owner")
        );
        assert_eq!(
            did_you_mean("decsion", ["decision", "person"]),
            Some("decision")
        );
        assert_eq!(did_you_mean("anna", ["ana", "bob"]), Some("ana"));
        assert_eq!(did_you_mean("xyz", ["owner", "title"]), None);
    }

    #[test]
    fn transposition_is_one_edit() {
        assert_eq!(edit_distance("onwer", "owner"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
