#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `ObjectStore` on a local directory. Keys map to files under `root`.
///
/// `put` writes a temporary file in the target directory, fsyncs it and renames it over the key, so a
/// reader or a crash never sees half an object. `putIfAbsent` writes and fsyncs the temporary file and
/// then `link(2)`s it to the key: the kernel creates the name atomically or fails with EEXIST, so of any
/// number of racing writers (threads or processes) exactly one wins. Temporary files start with
/// `.pulse-tmp-` and are never listed.
public final class LocalStore: ObjectStore {
    /// Absolute path of the root directory, without a trailing slash.
    public let root: String
    /// Whether to fsync the directory after creating a name (durability across power loss).
    private let syncDirectories: Bool

    static let temporaryPrefix = ".pulse-tmp-"

    /// Opens the directory `root`, creating it with its parents unless `create` is false (then a
    /// missing directory throws `.notFound`).
    public init(root: String, syncDirectories: Bool = true, create: Bool = true) throws {
        var absolute = root
        if !absolute.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else {
                throw StorageError(
                    code: .io, key: "", store: "file://\(root)", operation: "getcwd", errno: errno,
                    message: LocalStore.systemMessage(errno))
            }
            let cwd = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            absolute = cwd + "/" + absolute
        }
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        self.root = absolute
        self.syncDirectories = syncDirectories
        if !create {
            var info = stat()
            guard stat(absolute, &info) == 0 else {
                throw StorageError(
                    code: .notFound, key: "", store: "file://\(absolute)", operation: "open",
                    message: "no such directory")
            }
        }
        try makeDirectories(absolute, key: "")
    }

    public var description: String { "file://\(root)" }

    public func get(_ key: String) throws -> [UInt8] {
        let path = try filePath(key, operation: "get")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw failure(errno, key: key, operation: "open") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(errno, key: key, operation: "fstat") }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw StorageError(
                code: .notFound, key: key, store: description, operation: "get", message: "is a directory")
        }
        var result = [UInt8]()
        result.reserveCapacity(max(Int(info.st_size), 0))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno, key: key, operation: "read")
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    public func put(_ key: String, _ data: [UInt8]) throws {
        let path = try filePath(key, operation: "put")
        let directory = parentDirectory(path)
        try makeDirectories(directory, key: key)
        let temporary = try writeTemporary(in: directory, data, key: key)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw failure(code, key: key, operation: "rename")
        }
        syncDirectory(directory)
    }

    public func putIfAbsent(_ key: String, _ data: [UInt8]) throws -> Bool {
        let path = try filePath(key, operation: "putIfAbsent")
        let directory = parentDirectory(path)
        try makeDirectories(directory, key: key)
        let temporary = try writeTemporary(in: directory, data, key: key)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return false }
            throw failure(code, key: key, operation: "link")
        }
        syncDirectory(directory)
        return true
    }

    public func list(prefix: String) throws -> [ObjectInfo] {
        if prefix.hasPrefix("/") || prefix.split(separator: "/").contains("..") {
            throw StorageError(code: .invalidKey, key: prefix, store: description, operation: "list")
        }
        // Walk only the directory the prefix names; the rest of the prefix filters names within it.
        var directoryKey = ""
        if let slash = prefix.lastIndex(of: "/") { directoryKey = String(prefix[..<slash]) }
        var found: [ObjectInfo] = []
        try walk(directoryKey: directoryKey, prefix: prefix, into: &found)
        found.sort { $0.key < $1.key }
        return found
    }

    public func delete(_ key: String) throws {
        let path = try filePath(key, operation: "delete")
        if unlink(path) != 0 && errno != ENOENT {
            throw failure(errno, key: key, operation: "unlink")
        }
    }

    // MARK: - Internals

    private func walk(directoryKey: String, prefix: String, into found: inout [ObjectInfo]) throws {
        let directoryPath = directoryKey.isEmpty ? root : root + "/" + directoryKey
        guard let handle = opendir(directoryPath) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw failure(errno, key: directoryKey, operation: "opendir")
        }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." || name.hasPrefix(LocalStore.temporaryPrefix) { continue }
            let key = directoryKey.isEmpty ? name : directoryKey + "/" + name
            var info = stat()
            if stat(directoryPath + "/" + name, &info) != 0 { continue }  // removed while listing
            if (info.st_mode & S_IFMT) == S_IFDIR {
                // Descend only where keys below can still match the prefix.
                let keyWithSlash = key + "/"
                if keyWithSlash.hasPrefix(prefix) || prefix.hasPrefix(keyWithSlash) { subdirectories.append(key) }
                continue
            }
            guard key.hasPrefix(prefix) else { continue }
            let modified = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
            found.append(ObjectInfo(key: key, size: Int64(info.st_size), lastModified: modified))
        }
        for subdirectory in subdirectories {
            try walk(directoryKey: subdirectory, prefix: prefix, into: &found)
        }
    }

    private func filePath(_ key: String, operation: String) throws -> String {
        if key.isEmpty || key.hasPrefix("/") || key.hasSuffix("/")
            || key.split(separator: "/", omittingEmptySubsequences: false).contains(where: {
                $0 == ".." || $0 == "." || $0.isEmpty
            })
        {
            throw StorageError(
                code: .invalidKey, key: key, store: description, operation: operation,
                message: "keys are relative, '/'-separated, without empty, '.' or '..' segments")
        }
        return root + "/" + key
    }

    private func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return root }
        return String(path[..<slash])
    }

    private func makeDirectories(_ path: String, key: String) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { return }
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw failure(errno, key: key, operation: "mkdir \(current)")
            }
        }
        // mkdir says EEXIST for a file too: a path that names one can never hold the lakehouse.
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StorageError(
                code: .io, key: key, store: "file://\(path)", operation: "open",
                message: "\(path) exists and is not a directory")
        }
    }

    private func writeTemporary(in directory: String, _ data: [UInt8], key: String) throws -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let temporary = directory + "/" + LocalStore.temporaryPrefix + suffix
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure(errno, key: key, operation: "create temporary") }
        var failed: (Int32, String)? = nil
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = (errno, "write")
                    return
                }
                offset += written
            }
        }
        if failed == nil && fsync(fd) != 0 { failed = (errno, "fsync") }
        close(fd)
        if let (code, operation) = failed {
            unlink(temporary)
            throw failure(code, key: key, operation: operation)
        }
        return temporary
    }

    private func syncDirectory(_ directory: String) {
        guard syncDirectories else { return }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private func failure(_ code: Int32, key: String, operation: String) -> StorageError {
        let kind: StorageError.Code
        switch code {
        case ENOENT: kind = .notFound
        case EACCES, EPERM, EROFS: kind = .permissionDenied
        case ENOSPC, EDQUOT: kind = .noSpace
        default: kind = .io
        }
        return StorageError(
            code: kind, key: key, store: description, operation: operation, errno: code,
            message: LocalStore.systemMessage(code))
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
