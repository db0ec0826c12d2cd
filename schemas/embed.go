// Package schemas holds kzgen's own copy of the part of Kazoo's JSON schema
// set that callflows need: callflows.json, every callflows.*.json and every
// schema they reach through "$ref" (generator/load computes that closure).
//
// Schema ids are bare names such as "callflows.play" or "custom_sip_headers";
// the file holding id X is "X.json" at the root of the file system.
package schemas

import "embed"

// FS is our copy of Kazoo's callflow schema closure: callflows.json, every
// callflows.*.json and every schema they reach through "$ref", one <id>.json
// file per schema at the root. Every fact (keys, types, enums, defaults,
// limits, patterns, required lists, refs, ids) is identical to Kazoo's; the
// "description" texts are our own, written for Go developers.
//
//go:embed *.json
var FS embed.FS

// CallflowMatch selects, as load.Options.Match globs, the schemas the
// callflow closure starts from: "callflows" and every "callflows.*".
const CallflowMatch = "callflows,callflows.*"
