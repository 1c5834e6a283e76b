/// How many visible events follow a checkpoint, counted up to a cap ("more than N").
public struct PendingCount: Sendable, Hashable {
    public var count: Int64
    /// True when counting stopped at the cap: the real number is larger than `count`.
    public var isCapped: Bool

    public init(count: Int64, isCapped: Bool) {
        self.count = count
        self.isCapped = isCapped
    }

    public static let zero = PendingCount(count: 0, isCapped: false)

    /// "0", "1234", "more than 100000".
    public var description: String { isCapped ? "more than \(count)" : "\(count)" }
}
