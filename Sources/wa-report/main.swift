// wa-report: renders wa-aggregate's snapshots as a terminal dashboard or Prometheus metrics.
// Its description, options and run: Sources/WAKit/Tools/ReportTool.swift.
import WAKit

Tool.report.main()
