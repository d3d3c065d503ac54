//! The rules of `opmodel activity`, one file each: the declaration (`RULE`) and its check over the window's tally.
//! Each is listed once in `CHECKS` (the order findings come in) and in `crate::catalog::all()`.

pub mod heroics;
pub mod owner_absent;
pub mod owner_shadowed;
pub mod single_contributor;
pub mod stale_area;
pub mod unowned_hotspot;

use crate::finding::{Finding, Rule};
use crate::model::Area;

use super::tally::{AreaTally, Tally};
use super::End;

/// What every check reads: the model at the window's end and what the pass counted.
pub struct Context<'a> {
    pub end: &'a End<'a>,
    pub tally: &'a Tally,
    /// The window as shown (`2026-08-23 to 2026-11-20`).
    pub window: &'a str,
}

impl Context<'_> {
    /// A parameter of `rule` from `[rules]` at the window's end, or its default.
    pub fn param(&self, rule: &Rule, name: &str, default: f64) -> f64 {
        self.end.config.params(rule).get(name).unwrap_or(default)
    }

    /// The areas that have an owner, with their index and tally.
    pub fn owned_areas(&self) -> impl Iterator<Item = (usize, &Area, &AreaTally)> {
        self.end
            .model
            .areas
            .iter()
            .zip(&self.tally.areas)
            .enumerate()
            .filter(|(_, (a, _))| !a.unowned && !a.owner.is_empty())
            .map(|(i, (a, t))| (i, a, t))
    }
}

/// A check: reads the context, adds findings.
pub type Check = fn(&Context<'_>, &mut Vec<Finding>);

/// Every check, in the order their findings are listed.
pub const CHECKS: &[Check] = &[
    owner_absent::check,
    owner_shadowed::check,
    heroics::check,
    unowned_hotspot::check,
    single_contributor::check,
    stale_area::check,
];

/// `8 of 10 (80%)`.
pub fn share(part: usize, whole: usize) -> String {
    format!("{part} of {whole} ({}%)", percent(part, whole))
}

/// A whole percentage, rounded down.
pub fn percent(part: usize, whole: usize) -> usize {
    (part * 100).checked_div(whole).unwrap_or(0)
}

/// `Maya Okafor (maya-okafor), 8 of 10 (80%)`.
pub fn share_words(
    ctx: &Context<'_>,
    who: &crate::activity::Contributor,
    part: usize,
    whole: usize,
) -> String {
    format!("{}, {}", ctx.end.name(who), share(part, whole))
}
