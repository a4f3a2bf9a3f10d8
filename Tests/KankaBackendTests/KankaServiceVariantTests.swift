import GalleryConformance
import GalleryCore
import GallerySandbox
import KankaBackend
import Testing

/// The adapter against each alternative of Kanka's inferred behaviours (Docs/kanka.md): how a file name becomes
/// an image name, and what an upload does once the campaign's storage is full. Either way it reports exactly
/// what was stored, and leaves nothing stored that it does not report.
@Suite struct KankaServiceVariantTests {
    @Test(arguments: [KankaEmulator.NameRule.strip, .dotfile])
    func aFileNamedOnlyAnExtensionIsCaptionedWhereItsNameSurvives(rule: KankaEmulator.NameRule) async throws {
        var options = KankaEmulator.Options()
        options.nameRule = rule
        try await withKanka(options) { kanka in
            let backend = kanka.backend()
            let spec = SyntheticImage.spec(".png", byteCount: 2_000, metadata: ItemMetadata(caption: "A dot"))
            do {
                let item = try await backend.addItem(
                    to: KankaBackend.rootGallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 2_000, seed: 3))
                #expect(rule == .dotfile, "an empty name was captioned: \(item)")
                #expect(item.caption == "A dot")
            } catch let error as GalleryError {
                #expect(rule == .strip, "\(error)")
                #expect(error.code == .invalidInput && error.message.contains("empty name"), "\(error)")
                #expect(error.item == ".png" && error.hint?.contains("name before its extension") == true)
            }
            // Stored once either way, and listed: the refusal came before a request Kanka would answer with 422.
            let listed = try await backend.gallery(KankaBackend.rootGallery).items
            #expect(listed.count == 1, "\(listed.map(\.filename))")
            #expect(listed.first?.caption == (rule == .dotfile ? "A dot" : nil))
            let kinds = await kanka.emulator.requestKinds()
            #expect(kinds.uploads == 1)
        }
    }

    @Test(arguments: [KankaEmulator.QuotaOverflow.dropRest, .skipEach])
    func aFullCampaignReportsEachFileItDidNotStore(overflow: KankaEmulator.QuotaOverflow) async throws {
        var options = KankaEmulator.Options()
        options.storageKiB = 6
        options.quotaOverflow = overflow
        try await withKanka(options) { kanka in
            let backend = kanka.backend()
            let folder = GalleryID(try await kanka.emulator.createFolder(name: "Full"))
            // One request carries all three, queued 30 ms apart (within the queue's linger) so in this order. Each
            // passes validation (whole KiB rounded down ≤ 6), but once a.jpg takes 2 KiB big.jpg's 5 do not fit,
            // and c.jpg's 2 would.
            let sizes: [(name: String, bytes: Int64)] = [("a.jpg", 2_000), ("big.jpg", 4_500), ("c.jpg", 2_000)]
            let outcomes = await withTaskGroup(of: (String, Result<Item, GalleryError>).self) { group in
                for (index, file) in sizes.enumerated() {
                    group.addTask {
                        do {
                            try await Task.sleep(for: .milliseconds(30 * index))
                            let item = try await backend.addItem(
                                to: folder, spec: SyntheticImage.spec(file.name, byteCount: file.bytes),
                                bytes: SyntheticImage.stream(byteCount: file.bytes, seed: UInt64(index)))
                            return (file.name, .success(item))
                        } catch let error as GalleryError {
                            return (file.name, .failure(error))
                        } catch {
                            return (file.name, .failure(GalleryError(.transport, "\(error)")))
                        }
                    }
                }
                return await group.reduce(into: [String: Result<Item, GalleryError>]()) { $0[$1.0] = $1.1 }
            }
            var reported: Set<String> = []
            for (name, outcome) in outcomes {
                switch outcome {
                case .success: reported.insert(name)
                case .failure(let error):
                    #expect(error.code == .quotaExceeded && error.item == name, "\(name): \(error)")
                }
            }
            let listed = Set(try await backend.gallery(folder).items.map(\.filename))
            #expect(listed == reported, "stored \(listed.sorted()), reported \(reported.sorted())")
            #expect(!listed.contains("big.jpg"))
            #expect(listed == (overflow == .skipEach ? ["a.jpg", "c.jpg"] : ["a.jpg"]))
            #expect(await kanka.emulator.requestKinds().uploads == 1)
        }
    }
}
