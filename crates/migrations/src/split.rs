//! Splits a migration file into statements. Spin's `pg4` sends each statement
//! as a prepared statement, which Postgres allows to hold only one command.

/// The statements of `sql`, without the separating semicolons, skipping
/// empty ones. Semicolons inside quotes, quoted identifiers, comments and
/// dollar-quoted bodies (`$$ ... $$`, `$fn$ ... $fn$`) do not split.
pub fn split_statements(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' => {
                push_statement(&mut statements, &sql[start..i]);
                start = i + 1;
                i += 1;
            }
            b'\'' => {
                // E'...' strings allow backslash escapes; standard strings do not.
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && (i < 2 || !(bytes[i - 2].is_ascii_alphanumeric() || bytes[i - 2] == b'_'));
                i = skip_quoted(bytes, i, b'\'', escapes);
            }
            b'"' => i = skip_quoted(bytes, i, b'"', false),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'$' => i = skip_dollar_quoted(sql, i),
            _ => i += 1,
        }
    }
    push_statement(&mut statements, &sql[start..]);
    statements
}

fn push_statement<'a>(statements: &mut Vec<&'a str>, text: &'a str) {
    let trimmed = text.trim();
    if !is_only_comments(trimmed) {
        statements.push(trimmed);
    }
}

fn is_only_comments(mut text: &str) -> bool {
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return true;
        }
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if text.starts_with("/*") {
            let end = skip_block_comment(text.as_bytes(), 0);
            text = &text[end.min(text.len())..];
        } else {
            return false;
        }
    }
}

/// Index just past the closing quote (a doubled quote is an escaped one).
fn skip_quoted(bytes: &[u8], open: usize, quote: u8, backslash_escapes: bool) -> usize {
    let mut i = open + 1;
    while i < bytes.len() {
        if backslash_escapes && bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Postgres block comments nest.
fn skip_block_comment(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0;
    let mut i = open;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `$tag$ ... $tag$`; a `$` that opens no tag (as in `$1`) is ordinary text.
fn skip_dollar_quoted(sql: &str, open: usize) -> usize {
    let rest = &sql[open + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let tag = &rest[..tag_len];
    let starts_like_identifier = tag.chars().next().is_none_or(|c| !c.is_ascii_digit());
    if !rest[tag_len..].starts_with('$') || !starts_like_identifier {
        return open + 1;
    }
    let delimiter = format!("${tag}$");
    let body_start = open + delimiter.len();
    sql[body_start..]
        .find(&delimiter)
        .map_or(sql.len(), |end| body_start + end + delimiter.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = r#"
            -- a comment; with a semicolon
            CREATE TABLE "odd;name" (note text DEFAULT 'a;b' /* c; /* nested; */ d */);
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT E'it\'s; fine', 'it''s; fine', $1;
            ;
            -- trailing comment only
        "#;
        let statements = split_statements(sql);
        assert_eq!(statements.len(), 4, "{statements:#?}");
        assert!(statements[0].starts_with("-- a comment; with a semicolon\n"));
        assert!(statements[0].ends_with("d */)"));
        assert!(statements[1].ends_with("LANGUAGE sql"));
        assert_eq!(statements[2], "DO $$ BEGIN PERFORM 1; END $$");
        assert!(statements[3].ends_with("$1"));
    }

    #[test]
    fn nothing_but_comments_is_no_statement() {
        assert!(split_statements("-- x\n/* y */\n ;").is_empty());
    }

    proptest! {
        #[test]
        fn never_panics_and_never_loses_text(sql in "[a-z;'\"$/*\\- \n]{0,64}") {
            for statement in split_statements(&sql) {
                prop_assert!(sql.contains(statement));
                prop_assert!(!statement.is_empty());
            }
        }
    }
}
