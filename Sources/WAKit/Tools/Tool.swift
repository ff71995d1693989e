// Tools: the five executables, each as a description (what `--help`, the man page, the
// completions and the flag reference say), how its arguments become options, and which
// run it makes of them. The top of the library: it may use every other folder.

/// The tools, in pipeline order. An executable's `main.swift` is `Tool.validate.main()`.
package enum Tool: CaseIterable, Sendable {
  case convert, validate, enrich, aggregate, report

  /// Runs the tool on the process's arguments and exits with its status.
  package func main() -> Never {
    switch self {
    case .convert: ConvertTool.main()
    case .validate: ValidateTool.main()
    case .enrich: EnrichTool.main()
    case .aggregate: AggregateTool.main()
    case .report: ReportTool.main()
    }
  }

  var description: ToolDescription {
    switch self {
    case .convert: ConvertTool.description
    case .validate: ValidateTool.description
    case .enrich: EnrichTool.description
    case .aggregate: AggregateTool.description
    case .report: ReportTool.description
    }
  }
}
