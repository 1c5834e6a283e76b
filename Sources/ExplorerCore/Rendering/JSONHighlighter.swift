import EventStore

/// Pretty-prints JSON as `JSONValue.pretty` does (two spaces, stored key order), as styled lines.
public enum JSONHighlighter {
    public static func lines(_ value: JSONValue) -> [StyledLine] {
        var out: [StyledLine] = [[]]
        write(value, level: 0, into: &out)
        return out
    }

    static let punctuation = Style(.text)

    static func write(_ value: JSONValue, level: Int, into out: inout [StyledLine]) {
        switch value {
        case .null: out[out.count - 1].append(Span("null", Style(.jsonLiteral)))
        case .bool(let b): out[out.count - 1].append(Span(b ? "true" : "false", Style(.jsonLiteral)))
        case .number(let n): out[out.count - 1].append(Span(n, Style(.jsonNumber)))
        case .string(let s): out[out.count - 1].append(Span(quoted(s), Style(.jsonString)))
        case .array(let items):
            container(items, open: "[", close: "]", level: level, into: &out) { item, out in
                write(item, level: level + 1, into: &out)
            }
        case .object(let members):
            container(members, open: "{", close: "}", level: level, into: &out) { member, out in
                out[out.count - 1].append(Span(quoted(member.key), Style(.jsonKey)))
                out[out.count - 1].append(Span(": ", punctuation))
                write(member.value, level: level + 1, into: &out)
            }
        }
    }

    static func container<T>(_ elements: [T], open: String, close: String, level: Int, into out: inout [StyledLine],
                             element: (T, inout [StyledLine]) -> Void) {
        out[out.count - 1].append(Span(open, punctuation))
        guard !elements.isEmpty else {
            out[out.count - 1].append(Span(close, punctuation))
            return
        }
        for (i, e) in elements.enumerated() {
            if i > 0 { out[out.count - 1].append(Span(",", punctuation)) }
            out.append([Span(String(repeating: "  ", count: level + 1))])
            element(e, &out)
        }
        out.append([Span(String(repeating: "  ", count: level)), Span(close, punctuation)])
    }

    static func quoted(_ s: String) -> String {
        var text = ""
        JSONValue.quote(s, into: &text)
        return text
    }
}
