/// A configured remote: a backend type, its options (secrets resolved), and an optional path within it.
public struct RemoteConfig: Sendable, Hashable {
    /// The remote's name (`sandbox-omnitcode`), or the type for an inline remote (`local`).
    public var name: String
    /// The backend type (`local`, `omnitcode`).
    public var type: String
    /// Option values, with `${ENV}` references already resolved.
    public var options: [String: String]
    /// What followed the colon in `remote:path`, when a named remote was given with one.
    public var path: String?

    public init(name: String, type: String, options: [String: String] = [:], path: String? = nil) {
        self.name = name
        self.type = type
        self.options = options
        self.path = path
    }

    public func option(_ key: String) -> String? {
        guard let value = options[key], !value.isEmpty else { return nil }
        return value
    }

    /// The option's value, or a configuration error that says how to set it.
    public func requiredOption(_ key: String) throws -> String {
        guard let value = option(key) else {
            throw GalleryError(
                .configuration,
                "Remote '\(name)' (\(type)) has no '\(key)' option",
                backend: name,
                hint: "Set `\(key)` in the [\(name)] table of the remotes file."
            )
        }
        return value
    }

    /// The options with every secret masked, for display.
    public func maskedOptions(secrets: Set<String>) -> [String: String] {
        var masked = options
        for key in masked.keys where secrets.contains(key) || SecretMasking.looksSecret(key) {
            masked[key] = SecretMasking.mask
        }
        return masked
    }
}

/// How secrets are hidden wherever GalleryHub shows configuration, logs or errors.
public enum SecretMasking {
    /// What a secret is shown as.
    public static let mask = "***"

    /// Option names that hold a secret whatever a descriptor says.
    public static func looksSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["password", "token", "secret", "apikey", "api_key", "key"].contains { key.contains($0) }
    }
}
