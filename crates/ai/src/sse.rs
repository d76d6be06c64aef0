//! Server-sent events, parsed incrementally from the bytes as they arrive.
//!
//! Events end at a blank line; `data:` lines join with `\n`; `:` lines are comments. Bytes
//! are buffered until an event is complete, so a UTF-8 character or a line split across
//! two network reads is reassembled before it is decoded.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
}

/// Events bigger than this are a broken stream, not an answer.
const MAX_EVENT: usize = 8 * 1024 * 1024;

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; returns the events completed by them.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, String> {
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some((end, sep)) = find_blank_line(&self.buf) {
            let raw: Vec<u8> = self.buf.drain(..end + sep).collect();
            let text = String::from_utf8_lossy(&raw[..end]);
            if let Some(ev) = parse_event(&text) {
                out.push(ev);
            }
        }
        if self.buf.len() > MAX_EVENT {
            return Err(format!("an event exceeded {MAX_EVENT} bytes"));
        }
        Ok(out)
    }

    /// What is left at the end of the body: a final event without its blank line.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let rest = std::mem::take(&mut self.buf);
        parse_event(String::from_utf8_lossy(&rest).trim_end())
    }
}

/// Position of the first blank line and its length (`\n\n`, `\r\n\r\n`, `\r\r`).
fn find_blank_line(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i + 1 < buf.len() {
        if buf[i] == b'\n' && buf[i + 1] == b'\n' {
            return Some((i, 2));
        }
        if buf[i] == b'\r' && buf[i + 1] == b'\n' {
            if buf.get(i + 2) == Some(&b'\r') && buf.get(i + 3) == Some(&b'\n') {
                return Some((i, 4));
            }
        } else if buf[i] == b'\r' && buf[i + 1] == b'\r' {
            return Some((i, 2));
        }
        i += 1;
    }
    None
}

fn parse_event(text: &str) -> Option<SseEvent> {
    let mut ev = SseEvent::default();
    let mut has_data = false;
    for line in text
        .split(['\n'])
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
    {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => ev.event = Some(value.to_owned()),
            "data" => {
                if has_data {
                    ev.data.push('\n');
                }
                ev.data.push_str(value);
                has_data = true;
            }
            _ => {}
        }
    }
    (has_data || ev.event.is_some()).then_some(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_are_reassembled() {
        let stream = "event: a\ndata: {\"x\":\"h\u{e9}llo\"}\n\n: comment\n\ndata: line1\ndata: line2\r\n\r\ndata: [DONE]\n\n";
        let bytes = stream.as_bytes();
        for cut in 1..bytes.len() {
            let mut p = SseParser::new();
            let mut evs = p.feed(&bytes[..cut]).unwrap();
            evs.extend(p.feed(&bytes[cut..]).unwrap());
            assert_eq!(evs.len(), 3, "cut at {cut}: {evs:?}");
            assert_eq!(evs[0].event.as_deref(), Some("a"));
            assert_eq!(evs[0].data, "{\"x\":\"h\u{e9}llo\"}");
            assert_eq!(evs[1].data, "line1\nline2");
            assert_eq!(evs[2].data, "[DONE]");
        }
    }

    #[test]
    fn a_last_event_without_blank_line_is_kept_for_finish() {
        let mut p = SseParser::new();
        assert!(p.feed(b"data: tail").unwrap().is_empty());
        assert_eq!(p.finish().unwrap().data, "tail");
        assert!(p.finish().is_none());
    }
}
