// wa-enrich: valid events out with the country of their phone number added.
// Its description, options and run: Sources/WAKit/Tools/EnrichTool.swift.
import WAKit

Tool.enrich.main()
