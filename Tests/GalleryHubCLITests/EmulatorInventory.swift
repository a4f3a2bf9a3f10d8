import Foundation

/// An emulator's own record of what it holds (`GET /__sandbox/inventory`), and the duplicates and orphans counted
/// from it: never through the adapter under test.
struct EmulatorInventory {
    struct Item: Hashable {
        var name: String
        var bytes: Int
    }

    /// Gallery id → title and items.
    var galleries: [(id: String, title: String, items: [Item])]
    var unattached: [Item]
    /// Body bytes the emulator's platform routes received and sent since it started.
    var requestBytes: Int
    var responseBytes: Int

    static func read(origin: String) throws -> EmulatorInventory {
        let document = try LoopbackHTTP.get(origin + "/__sandbox/inventory")
        func items(_ value: Any?) -> [Item] {
            ((value as? [[String: Any]]) ?? []).map {
                Item(name: $0["name"] as? String ?? "", bytes: $0["bytes"] as? Int ?? 0)
            }
        }
        let galleries = ((document["galleries"] as? [[String: Any]]) ?? []).map {
            (id: $0["id"] as? String ?? "", title: $0["title"] as? String ?? "", items: items($0["items"]))
        }
        let traffic = document["traffic"] as? [String: Any] ?? [:]
        return EmulatorInventory(
            galleries: galleries, unattached: items(document["unattached"]),
            requestBytes: traffic["requestBytes"] as? Int ?? 0, responseBytes: traffic["responseBytes"] as? Int ?? 0)
    }

    /// Items held in galleries.
    var itemCount: Int { galleries.reduce(0) { $0 + $1.items.count } }

    /// Bytes held in galleries, each (gallery, name, size) once.
    var heldBytes: Int {
        galleries.reduce(0) { total, gallery in total + Set(gallery.items).reduce(0) { $0 + $1.bytes } }
    }

    /// Items a gallery holds more than once (same name and size), plus galleries whose title another holding
    /// items already has.
    var duplicates: Int {
        var count = 0
        var titles = Set<String>()
        for gallery in galleries {
            count += gallery.items.count - Set(gallery.items).count
            if !gallery.items.isEmpty, !titles.insert(gallery.title).inserted { count += 1 }
        }
        return count
    }

    /// Stored files no gallery holds.
    var orphans: Int { unattached.count }
}
