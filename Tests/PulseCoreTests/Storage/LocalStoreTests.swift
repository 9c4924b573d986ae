import Foundation
import Testing

@testable import PulseCore

@Suite struct LocalStoreTests {
    @Test func putGetListDelete() throws {
        let directory = TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path + "/lake")
        #expect(store.description == "file://\(directory.path)/lake")
        try store.put("t/_delta_log/00000000000000000001.json", Array("b".utf8))
        try store.put("t/_delta_log/00000000000000000000.json", Array("a".utf8))
        try store.put("t/dt=1/x.parquet", [1, 2, 3])
        try store.put("other/file", [9])
        #expect(try store.get("t/dt=1/x.parquet") == [1, 2, 3])
        try store.put("t/dt=1/x.parquet", [4])  // replace
        #expect(try store.get("t/dt=1/x.parquet") == [4])

        let log = try store.list(prefix: "t/_delta_log/")
        #expect(log.map(\.key) == ["t/_delta_log/00000000000000000000.json", "t/_delta_log/00000000000000000001.json"])
        #expect(log.map(\.size) == [1, 1])
        #expect(log[0].lastModified > 1_600_000_000_000)
        #expect(try store.list(prefix: "t/").map(\.key).count == 3)
        #expect(try store.list(prefix: "t/_delta_log/0000000000000000000").count == 2)
        #expect(try store.list(prefix: "").count == 4)
        #expect(try store.list(prefix: "missing/").isEmpty)

        try store.delete("t/dt=1/x.parquet")
        try store.delete("t/dt=1/x.parquet")  // missing is fine
        do {
            _ = try store.get("t/dt=1/x.parquet")
            Issue.record("get of a deleted key succeeded")
        } catch let error as StorageError {
            #expect(error.code == .notFound)
            #expect(error.key == "t/dt=1/x.parquet")
            #expect(error.description.contains("not found"))
        }
    }

    @Test func rejectsKeysOutsideTheRoot() throws {
        let directory = TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        for key in ["", "/etc/passwd", "a/../../x", "a//b", "a/./b", "dir/"] {
            #expect(throws: StorageError.self) { try store.put(key, [1]) }
        }
    }

    @Test func putIfAbsentKeepsTheFirstObject() throws {
        let directory = TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        #expect(try store.putIfAbsent("log/0.json", Array("first".utf8)))
        #expect(try store.putIfAbsent("log/0.json", Array("second".utf8)) == false)
        #expect(try store.get("log/0.json") == Array("first".utf8))
        // No temporary files are left behind or listed.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/log")
        #expect(names == ["0.json"])
    }

    @Test func manyThreadsRacingForOneKeyExactlyOneWins() throws {
        let directory = TemporaryDirectory("store")
        defer { directory.remove() }
        let store = try LocalStore(root: directory.path)
        let threads = 16
        for round in 0..<20 {
            let key = "race/\(round).json"
            let wins = UnsafeMutableBufferPointer<Bool>.allocate(capacity: threads)
            wins.initialize(repeating: false)
            defer { wins.deallocate() }
            nonisolated(unsafe) let results = wins
            DispatchQueue.concurrentPerform(iterations: threads) { index in
                // Each writer's payload names it, so the stored object shows who won.
                results[index] = (try? store.putIfAbsent(key, Array("writer-\(index)".utf8))) ?? false
            }
            let winners = (0..<threads).filter { wins[$0] }
            #expect(winners.count == 1)
            if let winner = winners.first {
                #expect(try store.get(key) == Array("writer-\(winner)".utf8))
            }
        }
        #expect(try store.list(prefix: "race/").count == 20)
    }
}
