import Foundation
import GalleryCore

/// A field of a JSON body: absent, explicitly null, or a value (PATCH treats the three differently).
enum Field<Value> {
    case absent
    case null
    case value(Value)

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}

/// Reads fields of a JSON body the way Pydantic validates a model, collecting every error into one 422.
struct OmnitcodeValidator {
    let body: [String: Any]
    let location: [JSONDetail]
    private(set) var errors: [JSONDetail] = []

    init(_ body: [String: Any], location: [JSONDetail] = ["body"]) {
        self.body = body
        self.location = location
    }

    mutating func fail(_ key: String, _ type: String, _ message: String, input: Any?, ctx: [String: JSONDetail]? = nil)
    {
        var item: [String: JSONDetail] = [
            "type": .string(type), "loc": .array(location + [.string(key)]), "msg": .string(message),
            "input": JSONDetail(foundation: input ?? body),
        ]
        if let ctx { item["ctx"] = .object(ctx) }
        errors.append(.object(item))
    }

    private mutating func raw(_ key: String, required: Bool, nullable: Bool) -> Field<Any> {
        guard let value = body[key] else {
            if required { fail(key, "missing", "Field required", input: nil) }
            return .absent
        }
        if value is NSNull {
            if !nullable { return .value(value) }  // the type check below reports it
            return .null
        }
        return .value(value)
    }

    mutating func string(_ key: String, required: Bool = false, nullable: Bool = true, min: Int? = nil, max: Int? = nil)
        -> Field<String>
    {
        switch raw(key, required: required, nullable: nullable) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            guard let string = any as? String else {
                fail(key, "string_type", "Input should be a valid string", input: any)
                return .absent
            }
            if let min, string.count < min {
                fail(
                    key, "string_too_short", "String should have at least \(min) character\(min == 1 ? "" : "s")",
                    input: string, ctx: ["min_length": .int(min)])
                return .absent
            }
            if let max, string.count > max {
                fail(
                    key, "string_too_long", "String should have at most \(max) characters",
                    input: string, ctx: ["max_length": .int(max)])
                return .absent
            }
            return .value(string)
        }
    }

    mutating func uuid(_ key: String, required: Bool = false, nullable: Bool = true) -> Field<String> {
        switch raw(key, required: required, nullable: nullable) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            guard let string = any as? String, let uuid = Self.uuid(string) else {
                fail(key, "uuid_parsing", "Input should be a valid UUID, unable to parse a UUID", input: any)
                return .absent
            }
            return .value(uuid)
        }
    }

    mutating func int(_ key: String, required: Bool = false) -> Field<Int> {
        switch raw(key, required: required, nullable: true) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            if "\(type(of: any))".contains("Bool") {  // NSNumber answers `is Bool` for 0 and 1
                fail(key, "int_type", "Input should be a valid integer", input: any)
                return .absent
            }
            if let int = any as? Int { return .value(int) }
            if let double = any as? Double, double.rounded() == double { return .value(Int(double)) }
            fail(key, "int_parsing", "Input should be a valid integer", input: any)
            return .absent
        }
    }

    mutating func bool(_ key: String) -> Field<Bool> {
        switch raw(key, required: false, nullable: true) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            if let bool = any as? Bool { return .value(bool) }
            fail(key, "bool_type", "Input should be a valid boolean", input: any)
            return .absent
        }
    }

    mutating func choice(_ key: String, _ allowed: [String]) -> Field<String> {
        switch raw(key, required: false, nullable: true) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            if let string = any as? String, allowed.contains(string) { return .value(string) }
            let expected = allowed.dropLast().map { "'\($0)'" }.joined(separator: ", ") + " or '\(allowed.last ?? "")'"
            fail(key, "enum", "Input should be \(expected)", input: any, ctx: ["expected": .string(expected)])
            return .absent
        }
    }

    mutating func array(_ key: String, required: Bool = false) -> Field<[Any]> {
        switch raw(key, required: required, nullable: true) {
        case .absent: return .absent
        case .null: return .null
        case .value(let any):
            if let array = any as? [Any] { return .value(array) }
            fail(key, "list_type", "Input should be a valid list", input: any)
            return .absent
        }
    }

    mutating func absorb(_ other: OmnitcodeValidator) { errors += other.errors }

    /// Throws the collected 422, if any.
    func finish() throws {
        if !errors.isEmpty { throw OmnitcodeError.validation(errors) }
    }

    /// The canonical (lower-case) form of a UUID string, or `nil`.
    static func uuid(_ string: String) -> String? {
        guard string.count == 36 || string.count == 32, let uuid = UUID(uuidString: Self.hyphenated(string)) else {
            return nil
        }
        return uuid.uuidString.lowercased()
    }

    private static func hyphenated(_ string: String) -> String {
        guard string.count == 32 else { return string }
        var out = string
        for index in [8, 13, 18, 23] { out.insert("-", at: out.index(out.startIndex, offsetBy: index)) }
        return out
    }

    /// A path parameter that must be a UUID, else the 422 FastAPI gives.
    static func pathUUID(_ value: String, name: String) throws -> String {
        guard let uuid = uuid(value) else {
            throw OmnitcodeError.validation([
                .object([
                    "type": "uuid_parsing", "loc": .array(["path", .string(name)]),
                    "msg": .string(
                        "Input should be a valid UUID, invalid length: expected length 32 for simple format, found \(value.count)"
                    ),
                    "input": .string(value),
                ])
            ])
        }
        return uuid
    }
}
