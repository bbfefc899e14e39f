import Foundation
import Hummingbird
import StoreAPI

/// Small helpers every route file uses to read and check what the client sent.
enum RouteSupport {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: StoreRequestContext) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw StoreError.badRequest(APIErrorCode.invalidJSON, "the body is not the JSON this route takes")
        }
        // JSONDecoder takes `null` for an absent optional member; no member of the API is
        // nullable (openapi.yaml: a member not sent is absent), so a null member is refused.
        // Members the route does not know are ignored, whatever their value. A body without
        // the word is not parsed a second time (that showed in the store's profile).
        if Self.mayHoldNull(body.readableBytesView),
            let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed]),
            let member = nullMember(json, in: value)
        {
            throw StoreError.badRequest(APIErrorCode.invalidJSON, "\(member) is null; leave it out instead")
        }
        return value
    }

    private static let nullWord = Array("null".utf8)

    /// Whether `null` appears anywhere in the bytes (in a string too: then the full check runs).
    static func mayHoldNull(_ bytes: some Collection<UInt8>) -> Bool {
        var matched = 0
        for byte in bytes {
            if byte == nullWord[matched] {
                matched += 1
                if matched == 4 { return true }
            } else {
                matched = byte == 0x6E ? 1 : 0
            }
        }
        return false
    }

    /// The first member of `json` that `value` (what it decoded to) has as a property and that
    /// is `null` in the JSON, looked for in nested objects and arrays too. Property names are
    /// the JSON members' (the API types keep Codable's synthesized keys).
    static func nullMember(_ json: Any, in value: Any) -> String? {
        var mirror = Mirror(reflecting: value)
        // Through optionals to what they hold.
        while mirror.displayStyle == .optional {
            guard let some = mirror.children.first?.value else { return nil }
            mirror = Mirror(reflecting: some)
        }
        switch (json, mirror.displayStyle) {
        case (let object as [String: Any], .struct?), (let object as [String: Any], .class?):
            var properties: [String: Any] = [:]
            for child in mirror.children { if let label = child.label { properties[label] = child.value } }
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                guard let property = properties[key] else { continue }
                if member is NSNull { return key }
                if let inner = nullMember(member, in: property) { return key + "." + inner }
            }
        case (let array as [Any], .collection?):
            for (index, (element, property)) in zip(array, mirror.children.map(\.value)).enumerated() {
                if element is NSNull { return "[\(index)]" }
                if let inner = nullMember(element, in: property) { return "[\(index)]." + inner }
            }
        default:
            break
        }
        return nil
    }

    static func address(_ raw: String) throws -> String {
        guard let address = Validation.address(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidAddress, "not a valid mail address")
        }
        return address
    }

    static func domain(_ raw: String) throws -> String {
        guard let domain = Validation.domain(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidDomain, "not a valid domain name")
        }
        return domain
    }

    static func mailboxName(_ raw: String) throws -> String {
        guard let name = Validation.mailboxName(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidMailboxName, "not a valid mailbox name")
        }
        return name
    }

    static func uidSet(_ raw: String) throws -> UIDSet {
        guard let set = UIDSet(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidUIDSet, "not a valid UID set")
        }
        return set
    }

    /// A path parameter, percent-decoded (Hummingbird hands them over as sent; clients encode
    /// addresses), or "" when it is missing or not valid percent-encoding.
    static func pathParameter(_ context: StoreRequestContext, _ name: String) -> String {
        context.parameters.get(name)?.removingPercentEncoding ?? ""
    }

    /// The `{account}` path parameter, checked.
    static func account(_ context: StoreRequestContext) throws -> String {
        try address(pathParameter(context, "account"))
    }

    /// A numeric path parameter within `range`; anything else is a JSON 400.
    static func pathInteger<T: FixedWidthInteger>(_ context: StoreRequestContext, _ name: String, in range: ClosedRange<T>) throws -> T {
        guard let value = parseInteger(context.parameters.get(name), in: range) else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "\(name) must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// An id in a path (mailbox, queue entry): any 64-bit integer; one that names nothing
    /// (0, negative) is simply not found.
    static func int64(_ context: StoreRequestContext, _ name: String) throws -> Int64 {
        try pathInteger(context, name, in: Int64.min...Int64.max)
    }

    /// A numeric query parameter within `range`, or `value` when it is absent. Not a number,
    /// too big for the type, or outside the range: a JSON 400 naming the range (never a
    /// silent wrap-around or clamp, which once turned `offset=2^63-1` into byte 1).
    static func query<T: FixedWidthInteger>(_ request: Request, _ name: String, in range: ClosedRange<T>, default value: T) throws -> T {
        guard let raw = request.uri.queryParameters.get(name) else { return value }
        guard let parsed = parseInteger(String(raw), in: range) else {
            throw StoreError.badRequest(
                APIErrorCode.badRequest, "query parameter \(name) must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return parsed
    }

    /// Decimal digits (a `-` first for a negative bound) within `range`. Parsed at full 64-bit
    /// width first so that a value too big for `T` is out of range rather than unreadable.
    static func parseInteger<T: FixedWidthInteger>(_ raw: (some StringProtocol)?, in range: ClosedRange<T>) -> T? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 40,
            raw.utf8.enumerated().allSatisfy({ $0.element >= 0x30 && $0.element <= 0x39 || $0.offset == 0 && $0.element == 0x2D })
        else { return nil }
        guard let value = T(raw, radix: 10), range.contains(value) else { return nil }
        return value
    }

    static func password(_ raw: String) throws -> String {
        // bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard !raw.isEmpty, raw.utf8.count <= 72, !raw.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw StoreError.badRequest(APIErrorCode.invalidPassword, "a password is 1 to 72 bytes without control characters")
        }
        return raw
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
