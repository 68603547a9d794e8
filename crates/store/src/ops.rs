//! Operations on the ledger that the command line and the web system share:
//! the reply letter of a case, and a sample ledger to try things on.

use chrono::NaiveDate;
use gongkai_casework::letter::{LetterContext, Letters};
use gongkai_casework::model::EventKind;

use crate::{Result, Store, StoreError};

/// What a sample ledger holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFilled {
    pub agencies: Vec<String>,
    pub applications: usize,
    pub first_year: i32,
    pub last_year: i32,
}

/// The names of the agencies of a sample ledger: a county's government
/// office, departments and a township.
pub fn sample_agency_names(n: usize) -> Vec<String> {
    const BASE: [&str; 8] = [
        "示例县人民政府办公室",
        "示例县发展和改革局",
        "示例县自然资源局",
        "示例县住房和城乡建设局",
        "示例县市场监督管理局",
        "示例县生态环境分局",
        "示例县人力资源和社会保障局",
        "示例县城关镇人民政府",
    ];
    (0..n)
        .map(|i| {
            if i < BASE.len() {
                BASE[i].to_string()
            } else {
                format!("示例县第{}机关", i + 1)
            }
        })
        .collect()
}

impl Store {
    /// The reply letter (答复告知书) of a closed case, from the agency's own
    /// templates where it has them. `reason` is the clerk's own wording.
    pub async fn reply_letter(
        &self,
        agency: &str,
        number: &str,
        reason: &str,
        as_of: NaiveDate,
    ) -> Result<String> {
        let a = self.application(agency, number).await?;
        let state = self.case_state(agency, number, as_of).await?;
        let Some((replied_on, outcome)) = state.closed else {
            return Err(StoreError::Invalid(format!(
                "{agency}第{number}号申请尚未答复，不能生成答复告知书"
            )));
        };
        let (review_body, court) = self.agency_remedies(agency).await?;
        let mut letters = Letters::default();
        for (key, body) in self.letter_templates(agency).await? {
            letters
                .with_override(&key, &body)
                .map_err(|e| StoreError::Invalid(format!("本机关的模板“{key}”有误：{e}")))?;
        }
        let ctx = LetterContext {
            agency: agency.to_string(),
            number: number.to_string(),
            applicant_name: a.applicant.name.clone(),
            received_on: a.received_on,
            request: a.request.clone(),
            outcome,
            replied_on,
            reason: reason.to_string(),
            review_body,
            court,
            responsible: a.events.iter().rev().find_map(|e| match &e.kind {
                EventKind::Replied { responsible, .. } => responsible.clone(),
                _ => None,
            }),
        };
        letters
            .render(&ctx)
            .map_err(|e| StoreError::Invalid(e.to_string()))
    }

    /// Fills an empty ledger with `agencies` sample agencies and three years
    /// of their work up to `last_year`: applications (`per_year` a year each),
    /// normative documents, enforcement figures, reconsideration and
    /// litigation cases — as the ledger stood on `as_of` (at the latest the
    /// end of the last year, so open cases are carried forward).
    pub async fn fill_sample(
        &self,
        actor: &str,
        agencies: usize,
        per_year: usize,
        last_year: i32,
        as_of: NaiveDate,
    ) -> Result<SampleFilled> {
        use gongkai_casework::sample;
        let names = sample_agency_names(agencies);
        let first = last_year - 2;
        let from = NaiveDate::from_ymd_opt(first, 1, 1).unwrap_or_default();
        let to = NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or_default();
        let as_of = as_of.min(to);
        let mut total = 0;
        for (i, name) in names.iter().enumerate() {
            let seed = i as u64 + 1;
            let cases = sample::applications(seed, &self.calendar(), from, to, per_year * 3, as_of);
            total += self.insert_sample(actor, name, &cases, as_of).await?;
            for d in sample::documents(seed, first, last_year) {
                self.put_document(actor, name, &d).await?;
            }
            for y in first..=last_year {
                self.put_enforcement(actor, name, y, &sample::enforcement(seed, y))
                    .await?;
            }
            for c in sample::legal_cases(seed, first, last_year, as_of) {
                self.put_case(actor, name, &c).await?;
            }
        }
        Ok(SampleFilled {
            agencies: names,
            applications: total,
            first_year: first,
            last_year,
        })
    }
}
