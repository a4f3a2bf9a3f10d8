import GraphQL
import OrderedCollections

/// Builds the executable schema from ``StashSchemaSource`` and the emulator's resolvers.
///
/// A schema built from SDL has unions and interfaces without a type resolver, and those cannot be set later. So
/// every abstract type is rebuilt with one that reads the value's `__typename`, every field that points at one is
/// re-pointed, implementors get the new interfaces, and the resolvers (`"Type.field"` → function) are attached on
/// the way; the rest keeps the default resolver, which reads ``KeySubscriptable`` nodes by field name.
enum StashSchema {
    static func make(resolvers: [String: GraphQLFieldResolve]) throws -> GraphQLSchema {
        let built = try buildSchema(source: StashSchemaSource.sdl)
        let byTypename: GraphQLTypeResolve = { value, _ in
            guard let node = value as? any KeySubscriptable, let name = node["__typename"] as? String else {
                throw StashFieldError("Internal system error. Error value has no __typename")
            }
            return name
        }
        var replaced: [String: any GraphQLNamedType] = [:]
        var interfaces: [String: GraphQLInterfaceType] = [:]
        let named = built.typeMap.values.filter { !$0.name.hasPrefix("__") }

        func substitute(_ type: any GraphQLType) throws -> any GraphQLOutputType {
            if let nonNull = type as? GraphQLNonNull { return try GraphQLNonNull(substitute(nonNull.ofType)) }
            if let list = type as? GraphQLList { return GraphQLList(try substitute(list.ofType)) }
            if let named = type as? any GraphQLNamedType, let swap = replaced[named.name] as? any GraphQLOutputType {
                return swap
            }
            guard let output = type as? any GraphQLOutputType else {
                throw StashFieldError("schema: \(type) is not an output type")
            }
            return output
        }
        func rewire(_ owner: String, _ fields: GraphQLFieldMap) throws -> GraphQLFieldMap {
            var result = GraphQLFieldMap()
            for (name, field) in fields {
                result[name] = GraphQLField(
                    type: try substitute(field.type), description: field.description,
                    deprecationReason: field.deprecationReason, args: field.args,
                    resolve: resolvers["\(owner).\(name)"] ?? field.resolve, astNode: field.astNode)
            }
            return result
        }

        for type in named {
            if let union = type as? GraphQLUnionType {
                let members = try union.types()
                replaced[union.name] = try GraphQLUnionType(
                    name: union.name, description: union.description, resolveType: byTypename, types: members)
            } else if let interface = type as? GraphQLInterfaceType {
                let fields = try interface.fields()
                let fresh = try GraphQLInterfaceType(
                    name: interface.name, description: interface.description, fields: fields,
                    resolveType: byTypename)
                replaced[interface.name] = fresh
                interfaces[interface.name] = fresh
            }
        }
        for case let interface as GraphQLInterfaceType in replaced.values {
            let fields = try rewire(interface.name, try interface.fields())
            interface.fields = { fields }
        }
        for case let object as GraphQLObjectType in named {
            let fields = try rewire(object.name, try object.fields())
            object.fields = { fields }
            let implemented = try object.interfaces().map { interfaces[$0.name] ?? $0 }
            object.interfaces = { implemented }
        }
        let types = named.map { replaced[$0.name] ?? $0 }
        return try GraphQLSchema(
            query: built.queryType, mutation: built.mutationType, subscription: built.subscriptionType,
            types: types, directives: built.directives)
    }
}

/// A resolver's failure, reported in the answer's `errors` with Stash's own wording.
struct StashFieldError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
