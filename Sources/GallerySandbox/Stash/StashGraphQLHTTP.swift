import Foundation
import GraphQL
import OrderedCollections

/// One GraphQL request as Stash's server (gqlgen) answers it (Docs/stash.md, "Errors"): parse and validation
/// failures carry `locations` and `extensions.code` and are request errors (422, or 400 when the client accepts
/// `application/graphql-response+json`); resolver errors carry only `message` and `path` in a 200 answer; the
/// document is `{"errors": …, "data": …}` in that order. Numeric strings are accepted for `Int` and `Float`
/// variables, as gqlgen accepts them.
enum StashGraphQLHTTP {
    struct Answer {
        var json: String
        /// Nothing was executed: a parse, validation or variable error.
        var isRequestError = false
        /// The body was not a JSON request at all.
        var isMalformed = false
    }

    static func execute(body: [UInt8], schema: GraphQLSchema, scope: StashScope) async -> Answer {
        let request: Map
        do {
            request = try JSONDecoder().decode(Map.self, from: Data(body))
        } catch {
            let raw = String(decoding: body.prefix(200), as: UTF8.self)
            return Answer(
                json: errorsDocument(["json request body could not be decoded: \(error) body:\(raw)"]),
                isMalformed: true)
        }
        let query = request["query"].string ?? ""
        let document: Document
        do {
            document = try parse(source: Source(body: query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return Answer(json: requestErrors([error], code: "GRAPHQL_PARSE_FAILED"), isRequestError: true)
        } catch {
            return Answer(json: errorsDocument(["\(error)"]), isRequestError: true)
        }
        let invalid = validate(schema: schema, ast: document)
        guard invalid.isEmpty else {
            return Answer(json: requestErrors(invalid, code: "GRAPHQL_VALIDATION_FAILED"), isRequestError: true)
        }
        var variables = request["variables"].dictionary.map { Dictionary(uniqueKeysWithValues: Array($0)) } ?? [:]
        let operationName = request["operationName"].string
        if let operation = document.definitions.compactMap({ $0 as? OperationDefinition }).first(where: {
            operationName == nil || $0.name?.value == operationName
        }) {
            for definition in operation.variableDefinitions {
                let name = definition.variable.name.value
                guard let value = variables[name] else { continue }
                variables[name] = coerce(value, ast: definition.type, schema: schema)
            }
        }
        let result: GraphQLResult
        do {
            result = try await GraphQL.execute(
                schema: schema, documentAST: document, rootValue: (), context: scope, variableValues: variables,
                operationName: operationName)
        } catch let error as GraphQLError {
            return Answer(json: requestErrors([error], code: "GRAPHQL_VALIDATION_FAILED"), isRequestError: true)
        } catch {
            return Answer(json: errorsDocument(["\(error)"]), isRequestError: true)
        }
        // Variable coercion fails before anything runs: those errors have no field path.
        if !result.errors.isEmpty, result.errors.allSatisfy({ $0.path.elements.isEmpty }) {
            return Answer(json: requestErrors(result.errors, code: "GRAPHQL_VALIDATION_FAILED"), isRequestError: true)
        }
        var parts: [String] = []
        if !result.errors.isEmpty {
            let errors = result.errors.map { error -> String in
                var fields = [#""message":\#(quote(error.message))"#]
                let path = error.path.elements.map { element -> String in
                    switch element {
                    case .index(let index): String(index)
                    case .key(let key): quote(key)
                    }
                }
                if !path.isEmpty { fields.append(#""path":[\#(path.joined(separator: ","))]"#) }
                return "{" + fields.joined(separator: ",") + "}"
            }
            parts.append(#""errors":[\#(errors.joined(separator: ","))]"#)
        }
        let data = (try? GraphQLJSONEncoder().encode(result.data ?? .null)).map { String(decoding: $0, as: UTF8.self) }
        parts.append(#""data":\#(data ?? "null")"#)
        return Answer(json: "{" + parts.joined(separator: ",") + "}")
    }

    /// `{"errors":[{"message":…},…],"data":null}`.
    static func errorsDocument(_ messages: [String]) -> String {
        let errors = messages.map { #"{"message":\#(quote($0))}"# }.joined(separator: ",")
        return #"{"errors":[\#(errors)],"data":null}"#
    }

    static func requestErrors(_ errors: [GraphQLError], code: String) -> String {
        let rendered = errors.map { error -> String in
            var fields = [#""message":\#(quote(error.message))"#]
            if !error.locations.isEmpty {
                let locations = error.locations.map { #"{"line":\#($0.line),"column":\#($0.column)}"# }
                fields.append(#""locations":[\#(locations.joined(separator: ","))]"#)
            }
            fields.append(#""extensions":{"code":"\#(code)"}"#)
            return "{" + fields.joined(separator: ",") + "}"
        }
        return #"{"errors":[\#(rendered.joined(separator: ","))],"data":null}"#
    }

    /// Whether the answer's content type is `application/graphql-response+json` (and request errors 400).
    static func wantsGraphQLResponse(_ accept: String?) -> Bool {
        guard let accept, !accept.isEmpty else { return false }
        return accept.split(separator: ",").contains { part in
            let type = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return ["*/*", "application/*", "application/graphql-response+json"].contains(type)
        }
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - Variable coercion as gqlparser does it

    static func coerce(_ value: Map, ast: any Type, schema: GraphQLSchema) -> Map {
        if let nonNull = ast as? NonNullType { return coerce(value, ast: nonNull.type, schema: schema) }
        if let list = ast as? ListType {
            guard case .array(let items) = value else { return coerce(value, ast: list.type, schema: schema) }
            return .array(items.map { coerce($0, ast: list.type, schema: schema) })
        }
        guard let named = ast as? NamedType, let type = schema.getType(name: named.name.value) else { return value }
        return coerce(value, type: type)
    }

    static func coerce(_ value: Map, type: any GraphQLType) -> Map {
        if let nonNull = type as? GraphQLNonNull { return coerce(value, type: nonNull.ofType) }
        if let list = type as? GraphQLList {
            guard case .array(let items) = value else { return coerce(value, type: list.ofType) }
            return .array(items.map { coerce($0, type: list.ofType) })
        }
        if let scalar = type as? GraphQLScalarType, case .string(let text) = value {
            if scalar.name == "Int", let number = Int(text) { return .number(Number(number)) }
            if scalar.name == "Float", let number = Double(text) { return .number(Number(number)) }
            return value
        }
        if let input = type as? GraphQLInputObjectType, case .dictionary(var fields) = value,
            let definitions = try? input.fields()
        {
            for (name, definition) in definitions {
                guard let field = fields[name] else { continue }
                fields[name] = coerce(field, type: definition.type)
            }
            return .dictionary(fields)
        }
        return value
    }
}
