//! The sink: the one place where a finding gets the level it is reported at, for every command.
//!
//! A finding of rule R about entity E is reported at the level given by, in this order (a later step wins):
//!
//! 1. R's default level (`opmodel rules`), or off for a rule that is off by default;
//! 2. `[rules]` in the manifest that judges: for `check` the checked manifest, for `diff` and `audit` the BASE's,
//!    so that a change cannot lower the level of the rules that judge it;
//! 3. the command line, in this order: `--allow R` (off), `--warn R`, `--deny R`, then `--deny warnings` (every
//!    warning becomes an error);
//! 4. E's `allow` list in the model that judges (the base for `diff` and `audit`): R is dropped for E.
//!
//! The rules that read files and validate the schema (groups `load` and `schema`) are not configurable: steps 2, 4
//! and the per-rule flags of step 3 do not apply to them, since the model cannot be read reliably without them;
//! `--deny warnings` does.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::finding::Rule;
use crate::finding::{Finding, Level, Subject};
use crate::model::Model;
use crate::suggest::did_you_mean;

/// Applies levels and `allow` lists, and remembers which `allow` entries suppressed something.
pub struct Sink<'a> {
    config: &'a Config,
    /// The model whose `allow` lists apply; None when there is none (a side without a manifest).
    model: Option<&'a Model>,
    /// (kind, id, rule) of every `allow` entry that suppressed a finding.
    used: BTreeSet<(&'static str, String, String)>,
}

impl<'a> Sink<'a> {
    pub fn new(config: &'a Config, model: Option<&'a Model>) -> Sink<'a> {
        Sink {
            config,
            model,
            used: BTreeSet::new(),
        }
    }

    /// The levels and parameters it applies (every rule, by name, with its default level).
    pub fn config(&self) -> &'a Config {
        self.config
    }

    /// Whether any finding of `rule` can be reported: a rule that is off need not run.
    pub fn enabled(&self, rule: &Rule) -> bool {
        self.config.level(rule).is_some()
    }

    /// THE function: the level at which a finding of `rule` about `subject` is reported, or None when it is
    /// dropped (the rule is off, or the subject's `allow` names it). Steps 1 to 4 of the module documentation.
    pub fn level(&mut self, rule: &'static Rule, subject: Option<&Subject>) -> Option<Level> {
        let allowable = rule.group.configurable();
        if let (true, Some(subject), Some(model)) = (allowable, subject, self.model) {
            if let Some((meta, _)) = model.meta(subject.kind, &subject.id) {
                if meta.allow.iter().any(|a| a == rule.name) {
                    self.used
                        .insert((subject.kind, subject.id.clone(), rule.name.to_string()));
                    return None;
                }
            }
        }
        self.config.level(rule)
    }

    /// A finding at its reported level, or None when it is dropped.
    pub fn keep(&mut self, mut finding: Finding) -> Option<Finding> {
        finding.level = self.level(finding.rule, finding.subject.as_ref())?;
        Some(finding)
    }

    /// Every finding that is kept, at its reported level, in the order given.
    pub fn accept(&mut self, findings: Vec<Finding>) -> Vec<Finding> {
        findings.into_iter().filter_map(|f| self.keep(f)).collect()
    }

    /// `unused-allow`: every `allow` entry of the model that suppressed nothing (or names no rule). `check` reports
    /// them once all its findings have passed through the sink.
    pub fn unused_allows(&mut self) -> Vec<Finding> {
        let rule = &crate::load::rules::unused_allow::RULE;
        let Some(model) = self.model else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (kind, id, meta, loc) in model.allows() {
            for (i, name) in meta.allow.iter().enumerate() {
                if self.used.contains(&(kind, id.to_string(), name.clone())) {
                    continue;
                }
                // `check` never runs the rules of `opmodel activity`: it cannot tell whether their allow is used.
                if self
                    .config
                    .find(name)
                    .is_some_and(|r| r.group == crate::finding::Group::Activity)
                {
                    continue;
                }
                let span = loc.item("allow", i);
                let finding = match self.config.find(name) {
                    None => Finding::new(rule, format!("{kind} \"{id}\" allows `{name}`, which is not a rule"))
                        .at(loc.file, span, "unknown rule")
                        .help(match did_you_mean(name, self.config.names()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => "`opmodel rules` lists every rule".into(),
                        }),
                    Some(_) => Finding::new(rule, format!("{kind} \"{id}\" allows `{name}`, but that rule reports nothing here"))
                        .at(loc.file, span, "suppresses nothing")
                        .help("remove it from `allow`: an allow that is no longer needed hides the next real problem"),
                };
                out.push(finding);
            }
        }
        // `unused-allow` is itself a rule: its level (or off) comes from the same steps.
        self.accept(out)
    }
}
