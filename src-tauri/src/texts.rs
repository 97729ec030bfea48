//! The few words the desktop shell says itself — tray menu, tooltips, notification titles —
//! in the UI's two languages. Everything inside the window comes from `ui/src/locales`.

/// A UI language the shell speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese (the default).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The user's choice (`zh-CN`, `en`), else the OS locale, else Chinese.
    pub fn pick(user_choice: Option<&str>) -> Lang {
        let os = std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LC_MESSAGES"))
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default();
        Self::from_tags(user_choice.unwrap_or(""), &os)
    }

    fn from_tags(user_choice: &str, os: &str) -> Lang {
        match user_choice {
            "en" => Lang::En,
            "zh-CN" => Lang::Zh,
            _ if os.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// A phrase of the shell.
#[derive(Debug, Clone, Copy)]
pub enum Text {
    /// Tray: bring the window back.
    Open,
    /// Tray: pause desktop notifications for an hour.
    Pause,
    /// Tray: quit for real.
    Quit,
}

/// The phrase in `lang`.
pub fn text(lang: Lang, t: Text) -> &'static str {
    match (lang, t) {
        (Lang::Zh, Text::Open) => "打开 Rapport",
        (Lang::En, Text::Open) => "Open Rapport",
        (Lang::Zh, Text::Pause) => "暂停通知 1 小时",
        (Lang::En, Text::Pause) => "Pause notifications for 1 hour",
        (Lang::Zh, Text::Quit) => "退出",
        (Lang::En, Text::Quit) => "Quit",
    }
}

/// "N due today" for the tray menu and tooltip.
pub fn due_today(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("今日待办：{n} 项"),
        Lang::En if n == 1 => "1 item due today".to_string(),
        Lang::En => format!("{n} items due today"),
    }
}

/// A reminder kind as a notification heading.
pub fn kind_title(lang: Lang, kind: &str) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, "task") => "待办提醒",
        (Lang::En, "task") => "Task",
        (Lang::Zh, "callback") => "回访提醒",
        (Lang::En, "callback") => "Call-back",
        (Lang::Zh, k) if k.starts_with("feedback") => "反馈处理提醒",
        (Lang::En, k) if k.starts_with("feedback") => "Feedback",
        (Lang::Zh, "care") => "关怀提醒",
        (Lang::En, "care") => "Care date",
        (Lang::Zh, "change_request") => "变更审批提醒",
        (Lang::En, "change_request") => "Change request",
        (Lang::Zh, "onboarding") => "新客户跟进",
        (Lang::En, "onboarding") => "Onboarding",
        (Lang::Zh, "review") => "季度清查",
        (Lang::En, "review") => "Quarter-end review",
        (Lang::Zh, _) => "Rapport 提醒",
        (Lang::En, _) => "Rapport reminder",
    }
}

/// The catch-up summary after a time away: "5 follow-ups and 2 overdue feedback items…".
pub fn summary(lang: Lang, counts: &[(String, usize)]) -> (String, String) {
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(kind, n)| match lang {
            Lang::Zh => format!("{} {n} 项", kind_title(lang, kind).trim_end_matches("提醒")),
            Lang::En => format!("{n} × {}", kind_title(lang, kind)),
        })
        .collect();
    match lang {
        Lang::Zh => (format!("离开期间有 {total} 条提醒"), parts.join("，")),
        Lang::En => (
            format!("{total} reminders while you were away"),
            parts.join(", "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_choice_then_os_then_chinese() {
        assert_eq!(Lang::from_tags("en", "zh_CN.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tags("", "en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tags("", "C"), Lang::Zh);
        assert_eq!(Lang::from_tags("zh-CN", "en_GB"), Lang::Zh);
    }

    #[test]
    fn summaries_count_per_kind() {
        let counts = vec![
            ("task".to_string(), 5),
            ("feedback_resolution".to_string(), 2),
        ];
        let (title, body) = summary(Lang::En, &counts);
        assert_eq!(title, "7 reminders while you were away");
        assert_eq!(body, "5 × Task, 2 × Feedback");
        let (title, body) = summary(Lang::Zh, &counts);
        assert_eq!(title, "离开期间有 7 条提醒");
        assert_eq!(body, "待办 5 项，反馈处理 2 项");
        assert_eq!(due_today(Lang::En, 1), "1 item due today");
    }
}
