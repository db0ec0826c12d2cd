package kzrt

// GeneratedCodeVersion is the version of the code this module's kzgen
// generates, the contract between it and this package: the names and
// meanings of what generated code calls here. It changes whenever
// generated code would no longer compile against, or behave with, an
// older or newer kzrt.
const GeneratedCodeVersion = 3

// Every generated file holds the line
//
//	const _ = kzrt.SupportsGeneratedCodeV3
//
// naming the version it was generated for. This package declares one such
// constant per version of generated code it supports, so code from a newer
// kzgen (whose constant an older kzrt lacks) or from a kzgen too old to be
// supported any more (whose constant was removed) fails to compile with an
// error that names the constant: "undefined: kzrt.SupportsGeneratedCodeV4".
// The fix is to regenerate the code with the kzgen of the same module
// version as this kzrt, or to update github.com/kzgen/kzgen to the version
// of the kzgen that generated it.

// SupportsGeneratedCodeV3 is referenced by code generated for
// GeneratedCodeVersion 3 (code that decodes in one pass with Decoder and
// reports Kazoo's error codes); see GeneratedCodeVersion. Versions 1 and 2
// (code that decoded with reflection) are no longer supported.
const SupportsGeneratedCodeV3 = true
