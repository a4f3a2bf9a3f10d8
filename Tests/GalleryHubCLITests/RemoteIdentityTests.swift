import Foundation
import Testing

/// Two remotes of one service that address different galleries (two Kanka campaigns) are different remotes: a
/// copy between them is not refused as "the same remote", and each pair has a journal of its own. The same
/// campaign twice is refused, whatever the remotes are called.
@Suite struct RemoteIdentityTests {
    @Test func anOptionThatAddressesOtherGalleriesMakesADifferentRemote() async throws {
        let folder = NSTemporaryDirectory() + "gh-identity-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Port 9 on loopback: nothing listens, so a copy that gets past the identity check fails fast.
        var remotes = ""
        for (name, campaign) in [("first", "1"), ("second", "2"), ("again", "1")] {
            remotes += """
                [\(name)]
                type = "kanka"
                url = "http://127.0.0.1:9/1.0"
                token = "${KANKA_TOKEN}"
                campaign = "\(campaign)"

                """
        }
        let file = folder + "/remotes.toml"
        try Data(remotes.utf8).write(to: URL(fileURLWithPath: file))
        let environment = ["GALLERY_HUB_CONFIG": file, "KANKA_TOKEN": "t0k3n-value", "HOME": folder]

        let different = try await CLIRunner.run(["plan", "first:", "second:"], environment: environment)
        #expect(!different.stderr.contains("same remote"), "\(different.stderr)")
        #expect(different.status != 0 && different.status != 7, "exit \(different.status): \(different.stderr)")

        let same = try await CLIRunner.run(["plan", "first:", "again:"], environment: environment)
        #expect(same.status == 7, "\(same.stderr)")
        #expect(same.stderr.contains("same remote"))
    }
}
