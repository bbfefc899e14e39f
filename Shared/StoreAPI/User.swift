/// An account: one address with a password and its own mailboxes.
///
/// `POST /v1/users` takes `{"address": "demo@example.test", "password": "…"}`; the store keeps
/// only a bcrypt hash. `PUT /v1/users/{address}/password` takes `{"password": "…"}`.
public struct UserInfo: Codable, Sendable, Hashable {
    public var address: String
    public var createdAt: Double
    public var mailboxes: Int
    public var messages: Int
    public var bytes: Int
    public init(address: String, createdAt: Double, mailboxes: Int = 0, messages: Int = 0, bytes: Int = 0) {
        self.address = address
        self.createdAt = createdAt
        self.mailboxes = mailboxes
        self.messages = messages
        self.bytes = bytes
    }
}

public struct CreateUserRequest: Codable, Sendable {
    public var address: String
    public var password: String
    public init(address: String, password: String) {
        self.address = address
        self.password = password
    }
}

public struct SetPasswordRequest: Codable, Sendable {
    public var password: String
    public init(password: String) { self.password = password }
}

public struct UserList: Codable, Sendable {
    public var users: [UserInfo]
    public init(users: [UserInfo]) { self.users = users }
}
