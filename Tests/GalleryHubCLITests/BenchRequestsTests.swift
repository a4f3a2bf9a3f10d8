import Foundation
import Testing

/// `gallery-hub bench requests` on a small set: it copies into every HTTP emulator, verifies each copy, and
/// reports per remote the requests spent against the API's floor, within 1.1× of it.
@Suite struct BenchRequestsTests {
    @Test(.timeLimit(.minutes(10)))
    func everyHTTPBackendStaysNearItsFloor() async throws {
        // The working folder is kept so a failure can show the copy's own log (retries, batch sizes).
        let workdir = NSTemporaryDirectory() + "gh-bench-requests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: workdir) }
        let result = try await CLIRunner.run([
            "bench", "requests", "--images", "400", "--galleries", "4", "--json", "--workdir", workdir,
        ])
        func copyLog(_ remote: Any?) -> String {
            let text = (try? String(contentsOfFile: "\(workdir)/\(remote ?? "")/copy.log", encoding: .utf8)) ?? ""
            return "copy.log: " + text.suffix(3_000)
        }
        #expect(result.status == 0, "\(result.stdout.suffix(2_000)) \(result.stderr.suffix(2_000))")
        let document = try result.json()
        #expect(document["schema"] as? String == "gallery-hub/bench-requests")
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(
            rows.compactMap { $0["remote"] as? String }
                == ["sandbox-kanka", "sandbox-omnitcode", "sandbox-konigle", "sandbox-konigle-tags", "sandbox-stash"])
        for row in rows {
            let requests = try #require(row["requests"] as? Int)
            let floor = try #require(row["floor"] as? Int)
            #expect(floor > 0 && requests >= floor, "\(row)")
            #expect(Double(requests) <= 1.1 * Double(floor), "\(row) \(copyLog(row["remote"]))")
            #expect(row["verified"] as? Bool == true, "\(row)")
            #expect(row["throttled"] as? Int == 0, "\(row)")
        }
    }
}
