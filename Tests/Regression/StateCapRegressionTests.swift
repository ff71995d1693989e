import Foundation
import Testing

/// `--max-state` bit without a word: entries dropped to make room before `--state-horizon`
/// are forgotten early (a duplicate of one counts again, a status of its message moves
/// nothing), and the snapshot's `input.evicted` lumps them with the horizon's ordinary
/// evictions. The bundled sample with `--max-state 16` dropped 2,188 entries so, and only a
/// user who knew to compare `evicted` with a run under a larger cap could tell. The run now
/// says so once, after the summary line.
@Suite struct StateCapRegressionTests {
  @Test(arguments: ["1", "2"])
  func aCapThatDropsStateBeforeTheHorizonIsSaid(_ threads: String) throws {
    let sample = Tools.root.appendingPathComponent("examples/webhook.log").path
    let capped = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet", "--threads", threads, "--max-state", "16", sample])
    #expect(capped.status == 1, "\(capped.stderr)")
    let note = capped.stderr.split(separator: "\n").last.map(String.init) ?? ""
    #expect(
      note.hasPrefix("wa-aggregate: --max-state 16 was reached: ")
        && note.contains(" state entries were dropped to make room before --state-horizon"),
      "\(capped.stderr)")
    let roomy = try Tools.run(
      Tools.path("wa-aggregate"), ["--quiet", "--threads", threads, sample])
    #expect(!roomy.stderr.contains("--max-state"), "\(roomy.stderr)")
  }
}
