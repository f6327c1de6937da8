//! The checks every file passes before a reader sees it: text, not binary;
//! UTF-8 (with the line of the first byte that is not); no line so long
//! that it cannot be a task.

use crate::plan::Unreadable;

/// The longest line any format may have (a Todoist description of 10,000
/// characters in a quoted field stays far below it).
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// The 1-based line that `offset` is on.
pub fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The file as text, without a UTF-8 byte order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, Unreadable> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Unreadable::at(
            1,
            "The file is UTF-16 text: save or export it as UTF-8 and upload it again.",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(Unreadable::at(
            line_of(bytes, at),
            "This is a binary file, not a CSV, iCalendar or JSON export.",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        Unreadable::at(
            line_of(bytes, error.valid_up_to()),
            format!(
                "The file is not UTF-8 text (byte {} is not): export it as UTF-8 and upload it again.",
                error.valid_up_to() + 1
            ),
        )
    })?;
    for (number, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            return Err(Unreadable::at(
                number + 1,
                format!(
                    "Line {} is {} bytes long; lines of more than {MAX_LINE_BYTES} bytes are not read.",
                    number + 1,
                    line.len()
                ),
            ));
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_utf16_and_invalid_utf8_name_their_line() {
        assert_eq!(decode(b"a\nb\n\0c").unwrap_err().line, Some(3));
        assert!(
            decode(b"\xFF\xFEa\0")
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        let latin1 = decode(b"TYPE,CONTENT\ntask,Caf\xE9\n").unwrap_err();
        assert_eq!(latin1.line, Some(2));
        assert!(latin1.message.contains("UTF-8"));
    }

    #[test]
    fn a_line_too_long_is_named() {
        let mut file = b"TYPE,CONTENT\n".to_vec();
        file.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        assert_eq!(decode(&file).unwrap_err().line, Some(2));
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBFTYPE").unwrap(), "TYPE");
    }
}
