import Testing

@testable import WAKit

@Suite("LineReader")
struct LineReaderTests {
  let sample: [UInt8] = Array("\u{FEFF}{\"a\":1}\r\n\n  \t\nsecond line\nthird\r\r\nlast".utf8)

  @Test func splitsOnNewlineAndNumbersEveryLine() throws {
    let got = try readLines(Array("a\nb\n\nc\n".utf8))
    #expect(got.texts == ["a", "b", "", "c"])
    #expect(got.lines.map(\.number) == [1, 2, 3, 4])
  }

  @Test func removesOneCarriageReturnBeforeNewline() throws {
    let got = try readLines(Array("a\r\nb\r\r\nc\rd\n".utf8))
    #expect(got.texts == ["a", "b\r", "c\rd"])
  }

  @Test func skipsByteOrderMarkOnlyAtStart() throws {
    let got = try readLines([0xEF, 0xBB, 0xBF] + Array("x\n".utf8) + [0xEF, 0xBB, 0xBF, 0x79])
    #expect(got.lines.map(\.bytes) == [[0x78], [0xEF, 0xBB, 0xBF, 0x79]])
  }

  @Test func byteOrderMarkSplitAcrossReadsIsStillSkipped() throws {
    let got = try readLines([0xEF, 0xBB, 0xBF] + Array("x\n".utf8), chunks: [1, 1, 1, 1, 1])
    #expect(got.texts == ["x"])
  }

  @Test func shortFirstLineIsNotHeldBackWaitingForAByteOrderMark() throws {
    let got = try readLines(Array("a\n".utf8))
    #expect(got.texts == ["a"])
    let lone = try readLines([0xEF, 0xBB])
    #expect(lone.lines.map(\.bytes) == [[0xEF, 0xBB]])
  }

  @Test func lastLineWithoutNewlineIsALine() throws {
    #expect(try readLines(Array("a\nb".utf8)).texts == ["a", "b"])
    #expect(try readLines(Array("a\nb\r".utf8)).texts == ["a", "b"])
  }

  @Test func emptyInputHasNoLinesAndANewlineIsOneBlankLine() throws {
    #expect(try readLines([]).lines.isEmpty)
    #expect(try readLines([0xEF, 0xBB, 0xBF]).lines.isEmpty)
    #expect(try readLines([0x0A]).texts == [""])
  }

  @Test func everySplitPositionGivesTheSameLines() throws {
    let expected = referenceLines(sample)
    for k in 1..<sample.count {  // a read of 0 bytes is end of input, so splits start at 1
      let got = try readLines(sample, chunks: [k, sample.count])
      #expect(got.lines.map(\.bytes) == expected, "split at \(k)")
    }
  }

  @Test func everyReadSizeGivesTheSameLines() throws {
    let expected = referenceLines(sample)
    for size in 1...sample.count {
      let got = try readLines(sample, defaultChunk: size, chunkSize: 16)
      #expect(got.lines.map(\.bytes) == expected, "read size \(size)")
    }
  }

  @Test func randomStreamsMatchTheReference() throws {
    var rng = SeededGenerator(seed: 42)
    let alphabet: [UInt8] = [0x0A, 0x0D, 0x61, 0x20, 0xEF, 0xBB, 0xBF, 0x7B]
    for _ in 0..<300 {
      let data = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
        alphabet.randomElement(using: &rng)!
      }
      let got = try readLines(
        data, defaultChunk: Int.random(in: 1...40, using: &rng), chunkSize: 16)
      #expect(got.lines.map(\.bytes) == referenceLines(data))
    }
  }

  @Test func lineOfExactlyTheLimitIsKeptWhole() throws {
    let line = [UInt8](repeating: 0x61, count: 100)
    let got = try readLines(
      line + [0x0D, 0x0A] + line, defaultChunk: 7, maxLineBytes: 100, chunkSize: 16)
    #expect(got.lines.map(\.bytes) == [line, line])
    #expect(got.lines.allSatisfy { $0.length == 100 })
  }

  @Test func overLongLineKeepsItsPrefixAndTrueLength() throws {
    let long = (0..<1000).map { UInt8(0x41 + $0 % 26) }
    for chunk in [1, 7, 16, 64, 5000] {
      let data = Array("ok\n".utf8) + long + Array("\r\nnext\n".utf8)
      let got = try readLines(data, defaultChunk: chunk, maxLineBytes: 100, chunkSize: 16)
      #expect(got.texts.count == 3, "chunk \(chunk)")
      #expect(got.lines[1].bytes == Array(long.prefix(100)), "chunk \(chunk)")
      #expect(got.lines[1].length == 1000, "chunk \(chunk)")
      #expect(got.lines[2].bytes == Array("next".utf8) && got.lines[2].number == 3)
    }
  }

  @Test func limitPlusOneIsTooLong() throws {
    let got = try readLines([UInt8](repeating: 0x61, count: 101) + [0x0A], maxLineBytes: 100)
    #expect(got.lines.count == 1 && got.lines[0].length == 101 && got.lines[0].bytes.count == 100)
  }

  @Test func overLongLastLineWithoutNewline() throws {
    let data = Array("a\n".utf8) + [UInt8](repeating: 0x62, count: 500) + [0x0D]
    let got = try readLines(data, defaultChunk: 9, maxLineBytes: 50, chunkSize: 16)
    #expect(got.lines.count == 2)
    #expect(got.lines[1].length == 500 && got.lines[1].bytes.count == 50)
  }

  @Test func newlineRightAfterALongReadBoundaryEndsTheLine() throws {
    // The newline arrives alone in the read after the line became too long.
    let data = [UInt8](repeating: 0x63, count: 40) + [0x0D] + [0x0A] + Array("z".utf8)
    let got = try readLines(data, chunks: [41, 1, 1], maxLineBytes: 10, chunkSize: 16)
    #expect(got.lines.map(\.length) == [40, 1])
  }

  @Test func readFailureIsThrownAfterTheLinesBeforeIt() throws {
    let reader = LineReader(maxLineBytes: 100, chunkSize: 16)
    var source = ScriptedSource(Array("a\nb\nc".utf8), chunks: [4])
    source.failure = .readFailed(errno: 5)
    source.failAt = 4
    var handler = CollectingHandler()
    #expect(throws: IOError.readFailed(errno: 5)) {
      _ = try reader.read(from: &source, into: &handler)
    }
    #expect(handler.texts == ["a", "b"])
  }

  @Test func handlerCanStopTheReader() throws {
    let reader = LineReader(maxLineBytes: 100)
    var source = ScriptedSource(Array("a\nb\nc\n".utf8))
    var handler = CollectingHandler()
    handler.stopAfter = 2
    #expect(try reader.read(from: &source, into: &handler) == .stoppedByHandler)
    #expect(handler.texts == ["a", "b"])
  }

  @Test func idleInputLetsTheHandlerFlushBeforeBlocking() throws {
    let reader = LineReader(maxLineBytes: 100)
    var source = ScriptedSource(Array("a\nb\n".utf8), chunks: [2, 2])
    source.readiness = [.ready, .timedOut, .ready]
    var handler = CollectingHandler()
    _ = try reader.read(from: &source, into: &handler)
    #expect(handler.idleCalls == 1)
    #expect(handler.texts == ["a", "b"])
  }
}
