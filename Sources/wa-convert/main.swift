// wa-convert: raw WhatsApp webhook bodies in, track events out (SPEC §7).
// Its description, options and run: Sources/WAKit/Tools/ConvertTool.swift.
import WAKit

Tool.convert.main()
