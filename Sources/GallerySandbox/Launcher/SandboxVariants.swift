/// Behaviours a real service leaves open (its Docs/ page marks them inferred or unverified), picked per platform
/// with `gallery-hub sandbox --variant PLATFORM:KEY=VALUE`, so the adapter can be tried against each alternative.
/// The first value listed for a key is what the emulator does without a variant.
public enum SandboxVariants {
    public struct Choice: Sendable {
        public var key: String
        public var values: [String]
        public var help: String
    }

    public static let choices: [String: [Choice]] = [
        "omnitcode": [
            Choice(
                key: "login", values: ["json", "form"],
                help: "`POST /auth/login` takes a JSON body, or an OAuth2 form (username, password)"),
            Choice(
                key: "languages", values: ["listed", "absent", "forbidden"],
                help: "`GET /languages` lists them, does not exist (404), or is refused (403)"),
            Choice(
                key: "media-patch", values: ["present", "absent"],
                help: "`PATCH /media/{id}` (alt text) exists, or answers 405"),
            Choice(
                key: "missing-bearer", values: ["401", "403"],
                help: "the status of a request without a bearer token"),
            Choice(key: "lists", values: ["offset", "page"], help: "skip/limit arrays, or the page envelope"),
        ],
        "kanka": [
            Choice(
                key: "name-rule", values: ["strip", "dotfile"],
                help: "an upload named `.png` gets an empty name (strip), or keeps `.png` (dotfile)"),
            Choice(
                key: "quota-overflow", values: ["drop-rest", "skip-each"],
                help: "files after the first that does not fit are all dropped, or each is judged alone"),
        ],
    ]

    /// Parses `KEY=VALUE[,KEY=VALUE…]` for `platform`, checking every key and value.
    public static func parse(_ text: String, platform: String) throws -> [String: String] {
        guard let known = choices[platform] else {
            throw SandboxError(message: "The \(platform) emulator has no variants")
        }
        var picked: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let choice = known.first(where: { $0.key == parts[0] }) else {
                throw SandboxError(
                    message:
                        "Unknown \(platform) variant '\(pair)'; known: \(known.map(\.key).joined(separator: ", "))")
            }
            guard choice.values.contains(parts[1]) else {
                throw SandboxError(
                    message:
                        "\(platform) variant \(choice.key) takes \(choice.values.joined(separator: " or ")), got '\(parts[1])'"
                )
            }
            picked[choice.key] = parts[1]
        }
        return picked
    }
}
