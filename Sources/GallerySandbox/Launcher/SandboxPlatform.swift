import Foundation

/// The platforms the sandbox can emulate, and how each emulator is made from the launcher's options.
///
/// Adding a platform (Kanka, Konigle, Stash) means one more case in ``all`` and in ``makeEmulator(_:options:)``.
public enum SandboxPlatform {
    /// Every platform with an emulator, in start order.
    public static let all = ["omnitcode", "kanka", "konigle", "stash"]

    /// Makes the emulator for `platform`, or throws for an unknown name.
    public static func makeEmulator(_ platform: String, options: SandboxLauncher.Options) throws -> any Emulator {
        let data = options.dataDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(platform).path }
        let variants = options.variants[platform] ?? [:]
        switch platform {
        case "omnitcode":
            // The languages of the repository's Examples (de, fr) besides the defaults, so they round-trip
            // through the sandbox with their translations.
            var omnitcode = OmnitcodeEmulator.Options(
                seed: options.seed, dataDirectory: data,
                languages: ["en": "English", "de": "Deutsch", "fr": "Français", "sr": "Serbian"])
            omnitcode.apply(variants)
            return try OmnitcodeEmulator(options: omnitcode)
        case "kanka":
            var kanka = KankaEmulator.Options(seed: options.seed == .demo ? .demo : .empty)
            kanka.dataDirectory = data
            kanka.apply(variants)
            if let budget = ProcessInfo.processInfo.environment[KankaEmulator.rateEnvironmentKey] {
                guard let parsed = KankaEmulator.parseRate(budget) else {
                    let key = KankaEmulator.rateEnvironmentKey
                    throw SandboxError(message: "\(key) must look like 30/60s, got '\(budget)'")
                }
                (kanka.rateLimit, kanka.rateWindow) = parsed
            }
            return try KankaEmulator(options: kanka)
        case "konigle":
            var konigle = KonigleEmulator.Options()
            konigle.dataDirectory = data
            return try KonigleEmulator(options: konigle)
        case "stash":
            // Stash's images live in a library folder on disk: under the data folder when given, else a fresh
            // temporary one. Its path is announced as `libraryDir`.
            let library = URL(
                fileURLWithPath: data ?? NSTemporaryDirectory() + "gallery-hub-stash-\(UUID().uuidString)"
            )
            .appendingPathComponent("library").path
            try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
            var stash = StashEmulator.Options(libraryDirectories: [library])
            stash.dataDirectory = data
            return try StashEmulator(options: stash)
        default:
            throw SandboxError(message: "No emulator for '\(platform)'; known: \(all.joined(separator: ", "))")
        }
    }
}
