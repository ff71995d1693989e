// wa-enrich: not built yet (see the issue). Placeholder so the package builds.
import WAKit

Console.usageError(tool: "wa-enrich", UsageError("not implemented yet"), stderr: OutputBuffer(fd: FileDescriptor.standardError))
