import Foundation

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

    /// The gallery `REMOTE:GALLERY` names on a service; `nil` for a folder, whose path is its root instead.
    public var namedGallery: String? {
        type == "local" ? nil : path.flatMap { $0.isEmpty ? nil : $0 }
    }
    /// The remote's `[NAME.match]` table: how gallery ambiguities are settled when this remote is a
    /// destination. Source gallery id → one of this remote's gallery ids, or ``RemoteConfig/newGallery``.
    public var galleryMatches: [String: String]

    /// The `[NAME.match]` value that sends a source gallery to a new gallery.
    public static let newGallery = "new"

    public init(
        name: String, type: String, options: [String: String] = [:], path: String? = nil,
        galleryMatches: [String: String] = [:]
    ) {
        self.name = name
        self.type = type
        self.options = options
        self.path = path
        self.galleryMatches = galleryMatches
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
        for (key, value) in masked {
            if secrets.contains(key) || SecretMasking.looksSecret(key) {
                masked[key] = SecretMasking.mask
            } else {
                masked[key] = SecretMasking.maskingUserInfo(value)
            }
        }
        return masked
    }
}

/// How secrets are hidden wherever GalleryHub shows configuration, logs or errors.
public enum SecretMasking {
    /// What a secret is shown as.
    public static let mask = "***"

    /// A URL with the password of its user info masked (`http://admin:***@host`); any other text unchanged.
    public static func maskingUserInfo(_ text: String) -> String {
        guard let (prefix, _, rest) = userInfoParts(text) else { return text }
        return prefix + mask + rest
    }

    /// A URL without its user info at all (`http://host/path`): what identifies a service, whoever logs in.
    public static func removingUserInfo(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = userInfoEnd(text, after: scheme.upperBound) else {
            return text
        }
        return String(text[..<scheme.upperBound]) + String(text[text.index(after: at)...])
    }

    /// `("http://admin:", "PW", "@host/…")` for a URL whose user info has a password.
    private static func userInfoParts(_ text: String) -> (String, String, String)? {
        guard let scheme = text.range(of: "://"), let at = userInfoEnd(text, after: scheme.upperBound),
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        else { return nil }
        let passwordStart = text.index(after: colon)
        return (String(text[..<passwordStart]), String(text[passwordStart..<at]), String(text[at...]))
    }

    /// The `@` that ends a URL's user info: the last one before the path begins.
    private static func userInfoEnd(_ text: String, after start: String.Index) -> String.Index? {
        let authorityEnd = text[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        return text[start..<authorityEnd].lastIndex(of: "@")
    }

    /// Option names that hold a secret whatever a descriptor says.
    public static func looksSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["password", "token", "secret", "apikey", "api_key", "key"].contains { key.contains($0) }
    }
}
