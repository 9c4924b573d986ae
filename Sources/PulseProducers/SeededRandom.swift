/// SplitMix64: seeds the main generator and hashes (seed, channel, index) into reproducible noise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose sequence depends only on `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a strong 64-bit mixing function (a hash of `value`).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256**: the simulations' fast, seedable generator (`--seed S`: same seed, same events).
///
/// `stream` separates independent sequences drawn from one user seed (bike, weather, injectors).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator for `seed` and an independent `stream` of it.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(seed: seed ^ SplitMix64.mix(stream &+ 0x5851_F42D_4C95_7F2D))
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// Next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    @inlinable
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// Uniform integer in 0..<bound (bound > 0), by multiply-high (bias < 2^-32 for small bounds).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform integer in a closed range.
    @inlinable
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// Approximately standard normal (Irwin-Hall of 4 uniforms: mean 0, variance 1, |x| <= 3.47);
    /// cheap and without the rare huge outliers that would jolt a simulation.
    @inlinable
    public mutating func nextNormal() -> Double {
        let a = next()
        let b = next()
        // Four 32-bit uniforms from two draws.
        let u = Double(a & 0xFFFF_FFFF) + Double(a >> 32) + Double(b & 0xFFFF_FFFF) + Double(b >> 32)
        return (u * 0x1.0p-32 - 2.0) * 1.732_050_807_568_877_2
    }
}
