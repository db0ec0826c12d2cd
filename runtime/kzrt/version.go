package kzrt

// GeneratedCodeVersion is the version of the code this module's kzgen
// generates, the contract between it and this package: the names and
// meanings of what generated code calls here. It changes whenever
// generated code would no longer compile against, or behave with, an
// older or newer kzrt.
const GeneratedCodeVersion = 2

// Every generated file holds the line
//
//	const _ = kzrt.SupportsGeneratedCodeV2
//
// naming the version it was generated for. This package declares one such
// constant per version of generated code it supports, so code from a newer
// kzgen (whose constant an older kzrt lacks) or from a kzgen too old to be
// supported any more (whose constant was removed) fails to compile with an
// error that names the constant: "undefined: kzrt.SupportsGeneratedCodeV3".
// The fix is to regenerate the code with the kzgen of the same module
// version as this kzrt, or to update github.com/kzgen/kzgen to the version
// of the kzgen that generated it.

// SupportsGeneratedCodeV2 is referenced by code generated for
// GeneratedCodeVersion 2; see GeneratedCodeVersion. Version 1 code (whose
// Validate reported no Kazoo error codes) is no longer supported.
const SupportsGeneratedCodeV2 = true
