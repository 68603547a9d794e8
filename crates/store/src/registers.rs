//! The other ledgers as the console reads them: an agency's normative
//! documents, its enforcement figures of a year, the reconsiderations and
//! lawsuits brought against it, and the narrative of its annual report. Every
//! query takes the reader's [`Scope`]: an agency outside it is "not found".

use std::collections::BTreeMap;

use gongkai_casework::model::{
    CaseKind, CaseResult, DocumentKind, Enforcement, LegalCase, NormativeDocument,
};

use crate::{parse_date, Result, Scope, Store, StoreError};

/// A row of `documents`: number, kind, title, issued, repealed.
pub(crate) type DocumentRow = (String, String, String, String, Option<String>);

pub(crate) fn document_from_row(r: DocumentRow) -> Result<NormativeDocument> {
    let (number, kind, title, issued, repealed) = r;
    Ok(NormativeDocument {
        number,
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| StoreError::Invalid(format!("数据库中的文件类型“{kind}”无法识别")))?,
        title,
        issued_on: parse_date(&issued)?,
        repealed_on: repealed.as_deref().map(parse_date).transpose()?,
    })
}

/// A row of `legal_cases`: number, kind, filed, decided, result.
pub(crate) type LegalCaseRow = (String, String, String, Option<String>, Option<String>);

pub(crate) fn legal_case_from_row(r: LegalCaseRow) -> Result<LegalCase> {
    let (number, kind, filed, decided, result) = r;
    let kind = CaseKind::parse(&kind)
        .ok_or_else(|| StoreError::Invalid(format!("数据库中的案件类型“{kind}”无法识别")))?;
    let decided = match (decided, result) {
        (Some(d), Some(r)) => Some((
            parse_date(&d)?,
            CaseResult::parse(&r)
                .ok_or_else(|| StoreError::Invalid(format!("数据库中的案件结果“{r}”无法识别")))?,
        )),
        _ => None,
    };
    Ok(LegalCase {
        number,
        kind,
        filed_on: parse_date(&filed)?,
        decided,
    })
}

impl Store {
    /// The agency's normative documents, newest first.
    pub async fn documents(&self, scope: &Scope, agency: &str) -> Result<Vec<NormativeDocument>> {
        scope.check(agency, "机关")?;
        let rows: Vec<DocumentRow> = sqlx::query_as(
            "SELECT number, kind, title, issued_on, repealed_on FROM documents \
             WHERE agency = $1 ORDER BY issued_on DESC, number",
        )
        .bind(agency)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(document_from_row).collect()
    }

    /// One normative document of the agency, by its number.
    pub async fn document(
        &self,
        scope: &Scope,
        agency: &str,
        number: &str,
    ) -> Result<NormativeDocument> {
        scope.check(agency, "文件")?;
        let row: Option<DocumentRow> = sqlx::query_as(
            "SELECT number, kind, title, issued_on, repealed_on FROM documents \
             WHERE agency = $1 AND number = $2",
        )
        .bind(agency)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        row.map(document_from_row)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound("文件".into()))
    }

    /// The agency's enforcement figures of a year, if entered.
    pub async fn enforcement(
        &self,
        scope: &Scope,
        agency: &str,
        year: i32,
    ) -> Result<Option<Enforcement>> {
        scope.check(agency, "机关")?;
        let row: Option<(i64, i64, i64, f64)> = sqlx::query_as(
            "SELECT license, penalty, coercion, fee_amount FROM enforcement \
             WHERE agency = $1 AND year = $2",
        )
        .bind(agency)
        .bind(year as i64)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(license, penalty, coercion, fee_amount)| Enforcement {
                license,
                penalty,
                coercion,
                fee_amount,
            }),
        )
    }

    /// The years the agency has enforcement figures for, newest first.
    pub async fn enforcement_years(&self, scope: &Scope, agency: &str) -> Result<Vec<i32>> {
        scope.check(agency, "机关")?;
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM enforcement WHERE agency = $1 ORDER BY year DESC")
                .bind(agency)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| r.0 as i32).collect())
    }

    /// The reconsiderations and lawsuits about the agency, newest first.
    pub async fn legal_cases(&self, scope: &Scope, agency: &str) -> Result<Vec<LegalCase>> {
        scope.check(agency, "机关")?;
        let rows: Vec<LegalCaseRow> = sqlx::query_as(
            "SELECT number, kind, filed_on, decided_on, result FROM legal_cases \
             WHERE agency = $1 ORDER BY filed_on DESC, number",
        )
        .bind(agency)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(legal_case_from_row).collect()
    }

    /// One reconsideration or lawsuit of the agency, by its number.
    pub async fn legal_case(&self, scope: &Scope, agency: &str, number: &str) -> Result<LegalCase> {
        scope.check(agency, "案件")?;
        let row: Option<LegalCaseRow> = sqlx::query_as(
            "SELECT number, kind, filed_on, decided_on, result FROM legal_cases \
             WHERE agency = $1 AND number = $2",
        )
        .bind(agency)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        row.map(legal_case_from_row)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound("案件".into()))
    }

    /// The narrative sections of the agency's report of a year, by section key.
    pub async fn narratives(
        &self,
        scope: &Scope,
        agency: &str,
        year: i32,
    ) -> Result<BTreeMap<String, String>> {
        scope.check(agency, "机关")?;
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT section, body FROM narratives WHERE agency = $1 AND year = $2")
                .bind(agency)
                .bind(year as i64)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }
}
