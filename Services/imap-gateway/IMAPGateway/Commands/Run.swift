import IMAPProtocol

extension IMAPSession {
    /// Runs a command legal in the current state (CommandTable) and says how it ended.
    func run(_ command: IMAPCommand) async throws -> Completion {
        let tag = command.tag
        switch command.kind {
        case .capability: return try await capability()
        case .noop, .check: return .ok("\(CommandTable.name(command.kind)) completed")
        case .logout: return try await logout()
        case .id(let fields): return try await id(fields)
        case .startTLS: return try await startTLS(tag: tag)
        case .login(let user, let password): return try await login(user, password)
        case .authenticate(let mechanism, let initial):
            return try await authenticate(tag: tag, mechanism: mechanism, initialResponse: initial)
        case .enable(let names): return try await enable(names)
        case .select(let name, let parameters): return try await select(name, parameters, readOnly: false)
        case .examine(let name, let parameters): return try await select(name, parameters, readOnly: true)
        case .create(let name): return try await create(name)
        case .createSpecialUse(let name, let uses): return try await create(name, uses: uses)
        case .delete(let name): return try await delete(name)
        case .rename(let from, let to): return try await rename(from, to)
        case .subscribe(let name): return try await subscribe(name, true)
        case .unsubscribe(let name): return try await subscribe(name, false)
        case .list(let selectOptions, let reference, let patterns, let returnOptions):
            return try await list(selectOptions: selectOptions, reference: reference, patterns: patterns, returnOptions: returnOptions)
        case .lsub(let reference, let pattern): return try await lsub(reference: reference, pattern: pattern)
        case .namespace: return try await namespace()
        case .status(let name, let items): return try await status(name, items)
        case .append(let name, let flags, let date, let message, _):
            return try await append(name, flags: flags, date: date, message: message)
        case .multiAppend(let name, let messages): return try await multiAppend(name, messages)
        case .idle: return try await startIdle(tag: tag)
        case .unauthenticate: return try await unauthenticate()
        case .compress(let mechanism): return compress(tag: tag, mechanism)
        case .close: return try await close(expunge: true)
        case .unselect: return try await close(expunge: false)
        case .expunge: return try await expunge(uids: nil)
        case .uidExpunge(let set): return try await expunge(uids: set)
        case .fetch(let set, let attributes, let modifiers, let uid): return try await fetch(set, attributes, modifiers, uid: uid)
        case .store(let set, let arguments, let uid): return try await storeFlags(set, arguments, uid: uid)
        case .copy(let set, let target, let uid): return try await copy(set, to: target, uid: uid, move: false)
        case .move(let set, let target, let uid): return try await copy(set, to: target, uid: uid, move: true)
        case .search(let program, let uid): return try await search(tag: tag, program, uid: uid)
        case .sort(let program, let uid): return try await sort(tag: tag, program, uid: uid)
        case .thread(let program, let uid): return try await thread(tag: tag, program, uid: uid)
        case .cancelUpdate(let tags): return cancelUpdate(tags)
        case .replace(let number, let target, let message, let uid): return try await replace(number, target, message, uid: uid)
        case .quota(let command): return try await quota(command)
        case .acl(let command): return try await acl(command)
        case .getMetadata(let name, let entries, let options): return try await getMetadata(name, entries, options)
        case .setMetadata(let name, let values): return try await setMetadata(name, values)
        case .notify(let spec): return try await notify(spec)
        }
    }
}
