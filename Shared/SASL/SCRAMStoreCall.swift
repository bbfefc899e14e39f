/// The two store calls of a SCRAM-SHA-256 exchange (the keys stay in the store): what a
/// gateway's session asks its store calls to do for `SASLExchange.Step.scram…`.
public enum SCRAMStoreCall: Sendable, Equatable {
    /// `POST /v1/auth/scram/start`.
    case start(username: String)
    /// `POST /v1/auth/scram/finish`.
    case finish(SASLExchange.SCRAMFinish)
}
