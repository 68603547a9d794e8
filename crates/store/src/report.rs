//! The figures of the annual report, counted by the database.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gongkai_casework::annual::{build_report, year_bounds, LedgerYear};
use gongkai_casework::model::{ApplicantKind, Enforcement, Outcome};
use gongkai_report::Report;

use crate::registers::{document_from_row, legal_case_from_row};
use crate::{date_str, Result, Store, StoreError};

fn kind_index(key: &str) -> Result<usize> {
    ApplicantKind::ALL
        .iter()
        .position(|k| k.column_key() == key)
        .ok_or_else(|| StoreError::Invalid(format!("数据库中的申请人类型“{key}”无法识别")))
}

impl Store {
    /// The annual report of one agency for one year, computed from the ledger
    /// as it stands on `as_of` (lapsed cases are closed first).
    pub async fn annual_report(
        &self,
        actor: &str,
        agency: &str,
        year: i32,
        as_of: NaiveDate,
    ) -> Result<Report> {
        if !self.agencies().await?.iter().any(|a| a == agency) {
            return Err(StoreError::NotFound(format!("机关“{agency}”")));
        }
        self.sweep(actor, Some(agency), as_of).await?;
        let ly = self.ledger_year(agency, year).await?;
        Ok(build_report(&ly))
    }

    /// The annual reports of every agency for one year.
    pub async fn annual_reports(
        &self,
        actor: &str,
        year: i32,
        as_of: NaiveDate,
    ) -> Result<Vec<Report>> {
        self.sweep(actor, None, as_of).await?;
        Ok(self
            .ledger_years(None, year)
            .await?
            .iter()
            .map(build_report)
            .collect())
    }

    /// The figures of one agency's year.
    pub async fn ledger_year(&self, agency: &str, year: i32) -> Result<LedgerYear> {
        self.ledger_years(Some(agency), year)
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("机关“{agency}”")))
    }

    /// The figures of one year, for one agency or all, counted with one pass
    /// of grouped queries whatever the number of agencies.
    pub async fn ledger_years(&self, agency: Option<&str>, year: i32) -> Result<Vec<LedgerYear>> {
        let (start, end) = year_bounds(year);
        let (s, e) = (date_str(start), date_str(end));
        let mut out: BTreeMap<String, LedgerYear> = BTreeMap::new();
        let names: Vec<String> = match agency {
            Some(a) => self
                .agencies()
                .await?
                .into_iter()
                .filter(|n| n == a)
                .collect(),
            None => self.agencies().await?,
        };
        for n in names {
            out.insert(n.clone(), LedgerYear::new(&n, year));
        }
        // Table 3, by applicant kind: received in the year, open on 1 January,
        // open on 31 December.
        let with_agency = |n: usize| match agency {
            Some(_) => format!(" AND agency = ${n}"),
            None => String::new(),
        };
        let groups: [(&str, String, Vec<String>); 3] = [
            (
                "new",
                format!(
                    "SELECT agency, applicant_kind, COUNT(*) FROM applications \
                     WHERE received_on >= $1 AND received_on <= $2{} GROUP BY agency, applicant_kind",
                    with_agency(3)
                ),
                vec![s.clone(), e.clone()],
            ),
            (
                "over",
                format!(
                    "SELECT agency, applicant_kind, COUNT(*) FROM applications \
                     WHERE received_on < $1 AND (closed_on IS NULL OR closed_on >= $1){} \
                     GROUP BY agency, applicant_kind",
                    with_agency(2)
                ),
                vec![s.clone()],
            ),
            (
                "forward",
                format!(
                    "SELECT agency, applicant_kind, COUNT(*) FROM applications \
                     WHERE received_on <= $1 AND (closed_on IS NULL OR closed_on > $1){} \
                     GROUP BY agency, applicant_kind",
                    with_agency(2)
                ),
                vec![e.clone()],
            ),
        ];
        for (which, sql, dates) in &groups {
            let mut q = sqlx::query_as::<_, (String, String, i64)>(sql);
            for d in dates {
                q = q.bind(d.clone());
            }
            if let Some(a) = agency {
                q = q.bind(a.to_string());
            }
            for (a, kind, n) in q.fetch_all(&self.pool).await? {
                let Some(ly) = out.get_mut(&a) else { continue };
                let k = kind_index(&kind)?;
                let r = &mut ly.requests;
                match *which {
                    "new" => r.new_received[k] += n,
                    "over" => r.carried_over[k] += n,
                    _ => r.carried_forward[k] += n,
                }
            }
        }
        let sql = format!(
            "SELECT agency, outcome, applicant_kind, COUNT(*) FROM applications \
             WHERE closed_on >= $1 AND closed_on <= $2{} GROUP BY agency, outcome, applicant_kind",
            with_agency(3)
        );
        let mut q = sqlx::query_as::<_, (String, Option<String>, String, i64)>(&sql)
            .bind(s.clone())
            .bind(e.clone());
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, outcome, kind, n) in q.fetch_all(&self.pool).await? {
            let Some(ly) = out.get_mut(&a) else { continue };
            let outcome = outcome.as_deref().unwrap_or("");
            let o = Outcome::all().find(|o| o.key() == outcome).ok_or_else(|| {
                StoreError::Invalid(format!("数据库中的办理结果“{outcome}”无法识别"))
            })?;
            ly.requests.outcomes.entry(o).or_default()[kind_index(&kind)?] += n;
        }

        // For the narrative: channels of the year's applications, the steps
        // taken in the year, and the replies that came late.
        let sql = format!(
            "SELECT agency, channel, COUNT(*) FROM applications \
             WHERE received_on >= $1 AND received_on <= $2{} GROUP BY agency, channel",
            with_agency(3)
        );
        let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql)
            .bind(s.clone())
            .bind(e.clone());
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, channel, n) in q.fetch_all(&self.pool).await? {
            if let Some(ly) = out.get_mut(&a) {
                *ly.channels.entry(channel).or_default() += n;
            }
        }
        let sql = format!(
            "SELECT agency, kind, COUNT(*) FROM events WHERE on_date >= $1 AND on_date <= $2 \
             AND kind IN ('correction_requested', 'consultation_started', 'extended', 'fee_noticed'){} \
             GROUP BY agency, kind",
            with_agency(3)
        );
        let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql)
            .bind(s.clone())
            .bind(e.clone());
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, kind, n) in q.fetch_all(&self.pool).await? {
            if let Some(ly) = out.get_mut(&a) {
                *ly.steps.entry(kind).or_default() += n;
            }
        }
        let sql = format!(
            "SELECT agency, COUNT(*) FROM applications WHERE closed_on >= $1 AND closed_on <= $2 \
             AND warnings LIKE $3{} GROUP BY agency",
            with_agency(4)
        );
        let mut q = sqlx::query_as::<_, (String, i64)>(&sql)
            .bind(s.clone())
            .bind(e.clone())
            .bind("%\"reply_late\"%");
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, n) in q.fetch_all(&self.pool).await? {
            if let Some(ly) = out.get_mut(&a) {
                ly.late_replies += n;
            }
        }

        // Table 2: documents, counted by date.
        let one = if agency.is_some() {
            " WHERE agency = $1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT agency, number, kind, title, issued_on, repealed_on FROM documents{one}"
        );
        let mut q =
            sqlx::query_as::<_, (String, String, String, String, String, Option<String>)>(&sql);
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, number, kind, title, issued, repealed) in q.fetch_all(&self.pool).await? {
            let Some(ly) = out.get_mut(&a) else { continue };
            ly.add_document(&document_from_row((number, kind, title, issued, repealed))?);
        }
        let sql = format!(
            "SELECT agency, license, penalty, coercion, fee_amount FROM enforcement WHERE year = $1{}",
            if agency.is_some() { " AND agency = $2" } else { "" }
        );
        let mut q = sqlx::query_as::<_, (String, i64, i64, i64, f64)>(&sql).bind(year as i64);
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, license, penalty, coercion, fee_amount) in q.fetch_all(&self.pool).await? {
            if let Some(ly) = out.get_mut(&a) {
                ly.enforcement = Some(Enforcement {
                    license,
                    penalty,
                    coercion,
                    fee_amount,
                });
            }
        }

        // Table 4.
        let sql = format!(
            "SELECT agency, number, kind, filed_on, decided_on, result FROM legal_cases \
             WHERE filed_on <= $1{}",
            if agency.is_some() {
                " AND agency = $2"
            } else {
                ""
            }
        );
        let mut q = sqlx::query_as::<
            _,
            (
                String,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
            ),
        >(&sql)
        .bind(e.clone());
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, number, kind, filed, decided, result) in q.fetch_all(&self.pool).await? {
            let Some(ly) = out.get_mut(&a) else { continue };
            ly.add_case(&legal_case_from_row((
                number, kind, filed, decided, result,
            ))?);
        }

        // Narratives.
        let sql = format!(
            "SELECT agency, section, body FROM narratives WHERE year = $1{}",
            if agency.is_some() {
                " AND agency = $2"
            } else {
                ""
            }
        );
        let mut q = sqlx::query_as::<_, (String, String, String)>(&sql).bind(year as i64);
        if let Some(a) = agency {
            q = q.bind(a.to_string());
        }
        for (a, section, body) in q.fetch_all(&self.pool).await? {
            if let Some(ly) = out.get_mut(&a) {
                ly.narrative.insert(section, body);
            }
        }
        Ok(out.into_values().collect())
    }
}
