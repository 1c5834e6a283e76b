import EventStore

/// `R` on a projection: the confirmation, the request or the configured command it leads to,
/// and the log view of that command.
extension ExplorerState {
    /// Opens the confirmation for `projection`, or says why a rebuild cannot be asked from here.
    mutating func openRebuild(_ projection: String) -> [Effect] {
        let route: RebuildConfirmation.Route
        if let command = rebuildSetup.foreignCommands[projection] {
            if let log = commandLog, log.isRunning {
                message = Message(text: "the rebuild command for \(log.projection) is still running: L shows its log, x there stops it",
                                  isError: true)
                return []
            }
            route = .command(command)
        } else if rebuildSetup.canRequest {
            route = .request
        } else {
            message = Message(text: "can't rebuild \(projection) from here: \(rebuildSetup.unavailableReason)", isError: true)
            return []
        }
        var confirmation = RebuildConfirmation(projection: projection, route: route)
        var context = self.context
        let id = context.takeRequestID()
        adopt(context)
        confirmation.pending = Pending(id: id)
        self.confirmation = confirmation
        message = nil
        return [.query(id: id, slot: .rebuildImpact,
                       .rebuildImpact(projection: projection, eventTypes: rebuildSetup.eventTypes[projection]))]
    }

    /// Keys while the confirmation is open: it takes every one (a `q` is part of a name).
    mutating func confirmationKey(_ key: Key) -> [Effect] {
        guard var confirmation else { return [] }
        switch confirmation.key(key) {
        case .stay:
            self.confirmation = confirmation
            return []
        case .cancel:
            self.confirmation = nil
            message = Message(text: "rebuild of \(confirmation.projection) cancelled: nothing was requested", isError: false)
            return []
        case .confirm:
            self.confirmation = nil
            return confirmRebuild(confirmation)
        }
    }

    mutating func confirmRebuild(_ confirmation: RebuildConfirmation) -> [Effect] {
        let name = confirmation.projection
        switch confirmation.route {
        case .request:
            message = Message(text: "requesting a rebuild of \(name)…", isError: false)
            return [.requestRebuild(projection: name)]
        case .command(let command):
            var context = self.context
            let run = context.takeRequestID()
            adopt(context)
            let arguments = command.arguments(for: name)
            commandLog = CommandLog(run: run, projection: name, arguments: arguments, startedAt: now)
            showLog = true
            message = Message(text: "running the rebuild command for \(name)", isError: false)
            return [.runCommand(run: run, arguments: arguments)]
        }
    }

    /// The impact arrived (or failed) for the open confirmation.
    mutating func receiveImpact(id: Int, _ impact: RebuildImpact?) -> [Effect] {
        guard var confirmation, confirmation.pending?.id == id else { return [] }
        confirmation.pending = nil
        confirmation.impact = impact
        confirmation.impactLoaded = true
        self.confirmation = confirmation
        return []
    }

    mutating func impactFailed(id: Int, _ text: String) -> Bool {
        guard var confirmation, confirmation.pending?.id == id else { return false }
        confirmation.pending = nil
        confirmation.problem = text
        self.confirmation = confirmation
        return true
    }

    mutating func rebuildRequested(_ projection: String, requestID: Int64) -> [Effect] {
        message = Message(text: "rebuild of \(projection) requested (#\(requestID)); its row follows the request", isError: false)
        // Read the projections now, so the row shows the request without waiting for the next refresh.
        guard focus == .projections, projections.pending == nil else { return [] }
        return withContext { state, context in [state.projections.load(&context)] }
    }

    mutating func rebuildRequestFailed(_ projection: String, _ text: String) -> [Effect] {
        message = Message(text: "could not request a rebuild of \(projection): \(text)", isError: true)
        return []
    }

    // MARK: the configured command and its log

    mutating func commandOutput(run: Int, _ lines: [CommandOutput]) -> [Effect] {
        guard commandLog?.run == run else { return [] }
        commandLog?.append(lines)
        return []
    }

    mutating func commandEnded(run: Int, _ exit: CommandExit) -> [Effect] {
        guard var log = commandLog, log.run == run else { return [] }
        log.exit = exit
        commandLog = log
        message = Message(text: "the rebuild command for \(log.projection) \(exit.description)" + (showLog ? "" : " (L shows its log)"),
                          isError: !exit.succeeded)
        return []
    }

    /// `L`: the log view of the session's rebuild command.
    mutating func openLog() -> [Effect] {
        guard commandLog != nil else {
            message = Message(text: "no rebuild command has run in this session: R on a projection with a configured command runs one",
                              isError: false)
            return []
        }
        showLog = true
        return []
    }

    /// Keys while the log view is open: scrolling, `x` stops the command, Esc or `L` closes the view
    /// (the command goes on: a rebuild stopped halfway is worse than one left to finish).
    mutating func logKey(_ key: Key) -> [Effect] {
        guard var log = commandLog else {
            showLog = false
            return []
        }
        switch key {
        case .escape, .char("L"), .char("q"):
            showLog = false
            if log.isRunning { message = Message(text: "the rebuild command for \(log.projection) keeps running: L shows its log", isError: false) }
            return []
        case .char("x"):
            guard log.isRunning else {
                message = Message(text: "the rebuild command has ended: nothing to stop", isError: false)
                return []
            }
            log.stopping = true
            commandLog = log
            message = Message(text: "stopping the rebuild command for \(log.projection)", isError: false)
            return [.stopCommand(run: log.run)]
        default:
            _ = log.scroll(key, layout: layout)
            commandLog = log
            return []
        }
    }
}
