import IMAPProtocol

/// Which command is legal in which state (RFC 9051 §6, §3), as one table.
///
/// | state | commands |
/// |---|---|
/// | any | CAPABILITY, NOOP, LOGOUT, ID |
/// | not authenticated | STARTTLS, AUTHENTICATE, LOGIN |
/// | authenticated | ENABLE, SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, NAMESPACE, STATUS, APPEND, IDLE, UNAUTHENTICATE, GETQUOTA, GETQUOTAROOT, SETQUOTA, SETACL, DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS, COMPRESS, GETMETADATA, SETMETADATA, NOTIFY |
/// | selected | the authenticated ones, and CHECK, CLOSE, UNSELECT, EXPUNGE, UID EXPUNGE, SEARCH, SORT, THREAD, FETCH, STORE, COPY, MOVE, REPLACE and their UID forms, CANCELUPDATE |
enum CommandTable {
    enum Scope {
        case any, notAuthenticated, authenticated, selected
    }

    static func scope(_ kind: IMAPCommand.Kind) -> Scope {
        switch kind {
        case .capability, .noop, .logout, .id: return .any
        case .startTLS, .authenticate, .login: return .notAuthenticated
        case .enable, .select, .examine, .create, .createSpecialUse, .delete, .rename, .subscribe, .unsubscribe, .list, .lsub, .namespace,
            .status, .append, .multiAppend, .idle, .unauthenticate, .quota, .acl, .compress, .getMetadata, .setMetadata, .notify:
            return .authenticated
        case .check, .close, .unselect, .expunge, .uidExpunge, .fetch, .store, .copy, .move, .search, .sort, .thread, .cancelUpdate,
            .replace:
            return .selected
        }
    }

    static func allowed(_ kind: IMAPCommand.Kind, in state: SessionState) -> Bool {
        switch (scope(kind), state) {
        case (.any, _): return true
        case (.notAuthenticated, .notAuthenticated): return true
        case (.authenticated, .authenticated), (.authenticated, .selected): return true
        case (.selected, .selected): return true
        default: return false
        }
    }

    static func refusal(_ kind: IMAPCommand.Kind, in state: SessionState) -> String {
        switch (scope(kind), state) {
        case (.notAuthenticated, _): return "Already logged in"
        case (_, .notAuthenticated): return "Log in first"
        default: return "No mailbox selected"
        }
    }

    /// FETCH, STORE, SEARCH, SORT and THREAD (not their UID forms) must not be answered with EXPUNGE:
    /// the client's sequence numbers would shift under it. RFC 9051 §7.5.1
    static func mayExpunge(_ kind: IMAPCommand.Kind) -> Bool {
        switch kind {
        case .fetch(_, _, _, let uid), .store(_, _, let uid), .search(_, let uid), .sort(_, let uid), .thread(_, let uid): return uid
        default: return true
        }
    }

    /// Commands after which the change feed is read even if the change watcher has not heard
    /// of anything new yet: the client asked for news (NOOP, CHECK), or the command itself
    /// changed the mailbox and its effects are announced from the feed (EXPUNGE, MOVE…).
    static func mustSync(_ kind: IMAPCommand.Kind) -> Bool {
        switch kind {
        case .noop, .check, .expunge, .uidExpunge, .copy, .move, .append, .multiAppend, .store, .replace: return true
        default: return false
        }
    }

    /// The command's name, for metrics.
    static func name(_ kind: IMAPCommand.Kind) -> String {
        switch kind {
        case .capability: return "CAPABILITY"
        case .noop: return "NOOP"
        case .logout: return "LOGOUT"
        case .id: return "ID"
        case .startTLS: return "STARTTLS"
        case .authenticate: return "AUTHENTICATE"
        case .login: return "LOGIN"
        case .enable: return "ENABLE"
        case .select: return "SELECT"
        case .examine: return "EXAMINE"
        case .create, .createSpecialUse: return "CREATE"
        case .delete: return "DELETE"
        case .rename: return "RENAME"
        case .subscribe: return "SUBSCRIBE"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .list: return "LIST"
        case .lsub: return "LSUB"
        case .namespace: return "NAMESPACE"
        case .status: return "STATUS"
        case .append, .multiAppend: return "APPEND"
        case .idle: return "IDLE"
        case .unauthenticate: return "UNAUTHENTICATE"
        case .compress: return "COMPRESS"
        case .check: return "CHECK"
        case .close: return "CLOSE"
        case .unselect: return "UNSELECT"
        case .expunge: return "EXPUNGE"
        case .uidExpunge: return "UID EXPUNGE"
        case .fetch(_, _, _, let uid): return uid ? "UID FETCH" : "FETCH"
        case .store(_, _, let uid): return uid ? "UID STORE" : "STORE"
        case .copy(_, _, let uid): return uid ? "UID COPY" : "COPY"
        case .move(_, _, let uid): return uid ? "UID MOVE" : "MOVE"
        case .search(_, let uid): return uid ? "UID SEARCH" : "SEARCH"
        case .sort(_, let uid): return uid ? "UID SORT" : "SORT"
        case .thread(_, let uid): return uid ? "UID THREAD" : "THREAD"
        case .cancelUpdate: return "CANCELUPDATE"
        case .replace(_, _, _, let uid): return uid ? "UID REPLACE" : "REPLACE"
        case .quota(let command): return command.name
        case .acl(let command): return command.name
        case .getMetadata: return "GETMETADATA"
        case .setMetadata: return "SETMETADATA"
        case .notify: return "NOTIFY"
        }
    }
}
