// wa-aggregate: valid events in, dashboard snapshots out (one JSON object per line).
// Its description, options and run: Sources/WAKit/Tools/AggregateTool.swift.
import WAKit

Tool.aggregate.main()
