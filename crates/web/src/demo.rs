//! The demo of `gongkai serve --demo`: a county's sample ledger (several
//! agencies, three years of cases up to last year, and this year's so far),
//! the county government office as the supervisor of the others, and one
//! login for each role.

use chrono::{Datelike, NaiveDate};
use gongkai_store::{Role, Store};

use crate::auth::hash_password;

/// The demo logins: login, password, role, agency.
pub const PASSWORD: &str = "gongkai-demo";

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub login: String,
    pub role: Role,
    pub agency: Option<String>,
}

/// Fills an empty store with the demo; a store with data is left alone (its
/// logins are listed when they are the demo's).
pub async fn fill(store: &Store, today: NaiveDate) -> Result<Vec<DemoLogin>, String> {
    let empty = store.is_empty().await.map_err(|e| e.to_string())?
        && store.user_count().await.map_err(|e| e.to_string())? == 0;
    let names = gongkai_store::sample_agency_names(4);
    if empty {
        store
            .fill_sample("示例数据", names.len(), 120, today.year() - 1, today)
            .await
            .map_err(|e| e.to_string())?;
        // This year's cases so far, so the dashboard has work to show.
        let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        for (i, name) in names.iter().enumerate() {
            let cases = gongkai_casework::sample::applications(
                100 + i as u64,
                &store.calendar(),
                from.min(today),
                today,
                ((today.ordinal() as usize) / 12).clamp(4, 40),
                today,
            );
            store
                .insert_sample("示例数据", name, &cases, today)
                .await
                .map_err(|e| e.to_string())?;
        }
        let (head, rest) = names.split_first().ok_or("没有示例机关")?;
        for n in rest {
            let kind = if n.ends_with("人民政府") {
                "government"
            } else {
                "department"
            };
            store
                .set_agency_place("示例数据", n, Some(head), kind)
                .await
                .map_err(|e| e.to_string())?;
        }
        store
            .set_agency_place("示例数据", head, None, "government")
            .await
            .map_err(|e| e.to_string())?;
        let hash = hash_password(PASSWORD);
        let mut users: Vec<(String, String, Role, Option<String>)> = vec![
            ("admin".into(), "平台管理员".into(), Role::Admin, None),
            (
                "county".into(),
                "县政务公开办".into(),
                Role::Supervisor,
                Some(head.clone()),
            ),
        ];
        for (i, n) in names.iter().enumerate() {
            users.push((
                format!("clerk{}", i + 1),
                format!("经办人{}", i + 1),
                Role::Clerk,
                Some(n.clone()),
            ));
            users.push((
                format!("leader{}", i + 1),
                format!("负责人{}", i + 1),
                Role::Leader,
                Some(n.clone()),
            ));
        }
        for (login, name, role, agency) in users {
            store
                .create_user("示例数据", &login, &name, &hash, role, agency.as_deref())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let mut users = store.users().await.map_err(|e| e.to_string())?;
    // The administrator, the supervisor, then each agency's clerk and leader.
    users.sort_by_key(|u| {
        let digits: String = u.login.chars().filter(char::is_ascii_digit).collect();
        (
            digits.parse::<u32>().unwrap_or(0),
            u.role != Role::Admin,
            u.role != Role::Supervisor,
            u.role != Role::Clerk,
        )
    });
    Ok(users
        .into_iter()
        .filter(|u| {
            u.login == "admin"
                || u.login == "county"
                || u.login.starts_with("clerk")
                || u.login.starts_with("leader")
        })
        .map(|u| DemoLogin {
            login: u.login,
            role: u.role,
            agency: u.agency,
        })
        .collect())
}
