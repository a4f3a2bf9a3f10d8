import Foundation

/// A JSON value for error bodies (FastAPI's `detail` lists), writable as literals.
enum JSONDetail: Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByIntegerLiteral
{
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONDetail])
    case object([String: JSONDetail])

    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSONDetail...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONDetail)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    init(integerLiteral value: Int) { self = .int(value) }

    /// A Foundation JSON object (request input echoed back in a 422).
    init(foundation any: Any) {
        if "\(type(of: any))".contains("Bool"), let value = any as? Bool {
            self = .bool(value)
            return
        }
        switch any {
        case is NSNull: self = .null
        case let value as String: self = .string(value)
        case let value as Int: self = .int(value)
        case let value as Double: self = .double(value)
        case let value as [Any]: self = .array(value.map(JSONDetail.init(foundation:)))
        case let value as [String: Any]: self = .object(value.mapValues(JSONDetail.init(foundation:)))
        default: self = .string("\(any)")
        }
    }

    /// As a Foundation JSON object, for `JSONSerialization`.
    var foundation: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .int(let value): value
        case .double(let value): value
        case .string(let value): value
        case .array(let value): value.map(\.foundation)
        case .object(let value): value.mapValues(\.foundation)
        }
    }
}
