import EventStore

/// Where the next page starts, as the option that asks for it: printed on standard error
/// (`more: --after 100050`) and carried in `--json` output as `"next": {"after": 100050}`.
struct PageCursor {
    /// The option's name without its dashes: `after`, `before`, `from`.
    let option: String
    let value: JSONValue
    /// The value as it is typed on a command line.
    let argument: String

    init(_ option: String, _ position: Int64) {
        self.option = option
        value = .int(position)
        argument = String(position)
    }

    init(_ option: String, _ text: String, argument: String) {
        self.option = option
        value = .string(text)
        self.argument = argument
    }

    var note: String { "more: --\(option) \(argument)" }

    var json: JSONValue { .object([.init(option, value)]) }

    /// A page of a paged command's `--json`: `{"<items>": [...], "next": {...} or null}`.
    static func page(_ items: String, _ values: [JSONValue], next: PageCursor?) -> JSONValue {
        .object([.init(items, .array(values)), .init("next", next?.json ?? .null)])
    }
}
