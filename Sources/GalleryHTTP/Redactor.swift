import Foundation

/// Hides credentials in everything GalleryHTTP logs or puts into an error: headers, URLs, and excerpts of
/// request or response bodies.
///
/// Three layers, because no single one catches everything: credential headers by name, query parameters and
/// JSON fields by name, and any exact secret value the client was given (a password or token that a server echoes
/// back in an unexpected place).
public struct Redactor: Sendable {
    /// What a secret is shown as.
    public static let mask = "***"

    /// Header names whose values are credentials (compared case-insensitively).
    public static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "token", "apikey", "api-key", "x-api-key", "x-auth-token",
        "cookie", "set-cookie",
    ]

    /// Query parameter and JSON field names whose values are credentials.
    public static let secretFields: Set<String> = [
        "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "password",
        "client_secret", "secret", "signature", "x-amz-signature", "x-amz-credential", "sig",
    ]

    /// Exact values to hide wherever they appear.
    public var secrets: [String]

    public init(secrets: [String] = []) {
        // Very short values would mask innocent text; a real credential is longer than this.
        self.secrets = secrets.filter { $0.count >= 4 }
    }

    /// Returns a copy that also hides `secret`.
    public func adding(_ secret: String) -> Redactor { Redactor(secrets: secrets + [secret]) }

    /// A header's value as it may be shown.
    public func header(name: String, value: String) -> String {
        Self.secretHeaders.contains(name.lowercased()) ? Self.mask : text(value)
    }

    /// A URL with credential query parameters and user info masked.
    public func url(_ string: String) -> String {
        guard var components = URLComponents(string: string) else { return text(string) }
        if components.password != nil { components.password = Self.mask }
        if let items = components.queryItems {
            components.queryItems = items.map { item in
                Self.secretFields.contains(item.name.lowercased())
                    ? URLQueryItem(name: item.name, value: "REDACTED") : item
            }
        }
        let rebuilt = (components.string ?? string).replacingOccurrences(of: "REDACTED", with: Self.mask)
        return text(rebuilt)
    }

    /// Free text (a response body excerpt, an error description) with credentials masked.
    public func text(_ input: String) -> String {
        var output = input
        for secret in secrets where output.contains(secret) {
            output = output.replacingOccurrences(of: secret, with: Self.mask)
        }
        output = Self.replace(Self.jsonField, in: output) { "\($0[1])\(Self.mask)\"" }
        output = Self.replace(Self.formField, in: output) { "\($0[1])\(Self.mask)" }
        output = Self.replace(Self.bearer, in: output) { "\($0[1]) \(Self.mask)" }
        output = Self.replace(Self.jsonWebToken, in: output) { _ in Self.mask }
        return output
    }

    // `"password": "…"` (also escaped quotes inside the value are skipped). An excerpt cut inside the value has no
    // closing quote: the value then runs to the end.
    private static let jsonField = makeRegex(
        #"("(?:"# + fieldAlternatives + #")"\s*:\s*")(?:[^"\\]|\\.)*(?:"|$)"#
    )
    // A JSON Web Token wherever it stands (`eyJ…` is `{"` in base64url): a field name we do not know may hold one.
    private static let jsonWebToken = makeRegex(#"eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?"#)
    // `password=…` in query strings and form bodies.
    private static let formField = makeRegex(#"((?:^|[?&;\s])(?:"# + fieldAlternatives + #")=)[^&\s"]*"#)
    // `Bearer eyJ…`, `Token abc` in echoed headers.
    private static let bearer = makeRegex(#"((?:Bearer|Token|Basic))\s+[A-Za-z0-9\-._~+/=]{4,}"#)

    private static var fieldAlternatives: String {
        secretFields.sorted { $0.count > $1.count }.map { NSRegularExpression.escapedPattern(for: $0) }
            .joined(separator: "|")
    }

    private static func makeRegex(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants above; a failure is a programming error caught by the unit tests.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    private static func replace(
        _ regex: NSRegularExpression,
        in input: String,
        with template: ([String]) -> String
    ) -> String {
        let ns = input as NSString
        let matches = regex.matches(in: input, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return input }
        var result = ""
        var cursor = 0
        for match in matches {
            result += ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
            result += template(groups)
            cursor = match.range.location + match.range.length
        }
        result += ns.substring(from: cursor)
        return result
    }
}
