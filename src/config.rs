//! Rule levels and parameters: the defaults, then `[rules]` in the manifest, then the command line.
//! Applying them to findings (levels, `off`, `allow`) happens in `crate::sink`, and nowhere else.

use std::collections::HashMap;

use crate::finding::Rule;
use crate::finding::{Finding, Level};
use crate::manifest::Manifest;
use crate::suggest::did_you_mean;

/// Command-line level overrides, applied after the manifest, in this order: allow, warn, deny.
#[derive(Debug, Clone)]
pub struct Overrides {
    /// Every rule there is (`crate::catalog::all()`), which the overrides and `[rules]` name. The command layer
    /// hands it in, so that no module that declares a rule depends on the catalog.
    pub rules: &'static [Rule],
    /// `--deny RULE`; `warnings` makes every warning an error.
    pub deny: Vec<String>,
    pub warn: Vec<String>,
    /// `--allow RULE`: turn the rule off.
    pub allow: Vec<String>,
}

/// The effective level (None = off) and parameters of every rule.
#[derive(Debug, Clone)]
pub struct Config {
    /// Every rule (`crate::catalog::all()`, handed in by the command layer).
    rules: &'static [Rule],
    levels: HashMap<&'static str, Option<Level>>,
    params: HashMap<&'static str, Params>,
    deny_warnings: bool,
}

/// An override names a rule that does not exist: a usage error (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    pub flag: &'static str,
    pub name: String,
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: there is no rule named `{}`",
            self.flag, self.name, self.name
        )?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl Overrides {
    /// No override: every rule at the level `[rules]` or its default gives.
    pub fn none(rules: &'static [Rule]) -> Overrides {
        Overrides {
            rules,
            deny: Vec::new(),
            warn: Vec::new(),
            allow: Vec::new(),
        }
    }
}

impl Config {
    /// Build the configuration. Problems in `[rules]` are findings; unknown names on the command line are errors.
    pub fn new(
        manifest: Option<&Manifest>,
        overrides: &Overrides,
    ) -> Result<(Config, Vec<Finding>), UnknownRule> {
        let rules = overrides.rules;
        let mut config = Config {
            rules,
            levels: HashMap::new(),
            params: HashMap::new(),
            deny_warnings: false,
        };
        for rule in rules {
            config
                .levels
                .insert(rule.name, (!rule.default_off).then_some(rule.level));
            let defaults = rule
                .params
                .iter()
                .filter_map(|p| {
                    p.default
                        .parse::<f64>()
                        .ok()
                        .map(|v| (p.name.to_string(), v))
                })
                .collect();
            config.params.insert(rule.name, Params(defaults));
        }
        let mut findings = Vec::new();
        if let Some(manifest) = manifest {
            for setting in &manifest.rules {
                let file = manifest.file;
                let Some(rule) = find(rules, &setting.name) else {
                    let mut finding = Finding::new(
                        &crate::load::rules::invalid_config::RULE,
                        format!("there is no rule named `{}`", setting.name),
                    )
                    .at(file, setting.name_span.clone(), "unknown rule");
                    finding = finding.help(match did_you_mean(&setting.name, rule_names(rules)) {
                        Some(best) => {
                            format!("did you mean `{best}`? `opmodel rules` lists every rule")
                        }
                        None => "`opmodel rules` lists every rule".into(),
                    });
                    findings.push(finding);
                    continue;
                };
                if !rule.group.configurable() {
                    findings.push(
                        Finding::new(&crate::load::rules::invalid_config::RULE, format!("the rule `{}` cannot be configured", rule.name))
                            .at(file, setting.name_span.clone(), "always on")
                            .help("syntax, file and schema checks always run at their own level: the model cannot be read reliably without them"),
                    );
                    continue;
                }
                if let Some((level, _)) = &setting.level {
                    config.levels.insert(rule.name, parse_level(level));
                }
                for (name, name_span, value, value_span) in &setting.params {
                    let Some(param) = rule.params.iter().find(|p| p.name == name) else {
                        let known: Vec<&str> = rule.params.iter().map(|p| p.name).collect();
                        let mut finding = Finding::new(
                            &crate::load::rules::invalid_config::RULE,
                            format!("the rule `{}` has no parameter `{name}`", rule.name),
                        )
                        .at(file, name_span.clone(), "unknown parameter");
                        finding = finding.help(
                            match (did_you_mean(name, known.iter().copied()), known.is_empty()) {
                                (Some(best), _) => format!("did you mean `{best}`?"),
                                (None, true) => format!("`{}` takes only `level`", rule.name),
                                (None, false) => {
                                    format!("its parameters are: {}", known.join(", "))
                                }
                            },
                        );
                        findings.push(finding);
                        continue;
                    };
                    match value {
                        Some(v) if *v >= 0.0 => {
                            let params = config.params.entry(rule.name).or_default();
                            params.0.retain(|(n, _)| n != name);
                            params.0.push((param.name.to_string(), *v));
                        }
                        _ => findings.push(
                            Finding::new(
                                &crate::load::rules::invalid_config::RULE,
                                format!(
                                    "`{name}` of `{}` must be a number of zero or more",
                                    rule.name
                                ),
                            )
                            .at(file, value_span.clone(), "expected a number")
                            .help(format!(
                                "{}: the default is {}",
                                param.description, param.default
                            )),
                        ),
                    }
                }
            }
        }
        for (flag, names, level) in [
            ("--allow", &overrides.allow, None),
            ("--warn", &overrides.warn, Some(Level::Warn)),
            ("--deny", &overrides.deny, Some(Level::Error)),
        ] {
            for name in names {
                if flag == "--deny" && name == "warnings" {
                    config.deny_warnings = true;
                    continue;
                }
                let Some(rule) = find(rules, name) else {
                    return Err(UnknownRule {
                        flag,
                        name: name.clone(),
                        suggestion: did_you_mean(name, rule_names(rules)),
                    });
                };
                if rule.group.configurable() {
                    config.levels.insert(rule.name, level);
                }
            }
        }
        Ok((config, findings))
    }

    /// The level of a rule after `[rules]` and the command line (steps 1 to 3 of `crate::sink`), or None when it
    /// is off. Findings get their level from `Sink::level`, which also applies `allow`.
    pub(crate) fn level(&self, rule: &Rule) -> Option<Level> {
        let level = self
            .levels
            .get(rule.name)
            .copied()
            .unwrap_or(Some(rule.level))?;
        Some(if self.deny_warnings && level == Level::Warn {
            Level::Error
        } else {
            level
        })
    }

    /// A rule by name.
    pub fn find(&self, name: &str) -> Option<&'static Rule> {
        find(self.rules, name)
    }

    /// Every rule's name, for did-you-mean.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        rule_names(self.rules)
    }

    pub fn params(&self, rule: &Rule) -> Params {
        self.params.get(rule.name).cloned().unwrap_or_default()
    }
}

fn find(rules: &'static [Rule], name: &str) -> Option<&'static Rule> {
    rules.iter().find(|r| r.name == name)
}

fn rule_names(rules: &'static [Rule]) -> impl Iterator<Item = &'static str> {
    rules.iter().map(|r| r.name)
}

fn parse_level(text: &str) -> Option<Level> {
    if text == "off" {
        None
    } else {
        Level::parse(text)
    }
}

/// A rule's parameters, as configured: name -> number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Vec<(String, f64)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }
}
