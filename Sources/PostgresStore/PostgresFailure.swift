import EventStore
import Foundation
import PostgresNIO

/// Turns what postgres-nio and SwiftNIO throw into one line an operator can act on. postgres-nio
/// hides server messages from its own `description` (they could hold data); the adapter shows the
/// server's message and SQLSTATE, which name tables and roles but never a password (the server
/// does not know it in clear, and the client never puts it in a message).
enum PostgresFailure {
    /// Connection-level failures (the server went away): `.unreachable`, which `tail` and the
    /// explorer retry. Everything else the server said: `.queryFailed`, or bad input where the
    /// operator must act (`.unsupportedLocation`, exit status 2).
    static func describe(_ error: any Error, target: PostgresTarget) -> StoreError {
        if let error = error as? StoreError { return error }
        let location = target.location
        let (reason, kind) = explain(error, target: target)
        switch kind {
        case .connection: return .unreachable(location: location, reason: reason)
        case .operatorFix: return .unsupportedLocation(location, reason: reason)
        case .query: return .queryFailed(location: location, reason: reason)
        }
    }

    enum Kind { case connection, operatorFix, query }

    /// Whether `error` means the session is gone (not a statement's failure).
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
            case .server:
                // Class 57P: operator intervention (shutdown, restart); class 08: connection exception.
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("57P") || state.hasPrefix("08")
            default: return false
            }
        }
        return error is ChannelError || error is IOError || error is NIOConnectionError
    }

    static func explain(_ error: any Error, target: PostgresTarget) -> (String, Kind) {
        let whereTo: String = switch target.endpoint {
        case .tcp(let host, let port): "\(host):\(port)"
        case .socket(let directory, let port): "the socket \(directory)/.s.PGSQL.\(port)"
        }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .server:
                let state = psql.serverInfo?[.sqlState] ?? ""
                let message = oneLine(psql.serverInfo?[.message] ?? "an error without a message")
                switch state {
                case "28P01", "28000":
                    let source = target.passwordSource == .none ? "no password was given (URL, PGPASSWORD or ~/.pgpass)"
                        : "the password came from the \(target.passwordSource.rawValue)"
                    return ("\(message) (\(source))", .operatorFix)
                case "3D000":
                    return ("\(message): name an existing database in the URL or PGDATABASE", .operatorFix)
                case "42501":
                    return ("\(message): the role \(target.user.debugDescription) needs SELECT on the store's tables", .operatorFix)
                case "53300":
                    return ("\(message) (the server has no free connection)", .connection)
                case _ where state.hasPrefix("57P") || state.hasPrefix("08"):
                    return ("the server at \(whereTo) went away: \(message)", .connection)
                default:
                    return ("\(message) (SQLSTATE \(state))", .query)
                }
            case .sslUnsupported:
                return ("the server at \(whereTo) does not accept TLS, and sslmode=\(target.sslMode.rawValue) requires it: "
                        + "use sslmode=prefer or disable, or turn ssl on in the server", .operatorFix)
            case .authMechanismRequiresPassword:
                return ("the server asks for a password and none was given: put it in the URL, PGPASSWORD or ~/.pgpass (mode 0600)", .operatorFix)
            case .unsupportedAuthMechanism:
                return ("the server asks for an authentication method eventscope does not support (use scram-sha-256, md5 or trust)", .operatorFix)
            case .failedToAddSSLHandler:
                return ("TLS could not start: \(psql.underlying.map(describeLowLevel) ?? "unknown")", .operatorFix)
            case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                if let underlying = psql.underlying, isTLSFailure(underlying) {
                    return ("TLS to \(whereTo) failed: \(describeLowLevel(underlying))", .operatorFix)
                }
                return ("the server at \(whereTo) closed the connection" + (psql.underlying.map { ": " + describeLowLevel($0) } ?? ""), .connection)
            case .connectionError:
                if let underlying = psql.underlying, isTLSFailure(underlying) {
                    return ("TLS to \(whereTo) failed: \(describeLowLevel(underlying))", .operatorFix)
                }
                return ("cannot connect to \(whereTo): " + (psql.underlying.map(describeLowLevel) ?? "connection error"), .connection)
            case .queryCancelled:
                return ("cancelled", .query)
            default:
                return ("\(psql.code)" + (psql.underlying.map { ": " + describeLowLevel($0) } ?? ""), .query)
            }
        }
        if isTLSFailure(error) { return ("TLS to \(whereTo) failed: \(describeLowLevel(error))", .operatorFix) }
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return ("cannot connect to \(whereTo): " + describeLowLevel(error), .connection)
        }
        return (oneLine(String(describing: error)), .query)
    }

    static func isTLSFailure(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError
    }

    /// SwiftNIO's errors in words: refused, timed out, no such host, no socket.
    static func describeLowLevel(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError {
                return "cannot resolve \(connection.host.debugDescription) (\(oneLine(String(describing: dns))))"
            }
            if let first = connection.connectionErrors.first { return describeLowLevel(first.error) }
            return "no address to connect to"
        }
        if let io = error as? IOError {
            let text = String(cString: strerror(io.errnoCode)).lowercased()
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused (is the server running and accepting TCP connections there?)"
            case ENOENT: return "no such socket (is the server running, with this socket directory and port?)"
            default: return text
            }
        }
        if let channel = error as? ChannelError, case .connectTimeout(let amount) = channel {
            return "no answer within \(amount.nanoseconds / 1_000_000_000) s (a firewall, or a wrong host or port?)"
        }
        if let psql = error as? PSQLError, let underlying = psql.underlying { return describeLowLevel(underlying) }
        return oneLine(String(describing: error))
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
