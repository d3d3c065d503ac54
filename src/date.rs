//! Calendar dates (for `--as-of`, `review_by`, `last_reviewed`) and durations (for `sla`).

use std::fmt;

use serde::{Deserialize, Deserializer};

/// A calendar date, stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// Parse `YYYY-MM-DD`; the day must exist in that month.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date(secs.div_euclid(86_400))
    }

    pub fn days_since(self, earlier: Date) -> i64 {
        self.0 - earlier.0
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    fn civil(self) -> (i64, i64, i64) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        // A TOML date-time (with a time part) counts by its date.
        let day = text.get(..10).unwrap_or(&text);
        Date::parse(day)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a calendar date")))
    }
}

/// A duration such as `1w2d`, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub u64);

impl Duration {
    /// Parse one or more `<number><unit>` groups, units `m`, `h`, `d`, `w`.
    pub fn parse(text: &str) -> Option<Duration> {
        let mut total: u64 = 0;
        let mut number: Option<u64> = None;
        for c in text.chars() {
            if let Some(digit) = c.to_digit(10) {
                number = Some(
                    number
                        .unwrap_or(0)
                        .checked_mul(10)?
                        .checked_add(u64::from(digit))?,
                );
                continue;
            }
            let minutes = match c {
                'm' => 1,
                'h' => 60,
                'd' => 60 * 24,
                'w' => 60 * 24 * 7,
                _ => return None,
            };
            total = total.checked_add(number.take()?.checked_mul(minutes)?)?;
        }
        (number.is_none() && !text.is_empty()).then_some(Duration(total))
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(deserializer)?;
        Duration::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a duration")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for text in [
            "1970-01-01",
            "2024-02-29",
            "2026-11-21",
            "1999-12-31",
            "2100-03-01",
        ] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-04-31",
            "26-01-01",
            "2026-1-01",
            "2026-01-0x",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn date_arithmetic() {
        let a = Date::parse("2026-11-21").unwrap();
        let b = Date::parse("2026-10-22").unwrap();
        assert_eq!(a.days_since(b), 30);
        assert_eq!(b.plus_days(30), a);
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("30m"), Some(Duration(30)));
        assert_eq!(Duration::parse("1w2d"), Some(Duration(9 * 24 * 60)));
        assert_eq!(Duration::parse("4h"), Some(Duration(240)));
        assert_eq!(Duration::parse("4"), None);
        assert_eq!(Duration::parse("h"), None);
        assert_eq!(Duration::parse(""), None);
        assert_eq!(Duration::parse("99999999999999999999w"), None);
    }
}
