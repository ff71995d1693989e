// wa-validate: valid events pass through untouched; every other line is accounted for.
// Its description, options and run: Sources/WAKit/Tools/ValidateTool.swift.
import WAKit

Tool.validate.main()
