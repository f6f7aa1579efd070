use std::collections::HashMap;

/// Counts how often each word occurs, ignoring case.
pub fn tally(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        let key = word.to_lowercase();
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

pub fn most_common(counts: &HashMap<String, usize>) -> Option<(&String, &usize)> {
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
}
